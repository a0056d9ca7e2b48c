"""Journey-model YAML: a full model, durations, and bad files with every problem named."""

from __future__ import annotations

from pathlib import Path

import pytest

from outsidein.core.conformance import ModelStep, StepGroup
from outsidein.io.journey_model import parse_duration, parse_journey_model, read_journey_model
from outsidein.io.problems import ImportRejected

MODEL = Path(__file__).resolve().parents[1] / "data" / "journeys" / "running_example_model.yaml"


def test_running_example_model_reads_into_the_core_type() -> None:
    model = read_journey_model(MODEL)
    assert model.name == "Request for compensation"
    assert model.partners == ("Ticket desk partner",)
    assert model.expected_completion_share == 0.9
    first, loop, examine, check, decide, outcome = model.elements
    assert isinstance(outcome, StepGroup) and outcome.alternatives[1][0].served_by == "customer"
    assert first == ModelStep(
        activity="register request",
        served_by="Front office",
        expected_share=1.0,
        expected_seconds=0.0,
    )
    assert isinstance(loop, StepGroup) and loop.repeatable and loop.optional
    assert [type(e).__name__ for e in loop.alternatives[0]] == [
        "StepGroup", "ModelStep", "ModelStep", "ModelStep",
    ]  # fmt: skip
    assert isinstance(examine, StepGroup) and len(examine.alternatives) == 2
    assert check == ModelStep(
        activity="check ticket", served_by="Ticket desk partner", expected_seconds=86400.0
    )
    assert isinstance(decide, ModelStep) and decide.expected_seconds == 172800.0
    assert model.end_steps() == ("pay compensation", "reject request")
    assert model.activities()[:3] == ("register request", "examine casually", "examine thoroughly")


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        (3600, 3600.0),
        (0, 0.0),
        (1.5, 1.5),
        ("90m", 5400.0),
        ("2d 4h", 187200.0),
        ("1w", 604800.0),
        ("45 s", 45.0),
        ("10min", 600.0),
        ("-1", None),
        (-5, None),
        ("soon", None),
        ("", None),
        (True, None),
        ("2d x", None),
    ],
)
def test_durations(text: object, seconds: float | None) -> None:
    assert parse_duration(text) == seconds


def test_bare_names_sequences_and_percentages() -> None:
    model = parse_journey_model(
        "expected_completion_share: 75%\n"
        "steps:\n"
        "  - visit\n"
        "  - either: [call, [mail, wait]]\n"
        "    optional: true\n"
    )
    assert model.name == "journey" and model.expected_completion_share == 0.75
    visit, choice = model.elements
    assert visit == ModelStep(activity="visit")
    assert isinstance(choice, StepGroup) and choice.optional
    assert choice.alternatives == (
        (ModelStep(activity="call"),),
        (ModelStep(activity="mail"), ModelStep(activity="wait")),
    )


def test_invalid_yaml_names_the_line() -> None:
    with pytest.raises(ImportRejected) as caught:
        parse_journey_model("steps:\n  - a\n  - [b\n", file="m.yaml")
    (problem,) = caught.value.problems
    assert problem.file == "m.yaml" and problem.row is not None and problem.row >= 3
    assert problem.reason.startswith("not valid YAML")


def test_every_problem_is_named_with_line_and_key() -> None:
    text = (
        "name: Onboarding\n"  # 1
        "expected_completion_share: 1.5\n"  # 2
        "colour: blue\n"  # 3
        "steps:\n"  # 4
        "  - step: sign up\n"  # 5
        "    optional: maybe\n"  # 6
        "    expected_duration: soon\n"  # 7
        "  - either: [only one]\n"  # 8
        "  - step: ''\n"  # 9
        "  - served_by: Sales\n"  # 10
    )
    with pytest.raises(ImportRejected) as caught:
        parse_journey_model(text, file="m.yaml")
    found = sorted((p.row or 0, p.column) for p in caught.value.problems)
    assert found == [
        (2, "expected_completion_share"),
        (3, "colour"),
        (6, "steps[0].optional"),
        (7, "steps[0].expected_duration"),
        (8, "steps[1].either"),
        (9, "steps[2].step"),
        (10, "steps[3]"),
    ]


@pytest.mark.parametrize("text", ["- a\n- b\n", "name: x\n", "steps: []\n", "steps: 5\n", ""])
def test_models_without_steps_are_rejected(text: str) -> None:
    with pytest.raises(ImportRejected):
        parse_journey_model(text)


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(ImportRejected, match="cannot read"):
        read_journey_model(tmp_path / "missing.yaml")
