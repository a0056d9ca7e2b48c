"""Plotly charts of the report, rendered to HTML fragments (the JavaScript is inlined once)."""

from __future__ import annotations

from functools import cache

import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from outsidein.core.psychometrics import GroupDifference
from outsidein.core.readiness import ReadinessResult, role_label
from outsidein.report.wording import say

PASS = "#1b7f3b"
FAIL = "#b3261e"
NEUTRAL = "#5f6368"
FONT = "system-ui, -apple-system, Segoe UI, Roboto, sans-serif"


@cache
def plotly_js() -> str:
    """The plotly.js bundle shipped in the plotly package (no network needed)."""
    return str(get_plotlyjs())


def html_fragment(fig: go.Figure, name: str) -> str:
    fig.update_layout(
        font={"family": FONT, "size": 13},
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        paper_bgcolor="white",
        plot_bgcolor="white",
    )
    return str(
        fig.to_html(
            full_html=False,
            include_plotlyjs=False,
            div_id=name,
            config={"displaylogo": False, "responsive": True, "staticPlot": False},
        )
    )


def readiness_forest(result: ReadinessResult, language: str) -> str:
    """Each aspect's score with its CI against the threshold, coloured pass/fail."""
    fig = go.Figure()
    labels, scores, lows, highs, colours, texts = [], [], [], [], [], []
    for a in reversed(result.aspects):
        if a.score is None:
            continue
        labels.append(f"{a.question}-{a.aspect} · {role_label(a.role, language)}")
        scores.append(a.score.estimate)
        lows.append(a.score.estimate - a.score.low)
        highs.append(a.score.high - a.score.estimate)
        colours.append(PASS if a.passed else FAIL)
        texts.append(f"n={a.n}")
    fig.add_trace(
        go.Scatter(
            x=scores,
            y=labels,
            mode="markers",
            marker={"color": colours, "size": 11, "symbol": "diamond"},
            error_x={
                "type": "data",
                "symmetric": False,
                "array": highs,
                "arrayminus": lows,
                "color": NEUTRAL,
                "thickness": 2,
                "width": 5,
            },
            text=texts,
            hovertemplate="%{y}: %{x:.2f} (%{text})<extra></extra>",
            showlegend=False,
        )
    )
    fig.add_vline(
        x=result.policy.score_threshold,
        line={"dash": "dash", "color": NEUTRAL},
        annotation_text=say(
            "chart.threshold", language, value=f"{result.policy.score_threshold:g}"
        ),
        annotation_position="top",
    )
    fig.update_xaxes(range=[1, 7], title=say("chart.aspects.axis", language), gridcolor="#eee")
    fig.update_layout(height=80 + 32 * len(labels), title=say("chart.aspects.title", language))
    return html_fragment(fig, "chart-readiness")


def role_gap_chart(result: ReadinessResult, language: str = "en") -> str:
    """Managers minus operational staff per scale, with the Welch CI."""
    fig = go.Figure()
    names, diffs, lows, highs, texts = [], [], [], [], []
    for gap in result.role_gaps:
        res = gap.result
        if not isinstance(res, GroupDifference):
            continue
        names.append(f"{gap.question}-{gap.aspect}")
        diffs.append(res.difference)
        lows.append(res.difference - res.ci_low)
        highs.append(res.ci_high - res.difference)
        texts.append(f"g = {res.hedges_g:.2f}")
    fig.add_trace(
        go.Bar(
            x=diffs,
            y=names,
            orientation="h",
            marker_color="#3c6e9f",
            error_x={"type": "data", "symmetric": False, "array": highs, "arrayminus": lows},
            text=texts,
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{x:+.2f} (%{text})<extra></extra>",
        )
    )
    fig.add_vline(x=0, line={"color": NEUTRAL})
    fig.update_xaxes(title=say("chart.gaps.axis", language), zeroline=False, gridcolor="#eee")
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(height=90 + 36 * max(1, len(names)), title=say("chart.gaps.title", language))
    return html_fragment(fig, "chart-gaps")
