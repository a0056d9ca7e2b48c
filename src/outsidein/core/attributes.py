"""Quality attributes: what customers may judge a firm on (Grönroos' three dimensions)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from outsidein.core.instrument import Texts, pick


def attribute_id_problem(identifier: str) -> str | None:
    """Why ``identifier`` cannot be an attribute id, or None when it can.

    One rule for every way in (attribute files, customer-survey columns, the text engine):
    lowercase letters, digits and ``_``, as ids name survey items (``bi_imp__<id>``), Parquet
    columns and the ``;``- and ``:``-separated cells of ``voice tag``'s output.

    >>> attribute_id_problem("on_time") is None
    True
    >>> attribute_id_problem("On-time")
    "id 'On-time' must be lowercase letters, digits and _"
    """
    if identifier.replace("_", "").isalnum() and identifier.lower() == identifier:
        return None
    return f"id {identifier!r} must be lowercase letters, digits and _"


class Dimension(StrEnum):
    """Grönroos (1984): what the customer gets, how it is delivered, and the firm's image."""

    TECHNICAL = "technical"
    FUNCTIONAL = "functional"
    IMAGE = "image"


@dataclass(frozen=True, slots=True, kw_only=True)
class QualityAttribute:
    id: str
    name: Texts
    description: Texts
    dimension: Dimension
    examples: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # per language: what customers say when pleased or displeased with this attribute
    # ("arrived on time", "late delivery"); seeds of tagging like the examples, and they teach
    # polarity what praise and complaints sound like in the firm's trade
    praise: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    complaints: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def label(self, language: str = "en") -> str:
        return pick(self.name, language)

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name": dict(self.name),
            "description": dict(self.description),
            "dimension": str(self.dimension),
            "examples": {lang: list(v) for lang, v in self.examples.items()},
            "praise": {lang: list(v) for lang, v in self.praise.items()},
            "complaints": {lang: list(v) for lang, v in self.complaints.items()},
        }
