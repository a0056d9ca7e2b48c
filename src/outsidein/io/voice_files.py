"""Files of the voice engine: attribute definitions, labelled sentences, tables of comments.

All readers validate the whole file and raise :class:`~outsidein.io.problems.ImportRejected`
naming every problem (file, row, column), in line with every importer of outsidein.

``attrs.yaml``::

    attributes:
      - id: staff
        name: Staff                    # or {en: Staff, fi: Henkilökunta, de: Personal}
        description: The people who serve us, their friendliness and manners.   # or a map
        dimension: functional          # technical | functional | image
        examples: [waiter, waitress]   # optional: phrases that speak of it
        praise: [friendly waiter]      # optional: what pleased customers say
        complaints: [rude, ignored us] # optional: what displeased customers say

Examples, praise and complaints all seed the tagging; praise and complaints also teach
polarity what good and bad sound like in the firm's trade (``services.voice``).

``LABELLED.csv``: columns ``text`` and ``attributes`` (ids separated by ``;``, may be empty),
optionally ``attribute_sentiment`` (``id:polarity`` pairs separated by ``;``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import yaml

from outsidein.core.sentiment import Polarity
from outsidein.core.voice_attributes import Attribute
from outsidein.instruments import InstrumentError, parse_attributes
from outsidein.io.imported import ImportedTable
from outsidein.io.problems import Problem, reject_if_any
from outsidein.io.survey_exports import read_table as read_raw_table

TABLE_SUFFIXES = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".txt": "csv",
    ".xlsx": "xlsx",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}


def read_table(path: Path) -> pl.DataFrame:
    """A table of comments from CSV/TSV, XLSX (first sheet), Parquet or JSON Lines, every cell
    as text (None where empty), so that the columns are written back unchanged.

    Read by the importers' own reader (:func:`outsidein.io.survey_exports.read_table`): the
    separator is found, text must be UTF-8 (a file in another encoding is refused, naming the
    line and byte, never read with replacement characters), fully blank rows are skipped, and
    a malformed line, a row longer than the header or a repeated column name is named.
    """
    return _read_rows(path)[0]


def _read_rows(path: Path) -> tuple[pl.DataFrame, tuple[int, ...]]:
    """:func:`read_table`, with the row each record stands on in the file."""
    name = str(path)
    if not path.is_file():
        reject_if_any([Problem(file=name, reason="file not found")])
    if path.suffix.lower() not in TABLE_SUFFIXES:
        reject_if_any(
            [
                Problem(
                    file=name,
                    reason=f"unknown file type {path.suffix!r}; use one of "
                    + ", ".join(sorted(TABLE_SUFFIXES)),
                )
            ]
        )
    raw = read_raw_table(path)
    problems = list(raw.problems)
    seen: dict[str, int] = {}
    for position, column in enumerate(raw.header):
        if column in seen:
            problems.append(
                Problem(
                    file=raw.file,
                    row=raw.header_row,
                    column=column,
                    reason=f"the column name appears twice (columns {seen[column] + 1} and "
                    f"{position + 1}); rename one",
                )
            )
        seen.setdefault(column, position)
    reject_if_any(problems)
    columns = {
        column or f"#{position + 1}": pl.Series(
            [_as_text(cell) for cell in raw.values(position)], dtype=pl.String
        )
        for position, column in enumerate(raw.header)
    }
    return pl.DataFrame(columns), raw.rows


def _as_text(cell: object) -> str | None:
    """A cell as the text a CSV would hold: lists and maps as JSON, numbers as written."""
    if cell is None or (isinstance(cell, str) and not cell):
        return None
    if isinstance(cell, str):
        return cell
    if isinstance(cell, bool):
        return "true" if cell else "false"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, list | tuple | dict):
        return json.dumps(cell, ensure_ascii=False, default=str)
    return str(cell)


def text_column(frame: pl.DataFrame, column: str, name: str) -> list[str]:
    """The cells of ``column`` as strings (missing cells as ""), or a problem naming the
    columns that exist."""
    if column not in frame.columns:
        reject_if_any(
            [
                Problem(
                    file=name,
                    column=column,
                    reason="no such column; the file has: " + ", ".join(frame.columns),
                )
            ]
        )
    return ["" if value is None else str(value) for value in frame.get_column(column).to_list()]


def read_attributes(path: Path, *, language: str = "en") -> tuple[Attribute, ...]:
    """Attributes from an ``attrs.yaml`` (see the module docstring).

    The same reader as a workspace's ``outsidein attributes`` (one schema, one id rule:
    :func:`~outsidein.instruments.parse_attributes`), so a file that tags standalone is also a
    workspace's attribute set. Names, descriptions and phrases may be translated maps;
    ``language`` picks one, falling back to English and then to the first language given.
    """
    name = str(path)
    if not path.is_file():
        reject_if_any([Problem(file=name, reason="file not found")])
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        reject_if_any([Problem(file=name, reason=f"not valid YAML: {error}")])
    if not isinstance(document, Mapping):
        document = {}
    try:
        parsed = parse_attributes(document, source=name)
    except InstrumentError as error:
        reject_if_any(
            [
                Problem(file=name, reason=line.removeprefix(f"{name}: "))
                for line in str(error).splitlines()
            ]
        )
        return ()  # pragma: no cover - reject_if_any raised
    return tuple(Attribute.from_quality(attribute, language) for attribute in parsed)


@dataclass(frozen=True, slots=True, kw_only=True)
class LabelledSentences:
    """Sentences with the attributes they speak about (and, optionally, their polarity)."""

    texts: tuple[str, ...]
    labels: tuple[tuple[str, ...], ...]
    polarity: tuple[tuple[tuple[str, Polarity], ...], ...] | None

    def restricted_to(
        self, attribute_ids: Sequence[str]
    ) -> tuple[LabelledSentences | None, tuple[str, ...]]:
        """Without the sentences labelled with an attribute not in ``attribute_ids`` (stored
        labels can outlive an attribute the firm has since redefined: whether such a sentence
        speaks of one of the new attributes is unknown), and the ids left out; None when no
        remaining sentence has an attribute."""
        known = set(attribute_ids)
        unknown = sorted({i for ids in self.labels for i in ids if i not in known})
        if not unknown:
            return self, ()
        keep = [k for k, ids in enumerate(self.labels) if known.issuperset(ids)]
        if not any(self.labels[k] for k in keep):
            return None, tuple(unknown)
        kept = LabelledSentences(
            texts=tuple(self.texts[k] for k in keep),
            labels=tuple(self.labels[k] for k in keep),
            polarity=None if self.polarity is None else tuple(self.polarity[k] for k in keep),
        )
        return kept, tuple(unknown)


def read_labelled(path: Path, attribute_ids: Sequence[str]) -> LabelledSentences:
    """Labelled sentences for the few-shot and supervised regimes (module docstring)."""
    name = str(path)
    frame, row_numbers = _read_rows(path)
    missing = [c for c in ("text", "attributes") if c not in frame.columns]
    if missing:
        reject_if_any(
            [
                Problem(
                    file=name,
                    column=column,
                    reason="required column missing; the file has: " + ", ".join(frame.columns),
                )
                for column in missing
            ]
        )
    known = set(attribute_ids)
    has_polarity = "attribute_sentiment" in frame.columns
    problems: list[Problem] = []
    texts: list[str] = []
    labels: list[tuple[str, ...]] = []
    polarity: list[tuple[tuple[str, Polarity], ...]] = []
    rows = frame.select(
        [pl.col(c).cast(pl.String) for c in ("text", "attributes")]
        + ([pl.col("attribute_sentiment").cast(pl.String)] if has_polarity else [])
    ).iter_rows()
    for number, row in zip(row_numbers, rows, strict=True):
        text, cell = row[0], row[1]
        if text is None or not text.strip():
            problems.append(Problem(file=name, row=number, column="text", reason="empty text"))
        ids = tuple(dict.fromkeys(part.strip() for part in (cell or "").split(";") if part.strip()))
        unknown = [i for i in ids if i not in known]
        if unknown:
            problems.append(
                Problem(
                    file=name,
                    row=number,
                    column="attributes",
                    reason=f"unknown attribute id(s) {', '.join(unknown)}; attrs.yaml defines "
                    + ", ".join(attribute_ids),
                )
            )
        pairs: list[tuple[str, Polarity]] = []
        if has_polarity:
            for part in (row[2] or "").split(";"):
                if not part.strip():
                    continue
                identifier, _, value = part.partition(":")
                identifier, value = identifier.strip(), value.strip()
                if identifier not in ids or value not in {p.value for p in Polarity}:
                    problems.append(
                        Problem(
                            file=name,
                            row=number,
                            column="attribute_sentiment",
                            reason=f"{part.strip()!r} is not id:polarity with an id of this "
                            "row's attributes and polarity positive, negative or neutral",
                        )
                    )
                else:
                    pairs.append((identifier, Polarity(value)))
        texts.append(text or "")
        labels.append(ids)
        polarity.append(tuple(pairs))
    if not texts:
        problems.append(Problem(file=name, reason="no labelled sentences"))
    reject_if_any(problems)
    return LabelledSentences(
        texts=tuple(texts), labels=tuple(labels), polarity=tuple(polarity) if has_polarity else None
    )


LABELLED_SCHEMA = {
    "text": pl.String(),
    "attributes": pl.String(),
    "attribute_sentiment": pl.String(),
}


@dataclass(frozen=True, slots=True, kw_only=True)
class LabelledImport(ImportedTable):
    """A validated file of labelled sentences, to be stored in a workspace (no dates, ids or
    skipped rows).

    ``frame`` has one row per sentence: ``text``, ``attributes`` and ``attribute_sentiment``
    (ids and ``id:polarity`` pairs separated by ``;``; the latter null when the file had none).
    """

    labelled: LabelledSentences

    def details(self) -> dict[str, object]:
        return {"polarity": self.labelled.polarity is not None}


def read_labelled_import(path: Path, attribute_ids: Sequence[str]) -> LabelledImport:
    """:func:`read_labelled`, with what a workspace import records (format, SHA-256)."""
    labelled = read_labelled(path, attribute_ids)
    polarity = labelled.polarity
    frame = pl.DataFrame(
        {
            "text": list(labelled.texts),
            "attributes": [";".join(ids) for ids in labelled.labels],
            "attribute_sentiment": (
                [None] * len(labelled.texts)
                if polarity is None
                else [";".join(f"{i}:{p.value}" for i, p in pairs) for pairs in polarity]
            ),
        },
        schema=LABELLED_SCHEMA,
    )
    return LabelledImport(
        labelled=labelled,
        frame=frame,
        source=path.name,
        format=TABLE_SUFFIXES[path.suffix.lower()],
        sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
    )


def labelled_from_frames(frames: Sequence[pl.DataFrame]) -> LabelledSentences | None:
    """The labelled sentences of stored frames (see :class:`LabelledImport`), in order;
    None without any. Polarity is None unless some frame carries it."""
    texts: list[str] = []
    labels: list[tuple[str, ...]] = []
    polarity: list[tuple[tuple[str, Polarity], ...]] = []
    any_polarity = False
    for frame in frames:
        for text, ids, pairs in frame.select(list(LABELLED_SCHEMA)).iter_rows():
            texts.append(text)
            labels.append(tuple(i for i in (ids or "").split(";") if i))
            any_polarity |= pairs is not None
            polarity.append(
                tuple(
                    (identifier, Polarity(value))
                    for identifier, _, value in (
                        part.partition(":") for part in (pairs or "").split(";") if part
                    )
                )
            )
    if not texts:
        return None
    return LabelledSentences(
        texts=tuple(texts),
        labels=tuple(labels),
        polarity=tuple(polarity) if any_polarity else None,
    )
