"""No figure rests on fewer than k valid answers, and no hidden figure can be worked out.

Headcount is not enough: a respondent who skips a scale gives no score on it, so every rule is
checked on the valid scale scores of each aspect. The attacks are computed as an attacker would,
from the published JSON (mean x n of shown figures), against answers scored here by hand.
"""

from __future__ import annotations

import itertools
import json
import math

import numpy as np
import polars as pl
import pytest

from outsidein.core.instrument import Role
from outsidein.core.readiness import (
    ReadinessPolicy,
    ReadinessResult,
    assess_readiness,
    hidden_departments,
)
from outsidein.instruments import load_instrument
from tests.core.simulation import simulate

INSTRUMENT = load_instrument()
FAST = ReadinessPolicy(resamples=100)
K = FAST.anonymity_threshold
SCALES = [(q, a) for q in ("P", "Q") for a in ("U", "M", "O")]


def skip_scale(frame: pl.DataFrame, rows: list[int], question: str, aspect: str) -> pl.DataFrame:
    """``rows`` leave every item of one scale blank."""
    mask = pl.Series(np.isin(np.arange(frame.height), rows))
    ids = [i.id for i in INSTRUMENT.items_for(question=question, aspect=aspect)]
    return frame.with_columns([pl.when(mask).then(None).otherwise(pl.col(c)).alias(c) for c in ids])


def hand_scores(frame: pl.DataFrame, question: str, aspect: str) -> list[float | None]:
    """Each respondent's scale score, the slow obvious way: the mean of the answered items of
    their role (reverse keys flipped; customer side for U), if they answered half or more."""
    out: list[float | None] = []
    for row in frame.iter_rows(named=True):
        items = [
            i
            for i in INSTRUMENT.items_for(question=question, aspect=aspect, role=Role(row["role"]))
            if aspect != "U" or i.side == "customer"
        ]
        values = [
            (i.scale_min + i.scale_max - row[i.id]) if i.reverse else row[i.id]
            for i in items
            if row[i.id] is not None
        ]
        out.append(sum(values) / len(values) if len(values) >= math.ceil(len(items) / 2) else None)
    return out


def small_counts(data: object, path: str = "") -> list[str]:
    """Every n in the JSON (n, n_a, n_b) that is positive but below the threshold."""
    found: list[str] = []
    if isinstance(data, dict):
        for key, value in data.items():
            if key in ("n", "n_a", "n_b") and isinstance(value, int) and 0 < value < K:
                found.append(f"{path}.{key}={value}")
            found += small_counts(value, f"{path}.{key}")
    elif isinstance(data, list):
        for i, value in enumerate(data):
            found += small_counts(value, f"{path}[{i}]")
    return found


def published_totals(data: dict[str, object], question: str, aspect: str) -> dict[str, float]:
    """What an attacker reads from the JSON: sum and count of every shown figure of a scale."""
    totals: dict[str, float] = {}
    for a in data["aspects"]:  # type: ignore[attr-defined]
        if (a["question"], a["aspect"]) == (question, aspect) and a["score"] is not None:
            totals[f"role:{a['role']}"] = a["score"] * a["n"]
            totals[f"role:{a['role']}:n"] = a["n"]
    for d in data["departments"]:  # type: ignore[attr-defined]
        if (d["question"], d["aspect"]) == (question, aspect) and not d["suppressed"]:
            totals[f"dept:{d['department']}"] = d["estimate"] * d["n"]
            totals[f"dept:{d['department']}:n"] = d["n"]
    return totals


# --------------------------------------------------------------------------- defect A


def managers_one_skipping_q_o(managers: int = 5) -> pl.DataFrame:
    responses = simulate(INSTRUMENT, seed=11, managers=managers, operational=40)
    return skip_scale(responses, [0], "Q", "O")  # row 0 is a manager


def test_role_gap_is_withheld_when_a_role_has_fewer_than_k_scores_on_the_scale() -> None:
    responses = managers_one_skipping_q_o()
    result = assess_readiness(responses, INSTRUMENT, policy=FAST, seed=1)
    gaps = {(g.question, g.aspect): g for g in result.role_gaps}
    assert gaps[("Q", "O")].result is None
    entry = gaps[("Q", "O")].to_dict()
    assert entry["suppressed"] is True and "anonymity" in str(entry["reason"])
    assert "mean_a" not in entry and "n_a" not in entry and "hedges_g" not in entry
    # the five managers answered every other scale: those gaps stay, from 5 scores each
    shown = [g.result for key, g in gaps.items() if key != ("Q", "O")]
    assert all(r is not None and getattr(r, "n_a", None) == 5 for r in shown)
    aspect = result.aspect("Q", "O", "manager")
    assert aspect.status == "suppressed" and aspect.n is None and aspect.score is None
    assert aspect.reasons == ("managers: fewer than 5 answers to Q-O, not shown (anonymity)",)
    agreement = next(
        a for a in result.agreement if (a.question, a.aspect, a.role) == ("Q", "O", "manager")
    )
    assert agreement.result is None  # rwg from 4 complete answers would show n=4
    assert small_counts(result.to_dict()) == []


def test_role_gap_is_shown_at_exactly_k_scores() -> None:
    responses = managers_one_skipping_q_o(managers=6)
    result = assess_readiness(responses, INSTRUMENT, policy=FAST, seed=1)
    gap = next(g for g in result.role_gaps if (g.question, g.aspect) == ("Q", "O"))
    assert gap.result is not None
    assert (getattr(gap.result, "n_a", None), getattr(gap.result, "n_b", None)) == (5, 40)
    assert result.aspect("Q", "O", "manager").n == 5


def test_hidden_role_cannot_be_worked_out_from_the_department_table() -> None:
    """Departments pool both roles: with every department shown, their totals minus the
    operational staff's total would be the four managers' Q-O total."""
    responses = managers_one_skipping_q_o()
    result = assess_readiness(responses, INSTRUMENT, policy=FAST, seed=1)
    data = result.to_dict()
    totals = published_totals(data, "Q", "O")
    assert "role:manager" not in totals
    scores = hand_scores(responses, "Q", "O")
    managers = [s for s, r in zip(scores, responses["role"], strict=True) if r == "manager"]
    hidden_mean = float(np.mean([s for s in managers if s is not None]))
    departments = [k for k in totals if k.startswith("dept:") and not k.endswith(":n")]
    rest = sum(totals[d] for d in departments) - totals["role:operational"]
    rest_n = sum(totals[f"{d}:n"] for d in departments) - totals["role:operational:n"]
    assert rest_n != 4 or not math.isclose(rest / rest_n, hidden_mean)
    assert len(departments) < 4  # at least one of D0..D3 is hidden on Q-O
    # on scales every manager answered, the departments stay shown
    assert all(
        d.score is not None for d in result.departments if (d.question, d.aspect) != ("Q", "O")
    )
    assert small_counts(data) == []


# --------------------------------------------------------------------------- defect B


def audit_firm() -> pl.DataFrame:
    """Audit: 2 managers and 3 operational staff; one of them skipped every Q-O item."""
    layout = [("Audit", 2, 3), ("Sales", 6, 14), ("Service", 6, 20), ("Warehouse", 6, 30)]
    managers = sum(m for _, m, _ in layout)
    operational = sum(o for _, _, o in layout)
    responses = simulate(INSTRUMENT, seed=12, managers=managers, operational=operational)
    departments = [d for d, m, _ in layout for _ in range(m)] + [
        d for d, _, o in layout for _ in range(o)
    ]
    responses = responses.with_columns(pl.Series("department", departments))
    audit_operational = managers + 0  # the first operational row, in Audit
    return skip_scale(responses, [audit_operational], "Q", "O")


def test_department_hidden_on_one_scale_cannot_be_recovered_by_subtraction() -> None:
    responses = audit_firm()
    result = assess_readiness(responses, INSTRUMENT, policy=FAST, seed=2)
    data = result.to_dict()
    totals = published_totals(data, "Q", "O")
    assert "dept:Audit" not in totals
    # the attack: both roles' totals minus the shown departments' totals
    departments = [k for k in totals if k.startswith("dept:") and not k.endswith(":n")]
    left = totals["role:manager"] + totals["role:operational"] - sum(totals[d] for d in departments)
    left_n = (
        totals["role:manager:n"]
        + totals["role:operational:n"]
        - sum(totals[f"{d}:n"] for d in departments)
    )
    scores = hand_scores(responses, "Q", "O")
    audit = [
        s
        for s, d in zip(scores, responses["department"], strict=True)
        if d == "Audit" and s is not None
    ]
    assert len(audit) == 4
    hidden = {
        d.department
        for d in result.departments
        if d.question == "Q" and d.aspect == "O" and d.score is None
    }
    pooled = [
        s
        for s, d in zip(scores, responses["department"], strict=True)
        if d in hidden and s is not None
    ]
    # what the attacker gets is the pooled mean of every hidden department, from >= k answers
    assert left_n == len(pooled) >= K
    assert math.isclose(left / left_n, float(np.mean(pooled)), abs_tol=1e-9)
    assert not math.isclose(left / left_n, float(np.mean(audit)), abs_tol=1e-6)
    assert small_counts(data) == []


def test_suppression_is_decided_per_scale() -> None:
    result = assess_readiness(audit_firm(), INSTRUMENT, policy=FAST, seed=2)
    hidden = {
        (d.question, d.aspect): {
            e.department
            for e in result.departments
            if (e.question, e.aspect) == (d.question, d.aspect) and e.score is None
        }
        for d in result.departments
    }
    assert "Audit" in hidden[("Q", "O")] and len(hidden[("Q", "O")]) >= 2
    for scale in SCALES:
        if scale != ("Q", "O"):  # all five in Audit answered: nothing to hide
            assert hidden[scale] == set(), scale
    audit_p_m = next(
        d for d in result.departments if (d.department, d.question, d.aspect) == ("Audit", "P", "M")
    )
    assert audit_p_m.score is not None and audit_p_m.score.n == 5


# --------------------------------------------------------------------------- the rule itself


@pytest.mark.parametrize(
    ("counts", "published", "hidden"),
    [
        # both roles in every department, 5+ of each shown: nothing to hide
        ({"A": {"m": 5, "o": 10}, "B": {"m": 6, "o": 12}}, {"m", "o"}, set()),
        # Audit has 4 answers; hiding it alone would give it away, so Ops (tied size, first
        # by name) goes too; 2 managers + 5 in Sales' smaller role keep every difference >= 5
        (
            {"Audit": {"m": 2, "o": 2}, "Sales": {"m": 5, "o": 15}, "Ops": {"m": 0, "o": 20}},
            {"m", "o"},
            {"Audit", "Ops"},
        ),
        # managers - Board = the one manager in C; hiding Board leaves ops - C = that manager
        (
            {"A": {"m": 0, "o": 30}, "Board": {"m": 5, "o": 0}, "C": {"m": 1, "o": 20}},
            {"m", "o"},
            {"Board", "C"},
        ),
        # managers hidden (4): all departments minus the operational total = the 4 managers
        (
            {"A": {"m": 1, "o": 10}, "B": {"m": 1, "o": 10}, "C": {"m": 2, "o": 10}},
            {"o"},
            {"A"},
        ),
        # a department where nobody answered the scale hides nothing of anyone
        (
            {"A": {"m": 0, "o": 0}, "B": {"m": 10, "o": 10}, "C": {"m": 8, "o": 9}},
            {"m", "o"},
            {"A"},
        ),
        # no role shown: only departments' own sizes matter, as in hidden_groups
        ({"A": {"m": 4, "o": 4}, "B": {"m": 3, "o": 0}, "C": {"m": 1, "o": 1}}, set(), {"B", "C"}),
    ],
)
def test_hidden_departments_hand_computed(
    counts: dict[str, dict[str, int]], published: set[str], hidden: set[str]
) -> None:
    assert hidden_departments(counts, published, 5) == hidden


def leaking_cells(
    cells: dict[tuple[str, str], int], published: list[list[tuple[str, str]]]
) -> list[tuple[tuple[str, str], ...]]:
    """Sets of role x department cells holding 1..k-1 answers that some figure derivable from
    the published sums rests on entirely (slow and obvious: a rank test per set).

    A linear combination of the published sums that weighs nothing outside ``S`` exists iff
    rank(A) > rank(A without the columns of S), A being published sums x cells."""
    names = [c for c, n in cells.items() if n > 0]
    if not published:
        return []
    a = np.array([[1.0 if c in figure else 0.0 for c in names] for figure in published])
    rank = np.linalg.matrix_rank(a)
    small = [c for c in names if cells[c] < K]
    leaks = []
    for size in range(1, len(small) + 1):
        for subset in itertools.combinations(small, size):
            if sum(cells[c] for c in subset) >= K:
                continue
            rest = [j for j, c in enumerate(names) if c not in subset]
            rank_rest = np.linalg.matrix_rank(a[:, rest]) if rest else 0
            if rank_rest < rank:
                leaks.append(subset)
    return leaks


def random_firm(seed: int) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    managers, operational = int(rng.integers(3, 12)), int(rng.integers(8, 40))
    responses = simulate(INSTRUMENT, seed=seed, managers=managers, operational=operational)
    names = [f"D{i}" for i in range(int(rng.integers(2, 6)))]
    weights = rng.dirichlet(np.ones(len(names)) * 0.7)
    departments = [names[i] for i in rng.choice(len(names), size=responses.height, p=weights)]
    responses = responses.with_columns(pl.Series("department", departments))
    for question, aspect in SCALES:
        skipped = np.flatnonzero(rng.random(responses.height) < 0.15).tolist()
        responses = skip_scale(responses, skipped, question, aspect)
    return responses


def check_no_leak(responses: pl.DataFrame, result: ReadinessResult) -> None:
    data = result.to_dict()
    assert small_counts(data) == []
    roles = responses["role"].to_list()
    departments = responses["department"].to_list()
    for question, aspect in SCALES:
        scores = hand_scores(responses, question, aspect)
        cells: dict[tuple[str, str], int] = {}
        for s, r, d in zip(scores, roles, departments, strict=True):
            cells[(r, d)] = cells.get((r, d), 0) + (s is not None)
        figures: list[list[tuple[str, str]]] = []
        for a in result.aspects:
            if (a.question, a.aspect) == (question, aspect) and a.score is not None:
                cell_list = [c for c in cells if c[0] == a.role]
                assert a.n == sum(cells[c] for c in cell_list)  # the same answers as here
                figures.append(cell_list)
        for d in result.departments:
            if (d.question, d.aspect) == (question, aspect) and d.score is not None:
                cell_list = [c for c in cells if c[1] == d.department]
                assert d.score.n == sum(cells[c] for c in cell_list)
                figures.append(cell_list)
        assert leaking_cells(cells, figures) == [], (question, aspect, cells)


@pytest.mark.parametrize("seed", range(25))
def test_no_small_group_is_derivable_in_random_small_firms(seed: int) -> None:
    responses = random_firm(seed)
    check_no_leak(responses, assess_readiness(responses, INSTRUMENT, policy=FAST, seed=seed))


@pytest.mark.parametrize("build", [managers_one_skipping_q_o, audit_firm])
def test_no_small_group_is_derivable_in_the_reported_cases(build: object) -> None:
    responses = build()  # type: ignore[operator]
    check_no_leak(responses, assess_readiness(responses, INSTRUMENT, policy=FAST, seed=3))


def test_the_leak_check_finds_the_old_leaks() -> None:
    """The brute-force check itself: it flags the two published attacks."""
    cells = {("m", "A"): 2, ("o", "A"): 2, ("m", "B"): 10, ("o", "B"): 10}
    both_roles = [[("m", "A"), ("m", "B")], [("o", "A"), ("o", "B")]]
    assert leaking_cells(cells, [*both_roles, [("m", "B"), ("o", "B")]]) != []  # defect B
    four_managers = {("m", "A"): 2, ("o", "A"): 10, ("m", "B"): 2, ("o", "B"): 10}
    ops = [[("o", "A"), ("o", "B")]]
    departments = [[("m", "A"), ("o", "A")], [("m", "B"), ("o", "B")]]
    assert leaking_cells(four_managers, ops + departments) != []  # the hidden managers
    assert leaking_cells(four_managers, ops + departments[:1]) == []


def test_reliability_needs_k_complete_answers() -> None:
    responses = simulate(INSTRUMENT, seed=13, managers=10, operational=20)
    keep = np.arange(responses.height) < 4
    responses = responses.with_columns(
        pl.when(pl.Series(keep)).then(pl.col("pm1")).otherwise(None).alias("pm1")
    )
    result = assess_readiness(responses, INSTRUMENT, policy=FAST, seed=4)
    assert result.reliability["P-M"] is None  # alpha from 4 complete answers would show n=4
    assert result.reliability["P-O"] is not None
    assert small_counts(json.loads(json.dumps(result.to_dict()))) == []


def test_the_summary_counts_withheld_aspects_apart_from_failing_ones() -> None:
    result = assess_readiness(managers_one_skipping_q_o(), INSTRUMENT, policy=FAST, seed=1)
    passed = sum(a.passed for a in result.aspects)
    failed = sum(not a.passed and a.status != "suppressed" for a in result.aspects)
    assert [a.status for a in result.withheld] == ["suppressed"]
    expected = f"{passed} of 12 aspects pass"
    expected += f"; {failed} fail" if failed else ""
    assert result.summary() == expected + "; 1 withheld (fewer than 5 answers)."
    assert result.answered and result.to_dict()["summary"] == result.summary()
    empty = assess_readiness(
        managers_one_skipping_q_o().clear(), INSTRUMENT, policy=FAST, seed=1
    )
    assert not empty.answered and empty.summary() == "No staff answers yet."
