"""Train the shipped attribute-agnostic polarity model from the MAMS-ACSA training split.

    .venv/bin/python scripts/train_polarity_weights.py [MAMS_DIR]

MAMS_DIR defaults to ../shared/data/mams_acsa beside the repository. Needs the static
embedding model (scripts/build_voice_model.py). The anchors of each attribute come from a
tagger trained on the same split's attribute labels (its learned word relevance), as they do
at run time for a firm that has labelled sentences; a firm without them anchors on affinity.
Writes two models: src/outsidein/io/voice_polarity_en.json, lexical (for the lexical-only
regime), and voice_polarity_en_vectors.json, which also reads the weighted mean word vector
near the anchor (``embedding_weight`` 2, the tagger's default) and names the static model whose
vectors it read by SHA-256 (the MAMS data are
Apache-2.0; Jiang et al., "A Challenge Dataset and Effective Models for Aspect-Based Sentiment
Analysis", EMNLP-IJCNLP 2019). Only the validation split is used to evaluate it, in
benchmarks/voice.py.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from outsidein.core.sentiment import AspectPolarity
from outsidein.core.voice_tagging import AttributeTagger
from outsidein.io.voice_files import read_attributes
from outsidein.io.voice_model import (
    POLARITY_WEIGHTS,
    POLARITY_WEIGHTS_VECTORS,
    load_encoder,
    load_sentiment_lexicon,
    save_polarity_weights,
)

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str]) -> int:
    data = Path(argv[0]) if argv else ROOT.parent / "shared" / "data" / "mams_acsa"
    encoder = load_encoder()
    if encoder is None:
        print("error: build the static model first (scripts/build_voice_model.py)", file=sys.stderr)
        return 1
    attributes = read_attributes(ROOT / "benchmarks" / "mams_attributes.yaml")
    ids = [a.id for a in attributes]
    texts: dict[str, int] = {}
    sentence: list[int] = []
    attribute: list[int] = []
    polarity: list[str] = []
    with (data / "train_categories.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            index = texts.setdefault(row["text"], len(texts))
            sentence.append(index)
            attribute.append(ids.index(row["aspect_category"]))
            polarity.append(row["polarity"])
    labels: list[set[str]] = [set() for _ in texts]
    for i, a in zip(sentence, attribute, strict=True):
        labels[i].add(ids[a])
    tagger = AttributeTagger(attributes, encoder).fit(list(texts), labels)
    batch = tagger.prepare(list(texts))
    source = (
        "MAMS-ACSA train split (Jiang et al. 2019, EMNLP-IJCNLP; Apache-2.0), "
        f"{len(texts)} sentences, {len(sentence)} attribute mentions; "
        "trained by scripts/train_polarity_weights.py"
    )
    for name, embedding_weight in ((POLARITY_WEIGHTS, 0.0), (POLARITY_WEIGHTS_VECTORS, 2.0)):
        model = AspectPolarity(
            attribute_aware=False,
            embedding_weight=embedding_weight,
            min_count=10,
            lexicon=load_sentiment_lexicon(),
        )
        model.fit(batch, sentence, attribute, polarity)
        weights = model.to_weights(
            source=source,
            vectors_sha256=encoder.manifest["sha256"] if embedding_weight else None,
        )
        target = ROOT / "src" / "outsidein" / "io" / name
        save_polarity_weights(weights, target)
        print(f"wrote {target}: {len(weights.features)} features")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
