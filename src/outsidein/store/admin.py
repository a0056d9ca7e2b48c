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
