"""Shape the typed results for the dashboard templates (positions of interval bars, rows).

Only layout happens here: every number comes from the service's result objects unchanged,
suppressed values stay ``None`` and are shown as suppressed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from outsidein.core.instrument import ASPECTS, QUESTIONS, ROLES, pick
from outsidein.core.psychometrics import GroupDifference, NotEstimable
from outsidein.core.readiness import AspectScore, role_label
from outsidein.services.dashboard import Dashboard

SCALE_LOW, SCALE_HIGH = 1.0, 7.0
LANGUAGE_NAMES = (("en", "English"), ("fi", "Suomi"), ("de", "Deutsch"))


def _pos(value: float) -> float:
    return round(max(0.0, min(100.0, (value - SCALE_LOW) / (SCALE_HIGH - SCALE_LOW) * 100)), 2)


@dataclass(frozen=True, slots=True)
class Cell:
    aspect: AspectScore
    role: str
    anchor: str
    bar_left: float = 0.0
    bar_width: float = 0.0
    dot: float = 0.0


def _cell(aspect: AspectScore, language: str) -> Cell:
    anchor = f"aspect-{aspect.question}-{aspect.aspect}-{aspect.role}"
    role = role_label(aspect.role, language)
    if aspect.score is None:
        return Cell(aspect=aspect, role=role, anchor=anchor)
    return Cell(
        aspect=aspect, role=role, anchor=anchor, bar_left=_pos(aspect.score.low),
        bar_width=max(0.5, _pos(aspect.score.high) - _pos(aspect.score.low)),
        dot=_pos(aspect.score.estimate),
    )


def dashboard_context(board: Dashboard) -> dict[str, Any]:
    """Template context of the assessment dashboard."""
    result, instrument = board.result, board.instrument
    language = result.language
    readiness = result.readiness
    grid = [
        {
            "question": q,
            "text": pick(instrument.question_text.get(q, {}), language),
            "rows": [
                {
                    "scale": f"{q}-{a}",
                    "label": pick(instrument.aspect_text.get(f"{q}-{a}", {}), language),
                    "cells": [_cell(readiness.aspect(q, a, role), language) for role in ROLES],
                }
                for a in ASPECTS
            ],
        }
        for q in QUESTIONS
    ]
    gaps = [
        {
            "scale": f"{g.question}-{g.aspect}",
            "anchor": f"gap-{g.question}-{g.aspect}",
            "gap": g.result if isinstance(g.result, GroupDifference) else None,
            "note": (
                g.result.reason if isinstance(g.result, NotEstimable)
                else "suppressed: a role has fewer answers on this scale than the anonymity "
                "threshold"
                if g.result is None else ""
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
    return {
        "board": board,
        "assessment": board.assessment,
        "can_close": board.assessment.can("analyst"),
        "result": result,
        "readiness": readiness,
        "grid": grid,
        "role_names": [role_label(r, language) for r in ROLES],
        "role_counts": [
            (role_label(r, language), readiness.respondents.get(str(r))) for r in ROLES
        ],
        "gaps": gaps,
        "stages": stages,
        "stage": result.stage,
        "rates": board.rates,
        "metrics": board.insights,
        "threshold": board.assessment.anonymity_threshold,
        "threshold_pos": _pos(readiness.policy.score_threshold),
        "level_percent": round(readiness.policy.level * 100),
        "stage_name": result.stage.names.get(result.stage.level, ""),
        "languages": LANGUAGE_NAMES,
    }


def evidence_anchor(kind: str, ref: str) -> str | None:
    """The dashboard anchor of an insight's evidence, where the dashboard shows it."""
    if kind == "aspect" and ":" in ref:
        scale, role = ref.split(":", 1)
        return f"aspect-{scale}-{role}"
    if kind == "gap":
        return f"gap-{ref}"
    if kind == "indicator":
        return f"indicator-{ref}"
    return None
