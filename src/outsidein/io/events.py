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
- **Dates.** ISO 8601 (``T`` or a space, an offset, ``Z`` or ``UTC``), ``2026/01/05``,
  ``5.1.2026`` (day-first) and slashed dates such as ``01/02/2026 10:00`` or ``1/5/2026 10:00
  AM`` are read. Whether slashed dates are day- or month-first is decided from the whole column,
  as the survey importers do: a date with a first number above 12 (``25/11/2026``) says
  day-first, one with the second above 12 (``11/25/2026``) month-first; the majority wins and
  a date that cannot be read that way is rejected saying so. When no date settles it and a date
  such as ``01/02/2026`` reads differently either way, the file is rejected: name the format
  (``timestamp_format``, ``--timestamp-format``).
- **Events already in the workspace.** Given ``stored`` (the events of earlier imports), an
  event of the file that is already stored is not stored again. An event is identified by its
  case, activity, instant, actor and life-cycle transition (an unmapped column counts as
  empty); a file that holds the same identity *k* times overlaps the stored events only in the
  occurrences beyond those already stored, so two same-instant payments stay two. Monthly
  exports share cases (a journey that spans two months) but not events, so nothing is lost;
  exports of overlapping periods do share events, and those are dropped and counted in
  :attr:`EventImport.already_stored` (``duplicates="reject"`` rejects the file naming each such
  row). A file whose events are *all* already stored is the same log imported again (re-saved,
  another encoding) and is rejected whatever the policy.
- **CSV layout.** The separator (``,``, ``;`` or tab) is the one that splits the header into
  most fields unless ``separator`` names it. A header that names a column twice is rejected.
  Fully blank rows (an empty line, Excel's trailing ``,,,`` rows) are skipped and counted in
  :attr:`EventImport.blank_rows`. A row with more fields than the header and a byte that is not
  UTF-8 are rejected naming the row (and the byte); save such files as "CSV UTF-8".
- **One-event cases** are kept (a customer who came once and left is a journey that stopped at
  its first step) and counted in :attr:`EventImport.one_event_cases`.
- Empty files, files without events, empty case ids, empty activities, missing timestamps and
  unreadable dates are rejected.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import os
import re
import xml.parsers.expat
import zoneinfo
from collections.abc import Callable, Iterator, Sequence
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
_HAS_ZONE = r"\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*" + _OFFSET + "$"
_AWARE_FORMATS = ("%Y-%m-%d %H:%M:%S%.f%z", "%Y-%m-%d %H:%M%z")
_NAIVE_FORMATS = (
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
    "%Y-%m-%d %I:%M %p",
    "%Y-%m-%d %I:%M:%S %p",
)
_SLASHED = (
    r"^(?P<a>\d{1,2})(?P<sep>[/.-])(?P<b>\d{1,2})(?P<sep2>[/.-])(?P<year>\d{4})(?P<rest>\s.*)?$"
)
"""``a/b/YYYY`` (also with ``-``; with ``.`` always day-first), then the time of day."""
_SEPARATORS = (",", ";", "\t")
_HEAD_BYTES = 1 << 16
SOURCE = "source"
"""The column of ``stored`` events that names the file each was imported from."""
_IDENTITY = ("_case", "_activity", "_instant", "_actor", "_lifecycle")


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
    blank_rows: int = 0
    already_stored: int = 0
    separator: str | None = None

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
            "blank_rows": self.blank_rows,
            "already_stored": self.already_stored,
            "separator": self.separator,
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
    separator: str | None


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
    separator: str | None = None,
    stored: pl.DataFrame | None = None,
) -> EventImport:
    """Read and validate an event log; raise :class:`ImportRejected` listing every bad cell.

    Column arguments name the file's columns (XES attribute keys, trace ones prefixed
    ``case:``); left out, ``case``/``activity``/``timestamp`` are looked for under their
    canonical and XES names. ``timestamp_format`` is a chrono/strftime format; without it ISO
    8601 and slashed dates are recognised (see the module's notes). ``separator`` is the CSV
    field separator, found from the header when left out. ``stored`` holds the events already
    in the workspace (canonical columns and :data:`SOURCE`), which the result leaves out.

    Example::

        log = read_events("fines.csv", case="case_id", activity="activity",
                          timestamp="timestamp", default_timezone="Europe/Rome")
    """
    if duplicates not in ("drop", "reject"):
        raise ValueError(f"duplicates must be 'drop' or 'reject', not {duplicates!r}")
    if default_timezone is not None:
        _check_zone(default_timezone)
    if separator is not None and (len(separator.encode()) != 1 or separator in '"\r\n'):
        raise ValueError(
            f"the separator must be one character such as ',' or ';', not {separator!r}"
        )
    source = Path(path)
    kind = event_format(source)
    if kind == "csv":
        separator = _csv_separator(source, separator)
    table = _EventTable.open(source, kind, separator or ",")
    if not table.columns:
        raise ImportRejected([Problem(file=source.name, reason="the file has no events")])
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
    blank = int(raw["_blank"].sum())
    raw = raw.filter(~pl.col("_blank")).drop("_blank")
    if raw.height == 0:
        raise ImportRejected([Problem(file=source.name, reason="the file has no events")])
    problems = _Problems(source.name)
    canonical, offsets = _canonical(raw, mapping, problems, default_timezone, timestamp_format)
    problems.raise_if_any()
    del raw
    ordered = in_case_order(canonical)
    ordered = ordered.with_columns(_same=(pl.col(CASE) == pl.col(CASE).shift(1)).fill_null(False))
    ordered, dropped = _without_duplicates(ordered, duplicates, mapping, problems)
    problems.raise_if_any()
    one_event = ordered.select(
        (~pl.col("_same") & ~pl.col("_same").shift(-1).fill_null(False)).sum()
    ).item()
    ordered, known = _without_stored(ordered, stored, duplicates, mapping, problems)
    problems.raise_if_any()
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
        blank_rows=blank,
        already_stored=known,
        separator=separator,
    )


def merge_event_logs(logs: Sequence[pl.DataFrame]) -> pl.DataFrame:
    """Several stored event logs as one canonical frame, in which each event occurs once.

    Logs of separate imports are spliced by case (a journey may span two monthly exports),
    but an event that two logs both hold (same case, activity, instant, actor and life-cycle
    transition, see the module's notes) is kept once, from the earlier log: an identity that
    logs hold *k₁, k₂, …* times occurs max(kᵢ) times. :func:`read_events` keeps such events out
    of a new import already; this also covers imports that raced each other.

    Example::

        events = merge_event_logs([january.events, february.events])
    """
    if not logs:
        raise ValueError("merge_event_logs needs at least one log")
    if len(logs) == 1:
        return logs[0]
    merged = pl.concat(
        [log.with_columns(_log=pl.lit(i, pl.Int32)) for i, log in enumerate(logs)],
        how="diagonal_relaxed",
    )
    if merged.height == 0:
        return merged.drop("_log")
    keyed = _identities(merged.with_row_index("_index"), "_index", "_log")
    shared = keyed.filter(keyed.select(_IDENTITY).is_duplicated())
    if shared.height == 0:
        return merged.drop("_log")
    again = _numbered(shared, "_log").filter(~pl.struct([*_IDENTITY, "_nth"]).is_first_distinct())
    kept = ~pl.int_range(pl.len(), dtype=pl.UInt32).is_in(again["_index"].implode())
    return merged.filter(kept).drop("_log")


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
    separator: str
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

        table = cls(path, kind, separator, _guarded(path, kind, scan, separator))
        _guarded(path, kind, table.scan.collect_schema, separator)
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
        """``_row``, the mapped columns (activity already categorical), ``_rest``, a 64-bit
        hash of all other columns (to tell duplicate rows without holding them), and
        ``_blank`` (a CSV row whose every cell is empty), streamed."""
        activity = mapping[ACTIVITY]
        used = list(dict.fromkeys(mapping.values()))
        rest = [c for c in self.columns if c not in used]
        blank = (
            pl.all_horizontal(
                pl.col(c).is_null() | (pl.col(c).str.strip_chars() == "") for c in self.columns
            )
            if self.kind == "csv"
            else pl.lit(False)
        )
        wanted = [
            pl.col(_ROW),
            *(
                pl.col(name).cast(pl.String).cast(pl.Categorical)
                if name == activity
                else pl.col(name)
                for name in used
            ),
            (pl.struct(rest).hash(seed=0) if rest else pl.lit(0, pl.UInt64)).alias("_rest"),
            blank.alias("_blank"),
        ]
        query = self.numbered().select(wanted)
        return _guarded(
            self.path, self.kind, lambda: query.collect(engine="streaming"), self.separator
        )


def _guarded(path: Path, kind: EventFormat, read: Callable[[], _T], separator: str) -> _T:
    """Run a read; a file polars cannot parse becomes a rejected import, not a crash.

    polars does not say where a CSV goes wrong, so the file is then read again in Python to
    name the row (and byte) of each fault; only a file that fails is read twice.
    """
    try:
        return read()
    except (pl.exceptions.PolarsError, OSError, UnicodeDecodeError, EOFError) as error:
        faults = _csv_faults(path, separator) if kind == "csv" else None
        if faults is not None and faults.total:
            raise ImportRejected(faults.listed, total=faults.total) from error
        text = str(error).strip()
        reason = text.splitlines()[0] if text else repr(error)
        raise ImportRejected(
            [Problem(file=path.name, reason=f"cannot read the file as {kind}: {reason}")]
        ) from error


def _open_bytes(path: Path) -> IO[bytes]:
    if path.name.lower().endswith(".gz"):
        return cast(IO[bytes], gzip.open(path, "rb"))
    return path.open("rb")


def _csv_separator(path: Path, given: str | None) -> str:
    """The CSV's separator (``given``, else the one that splits the header into most fields,
    ``,`` on a tie); a file that is empty or whose header repeats a name is rejected."""
    try:
        with _open_bytes(path) as stream:
            head = stream.read(_HEAD_BYTES)
    except (OSError, EOFError) as error:
        raise ImportRejected(
            [Problem(file=path.name, reason=f"cannot read the file as csv: {error}")]
        ) from error
    if not head.strip():
        raise ImportRejected([Problem(file=path.name, reason="the file is empty")])
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head:
        raise ImportRejected(
            [
                Problem(
                    file=path.name,
                    row=head[: max(head.find(b"\x00"), 0)].count(b"\n") + 1,
                    reason="the file is not UTF-8 text (UTF-16, or a binary file: it holds NUL "
                    "bytes); save it as 'CSV UTF-8' and import again",
                )
            ]
        )
    text = head.decode("utf-8-sig", errors="replace")

    def header(separator: str) -> list[str]:
        try:
            return next(csv.reader(io.StringIO(text, newline=""), delimiter=separator), [])
        except csv.Error:
            return []

    separator = given or max(_SEPARATORS, key=lambda s: (len(header(s)), s == ","))
    positions: dict[str, list[int]] = {}
    for index, name in enumerate(header(separator), start=1):
        if name.strip():
            positions.setdefault(name, []).append(index)
    repeated = {name: at for name, at in positions.items() if len(at) > 1}
    if repeated:
        raise ImportRejected(
            [
                Problem(
                    file=path.name,
                    row=1,
                    column=name,
                    reason=f"the header names column {name!r} {len(at)} times (columns "
                    f"{', '.join(map(str, at))}); rename or remove all but one",
                )
                for name, at in repeated.items()
            ]
        )
    return separator


def _csv_faults(path: Path, separator: str) -> _Problems:
    """Where a CSV that polars cannot read goes wrong: the first byte that is not UTF-8
    (row = its line, as the other importers say), else each row with more fields than the
    header."""
    faults = _Problems(path.name)
    with _open_bytes(path) as stream:
        bad = _first_bad_byte(stream)
    if bad is not None:
        line, offset, byte, nul = bad
        reason = (
            "the file holds NUL bytes: it is not UTF-8 text (a binary file, or UTF-16); save it "
            "as 'CSV UTF-8' and import again"
            if nul
            else f"the file is not UTF-8 text (byte {offset}: {byte!r}); save it as 'CSV UTF-8' "
            "and import again"
        )
        faults.add(reason, row=line)
        return faults
    with _open_bytes(path) as stream:
        text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
        records = csv.reader(text, delimiter=separator)
        width = len(next(records, []))
        row = 1
        try:
            for row, record in enumerate(records, start=2):
                if len(record) > width:
                    faults.add(
                        f"{len(record)} fields where the header has {width}: a value holding "
                        f"the separator {separator!r} must be quoted",
                        row=row,
                    )
        except csv.Error as error:
            faults.add(f"not valid CSV: {error}", row=row + 1)
    return faults


def _first_bad_byte(stream: IO[bytes]) -> tuple[int, int, bytes, bool] | None:
    """Line, offset and value of the first byte that is NUL or not UTF-8, and whether it is
    NUL; read in chunks, so a large file is never held whole."""
    offset = 0  # bytes before ``data``
    lines = 1  # the line ``data`` starts on
    carry = b""  # an incomplete character at the end of the previous chunk
    while True:
        chunk = stream.read(1 << 20)
        data = carry + chunk
        nul = data.find(b"\x00")
        scope = data[:nul] if nul >= 0 else data
        try:
            _, done = codecs.utf_8_decode(scope, "strict", not chunk or nul >= 0)
        except UnicodeDecodeError as error:
            at = error.start
            return lines + data[:at].count(b"\n"), offset + at, data[at : at + 1], False
        if nul >= 0:
            return lines + data[:nul].count(b"\n"), offset + nul, b"\x00", True
        if not chunk:
            return None
        carry = data[done:]
        lines += data[:done].count(b"\n")
        offset += done


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
) -> tuple[pl.DataFrame, tuple[str, ...]]:
    """The canonical columns, with every empty or unreadable required cell added to problems,
    and the UTC offsets the timestamps were written with."""
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
    stamps, offsets = _timestamps(
        raw, mapping[TIMESTAMP], problems, default_timezone, timestamp_format
    )
    frame = frame.with_columns(stamps.alias(TIMESTAMP))
    columns = frame.select(
        CASE,
        ACTIVITY,
        TIMESTAMP,
        *(c for c in (ACTOR, CHANNEL, LIFECYCLE, SEGMENT) if c in mapping),
        _ROW,
        "_rest",
    )
    return columns, offsets


def _timestamps(
    raw: pl.DataFrame,
    column: str,
    problems: _Problems,
    default_timezone: str | None,
    timestamp_format: str | None,
) -> tuple[pl.Series, tuple[str, ...]]:
    """The timestamp column in UTC and the offsets it was written with; problems for missing,
    unreadable, ambiguous and zone-less cells."""
    values = raw[column]
    if isinstance(values.dtype, pl.Datetime):
        return _localised(raw, values, column, problems, default_timezone), ()
    if values.dtype == pl.Date:
        midnight = values.cast(pl.Datetime("us"))
        return _localised(raw, midnight, column, problems, default_timezone), ()
    text = _stamp_text(raw, column, problems, timestamp_format)
    offsets = _offsets(text["text"].drop_nulls())
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
            aware.filter(pl.col("t").is_null()).select(_ROW, "original", "order"),
            naive.filter(pl.col("local").is_null()).select(_ROW, "original", "order"),
        ]
    )
    how = "" if timestamp_format is None else f" in the format {timestamp_format!r}"
    problems.add_rows(
        unreadable.sort(_ROW),
        column,
        pl.concat_str(
            pl.lit("cannot read '"),
            pl.col("original"),
            pl.lit("' as a date and time" + how),
            pl.when(pl.col("order").is_not_null())
            .then(pl.format(" (read {}, as the column's other dates are)", pl.col("order")))
            .otherwise(pl.lit("")),
        ),
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
            "(--timezone; an IANA name such as 'Europe/Helsinki') to say which zone they are in",
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
        return stamps["t"].cast(pl.Datetime("us", "UTC")), offsets
    in_order = text.select(_ROW).join(stamps, on=_ROW, how="left", maintain_order="left")["t"]
    return in_order.cast(pl.Datetime("us", "UTC")), offsets


def _stamp_text(
    raw: pl.DataFrame, column: str, problems: _Problems, timestamp_format: str | None
) -> pl.DataFrame:
    """``_row``, ``original`` (the trimmed cell), ``text`` (what is parsed, null when empty) and
    ``order`` (how a slashed date was read, when the column settled it).

    Without a format, spellings are brought to ISO first: ``T`` → space, ``Z``/``UTC`` →
    ``+00:00``, ``2026/01/05`` → ``2026-01-05`` and a slashed date to ``YYYY-MM-DD`` in the order
    the whole column settles (see the module's notes), so that one set of formats reads them.
    """
    original = _text(column)
    if timestamp_format is not None:
        return raw.select(
            _ROW,
            original.alias("original"),
            original.replace("", None).alias("text"),
            pl.lit(None, pl.String).alias("order"),
        )
    spelled = (
        original.replace("", None)
        .str.replace(r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})\b", "$1-$2-$3")
        .str.replace(r"^(\d{4}-\d{1,2}-\d{1,2})[Tt]", "$1 ")
        .str.replace(r"(?i)\s*(?:UTC|GMT)$", "+00:00")
        .str.replace(r"[Zz]$", "+00:00")
        .str.replace(r"(\d)\s+([+-]\d{2}(?::?\d{2})?)$", "$1$2")
        .str.replace(r"(\d)\s*([AaPp])\.?[Mm]\.?$", "$1 ${2}M")
    )
    frame = raw.select(
        _ROW,
        original.alias("original"),
        spelled.alias("text"),
        pl.lit(None, pl.String).alias("order"),
    )
    dated = frame.filter(pl.col("text").str.contains(r"^\d{1,2}[/.-]\d{1,2}[/.-]\d{4}"))
    if dated.height == 0:
        return frame
    return frame.update(_day_month(dated, column, problems), on=_ROW)


def _day_month(dated: pl.DataFrame, column: str, problems: _Problems) -> pl.DataFrame:
    """``_row``, ``text`` and ``order`` of the dates written ``a/b/YYYY``: in ISO, read day- or
    month-first as the column settles it (a problem when nothing settles it)."""
    frame = dated.with_columns(pl.col("text").str.extract_groups(_SLASHED).alias("_parts"))
    frame = frame.unnest("_parts")
    a, b = pl.col("a").cast(pl.Int32), pl.col("b").cast(pl.Int32)
    matched = (pl.col("sep") == pl.col("sep2")).fill_null(False)
    slashed = matched & (pl.col("sep") != ".")
    days, months = frame.select(
        days=(slashed & (a > 12) & (b <= 12)).sum(),
        months=(slashed & (b > 12) & (a <= 12)).sum(),
    ).row(0)
    if not days and not months:
        either = frame.filter(slashed & (a <= 12) & (b <= 12) & (a != b))
        if either.height:
            row, text = either.select(_ROW, "original").row(0)
            problems.add(_ambiguity(text), row=row, column=column)
    day_first = pl.lit(days >= months) | (matched & ~slashed)
    day, month = pl.when(day_first).then(a).otherwise(b), pl.when(day_first).then(b).otherwise(a)
    iso = pl.concat_str(
        pl.col("year"),
        pl.lit("-"),
        month.cast(pl.String).str.zfill(2),
        pl.lit("-"),
        day.cast(pl.String).str.zfill(2),
        pl.col("rest").fill_null(""),
    )
    order = "day-first" if days >= months else "month-first"
    return frame.select(
        _ROW,
        pl.when(matched).then(iso).otherwise(pl.col("text")).alias("text"),
        pl.when(slashed & pl.lit(bool(days or months)))
        .then(pl.lit(order))
        .otherwise(pl.lit(None, pl.String))
        .alias("order"),
    )


def _ambiguity(text: str) -> str:
    """Why a slashed date that no date in its column settles is refused, with both formats."""
    parts = re.fullmatch(r"\d{1,2}([/-])\d{1,2}[/-]\d{4}(.*)", text)
    sep, clock = (parts[1], parts[2]) if parts else ("/", "")
    time = ""
    if re.search(r"\d:\d{2}", clock):
        twelve = re.search(r"[AaPp]\.?[Mm]", clock) is not None
        time = " %I:%M" if twelve else " %H:%M"
        time += ":%S" if re.search(r"\d:\d{2}:\d{2}", clock) else ""
        time += "%.f" if re.search(r"\d:\d{2}:\d{2}[.,]\d", clock) else ""
        time += " %p" if twelve else ""
        time += "%z" if re.search(r"[+-]\d{2}:?\d{2}$", clock) else ""
    day_first, month_first = f"%d{sep}%m{sep}%Y{time}", f"%m{sep}%d{sep}%Y{time}"
    return (
        f"{text!r} can be read day-first or month-first and no date in the column settles it "
        "(none has a day above 12); name the format with timestamp_format "
        f"(--timestamp-format), e.g. {day_first!r} or {month_first!r}"
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
    pattern = r"\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(" + _OFFSET + r")$"
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


def _identities(frame: pl.DataFrame, *keep: str) -> pl.DataFrame:
    """The ``keep`` columns and each event's identity: case, activity, instant, actor and
    life-cycle transition (a column the log lacks is empty)."""
    optional = [
        (pl.col(c).cast(pl.String) if c in frame.columns else pl.lit(None, pl.String)).alias(key)
        for c, key in ((ACTOR, "_actor"), (LIFECYCLE, "_lifecycle"))
    ]
    return frame.select(
        *keep,
        pl.col(CASE).cast(pl.String).alias("_case"),
        pl.col(ACTIVITY).cast(pl.String).alias("_activity"),
        pl.col(TIMESTAMP).cast(pl.Datetime("us", "UTC")).alias("_instant"),
        *optional,
    )


def _numbered(keyed: pl.DataFrame, *within: str) -> pl.DataFrame:
    """``_nth``: each event's occurrence among those of equal identity (and equal ``within``)."""
    return keyed.with_columns(_nth=pl.int_range(pl.len()).over([*within, *_IDENTITY]))


def _sharing(keyed: pl.DataFrame, other: pl.DataFrame) -> pl.DataFrame:
    """The events of ``keyed`` whose identity ``other`` has too."""
    identities = other.select(_IDENTITY).unique()
    return keyed.join(identities, on=list(_IDENTITY), how="semi", nulls_equal=True)


def _without_stored(
    ordered: pl.DataFrame,
    stored: pl.DataFrame | None,
    policy: DuplicatePolicy,
    mapping: dict[str, str],
    problems: _Problems,
) -> tuple[pl.DataFrame, int]:
    """Leave out (or, with ``policy="reject"``, name) the events already in ``stored``; a file
    whose every event is stored is the same log again and is rejected.

    Only identities both sides have are numbered and matched, so a file that shares few events
    with a large workspace costs two hash joins.
    """
    if stored is None or stored.height == 0:
        return ordered, 0
    named = stored[SOURCE] if SOURCE in stored.columns else pl.lit(None, pl.String)
    known = _identities(stored).with_columns(
        _source=named.cast(pl.String).fill_null("an earlier import")
    )
    new = _sharing(_identities(ordered, _ROW), known)
    if new.height == 0:
        return ordered, 0
    known = _numbered(_sharing(known, new)).unique([*_IDENTITY, "_nth"], maintain_order=True)
    found = (
        _numbered(new)
        .join(known, on=[*_IDENTITY, "_nth"], how="inner", nulls_equal=True)
        .select(_ROW, "_source")
    )
    if found.height == 0:
        return ordered, 0
    if found.height == ordered.height:
        sources = ", ".join(sorted(found["_source"].unique().to_list()))
        problems.add(
            f"every event of this file is already in the workspace (imported from {sources}): "
            "it is the same log imported again; nothing new to store"
        )
        return ordered, 0
    if policy == "reject":
        problems.add_rows(
            found.sort(_ROW),
            mapping[CASE],
            pl.format(
                "event already in the workspace (imported from {}): same case, activity and time",
                pl.col("_source"),
            ),
        )
        return ordered, 0
    return ordered.filter(~pl.col(_ROW).is_in(found[_ROW].implode())), found.height


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
    with _open_bytes(path) as stream:
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
