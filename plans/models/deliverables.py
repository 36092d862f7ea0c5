"""The generated deliverables of one plan page (one language), their build status and progress.

Files live in the default storage (local media or S3) under a folder named by the content hash, so a
rebuild never overwrites a file someone is downloading; the previous build's files are deleted once the
new build is complete.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# The deliverables' file fields, in build order; `PlanPage.get_deliverables()` exposes the public ones.
FILE_FIELDS = (
    "qr",
    "qr_svg",
    "dashboard_qr",
    "dashboard_qr_svg",
    "report_pdf",
    "summary_pdf",
    "guide_pdf",
    "epub",
    "pptx",
    "package",
)


def file_field(verbose_name):
    """A generated file; `plans.deliverables.build` names it (deliverables/<page>/<lang>/<hash>/…)."""
    return models.FileField(verbose_name, upload_to="deliverables/", max_length=300, blank=True)


class PlanDeliverables(models.Model):
    """What was generated for a plan page, from which content (hash), and how far a build has got."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Generating")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    page = models.OneToOneField(
        "plans.PlanPage",
        verbose_name=_("plan"),
        on_delete=models.CASCADE,
        related_name="generated_deliverables",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    step = models.CharField(_("current step"), max_length=100, blank=True)
    error = models.TextField(_("error"), blank=True)
    content_hash = models.CharField(_("content hash"), max_length=64, blank=True)
    timings = models.JSONField(_("seconds per deliverable"), default=dict, blank=True)
    built_at = models.DateTimeField(_("built at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    qr = file_field(_("QR code of the digital version (PNG)"))
    qr_svg = file_field(_("QR code of the digital version (SVG)"))
    dashboard_qr = file_field(_("QR code of the dashboard (PNG)"))
    dashboard_qr_svg = file_field(_("QR code of the dashboard (SVG)"))
    report_pdf = file_field(_("report (PDF)"))
    summary_pdf = file_field(_("executive summary (PDF)"))
    guide_pdf = file_field(_("implementation guide and checklists (PDF)"))
    epub = file_field(_("e-book (EPUB)"))
    pptx = file_field(_("training deck (PPTX)"))
    package = file_field(_("knowledge-transfer package (zip)"))

    class Meta:
        verbose_name = _("plan deliverables")
        verbose_name_plural = _("plan deliverables")

    def __str__(self):
        return str(self.page)

    def file_names(self):
        """The storage names of the files of the current build."""
        return {name for field in FILE_FIELDS if (name := getattr(self, field).name)}


class PlanSourcePackage(models.Model):
    """The source files of a plan page (one language): chart and infographic sources, media masters,
    narration scripts, subtitles, the report as JSON and HTML, with a manifest of sizes and hashes.

    Staff only: the public may download it once an approver has released it (who and when are kept
    here and in the audit log); `cms.visibility` decides either way.
    """

    page = models.OneToOneField(
        "plans.PlanPage",
        verbose_name=_("plan"),
        on_delete=models.CASCADE,
        related_name="source_package",
    )
    file = models.FileField(_("source package (zip)"), upload_to="sources/", max_length=300, blank=True)
    content_hash = models.CharField(_("content hash"), max_length=64, blank=True)
    built_at = models.DateTimeField(_("built at"), null=True, blank=True)
    released_at = models.DateTimeField(_("released to the public at"), null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("released by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("plan source package")
        verbose_name_plural = _("plan source packages")
        permissions = [("release_plansourcepackage", _("Can release a plan's source package to the public"))]

    def __str__(self):
        return str(self.page)

    @property
    def released(self):
        return self.released_at is not None
