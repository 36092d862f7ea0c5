"""The base page every Revayat content type extends, and its publish-readiness contract.

`IntroPage` is the base page with a rich-text introduction above what it lists (the home page, the
plan index).

A content type declares what it needs before it may go live by overriding `publish_checklist()`.
`readiness_checklist()` adds what "Save draft" lets through but Submit does not (Wagtail defers required
fields and blocks on a draft), and is the one list the edit screen's checklist shows, Submit refuses on
(`cms.forms.ReadinessPageForm`) and the publication gate (`cms.publication`) checks, whichever path
publishes (the editor, a workflow approval, a scheduled go-live, a translation sync or a script).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.urls import Resolver404
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Locale, Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from cms import visibility
from cms.blocks import RICH_TEXT_FEATURES
from cms.cache import FRAGMENT_TIMEOUT, content_version, remembered
from cms.forms import DraftCopyForm, RevayatPageForm
from cms.i18n import CleanTitlesMixin
from cms.preview import HeadlessPreview
from cms.publication import ChecklistItem


class BasePage(CleanTitlesMixin, HeadlessPreview, Page):
    """Title, summary, hero and social image, and the publish-readiness contract."""

    title_fields = ("title", "draft_title", "seo_title")
    summary = models.TextField(
        _("summary"),
        blank=True,
        help_text=_("Two or three sentences shown in listings, search results and link previews."),
    )
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("hero image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hero_image_alt = models.CharField(
        _("hero image alt text"),
        max_length=300,
        blank=True,
        help_text=_("Describe the image for people who cannot see it; leave empty if decorative."),
    )
    social_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("social image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Shown when the page is shared; the hero image is used when empty."),
    )
    content_panels = [*Page.content_panels, FieldPanel("summary")]
    promote_panels = [
        *Page.promote_panels,
        MultiFieldPanel(
            [FieldPanel("hero_image"), FieldPanel("hero_image_alt"), FieldPanel("social_image")],
            heading=_("Images"),
        ),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary")]
    base_form_class = RevayatPageForm
    copy_form_class = DraftCopyForm

    translatable_fields = [
        TranslatableField("title"),
        TranslatableField("seo_title"),
        TranslatableField("search_description"),
        TranslatableField("summary"),
        TranslatableField("hero_image_alt"),
        SynchronizedField("slug"),
        SynchronizedField("hero_image"),
        SynchronizedField("social_image"),
    ]

    class Meta:
        abstract = True

    def route(self, request, path_components):
        """Wagtail's routing (a child by slug, then its specific page, at every level: two queries a
        level) in two queries: the pages on the path by their `url_path`, then the deepest one's specific
        page. A page type with routes of its own still answers its sub-paths before its children do."""
        if not path_components:
            return super().route(request, path_components)
        prefixes = ["/".join(path_components[:end]) + "/" for end in range(1, len(path_components) + 1)]
        on_path = Page.objects.filter(
            path__startswith=self.path, url_path__in=[self.url_path + prefix for prefix in prefixes]
        ).order_by("depth")
        parent, walked = self, 0
        for page in on_path:
            if page.depth != parent.depth + 1 or not page.path.startswith(parent.path):
                break
            page._cached_parent_obj = parent
            parent, walked = page, walked + 1
            if walked < len(path_components) and _routes_itself(page, path_components[walked:]):
                break
        if parent is self:
            raise Http404
        return parent.specific.route(request, path_components[walked:])

    def serve(self, request, *args, **kwargs):
        if not visibility.servable(self):
            raise Http404
        return super().serve(request, *args, **kwargs)

    @property
    def localized_draft(self):
        """Wagtail's, with the active language's locale remembered (`cms.cache.remembered`): routing
        asks for it on every request, from the site's root page."""
        if not self.locale_id:
            return super().localized_draft
        try:
            language = get_supported_content_language_variant(translation.get_language())
        except LookupError:
            language = settings.LANGUAGE_CODE
        locale_id = remembered(
            f"locale:{language}",
            lambda: Locale.objects.filter(language_code=language).values_list("pk", flat=True).first(),
        )
        if locale_id is None or locale_id == self.locale_id:
            return self
        return self.get_translation_or_none(locale_id) or self

    def get_view_restrictions(self):
        """Those of its translation source and of the page it is an alias of too (`cms.visibility`)."""
        return visibility.view_restrictions(self)

    def menu_links(self, request=None):
        """The site menu, asked of the home page of each language (its page type provides it):
        [{"key", "title", "url", "children"}]. The portal header and the navigation API show it."""
        return []

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["content_version"] = content_version()
        context["fragment_timeout"] = FRAGMENT_TIMEOUT
        return context

    def publish_checklist(self):
        """What this page needs before it may be published; content types extend it."""
        return []

    def incomplete_fields(self):
        """{field name: ValidationError} for what a full (not draft) validation of the edit form refuses
        in the fields it defers on "Save draft": an empty required field, a StreamField whose blocks are
        incomplete (the error carries each block's own message, shown at the block)."""
        options = type(self).get_edit_handler().get_form_options()
        errors = {}
        for name in options.get("defer_required_on_fields", ()):
            field = self._meta.get_field(name)
            value = getattr(self, field.attname)
            if isinstance(field, StreamField):
                try:
                    field.stream_block.clean(value)
                except ValidationError as error:
                    errors[name] = error
            elif not field.blank and value in field.empty_values:
                errors[name] = ValidationError(field.error_messages["blank"], code="blank")
        return errors

    def readiness_checklist(self):
        """The one checklist: the edit screen shows it, Submit and the publication gate refuse on it."""
        incomplete = [
            ChecklistItem(
                f"incomplete-{name}",
                _("%(field)s: complete what is marked at the field or block")
                % {"field": capfirst(self._meta.get_field(name).verbose_name)},
                False,
            )
            for name in self.incomplete_fields()
        ]
        return [*incomplete, *self.publish_checklist()]

    def missing_for_publication(self):
        """The checklist items that are not done yet."""
        return [item for item in self.readiness_checklist() if not item.done]

    def get_distribution_payload(self):
        """What channels post about this page; content types with audio, video or a better image extend it.

        {"title", "text", "image": Image or None, "audio": MediaItem or None, "video": MediaItem or None,
        "hashtags": [str]}
        """
        return {
            "title": self.title,
            "text": self.summary,
            "image": self.social_image or self.hero_image,
            "audio": None,
            "video": None,
            "hashtags": [],
        }


class IntroPage(BasePage):
    """A base page with a rich-text introduction, shown above the pages it lists."""

    intro = RichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = [*BasePage.content_panels, FieldPanel("intro")]
    translatable_fields = [*BasePage.translatable_fields, TranslatableField("intro")]

    class Meta:
        abstract = True


def _routes_itself(page, remaining):
    """Whether `page` (a generic Page) answers the `remaining` path components itself rather than
    through a child: a page type with its own `route` other than ours, or a routable page whose routes
    match them."""
    if page.specific_class is None:  # its model is gone: Wagtail's own routing decides
        return True
    route = page.specific_class.route
    if route is BasePage.route:
        return False
    if route is not RoutablePageMixin.route:
        return True
    try:
        page.specific_class.get_resolver().resolve("/" + "/".join(remaining) + "/")
    except Resolver404:
        return False
    return page.live


class TaskLease(models.Model):
    """The lease of a background job a worker runs (`cms.task_lease`): django-tasks-db has none, so a
    worker killed with -9 would leave its job RUNNING for ever. The worker refreshes `heartbeat_at`
    while the job runs; once it is older than the lease, any worker hands the job back."""

    result = models.OneToOneField(
        "django_tasks_database.DBTaskResult", on_delete=models.CASCADE, primary_key=True, related_name="lease"
    )
    worker_id = models.CharField(max_length=64)
    heartbeat_at = models.DateTimeField()
    lost_runs = models.PositiveIntegerField(default=0)  # runs whose worker died (their lease ran out)

    def __str__(self):
        return f"{self.result_id} ({self.worker_id}, {self.heartbeat_at:%H:%M:%S})"
