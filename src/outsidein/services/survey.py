"""The staff survey in the browser: single-use links, pages, save and resume, submit once.

A link carries a token: the invitation's random ``public_id`` signed with the server's secret
key (Django's :class:`~django.core.signing.Signer`, HMAC-SHA256), so the database holds nothing
that opens the survey. Answers are saved to a draft page by page (and answer by answer from the
browser), and stored as a respondent on submit.

Exactly once: the invitation row is the lock. A submit claims it with one conditional update
(``UPDATE ... SET used = true WHERE id = ? AND used = false``) and, in the same transaction,
creates the respondent with all answers and deletes the draft. The claim takes the row lock on
PostgreSQL (a concurrent claim waits, then finds ``used`` true and changes nothing); on SQLite
the ``IMMEDIATE`` transaction already holds the database's single write lock. Every other
submit of the same token -- a double click, a retry after a lost response, a back-button
resubmit, a concurrent request -- changes no row and is answered "received" without writing.
A crash before the commit leaves nothing, so the retry stores the answers once. Draft saves
take the same lock (``SELECT ... FOR UPDATE``) and write nothing once ``used`` is true.

Closed surveys: once the organiser closes the assessment's survey, nothing more is saved or
stored and every call raises :class:`SurveyClosed`. The check that counts is made inside the
transaction, after the invitation's lock is held: closing locks every open invitation before
it commits (:func:`outsidein.services.invitations.close_survey`), so a submission either
commits before the close does (and is counted) or sees the close and stores nothing. An
invitation already submitted keeps answering "received": its answers were stored before.

Anonymity: the respondent gets a random external id; nothing links it to the invitation.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from importlib import resources
from typing import Any, Literal

import yaml
from django.core import signing
from django.db import connections, transaction
from django.db.models import Count, Max

from outsidein.core.instrument import Instrument, Item, Role, pick
from outsidein.services.tenants import NotFound
from outsidein.store import models, web_queries

PAGE_SIZE = 7
_SIGNER_SALT = "outsidein.invitation"
SOURCE = "web"

ErrorCode = Literal["required", "invalid", "unknown"]
Move = Literal["stay", "back", "next", "submit"]

_SECTION_TITLES: dict[str, dict[str, str]] = {
    "stage": {
        "en": "How we work with customers",
        "fi": "Miten toimimme asiakkaiden kanssa",
        "de": "Wie wir mit Kunden arbeiten",
    },
    "importance": {
        "en": "What matters to our customers",
        "fi": "Mikä on asiakkaillemme tärkeää",
        "de": "Was unseren Kunden wichtig ist",
    },
    "performance": {
        "en": "How our customers rate us",
        "fi": "Millaisena asiakkaamme näkevät meidät",
        "de": "Wie unsere Kunden uns bewerten",
    },
    "journey": {
        "en": "Our customers' journey",
        "fi": "Asiakkaidemme polku",
        "de": "Die Reise unserer Kunden",
    },
}


class InvalidToken(NotFound):
    """The link is malformed, forged, or its invitation no longer exists."""


class SurveyClosed(Exception):
    """The assessment's survey was closed at ``closed_at``: no answers are saved or stored.

    Carries the invitation's ``language`` and ``organisation_name``, so that the respondent is
    told in their own language.
    """

    def __init__(self, closed_at: datetime, *, language: str = "en",
                 organisation_name: str = "") -> None:
        super().__init__(f"the survey closed at {closed_at:%Y-%m-%d %H:%M} UTC")
        self.closed_at = closed_at
        self.language = language
        self.organisation_name = organisation_name


class AnswerErrors(ValueError):
    """Answers that cannot be stored: ``errors`` maps item id to an error code."""

    def __init__(self, errors: Mapping[str, ErrorCode]) -> None:
        super().__init__(
            f"{len(errors)} answer{'s are' if len(errors) != 1 else ' is'} missing or invalid"
        )
        self.errors: dict[str, ErrorCode] = dict(errors)


@dataclass(frozen=True, slots=True, kw_only=True)
class Choice:
    value: int
    label: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Question:
    id: str
    text: str
    choices: tuple[Choice, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Page:
    number: int  # 1-based
    section: str
    title: str
    questions: tuple[Question, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class SurveyState:
    language: str
    role: Role
    organisation_name: str
    assessment_name: str
    anonymity_threshold: int
    pages: tuple[Page, ...]
    answers: Mapping[str, int]
    submitted: bool

    @property
    def total(self) -> int:
        return sum(len(p.questions) for p in self.pages)

    @property
    def answered(self) -> int:
        return sum(1 for p in self.pages for q in p.questions if q.id in self.answers)

    def page(self, number: int) -> Page:
        if not 1 <= number <= len(self.pages):
            raise NotFound(f"no page {number}")
        return self.pages[number - 1]

    def missing(self, number: int) -> tuple[str, ...]:
        return tuple(q.id for q in self.page(number).questions if q.id not in self.answers)

    @property
    def resume_page(self) -> int:
        """The first page with an unanswered question, else the last page."""
        for page in self.pages:
            if self.missing(page.number):
                return page.number
        return len(self.pages)


@dataclass(frozen=True, slots=True, kw_only=True)
class PageOutcome:
    state: SurveyState
    errors: Mapping[str, ErrorCode] = field(default_factory=dict)
    go_to: int | None = None  # the page to show next; None: show this page again (errors)
    done: bool = False  # the survey is submitted (now or before)
    created: bool = False  # this request stored the answers
    incomplete: bool = False  # submit asked while other pages miss answers


@dataclass(frozen=True, slots=True, kw_only=True)
class SubmitOutcome:
    created: bool  # False: this token had already been submitted; nothing was written


# --------------------------------------------------------------------------- tokens


def _signer() -> signing.Signer:
    return signing.Signer(salt=_SIGNER_SALT, sep=".")


def new_public_id() -> str:
    return secrets.token_urlsafe(16)


def token_for(public_id: str) -> str:
    """The secret part of an invitation's link."""
    return _signer().sign(public_id)


def _public_id(token: str) -> str:
    if len(token) > 200:
        raise InvalidToken("no such survey link")
    try:
        return _signer().unsign(token)
    except signing.BadSignature as exc:
        raise InvalidToken("no such survey link") from exc


# --------------------------------------------------------------------------- pages


@cache
def _belief_anchors() -> dict[str, dict[str, tuple[str, ...]]]:
    """Scale anchors of the belief items per kind and language, from their instrument file."""
    text = resources.files("outsidein.instruments").joinpath("beliefs-v1.yaml").read_text(
        encoding="utf-8"
    )
    spec: dict[str, Any] = yaml.safe_load(text)
    return {
        str(t["kind"]): {str(k): tuple(str(a) for a in v) for k, v in t.get("anchors", {}).items()}
        for t in spec.get("attribute_items", [])
    }


def _section(item: Item) -> str:
    if item.question == "belief":
        return item.aspect if item.aspect in ("importance", "performance") else "journey"
    return str(item.question)


def _choices(item: Item, instrument: Instrument, language: str) -> tuple[Choice, ...]:
    values = range(item.scale_min, item.scale_max + 1)
    by_lang: Mapping[str, tuple[str, ...]] = instrument.anchors
    if item.question == "belief" and item.aspect in _belief_anchors():
        by_lang = _belief_anchors()[item.aspect]
    anchors = by_lang.get(language) or by_lang.get("en") or ()
    if len(anchors) != len(values):
        return tuple(Choice(value=v, label=str(v)) for v in values)
    return tuple(Choice(value=v, label=a) for v, a in zip(values, anchors, strict=True))


def survey_pages(instrument: Instrument, role: Role, language: str) -> tuple[Page, ...]:
    """The role's items in instrument order, by section, in even pages of at most
    ``PAGE_SIZE`` (15 items make three pages of five, not 7 + 7 + 1)."""
    sections: dict[str, list[Item]] = {}
    for item in instrument.items:
        if role in item.roles:
            sections.setdefault(_section(item), []).append(item)
    pages: list[Page] = []
    for key, items in sections.items():
        title = (
            pick(instrument.question_text.get(key, {}), language)
            if key in ("P", "Q")
            else pick(_SECTION_TITLES.get(key, {}), language)
        )
        per_page = -(-len(items) // -(-len(items) // PAGE_SIZE))  # even pages, none tiny
        for start in range(0, len(items), per_page):
            questions = tuple(
                Question(id=i.id, text=pick(i.text, language),
                         choices=_choices(i, instrument, language))
                for i in items[start : start + per_page]
            )
            pages.append(Page(number=len(pages) + 1, section=key, title=title,
                              questions=questions))
    return tuple(pages)


# --------------------------------------------------------------------------- state


@dataclass(frozen=True, slots=True, kw_only=True)
class _Context:
    invitation_id: int
    assessment_id: int
    role: Role
    department: str
    language: str
    organisation_name: str
    assessment_name: str
    anonymity_threshold: int
    closed_at: datetime | None
    items: Mapping[str, Item]
    pages: tuple[Page, ...]

    def closed(self, closed_at: datetime) -> SurveyClosed:
        return SurveyClosed(closed_at, language=self.language,
                            organisation_name=self.organisation_name)


_MEMO_SIZE = 64
_STAMP_SECONDS = 5.0
_memo: dict[tuple[object, ...], tuple[Mapping[str, Item], tuple[Page, ...]]] = {}
_stamps: dict[tuple[str, int], tuple[float, tuple[object, ...]]] = {}


def _attribute_stamp(alias: str, organisation_id: int) -> tuple[object, ...]:
    """Identifies the organisation's attribute set and own items (replaced, never edited: count
    and highest id of each); looked up at most every few seconds, so a busy survey does not ask
    on each request."""
    now = time.monotonic()
    known = _stamps.get((alias, organisation_id))
    if known is not None and now - known[0] < _STAMP_SECONDS:
        return known[1]
    found = models.QualityAttribute.objects.using(alias).filter(
        organisation_id=organisation_id
    ).aggregate(n=Count("pk"), last=Max("pk"))
    own = models.CustomItem.objects.using(alias).filter(
        organisation_id=organisation_id
    ).aggregate(n=Count("pk"), last=Max("pk"))
    stamp = (found["n"], found["last"], own["n"], own["last"])
    if len(_stamps) >= _MEMO_SIZE:
        _stamps.clear()
    _stamps[(alias, organisation_id)] = (now, stamp)
    return stamp


def _questionnaire(
    alias: str, organisation_id: int, organisation: str, role: Role, language: str
) -> tuple[Mapping[str, Item], tuple[Page, ...]]:
    """The role's items and pages, memoised per organisation's attribute set.

    Building the instrument costs milliseconds; every survey request needs it, so it is kept
    under a key that changes whenever the organisation's attributes do (within
    ``_STAMP_SECONDS`` of the change).
    """
    from outsidein.services.assessment import organisation_instrument

    key = (alias, organisation, *_attribute_stamp(alias, organisation_id), str(role), language)
    found = _memo.get(key)
    if found is None:
        instrument = organisation_instrument(alias, organisation)
        found = (
            {i.id: i for i in instrument.items if role in i.roles},
            survey_pages(instrument, role, language),
        )
        if len(_memo) >= _MEMO_SIZE:
            _memo.clear()
        _memo[key] = found
    return found


def _context(
    alias: str, token: str, *, draft: bool = True
) -> tuple[_Context, bool, dict[str, int]]:
    """The invitation behind ``token`` (no lock), whether it is used, and its draft answers
    (``draft=False``: not read)."""
    public_id = _public_id(token)
    row: Any = web_queries.invitation_context(alias, public_id)
    if row is None:
        raise InvalidToken("no such survey link")
    role = Role(row["role"])
    language = str(row["language"])
    items, pages = _questionnaire(
        alias, row["assessment__organisation_id"], row["assessment__organisation__slug"], role,
        language,
    )
    context = _Context(
        invitation_id=row["pk"], assessment_id=row["assessment_id"], role=role,
        department=row["department"], language=language,
        organisation_name=row["assessment__organisation__name"],
        assessment_name=row["assessment__name"],
        anonymity_threshold=row["assessment__anonymity_threshold"],
        closed_at=row["assessment__closed_at"], items=items, pages=pages,
    )
    used = bool(row["used"])
    answers: dict[str, int] = {}
    if draft and not used and context.closed_at is None:
        saved = models.Draft.objects.using(alias).filter(invitation_id=row["pk"]).values_list(
            "answers", flat=True
        ).first()
        answers = {str(k): int(v) for k, v in (saved or {}).items() if k in context.items}
    return context, used, answers


def _state(context: _Context, answers: Mapping[str, int], submitted: bool) -> SurveyState:
    return SurveyState(
        language=context.language, role=context.role,
        organisation_name=context.organisation_name, assessment_name=context.assessment_name,
        anonymity_threshold=context.anonymity_threshold, pages=context.pages,
        answers=dict(answers), submitted=submitted,
    )


def _refuse_if_closed(context: _Context, used: bool) -> None:
    """Raise :class:`SurveyClosed` for an unsubmitted invitation of a closed survey (as read
    outside the lock: a quick answer; the writes check again under it)."""
    if context.closed_at is not None and not used:
        raise context.closed(context.closed_at)


def _check_open(alias: str, context: _Context) -> None:
    """Inside the transaction, holding the invitation's lock: raise if the survey is closed."""
    closed_at = web_queries.assessment_closed_at(alias, context.assessment_id)
    if closed_at is not None:
        raise context.closed(closed_at)


def open_survey(alias: str, token: str) -> SurveyState:
    """What the respondent sees: pages in their language and the answers saved so far.

    Raises :class:`SurveyClosed` when the survey is closed, unless this invitation was
    submitted before (its state then says so).
    """
    context, used, draft = _context(alias, token)
    _refuse_if_closed(context, used)
    return _state(context, draft, used)


def _parse(
    context: _Context, answers: Mapping[str, object], *, only: tuple[str, ...] | None = None
) -> tuple[dict[str, int], dict[str, ErrorCode]]:
    """Valid answers and error codes; blank values are ignored (not an answer)."""
    good: dict[str, int] = {}
    errors: dict[str, ErrorCode] = {}
    for key, raw in answers.items():
        if only is not None and key not in only:
            continue
        item = context.items.get(key)
        if item is None:
            errors[key] = "unknown"
            continue
        if raw is None or raw == "":
            continue
        try:
            value = int(str(raw)) if not isinstance(raw, bool) else None
        except ValueError:
            value = None
        if value is None or not item.scale_min <= value <= item.scale_max:
            errors[key] = "invalid"
            continue
        good[key] = value
    return good, errors


def _lock(alias: str, invitation_id: int) -> bool:
    """Take the invitation's row lock (inside a transaction); returns whether it is used."""
    return bool(
        models.Invitation.objects.using(alias)
        .select_for_update()
        .filter(pk=invitation_id)
        .values_list("used", flat=True)
        .get()
    )


def _save_draft(alias: str, invitation_id: int, answers: Mapping[str, int]) -> dict[str, int]:
    draft, _ = models.Draft.objects.using(alias).get_or_create(invitation_id=invitation_id)
    merged = {**{str(k): int(v) for k, v in draft.answers.items()}, **answers}
    if merged != draft.answers:
        draft.answers = merged
        draft.save(using=alias, update_fields=["answers", "updated_at"])
    return merged


def save_answers(alias: str, token: str, answers: Mapping[str, object]) -> SurveyState:
    """Save some answers to the draft (the browser's autosave); invalid ones raise."""
    context, used, draft = _context(alias, token)
    _refuse_if_closed(context, used)
    good, errors = _parse(context, answers)
    if errors:
        raise AnswerErrors(errors)
    if used:
        return _state(context, {}, True)
    with transaction.atomic(using=alias):
        if _lock(alias, context.invitation_id):
            return _state(context, {}, True)
        _check_open(alias, context)
        merged = _save_draft(alias, context.invitation_id, good) if good else draft
    return _state(context, merged, False)


def answer_page(
    alias: str, token: str, page: int, answers: Mapping[str, object], move: Move
) -> PageOutcome:
    """Save one page's answers and move: back, next, or submit the whole survey.

    Valid answers are saved even when others on the page are missing, so nothing typed is lost;
    moving on (next, submit) needs the page complete. Submit stores the answers exactly once.
    """
    context, used, draft = _context(alias, token)
    if used:
        return PageOutcome(state=_state(context, {}, True), done=True)
    _refuse_if_closed(context, used)
    state = _state(context, draft, False)
    questions = tuple(q.id for q in state.page(page).questions)
    good, errors = _parse(context, answers, only=questions)
    with transaction.atomic(using=alias):
        if _lock(alias, context.invitation_id):
            return PageOutcome(state=_state(context, {}, True), done=True)
        _check_open(alias, context)
        merged = _save_draft(alias, context.invitation_id, good) if good else dict(draft)
        if move in ("next", "submit"):
            for q in questions:
                if q not in merged and q not in errors:
                    errors[q] = "required"
        state = _state(context, merged, False)
        if errors:
            return PageOutcome(state=state, errors=errors)
        if move == "submit":
            if len(merged) < len(context.items):
                return PageOutcome(state=state, go_to=state.resume_page, incomplete=True)
            if not _claim_and_store(alias, context, {}):  # cannot happen under the lock
                raise RuntimeError("invitation was used concurrently")
            return PageOutcome(state=_state(context, {}, True), done=True, created=True)
    if move == "back":
        return PageOutcome(state=state, go_to=max(1, page - 1))
    if move == "next":
        return PageOutcome(state=state, go_to=min(len(state.pages), page + 1))
    return PageOutcome(state=state, go_to=page)


def _claim_and_store(alias: str, context: _Context, answers: Mapping[str, int]) -> bool:
    """Inside a transaction: claim the invitation and store draft + ``answers``.

    The claim is one conditional ``UPDATE ... SET used = true WHERE used = false``: it takes
    the row lock (PostgreSQL; SQLite's write lock is already held), and a second claim of the
    same token -- concurrent, or later -- changes no row. Returns False for such a second
    claim. Raises :class:`AnswerErrors` when answers are missing, and :class:`SurveyClosed`
    when the survey was closed (both rolling the claim back with the transaction).
    """
    if not web_queries.claim_invitation(alias, context.invitation_id):
        return False
    _check_open(alias, context)
    saved = web_queries.draft_answers(alias, context.invitation_id)
    merged = {
        **{str(k): int(v) for k, v in (saved or {}).items() if k in context.items}, **answers
    }
    missing: dict[str, ErrorCode] = {k: "required" for k in context.items if k not in merged}
    if missing:
        raise AnswerErrors(missing)
    respondent = web_queries.insert_respondent(
        alias, assessment_id=context.assessment_id,
        external_id=f"{SOURCE}-{secrets.token_hex(12)}", role=str(context.role),
        department=context.department, language=context.language, source=SOURCE,
    )
    web_queries.insert_answers(alias, respondent, merged)
    if saved is not None:
        models.Draft.objects.using(alias).filter(invitation_id=context.invitation_id).delete()
    return True


@dataclass(eq=False)
class _Job:
    context: _Context
    answers: Mapping[str, int]
    done: bool = False
    created: bool = False
    error: BaseException | None = None


class _GroupCommit:
    """Group commit of submissions on SQLite: one transaction, one fsync, for all that wait.

    SQLite has one writer, and with ``synchronous=FULL`` every commit waits for the disk
    (about 5 ms on a virtual disk: at most ~200 commits/s one at a time). Submissions that
    arrive while a commit is in flight queue up; when it ends, one of them leads the next
    transaction for the whole queue. Each submission runs in its own savepoint, so one with
    missing answers (or of a survey closed meanwhile) fails alone; exactly-once is unchanged
    (each still claims its invitation with the conditional update, inside the one
    transaction). PostgreSQL needs none of this.
    """

    def __init__(self) -> None:
        self._cv = threading.Condition()
        self._queues: dict[str, list[_Job]] = {}
        self._leading: set[str] = set()

    def submit(self, alias: str, job: _Job) -> bool:
        with self._cv:
            self._queues.setdefault(alias, []).append(job)
            while not job.done and alias in self._leading:
                self._cv.wait()
            if not job.done:
                self._leading.add(alias)
                batch = self._queues.pop(alias)
        if not job.done:
            try:
                self._commit(alias, batch)
            finally:
                with self._cv:
                    self._leading.discard(alias)
                    self._cv.notify_all()
        if job.error is not None:
            raise job.error
        return job.created

    @staticmethod
    def _commit(alias: str, batch: list[_Job]) -> None:
        try:
            with transaction.atomic(using=alias):
                for job in batch:
                    try:
                        with transaction.atomic(using=alias):
                            job.created = _claim_and_store(alias, job.context, job.answers)
                    except (AnswerErrors, SurveyClosed) as exc:
                        job.error = exc
        except BaseException as exc:  # the whole transaction is gone: nobody was stored
            for job in batch:
                job.created, job.error = False, job.error or exc
            raise
        finally:
            for job in batch:
                job.done = True


_group_commit = _GroupCommit()


def submit(alias: str, token: str, answers: Mapping[str, object]) -> SubmitOutcome:
    """Store a whole response at once (the API): the draft plus ``answers``, exactly once.

    A token already submitted returns ``created=False`` and writes nothing, whatever is sent
    (also once the survey is closed: those answers were stored before). Otherwise a closed
    survey raises :class:`SurveyClosed` and stores nothing.
    """
    context, used, _ = _context(alias, token, draft=False)
    if used:
        return SubmitOutcome(created=False)
    _refuse_if_closed(context, used)
    good, errors = _parse(context, answers)
    if errors:
        raise AnswerErrors(errors)
    if connections[alias].vendor == "sqlite":
        return SubmitOutcome(created=_group_commit.submit(alias, _Job(context, good)))
    with transaction.atomic(using=alias):
        return SubmitOutcome(created=_claim_and_store(alias, context, good))
