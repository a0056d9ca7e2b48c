"""Decoding the bytes of text files that users export from spreadsheets and survey tools."""

from __future__ import annotations

from typing import NoReturn

from outsidein.io.problems import ImportRejected, Problem


def reject_file(name: str, reason: str, *, row: int | None = None) -> NoReturn:
    """Stop an import with one problem about the whole file (or one row of it)."""
    raise ImportRejected([Problem(file=name, row=row, reason=reason)])


def decode_text(data: bytes, name: str) -> str:
    """The text of a file's bytes: UTF-8 (with or without BOM) or UTF-16 with a BOM.

    Anything else is rejected naming the row of the first bad byte, so the user can find it.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            reject_file(
                name, "the file starts with a UTF-16 byte-order mark but is not UTF-16 text"
            )
    if b"\x00" in data:
        row = data[: data.index(b"\x00")].count(b"\n") + 1
        reject_file(
            name,
            "the file holds NUL bytes: it is not UTF-8 text (a binary file, or UTF-16 without a "
            "byte-order mark); save it as 'CSV UTF-8' and import again",
            row=row,
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = data[: exc.start].count(b"\n") + 1
        reject_file(
            name,
            f"the file is not UTF-8 text (byte {exc.start}: {data[exc.start : exc.start + 1]!r}); "
            "save it as 'CSV UTF-8' and import again",
            row=row,
        )
