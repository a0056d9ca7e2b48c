"""The journeys part of the report: process map, variants, drop-off, model vs log, ecosystem.

The process map is drawn as inline SVG with a layered layout (activities placed left to right
by where they typically occur in a journey). Every node and arc carries its frequency, and a
slider in the page hides what falls below a chosen share of journeys, so that a log with 30 or
more activities stays readable; the printed page shows the map as filtered on screen.

Anonymity: everything shown comes from the core's results, which leave out what fewer than k
journeys stand behind (arcs, variants, steps). A step's box counts only the arcs drawn into it
(and its start point, if shown); it shows the journeys through the step only where the arcs
left out carry none of its visits or at least k, so that no box minus its arcs gives a hidden
arc's count below k.
"""

from __future__ import annotations

import html
import math
from collections import defaultdict
from dataclasses import dataclass
from functools import partial

import plotly.graph_objects as go

from outsidein.core.conformance import ProcessEvidence
from outsidein.core.journeys import JourneySummary
from outsidein.report.charts import html_fragment
from outsidein.report.wording import plural, say, term

NODE_W, NODE_H, COL_GAP, ROW_GAP, MARGIN = 170, 42, 40, 34, 20
SKIP_LANE = 70  # room on the left for arcs that skip layers
LOOP_LANE = 140  # room on the right for arcs that go back up (rework)


@dataclass(frozen=True, slots=True)
class _Node:
    """A step placed in a layer (top to bottom: journey order) and a slot within the layer."""

    name: str
    count: int
    layer: int
    slot: int

    @property
    def x(self) -> float:
        return MARGIN + SKIP_LANE + self.slot * (NODE_W + COL_GAP)

    @property
    def y(self) -> float:
        return MARGIN + self.layer * (NODE_H + ROW_GAP)


def _positions(summary: JourneySummary) -> dict[str, float]:
    """Mean position of each activity's first occurrence in the journeys, weighted by cases."""
    total: dict[str, float] = defaultdict(float)
    weight: dict[str, float] = defaultdict(float)
    for variant in summary.variants.variants:
        seen: set[str] = set()
        for index, step in enumerate(variant.steps):
            if step in seen:
                continue
            seen.add(step)
            total[step] += index * variant.count
            weight[step] += variant.count
    return {step: total[step] / weight[step] for step in total}


def _layout(summary: JourneySummary) -> list[_Node]:
    counts: dict[str, int] = defaultdict(int)
    for edge in summary.graph.edges:
        counts[edge.target] += edge.count
    for start in summary.graph.starts:
        counts[start.activity] += start.count
    positions = _positions(summary)
    for activity in counts:
        positions.setdefault(activity, max(positions.values(), default=0.0) + 1)
    # Longest-path layering of the graph without its back arcs (an arc is forward when its
    # target typically comes later in a journey than its source).
    order = sorted(counts, key=lambda a: (positions[a], -counts[a]))
    rank = {activity: i for i, activity in enumerate(order)}
    layer_of: dict[str, int] = {}
    for activity in order:
        before = [
            layer_of[e.source]
            for e in summary.graph.edges
            if e.target == activity and e.source in layer_of and rank[e.source] < rank[activity]
        ]
        layer_of[activity] = max(before, default=-1) + 1
    layers: dict[int, list[str]] = defaultdict(list)
    for activity in order:
        layers[layer_of[activity]].append(activity)
    nodes = []
    for layer_index, layer in enumerate(sorted(layers)):
        for slot, activity in enumerate(layers[layer]):
            nodes.append(_Node(activity, counts[activity], layer_index, slot))
    return nodes


def _label(text: str, limit: int = 22) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def process_map_svg(summary: JourneySummary, language: str = "en") -> str:
    """The directly-follows graph as SVG; arcs and nodes carry ``data-share`` for the filter."""
    nodes = {n.name: n for n in _layout(summary)}
    if not nodes:
        return f"<p>{html.escape(say('map.no_journeys', language))}</p>"
    cases = max(summary.cases, 1)
    slots = max(n.slot for n in nodes.values()) + 1
    width = MARGIN * 2 + SKIP_LANE + slots * (NODE_W + COL_GAP) + LOOP_LANE
    height = MARGIN * 2 + (max(n.layer for n in nodes.values()) + 1) * (NODE_H + ROW_GAP)
    right = MARGIN + SKIP_LANE + slots * (NODE_W + COL_GAP)
    top = max((e.count for e in summary.graph.edges), default=1)
    parts = [
        f'<svg class="process-map" viewBox="0 0 {width} {height}" '
        f'style="max-width:{width}px;width:100%" role="img" '
        f'aria-label="{html.escape(say("map.aria", language, n=summary.cases))}">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="9" '
        'markerHeight="9" markerUnits="userSpaceOnUse" orient="auto-start-reverse">'
        '<path d="M 0 0 L 10 5 L 0 10 z" fill="#5f6368"/></marker></defs>',
    ]
    for edge in sorted(summary.graph.edges, key=lambda e: e.count):
        source, target = nodes.get(edge.source), nodes.get(edge.target)
        if source is None or target is None:
            continue
        share = edge.count / cases
        stroke = 1 + 7 * math.sqrt(edge.count / top)
        if target.layer > source.layer + 1 and target.slot == source.slot:
            # skips layers: around the boxes in between, through the lane on the left
            x1, y1 = source.x, source.y + NODE_H / 2
            x2, y2 = target.x, target.y + NODE_H / 2
            lane = max(4.0, source.x - 25 - 12 * min(3, target.layer - source.layer))
            path = (
                f"M {x1:.0f} {y1:.0f} C {lane:.0f} {y1:.0f}, {lane:.0f} {y2:.0f}, {x2:.0f} {y2:.0f}"
            )
            colour = "#3c6e9f"
        elif target.layer > source.layer:  # forward: bottom of one box to the top of the next
            x1, y1 = source.x + NODE_W / 2, source.y + NODE_H
            x2, y2 = target.x + NODE_W / 2, target.y
            mid = (y1 + y2) / 2
            path = (
                f"M {x1:.0f} {y1:.0f} C {x1:.0f} {mid:.0f}, {x2:.0f} {mid:.0f}, {x2:.0f} {y2:.0f}"
            )
            colour = "#3c6e9f"
        else:  # back (rework) or within a layer: an arc through the lane on the right
            x1, y1 = source.x + NODE_W, source.y + NODE_H / 2
            x2, y2 = target.x + NODE_W, target.y + NODE_H / 2
            lane = right + 20 + 25 * min(4, abs(source.layer - target.layer))
            path = (
                f"M {x1:.0f} {y1:.0f} C {lane:.0f} {y1:.0f}, {lane:.0f} {y2:.0f}, {x2:.0f} {y2:.0f}"
            )
            colour = "#b3261e"
        median = (
            ""
            if edge.median_seconds is None
            else say("map.median_wait", language, wait=_duration(edge.median_seconds, language))
        )
        parts.append(
            f'<path class="arc" data-share="{share:.6f}" d="{path}" fill="none" '
            f'stroke="{colour}" stroke-opacity="0.55" stroke-width="{stroke:.1f}" '
            f'marker-end="url(#arrow)"><title>{html.escape(edge.source)} → '
            f"{html.escape(edge.target)}: {say('journeys.count', language, n=edge.count)}"
            f"{html.escape(median)}</title></path>"
        )
    through = _journeys_through(summary, nodes)
    for node in nodes.values():
        journeys = through.get(node.name)
        # a share of journeys counts each journey once, however often it visits the step
        share = (journeys if journeys is not None else node.count) / cases
        visits = say("map.visits", language, n=node.count)
        shown = f"{journeys} ({share:.0%})" if journeys is not None else visits
        parts.append(
            f'<g class="node" data-share="{share:.6f}"><rect x="{node.x:.0f}" y="{node.y:.0f}" '
            f'width="{NODE_W}" height="{NODE_H}" rx="6" fill="#eef3f8" stroke="#3c6e9f"/>'
            f'<text x="{node.x + NODE_W / 2:.0f}" y="{node.y + 18:.0f}" text-anchor="middle" '
            f'font-size="12" font-weight="600">{html.escape(_label(node.name))}</text>'
            f'<text x="{node.x + NODE_W / 2:.0f}" y="{node.y + 34:.0f}" text-anchor="middle" '
            f'font-size="11" fill="#5f6368">{html.escape(shown)}</text>'
            f"<title>{html.escape(node.name)}: "
            + (
                f"{html.escape(say('journeys.count', language, n=journeys))}, "
                if journeys is not None
                else ""
            )
            + f"{html.escape(visits)}</title></g>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _journeys_through(summary: JourneySummary, nodes: dict[str, _Node]) -> dict[str, int]:
    """Per step drawn, the journeys that reach it at least once, where that figure cannot give
    a hidden arc away: the step's visits not carried by the arcs drawn (its ``count``) are none
    or at least k (:class:`~outsidein.core.journeys.DirectlyFollowsGraph`)."""
    through: dict[str, int] = {}
    k = summary.min_cases
    for row in summary.rework:
        node = nodes.get(row.step)
        if node is None or row.group is not None or row.repeat_events is None:
            continue
        unseen = row.cases + row.repeat_events - node.count
        if unseen == 0 or unseen >= k:
            through[row.step] = row.cases
    return through


def _duration(seconds: float, language: str = "en") -> str:
    if seconds >= 86_400:
        return say("unit.days", language, value=f"{seconds / 86_400:.1f}")
    if seconds >= 3_600:
        return say("unit.hours", language, value=f"{seconds / 3_600:.1f}")
    return say("unit.minutes", language, value=f"{seconds / 60:.0f}")


def variant_chart(summary: JourneySummary, top: int = 8, language: str = "en") -> str:
    """Bar chart of the most frequent variants (journey paths) of at least k journeys."""
    chosen = summary.variants.variants[:top]
    labels = [" → ".join(_label(s, 14) for s in v.steps) for v in chosen]
    fig = go.Figure(
        go.Bar(
            x=[v.share for v in chosen],
            y=[f"#{i + 1}" for i in range(len(chosen))],
            orientation="h",
            marker_color="#3c6e9f",
            text=[f"{v.count}" for v in chosen],
            textposition="outside",
            cliponaxis=False,
            customdata=labels,
            hovertemplate="%{customdata}<br>%{x:.1%} "
            + say("chart.variants.hover", language)
            + "<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(tickformat=".0%", title=say("chart.variants.axis", language), gridcolor="#eee")
    fig.update_layout(height=90 + 34 * len(chosen), title=say("chart.variants.title", language))
    return html_fragment(fig, "chart-variants")


def funnel_chart(summary: JourneySummary, language: str = "en") -> str:
    """How many journeys reach each step (model or inferred order)."""
    order = _positions(summary)
    steps = sorted(
        summary.drop_off.steps, key=lambda s: (-s.cases_reaching, order.get(s.step, 0.0))
    )
    fig = go.Figure(
        go.Funnel(
            y=[s.step for s in steps],
            x=[s.cases_reaching for s in steps],
            textinfo="value+percent initial",
            marker={"color": "#3c6e9f"},
        )
    )
    fig.update_layout(height=90 + 34 * len(steps), title=say("chart.funnel.title", language))
    return html_fragment(fig, "chart-funnel")


def rare_note(summary: JourneySummary, language: str = "en") -> str | None:
    """What the variants chart leaves out, e.g. "12 rarer paths, 40 journeys"; None if none."""
    found = summary.variants
    if not found.rare_variants:
        return None
    paths = say(plural("map.rare_paths", found.rare_variants), language, n=found.rare_variants)
    journeys = say(plural("map.journeys", found.rare_cases), language, n=found.rare_cases)
    return f"{paths}, {journeys}"


def journey_context(process: ProcessEvidence, language: str = "en") -> dict[str, object]:
    """What the report template needs to show the process gap and the ecosystem."""
    summary = process.summary
    overall = summary.throughput[0] if summary.throughput else None
    completion = summary.drop_off.completion[0] if summary.drop_off.completion else None
    return {
        "process": process,
        "conformance": process.conformance,
        "summary": summary,
        "k": summary.min_cases,
        "hidden_arcs": summary.graph.hidden_edges,
        "rare_note": rare_note(summary, language),
        "map_svg": process_map_svg(summary, language),
        "variants_chart": (
            variant_chart(summary, language=language) if summary.variants.variants else ""
        ),
        "funnel_chart": funnel_chart(summary, language),
        "median_days": None
        if overall is None or overall.median_seconds is None
        else overall.median_seconds / 86_400,
        "p90_days": None
        if overall is None or overall.p90_seconds is None
        else overall.p90_seconds / 86_400,
        "completion": completion,
        "estimate_rows": [
            {
                "what": term("quantity", e.quantity, language)
                + ("" if e.step is None else f": {e.step}"),
                "expected": _estimate(e.quantity, e.expected, language),
                "observed": say("journeys.fewer", language, k=summary.min_cases)
                if e.withheld
                else "–"
                if e.observed is None
                else _estimate(e.quantity, e.observed, language),
                "relative": e.relative_error,
            }
            for e in process.estimate_errors
        ],
        "ecosystem": process.ecosystem,
        "waiting": summary.waiting[:5],
        "duration": partial(_duration, language=language),
    }


def _estimate(quantity: str, value: float, language: str = "en") -> str:
    return _duration(value, language) if quantity == "duration_seconds" else f"{value:.0%}"
