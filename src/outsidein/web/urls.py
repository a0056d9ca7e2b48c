"""URLs of the web product: leaders' pages, the respondents' survey, the REST API, the admin."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path, register_converter

from outsidein.web import survey_views, views
from outsidein.web.api import api


class IdConverter:
    """A positive database id of at most 15 digits (larger numbers are no id: 404, not 500)."""

    regex = "[1-9][0-9]{0,14}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(IdConverter, "id")

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("account/tokens/", views.tokens, name="tokens"),
    path("account/tokens/<id:token_id>/revoke/", views.revoke_token, name="revoke-token"),
    path("orgs/<slug:slug>/", views.organisation, name="organisation"),
    path("orgs/<slug:slug>/members/", views.members, name="members"),
    path("assessments/<id:assessment_id>/", views.assessment, name="assessment"),
    path("assessments/<id:assessment_id>/report.html", views.report, name="report"),
    path("assessments/<id:assessment_id>/invitations/", views.invitations_page,
         name="invitations"),
    path("assessments/<id:assessment_id>/invitations/links.csv", views.links_csv,
         name="links-csv"),
    path("assessments/<id:assessment_id>/reminders/", views.reminders, name="reminders"),
    path("assessments/<id:assessment_id>/survey/close/", views.close_survey,
         name="survey-close"),
    path("assessments/<id:assessment_id>/survey/reopen/", views.reopen_survey,
         name="survey-reopen"),
    path("assessments/<id:assessment_id>/insights/", views.insight_hub, name="insights"),
    path("insights/<id:insight_id>/", views.insight, name="insight"),
    path("insights/<id:insight_id>/shares/", views.share, name="insight-share"),
    path("insights/<id:insight_id>/actions/", views.action, name="insight-action"),
    path("actions/<id:action_id>/status/", views.action_status, name="action-status"),
    path("s/<str:token>/", survey_views.start, name="survey"),
    path("s/<str:token>/<id:number>/", survey_views.page, name="survey-page"),
    path("s/<str:token>/save/", survey_views.save, name="survey-save"),
    path("s/<str:token>/done/", survey_views.done, name="survey-done"),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]
