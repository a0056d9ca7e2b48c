"""The shipped polarity models: the one that reads word vectors carries polarity to words its
training sentences never showed, and is used only with the static model it was trained on."""

from __future__ import annotations

import numpy as np
import pytest

from outsidein.core.sentiment import AspectPolarity
from outsidein.core.voice_attributes import Attribute
from outsidein.core.voice_tagging import AttributeTagger
from outsidein.instruments import default_attributes
from outsidein.io.voice_files import read_attributes
from outsidein.io.voice_model import (
    StaticEncoder,
    default_model_dir,
    load_encoder,
    load_polarity_weights,
    load_shipped_polarity,
)
from tests.conftest import need
from tests.core.polarity_probe import LOGISTICS, RESTAURANT, probe
from tests.services.test_voice_tag import ATTRIBUTES


@pytest.fixture(scope="module")
def encoder() -> StaticEncoder:
    model = load_encoder()
    need(model is not None, f"static model not built in {default_model_dir()}")
    assert model is not None
    return model


def _logistics_attributes() -> list[Attribute]:
    return [Attribute.from_quality(a) for a in default_attributes()]


def _accuracy(
    polarity: AspectPolarity, tagger: AttributeTagger, nouns: tuple[tuple[str, str], ...]
) -> float:
    items = probe(nouns)
    ids = tagger.attribute_ids_
    batch = tagger.prepare([sentence for _, sentence, _ in items])
    predicted = polarity.predict(
        batch, list(range(len(items))), [ids.index(a) for a, _, _ in items]
    )
    return float(
        np.mean([p == expected for p, (_, _, expected) in zip(predicted, items, strict=True)])
    )


def test_the_vectors_model_reads_short_judgements_in_both_domains(encoder: StaticEncoder) -> None:
    """On the probe (zero-shot anchors, as for a firm without labels), reading word vectors
    lifts accuracy from 0.67 (restaurant) and 0.66 (logistics) to 0.75 and 0.77."""
    lexical = load_shipped_polarity()
    vectors = load_shipped_polarity(encoder)
    assert lexical.embedding_weight == 0 and vectors.embedding_weight > 0
    for attributes, nouns in (
        (read_attributes(ATTRIBUTES), RESTAURANT),
        (_logistics_attributes(), LOGISTICS),
    ):
        tagger = AttributeTagger(attributes, encoder).fit()
        with_vectors = _accuracy(vectors, tagger, nouns)
        assert with_vectors >= 0.72
        assert with_vectors >= _accuracy(lexical, tagger, nouns) + 0.05


def test_the_vectors_model_names_its_static_model(encoder: StaticEncoder) -> None:
    weights = load_polarity_weights(vectors=True)
    assert weights.vectors_sha256 == encoder.manifest["sha256"]
    assert weights.dense[:3] == ("anchor_affinity", "lexicon_positive", "lexicon_negative")
    assert weights.dense[3:] == tuple(f"vector_{i}" for i in range(encoder.encode(["x"]).shape[1]))
    other = StaticEncoder(encoder._model, encoder.directory, {**encoder.manifest, "sha256": "0"})
    assert load_shipped_polarity(other).embedding_weight == 0  # another build: lexical


def test_the_vectors_model_refuses_sentences_without_vectors(encoder: StaticEncoder) -> None:
    vectors = load_shipped_polarity(encoder)
    lexical_only = AttributeTagger(read_attributes(ATTRIBUTES)).fit()
    batch = lexical_only.prepare(["The waiter was polite."])
    with pytest.raises(ValueError, match="reads word vectors"):
        vectors.predict(batch, [0], [0])
