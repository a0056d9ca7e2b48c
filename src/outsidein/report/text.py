"""The customer evidence as plain text, for ``outsidein assess`` in a terminal.

The same typed results the HTML report renders (:class:`~outsidein.core.evidence.QualityEvidence`),
shortened to what a reader scans first: per role, the understanding gap and the largest delivery
gaps; from the comments, the attributes customers talk about most with their net sentiment, and
the emerging problems with their growth. Suppressed groups say so and show no number.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from outsidein.core.emerging import EmergingProblem
from outsidein.core.evidence import QualityEvidence, VoiceEvidence
from outsidein.core.gaps import DeliveryGap, QualityGaps, UnderstandingGap
from outsidein.core.quality import (
    AttributeMean,
    DimensionSplit,
    NetScore,
    ShareOfVoice,
    Suppressed,
)
from outsidein.core.sentiment import Polarity
from outsidein.core.voice_words import CustomerWords

TOP_DELIVERY = 3
TOP_ATTRIBUTES = 5
TOP_PROBLEMS = 5


def quality_lines(quality: QualityEvidence) -> list[str]:
    """Lines (without newlines) summing up question Q's evidence, attributes by their ids."""
    lines: list[str] = []
    if quality.gaps is not None:
        lines += [
            "quality (question Q): staff beliefs against customers",
            *_gap_lines(quality.gaps),
        ]
    if quality.customers is not None and quality.customers.dimensions is not None:
        lines.append(_dimension_line(quality.customers.dimensions))
    if quality.voice is not None:
        lines += _voice_lines(quality.voice)
    return lines


def _gap_lines(gaps: QualityGaps) -> list[str]:
    lines: list[str] = []
    for role, gap in gaps.understanding.items():
        if isinstance(gap, UnderstandingGap):
            lines.append(
                f"  {role:<12} understanding: Kendall τ {gap.tau:.2f} "
                f"[{gap.ci_low:.2f}, {gap.ci_high:.2f}], {gap.n_staff} staff, "
                f"{gap.n_customers} customers"
            )
            if gap.overestimated:
                over = ", ".join(a for a in gap.overestimated)
                lines.append(f"  {'':<12}   overestimated: {over}")
            if gap.underestimated:
                under = ", ".join(a for a in gap.underestimated)
                lines.append(f"  {'':<12}   underestimated: {under}")
        else:
            lines.append(f"  {role:<12} understanding: {gap.reason}")
    for role, cells in gaps.delivery.items():
        measured = [g for g in cells.values() if isinstance(g, DeliveryGap)]
        if not measured:
            reasons = {g.reason for g in cells.values() if not isinstance(g, DeliveryGap)}
            lines.append(f"  {role:<12} delivery: {'; '.join(sorted(reasons)) or 'no attributes'}")
            continue
        largest = sorted(measured, key=lambda g: (-abs(g.gap), g.attribute))[:TOP_DELIVERY]
        shown = "; ".join(
            f"{g.attribute} {g.gap:+.2f} [{g.ci_low:+.2f}, {g.ci_high:+.2f}]" for g in largest
        )
        lines.append(f"  {role:<12} delivery (staff − customers, 1–7): {shown}")
    return lines


def _dimension_line(split: DimensionSplit) -> str:
    """Customers' technical and functional quality, and how delivery compares with what is
    delivered (a paired difference)."""
    parts = [
        f"{dimension} {score.mean:.2f} [{score.ci_low:.2f}, {score.ci_high:.2f}]"
        if isinstance(score, AttributeMean)
        else f"{dimension} {'suppressed' if isinstance(score, Suppressed) else 'not estimable'}"
        for dimension, score in split.scores.items()
    ]
    line = "  customers' ratings by dimension: " + ", ".join(parts)
    difference = split.functional_minus_technical
    if isinstance(difference, AttributeMean):
        line += (
            f"; functional − technical {difference.mean:+.2f} "
            f"[{difference.ci_low:+.2f}, {difference.ci_high:+.2f}]"
        )
    elif difference is not None:
        line += f"; functional − technical: {difference.reason}"
    return line


def _voice_lines(voice: VoiceEvidence) -> list[str]:
    lines = [
        f"customer voice: {voice.comments} comments, {voice.sentences} sentences ({voice.note})"
    ]
    if isinstance(voice.share, ShareOfVoice):
        net = {
            s.attribute: s.sentiment
            for s in voice.sentiment.sentiments
            if isinstance(s.sentiment, NetScore)
        }
        top = sorted(voice.share.shares, key=lambda s: (-s.share.share, s.attribute))
        for item in top[:TOP_ATTRIBUTES]:
            share = item.share
            sentiment = net.get(item.attribute)
            tone = (
                "net sentiment suppressed"
                if sentiment is None
                else f"net sentiment {sentiment.score:+.0f} "
                f"[{sentiment.ci_low:+.0f}, {sentiment.ci_high:+.0f}]"
            )
            lines.append(
                f"  {item.attribute:<24} {100 * share.share:4.0f}% of comments "
                f"[{100 * share.ci_low:.0f}, {100 * share.ci_high:.0f}], {tone}"
            )
            lines += attribute_words_lines(voice.words, item.attribute)
    else:
        lines.append(f"  share of voice: {voice.share.reason}")
    if voice.emerging:
        lines.append("  emerging problems (no attribute covers them):")
        lines += [f"    {_problem(p)}" for p in shown_problems(voice.emerging)]
        left = len(voice.emerging) - len(shown_problems(voice.emerging))
        if left:
            lines.append(f"    … and {left} more (see the report)")
    return lines


def shown_problems(problems: Sequence[EmergingProblem]) -> list[EmergingProblem]:
    """The first ``TOP_PROBLEMS`` by rank, and every growing problem after them: a problem that
    is growing is news however small it still is."""
    return [
        p
        for i, p in enumerate(problems)
        if i < TOP_PROBLEMS or (p.growth is not None and p.growth.growing)
    ]


WORDS_LABELS = ((Polarity.POSITIVE, "praised with"), (Polarity.NEGATIVE, "complained about with"))


def attribute_words_lines(words: CustomerWords | None, attribute: str) -> list[str]:
    """In customers' words: what they praise and complain about the attribute with."""
    if words is None:
        return []
    lines = []
    for polarity, label in WORDS_LABELS:
        group = words.of(attribute, polarity)
        if group is not None and group.words:
            unsaid = f" (not in our definition: {', '.join(group.unsaid)})" if group.unsaid else ""
            lines.append(f"    {label}: {', '.join(group.words)}{unsaid}")
    return lines


def _problem(problem: EmergingProblem) -> str:
    text = (
        f"{problem.label}: {problem.size} sentences"
        + (f" from {problem.comments} comments" if problem.comments is not None else "")
        + f", {100 * problem.negative_share:.0f}% negative"
    )
    growth = problem.growth
    if growth is not None:
        ratio = "new" if math.isinf(growth.ratio) else f"×{growth.ratio:.1f}"
        high = "∞" if math.isinf(growth.ci_high) else f"{growth.ci_high:.1f}"
        text += f", lately {ratio} [{growth.ci_low:.1f}, {high}] (since {growth.since})"
        if growth.growing:
            text += " GROWING"
    if problem.nearest is not None and problem.nearest_affinity is not None:
        text += f", nearest {problem.nearest} ({problem.nearest_affinity:.2f})"
    quote = problem.examples[0] if problem.examples else ""
    return f"{text} — “{quote}”" if quote else text


def customer_words_lines(words: CustomerWords) -> list[str]:
    """In customers' words, every attribute with a group shown (``voice tag``)."""
    lines = [f"in customers' words (groups of at least {words.min_group} comments):"]
    for attribute in dict.fromkeys(group.attribute for group in words.groups):
        shown = attribute_words_lines(words, attribute)
        if shown:
            lines += [f"  {attribute}", *shown]
    return lines
