"""The whole answer for one assessment: readiness verdict, stage, and the evidence behind them.

This is the object the report, the CLI's ``--json``, the web dashboard and the Python API all
render; its ``to_dict()`` is the documented JSON shape of ``outsidein assess --json``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from outsidein.core.psychometrics import NotEstimable
from outsidein.core.readiness import ReadinessResult
from outsidein.core.stages import Evidence, StageResult


class Section(Protocol):
    """A result section added by an evidence engine (quality, process, ecosystem...)."""

    def to_dict(self) -> dict[str, object]: ...


EVIDENCE_SECTIONS = ("quality", "process", "ecosystem")
"""The customer-evidence sections: present in the JSON as null when their data is missing."""


@dataclass(frozen=True, slots=True, kw_only=True)
class AssessmentResult:
    firm: str
    assessment: str
    instrument_version: str
    generated_at: str
    seed: int
    language: str
    readiness: ReadinessResult
    stage: StageResult
    closed_at: str | None = None  # when the staff survey was closed (ISO 8601, UTC); None: open
    evidence: Mapping[str, Evidence] = field(default_factory=dict)
    sections: Mapping[str, Section] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        reliability: dict[str, object] = {}
        for scale, result in self.readiness.reliability.items():
            if result is None:
                reliability[scale] = {"suppressed": True, "alpha": None, "omega": None}
            elif isinstance(result, NotEstimable):
                reliability[scale] = {"alpha": None, "omega": None, **result.to_dict()}
            else:
                reliability[scale] = result.to_dict()
        out: dict[str, object] = {
            "firm": self.firm,
            "assessment": self.assessment,
            "instrument_version": self.instrument_version,
            "generated_at": self.generated_at,
            "closed_at": self.closed_at,
            "seed": self.seed,
            "readiness": self.readiness.to_dict(),
            "stage": self.stage.to_dict(),
            "reliability": reliability,
            "agreement": [a.to_dict() for a in self.readiness.agreement],
        }
        for name in EVIDENCE_SECTIONS:  # null until that evidence is in the workspace
            out[name] = None
        for name, section in self.sections.items():
            out[name] = section.to_dict()
        return out
