"""Template filters of the web product."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def words(value: object) -> str:
    """A status code as words: ``not_measured`` -> ``not measured``."""
    return str(value).replace("_", " ")
