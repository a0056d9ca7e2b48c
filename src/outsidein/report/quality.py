"""The quality part of the report: what customers value and rate, against what staff believe."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import plotly.graph_objects as go

from outsidein.core.attributes import QualityAttribute
from outsidein.core.evidence import QualityEvidence
from outsidein.core.readiness import role_label
from outsidein.report.charts import FAIL, NEUTRAL, PASS, html_fragment
from outsidein.report.wording import say, term

ROLE_COLOURS = {"manager": "#3c6e9f", "operational": "#e07b39"}


def _names(attributes: Sequence[QualityAttribute], language: str) -> dict[str, str]:
    return {a.id: a.label(language) for a in attributes}


def _bars(points: Sequence[Mapping[str, Any]], key: str, intervals: Mapping[str, Any]) -> Any:
    """Error bars of ``key`` from each attribute's interval, where every point has one."""
    found = [intervals.get(p["attribute"]) or {} for p in points]
    if not found or any(f.get("status") != "ok" for f in found):
        return None
    return {
        "type": "data",
        "symmetric": False,
        "array": [f["ci_high"] - p[key] for f, p in zip(found, points, strict=True)],
        "arrayminus": [p[key] - f["ci_low"] for f, p in zip(found, points, strict=True)],
        "thickness": 1,
        "color": NEUTRAL,
    }


def grid_chart(
    grid: Mapping[str, Any],
    names: Mapping[str, str],
    performance: Mapping[str, Any] | None = None,
    importance: Mapping[str, Any] | None = None,
    language: str = "en",
) -> str:
    """Importance-performance grid (Martilla & James 1977) with the quadrant cuts at the means;
    each point with the 95% intervals of its rating (``performance``) and of its stated
    importance (``importance``) where given: an attribute near a cut may lie on either side."""
    points = grid["points"]
    xs = [p["importance"] for p in points]
    ys = [p["performance"] for p in points]
    colours = [FAIL if p["quadrant"] == "concentrate here" else NEUTRAL for p in points]
    fig = go.Figure(
        go.Scatter(
            x=xs,
            y=ys,
            mode="markers+text",
            text=[names.get(p["attribute"], p["attribute"]) for p in points],
            textposition="top center",
            marker={"size": 12, "color": colours},
            error_y=_bars(points, "performance", performance or {}),
            error_x=_bars(points, "importance", importance or {}),
            hovertemplate=f"%{{text}}: {say('chart.ipa.importance', language)} %{{x:.2f}}, "
            f"{say('chart.ipa.performance', language)} %{{y:.2f}}<extra></extra>",
        )
    )
    fig.add_vline(x=sum(xs) / len(xs), line={"dash": "dot", "color": NEUTRAL})
    fig.add_hline(y=sum(ys) / len(ys), line={"dash": "dot", "color": NEUTRAL})
    derived = grid.get("importance_source") == "derived"
    fig.update_xaxes(
        title=say("chart.ipa.x_derived" if derived else "chart.ipa.x_stated", language),
        gridcolor="#eee",
    )
    fig.update_yaxes(title=say("chart.ipa.y", language), gridcolor="#eee")
    fig.update_layout(height=460, title=say("chart.ipa.title", language))
    return html_fragment(fig, "chart-ipa")


def rank_chart(understanding: Mapping[str, Any], names: Mapping[str, str], language: str) -> str:
    """Each role's rank of the attributes against the customers' rank (1 = most important)."""
    fig = go.Figure()
    customer_done = False
    for role, gap in understanding.items():
        if gap.get("status") != "ok":
            continue
        ranks = gap["ranks"]
        order = sorted(ranks, key=lambda a: ranks[a]["customer_rank"])
        labels = [names.get(a, a) for a in order]
        if not customer_done:
            fig.add_trace(
                go.Scatter(
                    x=[ranks[a]["customer_rank"] for a in order],
                    y=labels,
                    mode="markers",
                    name=say("chart.ranks.customers", language),
                    marker={"symbol": "diamond", "size": 13, "color": "#202124"},
                )
            )
            customer_done = True
        fig.add_trace(
            go.Scatter(
                x=[ranks[a]["staff_rank"] for a in order],
                y=labels,
                mode="markers",
                name=say(
                    "chart.ranks.role",
                    language,
                    role=role_label(role, language),
                    tau=f"{gap['tau']:.2f}",
                ),
                marker={"size": 10, "color": ROLE_COLOURS.get(role, NEUTRAL)},
            )
        )
    fig.update_xaxes(title=say("chart.ranks.axis", language), dtick=1, gridcolor="#eee")
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(
        height=120 + 30 * len(names),
        title=say("chart.ranks.title", language),
        legend={"orientation": "h", "y": -0.15},
    )
    return html_fragment(fig, "chart-ranks")


def delivery_chart(delivery: Mapping[str, Any], names: Mapping[str, str], language: str) -> str:
    """Staff-believed minus customer-perceived performance, per attribute and role, with CIs."""
    fig = go.Figure()
    for role, cells in delivery.items():
        rows = [(a, c) for a, c in cells.items() if c.get("status") == "ok"]
        fig.add_trace(
            go.Scatter(
                x=[c["gap"] for _, c in rows],
                y=[names.get(a, a) for a, _ in rows],
                mode="markers",
                name=role_label(role, language),
                marker={"size": 10, "color": ROLE_COLOURS.get(role, NEUTRAL)},
                error_x={
                    "type": "data",
                    "symmetric": False,
                    "array": [c["ci_high"] - c["gap"] for _, c in rows],
                    "arrayminus": [c["gap"] - c["ci_low"] for _, c in rows],
                },
            )
        )
    fig.add_vline(x=0, line={"color": NEUTRAL})
    fig.update_xaxes(
        title=say("chart.delivery.axis", language),
        gridcolor="#eee",
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(
        height=120 + 30 * len(names),
        title=say("chart.delivery.title", language),
        legend={"orientation": "h", "y": -0.15},
    )
    return html_fragment(fig, "chart-delivery")


def share_chart(share: Mapping[str, Any], names: Mapping[str, str], language: str = "en") -> str:
    """Share of comments that mention each attribute, with Wilson CIs."""
    rows = sorted(
        (c for c in share.get("attributes", {}).values() if c.get("status") == "ok"),
        key=lambda c: -c["share"],
    )
    fig = go.Figure(
        go.Bar(
            x=[c["share"] for c in rows],
            y=[names.get(c["attribute"], c["attribute"]) for c in rows],
            orientation="h",
            marker_color="#3c6e9f",
            error_x={
                "type": "data",
                "symmetric": False,
                "array": [c["ci_high"] - c["share"] for c in rows],
                "arrayminus": [c["share"] - c["ci_low"] for c in rows],
            },
        )
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(tickformat=".0%", title=say("chart.share.axis", language), gridcolor="#eee")
    fig.update_layout(height=120 + 28 * len(rows), title=say("chart.share.title", language))
    return html_fragment(fig, "chart-share")


def trend_chart(
    trend: Mapping[str, Any], names: Mapping[str, str], top: list[str], language: str = "en"
) -> str:
    """Net sentiment per month for the most discussed attributes (suppressed months left out),
    each month with its 95% interval and number of mentions: a month of thirty mentions moves
    by chance alone."""
    fig = go.Figure()
    for attribute in top:
        rows = [
            r
            for r in trend.get("rows", [])
            if r["attribute"] == attribute and r.get("status") == "ok"
        ]
        fig.add_trace(
            go.Scatter(
                x=[r["period"][:7] for r in rows],
                y=[r["score"] for r in rows],
                mode="lines+markers",
                name=names.get(attribute, attribute),
                error_y={
                    "type": "data",
                    "symmetric": False,
                    "array": [r["ci_high"] - r["score"] for r in rows],
                    "arrayminus": [r["score"] - r["ci_low"] for r in rows],
                    "thickness": 1,
                    "width": 3,
                },
                customdata=[[r["ci_low"], r["ci_high"], r["n"]] for r in rows],
                hovertemplate="%{x}: %{y:.0f} [%{customdata[0]:.0f}, %{customdata[1]:.0f}], "
                "n=%{customdata[2]}<extra>%{fullData.name}</extra>",
            )
        )
    fig.add_hline(y=0, line={"color": NEUTRAL})
    fig.update_yaxes(title=say("chart.trend.axis", language), gridcolor="#eee")
    fig.update_layout(
        height=380,
        title=say("chart.trend.title", language),
        legend={"orientation": "h", "y": -0.2},
    )
    return html_fragment(fig, "chart-trend")


def dimension_rows(
    split: Mapping[str, Any] | None,
    performance: Mapping[str, Any],
    attributes: Sequence[QualityAttribute],
    language: str,
) -> list[dict[str, object]]:
    """Customers' ratings by Grönroos' dimensions (``CustomerQuality.dimensions``), each with
    its interval, and the weakest attribute within it."""
    if not split:
        return []
    labels = {a.id: a.label(language) for a in attributes}
    rows = []
    for dimension, score in split["dimensions"].items():
        rated = [
            performance[a]
            for a in score["attributes"]
            if a in performance and performance[a].get("status") == "ok"
        ]
        rows.append(
            {
                "dimension": term("dimension", dimension, language),
                "attributes": ", ".join(labels.get(a, a) for a in score["attributes"]),
                "score": score,
                "lowest": min(rated, key=lambda r: r["mean"]) if rated else None,
            }
        )
    return rows


def quality_context(
    quality: QualityEvidence, attributes: Sequence[QualityAttribute], language: str
) -> dict[str, object]:
    data = quality.to_dict()
    names = _names(attributes, language)
    voice: Mapping[str, Any] | None = data.get("voice")  # type: ignore[assignment]
    customers: Mapping[str, Any] = data.get("customers") or {}  # type: ignore[assignment]
    understanding: Mapping[str, Any] = data.get("understanding_gap") or {}  # type: ignore[assignment]
    delivery: Mapping[str, Any] = data.get("delivery_gap") or {}  # type: ignore[assignment]
    drivers = customers.get("key_drivers") or {}
    grid = customers.get("grid") or {}
    performance = (customers.get("performance") or {}).get("attributes", {})
    return {
        "names": names,
        "understanding": {
            role: {**gap, "label": role_label(role, language)}
            for role, gap in understanding.items()
        },
        "drivers": drivers if drivers.get("status") == "ok" else None,
        "driver_rows": sorted(
            ((a, d) for a, d in (drivers.get("drivers") or {}).items() if d.get("status") == "ok"),
            key=lambda pair: -pair[1]["share"],
        ),
        "nps": customers.get("nps"),
        "grid_chart": grid_chart(
            grid,
            names,
            performance,
            ((customers.get("stated_importance") or {}).get("attributes") or {})
            if grid.get("importance_source") == "stated"
            else None,
            language,
        )
        if grid.get("status") == "ok"
        else "",
        "rank_chart": rank_chart(understanding, names, language) if understanding else "",
        "delivery_chart": delivery_chart(delivery, names, language) if delivery else "",
        "dimensions": dimension_rows(
            customers.get("dimensions"), performance, attributes, language
        ),
        "functional_minus_technical": (customers.get("dimensions") or {}).get(
            "functional_minus_technical"
        ),
        "voice": voice,
        "share_chart": share_chart(voice["share_of_voice"], names, language)
        if voice and voice["share_of_voice"].get("status") == "ok"
        else "",
        "trend_chart": trend_chart(voice["sentiment_by_month"], names, _top(voice, 4), language)
        if voice
        else "",
        "pass_colour": PASS,
    }


def _top(voice: Mapping[str, Any], count: int) -> list[str]:
    share = voice["share_of_voice"].get("attributes", {})
    ranked = sorted(
        (c for c in share.values() if c.get("status") == "ok"), key=lambda c: -c["share"]
    )
    return [c["attribute"] for c in ranked[:count]]
