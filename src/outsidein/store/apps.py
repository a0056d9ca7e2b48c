from django.apps import AppConfig


class StoreConfig(AppConfig):
    name = "outsidein.store"
    label = "outsidein"
    verbose_name = "outsidein"
    default_auto_field = "django.db.models.BigAutoField"
