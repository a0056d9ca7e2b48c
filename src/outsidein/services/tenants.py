"""Tenants and people: organisations, memberships with roles, users and API tokens.

Every use case of the web product starts here: :func:`assessment_for` and
:func:`organisation_for` turn "user U asks for object X" into the object or an error. An object
of an organisation the user is not a member of raises :class:`NotFound` -- exactly as if it did
not exist, so ids of other tenants reveal nothing. A member whose role is too low raises
:class:`Forbidden`.

Roles, each including the rights of those below it:

- ``viewer``: dashboards, results, the report, the insight hub (read);
- ``analyst``: creates assessments, invites staff, sends reminders, records insights;
- ``owner``: manages the organisation's members.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, cast

from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from outsidein.store import models

Role = Literal["owner", "analyst", "viewer"]
ROLES: tuple[Role, ...] = ("owner", "analyst", "viewer")
_RANK: dict[str, int] = {"viewer": 0, "analyst": 1, "owner": 2}
TOKEN_PREFIX = "oi_"


class NotFound(LookupError):
    """No such object for this user: it does not exist or belongs to another organisation."""


class Forbidden(PermissionError):
    """The user is a member, but their role does not allow this."""


class Invalid(ValueError):
    """Input the user can correct; ``field`` names the offending field when there is one."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True, slots=True, kw_only=True)
class OrganisationInfo:
    slug: str
    name: str
    role: Role


@dataclass(frozen=True, slots=True, kw_only=True)
class AssessmentInfo:
    id: int
    organisation: str
    organisation_name: str
    name: str
    created_at: datetime
    instrument_version: str
    anonymity_threshold: int
    score_threshold: float
    parity_threshold: float
    role: Role
    closed_at: datetime | None = None  # when its staff survey was closed; None: open

    def can(self, need: Role) -> bool:
        """Whether the asking user's role includes ``need``."""
        return _RANK[self.role] >= _RANK[need]


@dataclass(frozen=True, slots=True, kw_only=True)
class MemberInfo:
    username: str
    email: str
    role: Role


@dataclass(frozen=True, slots=True, kw_only=True)
class TokenInfo:
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None


def _check_role(role: str, need: Role) -> Role:
    if _RANK[role] < _RANK[need]:
        raise Forbidden(f"this needs the {need} role; you are {role}")
    return cast(Role, role)


def organisation_role(
    alias: str, user_id: int, organisation: str, *, need: Role = "viewer"
) -> Role:
    """The user's role in ``organisation``; NotFound when not a member, Forbidden when too low."""
    role = (
        models.Membership.objects.using(alias)
        .filter(user_id=user_id, organisation__slug=organisation)
        .values_list("role", flat=True)
        .first()
    )
    if role is None:
        raise NotFound(f"no organisation {organisation!r}")
    return _check_role(role, need)


def organisation_for(
    alias: str, user_id: int, organisation: str, *, need: Role = "viewer"
) -> OrganisationInfo:
    role = organisation_role(alias, user_id, organisation, need=need)
    org = models.Organisation.objects.using(alias).get(slug=organisation)
    return OrganisationInfo(slug=org.slug, name=org.name, role=role)


def _assessment_info(row: models.Assessment, role: str) -> AssessmentInfo:
    return AssessmentInfo(
        id=row.pk, organisation=row.organisation.slug, organisation_name=row.organisation.name,
        name=row.name, created_at=row.created_at, instrument_version=row.instrument_version,
        anonymity_threshold=row.anonymity_threshold, score_threshold=row.score_threshold,
        parity_threshold=row.parity_threshold, role=cast(Role, role), closed_at=row.closed_at,
    )


def assessment_for(
    alias: str, user_id: int, assessment_id: int, *, need: Role = "viewer"
) -> AssessmentInfo:
    """The assessment if the user is a member of its organisation with at least ``need``."""
    row = (
        models.Assessment.objects.using(alias)
        .select_related("organisation")
        .filter(pk=assessment_id, organisation__memberships__user_id=user_id)
        .first()
    )
    if row is None:
        raise NotFound(f"no assessment {assessment_id}")
    role = models.Membership.objects.using(alias).get(
        user_id=user_id, organisation_id=row.organisation_id
    ).role
    _check_role(role, need)
    return _assessment_info(row, role)


def organisations(alias: str, user_id: int) -> tuple[OrganisationInfo, ...]:
    """The organisations the user belongs to, by name."""
    rows = (
        models.Membership.objects.using(alias)
        .filter(user_id=user_id)
        .select_related("organisation")
        .order_by("organisation__name", "organisation__slug")
    )
    return tuple(
        OrganisationInfo(
            slug=m.organisation.slug, name=m.organisation.name, role=cast(Role, m.role)
        )
        for m in rows
    )


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60] or "firm"


def create_organisation(alias: str, user_id: int, *, name: str) -> OrganisationInfo:
    """A new client firm; its creator becomes its owner."""
    name = name.strip()
    if not name:
        raise Invalid("give the organisation a name", field="name")
    if len(name) > 200:
        raise Invalid("the name is longer than 200 characters", field="name")
    with transaction.atomic(using=alias):
        org = models.Organisation.objects.using(alias).create(
            name=name, slug=f"{_slug(name)}-{secrets.token_hex(3)}"
        )
        models.Membership.objects.using(alias).create(
            organisation=org, user_id=user_id, role=models.Membership.Role.OWNER
        )
    return OrganisationInfo(slug=org.slug, name=org.name, role="owner")


def assessments(alias: str, user_id: int, organisation: str) -> tuple[AssessmentInfo, ...]:
    role = organisation_role(alias, user_id, organisation)
    rows = (
        models.Assessment.objects.using(alias)
        .select_related("organisation")
        .filter(organisation__slug=organisation)
        .order_by("-created_at", "-pk")
    )
    return tuple(_assessment_info(row, role) for row in rows)


def create_assessment(
    alias: str, user_id: int, organisation: str, *, name: str, anonymity_threshold: int = 5
) -> AssessmentInfo:
    """A new round of the survey in ``organisation`` (analysts and owners)."""
    from outsidein.services.assessment import organisation_instrument

    role = organisation_role(alias, user_id, organisation, need="analyst")
    name = name.strip()
    if not name or len(name) > 200:
        raise Invalid("give the assessment a name of at most 200 characters", field="name")
    if not 2 <= anonymity_threshold <= 1000:
        raise Invalid("the anonymity threshold must be between 2 and 1000",
                      field="anonymity_threshold")
    org = models.Organisation.objects.using(alias).get(slug=organisation)
    version = organisation_instrument(alias, organisation).version
    try:
        with transaction.atomic(using=alias):
            row = models.Assessment.objects.using(alias).create(
                organisation=org, name=name, instrument_version=version,
                anonymity_threshold=anonymity_threshold, seed=secrets.randbelow(2**31),
            )
    except IntegrityError as exc:
        raise Invalid(f"an assessment named {name!r} already exists", field="name") from exc
    row.organisation = org
    return _assessment_info(row, role)


# --------------------------------------------------------------------------- people


def members(alias: str, user_id: int, organisation: str) -> tuple[MemberInfo, ...]:
    organisation_role(alias, user_id, organisation, need="owner")
    rows = (
        models.Membership.objects.using(alias)
        .filter(organisation__slug=organisation)
        .select_related("user")
        .order_by("user__username")
    )
    return tuple(
        MemberInfo(username=m.user.username, email=m.user.email, role=cast(Role, m.role))
        for m in rows
    )


def _new_user(alias: str, *, username: str, password: str, email: str = "") -> User:
    username = username.strip()
    if not username or len(username) > 150 or not re.fullmatch(r"[\w.@+-]+", username):
        raise Invalid("a username is 1-150 letters, digits and @.+-_", field="username")
    if User.objects.using(alias).filter(username=username).exists():
        raise Invalid(f"the username {username!r} is taken", field="username")
    candidate = User(username=username, email=email)
    try:
        validate_password(password, user=candidate)
    except ValidationError as exc:
        raise Invalid(" ".join(exc.messages), field="password") from exc
    return User.objects.db_manager(alias).create_user(
        username=username, email=email, password=password
    )


def add_member(
    alias: str, user_id: int, organisation: str, *, username: str, role: Role,
    email: str = "", password: str | None = None,
) -> MemberInfo:
    """Give a user a role in ``organisation`` (owners only).

    An existing user is added (or their role changed); a new username needs a ``password`` and
    creates the account. The last owner cannot be demoted.
    """
    organisation_role(alias, user_id, organisation, need="owner")
    if role not in _RANK:
        raise Invalid("role must be owner, analyst or viewer", field="role")
    with transaction.atomic(using=alias):
        org = models.Organisation.objects.using(alias).get(slug=organisation)
        user = User.objects.using(alias).filter(username=username.strip()).first()
        if user is None:
            if not password:
                raise Invalid(
                    f"there is no user {username!r}; give a password to create the account",
                    field="username",
                )
            user = _new_user(alias, username=username, password=password, email=email)
        current = models.Membership.objects.using(alias).filter(organisation=org, user=user).first()
        if current is not None and current.role == "owner" and role != "owner":
            owners = models.Membership.objects.using(alias).filter(
                organisation=org, role="owner"
            ).count()
            if owners <= 1:
                raise Invalid("an organisation needs at least one owner", field="role")
        models.Membership.objects.using(alias).update_or_create(
            organisation=org, user=user, defaults={"role": role}
        )
    return MemberInfo(username=user.username, email=user.email, role=role)


def create_user(
    alias: str, *, username: str, password: str, email: str = "",
    organisation: str | None = None, role: Role = "owner", superuser: bool = False,
) -> int:
    """Create a login (password validated and hashed by Django); optionally a member of
    ``organisation`` with ``role``. ``superuser`` also opens the Django admin. Returns its id.
    """
    with transaction.atomic(using=alias):
        user = _new_user(alias, username=username, password=password, email=email)
        if superuser:
            user.is_staff = user.is_superuser = True
            user.save(using=alias, update_fields=["is_staff", "is_superuser"])
        if organisation is not None:
            org = models.Organisation.objects.using(alias).filter(slug=organisation).first()
            if org is None:
                raise Invalid(f"no organisation {organisation!r}", field="organisation")
            models.Membership.objects.using(alias).create(organisation=org, user=user, role=role)
    return user.pk


# --------------------------------------------------------------------------- API tokens


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_api_token(alias: str, user_id: int, *, name: str) -> tuple[str, TokenInfo]:
    """A new bearer token for the REST API: returned once, stored only as its SHA-256."""
    name = name.strip()[:100] or "token"
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = models.ApiToken.objects.using(alias).create(
        user_id=user_id, name=name, prefix=token[:10], key_hash=_hash(token)
    )
    return token, TokenInfo(
        id=row.pk, name=row.name, prefix=row.prefix, created_at=row.created_at, last_used_at=None
    )


def api_tokens(alias: str, user_id: int) -> tuple[TokenInfo, ...]:
    rows = models.ApiToken.objects.using(alias).filter(user_id=user_id).order_by("-created_at")
    return tuple(
        TokenInfo(id=r.pk, name=r.name, prefix=r.prefix, created_at=r.created_at,
                  last_used_at=r.last_used_at)
        for r in rows
    )


def revoke_api_token(alias: str, user_id: int, token_id: int) -> None:
    deleted, _ = models.ApiToken.objects.using(alias).filter(
        pk=token_id, user_id=user_id
    ).delete()
    if not deleted:
        raise NotFound(f"no token {token_id}")


def user_for_token(alias: str, token: str) -> int | None:
    """The active user a bearer token belongs to, or None."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 100:
        return None
    row = (
        models.ApiToken.objects.using(alias)
        .filter(key_hash=_hash(token), user__is_active=True)
        .values_list("pk", "user_id", "last_used_at")
        .first()
    )
    if row is None:
        return None
    pk, user, last = row
    now = timezone.now()
    if last is None or (now - last).total_seconds() > 60:  # one write a minute at most
        models.ApiToken.objects.using(alias).filter(pk=pk).update(last_used_at=now)
    return int(user)
