"""Demo content: plan 12's Vision 1430 co-creation calls, from the news item of 2025-08-20 (seed 003):
the round-1 call (public) and the round-2 call (invite-only, for people shortlisted from round 1, from
11 Mordad to the end of 31 Mordad 1404, extended to the end of 20 Shahrivar 1404), each a page in
Persian and English; round 2's worksheets start from the round-1 answers.

The participants, their answers and the counts are illustrative (made up, labelled as such); the real
call had about 300 invitees and more than 170 complete answers. Idempotent: nothing is loaded twice.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone
from persiantools.jdatetime import JalaliDate
from wagtail.models import Locale, Page

from cms import publication
from cocreation import results, secretariat, worksheets
from cocreation.models import (
    CallPage,
    Domain,
    Invitation,
    Kind,
    Participant,
    Round,
    StakeholderGroup,
    Worksheet,
    WorksheetScales,
)

DEMO_REASON = "محتوای نمایشی: فراخوان هم‌آفرینی طرح ۱۲ (مشارکت‌کنندگان فرضی)"
WORKSHEET_TITLE = (
    "کاربرگ تجزیه، تحلیل و اثرسنجی روندها، ابرروندها و پدیده‌های نوظهور بر سازمان تأمین اجتماعی "
    "طی ۲۵ سال آینده"
)
ITEMS = [
    (Kind.MEGATREND, "جمعیت و اجتماع", "سالمندی جمعیت", -2, 5),
    (Kind.TREND, "بازار کار", "گسترش کار سکویی و مشاغل غیررسمی", -1, 4),
    (Kind.EMERGING, "فناوری و تحول دیجیتال", "هوش مصنوعی در ارزیابی و پرداخت هزینه‌های درمان", 2, 4),
    (Kind.TREND, "اقتصاد", "تورم مزمن و کاهش ارزش واقعی ذخایر", -2, 4),
    (Kind.MEGATREND, "درمان و سلامت", "تغییرات اقلیمی و بار بیماری‌های نو", -1, 3),
    (Kind.TREND, "سرمایه‌گذاری", "تنوع‌بخشی سبد سرمایه‌گذاری صندوق", 1, 3),
    (Kind.EMERGING, "بیمه و تعهدات", "بیمهٔ پارامتریک و قراردادهای هوشمند", 1, 2),
    (Kind.TREND, "جمعیت و اجتماع", "کاهش نرخ باروری", -2, 5),
    (Kind.TREND, "حکمرانی و قانون", "یکپارچه‌سازی صندوق‌های بازنشستگی", 1, 2),
    (Kind.EMERGING, "بازار کار", "مهاجرت نیروی کار ماهر", -1, 4),
]
GROUPS = list(StakeholderGroup.values)


def tehran_midnight(year, month, day):
    """The instant a Jalali day starts in Asia/Tehran."""
    return timezone.make_aware(
        datetime.datetime.combine(JalaliDate(year, month, day).to_gregorian(), datetime.time())
    )


def plan_12(locale):
    for page in Page.objects.filter(
        locale=locale, content_type__app_label="plans", content_type__model="planpage"
    ).specific():
        if getattr(page, "plan_number", None) == 12:
            return page
    return None


def load(stdout=None):
    fa = Locale.objects.filter(language_code="fa").first()
    plan = plan_12(fa) if fa else None
    if plan is None or CallPage.objects.filter(locale=fa).exists():
        return 0
    with transaction.atomic(), publication.forced(DEMO_REASON):
        return _load(plan, stdout)


WORKSHEET_TITLE_EN = (
    "Analysis and impact assessment of trends, megatrends and emerging phenomena on SSO "
    "over the next 25 years"
)
ILLUSTRATIVE_FA = "<b>نام‌ها و پاسخ‌های این نسخهٔ نمایشی ساختگی‌اند.</b>"
ILLUSTRATIVE_EN = "<b>Names and answers in this demo are illustrative.</b>"


def add_call(plan, english, slug, fa, en):
    """A published call page under plan 12 and, when plan 12 is in English, its English translation.
    `fa` and `en` are (title, summary, intro)."""
    title, summary, intro = fa
    call = CallPage(title=title, slug=slug, summary=summary, intro=intro, worksheet_title=WORKSHEET_TITLE)
    plan.add_child(instance=call)
    call.save_revision().publish()
    if english:
        translated = call.copy_for_translation(english)
        translated.title, translated.summary, translated.intro = en
        translated.worksheet_title = WORKSHEET_TITLE_EN
        translated.save_revision().publish()
    return call


def _load(plan, stdout):
    english = Locale.objects.filter(language_code="en").first()
    if english and plan.get_translation_or_none(english) is None:
        english = None
    call = add_call(
        plan,
        english,
        "co-creation",
        (
            "فراخوان هم‌آفرینی چشم‌انداز تأمین اجتماعی نوین ۱۴۳۰: دور نخست",
            "گردآوری تحلیل خبرگان و ذی‌نفعان دربارهٔ روندها و پدیده‌های نوظهور اثرگذار بر سازمان.",
            "<p>دبیرخانهٔ طرح چشم‌انداز، تحلیل صاحب‌نظران را در کاربرگ روندها گرد می‌آورد. دور نخست همگانی "
            f"بود: هر کس می‌توانست با رایانامه یا تلفن همراه ثبت‌نام کند. {ILLUSTRATIVE_FA}</p>",
        ),
        (
            "Vision 1430 co-creation call: round 1",
            "Experts' and stakeholders' analyses of trends and emerging phenomena affecting SSO.",
            "<p>The vision secretariat collects experts' analyses on the trends worksheet. Round 1 was "
            f"public: anyone could sign up with an e-mail address or a mobile number. {ILLUSTRATIVE_EN}</p>",
        ),
    )
    call2 = add_call(
        plan,
        english,
        "co-creation-round-2",
        (
            "فراخوان هم‌آفرینی چشم‌انداز تأمین اجتماعی نوین ۱۴۳۰: دور دوم",
            "دور دوم ویژهٔ مشارکت‌کنندگانی که پاسخ‌هایشان در دور نخست آینده‌نگر، افق‌گشا و مرتبط بود.",
            "<p>حدود ۳۰۰ نفر از مشارکت‌کنندگان دور نخست به دور دوم دعوت شدند؛ کاربرگ هر کس با پاسخ‌های دور "
            "نخست او آغاز می‌شود. مهلت دور دوم از ۳۱ مرداد تا ۲۰ شهریور ۱۴۰۴ تمدید شد. "
            f"{ILLUSTRATIVE_FA}</p>",
        ),
        (
            "Vision 1430 co-creation call: round 2",
            "Round 2 was for participants whose round-1 answers were visionary, horizon-opening "
            "and on topic.",
            "<p>About 300 round-1 participants were invited to round 2; each worksheet starts from its "
            "author's round-1 answers. The deadline was extended from 31 Mordad to 20 Shahrivar 1404. "
            f"{ILLUSTRATIVE_EN}</p>",
        ),
    )

    round1 = Round.objects.create(
        call=call,
        number=1,
        title="دور نخست (همگانی)",
        access=Round.Access.OPEN,
        starts_at=tehran_midnight(1404, 3, 1),
        ends_at=tehran_midnight(1404, 4, 16),
    )
    round2 = Round.objects.create(
        call=call2,
        number=2,
        title="دور دوم (ویژهٔ برگزیدگان دور نخست)",
        access=Round.Access.INVITE,
        previous=round1,
        starts_at=tehran_midnight(1404, 5, 11),
        ends_at=tehran_midnight(1404, 6, 1),  # exclusive: the end of 31 Mordad
    )
    WorksheetScales.load()
    domains = {d.name_fa: d.pk for d in Domain.objects.all()}
    rng = random.Random(1430)
    people = [
        Participant.objects.create(
            name=f"مشارکت‌کنندهٔ نمونهٔ {n} (ساختگی)",
            email=f"participant{n}@example.invalid",
            group=GROUPS[n % len(GROUPS)],
            illustrative=True,
        )
        for n in range(1, 13)
    ]
    for n, person in enumerate(people):
        invite = Invitation.objects.create(
            participant=person, round=round1, opened_at=round1.starts_at + datetime.timedelta(days=n)
        )
        sheet = Worksheet.objects.create(invitation=invite)
        if n >= 10:
            continue  # two opened the worksheet and wrote nothing
        chosen = rng.sample(ITEMS, 3 + n % 3)
        data = {
            "version": 0,
            "commentary": "تحلیل نمونه (ساختگی).",
            "items": [
                {
                    "kind": kind,
                    "domain": domains.get(domain),
                    "title": title,
                    "description": "شرح نمونه.",
                    "impact": impact,
                    "likelihood": likelihood,
                    "horizon": rng.choice(["1405-1410", "1410-1415", "1415-1420"]),
                    "confidence": rng.choice(["low", "medium", "high"]),
                    "analysis": "تحلیل کیفی نمونه.",
                }
                for kind, domain, title, impact, likelihood in chosen
            ],
        }
        when = round1.starts_at + datetime.timedelta(days=n + 1)
        worksheets.save(sheet, data, now=when)
        worksheets.submit(sheet, now=when)
        Worksheet.objects.filter(pk=sheet.pk).update(score=10 - n, shortlisted=n < 6)

    # Round 1's aggregated results, published (in the demo, through the gate's audited force path).
    summary = results.create_draft(call, round1)
    summary.summary = "نتایج گردآوری‌شدهٔ دور نخست، بدون نام و دادهٔ شخصی (نمونه)."
    summary.save_revision().publish()
    if english and call.get_translation_or_none(english):
        translated = summary.copy_for_translation(english)
        translated.title = "Round 1 results"
        translated.summary = "Aggregated results of round 1, without names or personal data (illustrative)."
        translated.body = (
            "<p>Aggregated results of round 1 (illustrative): see the Persian page for the figures.</p>"
        )
        translated.save_revision().publish()

    round2_invites = secretariat.invite_shortlist(round1, round2, send=False)
    for n, invite in enumerate(round2_invites):
        Invitation.objects.filter(pk=invite.pk).update(
            sent_at=round2.starts_at, send_count=1, opened_at=round2.starts_at + datetime.timedelta(days=1)
        )
        if n < 4:
            sheet = Worksheet.objects.get(invitation=invite)
            when = round2.starts_at + datetime.timedelta(days=3 + n)
            data = {**sheet.as_data(), "version": sheet.version}
            data["commentary"] = "در دور دوم بازبینی شد (ساختگی)."
            worksheets.save(sheet, data, now=when)
            worksheets.submit(sheet, now=when)
    # The secretariat's extension, as in the news item (audited; nobody notified in the demo).
    secretariat.extend_round(
        round2,
        tehran_midnight(1404, 6, 21),
        "درخواست مشارکت‌کنندگان برای تکمیل پاسخ‌ها (نمونه)",
        user=None,
        notify="none",
    )
    if stdout:
        stdout.write("Co-creation demo: plan 12's round-1 and round-2 calls, 12 illustrative participants.")
    return 1
