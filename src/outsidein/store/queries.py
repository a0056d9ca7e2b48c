"""Reads and writes of the schema that hand plain data (polars frames, core types) out.

Every function takes the database alias of the workspace; nothing here decides anything.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import polars as pl
from django.db import transaction

from outsidein.core.attributes import Dimension, QualityAttribute
from outsidein.store import models


@dataclass(frozen=True, slots=True, kw_only=True)
class NewRespondent:
    external_id: str
    role: str
    department: str
    answers: dict[str, int]
    language: str = "en"


def ensure_assessment(
    alias: str, *, organisation: str, organisation_name: str, assessment: str
) -> models.Assessment:
    from outsidein.instruments import load_instrument

    org, _ = models.Organisation.objects.using(alias).get_or_create(
        slug=organisation, defaults={"name": organisation_name}
    )
    found, _ = models.Assessment.objects.using(alias).get_or_create(
        organisation=org,
        name=assessment,
        defaults={"instrument_version": load_instrument().version},
    )
    return found


def get_assessment(alias: str, *, organisation: str, assessment: str) -> models.Assessment:
    return (
        models.Assessment.objects.using(alias)
        .select_related("organisation")
        .get(organisation__slug=organisation, name=assessment)
    )


def existing_respondents(alias: str, assessment: models.Assessment, ids: Iterable[str]) -> set[str]:
    wanted = list(ids)
    found: set[str] = set()
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        found.update(
            models.Respondent.objects.using(alias)
            .filter(assessment=assessment, external_id__in=chunk)
            .values_list("external_id", flat=True)
        )
    return found


def add_respondents(
    alias: str, assessment: models.Assessment, respondents: Sequence[NewRespondent], *, source: str
) -> int:
    """Store respondents and their answers in one transaction; returns answers stored.

    The unique constraint on (assessment, external_id) is the last line of defence against a
    respondent counted twice: a concurrent duplicate makes the whole transaction fail.
    """
    with transaction.atomic(using=alias):
        created = models.Respondent.objects.using(alias).bulk_create(
            [
                models.Respondent(
                    assessment=assessment,
                    external_id=r.external_id,
                    role=r.role,
                    department=r.department,
                    language=r.language,
                    source=source,
                )
                for r in respondents
            ],
            batch_size=500,
        )
        if not all(r.pk for r in created):  # backends without RETURNING on bulk insert
            by_id = dict(
                models.Respondent.objects.using(alias)
                .filter(assessment=assessment, external_id__in=[r.external_id for r in respondents])
                .values_list("external_id", "pk")
            )
            for r in created:
                r.pk = by_id[r.external_id]
        answers = [
            models.Response(respondent_id=row.pk, item_id=item, value=value)
            for row, new in zip(created, respondents, strict=True)
            for item, value in new.answers.items()
        ]
        models.Response.objects.using(alias).bulk_create(answers, batch_size=2000)
    return len(answers)


def responses_frame(alias: str, assessment: models.Assessment) -> pl.DataFrame:
    """One row per respondent: respondent_id, role, department, then one column per item."""
    people = list(
        models.Respondent.objects.using(alias)
        .filter(assessment=assessment)
        .order_by("pk")
        .values_list("pk", "external_id", "role", "department")
    )
    base = pl.DataFrame(
        people,
        schema={
            "pk": pl.Int64,
            "respondent_id": pl.String,
            "role": pl.String,
            "department": pl.String,
        },
        orient="row",
    )
    answers = list(
        models.Response.objects.using(alias)
        .filter(respondent__assessment=assessment)
        .values_list("respondent_id", "item_id", "value")
    )
    if not answers:
        return base.drop("pk")
    long = pl.DataFrame(
        answers,
        schema={"pk": pl.Int64, "item_id": pl.String, "value": pl.Float64},
        orient="row",
    )
    wide = long.pivot(on="item_id", index="pk", values="value")
    return base.join(wide, on="pk", how="left").drop("pk")


def respondent_count(alias: str, assessment: models.Assessment) -> int:
    return models.Respondent.objects.using(alias).filter(assessment=assessment).count()


def quality_attributes(alias: str, organisation_slug: str) -> tuple[QualityAttribute, ...]:
    rows = (
        models.QualityAttribute.objects.using(alias)
        .filter(organisation__slug=organisation_slug)
        .order_by("pk")
    )
    return tuple(
        QualityAttribute(
            id=row.key,
            name=row.name,
            description=row.description,
            dimension=Dimension(row.dimension),
            examples={k: tuple(v) for k, v in (row.examples or {}).items()},
            praise={k: tuple(v) for k, v in (row.praise or {}).items()},
            complaints={k: tuple(v) for k, v in (row.complaints or {}).items()},
        )
        for row in rows
    )


def replace_quality_attributes(
    alias: str, organisation_slug: str, attributes: Sequence[QualityAttribute]
) -> None:
    with transaction.atomic(using=alias):
        org = models.Organisation.objects.using(alias).get(slug=organisation_slug)
        models.QualityAttribute.objects.using(alias).filter(organisation=org).delete()
        models.QualityAttribute.objects.using(alias).bulk_create(
            [
                models.QualityAttribute(
                    organisation=org,
                    key=a.id,
                    name=dict(a.name),
                    description=dict(a.description),
                    dimension=str(a.dimension),
                    examples={k: list(v) for k, v in a.examples.items()},
                    praise={k: list(v) for k, v in a.praise.items()},
                    complaints={k: list(v) for k, v in a.complaints.items()},
                )
                for a in attributes
            ]
        )


def register_dataset(
    alias: str,
    organisation_slug: str,
    *,
    kind: str,
    source_name: str,
    source_sha256: str,
    path: str,
    rows: int,
    columns: Sequence[str],
    options: dict[str, object] | None = None,
) -> models.Dataset:
    org = models.Organisation.objects.using(alias).get(slug=organisation_slug)
    return models.Dataset.objects.using(alias).create(
        organisation=org,
        kind=kind,
        source_name=source_name,
        source_sha256=source_sha256,
        path=path,
        rows=rows,
        columns=list(columns),
        options=options or {},
    )


def custom_item_definitions(alias: str, organisation_slug: str) -> list[dict[str, object]]:
    return [
        dict(row.definition)
        for row in models.CustomItem.objects.using(alias)
        .filter(organisation__slug=organisation_slug)
        .order_by("pk")
    ]


def replace_custom_items(
    alias: str, organisation_slug: str, definitions: Sequence[dict[str, object]]
) -> None:
    """The firm's own items become exactly ``definitions`` (one transaction)."""
    with transaction.atomic(using=alias):
        org = models.Organisation.objects.using(alias).get(slug=organisation_slug)
        models.CustomItem.objects.using(alias).filter(organisation=org).delete()
        models.CustomItem.objects.using(alias).bulk_create(
            [
                models.CustomItem(organisation=org, item_id=str(d["id"]), definition=d)
                for d in definitions
            ]
        )
