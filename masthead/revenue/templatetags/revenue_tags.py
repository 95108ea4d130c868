from django import template

from masthead.revenue.models import AppealSettings

register = template.Library()


@register.inclusion_tag("revenue/appeal.html", takes_context=True)
def appeal(context: template.Context) -> dict[str, object]:
    """The contribution appeal, with copy from the CMS; nothing when switched off."""
    request = context.get("request")
    settings = AppealSettings.for_request(request) if request else AppealSettings()
    return {"appeal": settings}
