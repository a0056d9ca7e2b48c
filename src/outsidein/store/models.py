"""The schema: organisations, assessments, respondents and their answers, quality attributes,
and the bulk data sets (Parquet files in the workspace) registered against an organisation.

Answers are stored one row per (respondent, item); a respondent is unique per assessment by
its external id, so the same person can never be counted twice.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


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
    closed_at = models.DateTimeField(
        null=True, blank=True,
        help_text="when the staff survey was closed (no answers are taken); empty while open",
    )

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
    praise = models.JSONField(default=dict, blank=True, help_text="phrases per language code")
    complaints = models.JSONField(default=dict, blank=True, help_text="phrases per language code")

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
        VOICE_LABELS = "voice_labels", "labelled sentences for the text engine"

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


# --------------------------------------------------------------------------- the web product
# Tenants and people, invitations and drafts of the browser survey, the insight hub and API
# tokens. Nothing here links an invitation to the answers it produced: a respondent created
# from an invitation gets a random external id, and the invitation keeps only whether it has
# been used (so that it works once and reminders skip it), never when or by which respondent.


class Membership(models.Model):
    """A user's role in one organisation; without one the organisation does not exist to them."""

    class Role(models.TextChoices):
        OWNER = "owner", "owner"
        ANALYST = "analyst", "analyst"
        VIEWER = "viewer", "viewer"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="outsidein_memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="one_membership_per_org"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}@{self.organisation_id}: {self.role}"


class Invitation(models.Model):
    """One staff member's single-use link to the survey.

    The link carries ``public_id`` signed with the server's secret key; the database holds no
    usable token. ``used`` flips once, in the transaction that stores the answers.
    """

    class Language(models.TextChoices):
        EN = "en", "English"
        FI = "fi", "Suomi"
        DE = "de", "Deutsch"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="invitations")
    public_id = models.CharField(max_length=40, unique=True)
    role = models.CharField(max_length=20, choices=Respondent.Role.choices)
    department = models.CharField(max_length=200)
    language = models.CharField(max_length=8, choices=Language.choices, default="en")
    email = models.EmailField(
        blank=True, default="", help_text="only for sending the link; empty for exported links"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    mails_sent = models.PositiveSmallIntegerField(default=0)
    used = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["assessment", "role", "department"])]

    def __str__(self) -> str:
        return f"invitation {self.pk} ({self.role}, {self.department})"


class Draft(models.Model):
    """Answers saved so far by an invitation not yet submitted (save and resume)."""

    invitation = models.OneToOneField(Invitation, on_delete=models.CASCADE, related_name="draft")
    answers = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"draft of invitation {self.invitation_id}"


class Insight(models.Model):
    """A customer insight, the result it rests on, where it went and what was done about it."""

    class EvidenceKind(models.TextChoices):
        ASPECT = "aspect", "readiness aspect"
        GAP = "gap", "manager/operational gap"
        ATTRIBUTE = "attribute", "quality attribute"
        JOURNEY_STEP = "journey_step", "journey step"
        INDICATOR = "indicator", "stage indicator"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="insights")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True, default="")
    evidence_kind = models.CharField(max_length=20, choices=EvidenceKind.choices)
    evidence_ref = models.CharField(max_length=200)
    source_department = models.CharField(max_length=200, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.title


class InsightShare(models.Model):
    """An insight reached a department."""

    insight = models.ForeignKey(Insight, on_delete=models.CASCADE, related_name="shares")
    department = models.CharField(max_length=200)
    shared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["insight", "department"], name="share_once_per_dept"),
        ]

    def __str__(self) -> str:
        return f"{self.insight_id} → {self.department}"


class InsightAction(models.Model):
    """Something done because of an insight; ``started_at`` is when it first left 'planned'."""

    class Status(models.TextChoices):
        PLANNED = "planned", "planned"
        STARTED = "started", "started"
        DONE = "done", "done"

    insight = models.ForeignKey(Insight, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(max_length=300)
    owner = models.CharField(max_length=200)
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.title


class ApiToken(models.Model):
    """A bearer token of the REST API; only its SHA-256 is stored (the token is shown once)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="outsidein_api_tokens"
    )
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class CustomItem(models.Model):
    """A firm's own survey item, in the same schema as the packaged instrument's items."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="custom_items"
    )
    item_id = models.CharField(max_length=100)
    definition = models.JSONField(help_text="the item as in the instrument YAML files")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "item_id"], name="custom_item_unique")
        ]

    def __str__(self) -> str:
        return self.item_id
