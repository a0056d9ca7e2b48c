"""Read a customer-evidence file into a raw table: plain CSV, XLSX, JSONL, Parquet, and the
survey exports people already have (Qualtrics, LimeSurvey, Google Forms).

The raw table is the file's records as cells (text for CSV; typed values for XLSX, JSONL and
Parquet), each numbered as a person sees it, with what the export says about them: which
column holds the response id and the date, which responses are unfinished or test answers, and
in which time zone the export wrote its dates. :mod:`outsidein.io.customer` maps and validates
the cells. Formats:

- **csv** — ``,``, ``;`` or tab separated (whichever splits the header into most fields), UTF-8
  with or without BOM (UTF-16 with a BOM too, as Excel's "Unicode text"). Header = row 1.
- **xlsx** — the first worksheet, header = row 1; dates are Excel's (no time zone).
- **jsonl** — one JSON object per line; the "row" is the line number.
- **parquet** — the row is the record number + 1 (as if the header were row 1).
- **qualtrics** — CSV (or XLSX) with three header rows: column ids (used for mapping), question
  texts, and ``{"ImportId": ...}`` JSON (a date column's JSON states its ``timeZone``). Data
  starts on row 4. Defaults: id ``ResponseId``, date ``RecordedDate``. Rows with ``Finished``
  false are unfinished; ``Status`` survey previews, tests and spam are not real responses.
  Columns can also be named by their ImportId (``QID5``) or their question text (row 2), where
  no other column has it.
- **limesurvey** — CSV export with question codes (``Q1[SQ001]``) or "code. text" headings;
  answers as codes or full answers. Defaults: id ``id``, date ``submitdate``; an empty
  ``submitdate`` marks an unfinished response.
- **googleforms** — CSV (or XLSX) of the responses sheet: first column ``Timestamp`` (in the
  sheet's locale format, local time) and question texts as headers. Default date: the first
  column. No id column: ids are generated.

Without ``format`` the container comes from the suffix and the export from the content (row 3
of ImportId JSON: Qualtrics; ``id``/``submitdate``/``lastpage`` headers: LimeSurvey; a first
``Timestamp`` column: Google Forms).
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import json
import math
import re
import zoneinfo
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Literal, NoReturn, get_args

import polars as pl

from outsidein.io.problems import MAX_REPORTED, ImportRejected, Problem
from outsidein.io.text import decode_text

SourceFormat = Literal["csv", "xlsx", "jsonl", "parquet", "qualtrics", "limesurvey", "googleforms"]
SOURCE_FORMATS: tuple[str, ...] = get_args(SourceFormat)
DEFAULT_MAX_BYTES = 256 * 1024 * 1024
Exclusion = Literal["unfinished", "test"]

_CSV_SUFFIXES = (".csv", ".tsv", ".txt")
_XLSX_SUFFIXES = (".xlsx", ".xlsm")
_JSONL_SUFFIXES = (".jsonl", ".ndjson")
_PARQUET_SUFFIXES = (".parquet", ".pq")
_EXPORTS = ("qualtrics", "limesurvey", "googleforms")
_FORMS_TIMESTAMP = {
    "timestamp",
    "aikaleima",
    "zeitstempel",
    "marca temporal",
    "horodateur",
    "tidsstämpel",
    "tidsstempel",
    "tijdstempel",
    "informazioni cronologiche",
    "carimbo de data/hora",
    "sygnatura czasowa",
}  # the first column of a Google Forms responses sheet, in the form owner's language
_LIME_MARKERS = ({"id", "submitdate", "lastpage"}, {"Response ID", "Date submitted", "Last page"})
_QUALTRICS_TRUE = {"1", "true"}
_QUALTRICS_FALSE = {"0", "false"}
# Qualtrics' Status: survey previews, tests and spam (as codes and as labels) are not answers.
_QUALTRICS_TEST = {
    "1",
    "2",
    "8",
    "9",
    "12",
    "17",
    "survey preview",
    "survey test",
    "spam",
    "survey preview spam",
    "imported spam",
    "offline survey preview",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class RawTable:
    """A file's records as cells, before mapping and validation.

    ``rows[i]`` is the row a person sees record ``i`` on; ``values(position)`` gives one
    column's cells. ``excluded[i]`` says why the export marks record ``i`` as not a complete,
    real response (``None`` when it is one). ``problems`` are those found while reading
    (malformed lines, rows longer than the header) that do not stop the rest being read.
    """

    file: str
    format: SourceFormat
    sha256: str
    header: tuple[str, ...]
    header_row: int | None
    rows: tuple[int, ...]
    excluded: tuple[Exclusion | None, ...]
    blank_rows: int = 0
    defaults: Mapping[str, str] = field(default_factory=dict)
    zones: Mapping[str, str] = field(default_factory=dict)
    aliases: Mapping[str, int] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()
    sheets: tuple[str, ...] = ()  # an XLSX workbook's sheets; the first is the one read
    fetch: Callable[[int], Sequence[object]] = field(repr=False, default=lambda _: ())

    def values(self, position: int) -> Sequence[object]:
        """The cells of the column at ``position``, one per record."""
        return self.fetch(position)

    def locate(self, name: str) -> int | str:
        """The position of column ``name``, or why it cannot be used.

        A name matches a header exactly, then an alias the export gives the column (Qualtrics
        ImportId or question text, LimeSurvey question code), then a header differing only in
        letter case; and
        ``#N`` is the N-th column, for a header that is empty or appears twice.
        """
        wanted = name.strip()
        exact = [i for i, h in enumerate(self.header) if h == wanted]
        if len(exact) == 1:
            return exact[0]
        if len(exact) > 1:
            places = ", ".join(str(i + 1) for i in exact)
            return (
                f"column {wanted!r} appears more than once in the header (columns {places}); "
                f"name the one you mean by its place, e.g. '#{exact[0] + 1}'"
            )
        by_place = re.fullmatch(r"#(\d+)", wanted)
        if by_place is not None:
            place = int(by_place.group(1))
            if 1 <= place <= len(self.header):
                return place - 1
            return f"there is no column {wanted} (the file has {len(self.header)} columns)"
        if wanted in self.aliases:
            return self.aliases[wanted]
        folded = [i for i, h in enumerate(self.header) if h.casefold() == wanted.casefold()]
        if len(folded) == 1:
            return folded[0]
        named = [h for h in self.header if h]
        listed = ", ".join(named[:40]) + (", ..." if len(named) > 40 else "")
        found = f"column {wanted!r} is not in the file; its columns are {listed}"
        if len(self.sheets) > 1:
            others = ", ".join(repr(sheet) for sheet in self.sheets[1:])
            found += (
                f" (from its first sheet, {self.sheets[0]!r}; it also has {others}: "
                "move the sheet with the data first)"
            )
        return found


def read_table(
    path: Path | str, *, format: SourceFormat | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> RawTable:
    """Read ``path`` into a :class:`RawTable`; raise :class:`ImportRejected` if it cannot be read.

    Example::

        table = read_table("export.csv")          # a Qualtrics export is recognised
        table.format, table.defaults["id"]        # ('qualtrics', 'ResponseId')
    """
    source = Path(path)
    name = source.name
    if format is not None and format not in SOURCE_FORMATS:
        _reject(name, f"unknown format {format!r}: use one of {', '.join(SOURCE_FORMATS)}")
    data = _read_bytes(source, name, max_bytes)
    digest = hashlib.sha256(data).hexdigest()
    container = _container(name, format)
    if container == "parquet":
        return _parquet_table(data, name, digest)
    if container == "jsonl":
        return _jsonl_table(data, name, digest)
    if container != "xlsx":
        return _grid_table(_csv_grid(data, name), name, digest, container, format)
    grid, sheets = _xlsx_grid(data, name)
    return dataclasses.replace(_grid_table(grid, name, digest, container, format), sheets=sheets)


def _reject(name: str, reason: str, *, row: int | None = None) -> NoReturn:
    raise ImportRejected([Problem(file=name, row=row, reason=reason)])


def _read_bytes(path: Path, name: str, max_bytes: int) -> bytes:
    if not path.is_file():
        _reject(name, "no such file")
    size = path.stat().st_size
    if size == 0:
        _reject(name, "the file is empty")
    if size > max_bytes:
        _reject(
            name,
            f"the file is {size / 1e6:.0f} MB, above the limit of {max_bytes / 1e6:.0f} MB; "
            "split it into several files",
        )
    try:
        return path.read_bytes()
    except OSError as exc:
        _reject(name, f"cannot read the file: {exc.strerror or exc}")


Container = Literal["csv", "xlsx", "jsonl", "parquet"]


def _container(name: str, format: SourceFormat | None) -> Container:
    suffix = Path(name).suffix.lower()
    if format in ("csv", "xlsx", "jsonl", "parquet"):
        return format
    if suffix in _XLSX_SUFFIXES:
        return "xlsx"
    if format in _EXPORTS or suffix in _CSV_SUFFIXES:
        return "csv"
    if suffix in _JSONL_SUFFIXES:
        return "jsonl"
    if suffix in _PARQUET_SUFFIXES:
        return "parquet"
    _reject(
        name,
        f"unsupported file type {suffix or '(no suffix)'!r}: use .csv, .xlsx, .jsonl or "
        ".parquet, or name the format",
    )


# --- text grids: CSV and XLSX ------------------------------------------------------------------


def _decode(data: bytes, name: str) -> str:
    return decode_text(data, name)


_SNIFFED_RECORDS = 50


def csv_delimiter(text: str) -> str:
    """The separator (``,``, ``;`` or tab) of a CSV text.

    Each candidate splits the first records; the one whose records most often have as many
    fields as the header wins, then the one giving the header most fields, then ``,``. The
    header alone can mislead: ``id;Overall, how satisfied?`` has more commas than semicolons.
    """
    head = text[:65536]
    if head.count("\n") > _SNIFFED_RECORDS:  # whole records only, but a long quoted one is ok
        head = head[: head.rindex("\n")]
    best, best_score = ",", (-1.0, 0)
    for candidate in (",", ";", "\t"):
        records: list[list[str]] = []
        try:
            for record in csv.reader(io.StringIO(head, newline=""), delimiter=candidate):
                if any(cell.strip() for cell in record):
                    records.append(record)
                if len(records) > _SNIFFED_RECORDS:
                    break
        except csv.Error:
            continue
        if not records:
            continue
        width = len(records[0])
        rest = records[1:-1] if len(records) > 2 else records[1:]  # the last may be cut off
        consistent = sum(len(r) == width for r in rest) / len(rest) if rest else 1.0
        score = (consistent if width > 1 else 0.0, width)
        if score > best_score:
            best, best_score = candidate, score
    return best


def _csv_grid(data: bytes, name: str) -> list[list[object]]:
    text = _decode(data, name)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=csv_delimiter(text))
    grid: list[list[object]] = []
    try:
        for record in reader:
            grid.append(list(record))
    except csv.Error as exc:
        _reject(name, f"not valid CSV: {exc}", row=len(grid) + 1)
    return grid


def _xlsx_cell(value: object) -> object:
    if isinstance(value, str):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _xlsx_grid(data: bytes, name: str) -> tuple[list[list[object]], tuple[str, ...]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types (zip, XML, key errors) for a broken file
        _reject(name, f"not a readable XLSX workbook: {exc or type(exc).__name__}")
    try:
        if not workbook.worksheets:
            _reject(name, "the workbook has no worksheet")
        sheet = workbook.worksheets[0]
        grid = [[_xlsx_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        return grid, tuple(str(title) for title in workbook.sheetnames)
    except ImportRejected:
        raise
    except Exception as exc:  # a sheet can be broken below the workbook's table of contents
        _reject(name, f"not a readable XLSX workbook: {exc or type(exc).__name__}")
    finally:
        workbook.close()


def _blank(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _qualtrics_meta(row: Sequence[object]) -> list[dict[str, object]] | None:
    """Row 3 of a Qualtrics export parsed, or None if it is not ImportId JSON."""
    parsed: list[dict[str, object]] = []
    found = False
    for cell in row:
        text = cell.strip() if isinstance(cell, str) else ""
        if not text:
            parsed.append({})
            continue
        if not text.startswith("{"):
            return None
        try:
            value = json.loads(text)
        except (ValueError, RecursionError):
            return None
        if not isinstance(value, dict) or "ImportId" not in value:
            return None
        parsed.append(value)
        found = True
    return parsed if found else None


def _header(cells: Sequence[object]) -> tuple[str, ...]:
    return tuple("" if c is None else str(c).strip() for c in cells)


def _detect(grid: list[list[object]]) -> SourceFormat | None:
    if len(grid) >= 3 and _qualtrics_meta(grid[2]) is not None:
        return "qualtrics"
    if not grid:
        return None
    header = set(_header(grid[0]))
    if any(marker <= header for marker in _LIME_MARKERS):
        return "limesurvey"
    first = _header(grid[0][:1])
    if first and first[0].casefold() in _FORMS_TIMESTAMP:
        return "googleforms"
    return None


_QUALTRICS_ID_HEADERS = ("responseid", "response id")


def _refuse_unread_qualtrics(grid: list[list[object]], name: str) -> None:
    """A Qualtrics export read as a plain table would store its header rows (question texts,
    ImportIds) as answers: refuse it and say how to read it."""
    header = [h.casefold() for h in _header(grid[0])]
    ids = [i for i, h in enumerate(header) if h in _QUALTRICS_ID_HEADERS]
    if not ids:
        return
    meta = any(_qualtrics_meta(row) is not None for row in grid[1:3])
    second = grid[1] if len(grid) > 1 else []
    cell = second[ids[0]] if ids[0] < len(second) else None
    titled = isinstance(cell, str) and cell.strip().casefold() in _QUALTRICS_ID_HEADERS
    if meta or titled:
        _reject(
            name,
            "this is a Qualtrics export whose header rows (question texts"
            + (", ImportIds" if meta else "")
            + ") would be read as answers: import it with --format qualtrics"
            + ("" if meta else ", after exporting it again in Qualtrics' current CSV format"),
            row=2,
        )


def _grid_table(
    grid: list[list[object]],
    name: str,
    digest: str,
    container: Container,
    format: SourceFormat | None,
) -> RawTable:
    while grid and all(_blank(c) for c in grid[-1]):
        grid.pop()
    if not grid:
        _reject(name, "the file is empty")
    kind: SourceFormat = container
    if format in _EXPORTS:
        kind = format
    elif format is None:
        kind = _detect(grid) or container
    if kind == "qualtrics":
        return _qualtrics_table(grid, name, digest, whole_rows=container == "csv")
    _refuse_unread_qualtrics(grid, name)
    header = _header(grid[0])
    records, rows, problems, blank = _records(
        grid, 1, len(header), name, whole_rows=container == "csv"
    )
    defaults: dict[str, str] = {}
    aliases: dict[str, int] = {}
    excluded: list[Exclusion | None] = [None] * len(records)
    if kind == "limesurvey":
        defaults, aliases, excluded = _limesurvey(header, records)
    elif kind == "googleforms" and header and header[0]:
        defaults["date"] = header[0]
    return _table(
        name,
        kind,
        digest,
        header,
        1,
        records,
        rows,
        excluded,
        blank,
        defaults,
        {},
        aliases,
        problems,
    )


def _records(
    grid: list[list[object]], header_rows: int, width: int, name: str, *, whole_rows: bool
) -> tuple[list[list[object]], list[int], list[Problem], int]:
    """Data records after ``header_rows`` rows, without blank rows, padded to ``width``.

    With ``whole_rows`` (CSV), a short record that looks cut in two is a problem: a line break
    inside an unquoted cell splits a record into pieces whose cells add up to the header's (one
    cell shared), and padding would store half a comment and a record of its other half. Other
    short records are padded: some writers (older Excel among them) leave out the delimiters of
    empty cells at the end of a row, and a header may end in empty columns.
    """
    cut = cut_records(grid[0][:width], grid[header_rows:]) if whole_rows else {}
    records: list[list[object]] = []
    rows: list[int] = []
    problems: list[Problem] = []
    blank = 0
    for index in range(header_rows, len(grid)):
        record = grid[index]
        if all(_blank(c) for c in record):
            blank += 1
            continue
        if len(record) > width and not all(_blank(c) for c in record[width:]):
            problems.append(
                Problem(
                    file=name,
                    row=index + 1,
                    reason=f"{len(record)} cells but the header has {width}",
                )
            )
        elif index - header_rows in cut:
            problems.append(Problem(file=name, row=index + 1, reason=cut[index - header_rows]))
        records.append(list(record[:width]) + [None] * (width - len(record)))
        rows.append(index + 1)
    return records, rows, problems, blank


CUT_HINT = (
    "a line break inside an unquoted cell seems to cut a record in two; put such cells in "
    "quotes (or, where the row just ends early, write out its empty cells)"
)


def cut_records(header: Sequence[object], records: Sequence[Sequence[object]]) -> dict[int, str]:
    """The records (by index) that look cut in two by a line break, with the reason: a short
    record whose cells and a neighbour's would make one record as wide as the header's named
    columns if joined where the line break cut them (the cell at the cut counted once). Blank
    records are neither cut nor neighbours."""
    named = max((i + 1 for i, c in enumerate(header) if not _blank(c)), default=len(header))
    kept = [i for i, record in enumerate(records) if not all(_blank(c) for c in record)]
    lengths = [len(records[i]) for i in kept]
    cut = {}
    for position, index in enumerate(kept):
        here = lengths[position]
        neighbours = [lengths[p] for p in (position - 1, position + 1) if 0 <= p < len(kept)]
        if here < named and any(here + n - 1 == named for n in neighbours):
            cut[index] = f"{here} cells but the header has {named}: {CUT_HINT}"
    return cut


def _table(
    name: str,
    kind: SourceFormat,
    digest: str,
    header: tuple[str, ...],
    header_row: int,
    records: list[list[object]],
    rows: list[int],
    excluded: Sequence[Exclusion | None],
    blank: int,
    defaults: Mapping[str, str],
    zones: Mapping[str, str],
    aliases: Mapping[str, int],
    problems: Sequence[Problem],
) -> RawTable:
    def fetch(position: int) -> list[object]:
        return [record[position] for record in records]

    return RawTable(
        file=name,
        format=kind,
        sha256=digest,
        header=header,
        header_row=header_row,
        rows=tuple(rows),
        excluded=tuple(excluded),
        blank_rows=blank,
        defaults=defaults,
        zones=zones,
        aliases=aliases,
        problems=tuple(problems),
        fetch=fetch,
    )


def _defaults(header: tuple[str, ...], **names: tuple[str, ...]) -> dict[str, str]:
    """Canonical column → the first of its usual names that the header has."""
    found = {key: next((n for n in options if n in header), None) for key, options in names.items()}
    return {key: column for key, column in found.items() if column is not None}


def _limesurvey(
    header: tuple[str, ...], records: list[list[object]]
) -> tuple[dict[str, str], dict[str, int], list[Exclusion | None]]:
    defaults = _defaults(header, id=("id", "Response ID"), date=("submitdate", "Date submitted"))
    aliases: dict[str, int] = {}
    for position, heading in enumerate(header):
        code, dot, _ = heading.partition(". ")
        if dot and code and " " not in code and code not in header:
            aliases.setdefault(code, position)
    excluded: list[Exclusion | None] = [None] * len(records)
    if "date" in defaults:
        at = header.index(defaults["date"])
        excluded = ["unfinished" if _blank(r[at]) else None for r in records]
    return defaults, aliases, excluded


def _qualtrics_table(
    grid: list[list[object]], name: str, digest: str, *, whole_rows: bool
) -> RawTable:
    if len(grid) < 3:
        _reject(name, "a Qualtrics export has three header rows; this file has fewer", row=1)
    meta = _qualtrics_meta(grid[2])
    if meta is None:
        _reject(
            name,
            'row 3 is not Qualtrics\' ImportId row ({"ImportId":...}); export the CSV with '
            "'Use legacy export format' switched off, or leave the format out",
            row=3,
        )
    header = _header(grid[0])
    records, rows, problems, blank = _records(grid, 3, len(header), name, whole_rows=whole_rows)
    aliases: dict[str, int] = {}
    zones: dict[str, str] = {}
    for position, info in enumerate(meta[: len(header)]):
        import_id = info.get("ImportId")
        if isinstance(import_id, str) and import_id and import_id not in header:
            aliases.setdefault(import_id, position)
        zone = info.get("timeZone")
        if isinstance(zone, str) and zone and header[position]:
            zones[header[position]] = "UTC" if zone in ("Z", "UTC", "GMT") else zone
    # row 2 holds the question texts people know their questions by: each names its column
    # too, where only one column has it and no header is it, in any letter case (a header
    # "region" keeps the name "Region", which a question text could otherwise take over)
    texts = _header(grid[1])[: len(header)]
    folded = {h.casefold() for h in header}
    for position, text in enumerate(texts):
        if text and text.casefold() not in folded and texts.count(text) == 1:
            aliases.setdefault(text, position)
    defaults = _defaults(header, id=("ResponseId", "ResponseID"), date=("RecordedDate", "EndDate"))
    excluded, flag_problems = _qualtrics_exclusions(header, records, rows, name)
    return _table(
        name,
        "qualtrics",
        digest,
        header,
        1,
        records,
        rows,
        excluded,
        blank,
        defaults,
        zones,
        aliases,
        [*problems, *flag_problems],
    )


def _qualtrics_exclusions(
    header: tuple[str, ...], records: list[list[object]], rows: list[int], name: str
) -> tuple[list[Exclusion | None], list[Problem]]:
    excluded: list[Exclusion | None] = [None] * len(records)
    problems: list[Problem] = []
    status_at = header.index("Status") if "Status" in header else None
    finished_at = header.index("Finished") if "Finished" in header else None
    for index, record in enumerate(records):
        if status_at is not None and _flag(record[status_at]) in _QUALTRICS_TEST:
            excluded[index] = "test"
            continue
        if finished_at is None:
            continue
        flag = _flag(record[finished_at])
        if flag in _QUALTRICS_FALSE:
            excluded[index] = "unfinished"
        elif flag not in _QUALTRICS_TRUE:
            problems.append(
                Problem(
                    file=name,
                    row=rows[index],
                    column="Finished",
                    reason=f"{record[finished_at]!r} is not one of True, False, 1, 0",
                )
            )
    return excluded, problems


def _flag(cell: object) -> str:
    if isinstance(cell, bool):
        return "1" if cell else "0"
    return "" if cell is None else str(cell).strip().casefold()


# --- JSONL and Parquet ------------------------------------------------------------------------


def _jsonl_table(data: bytes, name: str, digest: str) -> RawTable:
    text = _decode(data, name)
    objects: list[dict[str, object]] = []
    rows: list[int] = []
    problems: list[Problem] = []
    blank = 0
    header: dict[str, None] = {}
    # lines end at "\n" only: U+2028, U+2029 and U+0085 may stand inside a JSON string
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            blank += 1
            continue
        try:
            value = json.loads(line)
        except (ValueError, RecursionError) as exc:
            reason = f"not valid JSON: {exc}" if isinstance(exc, ValueError) else "nested too deep"
            problems.append(Problem(file=name, row=number, reason=reason))
            continue
        if not isinstance(value, dict):
            problems.append(
                Problem(
                    file=name,
                    row=number,
                    reason=f'a JSON {type(value).__name__}, not an object ({{"column": value}})',
                )
            )
            continue
        surrogate = _lone_surrogate(value)
        if surrogate is not None:
            problems.append(
                Problem(
                    file=name, row=number, column=surrogate,
                    reason="holds a lone surrogate escape (\\ud800-\\udfff), which is no text",
                )
            )
            continue
        header.update(dict.fromkeys(str(k) for k in value))
        objects.append({str(k): v for k, v in value.items()})
        rows.append(number)
    if not objects and not problems:
        _reject(name, "the file holds no JSON objects")
    names = tuple(header)

    def fetch(position: int) -> list[object]:
        key = names[position]
        return [record.get(key) for record in objects]

    return RawTable(
        file=name,
        format="jsonl",
        sha256=digest,
        header=names,
        header_row=None,
        rows=tuple(rows),
        excluded=(None,) * len(rows),
        blank_rows=blank,
        problems=tuple(problems),
        fetch=fetch,
    )


def _lone_surrogate(value: dict[str, object]) -> str | None:
    """The first key whose name or text holds an unpaired surrogate, else None."""
    for key, cell in value.items():
        for text in (key, cell):
            if isinstance(text, str):
                try:
                    text.encode("utf-8")
                except UnicodeEncodeError:
                    return key.encode("utf-8", "replace").decode("utf-8")
    return None


def _parquet_cell(value: object) -> object:
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _parquet_table(data: bytes, name: str, digest: str) -> RawTable:
    try:
        frame = pl.read_parquet(io.BytesIO(data))
    except (Exception, pl.exceptions.PanicException) as exc:  # polars/arrow: many error types
        text = str(exc).strip().splitlines()
        _reject(name, f"not a readable Parquet file: {text[0] if text else type(exc).__name__}")

    def fetch(position: int) -> list[object]:
        return [_parquet_cell(v) for v in frame.to_series(position).to_list()]

    return RawTable(
        file=name,
        format="parquet",
        sha256=digest,
        header=tuple(frame.columns),
        header_row=1,
        rows=tuple(range(2, frame.height + 2)),
        excluded=(None,) * frame.height,
        fetch=fetch,
    )


# --- problems and cells ------------------------------------------------------------------------


class ProblemLog:
    """Problems found so far: the first MAX_REPORTED in full, the rest only counted."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.listed: list[Problem] = []
        self.total = 0

    def add(self, reason: str, *, row: int | None = None, column: str | None = None) -> None:
        self.total += 1
        if len(self.listed) < MAX_REPORTED:
            self.listed.append(Problem(file=self.file, row=row, column=column, reason=reason))

    def extend(self, problems: Sequence[Problem]) -> None:
        for problem in problems:
            self.total += 1
            if len(self.listed) < MAX_REPORTED:
                self.listed.append(problem)

    def raise_if_any(self) -> None:
        """Raise :class:`ImportRejected` with the problems in file order (file-wide first)."""
        if self.total:
            ordered = sorted(self.listed, key=lambda p: -1 if p.row is None else p.row)
            raise ImportRejected(ordered, total=self.total)


# --- cells -----------------------------------------------------------------------------------

_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)")
_LABELLED = re.compile(r"([+-]?\d+(?:[.,]\d+)?)\s*(?:[-–—=:)(]|\s)\s*[^\d\s].*", re.DOTALL)


def is_empty(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def shown(cell: object) -> str:
    """A cell as the problem message quotes it (text quoted and cut at 60 characters)."""
    text = cell.strip() if isinstance(cell, str) else str(cell)
    if len(text) > 60:
        text = text[:60] + "…"
    return repr(text) if isinstance(cell, str) else text


def cell_text(cell: object) -> tuple[str | None, str | None]:
    """The cell as stripped text (None when empty), or why it is not text."""
    if is_empty(cell):
        return None, None
    if isinstance(cell, str):
        return cell.strip(), None
    if isinstance(cell, bool):
        return None, f"{cell} is a true/false value, not text"
    if isinstance(cell, int | Decimal):
        return str(cell), None
    if isinstance(cell, float):
        if not math.isfinite(cell):
            return None, f"{cell} is not text"
        return (str(int(cell)) if cell.is_integer() else repr(cell)), None
    return None, f"a {type(cell).__name__} ({shown(cell)}), not text"


def cell_number(
    cell: object, labels: Mapping[str, float | None]
) -> tuple[float | None, str | None]:
    """The cell as a number (None when empty or mapped to null), or why it is not one."""
    if is_empty(cell):
        return None, None
    if isinstance(cell, bool):
        return None, f"{cell} is a true/false value, not a number"
    if isinstance(cell, int | float | Decimal):
        try:
            number = float(cell)
        except OverflowError:
            return None, f"a number of {len(str(cell))} digits is too large"
        if math.isnan(number):
            return None, None
        if not math.isfinite(number):
            return None, f"{cell} is not a finite number"
        return number, None
    if not isinstance(cell, str):
        return None, f"a {type(cell).__name__} ({shown(cell)}), not a number"
    text = cell.strip()
    key = text.casefold()
    if key in labels:
        return labels[key], None
    if _NUMBER.fullmatch(text):
        number = float(text.replace(",", "."))
        if not math.isfinite(number):
            return None, f"a number of {len(text)} characters is too large"
        return number, None
    labelled = _LABELLED.fullmatch(text)
    if labelled is not None:
        return float(labelled.group(1).replace(",", ".")), None
    return None, (
        f"{shown(cell)} is not a number (map labels to numbers with --value LABEL=NUMBER, "
        "values= from Python)"
    )


# --- dates -----------------------------------------------------------------------------------

_TIME = (
    r"(?:(?:\s+|T)(?P<H>\d{1,2})[:.](?P<M>\d{2})(?:[:.](?P<S>\d{2})(?:[.,](?P<f>\d{1,9}))?)?"
    r"(?:\s*(?P<ampm>[AP]\.?\s?M\.?))?)?"
)
_ZONE = r"(?:\s*(?P<zone>Z|[+-]\d{2}(?::?\d{2})?|(?:UTC|GMT)(?:\s*[+-]\d{1,2}(?::?\d{2})?)?))?"
_YMD = re.compile(
    r"(?P<Y>\d{4})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})" + _TIME + _ZONE, re.I
)
_DMY = re.compile(r"(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<Y>\d{4})" + _TIME + _ZONE, re.I)
_SLASHED = re.compile(
    r"(?P<a>\d{1,2})(?P<sep>[/-])(?P<b>\d{1,2})(?P=sep)(?P<Y>\d{4})" + _TIME + _ZONE, re.I
)
_OFFSET = re.compile(r"(?:UTC|GMT)?\s*(?P<sign>[+-])(?P<h>\d{1,2})(?::?(?P<m>\d{2}))?", re.I)


def _slashed_formats(match: re.Match[str]) -> tuple[str, str]:
    """The day-first and month-first formats that read ``match`` (a ``_SLASHED`` date)."""
    sep = match.groupdict().get("sep") or "/"
    time = ""
    if match.groupdict().get("H") is not None:
        hours = "%I" if match.group("ampm") else "%H"
        time = f" {hours}:%M" + (":%S" if match.group("S") is not None else "")
        time += " %p" if match.group("ampm") else ""
    return f"%d{sep}%m{sep}%Y{time}", f"%m{sep}%d{sep}%Y{time}"


class DateColumn:
    """Dates and times of one column to UTC (see the module's notes on time zones)."""

    def __init__(self, zone: zoneinfo.ZoneInfo, zone_name: str, date_format: str | None) -> None:
        self.zone = zone
        self.zone_name = zone_name
        self.date_format = date_format
        self.ambiguous = 0
        """Local times read that happen twice in the zone (each taken as the earlier instant)."""

    def read(
        self, cells: Sequence[object], rows: Sequence[int], column: str, problems: ProblemLog
    ) -> list[datetime | None]:
        matches: list[re.Match[str] | None] = [None] * len(cells)
        if self.date_format is None:
            for index, cell in enumerate(cells):
                if isinstance(cell, str) and cell.strip():
                    text = cell.strip()
                    matches[index] = (
                        _YMD.fullmatch(text) or _DMY.fullmatch(text) or _SLASHED.fullmatch(text)
                    )
        dayfirst, settled, ambiguous = _day_first(matches)
        if ambiguous is not None:
            index, text = ambiguous
            match = matches[index]
            day, month = _slashed_formats(match) if match is not None else ("", "")
            problems.add(
                f"{text!r} can be read day-first or month-first and no date in the column "
                f"settles it; name the format: --date-format '{day}' or '{month}' "
                "(date_format= from Python)",
                row=rows[index],
                column=column,
            )
        out: list[datetime | None] = []
        for index, cell in enumerate(cells):
            try:
                value = self._cell(cell, matches[index], dayfirst, settled)
            except ValueError as error:
                problems.add(str(error), row=rows[index], column=column)
                value = None
            out.append(value)
        return out

    def _cell(
        self, cell: object, match: re.Match[str] | None, dayfirst: bool, settled: bool
    ) -> datetime | None:
        if is_empty(cell):
            return None
        if isinstance(cell, datetime):
            return self._utc(cell, repr(cell.isoformat(sep=" ")))
        if isinstance(cell, date):
            return self._utc(datetime(cell.year, cell.month, cell.day), repr(cell.isoformat()))
        if not isinstance(cell, str):
            raise ValueError(f"{shown(cell)} is not a date")
        text = cell.strip()
        if self.date_format is not None:
            try:
                parsed = datetime.strptime(text, self.date_format)
            except ValueError as error:
                raise ValueError(
                    f"cannot read {text!r} as a date in the format {self.date_format!r}"
                ) from error
            return self._utc(parsed, repr(text))
        if match is None:
            raise ValueError(f"cannot read {text!r} as a date and time")
        return self._utc(_from_match(match, text, dayfirst, settled), repr(text))

    def _utc(self, value: datetime, quoted: str) -> datetime:
        if value.tzinfo is not None:
            return value.astimezone(UTC)
        if self.zone_name == "UTC":
            return value.replace(tzinfo=UTC)
        early = value.replace(tzinfo=self.zone, fold=0)
        if early.utcoffset() == value.replace(tzinfo=self.zone, fold=1).utcoffset():
            return early.astimezone(UTC)
        instant = early.astimezone(UTC)
        if instant.astimezone(self.zone).replace(tzinfo=None) != value:
            raise ValueError(
                f"{quoted} does not exist in {self.zone_name} (the clocks skip it at a "
                "daylight-saving change); give it an offset or check the time zone"
            )
        # a wall time that happens twice (clocks turned back): the first, as a clock shows it
        self.ambiguous += 1
        return instant


def _day_first(
    matches: Sequence[re.Match[str] | None],
) -> tuple[bool, bool, tuple[int, str] | None]:
    """Whether slashed dates are day-first, whether a date settles it, and (if none does) the
    first date that could be read either way."""
    days = months = 0
    undecided: tuple[int, str] | None = None
    for index, match in enumerate(matches):
        if match is None or match.re is not _SLASHED:
            continue
        a, b = int(match["a"]), int(match["b"])
        if a > 12 >= b:
            days += 1
        elif b > 12 >= a:
            months += 1
        elif a != b and undecided is None:
            undecided = (index, match.string)
    if days or months:
        return days >= months, True, None
    return False, False, undecided


def _from_match(match: re.Match[str], text: str, dayfirst: bool, settled: bool) -> datetime:
    order = ""
    if match.re is _SLASHED:
        first, second = int(match["a"]), int(match["b"])
        day, month = (first, second) if dayfirst else (second, first)
        if settled:
            order = "day-first" if dayfirst else "month-first"
    else:
        day, month = int(match["d"]), int(match["m"])
    hour = int(match["H"] or 0)
    if match["ampm"]:
        if not 1 <= hour <= 12:
            raise ValueError(f"cannot read {text!r}: hour {hour} with AM/PM")
        hour = hour % 12 + (12 if match["ampm"][0] in "Pp" else 0)
    fraction = match["f"] or ""
    try:
        value = datetime(
            int(match["Y"]),
            month,
            day,
            hour,
            int(match["M"] or 0),
            int(match["S"] or 0),
            int(fraction[:6].ljust(6, "0")),
        )
    except ValueError as error:
        where = f" (read {order}, as the column's other dates are)" if order else ""
        raise ValueError(f"cannot read {text!r} as a date: {error}{where}") from error
    zone = match["zone"]
    if zone is None:
        return value
    return value.replace(tzinfo=_offset(zone, text))


def _offset(zone: str, text: str) -> timezone:
    if zone.upper() in ("Z", "UTC", "GMT"):
        return UTC
    match = _OFFSET.fullmatch(zone)
    if match is None:
        raise ValueError(f"cannot read the time zone of {text!r}")
    hours, minutes = int(match["h"]), int(match["m"] or 0)
    if hours > 14 or minutes >= 60:
        raise ValueError(f"{text!r} has an offset outside ±14:00")
    delta = timedelta(hours=hours, minutes=minutes)
    return timezone(-delta if match["sign"] == "-" else delta)
