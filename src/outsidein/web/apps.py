from django.apps import AppConfig


class WebConfig(AppConfig):
    """The web product's templates, static files and (future) management commands."""

    name = "outsidein.web"
    label = "outsidein_web"
    verbose_name = "outsidein web"
