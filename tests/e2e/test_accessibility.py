"""axe-core (from npm, frontend/node_modules) finds no WCAG 2.1 A/AA violation on the public pages."""

from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parents[2] / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
RUN_AXE = """async () => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a',
                                                                          'wcag21aa', 'best-practice']}});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                      nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
}"""


@pytest.mark.parametrize("path", ["/fa/", "/en/", "/fa/plans/", "/fa/plans/{plan}/", "/en/plans/{plan}/",
                                  "/fa/plans/{plan}/executive-summary/"])
def test_pages_have_no_accessibility_violations(portal_url, plan_urls, browser, path):
    assert AXE.exists(), "axe-core is missing: run `make install-test` (npm ci in frontend/)"
    plan = plan_urls["fa"].rstrip("/").rsplit("/", 1)[-1]
    page = browser.new_page()
    try:
        assert page.goto(portal_url + path.format(plan=plan)).ok
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate(RUN_AXE)
    finally:
        page.close()
    assert violations == [], "\n".join(f"{v['impact']}: {v['id']} — {v['help']} {v['nodes']}"
                                       for v in violations)
