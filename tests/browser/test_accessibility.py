"""axe-core on every main page, in English and in French: no serious or critical violation."""

import json

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, run_axe

BLOCKING = {"serious", "critical"}
# (name, endpoint that must exist, path, role to log in as)
PAGES = [
    ("login", "auth.login", "/login", None),
    ("not-found", "core.home", "/no-such-page", "viewer"),
]


def _report(violations: list[dict]) -> str:
    return "\n".join(f"[{v['impact']}] {v['id']}: {v['help']}\n    " + "\n    ".join(v["nodes"])
                     for v in violations)


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize(("name", "endpoint", "path", "role"), PAGES, ids=[p[0] for p in PAGES])
def test_page_has_no_serious_accessibility_violation(open_page, live_server, name, endpoint,
                                                     path, role, lang):
    if endpoint not in live_server.app.view_functions:
        pytest.skip(f"{endpoint} is not built yet")
    page = open_page(role=role, lang=lang, axe=True)
    page.goto(path)
    expect(page.locator("html")).to_have_attribute("lang", lang)
    violations = run_axe(page)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"axe-{name}-{lang}.json").write_text(
        json.dumps(violations, indent=1, ensure_ascii=False), encoding="utf-8")
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, f"{path} ({lang}):\n{_report(blocking)}"
