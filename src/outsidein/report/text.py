"""The customer evidence as plain text, for ``outsidein assess`` in a terminal.

The same typed results the HTML report renders (:class:`~outsidein.core.evidence.QualityEvidence`),
shortened to what a reader scans first: per role, the understanding gap and the largest delivery
gaps; from the comments, the attributes customers talk about most with their net sentiment, and
the emerging problems with their growth. Suppressed groups say so and show no number.

The lines are in the assessment's language (:mod:`~outsidein.report.wording`); the texts that
come with the results (reasons, the tagging method, attribute ids, problem labels) are shown as
the results hold them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from outsidein.core.emerging import EmergingProblem
from outsidein.core.evidence import QualityEvidence, VoiceEvidence
from outsidein.core.gaps import DeliveryGap, QualityGaps, UnderstandingGap
from outsidein.core.instrument import ROLES
from outsidein.core.quality import (
    AttributeMean,
    DimensionSplit,
    NetScore,
    ShareOfVoice,
    Suppressed,
)
from outsidein.core.readiness import ReadinessResult
from outsidein.core.sentiment import Polarity
from outsidein.core.voice_words import CustomerWords
from outsidein.report.wording import plural, say, status, term

TOP_DELIVERY = 3
TOP_ATTRIBUTES = 5
TOP_PROBLEMS = 5


def role_cell(role: str, language: str = "en") -> str:
    """A role in words, padded so that the lines of both roles line up: 12 wide, or as wide as
    the longer role in ``language``."""
    width = max(12, *(len(term("role", str(r), language)) for r in ROLES))
    return f"{term('role', role, language):<{width}}"


def readiness_summary(readiness: ReadinessResult, language: str = "en") -> str:
    """The verdict's count in ``language``: "7 of 12 aspects pass; 3 fail; 2 withheld (fewer
    than 5 answers)." (the words of :meth:`ReadinessResult.summary`, which has no language), for
    a readiness with answers."""
    failed = len(readiness.failing) - len(readiness.withheld)
    text = say(
        "verdict.passed",
        language,
        passed=sum(a.passed for a in readiness.aspects),
        total=len(readiness.aspects),
    )
    if failed:
        text += say("verdict.failed", language, n=failed)
    if readiness.withheld:
        text += say(
            "verdict.withheld",
            language,
            n=len(readiness.withheld),
            k=readiness.policy.anonymity_threshold,
        )
    return text + "."


def quality_lines(quality: QualityEvidence, language: str = "en") -> list[str]:
    """Lines (without newlines) summing up question Q's evidence, attributes by their ids."""
    lines: list[str] = []
    if quality.gaps is not None:
        lines += [say("text.quality", language), *_gap_lines(quality.gaps, language)]
    if quality.customers is not None and quality.customers.dimensions is not None:
        lines.append(_dimension_line(quality.customers.dimensions, language))
    if quality.voice is not None:
        lines += _voice_lines(quality.voice, language)
    return lines


def _gap_lines(gaps: QualityGaps, language: str) -> list[str]:
    lines: list[str] = []
    blank = " " * len(role_cell("", language))
    for role, gap in gaps.understanding.items():
        who = role_cell(role, language)
        if isinstance(gap, UnderstandingGap):
            lines.append(
                f"  {who} "
                + say(
                    "text.understanding",
                    language,
                    tau=f"{gap.tau:.2f}",
                    low=f"{gap.ci_low:.2f}",
                    high=f"{gap.ci_high:.2f}",
                    staff=gap.n_staff,
                    customers=gap.n_customers,
                )
            )
            for key, attributes in (
                ("text.overestimated", gap.overestimated),
                ("text.underestimated", gap.underestimated),
            ):
                if attributes:
                    listed = ", ".join(attributes)
                    lines.append(f"  {blank}   " + say(key, language, attributes=listed))
        else:
            lines.append(
                f"  {who} " + say("text.understanding_not_shown", language, reason=gap.reason)
            )
    for role, cells in gaps.delivery.items():
        who = role_cell(role, language)
        measured = [g for g in cells.values() if isinstance(g, DeliveryGap)]
        if not measured:
            reasons = {g.reason for g in cells.values() if not isinstance(g, DeliveryGap)}
            reason = "; ".join(sorted(reasons)) or say("text.no_attributes", language)
            lines.append(f"  {who} " + say("text.delivery_not_shown", language, reason=reason))
            continue
        largest = sorted(measured, key=lambda g: (-abs(g.gap), g.attribute))[:TOP_DELIVERY]
        shown = "; ".join(
            f"{g.attribute} {g.gap:+.2f} [{g.ci_low:+.2f}, {g.ci_high:+.2f}]" for g in largest
        )
        lines.append(f"  {who} " + say("text.delivery", language, gaps=shown))
    return lines


def _dimension_line(split: DimensionSplit, language: str) -> str:
    """Customers' technical and functional quality, and how delivery compares with what is
    delivered (a paired difference)."""
    parts = [
        f"{term('dimension', dimension, language)} "
        + (
            f"{score.mean:.2f} [{score.ci_low:.2f}, {score.ci_high:.2f}]"
            if isinstance(score, AttributeMean)
            else status(
                "suppressed" if isinstance(score, Suppressed) else "not_estimable", language
            )
        )
        for dimension, score in split.scores.items()
    ]
    line = "  " + say("text.dimensions", language, ratings=", ".join(parts))
    difference = split.functional_minus_technical
    if isinstance(difference, AttributeMean):
        line += say(
            "text.functional_minus_technical",
            language,
            difference=f"{difference.mean:+.2f} "
            f"[{difference.ci_low:+.2f}, {difference.ci_high:+.2f}]",
        )
    elif difference is not None:
        line += say("text.functional_minus_technical_not_shown", language, reason=difference.reason)
    return line


def _voice_lines(voice: VoiceEvidence, language: str) -> list[str]:
    lines = [
        say(
            "text.voice",
            language,
            comments=voice.comments,
            sentences=voice.sentences,
            method=voice.note,
        )
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
                say("text.sentiment_suppressed", language)
                if sentiment is None
                else say(
                    "text.sentiment",
                    language,
                    score=f"{sentiment.score:+.0f}",
                    low=f"{sentiment.ci_low:+.0f}",
                    high=f"{sentiment.ci_high:+.0f}",
                )
            )
            said = say(
                "text.share",
                language,
                share=f"{100 * share.share:4.0f}",
                low=f"{100 * share.ci_low:.0f}",
                high=f"{100 * share.ci_high:.0f}",
                sentiment=tone,
            )
            lines.append(f"  {item.attribute:<24} {said}")
            lines += attribute_words_lines(voice.words, item.attribute, language)
    else:
        lines.append("  " + say("text.share_not_shown", language, reason=voice.share.reason))
    if voice.emerging:
        shown = shown_problems(voice.emerging)
        lines.append("  " + say("text.emerging", language))
        lines += [f"    {_problem(p, language)}" for p in shown]
        left = len(voice.emerging) - len(shown)
        if left:
            lines.append("    " + say(plural("text.emerging_more", left), language, n=left))
    return lines


def shown_problems(problems: Sequence[EmergingProblem]) -> list[EmergingProblem]:
    """The first ``TOP_PROBLEMS`` by rank, and every growing problem after them: a problem that
    is growing is news however small it still is."""
    return [
        p
        for i, p in enumerate(problems)
        if i < TOP_PROBLEMS or (p.growth is not None and p.growth.growing)
    ]


WORDS_LABELS = ((Polarity.POSITIVE, "words.praised"), (Polarity.NEGATIVE, "words.complained"))


def attribute_words_lines(
    words: CustomerWords | None, attribute: str, language: str = "en"
) -> list[str]:
    """In customers' words: what they praise and complain about the attribute with."""
    if words is None:
        return []
    lines = []
    for polarity, label in WORDS_LABELS:
        group = words.of(attribute, polarity)
        if group is not None and group.words:
            unsaid = (
                say("text.unsaid", language, words=", ".join(group.unsaid)) if group.unsaid else ""
            )
            lines.append(f"    {say(label, language)}: {', '.join(group.words)}{unsaid}")
    return lines


def _problem(problem: EmergingProblem, language: str) -> str:
    text = say("text.problem", language, label=problem.label, n=problem.size)
    if problem.comments is not None:
        text += say("text.problem_from", language, n=problem.comments)
    text += say("text.problem_negative", language, share=f"{100 * problem.negative_share:.0f}")
    growth = problem.growth
    if growth is not None:
        ratio = (
            say("emerging.new", language) if math.isinf(growth.ratio) else f"×{growth.ratio:.1f}"
        )
        high = "∞" if math.isinf(growth.ci_high) else f"{growth.ci_high:.1f}"
        text += say(
            "text.problem_lately",
            language,
            ratio=ratio,
            low=f"{growth.ci_low:.1f}",
            high=high,
            since=growth.since,
        )
        if growth.growing:
            text += say("text.problem_growing", language)
    if problem.nearest is not None and problem.nearest_affinity is not None:
        text += say(
            "text.problem_nearest",
            language,
            name=problem.nearest,
            affinity=f"{problem.nearest_affinity:.2f}",
        )
    quote = problem.examples[0] if problem.examples else ""
    return say("text.problem_quote", language, problem=text, quote=quote) if quote else text


def customer_words_lines(words: CustomerWords, language: str = "en") -> list[str]:
    """In customers' words, every attribute with a group shown (``voice tag``)."""
    lines = [say("text.customer_words", language, n=words.min_group)]
    for attribute in dict.fromkeys(group.attribute for group in words.groups):
        shown = attribute_words_lines(words, attribute, language)
        if shown:
            lines += [f"  {attribute}", *shown]
    return lines
