"""The schema: organisations, assessments, respondents and their answers, quality attributes,
and the bulk data sets (Parquet files in the workspace) registered against an organisation.

Answers are stored one row per (respondent, item); a respondent is unique per assessment by
its external id, so the same person can never be counted twice.
"""

from __future__ import annotations

from django.db import models


class Organisation(models.Model):
    """A firm being assessed (a tenant: nobody sees another organisation's data)."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class Assessment(models.Model):
    """One round of the readiness and stage survey in one organisation."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="assessments"
    )
    name = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    instrument_version = models.CharField(max_length=100)
    anonymity_threshold = models.PositiveSmallIntegerField(default=5)
    score_threshold = models.FloatField(default=5.0)
    parity_threshold = models.FloatField(default=0.9)
    seed = models.BigIntegerField(default=0, help_text="seed of every bootstrap in this assessment")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="assessment_name_unique"),
            models.CheckConstraint(
                condition=models.Q(anonymity_threshold__gte=2), name="anonymity_at_least_two"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.name}"


class Respondent(models.Model):
    class Role(models.TextChoices):
        MANAGER = "manager", "manager"
        OPERATIONAL = "operational", "operational"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="respondents")
    external_id = models.CharField(max_length=200)
    role = models.CharField(max_length=20, choices=Role.choices)
    department = models.CharField(max_length=200)
    language = models.CharField(max_length=8, default="en")
    source = models.CharField(max_length=300, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "external_id"], name="respondent_once_per_assessment"
            )
        ]
        indexes = [models.Index(fields=["assessment", "role"])]

    def __str__(self) -> str:
        return self.external_id


class Response(models.Model):
    """One answer: a whole number on the item's scale."""

    respondent = models.ForeignKey(Respondent, on_delete=models.CASCADE, related_name="answers")
    item_id = models.CharField(max_length=100)
    value = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["respondent", "item_id"], name="one_answer_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.respondent_id}:{self.item_id}={self.value}"


class QualityAttribute(models.Model):
    class Dimension(models.TextChoices):
        TECHNICAL = "technical", "technical (what the customer gets)"
        FUNCTIONAL = "functional", "functional (how it is delivered)"
        IMAGE = "image", "image"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="quality_attributes"
    )
    key = models.SlugField(max_length=100)
    name = models.JSONField(help_text="name per language code")
    description = models.JSONField(default=dict, blank=True)
    dimension = models.CharField(max_length=20, choices=Dimension.choices)
    examples = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "key"], name="attribute_key_unique")
        ]

    def __str__(self) -> str:
        return self.key


class Dataset(models.Model):
    """A file of customer evidence stored as Parquet under the workspace's data folder."""

    class Kind(models.TextChoices):
        RESPONSES = "responses", "staff survey responses"
        FEEDBACK = "feedback", "customer feedback text"
        CUSTOMER_SURVEY = "customer_survey", "customer survey"
        EVENTS = "events", "event log"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="datasets"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    source_name = models.CharField(max_length=500)
    source_sha256 = models.CharField(max_length=64)
    path = models.CharField(max_length=500, blank=True, default="")
    rows = models.BigIntegerField()
    columns = models.JSONField(default=list)
    options = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.kind}: {self.source_name}"
