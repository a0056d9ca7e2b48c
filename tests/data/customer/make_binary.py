"""Write survey.xlsx and survey.parquet, the binary twins of survey.jsonl (run from this folder).

    ../../../.venv/bin/python make_binary.py
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
from openpyxl import Workbook

HERE = Path(__file__).resolve().parent


def main() -> None:
    records = [json.loads(line) for line in (HERE / "survey.jsonl").read_text("utf-8").splitlines()]
    stamps = [datetime.fromisoformat(r["date"]).astimezone(UTC) for r in records]
    columns = list(records[0])
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Responses"
    sheet.append(columns)
    for record, stamp in zip(records, stamps, strict=True):
        # Excel has no time zones: the workbook holds UTC wall-clock times
        sheet.append([stamp.replace(tzinfo=None) if c == "date" else record[c] for c in columns])
    workbook.save(HERE / "survey.xlsx")
    frame = pl.DataFrame(
        {c: [r[c] for r in records] for c in columns if c != "date"}, strict=False
    ).with_columns(pl.Series("date", stamps, dtype=pl.Datetime("us", "UTC")))
    frame.select(columns).write_parquet(HERE / "survey.parquet")


if __name__ == "__main__":
    main()
