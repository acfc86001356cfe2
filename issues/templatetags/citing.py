"""A page's citation: its meta tags in the head, and the 引用 block to copy from."""

from django import template

from issues import citations

register = template.Library()


@register.inclusion_tag("includes/citation_meta.html")
def citation_meta(citation):
    return {"citation": citation, "tags": citations.meta_tags(citation)}


@register.inclusion_tag("includes/citation.html")
def citation_block(citation):
    return {
        "text": citations.gbt7714(citation),
        "ris_url": citation.download_url("ris"),
        "bibtex_url": citation.download_url("bib"),
    }
