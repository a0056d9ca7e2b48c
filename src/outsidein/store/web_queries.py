"""Queries of the web product that the ORM makes slow on its hot path.

A survey submission writes one row per answer (65 for a staff member). Building 65 model
instances and their INSERT through the ORM costs more CPU than the commit itself; one
``executemany`` of plain tuples does the same work in a fraction of it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from django.db import connections
from django.db.models import Model
from django.utils import timezone

from outsidein.store import models


def insert_answers(alias: str, respondent_id: int, answers: Mapping[str, int]) -> int:
    """Store a respondent's answers (inside the caller's transaction); returns rows written."""
    connection = connections[alias]
    meta = models.Response._meta
    quote = connection.ops.quote_name
    columns = ", ".join(
        quote(field.column) for field in meta.concrete_fields
        if field.name in ("respondent", "item_id", "value")
    )
    order = [f.name for f in meta.concrete_fields if f.name in ("respondent", "item_id", "value")]
    assert order == ["respondent", "item_id", "value"], order  # the VALUES order below
    rows = [(respondent_id, str(item), int(value)) for item, value in answers.items()]
    # one multi-row INSERT per 500 answers: one round trip to PostgreSQL instead of one per row
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 500):
            chunk = rows[start : start + 500]
            marks = ", ".join(["(%s, %s, %s)"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES {marks}",
                [value for row in chunk for value in row],
            )
    return len(rows)


_CONTEXT_FIELDS = (
    "pk", "used", "role", "department", "language", "assessment_id", "assessment__name",
    "assessment__anonymity_threshold", "assessment__closed_at", "assessment__organisation_id",
    "assessment__organisation__slug", "assessment__organisation__name",
)


def _aware(value: object) -> datetime | None:
    """A timestamp read by plain SQL, as an aware UTC datetime (SQLite hands it over naive or as
    text, in UTC; PostgreSQL aware)."""
    if value is None:
        return None
    stamp = datetime.fromisoformat(value) if isinstance(value, str) else value
    assert isinstance(stamp, datetime), value
    return stamp.replace(tzinfo=UTC) if stamp.tzinfo is None else stamp.astimezone(UTC)


def invitation_context(alias: str, public_id: str) -> dict[str, object] | None:
    """The invitation with its assessment and organisation, in one prepared SQL statement.

    Every survey request starts here; compiling the ORM query each time cost more than the
    query itself (about a millisecond of CPU per request), so its SQL is built once per alias.
    """
    sql = _context_sql.get(alias)
    if sql is None:
        queryset = models.Invitation.objects.using(alias).filter(public_id="__id__").values(
            *_CONTEXT_FIELDS
        )
        compiled, params = queryset.query.get_compiler(using=alias).as_sql()
        assert list(params) == ["__id__"], params
        sql = _context_sql.setdefault(alias, compiled)
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, [public_id])
        row = cursor.fetchone()
    if row is None:
        return None
    out = dict(zip(_CONTEXT_FIELDS, row, strict=True))
    out["used"] = bool(out["used"])
    out["assessment__closed_at"] = _aware(out["assessment__closed_at"])
    return out


_context_sql: dict[str, str] = {}


def claim_invitation(alias: str, invitation_id: int) -> bool:
    """``UPDATE ... SET used = true WHERE id = ? AND used = false``: whether this call claimed it.

    The conditional update is the exactly-once guarantee: it takes the row lock, and a second
    claim of the same invitation, concurrent or later, changes no row.
    """
    connection = connections[alias]
    quote = connection.ops.quote_name
    meta = models.Invitation._meta
    used = quote(meta.get_field("used").column)
    sql = (
        f"UPDATE {quote(meta.db_table)} SET {used} = %s "
        f"WHERE {quote(meta.pk.column)} = %s AND {used} = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [True, invitation_id, False])
        return bool(cursor.rowcount == 1)


def _select_one(
    alias: str, model: type[Model], column: str, key: str, value: int
) -> tuple[Any, ...] | None:
    """``SELECT column FROM model WHERE key = value`` as a plain statement (no ORM locking or
    caching): the first row, or None."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    sql = (
        f"SELECT {quote(_column(model, column))} FROM {quote(model._meta.db_table)} "
        f"WHERE {quote(_column(model, key))} = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [value])
        row = cursor.fetchone()
    return None if row is None else tuple(row)


def _column(model: type[Model], field: str) -> str:
    """The database column of ``model``'s concrete ``field``."""
    column = getattr(model._meta.get_field(field), "column", None)
    if not isinstance(column, str):
        raise TypeError(f"{model.__name__}.{field} has no column")
    return column


def assessment_closed_at(alias: str, assessment_id: int) -> datetime | None:
    """When the assessment's survey was closed (None: open), by a plain SELECT.

    Read inside the transaction that stores answers, after the invitation's row lock: closing
    locks the open invitations before it commits, so on PostgreSQL this statement sees either
    the close committed (and the answers are refused) or no close yet, which then waits for
    this transaction (see :func:`outsidein.services.invitations.close_survey`).
    """
    row = _select_one(alias, models.Assessment, "closed_at", "id", assessment_id)
    return None if row is None else _aware(row[0])


def draft_answers(alias: str, invitation_id: int) -> dict[str, int] | None:
    """The saved draft of an invitation (None when there is none), by a plain SELECT."""
    row = _select_one(alias, models.Draft, "answers", "invitation", invitation_id)
    if row is None:
        return None
    value = row[0]
    loaded = json.loads(value) if isinstance(value, str | bytes) else value
    return {str(k): int(v) for k, v in (loaded or {}).items()}


def insert_respondent(
    alias: str, *, assessment_id: int, external_id: str, role: str, department: str,
    language: str, source: str,
) -> int:
    """One respondent row by a plain ``INSERT ... RETURNING`` (SQLite ≥ 3.35, PostgreSQL)."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    meta = models.Respondent._meta
    values: dict[str, Any] = {
        "assessment": assessment_id,
        "external_id": external_id,
        "role": role,
        "department": department,
        "language": language,
        "source": source,
        "created_at": connection.ops.adapt_datetimefield_value(timezone.now()),
    }
    column_of = {field.name: field.column for field in meta.concrete_fields}
    columns = ", ".join(quote(column_of[name]) for name in values)
    marks = ", ".join(["%s"] * len(values))
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({marks}) "
        f"RETURNING {quote(meta.pk.column)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, list(values.values()))
        row = cursor.fetchone()
    return int(row[0])
