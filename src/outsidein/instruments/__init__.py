"""The questionnaires and rubrics as versioned data files, and their loader.

Files in this folder are the source of truth for item ids and texts:

- ``readiness-v1.yaml``: the twelve-aspect readiness instrument (Grönroos);
- ``stages-v1.yaml``: the four-stage rubric (Gulati) with its items and indicators;
- ``beliefs-v1.yaml``: templates of the belief items, expanded per quality attribute and
  journey step;
- ``attributes-default.yaml``: quality attributes for a firm that has defined none.

Item ids are stable across versions: a new version may add items, never reuse an id.
"""

from outsidein.instruments.loader import (
    InstrumentError,
    default_attributes,
    load_instrument,
    parse_attributes,
    parse_items,
)

__all__ = [
    "InstrumentError",
    "default_attributes",
    "load_instrument",
    "parse_attributes",
    "parse_items",
]
