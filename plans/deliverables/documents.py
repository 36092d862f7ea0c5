"""The printable documents of a plan, rendered as HTML from the portal's own templates.

The report follows `SECTIONS` (section 2 from `plans/includes/specifications.html`, the others from the
block templates), in the page's language. The PDF and EPUB generators and the content hash start here.
"""

import base64

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.context_processors import SettingProxy

from cms import i18n
from plans.deliverables import qr
from plans.deliverables.cover import emblem_png, organization_name
from plans.sections import SECTIONS

# The implementation guide: (title, block type, the sections it is taken from; all when empty)
GUIDE_PARTS = (
    (_("Roadmap"), "roadmap", ("implementation",)),
    (_("Governance structure"), "governance", ("implementation",)),
    (_("Main actions and sub-projects"), "actions", ("implementation",)),
    (_("Challenges and how they were handled"), "challenges", ()),
    (_("Lessons learned"), "lessons", ("lessons",)),
    (_("Success/failure factor matrix"), "factor_matrix", ("lessons",)),
    (_("Checklists"), "checklist", ()),
)


def language_of(page):
    return page.locale.language_code


def bound_blocks(page, block_type, fields=()):
    """The blocks of `block_type` in the given section fields of `page` (all sections when empty)."""
    fields = fields or [section.field for section in SECTIONS if section.field]
    return [block for field in fields for block in getattr(page, field) if block.block_type == block_type]


def emblem_data_uri(site):
    """The emblem of Portal settings as a PNG data URI for the printed covers, or "" (an empty slot)."""
    data = emblem_png(site)
    return f"data:image/png;base64,{base64.b64encode(data).decode()}" if data else ""


def base_context(page, plan):
    """What every print template needs: the page, its plan, language, site settings and QR codes."""
    language = language_of(page)
    site = plan.get_site()
    portal_url, dashboard_url = qr.portal_url(plan), qr.dashboard_url(plan)
    return {
        "page": page,
        "plan": plan,
        "language": language,
        "rtl": i18n.is_rtl(language),
        "settings": SettingProxy(site),
        "organization": organization_name(page),
        "emblem": emblem_data_uri(site),
        "sections": SECTIONS,
        "static_url": settings.STATIC_URL,
        "portal_url": portal_url,
        "dashboard_url": dashboard_url,
        "portal_qr": qr.svg_data_uri(portal_url),
        "dashboard_qr": qr.svg_data_uri(dashboard_url),
        "print_charts": True,  # charts as images (cms.charts.print_image)
    }


def render(template, page, plan, **extra):
    """Render a print template in the page's language."""
    with translation.override(language_of(page)):
        context = base_context(page, plan)
        context.update(extra)
        return render_to_string(template, context)


def report_sections(plan):
    """(section, stream or None) for the 8 sections, in order."""
    return [(section, getattr(plan, section.field) if section.field else None) for section in SECTIONS]


def report_html(plan):
    """The full 8-section report: cover, contents, sections, QR codes in section 8."""
    with translation.override(language_of(plan)):
        title = _("Comprehensive report")
        return render(
            "deliverables/report.html",
            plan,
            plan,
            report_sections=report_sections(plan),
            document_kind=str(title),
        )


def summary_html(summary, plan=None):
    """The executive summary of a plan."""
    plan = plan or summary.get_parent().specific
    with translation.override(language_of(summary)):
        return render("deliverables/summary.html", summary, plan, document_kind=str(_("Executive summary")))


def guide_html(plan):
    """The implementation guide and checklists, gathered from the report's structured blocks."""
    with translation.override(language_of(plan)):
        parts = [
            (str(title), blocks)
            for title, block_type, fields in GUIDE_PARTS
            if (blocks := bound_blocks(plan, block_type, fields))
        ]
        return render(
            "deliverables/guide.html",
            plan,
            plan,
            parts=parts,
            document_kind=str(_("Implementation guide and checklists")),
        )


def section_html(plan, section, **extra):
    """One report section on its own (an EPUB chapter); `extra` overrides the context."""
    stream = getattr(plan, section.field) if section.field else None
    return render("deliverables/section.html", plan, plan, section=section, stream=stream, **extra)
