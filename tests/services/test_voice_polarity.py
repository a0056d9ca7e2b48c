"""The shipped polarity models: the one that reads word vectors carries polarity to words its
training sentences never showed, and is used only with the static model it was trained on."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from outsidein.core.sentiment import AspectPolarity, Polarity
from outsidein.core.voice_attributes import Attribute
from outsidein.core.voice_tagging import AttributeTagger
from outsidein.demo.customers import COMPLAINTS, EXAMPLES, PRAISE
from outsidein.instruments import default_attributes
from outsidein.io.voice_files import read_attributes
from outsidein.io.voice_model import (
    StaticEncoder,
    default_model_dir,
    load_encoder,
    load_polarity_weights,
    load_shipped_polarity,
)
from outsidein.services.voice import VoiceEngine, build_voice_engine
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


def _demo_engine(encoder: StaticEncoder, *, signed: bool) -> VoiceEngine:
    """Nordlicht's attributes (the demo firm's): its praise and complaints given as such, or
    the same phrases given as plain examples (the same tagging seeds, no signs)."""
    attributes = []
    for quality in default_attributes():
        praise, complaints = PRAISE.get(quality.id, ()), COMPLAINTS.get(quality.id, ())
        attribute = replace(Attribute.from_quality(quality), examples=EXAMPLES.get(quality.id, ()))
        if signed:
            attribute = replace(attribute, praise=praise, complaints=complaints)
        else:
            attribute = replace(
                attribute,
                examples=(*attribute.examples, *praise, *complaints),
                praise=(),
                complaints=(),
            )
        attributes.append(attribute)
    return build_voice_engine(attributes, encoder=encoder)


def test_praise_and_complaints_teach_polarity_the_firms_words(encoder: StaticEncoder) -> None:
    """The shipped model reads "late" as no complaint; Nordlicht's complaints ("late delivery")
    teach it, and both pairs and whole sentences are read with the correction."""
    sentences = ["The delivery was late.", "The delivery came on Monday."]
    plain = _demo_engine(encoder, signed=False)
    signed = _demo_engine(encoder, signed=True)
    assert plain.note == "" and signed.note.startswith("polarity corrected by 35 praise")
    complaints = signed.note.split("read as complaints most: ")[1].split(";")[0].split(", ")
    assert "late" in complaints and len(complaints) == 5
    assert plain.tagger.predict(sentences) == signed.tagger.predict(sentences)
    before, after = plain.analyse(sentences), signed.analyse(sentences)
    late_before, late_after = before.comments[0], after.comments[0]
    assert "reliability" in late_after.attributes
    assert dict(late_before.attribute_polarity)["reliability"] != Polarity.NEGATIVE
    assert dict(late_after.attribute_polarity)["reliability"] == Polarity.NEGATIVE
    assert late_after.polarity == Polarity.NEGATIVE
    # no word of the examples near it: read as before
    assert after.comments[1] == before.comments[1]
