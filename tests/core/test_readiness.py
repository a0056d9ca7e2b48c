"""The verdict finds planted gaps, raises no false alarm, and never shows small groups."""

from __future__ import annotations

import json

import numpy as np
import pytest

from outsidein.core.instrument import aspect_keys
from outsidein.core.readiness import ReadinessPolicy, assess_readiness
from outsidein.instruments import load_instrument
from tests.core.simulation import simulate

INSTRUMENT = load_instrument()
FAST = ReadinessPolicy(resamples=400)


@pytest.mark.parametrize("seed", range(12))
def test_no_false_alarm_when_every_aspect_is_clearly_fine(seed: int) -> None:
    responses = simulate(INSTRUMENT, seed=seed, base=6.0)
    result = assess_readiness(responses, INSTRUMENT, policy=FAST, seed=seed)
    assert result.verdict == "ready", [a.reason for a in result.failing]
    assert len(result.aspects) == 12
    assert {(a.question, a.aspect, a.role) for a in result.aspects} == {
        (k.question, k.aspect, k.role) for k in aspect_keys()
    }


@pytest.mark.parametrize("seed", range(12))
def test_planted_failing_aspect_is_found_and_only_it(seed: int) -> None:
    planted = {("Q-O", None, "operational"): 4.3}
    responses = simulate(INSTRUMENT, seed=seed, means=planted)
    result = assess_readiness(responses, INSTRUMENT, policy=FAST, seed=seed)
    assert result.verdict == "not_ready"
    failing = [(a.question, a.aspect, str(a.role)) for a in result.failing]
    assert failing == [("Q", "O", "operational")]
    reason = result.aspect("Q", "O", "operational").reason or ""
    assert reason.startswith("operational staff: customer-perceived quality is not reflected")
    assert "< 5.0" in reason


@pytest.mark.parametrize("seed", range(10))
def test_planted_parity_gap_fails_on_parity_not_on_score(seed: int) -> None:
    planted = {("P-U", "customer", "manager"): 5.6, ("P-U", "own", "manager"): 6.7}
    responses = simulate(INSTRUMENT, seed=seed, means=planted, managers=60)
    result = assess_readiness(responses, INSTRUMENT, policy=FAST, seed=seed)
    aspect = result.aspect("P", "U", "manager")
    assert aspect.status == "fail"
    assert aspect.parity is not None and aspect.parity.high < 0.95
    assert len(aspect.reasons) == 1 and "parity" in aspect.reasons[0]
    assert [a for a in result.failing] == [aspect]


@pytest.mark.parametrize("seed", range(10))
def test_manager_operational_split_is_measured(seed: int) -> None:
    planted = {("P-M", None, "manager"): 6.0, ("P-M", None, "operational"): 4.5}
    responses = simulate(INSTRUMENT, seed=seed, means=planted)
    result = assess_readiness(responses, INSTRUMENT, policy=FAST, seed=seed)
    gap = next(g for g in result.role_gaps if (g.question, g.aspect) == ("P", "M"))
    assert gap.result is not None and hasattr(gap.result, "hedges_g")
    assert gap.result.ci_low > 0.8  # type: ignore[union-attr]
    assert gap.result.hedges_g > 1.0  # type: ignore[union-attr]
    others = [g for g in result.role_gaps if (g.question, g.aspect) != ("P", "M")]
    assert all(g.result.ci_low < 0.6 for g in others)  # type: ignore[union-attr]


def test_small_role_group_is_suppressed_everywhere() -> None:
    responses = simulate(INSTRUMENT, seed=1, managers=4, operational=80)
    result = assess_readiness(responses, INSTRUMENT, policy=FAST, seed=1)
    managers = [a for a in result.aspects if a.role == "manager"]
    assert all(a.status == "suppressed" and a.score is None and a.n is None for a in managers)
    assert result.verdict == "not_ready"  # a suppressed aspect cannot pass
    data = result.to_dict()
    text = json.dumps(data)
    for entry in data["aspects"]:  # type: ignore[union-attr]
        if entry["role"] == "manager":
            assert entry["score"] is None and entry["ci_low"] is None and entry["n"] is None
    assert all(g.result is None for g in result.role_gaps)
    assert all(a.result is None for a in result.agreement if a.role == "manager")
    assert data["respondents"] == {"manager": None, "operational": 80}
    assert "anonymity" in text


def test_small_department_is_suppressed_but_large_ones_shown() -> None:
    departments = {"Big": 120, "Mid": 76, "Tiny": 4}
    responses = simulate(INSTRUMENT, seed=2, managers=40, operational=160, departments=departments)
    result = assess_readiness(responses, INSTRUMENT, policy=FAST, seed=2)
    tiny = [d for d in result.departments if d.department == "Tiny"]
    assert tiny and all(d.score is None for d in tiny)
    assert all(d.score is not None for d in result.departments if d.department == "Big")


def test_thresholds_are_configurable() -> None:
    responses = simulate(INSTRUMENT, seed=3, base=5.6)
    strict = assess_readiness(
        responses, INSTRUMENT, policy=ReadinessPolicy(resamples=400, score_threshold=6.5), seed=3
    )
    lenient = assess_readiness(
        responses, INSTRUMENT, policy=ReadinessPolicy(resamples=400, score_threshold=4.0), seed=3
    )
    assert strict.verdict == "not_ready" and len(strict.failing) == 12
    assert lenient.verdict == "ready"


def test_same_seed_same_result_and_json_has_no_nan() -> None:
    responses = simulate(INSTRUMENT, seed=4)
    a = assess_readiness(responses, INSTRUMENT, policy=FAST, seed=9)
    b = assess_readiness(responses, INSTRUMENT, policy=FAST, seed=9)
    assert a.to_dict() == b.to_dict()
    json.dumps(a.to_dict(), allow_nan=False)


def test_missing_answers_lower_n_not_score() -> None:
    responses = simulate(INSTRUMENT, seed=5)
    ids = [i.id for i in INSTRUMENT.items_for(question="Q", aspect="M")]
    mask = np.zeros(responses.height, dtype=bool)
    mask[:30] = True  # the first 30 (managers) skipped the whole Q-M scale
    import polars as pl

    blanked = responses.with_columns(
        [pl.when(pl.Series(mask)).then(None).otherwise(pl.col(c)).alias(c) for c in ids]
    )
    result = assess_readiness(blanked, INSTRUMENT, policy=FAST, seed=5)
    assert result.aspect("Q", "M", "manager").n == 10
    assert result.aspect("Q", "M", "operational").n == 160


def test_policy_validation() -> None:
    with pytest.raises(ValueError, match="anonymity"):
        ReadinessPolicy(anonymity_threshold=1)
    with pytest.raises(ValueError, match="level"):
        ReadinessPolicy(level=1.5)


@pytest.mark.parametrize(
    ("sizes", "hidden"),
    [
        ({"A": 40, "B": 30, "C": 4}, {"B", "C"}),  # 4 alone is recoverable: B hides too
        ({"A": 40, "B": 30, "C": 4, "D": 3}, {"C", "D"}),  # 7 hidden people: safe
        ({"A": 40, "B": 30}, set()),
        ({"A": 3, "B": 2}, {"A", "B"}),
    ],
)
def test_complementary_suppression(sizes: dict[str, int], hidden: set[str]) -> None:
    from outsidein.core.readiness import hidden_groups

    assert hidden_groups(sizes, 5) == hidden


def test_one_small_department_cannot_be_recovered_by_subtraction() -> None:
    departments = {"Big": 150, "Mid": 46, "Tiny": 4}
    responses = simulate(INSTRUMENT, seed=6, managers=40, operational=160, departments=departments)
    result = assess_readiness(responses, INSTRUMENT, policy=FAST, seed=6)
    shown = {d.department for d in result.departments if d.score is not None}
    assert shown == {"Big"}
