"""Forms of the leaders' pages: they parse and check shape; the services check meaning."""

from __future__ import annotations

from django import forms

from outsidein.services.invitations import MAX_PER_REQUEST

LANGUAGE_CHOICES = [("en", "English"), ("fi", "Suomi"), ("de", "Deutsch")]
STAFF_ROLE_CHOICES = [("manager", "manager"), ("operational", "operational")]
MEMBER_ROLE_CHOICES = [("viewer", "viewer"), ("analyst", "analyst"), ("owner", "owner")]
EVIDENCE_CHOICES = [
    ("aspect", "readiness aspect (e.g. Q-U:operational)"),
    ("gap", "manager/operational gap (e.g. P-M)"),
    ("attribute", "quality attribute (e.g. reliability)"),
    ("journey_step", "journey step"),
    ("indicator", "stage indicator (e.g. st3.acted_on)"),
]
STATUS_CHOICES = [("planned", "planned"), ("started", "started"), ("done", "done")]


class OrganisationForm(forms.Form):
    name = forms.CharField(label="Organisation name", max_length=200)


class AssessmentForm(forms.Form):
    name = forms.CharField(label="Assessment name", max_length=200)
    anonymity_threshold = forms.IntegerField(
        label="Anonymity threshold (smallest group shown)", min_value=2, max_value=1000,
        initial=5,
    )


class MemberForm(forms.Form):
    username = forms.CharField(max_length=150)
    role = forms.ChoiceField(choices=MEMBER_ROLE_CHOICES)
    email = forms.EmailField(required=False, help_text="only for a new account")
    password = forms.CharField(
        required=False, widget=forms.PasswordInput(render_value=False),
        help_text="only for a new account", strip=False,
    )


class InviteForm(forms.Form):
    role = forms.ChoiceField(choices=STAFF_ROLE_CHOICES)
    department = forms.CharField(max_length=200)
    language = forms.ChoiceField(choices=LANGUAGE_CHOICES, label="Survey language")
    emails = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 4}),
        label="E-mail addresses (one a line): each gets a personal link by mail",
    )
    count = forms.IntegerField(
        required=False, min_value=0, max_value=MAX_PER_REQUEST, initial=0,
        label="Links to hand out yourself (exported as CSV)",
    )

    def addresses(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["emails"].splitlines() if line.strip()]


class InsightForm(forms.Form):
    title = forms.CharField(max_length=300)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    evidence_kind = forms.ChoiceField(choices=EVIDENCE_CHOICES, label="Evidence kind")
    evidence_ref = forms.CharField(max_length=200, label="Evidence (which result)")
    source_department = forms.CharField(required=False, max_length=200,
                                        label="Department that found it")
    departments = forms.CharField(
        required=False, max_length=2000, label="Shared with departments (comma-separated)"
    )

    def department_list(self) -> tuple[str, ...]:
        return tuple(d.strip() for d in self.cleaned_data["departments"].split(",") if d.strip())


class ShareForm(forms.Form):
    department = forms.CharField(max_length=200)


class ActionForm(forms.Form):
    title = forms.CharField(max_length=300)
    owner = forms.CharField(max_length=200, label="Owner (person or team)")
    due_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    status = forms.ChoiceField(choices=STATUS_CHOICES, initial="planned")


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(choices=STATUS_CHOICES)


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100, label="Token name")
