"""The questionnaire as typed data: items, scales, the readiness grid and the stage rubric.

The texts and item lists live in versioned YAML files in :mod:`outsidein.instruments`; this
module only defines their shape, so that the statistics in ``core`` can be written against it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal


class Role(StrEnum):
    """The two kinds of staff whose answers must both say yes."""

    MANAGER = "manager"
    OPERATIONAL = "operational"


ROLES: tuple[Role, ...] = (Role.MANAGER, Role.OPERATIONAL)
QUESTIONS: tuple[str, ...] = ("P", "Q")
ASPECTS: tuple[str, ...] = ("U", "M", "O")
LANGUAGES: tuple[str, ...] = ("en", "fi", "de")

Question = Literal["P", "Q", "stage", "belief"]
Side = Literal["customer", "own"]

Texts = Mapping[str, str]
"""A text in several languages, keyed by language code."""


def pick(texts: Texts, language: str) -> str:
    """The text in ``language``, falling back to English, then to any language present."""
    if language in texts:
        return texts[language]
    if "en" in texts:
        return texts["en"]
    return next(iter(texts.values()), "")


@dataclass(frozen=True, slots=True, kw_only=True)
class Item:
    """One question a respondent answers on a numeric scale."""

    id: str
    question: Question
    aspect: str  # U/M/O for readiness items, the stage number for stage items, kind for beliefs
    roles: tuple[Role, ...]
    scale_min: int
    scale_max: int
    text: Texts
    reverse: bool = False
    side: Side | None = None
    pair: str | None = None
    attribute: str | None = None  # belief items about a quality attribute
    step: str | None = None  # belief items about a journey step

    def reversed_value(self, value: float) -> float:
        """The value with the scale flipped, for reverse-keyed items."""
        return self.scale_min + self.scale_max - value

    def to_dict(self, language: str | None = None) -> dict[str, object]:
        out: dict[str, object] = {
            "id": self.id,
            "question": self.question,
            "aspect": self.aspect,
            "roles": [str(r) for r in self.roles],
            "side": self.side,
            "scale_min": self.scale_min,
            "scale_max": self.scale_max,
            "reverse": self.reverse,
        }
        if self.pair is not None:
            out["pair"] = self.pair
        if self.attribute is not None:
            out["attribute"] = self.attribute
        if self.step is not None:
            out["step"] = self.step
        out["text"] = pick(self.text, language) if language else dict(self.text)
        return out


@dataclass(frozen=True, slots=True, kw_only=True)
class AspectKey:
    """A cell of the readiness grid: question x aspect x role (12 in all)."""

    question: str
    aspect: str
    role: Role

    @property
    def scale(self) -> str:
        return f"{self.question}-{self.aspect}"

    def __str__(self) -> str:
        return f"{self.question}-{self.aspect} ({self.role})"


def aspect_keys() -> tuple[AspectKey, ...]:
    """The twelve aspects in report order: P before Q, U-M-O, managers before operational."""
    return tuple(
        AspectKey(question=q, aspect=a, role=r) for q in QUESTIONS for a in ASPECTS for r in ROLES
    )


IndicatorKind = Literal["survey", "evidence"]
Direction = Literal["at_least", "at_most"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Indicator:
    """A condition that must hold for a firm to be at a stage."""

    id: str
    stage: int
    kind: IndicatorKind
    direction: Direction
    threshold: float
    text: Texts
    items: tuple[str, ...] = ()
    roles: tuple[Role, ...] = ()
    metric: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Stage:
    level: int
    name: Texts
    description: Texts
    actions: Texts


@dataclass(frozen=True, slots=True, kw_only=True)
class Instrument:
    """Everything a respondent may be asked, plus the texts the verdict and report need."""

    version: str
    items: tuple[Item, ...]
    stages: tuple[Stage, ...]
    indicators: tuple[Indicator, ...]
    question_text: Mapping[str, Texts] = field(default_factory=dict)
    aspect_text: Mapping[str, Texts] = field(default_factory=dict)
    failing_text: Mapping[str, Texts] = field(default_factory=dict)
    aspect_actions: Mapping[str, Texts] = field(default_factory=dict)
    anchors: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        seen: set[str] = set()
        for item in self.items:
            if item.id in seen:
                raise ValueError(f"duplicate item id {item.id!r}")
            seen.add(item.id)
        for indicator in self.indicators:
            missing = [i for i in indicator.items if i not in seen]
            if missing:
                raise ValueError(f"indicator {indicator.id!r} names unknown items {missing}")

    @property
    def item_ids(self) -> tuple[str, ...]:
        return tuple(item.id for item in self.items)

    def item(self, item_id: str) -> Item:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    def items_for(
        self, *, question: str, aspect: str, role: Role | None = None, side: Side | None = None
    ) -> tuple[Item, ...]:
        """Items of one readiness scale, optionally for one role and one side."""
        return tuple(
            i
            for i in self.items
            if i.question == question
            and i.aspect == aspect
            and (role is None or role in i.roles)
            and (side is None or i.side == side)
        )

    def stage(self, level: int) -> Stage:
        for stage in self.stages:
            if stage.level == level:
                return stage
        raise KeyError(level)

    def with_items(self, extra: Iterable[Item]) -> Instrument:
        """A copy with the firm's own items added (ids must not clash)."""
        return Instrument(
            version=self.version,
            items=self.items + tuple(extra),
            stages=self.stages,
            indicators=self.indicators,
            question_text=self.question_text,
            aspect_text=self.aspect_text,
            failing_text=self.failing_text,
            aspect_actions=self.aspect_actions,
            anchors=self.anchors,
        )
