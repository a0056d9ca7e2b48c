"""The self-contained HTML report: one file, charts and styles inline, printable, offline."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from outsidein.core.assessment import AssessmentResult
from outsidein.core.attributes import QualityAttribute
from outsidein.core.conformance import ProcessEvidence
from outsidein.core.evidence import QualityEvidence
from outsidein.core.instrument import ASPECTS, QUESTIONS, ROLES, Instrument, pick
from outsidein.core.psychometrics import Agreement, GroupDifference, NotEstimable, Reliability
from outsidein.core.readiness import AspectScore, role_label
from outsidein.report import charts
from outsidein.report.journeys import journey_context
from outsidein.report.quality import quality_context
from outsidein.report.text import readiness_summary
from outsidein.report.wording import plural, say, say_html, status, term

_ENV = Environment(
    loader=PackageLoader("outsidein.report", "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def _num(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


_ENV.filters["num"] = _num


@dataclass(frozen=True, slots=True)
class GridCell:
    aspect: AspectScore
    bar_left: float  # percent positions on the 1-7 axis
    bar_width: float
    dot: float


def _pos(value: float) -> float:
    return max(0.0, min(100.0, (value - 1.0) / 6.0 * 100.0))


def _cell(a: AspectScore) -> GridCell:
    if a.score is None:
        return GridCell(aspect=a, bar_left=0, bar_width=0, dot=0)
    return GridCell(
        aspect=a,
        bar_left=_pos(a.score.low),
        bar_width=_pos(a.score.high) - _pos(a.score.low),
        dot=_pos(a.score.estimate),
    )


def _next_steps(result: AssessmentResult, instrument: Instrument) -> list[dict[str, str]]:
    language = result.language
    steps: list[dict[str, str]] = []
    seen: set[str] = set()
    for a in result.readiness.failing:
        scale = f"{a.question}-{a.aspect}"
        if a.status == "suppressed" or scale in seen:
            continue
        seen.add(scale)
        who = [
            role_label(f.role, language)
            for f in result.readiness.failing
            if f"{f.question}-{f.aspect}" == scale and f.status != "suppressed"
        ]
        steps.append(
            {
                "title": f"{scale}: {pick(instrument.failing_text.get(scale, {}), language)}",
                "who": ", ".join(who),
                "text": pick(instrument.aspect_actions.get(scale, {}), language),
            }
        )
    stage = result.stage
    if stage.blockers:
        steps.append(
            {
                "title": say(
                    "next.climb",
                    language,
                    level=stage.level + 1,
                    name=stage.names.get(stage.level + 1, ""),
                ),
                "who": "",
                "text": stage.next_actions,
            }
        )
    return steps


def _words(language: str) -> Callable[..., Markup]:
    """The template's ``t(key, **values)``: the report's own wording in ``language``."""

    def t(key: str, /, **values: object) -> Markup:
        return say_html(key, language, **values)

    return t


def render_report(
    result: AssessmentResult,
    instrument: Instrument,
    attributes: Sequence[QualityAttribute] = (),
) -> str:
    """Render ``result`` to a complete HTML document (no external resources)."""
    language = result.language
    readiness = result.readiness
    grid = [
        {
            "question": q,
            "question_text": pick(instrument.question_text.get(q, {}), language),
            "rows": [
                {
                    "aspect": a,
                    "label": pick(instrument.aspect_text.get(f"{q}-{a}", {}), language),
                    "cells": [_cell(readiness.aspect(q, a, role)) for role in ROLES],
                }
                for a in ASPECTS
            ],
        }
        for q in QUESTIONS
    ]
    departments = sorted({d.department for d in readiness.departments})
    department_rows = [
        {
            "department": dep,
            "cells": [
                next(
                    d
                    for d in readiness.departments
                    if d.department == dep and d.question == q and d.aspect == a
                )
                for q in QUESTIONS
                for a in ASPECTS
            ],
        }
        for dep in departments
    ]
    reliability_rows = []
    for scale, rel in readiness.reliability.items():
        reliability_rows.append(
            {
                "scale": scale,
                "rel": rel if isinstance(rel, Reliability) else None,
                "note": (
                    rel.reason
                    if isinstance(rel, NotEstimable)
                    else status("suppressed", language)
                    if rel is None
                    else ""
                ),
            }
        )
    agreement_rows = [
        {
            "aspect": f"{ag.question}-{ag.aspect}",
            "role": role_label(ag.role, language),
            "agreement": ag.result if isinstance(ag.result, Agreement) else None,
            "note": (
                ag.result.reason
                if isinstance(ag.result, NotEstimable)
                else status("suppressed", language)
                if ag.result is None
                else ""
            ),
        }
        for ag in readiness.agreement
    ]
    gap_rows = [
        {
            "scale": f"{g.question}-{g.aspect}",
            "gap": g.result if isinstance(g.result, GroupDifference) else None,
            "note": (
                g.result.reason
                if isinstance(g.result, NotEstimable)
                else status("suppressed", language)
                if g.result is None
                else ""
            ),
        }
        for g in readiness.role_gaps
    ]
    stages = [
        {
            "level": s.level,
            "name": pick(s.name, language),
            "description": pick(s.description, language),
            "indicators": result.stage.for_stage(s.level),
            "reached": s.level <= result.stage.level,
            "current": s.level == result.stage.level,
        }
        for s in sorted(instrument.stages, key=lambda s: -s.level)
    ]
    process = result.sections.get("process")
    quality = result.sections.get("quality")
    template = _ENV.get_template("report.html")
    return template.render(
        quality=(
            quality_context(quality, attributes, language)
            if isinstance(quality, QualityEvidence)
            else None
        ),
        journeys=(
            journey_context(process, language) if isinstance(process, ProcessEvidence) else None
        ),
        r=result,
        t=_words(language),
        plural=plural,
        status=partial(status, language=language),
        term=partial(term, language=language),
        summary=readiness_summary(readiness, language) if readiness.answered else "",
        readiness=readiness,
        grid=grid,
        role_names=[role_label(role, language) for role in ROLES],
        departments=department_rows,
        department_headers=[f"{q}-{a}" for q in QUESTIONS for a in ASPECTS],
        reliability_rows=reliability_rows,
        agreement_rows=agreement_rows,
        gap_rows=gap_rows,
        stages=stages,
        next_steps=_next_steps(result, instrument),
        forest=charts.readiness_forest(readiness, language),
        gap_chart=charts.role_gap_chart(readiness, language),
        plotly_js=charts.plotly_js(),
        threshold=readiness.policy.anonymity_threshold,
        policy=readiness.policy,
    )
