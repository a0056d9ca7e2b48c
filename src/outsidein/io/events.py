"""Read event logs (CSV, Parquet, XES and gzipped XES) into the canonical journey frame.

The canonical frame (see :mod:`outsidein.core.journeys`) has ``case`` (string), ``activity``
(categorical), ``timestamp`` (UTC datetime) and, when mapped, ``actor``, ``channel``,
``lifecycle`` and ``segment`` (strings). Rows come out grouped by case in time order; events at
the same instant keep their order in the file.

Validation is all or nothing (:class:`~outsidein.io.problems.ImportRejected`, every bad cell
named). Rows are numbered as in a spreadsheet (header = row 1, first event = row 2) for CSV and
Parquet; for XES the "row" is the line of the ``<event>`` element in the file. Choices:

- **Time zones.** Timestamps with an offset (``+01:00``, ``Z``) are converted to UTC. Timestamps
  without one are read in ``default_timezone`` (an IANA name such as ``Europe/Helsinki``); if it
  is not given the file is rejected. A column that mixes both is rejected, row by row: an
  export that writes some zones and drops others cannot be trusted to mean one zone. Local
  times that do not exist or are ambiguous in ``default_timezone`` (daylight-saving changes)
  are rejected too. Different offsets (e.g. summer and winter time) are fine and are listed
  in :attr:`EventImport.utc_offsets`.
- **Duplicate events.** A row equal to an earlier row in *every* column of the file (every
  attribute, for XES) is the same event recorded twice: by default it is dropped and counted
  in :attr:`EventImport.duplicates_dropped`; ``duplicates="reject"`` rejects the file instead.
  Rows that share case, activity and time but differ elsewhere (two payments of different
  amounts on one day) are distinct events and are kept. Mapped columns are compared by value,
  the others by a 64-bit hash, so that a large file's other columns are never held in memory.
- **One-event cases** are kept (a customer who came once and left is a journey that stopped at
  its first step) and counted in :attr:`EventImport.one_event_cases`.
- Empty case ids, empty activities, missing timestamps and unreadable dates are rejected.
"""

from __future__ import annotations

import gzip
import os
import xml.parsers.expat
import zoneinfo
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Literal, TypedDict, TypeVar, cast

import polars as pl

from outsidein.core.journeys import (
    ACTIVITY,
    ACTOR,
    CASE,
    CHANNEL,
    LIFECYCLE,
    SEGMENT,
    TIMESTAMP,
    in_case_order,
)
from outsidein.io.problems import MAX_REPORTED, ImportRejected, Problem

_T = TypeVar("_T")
EventFormat = Literal["csv", "parquet", "xes"]
DuplicatePolicy = Literal["drop", "reject"]

XES_DEFAULTS = {
    CASE: "case:concept:name",
    ACTIVITY: "concept:name",
    TIMESTAMP: "time:timestamp",
    ACTOR: "org:resource",
    LIFECYCLE: "lifecycle:transition",
}
"""Canonical column → XES attribute (trace attributes carry a ``case:`` prefix, as in pm4py)."""

_GUESSES = {
    CASE: (CASE, "case:concept:name", "case_id", "case id"),
    ACTIVITY: (ACTIVITY, "concept:name", "activity name"),
    TIMESTAMP: (TIMESTAMP, "time:timestamp", "time"),
}
_ROW = "_row"
_OFFSET = r"(?:[Zz]|[+-]\d{2}(?::?\d{2})?)"
_HAS_ZONE = r"\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*" + _OFFSET + "$"
_AWARE_FORMATS = ("%Y-%m-%d %H:%M:%S%.f%z", "%Y-%m-%d %H:%M%z")
_NAIVE_FORMATS = ("%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%d %H:%M", "%Y-%m-%d")


@dataclass(frozen=True, slots=True, kw_only=True)
class EventImport:
    """An event log read into the canonical frame, with what the import did to it."""

    events: pl.DataFrame
    source: str
    format: EventFormat
    rows: int
    duplicates_dropped: int
    one_event_cases: int
    columns: dict[str, str] = field(default_factory=dict)
    default_timezone: str | None = None
    utc_offsets: tuple[str, ...] = ()

    @property
    def cases(self) -> int:
        return self.events[CASE].n_unique()

    def to_dict(self) -> dict[str, object]:
        return {
            "source": self.source,
            "format": self.format,
            "rows": self.rows,
            "events": self.events.height,
            "cases": self.cases,
            "duplicates_dropped": self.duplicates_dropped,
            "one_event_cases": self.one_event_cases,
            "columns": dict(self.columns),
            "default_timezone": self.default_timezone,
            "utc_offsets": list(self.utc_offsets),
        }


class EventReadOptions(TypedDict, total=False):
    """The keyword options of :func:`read_events`, for callers that pass them through."""

    case: str | None
    activity: str | None
    timestamp: str | None
    actor: str | None
    channel: str | None
    lifecycle: str | None
    segment: str | None
    default_timezone: str | None
    timestamp_format: str | None
    duplicates: DuplicatePolicy


def event_format(path: str | os.PathLike[str]) -> EventFormat:
    """The format of an event log, from its name: ``.csv[.gz]``, ``.parquet``, ``.xes[.gz]``."""
    name = Path(path).name.lower()
    if name.endswith((".xes", ".xes.gz")):
        return "xes"
    if name.endswith((".parquet", ".pq")):
        return "parquet"
    if name.endswith((".csv", ".csv.gz", ".tsv", ".txt")):
        return "csv"
    raise ValueError(f"{Path(path).name}: not an event log (use .csv, .parquet, .xes or .xes.gz)")


def read_events(
    path: str | os.PathLike[str],
    *,
    case: str | None = None,
    activity: str | None = None,
    timestamp: str | None = None,
    actor: str | None = None,
    channel: str | None = None,
    lifecycle: str | None = None,
    segment: str | None = None,
    default_timezone: str | None = None,
    timestamp_format: str | None = None,
    duplicates: DuplicatePolicy = "drop",
    separator: str = ",",
) -> EventImport:
    """Read and validate an event log; raise :class:`ImportRejected` listing every bad cell.

    Column arguments name the file's columns (XES attribute keys, trace ones prefixed
    ``case:``); left out, ``case``/``activity``/``timestamp`` are looked for under their
    canonical and XES names. ``timestamp_format`` is a chrono/strftime format; without it ISO
    8601 dates and times (with or without offset) are recognised.

    Example::

        log = read_events("fines.csv", case="case_id", activity="activity",
                          timestamp="timestamp", default_timezone="Europe/Rome")
    """
    if duplicates not in ("drop", "reject"):
        raise ValueError(f"duplicates must be 'drop' or 'reject', not {duplicates!r}")
    if default_timezone is not None:
        _check_zone(default_timezone)
    source = Path(path)
    kind = event_format(source)
    table = _EventTable.open(source, kind, separator)
    asked = {
        CASE: case,
        ACTIVITY: activity,
        TIMESTAMP: timestamp,
        ACTOR: actor,
        CHANNEL: channel,
        LIFECYCLE: lifecycle,
        SEGMENT: segment,
    }
    mapping = _resolve_columns(source.name, table.columns, asked, kind)
    raw = table.mapped(mapping)
    problems = _Problems(source.name)
    canonical = _canonical(raw, mapping, problems, default_timezone, timestamp_format)
    problems.raise_if_any()
    stamps = raw[mapping[TIMESTAMP]]
    offsets = _offsets(stamps) if stamps.dtype == pl.String else ()
    del raw, stamps
    ordered = in_case_order(canonical)
    ordered = ordered.with_columns(_same=(pl.col(CASE) == pl.col(CASE).shift(1)).fill_null(False))
    ordered, dropped = _without_duplicates(ordered, duplicates, mapping, problems)
    problems.raise_if_any()
    one_event = ordered.select(
        (~pl.col("_same") & ~pl.col("_same").shift(-1).fill_null(False)).sum()
    ).item()
    events = ordered.select([c for c in ordered.columns if not c.startswith("_")])
    return EventImport(
        events=events,
        source=source.name,
        format=kind,
        rows=canonical.height,
        duplicates_dropped=dropped,
        one_event_cases=one_event,
        columns=mapping,
        default_timezone=default_timezone,
        utc_offsets=offsets,
    )


def _check_zone(name: str) -> None:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"unknown time zone {name!r} (use an IANA name)") from error


class _Problems:
    """Problems found so far: the first MAX_REPORTED in full, the rest only counted."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.listed: list[Problem] = []
        self.total = 0

    def add(self, reason: str, *, row: int | None = None, column: str | None = None) -> None:
        self.total += 1
        if len(self.listed) < MAX_REPORTED:
            self.listed.append(Problem(file=self.file, row=row, column=column, reason=reason))

    def add_rows(self, bad: pl.DataFrame, column: str, reason: str | pl.Expr) -> None:
        """One problem per row of ``bad`` (which has ``_row``); ``reason`` may use its cells."""
        self.total += bad.height
        room = MAX_REPORTED - len(self.listed)
        if room <= 0 or bad.height == 0:
            return
        text = pl.lit(reason) if isinstance(reason, str) else reason
        shown = bad.head(room).select(_ROW, text.alias("_reason"))
        self.listed.extend(
            Problem(file=self.file, row=row, column=column, reason=why)
            for row, why in shown.iter_rows()
        )

    def raise_if_any(self) -> None:
        if self.total:
            raise ImportRejected(self.listed, total=self.total)


@dataclass(frozen=True, slots=True)
class _EventTable:
    """The file as a lazy table: mapped columns are read first; whole rows only when needed."""

    path: Path
    kind: EventFormat
    scan: pl.LazyFrame

    @classmethod
    def open(cls, path: Path, kind: EventFormat, separator: str) -> _EventTable:
        def scan() -> pl.LazyFrame:
            if kind == "xes":
                return _read_xes(path).lazy()
            if kind == "parquet":
                return pl.scan_parquet(path)
            if path.name.lower().endswith(".gz"):
                return pl.read_csv(path, separator=separator, infer_schema=False).lazy()
            return pl.scan_csv(path, separator=separator, infer_schema=False)

        table = cls(path, kind, _guarded(path, kind, scan))
        _guarded(path, kind, table.scan.collect_schema)
        return table

    @property
    def columns(self) -> list[str]:
        return [c for c in self.scan.collect_schema().names() if c != _ROW]

    def numbered(self) -> pl.LazyFrame:
        """Every column plus ``_row`` (spreadsheet row; for XES the event's line)."""
        if self.kind == "xes":
            return self.scan
        return self.scan.with_row_index(_ROW, offset=2)

    def mapped(self, mapping: dict[str, str]) -> pl.DataFrame:
        """``_row``, the mapped columns (activity already categorical) and ``_rest``, a 64-bit
        hash of all other columns (to tell duplicate rows without holding them), streamed."""
        activity = mapping[ACTIVITY]
        used = list(dict.fromkeys(mapping.values()))
        rest = [c for c in self.columns if c not in used]
        wanted = [
            pl.col(_ROW),
            *(
                pl.col(name).cast(pl.String).cast(pl.Categorical)
                if name == activity
                else pl.col(name)
                for name in used
            ),
            (pl.struct(rest).hash(seed=0) if rest else pl.lit(0, pl.UInt64)).alias("_rest"),
        ]
        query = self.numbered().select(wanted)
        return _guarded(self.path, self.kind, lambda: query.collect(engine="streaming"))


def _guarded(path: Path, kind: EventFormat, read: Callable[[], _T]) -> _T:
    """Run a read; a file polars cannot parse becomes a rejected import, not a crash."""
    try:
        return read()
    except (pl.exceptions.PolarsError, OSError, UnicodeDecodeError, EOFError) as error:
        text = str(error).strip()
        reason = text.splitlines()[0] if text else repr(error)
        raise ImportRejected(
            [Problem(file=path.name, reason=f"cannot read the file as {kind}: {reason}")]
        ) from error


def _resolve_columns(
    file: str, columns: list[str], asked: dict[str, str | None], kind: EventFormat
) -> dict[str, str]:
    mapping: dict[str, str] = {}
    problems: list[Problem] = []
    for canonical, name in asked.items():
        if name is None:
            guesses: tuple[str, ...] = (XES_DEFAULTS.get(canonical, ""),) if kind == "xes" else ()
            guesses += _GUESSES.get(canonical, ())
            name = next((g for g in guesses if g and g in columns), None)
            if name is None:
                if canonical in _GUESSES:
                    problems.append(
                        Problem(
                            file=file,
                            column=canonical,
                            reason=f"no {canonical} column: name it (columns are "
                            f"{', '.join(c for c in columns if c != _ROW)})",
                        )
                    )
                continue
        elif name not in columns:
            problems.append(
                Problem(
                    file=file,
                    column=name,
                    reason=f"column {name!r} (for {canonical}) is not in the file; columns are "
                    f"{', '.join(c for c in columns if c != _ROW)}",
                )
            )
            continue
        mapping[canonical] = name
    if problems:
        raise ImportRejected(problems)
    return mapping


def _text(column: str) -> pl.Expr:
    return pl.col(column).cast(pl.String).str.strip_chars()


def _canonical(
    raw: pl.DataFrame,
    mapping: dict[str, str],
    problems: _Problems,
    default_timezone: str | None,
    timestamp_format: str | None,
) -> pl.DataFrame:
    """The canonical columns, with every empty or unreadable required cell added to problems."""
    frame = raw.select(
        _ROW,
        pl.col(mapping[CASE]).cast(pl.String).alias(CASE),
        pl.col(mapping[ACTIVITY]).cast(pl.Categorical).alias(ACTIVITY),
        "_rest",
        *(
            _text(source).replace("", None).alias(canonical)
            for canonical, source in mapping.items()
            if canonical in (ACTOR, CHANNEL, LIFECYCLE, SEGMENT)
        ),
    )
    blank = r"^\s*$"
    problems.add_rows(
        frame.filter(pl.col(CASE).is_null() | pl.col(CASE).str.contains(blank)),
        mapping[CASE],
        "empty case id",
    )
    names = frame[ACTIVITY].unique().drop_nulls().cast(pl.String)
    if frame[ACTIVITY].has_nulls() or names.str.contains(blank).any():
        problems.add_rows(
            frame.filter(
                pl.col(ACTIVITY).is_null() | pl.col(ACTIVITY).cast(pl.String).str.contains(blank)
            ),
            mapping[ACTIVITY],
            "empty activity",
        )
    stamps = _timestamps(raw, mapping[TIMESTAMP], problems, default_timezone, timestamp_format)
    frame = frame.with_columns(stamps.alias(TIMESTAMP))
    return frame.select(
        CASE,
        ACTIVITY,
        TIMESTAMP,
        *(c for c in (ACTOR, CHANNEL, LIFECYCLE, SEGMENT) if c in mapping),
        _ROW,
        "_rest",
    )


def _timestamps(
    raw: pl.DataFrame,
    column: str,
    problems: _Problems,
    default_timezone: str | None,
    timestamp_format: str | None,
) -> pl.Series:
    """The timestamp column in UTC; problems for missing, unreadable and zone-less cells."""
    values = raw[column]
    if isinstance(values.dtype, pl.Datetime):
        return _localised(raw, values, column, problems, default_timezone)
    if values.dtype == pl.Date:
        return _localised(raw, values.cast(pl.Datetime("us")), column, problems, default_timezone)
    text = raw.select(
        _ROW,
        _text(column)
        .replace("", None)
        .str.replace(r"^(\d{4}-\d{2}-\d{2})[Tt]", "$1 ")
        .str.replace(r"[Zz]$", "+00:00")
        .alias("text"),
        _text(column).alias("original"),
    )
    problems.add_rows(text.filter(pl.col("text").is_null()), column, "missing timestamp")
    present = text.filter(pl.col("text").is_not_null())
    if timestamp_format is None:
        present = present.with_columns(aware=pl.col("text").str.contains(_HAS_ZONE))
    else:
        flag = "%z" in timestamp_format or "%:z" in timestamp_format
        present = present.with_columns(aware=pl.lit(flag))
    aware = present.filter(pl.col("aware"))
    aware = aware.with_columns(
        t=_parse(aware["text"], _AWARE_FORMATS, timestamp_format, aware=True)
    )
    naive = present.filter(~pl.col("aware"))
    naive = naive.with_columns(
        local=_parse(naive["text"], _NAIVE_FORMATS, timestamp_format, aware=False)
    )
    unreadable = pl.concat(
        [
            aware.filter(pl.col("t").is_null()).select(_ROW, "original"),
            naive.filter(pl.col("local").is_null()).select(_ROW, "original"),
        ]
    )
    problems.add_rows(
        unreadable.sort(_ROW),
        column,
        pl.format("cannot read '{}' as a date and time", pl.col("original")),
    )
    if aware.height and naive.height:
        problems.add_rows(
            naive.filter(pl.col("local").is_not_null()),
            column,
            pl.format(
                "'{}' has no time zone while {} other rows have one (mixed zones); give every "
                "timestamp an offset",
                pl.col("original"),
                pl.lit(aware.height),
            ),
        )
    elif naive["local"].count() and default_timezone is None:
        first = naive.filter(pl.col("local").is_not_null()).row(0, named=True)
        problems.add(
            f"timestamps have no time zone (e.g. {first['original']!r}); pass default_timezone "
            "(an IANA name such as 'Europe/Helsinki') to say which zone they are in",
            row=first[_ROW],
            column=column,
        )
    if naive.height and default_timezone is not None:
        local = _in_zone(naive, column, problems, default_timezone)
    else:
        local = naive["local"].dt.replace_time_zone("UTC")
    parts = [aware.select(_ROW, "t"), naive.select(_ROW, local.alias("t"))]
    stamps = pl.concat([part for part in parts if part.height] or parts[:1])
    if stamps.height == raw.height and aware.height * naive.height == 0:
        return stamps["t"].cast(pl.Datetime("us", "UTC"))
    return (
        text.select(_ROW)
        .join(stamps, on=_ROW, how="left", maintain_order="left")["t"]
        .cast(pl.Datetime("us", "UTC"))
    )


def _parse(
    text: pl.Series, formats: tuple[str, ...], given: str | None, *, aware: bool
) -> pl.Series:
    """First format that reads each cell (``given`` alone when the caller named one)."""
    zone = "UTC" if aware else None
    attempts = (given,) if given is not None else formats
    result = pl.Series(values=[None] * text.len(), dtype=pl.Datetime("us", zone))
    for pattern in attempts:
        missing = result.is_null()
        if not missing.any():
            break
        tried = text.str.to_datetime(pattern, strict=False, time_unit="us", time_zone=zone)
        result = result.zip_with(~missing, tried)
    if given is None and result.is_null().any():
        inferred = _inferred(text, zone)
        if inferred is not None:
            result = result.fill_null(inferred)
    return result


def _inferred(text: pl.Series, zone: str | None) -> pl.Series | None:
    """polars' own format inference, as a last resort (None when it cannot guess a format)."""
    try:
        guessed = text.str.to_datetime(strict=False, time_unit="us")
    except (pl.exceptions.PolarsError, ValueError):
        return None
    stamp = guessed.dtype
    if not isinstance(stamp, pl.Datetime) or (stamp.time_zone is None) != (zone is None):
        return None
    return guessed.dt.convert_time_zone("UTC") if zone else guessed


def _localised(
    raw: pl.DataFrame,
    values: pl.Series,
    column: str,
    problems: _Problems,
    default_timezone: str | None,
) -> pl.Series:
    """Typed (Parquet) timestamps to UTC: aware ones converted, naive ones need a zone."""
    frame = raw.select(_ROW).with_columns(values.alias("local"))
    problems.add_rows(frame.filter(pl.col("local").is_null()), column, "missing timestamp")
    stamp = values.dtype
    assert isinstance(stamp, pl.Datetime)
    if stamp.time_zone is not None:
        return values.dt.convert_time_zone("UTC").cast(pl.Datetime("us", "UTC"))
    if default_timezone is None:
        problems.add(
            "timestamps have no time zone; pass default_timezone (an IANA name such as "
            "'Europe/Helsinki') to say which zone they are in",
            column=column,
        )
        return values.dt.replace_time_zone("UTC").cast(pl.Datetime("us", "UTC"))
    present = frame.filter(pl.col("local").is_not_null())
    converted = _in_zone(present, column, problems, default_timezone)
    return (
        frame.select(_ROW)
        .join(
            present.select(_ROW, converted.alias("t")), on=_ROW, how="left", maintain_order="left"
        )["t"]
        .cast(pl.Datetime("us", "UTC"))
    )


def _in_zone(frame: pl.DataFrame, column: str, problems: _Problems, zone: str) -> pl.Series:
    """Naive ``local`` times read in ``zone``, then in UTC; DST gaps and overlaps are problems."""
    placed = frame.select(
        _ROW,
        "local",
        pl.col("local")
        .dt.replace_time_zone(zone, ambiguous="null", non_existent="null")
        .alias("placed"),
    )
    problems.add_rows(
        placed.filter(pl.col("placed").is_null() & pl.col("local").is_not_null()),
        column,
        pl.format(
            "{} does not exist or is ambiguous in {} (a daylight-saving change); give it an offset",
            pl.col("local").cast(pl.String),
            pl.lit(zone),
        ),
    )
    return placed["placed"].dt.convert_time_zone("UTC")


def _offsets(values: pl.Series) -> tuple[str, ...]:
    pattern = r"\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(" + _OFFSET + r")$"
    found = values.str.strip_chars().str.extract(pattern).drop_nulls().unique()
    names = {"+00:00" if v in ("Z", "z") else v for v in found.to_list()}
    return tuple(sorted(names))


def _without_duplicates(
    ordered: pl.DataFrame, policy: DuplicatePolicy, mapping: dict[str, str], problems: _Problems
) -> tuple[pl.DataFrame, int]:
    """Drop (or reject) rows equal to an earlier row in every column of the file.

    Mapped columns are compared by value (timestamps as instants), the others by a 64-bit hash
    (``_rest``; a false match has probability about 2⁻⁶⁴). Only rows that share case and time
    with a neighbour in case/time order can be duplicates, so only those are compared.
    """
    tie = pl.col("_same") & (pl.col(TIMESTAMP) == pl.col(TIMESTAMP).shift(1)).fill_null(False)
    candidates = ordered.filter(tie | tie.shift(-1).fill_null(False))
    if candidates.height == 0:
        return ordered, 0
    key = pl.struct([c for c in candidates.columns if c not in (_ROW, "_same")])
    candidates = candidates.with_columns(_key=key)
    first = pl.col("_key").is_first_distinct()
    repeated = candidates.filter(~first)
    if repeated.height == 0:
        return ordered, 0
    if policy == "reject":
        firsts = candidates.filter(first).select("_key", pl.col(_ROW).alias("_first"))
        named = repeated.join(firsts, on="_key", how="left", maintain_order="left")
        problems.add_rows(
            named.sort(_ROW),
            mapping[CASE],
            pl.format("duplicate event: same in every column as row {}", pl.col("_first")),
        )
        return ordered, 0
    kept = ordered.filter(~pl.col(_ROW).is_in(repeated[_ROW].implode()))
    kept = kept.with_columns(_same=(pl.col(CASE) == pl.col(CASE).shift(1)).fill_null(False))
    return kept, repeated.height


def _read_xes(path: Path) -> pl.DataFrame:
    """Stream an XES file with expat: one row per event, trace attributes prefixed ``case:``.

    Nested (list / container) attributes are skipped; all values are kept as text. ``_row`` is
    the line of the event's element.
    """
    rows = list(_xes_events(path))
    if not rows:
        return pl.DataFrame({_ROW: pl.Series([], dtype=pl.UInt32)})
    return pl.DataFrame(rows, infer_schema_length=None).with_columns(pl.col(_ROW).cast(pl.UInt32))


_XES_VALUES = {"string", "date", "int", "float", "boolean", "id"}


def _xes_events(path: Path) -> Iterator[dict[str, str | int]]:
    parser = xml.parsers.expat.ParserCreate()
    stack: list[str] = []
    trace: dict[str, str | int] = {}
    events: list[dict[str, str | int]] = []
    finished: list[dict[str, str | int]] = []

    def start(tag: str, attributes: dict[str, str]) -> None:
        parent = stack[-1] if stack else ""
        stack.append(tag)
        if tag == "trace":
            trace.clear()
            events.clear()
        elif tag == "event" and parent == "trace":
            events.append({_ROW: parser.CurrentLineNumber})
        elif tag in _XES_VALUES and "key" in attributes:
            value = attributes.get("value", "")
            if parent == "event" and events:
                events[-1][attributes["key"]] = value
            elif parent == "trace":
                trace["case:" + attributes["key"]] = value

    def end(tag: str) -> None:
        stack.pop()
        if tag == "trace":
            finished.extend({**trace, **event} for event in events)
            events.clear()

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    with _open_xes(path) as stream:
        try:
            while chunk := stream.read(1 << 20):
                parser.Parse(chunk, False)
                yield from finished
                finished.clear()
            parser.Parse(b"", True)
        except xml.parsers.expat.ExpatError as error:
            raise ImportRejected(
                [
                    Problem(
                        file=path.name,
                        row=error.lineno,
                        reason="not well-formed XES: "
                        + xml.parsers.expat.errors.messages[error.code],
                    )
                ]
            ) from error
    yield from finished


def _open_xes(path: Path) -> IO[bytes]:
    if path.name.lower().endswith(".gz"):
        return cast(IO[bytes], gzip.open(path, "rb"))
    return path.open("rb")
