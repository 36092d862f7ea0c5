"""Admin template tags of the foundations: what apps tell reviewers and approvers about a page.

`{% workflow_notes page as notes %}` collects the answers of the `revayat_workflow_notes` hooks
(`fn(page) -> str or None`), so the workflow screens show, e.g., a translation's completeness without
the core knowing the workflow app.
"""

from django import template
from wagtail import hooks

register = template.Library()


@register.simple_tag
def workflow_notes(page):
    return [note for hook in hooks.get_hooks("revayat_workflow_notes") if (note := hook(page))]
