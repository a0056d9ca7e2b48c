"""The readiness verdict: twelve aspects, each judged on the lower bound of its interval.

Grönroos: a firm is ready to be customer-focused only if every aspect of two questions
(P: customers' processes and ecosystems; Q: customer-perceived quality) is answered yes in
three respects (U: understood as well as our own; M: reflected in management processes;
O: reflected in operational processes) by managers *and* by operational personnel.

An aspect passes when the lower confidence bound of its mean score clears
``score_threshold`` and, for U aspects, the lower bound of the parity index (customer-side
score / own-side score) clears ``parity_threshold``. Judging the lower bound rather than the
mean means a small or divided group cannot pass by luck.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from itertools import product
from typing import Literal

import numpy as np
import numpy.typing as npt
import polars as pl

from outsidein.core.anonymity import hidden_groups
from outsidein.core.instrument import (
    ROLES,
    AspectKey,
    Instrument,
    Item,
    Role,
    aspect_keys,
    pick,
)
from outsidein.core.psychometrics import (
    Agreement,
    GroupDifference,
    NotEstimable,
    Reliability,
    agreement,
    group_difference,
    reliability,
    scale_scores,
)
from outsidein.core.resampling import Interval, bootstrap_mean, bootstrap_ratio_of_means

AspectStatus = Literal["pass", "fail", "suppressed", "not_estimable", "contradicted"]

ROLE_LABELS: Mapping[str, Mapping[str, str]] = {
    "en": {"manager": "managers", "operational": "operational staff"},
    "fi": {"manager": "esihenkilöt", "operational": "operatiivinen henkilöstö"},
    "de": {"manager": "Führungskräfte", "operational": "operatives Personal"},
}


def role_label(role: Role | str, language: str = "en") -> str:
    return ROLE_LABELS.get(language, ROLE_LABELS["en"])[str(role)]


@dataclass(frozen=True, slots=True, kw_only=True)
class ReadinessPolicy:
    """Thresholds and methods of the verdict; every field is a documented, typed option."""

    score_threshold: float = 5.0
    parity_threshold: float = 0.9
    anonymity_threshold: int = 5
    evidence_tau_floor: float = 0.3
    evidence_fitness_floor: float = 0.8
    level: float = 0.95
    resamples: int = 2000
    min_answered: float = 0.5
    language: str = "en"

    def __post_init__(self) -> None:
        if not 0.5 < self.level < 1.0:
            raise ValueError("level must be between 0.5 and 1")
        if self.anonymity_threshold < 2:
            raise ValueError("the anonymity threshold must be at least 2")
        if self.resamples < 100:
            raise ValueError("use at least 100 bootstrap resamples")
        if not 0.0 < self.min_answered <= 1.0:
            raise ValueError("min_answered is a share in (0, 1]")
        if self.parity_threshold <= 0:
            raise ValueError("the parity threshold must be positive")


@dataclass(frozen=True, slots=True, kw_only=True)
class AspectScore:
    """One of the twelve aspects: a question x aspect x role cell of the readiness grid."""

    question: str
    aspect: str
    role: Role
    status: AspectStatus
    n: int | None
    score: Interval | None
    parity: Interval | None
    reasons: tuple[str, ...]
    evidence: str | None = None  # what customer evidence says about this aspect, if measured

    @property
    def passed(self) -> bool:
        return self.status == "pass"

    @property
    def reason(self) -> str | None:
        return "; ".join(self.reasons) if self.reasons else None

    def to_dict(self) -> dict[str, object]:
        return {
            "question": self.question,
            "aspect": self.aspect,
            "role": str(self.role),
            "status": self.status,
            "score": None if self.score is None else self.score.estimate,
            "ci_low": None if self.score is None else self.score.low,
            "ci_high": None if self.score is None else self.score.high,
            "n": self.n,
            "parity": None if self.parity is None else self.parity.estimate,
            "parity_ci_low": None if self.parity is None else self.parity.low,
            "parity_ci_high": None if self.parity is None else self.parity.high,
            "passed": self.passed,
            "reason": self.reason,
            "evidence": self.evidence,
            "method": None if self.score is None else self.score.method,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class RoleGap:
    """Managers minus operational staff on one readiness scale."""

    question: str
    aspect: str
    # None: a role has fewer valid scores on this scale than the anonymity threshold
    result: GroupDifference | NotEstimable | None

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"question": self.question, "aspect": self.aspect}
        if self.result is None:
            out.update(
                suppressed=True,
                reason="a role has fewer answers on this scale than the anonymity threshold: "
                "withheld for anonymity",
            )
        else:
            out.update(self.result.to_dict())
        return out


@dataclass(frozen=True, slots=True, kw_only=True)
class AspectAgreement:
    question: str
    aspect: str
    role: Role
    result: Agreement | NotEstimable | None  # None: suppressed

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {
            "question": self.question,
            "aspect": self.aspect,
            "role": str(self.role),
        }
        if self.result is None:
            out.update(suppressed=True, rwg=None)
        else:
            out.update(self.result.to_dict())
        return out


@dataclass(frozen=True, slots=True, kw_only=True)
class DepartmentScore:
    """A scale's mean in one department (both roles); ``score`` is None when suppressed."""

    question: str
    aspect: str
    department: str
    score: Interval | None

    def to_dict(self) -> dict[str, object]:
        return {
            "question": self.question,
            "aspect": self.aspect,
            "department": self.department,
            "suppressed": self.score is None,
            **({} if self.score is None else self.score.to_dict()),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class ReadinessResult:
    """The verdict, the twelve aspects and the statistics behind them."""

    aspects: tuple[AspectScore, ...]
    role_gaps: tuple[RoleGap, ...]
    reliability: Mapping[str, Reliability | NotEstimable | None]
    agreement: tuple[AspectAgreement, ...]
    departments: tuple[DepartmentScore, ...]
    respondents: Mapping[str, int | None]
    policy: ReadinessPolicy = field(default_factory=ReadinessPolicy)
    answered: bool = True  # False: nobody has answered yet, so there is no verdict to give

    @property
    def ready(self) -> bool:
        return len(self.aspects) == 12 and all(a.passed for a in self.aspects)

    @property
    def verdict(self) -> Literal["ready", "not_ready"]:
        return "ready" if self.ready else "not_ready"

    @property
    def failing(self) -> tuple[AspectScore, ...]:
        return tuple(a for a in self.aspects if not a.passed)

    @property
    def withheld(self) -> tuple[AspectScore, ...]:
        """Aspects not shown for anonymity: they cannot pass, but they are not shown to fail."""
        return tuple(a for a in self.aspects if a.status == "suppressed")

    def summary(self) -> str:
        """"7 of 12 aspects pass; 3 fail; 2 withheld (fewer than 5 answers)", or that nobody
        has answered yet."""
        if not self.answered:
            return "No staff answers yet."
        passed = sum(a.passed for a in self.aspects)
        failed = len(self.failing) - len(self.withheld)
        text = f"{passed} of {len(self.aspects)} aspects pass"
        if failed:
            text += f"; {failed} fail"
        if self.withheld:
            text += (
                f"; {len(self.withheld)} withheld (fewer than "
                f"{self.policy.anonymity_threshold} answers)"
            )
        return text + "."

    def aspect(self, question: str, aspect: str, role: Role | str) -> AspectScore:
        for a in self.aspects:
            if a.question == question and a.aspect == aspect and a.role == role:
                return a
        raise KeyError((question, aspect, role))

    def to_frame(self) -> pl.DataFrame:
        return pl.DataFrame([a.to_dict() for a in self.aspects])

    def to_dict(self) -> dict[str, object]:
        return {
            "verdict": self.verdict,
            "answered": self.answered,
            "summary": self.summary(),
            "aspects": [a.to_dict() for a in self.aspects],
            "failing": [a.reason for a in self.failing],
            "respondents": dict(self.respondents),
            "role_gaps": [g.to_dict() for g in self.role_gaps],
            "departments": [d.to_dict() for d in self.departments],
            "policy": {
                "score_threshold": self.policy.score_threshold,
                "parity_threshold": self.policy.parity_threshold,
                "anonymity_threshold": self.policy.anonymity_threshold,
                "level": self.policy.level,
                "resamples": self.policy.resamples,
            },
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class EvidenceCheck:
    """Customer evidence about one aspect: does it support what the staff say?"""

    question: str
    aspect: str
    role: Role
    supported: bool
    note: str


def hold_against_evidence(
    result: ReadinessResult, checks: tuple[EvidenceCheck, ...]
) -> ReadinessResult:
    """The verdict after holding self-assessment against customer evidence.

    An aspect that passes on the staff's answers but that the evidence contradicts (a large
    understanding gap for Q-U, a journey model that real journeys do not follow for P-U)
    becomes ``contradicted`` and fails: outsidein never takes the firm's word for it.
    """
    by_key = {(c.question, c.aspect, str(c.role)): c for c in checks}
    aspects = []
    for a in result.aspects:
        check = by_key.get((a.question, a.aspect, str(a.role)))
        if check is None or a.status == "suppressed":
            aspects.append(a)
            continue
        label = role_label(a.role, result.policy.language)
        if a.passed and not check.supported:
            aspects.append(
                replace(
                    a,
                    status="contradicted",
                    evidence=check.note,
                    reasons=(
                        *a.reasons,
                        f"{label}: {a.question}-{a.aspect} passes on staff answers but "
                        f"customer evidence does not support it: {check.note}",
                    ),
                )
            )
        else:
            aspects.append(replace(a, evidence=check.note))
    return replace(result, aspects=tuple(aspects))


# --------------------------------------------------------------------------- scoring helpers


@dataclass(frozen=True, slots=True, eq=False)
class Answers:
    """Every respondent's answers as one float matrix (reverse keys applied, NaN = missing).

    Built once per assessment from the responses table; groups (roles, departments) are row
    selections of it, so no statistic converts the table again.
    """

    values: npt.NDArray[np.float64]
    columns: Mapping[str, int]
    roles: npt.NDArray[np.str_]
    departments: npt.NDArray[np.str_]

    @classmethod
    def from_frame(cls, responses: pl.DataFrame, instrument: Instrument) -> Answers:
        for column in ("role", "department"):
            if column not in responses.columns:
                raise ValueError(f"responses need a {column!r} column")
        items = instrument.items
        values = item_matrix(responses, items)
        return cls(
            values=values,
            columns={item.id: i for i, item in enumerate(items)},
            roles=responses.get_column("role").cast(pl.String).to_numpy().astype(str),
            departments=responses.get_column("department").cast(pl.String).to_numpy().astype(str),
        )

    @property
    def height(self) -> int:
        return int(self.values.shape[0])

    def subset(self, rows: npt.NDArray[np.bool_]) -> Answers:
        return Answers(
            values=self.values[rows],
            columns=self.columns,
            roles=self.roles[rows],
            departments=self.departments[rows],
        )

    def matrix(self, items: tuple[Item, ...]) -> npt.NDArray[np.float64]:
        if not items:
            return np.empty((self.height, 0))
        return self.values[:, [self.columns[item.id] for item in items]]


def item_matrix(responses: pl.DataFrame, items: tuple[Item, ...]) -> npt.NDArray[np.float64]:
    """The answers to ``items`` as floats, reverse keys applied, NaN where missing."""
    if not items:
        return np.empty((responses.height, 0))
    present = [item.id for item in items if item.id in responses.columns]
    block = (
        responses.select(pl.col(present).cast(pl.Float64)).to_numpy()
        if present
        else np.empty((responses.height, 0))
    )
    x = np.full((responses.height, len(items)), np.nan)
    where = {item_id: i for i, item_id in enumerate(present)}
    for j, item in enumerate(items):
        if item.id in where:
            x[:, j] = block[:, where[item.id]]
    x = np.where(np.isfinite(x), x, np.nan)
    lo = np.array([i.scale_min for i in items], dtype=np.float64)
    hi = np.array([i.scale_max for i in items], dtype=np.float64)
    rev = np.array([i.reverse for i in items])
    x[:, rev] = lo[rev] + hi[rev] - x[:, rev]
    return x


def _format(interval: Interval, digits: int) -> str:
    return f"{interval.estimate:.{digits}f} [{interval.low:.{digits}f}–{interval.high:.{digits}f}]"


def _score_aspect(
    key: AspectKey,
    group: Answers,
    instrument: Instrument,
    policy: ReadinessPolicy,
    rng: np.random.Generator,
) -> AspectScore:
    label = role_label(key.role, policy.language)
    scale = key.scale
    failing_text = pick(instrument.failing_text.get(scale, {}), policy.language) or scale
    if group.height < policy.anonymity_threshold:
        return AspectScore(
            question=key.question,
            aspect=key.aspect,
            role=key.role,
            status="suppressed",
            n=None,
            score=None,
            parity=None,
            reasons=(
                f"{label}: fewer than {policy.anonymity_threshold} respondents, "
                "not shown (anonymity)",
            ),
        )
    paired = key.aspect == "U"
    scores = _scale_score_column(group, instrument, key.question, key.aspect, key.role, policy)
    valid = scores[~np.isnan(scores)]
    if valid.size < policy.anonymity_threshold:  # the policy keeps the threshold at 2 or more
        return AspectScore(
            question=key.question,
            aspect=key.aspect,
            role=key.role,
            status="suppressed",
            n=None,
            score=None,
            parity=None,
            reasons=(
                f"{label}: fewer than {policy.anonymity_threshold} answers to {scale}, "
                "not shown (anonymity)",
            ),
        )
    score = bootstrap_mean(valid, seed=rng, resamples=policy.resamples, level=policy.level)
    reasons: list[str] = []
    if score.low < policy.score_threshold:
        reasons.append(
            f"{label}: {failing_text}: {_format(score, 1)} < {policy.score_threshold:.1f}"
        )
    parity: Interval | None = None
    if paired:
        own_items = instrument.items_for(
            question=key.question, aspect=key.aspect, role=key.role, side="own"
        )
        own = scale_scores(group.matrix(own_items), min_answered=policy.min_answered)
        pairs = np.column_stack([scores, own])
        pairs = pairs[~np.isnan(pairs).any(axis=1)]
        if pairs.shape[0] >= policy.anonymity_threshold:
            parity = bootstrap_ratio_of_means(
                pairs, seed=rng, resamples=policy.resamples, level=policy.level
            )
            if parity.low < policy.parity_threshold:
                reasons.append(
                    f"{label}: {failing_text}: parity {_format(parity, 2)} "
                    f"< {policy.parity_threshold:.2f}"
                )
        else:
            reasons.append(f"{label}: too few paired answers to estimate the parity of {scale}")
    return AspectScore(
        question=key.question,
        aspect=key.aspect,
        role=key.role,
        status="fail" if reasons else "pass",
        n=int(valid.size),
        score=score,
        parity=parity,
        reasons=tuple(reasons),
    )


def _scale_items(
    instrument: Instrument, question: str, aspect: str, side: str | None
) -> tuple[Item, ...]:
    """Items of a scale that every role answers (role-specific items would break listwise use)."""
    return tuple(
        i
        for i in instrument.items_for(question=question, aspect=aspect)
        if set(ROLES) <= set(i.roles) and (side is None or i.side == side)
    )


def _reliabilities(
    responses: Answers,
    instrument: Instrument,
    policy: ReadinessPolicy,
    rng: np.random.Generator,
) -> dict[str, Reliability | NotEstimable | None]:
    out: dict[str, Reliability | NotEstimable | None] = {}
    for question in ("P", "Q"):
        for aspect in ("U", "M", "O"):
            sides: tuple[str | None, ...] = ("customer", "own") if aspect == "U" else (None,)
            for side in sides:
                name = f"{question}-{aspect}" + (f" ({side} side)" if side else "")
                matrix = responses.matrix(_scale_items(instrument, question, aspect, side))
                complete = int(np.count_nonzero(~np.isnan(matrix).any(axis=1)))
                if complete < policy.anonymity_threshold:  # complete cases are its sample
                    out[name] = None
                    continue
                out[name] = reliability(
                    matrix,
                    scale=name,
                    seed=rng,
                    resamples=policy.resamples,
                    level=policy.level,
                )
    return out


def assess_readiness(
    responses: pl.DataFrame | Answers,
    instrument: Instrument,
    *,
    policy: ReadinessPolicy | None = None,
    seed: int | np.random.Generator,
) -> ReadinessResult:
    """Score the twelve aspects and decide the verdict.

    ``responses`` has one row per respondent: ``role`` (manager/operational), ``department``,
    and one numeric column per item id (null where not answered); or the :class:`Answers`
    built from such a table.
    """
    policy = policy or ReadinessPolicy()
    if isinstance(responses, pl.DataFrame):
        responses = Answers.from_frame(responses, instrument)
    root = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    keys = aspect_keys()
    streams = root.spawn(len(keys) * 2 + 16)
    by_role = {role: responses.subset(responses.roles == str(role)) for role in ROLES}

    aspects = tuple(
        _score_aspect(key, by_role[key.role], instrument, policy, streams[i])
        for i, key in enumerate(keys)
    )
    published: dict[tuple[str, str], set[str]] = {}  # the roles whose figure a scale shows
    for a in aspects:
        if a.score is not None:
            published.setdefault((a.question, a.aspect), set()).add(str(a.role))
    agreements = tuple(
        _agreement_for(key, by_role[key.role], instrument, policy, streams[len(keys) + i])
        for i, key in enumerate(keys)
    )
    gaps = tuple(
        _role_gap(q, a, by_role, instrument, policy) for q in ("P", "Q") for a in ("U", "M", "O")
    )
    return ReadinessResult(
        aspects=aspects,
        role_gaps=gaps,
        reliability=_reliabilities(responses, instrument, policy, streams[-1]),
        agreement=agreements,
        departments=_department_scores(responses, instrument, published, policy, streams[-2]),
        respondents={
            str(role): (g.height if g.height >= policy.anonymity_threshold else None)
            for role, g in by_role.items()
        },
        policy=policy,
        answered=responses.height > 0,
    )


def _agreement_for(
    key: AspectKey,
    group: Answers,
    instrument: Instrument,
    policy: ReadinessPolicy,
    rng: np.random.Generator,
) -> AspectAgreement:
    if group.height < policy.anonymity_threshold:
        return AspectAgreement(question=key.question, aspect=key.aspect, role=key.role, result=None)
    items = instrument.items_for(question=key.question, aspect=key.aspect, role=key.role)
    options = int(items[0].scale_max - items[0].scale_min + 1)
    result = agreement(
        group.matrix(items),
        options=options,
        seed=rng,
        resamples=policy.resamples,
        level=policy.level,
    )
    if result.n < policy.anonymity_threshold:  # fewer complete answers than the threshold
        return AspectAgreement(question=key.question, aspect=key.aspect, role=key.role, result=None)
    return AspectAgreement(question=key.question, aspect=key.aspect, role=key.role, result=result)


def _scale_score_column(
    group: Answers,
    instrument: Instrument,
    question: str,
    aspect: str,
    role: Role | None,
    policy: ReadinessPolicy,
) -> npt.NDArray[np.float64]:
    items = instrument.items_for(
        question=question, aspect=aspect, role=role, side="customer" if aspect == "U" else None
    )
    return scale_scores(group.matrix(items), min_answered=policy.min_answered)


def _role_gap(
    question: str,
    aspect: str,
    by_role: Mapping[Role, Answers],
    instrument: Instrument,
    policy: ReadinessPolicy,
) -> RoleGap:
    """The gap, shown only when each role has ``anonymity_threshold`` valid scores on the scale.

    A role's headcount is not enough: a respondent who skipped the scale gives no score, and
    the gap publishes each role's mean, n and spread.
    """
    scores = [
        _scale_score_column(by_role[role], instrument, question, aspect, role, policy)
        for role in ROLES
    ]
    if any(np.count_nonzero(~np.isnan(s)) < policy.anonymity_threshold for s in scores):
        return RoleGap(question=question, aspect=aspect, result=None)
    return RoleGap(
        question=question,
        aspect=aspect,
        result=group_difference(scores[0], scores[1], level=policy.level),
    )


def hidden_departments(
    counts: Mapping[str, Mapping[str, int]], published: Collection[str], threshold: int
) -> set[str]:
    """Departments whose score on one scale must not be shown, so that no hidden figure leaks.

    ``counts[department][role]`` is the number of valid scale scores of each role in each
    department, and ``published`` the roles whose own figure (mean and n) on this scale is
    shown. A department's figure pools both roles, so the shown department and role figures
    are the margins of a role x department table whose cells are never shown, and any sum or
    difference of them can be worked out. The rule starts from :func:`hidden_groups` on the
    valid counts (primary and secondary suppression), then hides the smallest shown
    departments until every figure derivable from the shown margins rests on at least
    ``threshold`` answers, or on none (a mere identity); hiding every department always
    gets there, because each published role holds at least ``threshold`` answers.
    """
    sizes = {d: sum(by_role.values()) for d, by_role in counts.items()}
    empty = {d for d, n in sizes.items() if n == 0}  # hidden, yet holding nobody's answers
    hidden = empty | hidden_groups({d: n for d, n in sizes.items() if n > 0}, threshold)
    shown = sorted((d for d in sizes if d not in hidden), key=lambda d: (sizes[d], d))
    while shown and _fewest_derivable(counts, hidden, published) < threshold:
        hidden.add(shown.pop(0))
    return hidden


def _fewest_derivable(
    counts: Mapping[str, Mapping[str, int]], hidden: Collection[str], published: Collection[str]
) -> float:
    """The fewest answers that a figure derived from the shown margins rests on (0s left out).

    A derived figure is ``sum_r a_r * role_total_r + sum_d b_d * department_total_d`` over the
    published roles and shown departments; it weighs the answers of role r in department d by
    ``a_r + b_d`` (by ``a_r`` in a hidden department), and rests on the answers weighed
    non-zero. For a given ``a`` each shown department's best ``b_d`` cancels its largest group
    of roles with equal ``a_r``; only which ``a_r`` are zero or equal matters, so weights
    0..len(published) cover every case. Figures with ``a = 0`` are sums of shown departments,
    each at or above the threshold by the primary rule.
    """
    roles = sorted(published)
    fewest = math.inf
    for weights in product(range(len(roles) + 1), repeat=len(roles)):
        if not any(weights):
            continue
        weight = dict(zip(roles, weights, strict=True))
        support = 0
        for department, by_role in counts.items():
            if department in hidden:
                support += sum(n for r, n in by_role.items() if weight.get(r, 0) != 0)
                continue
            classes: dict[int, int] = {}
            for r, n in by_role.items():
                classes[weight.get(r, 0)] = classes.get(weight.get(r, 0), 0) + n
            support += sum(by_role.values()) - max(classes.values(), default=0)
        if support > 0:
            fewest = min(fewest, support)
    return fewest


def _respondent_scores(
    responses: Answers,
    instrument: Instrument,
    question: str,
    aspect: str,
    policy: ReadinessPolicy,
) -> npt.NDArray[np.float64]:
    """Every respondent's score on one scale from their own role's items, as the aspects use."""
    scores = np.full(responses.height, np.nan)
    for name in np.unique(responses.roles):
        rows = responses.roles == name
        role = Role(str(name)) if str(name) in set(ROLES) else None
        scores[rows] = _scale_score_column(
            responses.subset(rows), instrument, question, aspect, role, policy
        )
    return scores


def _department_scores(
    responses: Answers,
    instrument: Instrument,
    published: Mapping[tuple[str, str], Collection[str]],
    policy: ReadinessPolicy,
    rng: np.random.Generator,
) -> tuple[DepartmentScore, ...]:
    """Each scale's mean per department, suppressed per scale on its valid scores.

    Respondents who skipped a scale give no score on it, so which departments are hidden is
    decided again for every scale (:func:`hidden_departments`), against the role figures of
    that scale that are shown (``published``).
    """
    departments = sorted({str(d) for d in responses.departments})
    in_department = {d: responses.departments == d for d in departments}
    in_role = {r: responses.roles == r for r in sorted({str(r) for r in responses.roles})}
    cells: dict[tuple[str, str], DepartmentScore] = {}
    for question in ("P", "Q"):
        for aspect in ("U", "M", "O"):
            scores = _respondent_scores(responses, instrument, question, aspect, policy)
            valid = ~np.isnan(scores)
            counts = {
                d: {
                    r: int(np.count_nonzero(valid & in_department[d] & rows))
                    for r, rows in in_role.items()
                }
                for d in departments
            }
            hidden = hidden_departments(
                counts, published.get((question, aspect), ()), policy.anonymity_threshold
            )
            for department in departments:
                interval = None
                if department not in hidden:
                    values = scores[valid & in_department[department]]
                    interval = bootstrap_mean(
                        values, seed=rng, resamples=policy.resamples, level=policy.level
                    )
                cells[(department, f"{question}-{aspect}")] = DepartmentScore(
                    question=question, aspect=aspect, department=department, score=interval
                )
    return tuple(
        cells[(d, f"{q}-{a}")] for d in departments for q in ("P", "Q") for a in ("U", "M", "O")
    )
