"""Builds the demo site from the JSON files in `content/`: Persian pages, then English translations.

The English pages are real wagtail-localize translations: the Persian page becomes a translation source,
the English text is paired with the Persian text segment by segment (both trees have the same shape and
the same block ids), imported as a PO file, and the translation is saved and published. The translation
editor therefore shows every demo page as 100% translated, and a later change to the Persian source
marks it out of date as it would for any other page.

Every object gets a deterministic translation key, so loading twice finds what the first run made and
changes nothing.
"""

import io
import json
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

import polib
from django.conf import settings
from django.core.files.images import ImageFile
from django.db import transaction
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images import get_image_model
from wagtail.models import Collection, Locale, Page, Site
from wagtail_localize.models import Translation, TranslationSource
from wagtail_localize.segments import StringSegmentValue
from wagtail_localize.segments.extract import extract_segments

from cms import publication
from cms.distribution.demo import ensure_demo_rules
from plans.demo import artwork
from plans.demo.media import DEMO_COLLECTION, load_plan_media
from plans.demo.raw import stable_uuid, stream_raw
from plans.models import (
    KPI,
    DemoImage,
    ExecutiveSummaryPage,
    KPIValue,
    OrganizationUnit,
    Person,
    PlanIndexPage,
    PlanPage,
    PodcastEpisodePage,
    UpstreamDocument,
)
from plans.periods import PeriodKind, jalali_year_start
from plans.sections import SECTIONS

CONTENT_DIR = Path(__file__).parent / "content"
DEMO_REASON = "محتوای نمایشی"  # shown in the pages' history (the admin is Persian)
SECTION_FIELDS = {f"section_{section.number}": section.field for section in SECTIONS if section.field}


def load_json(name):
    return json.loads((CONTENT_DIR / name).read_text(encoding="utf-8"))


def plan_files():
    return sorted(CONTENT_DIR.glob("plan-*.json"))


def pair_as_po(source_instance, translated_instance):
    """A PO file translating every string of `source_instance` with the text of `translated_instance`."""

    def strings_by_path(instance):
        grouped = defaultdict(list)
        for segment in extract_segments(instance):
            if isinstance(segment, StringSegmentValue):
                grouped[segment.path].append(segment.string.data)
        return grouped

    source, target = strings_by_path(source_instance), strings_by_path(translated_instance)
    po = polib.POFile()
    for path, strings in source.items():
        translations = target.get(path, [])
        if len(translations) != len(strings):
            raise ValueError(
                f"{source_instance!r}: {path} has {len(strings)} Persian and "
                f"{len(translations)} English strings; the demo trees must have the same shape."
            )
        for msgid, msgstr in zip(strings, translations, strict=True):
            po.append(polib.POEntry(msgid=msgid, msgctxt=path, msgstr=msgstr))
    return po


def translate(source_instance, translated_instance, locale):
    """Create the wagtail-localize translation of `source_instance` into `locale`, and publish it."""
    existing = source_instance.get_translation_or_none(locale)
    if existing is not None:
        return existing
    source, _created = TranslationSource.get_or_create_from_instance(source_instance)
    translation, _created = Translation.objects.get_or_create(
        source=source, target_locale=locale, defaults={"enabled": True}
    )
    translation.import_po(pair_as_po(source_instance, translated_instance))
    if not isinstance(source_instance, Page):
        translation.save_target()
        return source_instance.get_translation(locale)
    # wagtail-localize defers publishing to transaction.on_commit with the page instance it held in
    # memory, whose tree counters are stale once its own translated children exist. Save a draft and
    # publish it here instead, from a fresh instance.
    translation.save_target(publish=False)
    target = source_instance.get_translation(locale)
    target.get_latest_revision().publish()
    return target


class DemoLoader:
    """Loads the demo site; `run()` is idempotent."""

    def __init__(self, stdout=None):
        self.stdout = stdout
        self.fa, _ = Locale.objects.get_or_create(language_code="fa")
        self.en, _ = Locale.objects.get_or_create(language_code="en")
        self.refs = {OrganizationUnit: {}, Person: {}, UpstreamDocument: {}, get_image_model(): {}}
        self.created = 0

    def log(self, message):
        if self.stdout:
            self.stdout.write(message)

    @transaction.atomic
    def run(self):
        # Demo pages have no written approvals to show: forging sign-offs would put fake evidence in
        # the audit trail, so the loader uses the gate's documented force path, audited with its reason.
        with publication.forced(DEMO_REASON):
            return self._load()

    def _load(self):
        shared = load_json("shared.json")
        self.load_snippets(shared)
        ensure_demo_rules(PodcastEpisodePage)  # disabled: the demo never posts anywhere
        home = self.load_home(shared["home"])
        texts = shared["plan_index"]
        index = self.load_page(
            PlanIndexPage,
            home,
            "plan-index",
            "plans",
            build=lambda lang: {
                "title": texts[lang]["title"],
                "intro": texts[lang]["intro"],
                "summary": texts[lang].get("summary", ""),
            },
        )
        for path in plan_files():
            self.load_plan(index, json.loads(path.read_text(encoding="utf-8")))
        return self.created

    # Snippets ------------------------------------------------------------------------------
    def load_snippets(self, shared):
        for model, key in (
            (OrganizationUnit, "units"),
            (UpstreamDocument, "upstream_documents"),
            (Person, "people"),
        ):
            fields = {field.name for field in model._meta.get_fields()}
            for item in shared[key]:

                def values(lang, item=item, fields=fields):
                    # shared values (url, year) and the language's own, limited to the model's fields
                    return {k: v for k, v in {**item, **item[lang]}.items() if k in fields}

                translation_key = stable_uuid(model.__name__, item["key"])
                instance = model.objects.filter(translation_key=translation_key, locale=self.fa).first()
                if instance is None:
                    instance = model.objects.create(
                        translation_key=translation_key, locale=self.fa, **values("fa")
                    )
                    self.created += 1
                self.refs[model][item["key"]] = instance
                if instance.get_translation_or_none(self.en) is None:
                    translate(instance, model(**values("en")), self.en)
                    self.created += 1

    # Pages ---------------------------------------------------------------------------------
    def load_home(self, data):
        """The portal's home page: the page type the plan index lives under (found through Wagtail's
        page-type rules, so the domain does not import the portal's `home` app)."""
        (HomePage,) = PlanIndexPage.allowed_parent_page_models()
        key = stable_uuid("page", "home")
        home = HomePage.objects.filter(translation_key=key, locale=self.fa).first()
        site = Site.objects.filter(is_default_site=True).first()
        if home is None:
            root = Page.get_first_root_node()
            # Wagtail's placeholder welcome page makes way for the real home page.
            for placeholder in root.get_children().filter(slug="home"):
                if placeholder.specific_class is Page and not placeholder.get_children().exists():
                    Site.objects.filter(root_page=placeholder).update(root_page=root)
                    placeholder.delete()
            home = HomePage(
                title=data["fa"]["title"],
                slug="home",
                translation_key=key,
                locale=self.fa,
                summary=data["fa"].get("summary", ""),
                intro=data["fa"]["intro"],
            )
            root.add_child(instance=home)
            home.save_revision().publish()
            self.created += 1
            # The site answers where the portal runs (absolute URLs in the sitemap, QR codes, feeds).
            base = urlsplit(settings.WAGTAILADMIN_BASE_URL)
            site = site or Site(is_default_site=True)
            site.root_page = home
            site.site_name = site.site_name or "روایت"  # the admin's dashboard shows it
            site.hostname = base.hostname or "localhost"
            site.port = base.port or (443 if base.scheme == "https" else 80)
            site.save()
        if home.get_translation_or_none(self.en) is None:
            translate(
                home,
                HomePage(
                    title=data["en"]["title"],
                    slug="home",
                    summary=data["en"].get("summary", ""),
                    intro=data["en"]["intro"],
                ),
                self.en,
            )
            self.created += 1
        return home

    def load_page(self, model, parent, key, slug, build, extra=None, prepare=None):
        """Create the fa page under `parent` (once) and its en translation (once).

        `build(language)` returns the page's field values in that language; `prepare(page)`, if given,
        adds what must exist before the fa page may be published (a plan's KPIs).
        """
        translation_key = stable_uuid("page", key)
        page = model.objects.filter(translation_key=translation_key, locale=self.fa).first()
        if page is None:
            page = model(
                slug=slug, translation_key=translation_key, locale=self.fa, **(extra or {}), **build("fa")
            )
            parent.add_child(instance=page)
            if prepare:
                prepare(page)
            page.save_revision().publish()
            self.created += 1
            self.log(f"  {model._meta.verbose_name}: {page.title}")
        if page.get_translation_or_none(self.en) is None:
            english = model(slug=slug, **(extra or {}), **build("en"))
            translate(page, english, self.en)
            self.created += 1
        return page

    def load_plan(self, index, data):
        number = data["plan_number"]
        hero = self.demo_image(f"plan-{number}-hero", number, data)
        figure = self.demo_image(f"plan-{number}-figure", number, data, chart=True)
        self.refs[get_image_model()]["figure"] = figure
        units = self.refs[OrganizationUnit]

        def build(lang):
            texts = data[lang]
            prefix = f"plan-{number}"
            team = [
                {
                    "person": member["person"],
                    "role": member["role"],
                    "responsibility": texts["team_responsibilities"][position],
                }
                for position, member in enumerate(data["team"])
            ]
            values = {
                "title": texts["title"],
                "full_title": texts["full_title"],
                "summary": texts["summary"],
                "illustrative_notice": texts["illustrative_notice"],
                "hero_image_alt": texts.get("hero_alt", ""),
                "partner_units": stream_raw(
                    PlanPage,
                    "partner_units",
                    [{"type": "unit", "value": key} for key in data["partner_units"]],
                    f"{prefix}.partners",
                    self.refs,
                ),
                "team": stream_raw(
                    PlanPage,
                    "team",
                    [{"type": "member", "value": member} for member in team],
                    f"{prefix}.team",
                    self.refs,
                ),
                "macro_goals": stream_raw(
                    PlanPage,
                    "macro_goals",
                    [{"type": "goal", "value": goal} for goal in texts["macro_goals"]],
                    f"{prefix}.macro",
                    self.refs,
                ),
                "smart_goals": stream_raw(
                    PlanPage,
                    "smart_goals",
                    [{"type": "smart_goal", "value": goal} for goal in texts["smart_goals"]],
                    f"{prefix}.smart",
                    self.refs,
                ),
                "upstream_documents": stream_raw(
                    PlanPage,
                    "upstream_documents",
                    [{"type": "document", "value": key} for key in data["upstream_documents"]],
                    f"{prefix}.upstream",
                    self.refs,
                ),
            }
            for json_key, field in SECTION_FIELDS.items():
                values[field] = stream_raw(PlanPage, field, texts[json_key], f"{prefix}.{field}", self.refs)
            return values

        plan = self.load_page(
            PlanPage,
            index,
            f"plan-{number}",
            data["slug"],
            build,
            extra={
                "plan_number": number,
                "code": data["code"],
                "start_date": data["start_date"],
                "end_date": data["end_date"],
                "approved_budget_rials": data["approved_budget_rials"],
                "actual_cost_rials": data["actual_cost_rials"],
                "lead_unit": units[data["lead_unit"]],
                "hero_image": hero,
            },
            prepare=lambda page: self.load_kpis(page, data, translations=False),
        )

        def build_summary(lang):
            summary = data[lang]["executive_summary"]
            return {
                "title": summary["title"],
                "summary": summary["summary"],
                "body": stream_raw(
                    ExecutiveSummaryPage, "body", summary["body"], f"plan-{number}.summary", self.refs
                ),
            }

        self.load_page(
            ExecutiveSummaryPage, plan, f"plan-{number}-summary", "executive-summary", build_summary
        )
        self.load_kpis(plan, data)
        load_plan_media(self, plan, data)

    def load_kpis(self, plan, data, translations=True):
        """The plan's KPIs (fa, then their en translation through wagtail-localize), every one marked
        illustrative: the demo's numbers are examples, not measured values."""
        for order, item in enumerate(data.get("kpis", [])):
            translation_key = stable_uuid("kpi", item["key"])
            kpi = KPI.objects.filter(translation_key=translation_key, locale=self.fa).first()
            if kpi is None:
                kpi = KPI(
                    translation_key=translation_key,
                    locale=self.fa,
                    plan=plan,
                    sort_order=order,
                    direction=item["direction"],
                    period_kind=PeriodKind.YEAR,
                    baseline_value=item["baseline"][1],
                    baseline_period=jalali_year_start(item["baseline"][0]),
                    target_value=item["target"][1],
                    target_period=jalali_year_start(item["target"][0]),
                    illustrative=True,
                    **item["fa"],
                )
                kpi.values = [
                    KPIValue(period=jalali_year_start(year), value=value, locale=self.fa)
                    for year, value in item["values"]
                ]
                kpi.save()
                self.created += 1
            if translations and kpi.get_translation_or_none(self.en) is None:
                translate(kpi, KPI(plan=plan.get_translation(self.en), **item["en"]), self.en)
                self.created += 1

    # Images --------------------------------------------------------------------------------
    def demo_image(self, key, number, data, chart=False):
        """A generated demo picture (the plan's hero or its KPI bar chart), made once."""
        kind = "figure" if chart else "hero"
        return self.picture(
            key,
            artwork.image_title(kind, data),
            lambda: bar_chart(data) if chart else artwork.hero(number, data),
        )

    def podcast_cover(self, number, data):
        """The plan's square podcast cover art (3000×3000, the largest Apple takes), made once."""
        return self.picture(
            f"plan-{number}-podcast-cover",
            artwork.image_title("podcast-cover", data),
            lambda: artwork.podcast_cover(number, data),
            "JPEG",
        )

    def picture(self, key, title, draw, image_format="PNG"):
        """The demo image `key` (found by its `DemoImage` row), made once from `draw()` and titled for
        people. One an earlier load titled "demo:<key>" is adopted and retitled; an editor's title stays."""
        link = DemoImage.objects.select_related("image").filter(key=key).first()
        if link is not None:
            return link.image
        image_model = get_image_model()
        image = image_model.objects.filter(title=f"demo:{key}").first()
        if image is not None:
            image.title = title
            image.save(update_fields=["title"])
        else:
            buffer = io.BytesIO()
            if image_format == "JPEG":
                draw().save(buffer, format="JPEG", quality=88)
            else:
                draw().save(buffer, format="PNG", optimize=True)
            image = image_model(title=title, collection=self.demo_collection())
            image.file = ImageFile(buffer, name=f"{key}.{image_format.lower().replace('jpeg', 'jpg')}")
            image.save()
            self.created += 1
        DemoImage.objects.create(key=key, image=image)
        return image

    def demo_collection(self):
        root = Collection.get_first_root_node()
        children = root.get_children()
        if not children.filter(name=DEMO_COLLECTION).exists():
            children.filter(name="Demo content").update(name=DEMO_COLLECTION)  # its earlier English name
        existing = children.filter(name=DEMO_COLLECTION).first()
        return existing or root.add_child(name=DEMO_COLLECTION)


def bar_chart(data):
    """A 1200×675 grouped bar chart of the plan's KPIs (before vs latest value, as % of the largest)."""
    width, height, margin = 1200, 675, 60
    picture = PILImage.new("RGB", (width, height), (255, 255, 255))
    draw = ImageDraw.Draw(picture)
    rows = [
        {"before": kpi["baseline"][1], "after": kpi["values"][-1][1], "target": kpi["target"][1]}
        for kpi in data.get("kpis", [])
    ]
    draw.line([(margin, height - margin), (width - margin, height - margin)], fill=(80, 80, 80), width=2)
    if not rows:
        return picture
    slot = (width - 2 * margin) / len(rows)
    for index, row in enumerate(rows):
        scale = max(abs(row.get("before") or 0), abs(row.get("after") or 0), abs(row.get("target") or 0), 1)
        for offset, (key, colour) in enumerate([("before", (150, 160, 172)), ("after", (11, 79, 138))]):
            value = abs(row.get(key) or 0) / scale
            left = margin + index * slot + slot * (0.2 + 0.3 * offset)
            top = height - margin - value * (height - 2 * margin)
            if value > 0:
                draw.rectangle([left, top, left + slot * 0.28, height - margin], fill=colour)
    return picture
