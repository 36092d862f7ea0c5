"""The language switcher links each page to its translation, or to the other home page."""

import pytest

pytestmark = pytest.mark.django_db


def switcher_links(content):
    start = content.index('class="language-switcher"')
    return content[start : content.index("</ul>", start)]


def test_plan_page_links_to_its_translation_and_back(client, demo):
    plan_fa = demo.plans_fa[0]
    plan_en = plan_fa.get_translation(demo.locale_en)
    links = switcher_links(client.get(plan_fa.url).content.decode())
    assert f'href="{plan_en.url}"' in links and 'hreflang="en"' in links
    links = switcher_links(client.get(plan_en.url).content.decode())
    assert f'href="{plan_fa.url}"' in links and 'hreflang="fa"' in links


def test_untranslated_page_links_to_the_other_home_page(client, demo):
    page = demo.plans_fa[0].copy(
        update_attrs={"title": "طرح آزمایشی", "slug": "trial", "plan_number": 19}, copy_revisions=False
    )
    page.save_revision().publish()
    links = switcher_links(client.get(page.url).content.decode())
    assert f'href="{demo.home_en.url}"' in links


def test_unpublished_translation_is_not_linked(client, demo):
    plan_fa = demo.plans_fa[0]
    plan_en = plan_fa.get_translation(demo.locale_en)
    plan_en.unpublish()
    links = switcher_links(client.get(plan_fa.url).content.decode())
    assert plan_en.url not in links
    assert f'href="{demo.home_en.url}"' in links
