"""The self-contained HTML report, rendered from :class:`AssessmentResult`."""

from outsidein.report.html import render_report

__all__ = ["render_report"]
