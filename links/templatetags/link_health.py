"""What the reading page says beside an item's original link when it is dead."""

from django import template

from links.models import CheckedLink

register = template.Library()


@register.inclusion_tag("links/dead_link_note.html")
def dead_link_note(article):
    """The note "the original link is dead" (one query); the page links the kept
    copy of the original, when there is one, beside the byline already."""
    dead = bool(
        article.original_url
        and CheckedLink.objects.dead().filter(url=article.original_url).exists()
    )
    return {"dead": dead}
