"""The leaders' pages through HTTP: log in, organisations, assessments, members, API tokens,
invitations by e-mail and by exported links, reminders, the admin."""

from __future__ import annotations

import csv
import io
import re
import socket

from django.core import mail
from django.test import Client, override_settings

from outsidein.services import survey, tenants
from outsidein.store import models
from tests.web.conftest import PASSWORD, Tenant, full_answers, make_tenant


def test_log_in_create_organisation_and_assessment(sqlite_db: object) -> None:
    user = tenants.create_user("default", username="consultant", password=PASSWORD)
    client = Client(enforce_csrf_checks=False)
    assert client.get("/")["Location"].startswith("/accounts/login/")
    login = client.get("/accounts/login/")
    assert login.status_code == 200 and b'<label for="id_username">' in login.content
    assert client.post("/accounts/login/", {"username": "consultant", "password": "wrong"}
                       ).status_code == 200
    assert client.post("/accounts/login/", {"username": "consultant", "password": PASSWORD}
                       ).status_code == 302
    made = client.post("/", {"name": "Client Firm Oy"})
    assert made.status_code == 302
    slug = made["Location"].strip("/").split("/")[-1]
    assert models.Membership.objects.get(user_id=user).role == "owner"
    created = client.post(f"/orgs/{slug}/", {"name": "Autumn 2026", "anonymity_threshold": "7"})
    assert created.status_code == 302
    again = client.post(f"/orgs/{slug}/", {"name": "Autumn 2026", "anonymity_threshold": "7"})
    assert "already exists" in again.content.decode()
    weak = client.post(f"/orgs/{slug}/", {"name": "Weak", "anonymity_threshold": "1"})
    assert weak.status_code == 200 and b"id_anonymity_threshold-error" in weak.content
    home = client.get("/").content.decode()
    assert "Client Firm Oy" in home
    org = client.get(f"/orgs/{slug}/").content.decode()
    assert "Autumn 2026" in org and "anonymity threshold 7" in org
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/")["Location"].startswith("/accounts/login/")


def test_members(sqlite_db: object) -> None:
    tenant = make_tenant("Acme")
    owner = tenant.client()
    page = f"/orgs/{tenant.slug}/members/"
    assert "-analyst" in owner.get(page).content.decode()
    weak = owner.post(page, {"username": "newbie", "role": "viewer", "password": "123"})
    assert weak.status_code == 200 and "too short" in weak.content.decode()
    unknown = owner.post(page, {"username": "ghost", "role": "viewer"})
    assert "give a password to create the account" in unknown.content.decode()
    added = owner.post(page, {"username": "newbie", "role": "viewer", "password": PASSWORD,
                              "email": "newbie@example.com"})
    assert added.status_code == 302
    newbie = Client()
    assert newbie.login(username="newbie", password=PASSWORD)
    assert newbie.get(f"/orgs/{tenant.slug}/").status_code == 200
    owner_name = models.Membership.objects.get(user_id=tenant.owner).user.username
    demote = owner.post(page, {"username": owner_name, "role": "viewer"})
    assert "at least one owner" in demote.content.decode()


def test_api_tokens_page(sqlite_db: object) -> None:
    tenant = make_tenant("Acme")
    client = tenant.client("viewer")
    made = client.post("/account/tokens/", {"name": "notebook"})
    token = re.search(rb'data-testid="new-token">(oi_[^<]+)<', made.content)
    assert token
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token.group(1).decode()}")
    assert api.get("/api/organisations").status_code == 200
    listing = client.get("/account/tokens/").content
    assert token.group(1) not in listing and b"notebook" in listing  # shown once only
    token_id = models.ApiToken.objects.get().pk
    assert client.post(f"/account/tokens/{token_id}/revoke/").status_code == 302
    assert api.get("/api/organisations").status_code == 401


def test_invitations_mail_links_export_and_reminders(sqlite_db: object) -> None:
    tenant = make_tenant("Nordlicht")
    analyst = tenant.client("analyst")
    page = f"/assessments/{tenant.assessment}/invitations/"
    mail.outbox.clear()
    made = analyst.post(page, {
        "role": "operational", "department": "Warehouse", "language": "de",
        "emails": "anna@example.com\nbernd@example.com\n\nanna@example.com", "count": "2",
    })
    assert made.status_code == 302
    assert len(mail.outbox) == 2
    message = mail.outbox[0]
    assert message.to == ["anna@example.com"] and "Ihr persönlicher Link" in message.body
    link = re.search(r"http://testserver(/s/[^/\s]+/)", message.body)
    assert link
    assert Client().get(link.group(1)).status_code == 303
    bad = analyst.post(page, {"role": "operational", "department": "W", "language": "en",
                              "emails": "not-an-address", "count": "0"})
    assert "is not an e-mail address" in bad.content.decode()

    exported = analyst.get(f"{page}links.csv")
    rows = list(csv.DictReader(io.StringIO(exported.content.decode())))
    assert len(rows) == 2 and all(r["department"] == "Warehouse" for r in rows)
    assert not any("anna" in ",".join(r.values()) for r in rows)  # mailed links stay private
    token = rows[0]["link"].rstrip("/").rsplit("/", 1)[1]
    assert Client().get(f"/s/{token}/").status_code == 303

    # Anna answers; the reminder goes to Bernd only, and the analyst sees just a number
    anna = re.search(r"/s/([^/\s]+)/", message.body)
    assert anna
    survey.submit("default", anna.group(1), full_answers(anna.group(1)))
    mail.outbox.clear()
    reminded = analyst.post(f"/assessments/{tenant.assessment}/reminders/", follow=True)
    assert "Reminders mailed: 1." in reminded.content.decode()
    assert [m.to for m in mail.outbox] == [["bernd@example.com"]]
    assert mail.outbox[0].subject.startswith("Erinnerung")
    assert "bernd" not in reminded.content.decode()


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port  # closed again: connecting is refused


def test_a_mail_server_failure_keeps_the_invitations_and_says_what_to_do(
    sqlite_db: object,
) -> None:
    tenant = make_tenant("Nordlicht")
    analyst = tenant.client("analyst")
    page = f"/assessments/{tenant.assessment}/invitations/"
    refused = {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": _closed_port(),
        "EMAIL_TIMEOUT": 5,
    }
    form = {"role": "manager", "department": "Sales", "language": "en",
            "emails": "c@example.com\nd@example.com", "count": "0"}
    with override_settings(**refused):
        made = analyst.post(page, form, follow=True)
        reminded = analyst.post(f"/assessments/{tenant.assessment}/reminders/", follow=True)
    text = made.content.decode()
    assert made.status_code == 200
    assert "2 invitations created, 0 mailed" in text and "Mailing failed" in text
    assert "send reminders once the mail server works" in text
    assert "No reminders were sent: the mail server failed" in reminded.content.decode()
    stored = models.Invitation.objects.filter(assessment_id=tenant.assessment)
    assert stored.count() == 2 and not stored.filter(mails_sent__gt=0).exists()

    # inviting the same people again creates nothing twice; reminders reach them instead
    mail.outbox.clear()
    again = analyst.post(page, form)
    assert "every address given (2) was invited already" in again.content.decode()
    more = analyst.post(page, {**form, "emails": "C@example.com\ne@example.com"}, follow=True)
    assert "1 invitations created, 1 mailed; 1 addresses were already invited" in (
        more.content.decode()
    )
    assert stored.count() == 3 and [m.to for m in mail.outbox] == [["e@example.com"]]
    reminded = analyst.post(f"/assessments/{tenant.assessment}/reminders/", follow=True)
    assert "Reminders mailed: 3." in reminded.content.decode()


def test_survey_page_is_accessible_markup(sqlite_db: object) -> None:
    tenant = make_tenant("Acme")
    outcome = tenant.client("analyst").post(
        f"/assessments/{tenant.assessment}/invitations/",
        {"role": "manager", "department": "Sales", "language": "en", "count": "1"},
    )
    assert outcome.status_code == 302
    token = models.Invitation.objects.get().public_id
    link = survey.token_for(token)
    html = Client().get(f"/s/{link}/1/").content.decode()
    assert '<html lang="en">' in html and 'name="viewport"' in html
    assert '<a class="skip" href="#main">' in html
    assert html.count("<fieldset") == html.count("<legend>") > 0
    radios = re.findall(r'<label class="choice"><input type="radio"', html)
    assert radios and len(radios) == html.count('type="radio"')  # every radio in its label
    assert "<progress" in html
    css = Client().get("/static/outsidein/site.css")
    assert css.status_code == 200
    assert b":focus-visible" in b"".join(css.streaming_content)  # type: ignore[attr-defined]


def test_admin_lists_people_but_never_invitations(sqlite_db: object) -> None:
    tenant: Tenant = make_tenant("Acme")
    admin_id = tenants.create_user("default", username="root", password=PASSWORD,
                                   superuser=True)
    client = Client()
    client.force_login(models.Membership.objects.first().user.__class__.objects.get(pk=admin_id))
    index = client.get("/admin/").content.decode()
    assert "Memberships" in index and "Insights" in index
    assert "Invitations" not in index and "Drafts" not in index
    assert client.get("/admin/outsidein/membership/").status_code == 200
    assert tenant.slug
