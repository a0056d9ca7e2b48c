"""Customer evidence holds the self-assessment to account."""

from __future__ import annotations

import dataclasses

import polars as pl
import pytest

from outsidein.core.evidence import (
    QualityEvidence,
    quality_checks,
    quality_metrics,
)
from outsidein.core.gaps import UnderstandingGap, quality_gaps
from outsidein.core.readiness import ReadinessPolicy, assess_readiness, hold_against_evidence
from outsidein.demo import generate_demo_firm
from outsidein.demo.customers import CUSTOMER_VIEW, generate_customer_survey
from outsidein.instruments import load_instrument
from tests.core.simulation import simulate

INSTRUMENT = load_instrument()
ATTRIBUTES = list(CUSTOMER_VIEW)
POLICY = ReadinessPolicy(resamples=300)


def beliefs(staff: pl.DataFrame, prefix: str) -> pl.DataFrame:
    return staff.select(
        "respondent_id", "role", *[pl.col(f"{prefix}{a}").alias(a) for a in ATTRIBUTES]
    )


@pytest.fixture(scope="module")
def demo_gaps() -> QualityEvidence:
    staff = generate_demo_firm(INSTRUMENT).responses
    gaps = quality_gaps(
        beliefs(staff, "bi_imp__"),
        beliefs(staff, "bi_perf__"),
        generate_customer_survey(),
        attributes=ATTRIBUTES,
        overall="overall",
        seed=3,
        resamples=400,
    )
    return QualityEvidence(customers=None, gaps=gaps)


def test_demo_managers_misjudge_customer_priorities(demo_gaps: QualityEvidence) -> None:
    """The planted finding: managers rank price first, customers reliability."""
    assert demo_gaps.gaps is not None
    managers = demo_gaps.gaps.understanding["manager"]
    operational = demo_gaps.gaps.understanding["operational"]
    assert managers.tau < 0.35 < operational.ci_low  # type: ignore[union-attr]
    assert "reliability" in managers.underestimated  # type: ignore[union-attr]
    assert "price_value" in managers.overestimated  # type: ignore[union-attr]
    metric = quality_metrics(demo_gaps)["quality.understanding_tau_low"]
    assert metric.value == pytest.approx(managers.tau)  # type: ignore[union-attr]
    assert metric.ci_low == pytest.approx(managers.ci_low)  # type: ignore[union-attr]
    assert "manager" in metric.source
    delivery = demo_gaps.gaps.delivery["manager"]["reliability"]
    assert delivery.ci_low > 0.5  # type: ignore[union-attr]  # managers overrate delivery


def test_contradicted_aspect_fails_only_where_it_passed(demo_gaps: QualityEvidence) -> None:
    responses = simulate(INSTRUMENT, seed=1, base=6.0)
    before = assess_readiness(responses, INSTRUMENT, policy=POLICY, seed=1)
    assert before.verdict == "ready"
    strict = ReadinessPolicy(resamples=300, evidence_tau_floor=0.99)
    checks = quality_checks(demo_gaps, strict)
    after = hold_against_evidence(before, checks)
    contradicted = [
        (a.question, a.aspect, str(a.role)) for a in after.aspects if a.status == "contradicted"
    ]
    assert contradicted == [("Q", "U", "manager"), ("Q", "U", "operational")]
    assert after.verdict == "not_ready"
    reason = after.aspect("Q", "U", "manager").reason or ""
    assert "customer evidence does not support it" in reason and "τ =" in reason
    lenient = hold_against_evidence(before, quality_checks(demo_gaps, POLICY))
    assert lenient.aspect("Q", "U", "operational").status == "pass"
    assert lenient.aspect("Q", "U", "operational").evidence is not None
    # the demo's planted finding: managers' tau is low and named attributes are clearly
    # misranked; even where the interval's upper bound reaches the floor, that contradicts Q-U
    assert demo_gaps.gaps is not None
    managers = demo_gaps.gaps.understanding["manager"]
    assert isinstance(managers, UnderstandingGap) and managers.underestimated
    reaching = dataclasses.replace(managers, ci_high=POLICY.evidence_tau_floor + 0.01)
    wide = dataclasses.replace(
        demo_gaps,
        gaps=dataclasses.replace(
            demo_gaps.gaps, understanding={**demo_gaps.gaps.understanding, "manager": reaching}
        ),
    )
    held = hold_against_evidence(before, quality_checks(wide, POLICY))
    assert held.aspect("Q", "U", "manager").status == "contradicted"
    nothing_named = dataclasses.replace(reaching, overestimated=(), underestimated=())
    vague = dataclasses.replace(
        wide,
        gaps=dataclasses.replace(
            demo_gaps.gaps,
            understanding={**demo_gaps.gaps.understanding, "manager": nothing_named},
        ),
    )
    assert hold_against_evidence(before, quality_checks(vague, POLICY)).aspect(
        "Q", "U", "manager"
    ).status == "pass"


def test_suppressed_aspects_stay_suppressed(demo_gaps: QualityEvidence) -> None:
    responses = simulate(INSTRUMENT, seed=2, base=6.0, managers=3)
    before = assess_readiness(responses, INSTRUMENT, policy=POLICY, seed=2)
    after = hold_against_evidence(
        before, quality_checks(demo_gaps, ReadinessPolicy(evidence_tau_floor=0.99))
    )
    assert after.aspect("Q", "U", "manager").status == "suppressed"
    assert after.aspect("Q", "U", "manager").evidence is None


def test_no_evidence_no_checks() -> None:
    empty = QualityEvidence(customers=None, gaps=None)
    assert quality_checks(empty, POLICY) == ()
    assert quality_metrics(empty) == {}
