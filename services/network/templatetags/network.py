from django import template

from services.dashboards.visuals import quarter_label as label

register = template.Library()


@register.filter
def quarter_label(day) -> str:
    """A quarter by its first day, as the dashboard names it: "K3 2026"."""
    return label(day)
