"""The eight mandatory sections of a plan report: the single description of its structure.

The plan page's fields, templates, table of contents, readiness checks, the PDF/EPUB/PPTX generators and
the demo loader all read `SECTIONS`; it lives apart from the models so the generators need not import them.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Section:
    """One of the eight mandatory report sections."""

    number: int
    title: str
    field: str | None  # None for section 2, which is made of structured fields

    @property
    def anchor(self):
        return f"section-{self.number}"


SECTIONS = (
    Section(1, _("Introduction and documentation method"), "introduction"),
    Section(2, _("General specifications"), None),
    Section(3, _("Necessity, context and pre-implementation challenges"), "context"),
    Section(4, _("Design and implementation"), "implementation"),
    Section(5, _("Achievements and tangible results"), "achievements"),
    Section(6, _("Lessons learned and success/failure factors"), "lessons"),
    Section(7, _("Final evaluation and improvement proposals"), "evaluation"),
    Section(8, _("Appendices and sources"), "appendices"),
)
