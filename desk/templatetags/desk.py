from django import template

from desk.panels import desk_for

register = template.Library()


@register.inclusion_tag("desk/panels.html", takes_context=True)
def desk_panels(context):
    """The panels of the admin's front page for the user looking at it."""
    return {"desk": desk_for(context["request"].user)}
