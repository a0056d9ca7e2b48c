"""Invitations: single-use survey links by role and department, mailed or exported, reminders,
and response rates per group that never reveal who answered.

Links of invitations with an e-mail address go only to that address (through Django's e-mail
backend); the organisers never see them. Invitations without an address are for the organiser
to hand out: those links are exported as CSV. Nobody sees which invitation was used: reminders
go out without showing to whom, and response rates are counts per group, each suppressed below
the assessment's anonymity threshold (with secondary suppression, so that a hidden group can
never be recovered by subtracting the shown ones from a total).

Closing: an organiser closes the assessment's survey when the verdict is due. From then on no
answer is saved or stored (the respondents see that the survey closed), and no invitation,
reminder or link export is made, until it is reopened. Answers received before stay counted.
"""

from __future__ import annotations

import csv
import io
import smtplib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.core import mail
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from outsidein.core.anonymity import hidden_groups
from outsidein.core.instrument import LANGUAGES, ROLES
from outsidein.services.survey import new_public_id, token_for
from outsidein.services.tenants import Invalid, assessment_for
from outsidein.store import models

MAX_PER_REQUEST = 5000

SurveyUrl = Callable[[str], str]
"""Turns a token into the absolute link of the survey (the web layer knows its host)."""

_MAIL: dict[str, dict[str, str]] = {
    "en": {
        "subject": "{org}: your view on how we serve customers",
        "reminder": "Reminder – {org}: your view on how we serve customers",
        "body": (
            "Hello,\n\n{org} asks its staff how well we understand our customers "
            "({assessment}). Answering takes about 15 minutes and is anonymous: nobody sees "
            "your individual answers, and results are only shown for groups of at least "
            "{threshold} people.\n\nYour personal link (please do not forward it):\n{link}\n\n"
            "You can stop at any time and continue later with the same link.\n"
        ),
    },
    "fi": {
        "subject": "{org}: näkemyksesi asiakkaidemme palvelemisesta",
        "reminder": "Muistutus – {org}: näkemyksesi asiakkaidemme palvelemisesta",
        "body": (
            "Hei,\n\n{org} kysyy henkilöstöltään, kuinka hyvin ymmärrämme asiakkaitamme "
            "({assessment}). Vastaaminen vie noin 15 minuuttia ja on nimetöntä: kukaan ei näe "
            "yksittäisiä vastauksiasi, ja tulokset näytetään vain vähintään {threshold} hengen "
            "ryhmistä.\n\nHenkilökohtainen linkkisi (älä välitä sitä eteenpäin):\n{link}\n\n"
            "Voit keskeyttää milloin tahansa ja jatkaa myöhemmin samalla linkillä.\n"
        ),
    },
    "de": {
        "subject": "{org}: Ihre Sicht darauf, wie wir Kunden dienen",
        "reminder": "Erinnerung – {org}: Ihre Sicht darauf, wie wir Kunden dienen",
        "body": (
            "Guten Tag,\n\n{org} fragt seine Mitarbeitenden, wie gut wir unsere Kunden "
            "verstehen ({assessment}). Die Beantwortung dauert etwa 15 Minuten und ist anonym: "
            "Niemand sieht Ihre einzelnen Antworten, und Ergebnisse werden nur für Gruppen ab "
            "{threshold} Personen gezeigt.\n\nIhr persönlicher Link (bitte nicht "
            "weiterleiten):\n{link}\n\nSie können jederzeit unterbrechen und später mit "
            "demselben Link weitermachen.\n"
        ),
    },
}


@dataclass(frozen=True, slots=True, kw_only=True)
class InvitationInfo:
    """An invitation as organisers see it: never whether it was used, never its link."""

    id: int
    role: str
    department: str
    language: str
    email: str
    created_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class InviteOutcome:
    created: int
    mailed: int
    invitations: tuple[InvitationInfo, ...]
    links: tuple[tuple[InvitationInfo, str], ...]  # only invitations without an address
    already_invited: int = 0  # addresses that had an invitation to this assessment already
    mail_error: str | None = None  # why mailing failed; the invitations are kept

    @property
    def message(self) -> str:
        """What the organiser is told, in one sentence or two."""
        text = f"{self.created} invitations created, {self.mailed} mailed"
        if self.already_invited:
            text += f"; {self.already_invited} addresses were already invited and skipped"
        if self.links:
            text += f"; download the {len(self.links)} links as CSV"
        text += "."
        if self.mail_error:
            text += (
                f" Mailing failed ({self.mail_error}): the invitations are kept, so send "
                "reminders once the mail server works; do not invite the same people again."
            )
        return text


class MailFailed(Invalid):
    """The mail server refused or could not be reached; nothing else went wrong."""


class AssessmentClosed(Invalid):
    """The assessment's survey is closed: no invitations, reminders or links until reopened."""

    def __init__(self, closed_at: datetime, doing: str) -> None:
        super().__init__(
            f"the survey closed at {closed_at:%Y-%m-%d %H:%M} UTC: reopen it before {doing}"
        )
        self.closed_at = closed_at


@dataclass(frozen=True, slots=True, kw_only=True)
class SurveyClosure:
    """The survey's state after closing or reopening it."""

    assessment_id: int
    assessment: str
    closed_at: datetime | None  # None: open
    changed: bool  # False: it already was closed (closing) or open (reopening)
    unused_invitations: int | None  # None: not shown, it would reveal a suppressed count

    @property
    def closed(self) -> bool:
        return self.closed_at is not None

    def to_dict(self) -> dict[str, object]:
        return {
            "assessment_id": self.assessment_id,
            "assessment": self.assessment,
            "closed": self.closed,
            "closed_at": None if self.closed_at is None else self.closed_at.isoformat(),
            "changed": self.changed,
            "unused_invitations": self.unused_invitations,
            "message": self.message,
        }

    @property
    def message(self) -> str:
        """What the organiser is told, in one sentence or two."""
        if self.closed_at is None:
            state = "reopened" if self.changed else "was open already"
            return f"The survey of {self.assessment!r} {state}: its links take answers."
        when = f"{self.closed_at:%Y-%m-%d %H:%M} UTC"
        text = (
            f"The survey of {self.assessment!r} closed at {when}"
            if self.changed
            else f"The survey of {self.assessment!r} was closed already, at {when}"
        )
        text += ": its links take no more answers"
        if self.unused_invitations is not None:
            text += f"; {self.unused_invitations} invitations were left unused"
        return text + "."


@dataclass(frozen=True, slots=True, kw_only=True)
class GroupRate:
    """Invited and answered in one group; ``answered`` is None when suppressed."""

    group: str
    invited: int
    answered: int | None

    @property
    def suppressed(self) -> bool:
        return self.answered is None

    @property
    def rate(self) -> float | None:
        if self.answered is None or self.invited == 0:
            return None
        return self.answered / self.invited


@dataclass(frozen=True, slots=True, kw_only=True)
class ResponseRates:
    threshold: int
    total: GroupRate
    by_role: tuple[GroupRate, ...]
    by_department: tuple[GroupRate, ...]
    respondents: int | None  # every stored respondent (imported files too); None: suppressed


def _info(row: models.Invitation) -> InvitationInfo:
    return InvitationInfo(
        id=row.pk, role=row.role, department=row.department, language=row.language,
        email=row.email, created_at=row.created_at,
    )


def _message(row: models.Invitation, link: str, *, reminder: bool) -> mail.EmailMessage:
    texts = _MAIL.get(row.language, _MAIL["en"])
    assessment = row.assessment
    values = {
        "org": assessment.organisation.name, "assessment": assessment.name, "link": link,
        "threshold": assessment.anonymity_threshold,
    }
    subject = texts["reminder" if reminder else "subject"].format(**values)
    return mail.EmailMessage(subject=subject, body=texts["body"].format(**values), to=[row.email])


def _clean_emails(emails: Sequence[str]) -> list[str]:
    out: list[str] = []
    for raw in emails:
        address = raw.strip()
        if not address:
            continue
        try:
            validate_email(address)
        except Exception as exc:
            raise Invalid(f"{address!r} is not an e-mail address", field="emails") from exc
        if address.lower() not in {a.lower() for a in out}:
            out.append(address)
    return out


def invite(
    alias: str, user_id: int, assessment_id: int, *, role: str, department: str,
    language: str = "en", emails: Sequence[str] = (), count: int = 0,
    survey_url: SurveyUrl,
) -> InviteOutcome:
    """Invite staff of one role and department (analysts and owners).

    Each address in ``emails`` gets its own link by mail; ``count`` more invitations without an
    address produce links for the organiser to hand out (see :func:`export_links`). A closed
    survey raises :class:`AssessmentClosed`.
    """
    info = assessment_for(alias, user_id, assessment_id, need="analyst")
    if info.closed_at is not None:
        raise AssessmentClosed(info.closed_at, "inviting")
    if role not in [str(r) for r in ROLES]:
        raise Invalid("role must be manager or operational", field="role")
    department = department.strip()
    if not department or len(department) > 200:
        raise Invalid("give a department of at most 200 characters", field="department")
    if language not in LANGUAGES:
        raise Invalid("language must be en, fi or de", field="language")
    addresses = _clean_emails(emails)
    invited_before = {
        e.lower()
        for e in models.Invitation.objects.using(alias)
        .filter(assessment_id=assessment_id)
        .exclude(email="")
        .values_list("email", flat=True)
    }
    already = [a for a in addresses if a.lower() in invited_before]
    addresses = [a for a in addresses if a.lower() not in invited_before]
    if count < 0 or len(addresses) + count > MAX_PER_REQUEST:
        raise Invalid(f"invite between 1 and {MAX_PER_REQUEST} people at a time", field="count")
    if not addresses and count == 0:
        if already:
            raise Invalid(
                f"every address given ({len(already)}) was invited already: send reminders "
                "to those who have not answered",
                field="emails",
            )
        raise Invalid("give e-mail addresses or a number of links to create", field="count")
    rows = [
        models.Invitation(
            assessment_id=assessment_id, public_id=new_public_id(), role=role,
            department=department, language=language, email=address,
        )
        for address in addresses
    ] + [
        models.Invitation(
            assessment_id=assessment_id, public_id=new_public_id(), role=role,
            department=department, language=language,
        )
        for _ in range(count)
    ]
    with transaction.atomic(using=alias):
        closed_at = _lock_assessment(alias, assessment_id)  # a close waits for this commit
        if closed_at is not None:
            raise AssessmentClosed(closed_at, "inviting")
        models.Invitation.objects.using(alias).bulk_create(rows, batch_size=500)
    stored = list(
        models.Invitation.objects.using(alias)
        .select_related("assessment__organisation")
        .filter(public_id__in=[r.public_id for r in rows])
        .order_by("pk")
    )
    try:
        mailed, mail_error = _send(alias, [r for r in stored if r.email], survey_url), None
    except MailFailed as exc:
        mailed, mail_error = 0, str(exc)
    return InviteOutcome(
        created=len(stored), mailed=mailed, already_invited=len(already), mail_error=mail_error,
        invitations=tuple(_info(r) for r in stored),
        links=tuple(
            (_info(r), survey_url(token_for(r.public_id))) for r in stored if not r.email
        ),
    )


def _send(
    alias: str, rows: Sequence[models.Invitation], survey_url: SurveyUrl, *,
    reminder: bool = False,
) -> int:
    """Mail each invitation its link; raises :class:`MailFailed` when the server fails."""
    if not rows:
        return 0
    messages = [_message(r, survey_url(token_for(r.public_id)), reminder=reminder) for r in rows]
    try:
        with mail.get_connection() as connection:
            sent = connection.send_messages(messages) or 0
    except (smtplib.SMTPException, OSError) as exc:
        raise MailFailed(f"the mail server failed: {exc or type(exc).__name__}") from exc
    models.Invitation.objects.using(alias).filter(pk__in=[r.pk for r in rows]).update(
        mails_sent=F("mails_sent") + 1
    )
    return int(sent)


def send_reminders(alias: str, user_id: int, assessment_id: int, *, survey_url: SurveyUrl) -> int:
    """Mail the link again to every invited address that has not answered; returns how many.

    The organiser learns only the number, never the addresses. Raises :class:`MailFailed`
    when the mail server fails, :class:`AssessmentClosed` when the survey is closed.
    """
    info = assessment_for(alias, user_id, assessment_id, need="analyst")
    if info.closed_at is not None:
        raise AssessmentClosed(info.closed_at, "sending reminders")
    rows = list(
        models.Invitation.objects.using(alias)
        .select_related("assessment__organisation")
        .filter(assessment_id=assessment_id, used=False)
        .exclude(email="")
        .order_by("pk")
    )
    return _send(alias, rows, survey_url, reminder=True)


def invitations(alias: str, user_id: int, assessment_id: int) -> tuple[InvitationInfo, ...]:
    """Every invitation of the assessment, without links and without whether it was used."""
    assessment_for(alias, user_id, assessment_id, need="analyst")
    rows = models.Invitation.objects.using(alias).filter(assessment_id=assessment_id).order_by("pk")
    return tuple(_info(r) for r in rows)


def export_links(alias: str, user_id: int, assessment_id: int, *, survey_url: SurveyUrl) -> str:
    """CSV of the links of the invitations made for handing out (those without an address).

    A closed survey raises :class:`AssessmentClosed`: its links take no answers.
    """
    info = assessment_for(alias, user_id, assessment_id, need="analyst")
    if info.closed_at is not None:
        raise AssessmentClosed(info.closed_at, "exporting links")
    rows = models.Invitation.objects.using(alias).filter(
        assessment_id=assessment_id, email=""
    ).order_by("pk")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["invitation", "role", "department", "language", "link"])
    for r in rows:
        writer.writerow([r.pk, r.role, r.department, r.language,
                         survey_url(token_for(r.public_id))])
    return out.getvalue()


# --------------------------------------------------------------------------- closing


def _lock_assessment(alias: str, assessment_id: int) -> datetime | None:
    """Inside a transaction: lock the assessment's row against other closes, reopens and
    invitations; returns its ``closed_at``.

    ``FOR NO KEY UPDATE`` on PostgreSQL: a submission holding its invitation's lock takes a
    key-share lock on the assessment when it inserts the respondent (the foreign key), and a
    plain ``FOR UPDATE`` here would wait for it while closing waits for that invitation: a
    deadlock.
    """
    closed_at: datetime | None = (
        models.Assessment.objects.using(alias)
        .select_for_update(no_key=True)
        .filter(pk=assessment_id)
        .values_list("closed_at", flat=True)
        .get()
    )
    return closed_at


def set_survey_closed(alias: str, assessment_id: int, *, closed: bool) -> SurveyClosure:
    """Close or reopen the survey of an assessment, for a caller that owns the database (the
    CLI on its workspace); :func:`close_survey` and :func:`reopen_survey` check the user.

    Closing twice keeps the first ``closed_at``. Closing locks every unused invitation before
    it commits: a submission in flight holds its invitation's lock until it commits, so the
    close waits for it (that response is stored, and counted); a later one finds the survey
    closed under its lock and stores nothing (see :mod:`outsidein.services.survey`).
    """
    with transaction.atomic(using=alias):
        current = _lock_assessment(alias, assessment_id)
        changed = (current is None) == closed
        closed_at = (timezone.now() if closed else None) if changed else current
        if changed and closed:
            list(  # wait for the submissions in flight, keep new ones out until the commit
                models.Invitation.objects.using(alias)
                .select_for_update()
                .filter(assessment_id=assessment_id, used=False)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
        if changed:
            models.Assessment.objects.using(alias).filter(pk=assessment_id).update(
                closed_at=closed_at
            )
        row = models.Assessment.objects.using(alias).get(pk=assessment_id)
        total = _rates(alias, assessment_id, row.anonymity_threshold).total
    return SurveyClosure(
        assessment_id=assessment_id, assessment=row.name, closed_at=closed_at, changed=changed,
        unused_invitations=None if total.answered is None else total.invited - total.answered,
    )


def close_survey(alias: str, user_id: int, assessment_id: int) -> SurveyClosure:
    """Close the assessment's survey (analysts and owners): its links take no more answers,
    and answers received so far stay counted. Closing a closed survey changes nothing."""
    assessment_for(alias, user_id, assessment_id, need="analyst")
    return set_survey_closed(alias, assessment_id, closed=True)


def reopen_survey(alias: str, user_id: int, assessment_id: int) -> SurveyClosure:
    """Reopen the assessment's survey (analysts and owners): unused links and saved drafts
    work again."""
    assessment_for(alias, user_id, assessment_id, need="analyst")
    return set_survey_closed(alias, assessment_id, closed=False)


# --------------------------------------------------------------------------- response rates


def suppress(
    groups: Mapping[str, tuple[int, int]], threshold: int
) -> tuple[GroupRate, ...]:
    """Counts per group with primary and secondary suppression.

    A group with fewer than ``threshold`` answers is hidden (primary). If the hidden groups
    together hold fewer than ``threshold`` answers, their sum could be recovered from the total,
    so the smallest shown groups are hidden too until the hidden sum reaches the threshold
    (secondary). Groups are ``name -> (invited, answered)``.
    """
    hidden = hidden_groups({g: answered for g, (_, answered) in groups.items()}, threshold)
    return tuple(
        GroupRate(group=g, invited=groups[g][0], answered=None if g in hidden else groups[g][1])
        for g in sorted(groups)
    )


def response_rates(alias: str, user_id: int, assessment_id: int) -> ResponseRates:
    """Invited and answered per role and per department, suppressed below the threshold."""
    info = assessment_for(alias, user_id, assessment_id)
    return _rates(alias, assessment_id, info.anonymity_threshold)


def _rates(alias: str, assessment_id: int, k: int) -> ResponseRates:
    rows = list(
        models.Invitation.objects.using(alias)
        .filter(assessment_id=assessment_id)
        .values("role", "department")
        .annotate(invited=Count("pk"), answered=Count("pk", filter=Q(used=True)))
    )
    by_role: dict[str, tuple[int, int]] = {}
    by_department: dict[str, tuple[int, int]] = {}
    for row in rows:
        for target, key in ((by_role, row["role"]), (by_department, row["department"])):
            invited, answered = target.get(key, (0, 0))
            target[key] = (invited + row["invited"], answered + row["answered"])
    invited = sum(v[0] for v in by_role.values())
    answered = sum(v[1] for v in by_role.values())
    respondents, role_hidden = _respondents(alias, assessment_id, k)
    # the readiness result shows each role's respondents from k on: beside one shown role, a
    # total of answered invitations would give the hidden role away by subtraction
    total_answered = answered if answered >= k and not role_hidden else None
    role_rates = suppress(by_role, k) if total_answered is not None else tuple(
        GroupRate(group=g, invited=v[0], answered=None) for g, v in sorted(by_role.items())
    )
    department_rates = suppress(by_department, k) if total_answered is not None else tuple(
        GroupRate(group=g, invited=v[0], answered=None) for g, v in sorted(by_department.items())
    )
    return ResponseRates(
        threshold=k,
        total=GroupRate(group="all", invited=invited, answered=total_answered),
        by_role=role_rates,
        by_department=department_rates,
        respondents=respondents,
    )


def _respondents(alias: str, assessment_id: int, k: int) -> tuple[int | None, bool]:
    """All stored respondents (None when hidden), and whether a role group is hidden.

    The readiness result shows each role's count when it reaches the threshold; a total beside
    one shown role would give away the other, so the total is hidden then (and below k).
    """
    per_role: dict[str, int] = {
        str(role): int(n)
        for role, n in models.Respondent.objects.using(alias)
        .filter(assessment_id=assessment_id)
        .values_list("role")
        .annotate(n=Count("pk"))
        .values_list("role", "n")
    }
    total = sum(per_role.values())
    small = [per_role.get(str(r), 0) for r in ROLES if per_role.get(str(r), 0) < k]
    role_hidden = bool(small) and sum(small) < k
    return (None if total < k or role_hidden else total), role_hidden
