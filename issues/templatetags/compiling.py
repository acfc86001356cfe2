"""The compile screen's grouping of an issue's item rows into section blocks."""

from dataclasses import dataclass, field

from django import template

register = template.Library()


@dataclass
class SectionBlock:
    section_id: str
    name: str
    rows: list = field(default_factory=list)


@register.simple_tag
def section_blocks(inline_admin_formset, issue):
    """[SectionBlock…] in the issue's section order, each with its rows in print
    order; a row goes by the section its form holds (what was posted, after a
    refused save), and rows without a section of the issue come last."""
    blocks = {
        str(section.pk): SectionBlock(str(section.pk), section.name)
        for section in issue.ordered_sections()
    }
    unplaced = SectionBlock("", "")
    for inline_admin_form in inline_admin_formset:
        form = inline_admin_form.form
        section_id = form["section"].value() if "section" in form.fields else None
        if section_id is None:
            section_id = form.instance.section_id
        blocks.get(str(section_id or ""), unplaced).rows.append(inline_admin_form)
    return [*blocks.values(), *([unplaced] if unplaced.rows else [])]
