"""The opt-in fine-tuned transformer: all-MiniLM-L6-v2 from its registry package, fine-tuned on
the CPU, blended into the supervised tagger, and `voice tag --fine-tune` end to end."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest
from typer.testing import CliRunner

from outsidein.cli import app
from outsidein.core.voice import analyse_voice
from outsidein.core.voice_attributes import Attribute, Dimension
from outsidein.core.voice_tagging import AttributeTagger
from outsidein.io.voice_model import load_shipped_polarity
from outsidein.io.voice_transformer import NAME, MiniLMFineTuner, transformer_available
from tests.conftest import need

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def _transformer_installed() -> None:
    need(
        transformer_available(),
        "the transformer extra is not installed (pip install -e '.[transformer]')",
    )


FOOD = Attribute(id="food", name="Food", description="The food and drinks.", examples=("food",))
STAFF = Attribute(
    id="staff",
    name="Staff",
    description="The people who serve.",
    dimension=Dimension.FUNCTIONAL,
    examples=("waiter",),
)
QUICK = MiniLMFineTuner(epochs=2, max_tokens=32, stride=8)


def _labelled(n: int = 60) -> tuple[list[str], list[tuple[str, ...]]]:
    """Sentences of food, of staff, of both and of neither; at least 50 of each attribute."""
    rng = np.random.default_rng(5)
    food = ["the soup was cold", "great pasta", "tasty burger", "bland rice", "fresh fish"]
    staff = ["rude waiter", "friendly server", "the hostess smiled", "our waiter forgot us"]
    texts: list[str] = []
    labels: list[tuple[str, ...]] = []
    for _ in range(n):
        a, b = str(rng.choice(food)), str(rng.choice(staff))
        texts += [a, b, f"{a} and {b}", "we came on a tuesday"]
        labels += [("food",), ("staff",), ("food", "staff"), ()]
    return texts, labels


def test_fine_tuning_learns_the_labels_offline() -> None:
    import torch

    texts, labels = _labelled()
    y = np.array([[int("food" in ls), int("staff" in ls)] for ls in labels])
    global_state = torch.get_rng_state()
    model = QUICK.fit(texts, y, random_state=0)
    assert torch.equal(torch.get_rng_state(), global_state)  # the caller's random state kept
    # sentences it never saw, in words it never saw labelled: what the transformer brings
    unseen = ["The lasagna was delicious.", "The bartender ignored us.", "It rained all day."]
    probabilities = model.probabilities(unseen)
    assert probabilities.shape == (3, 2)
    assert probabilities[0, 0] > probabilities[0, 1] + 0.2
    assert probabilities[1, 1] > probabilities[1, 0] + 0.2
    assert probabilities[2].max() < min(probabilities[0, 0], probabilities[1, 1])
    assert model.probabilities([]).shape == (0, 2)
    # a sentence far longer than a window: its late mention of staff is still read
    long = "we came on a tuesday " * 12 + "and our waiter forgot us"
    assert len(model.tokenizer(long)["input_ids"]) > 2 * QUICK.max_tokens
    import torch as _torch

    with _torch.inference_mode():
        cut = model.head(model.pooled(model.tokenize([long], windows=False)))
    cut_staff = float(_torch.sigmoid(cut)[0, 1])
    windowed = model.probabilities([long])[0]
    assert windowed[1] > cut_staff + 0.1, (windowed, cut_staff)
    # the same seed, the same model
    again = QUICK.fit(texts, y, random_state=0)
    np.testing.assert_allclose(again.probabilities(unseen), probabilities, atol=1e-6)
    assert not any(p.requires_grad or p.grad is not None for p in model.encoder.parameters())


def test_the_supervised_tagger_blends_it_at_its_weight() -> None:
    texts, labels = _labelled()
    plain = AttributeTagger((FOOD, STAFF), random_state=3).fit(texts, labels)
    blended = AttributeTagger(
        (FOOD, STAFF), random_state=3, transformer=QUICK, transformer_weight=0.3
    ).fit(texts, labels)
    assert blended.regime_ == "supervised" and blended.transformer_ is not None
    assert plain.transformer_ is None
    new = ["The lasagna was delicious.", "Our waiter forgot us and the soup was cold.", "!!!"]
    expected = 0.7 * plain.scores(new) + 0.3 * blended.transformer_.probabilities(new)
    expected[2] = plain.scores(new)[2]  # a sentence without words is the ensemble's alone
    np.testing.assert_allclose(blended.scores(new), expected)
    analysis = analyse_voice(new, tagger=blended, polarity=load_shipped_polarity())
    assert f"blended with {NAME} (weight 0.3), fitted on the labelled" in analysis.note
    assert "without the transformer" in analysis.note  # the CV score is the ensemble's alone
    with pytest.raises(ValueError, match="transformer_weight"):
        AttributeTagger((FOOD, STAFF), transformer=QUICK, transformer_weight=1.0).fit(texts, labels)


def test_few_labels_are_not_fine_tuned() -> None:
    texts, labels = _labelled(10)  # 20 sentences of each attribute: the few-shot regime
    tagger = AttributeTagger((FOOD, STAFF), transformer=QUICK).fit(texts, labels)
    assert tagger.regime_ == "few-shot" and tagger.transformer_ is None
    assert (
        "blended"
        not in analyse_voice(["great pasta"], tagger=tagger, polarity=load_shipped_polarity()).note
    )


ATTRS = """\
attributes:
  - {id: food, name: Food, description: The food and drinks., dimension: technical}
  - {id: staff, name: Staff, description: The people who serve., dimension: functional}
"""


def test_voice_tag_fine_tune(tmp_path: Path) -> None:
    attrs = tmp_path / "attrs.yaml"
    attrs.write_text(ATTRS, encoding="utf-8")
    texts, labels = _labelled()
    train = tmp_path / "labelled.csv"
    pl.DataFrame({"text": texts, "attributes": [";".join(ls) for ls in labels]}).write_csv(train)
    comments = tmp_path / "comments.csv"
    comments.write_text(
        "id,comment\n1,The lasagna was delicious.\n2,The bartender ignored us.\n", encoding="utf-8"
    )
    out = tmp_path / "out.csv"
    args = ["voice", "tag", str(comments), "--text", "comment", "--attributes", str(attrs)]
    args += ["--out", str(out), "--train", str(train)]
    done = CliRunner().invoke(app, [*args, "--fine-tune"])
    assert done.exit_code == 0, done.output
    assert f"blended with {NAME} (weight 0.5)" in done.output
    tagged = pl.read_csv(out)
    assert tagged["attributes"].to_list() == ["food", "staff"]
    # too few labelled sentences to fine-tune: said before anything is fitted
    few = tmp_path / "few.csv"
    pl.read_csv(train).head(40).write_csv(few)
    refused = CliRunner().invoke(app, [*args[:-1], str(few), "--fine-tune"])
    assert refused.exit_code == 2
    assert "--fine-tune needs at least 50 labelled sentences of each attribute" in refused.stderr
    assert "food (20), staff (20)" in refused.stderr
    alone = CliRunner().invoke(app, [*args[:-2], "--fine-tune"])
    assert alone.exit_code == 2 and "give --train LABELLED.csv" in alone.stderr
