from django.contrib import admin

from outsidein.store import models


@admin.register(models.Organisation)
class OrganisationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "slug", "created_at")


@admin.register(models.Assessment)
class AssessmentAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "organisation", "created_at", "anonymity_threshold")


@admin.register(models.Dataset)
class DatasetAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("kind", "source_name", "rows", "organisation", "created_at")


@admin.register(models.Membership)
class MembershipAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("user", "organisation", "role", "created_at")
    list_filter = ("role",)


class InsightShareInline(admin.TabularInline):  # type: ignore[type-arg]
    model = models.InsightShare
    extra = 0


class InsightActionInline(admin.TabularInline):  # type: ignore[type-arg]
    model = models.InsightAction
    extra = 0


@admin.register(models.Insight)
class InsightAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("title", "assessment", "evidence_kind", "evidence_ref", "created_at")
    inlines = (InsightShareInline, InsightActionInline)


@admin.register(models.ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "user", "prefix", "created_at", "last_used_at")
    readonly_fields = ("prefix", "key_hash", "created_at", "last_used_at")

    def has_add_permission(self, request: object) -> bool:  # tokens are made on the web page
        return False


# Invitations and drafts are deliberately not in the admin: listing them would show which
# invitation was used, that is, who answered.
