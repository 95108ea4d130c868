"""Money as people read it, for the revenue dashboard: `{{ 34500|money:"EUR" }}` -> €345.00."""

from django import template

from masthead.revenue.money import money as format_money

register = template.Library()


@register.filter
def money(minor: int | None, currency: str) -> str:
    return format_money(minor or 0, currency)


@register.filter
def percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"
