"""The server's side of drafts.js: the forms name their draft, the page after a successful
post names the draft the server received (and only then), and the script stays within its
budget, from Suivi's own host, with no inline script."""

import re
from pathlib import Path

import pytest

from app.extensions import db
from tests.factories import make_item, make_org, make_user, set_status
from tests.helpers import csrf_token, login

JS = Path(__file__).resolve().parents[2] / "app" / "static" / "js"
# The budget, in bytes of "minified-equivalent" text (comments, indentation and blank lines
# removed): drafts.js alone, and all of Suivi's own scripts together.
DRAFTS_BUDGET = 6 * 1024
ALL_SCRIPTS_BUDGET = 9 * 1024  # items.js grows with the item pages


def minified_size(source: str) -> int:
    """The size of ``source`` without comments, indentation and blank lines (what a
    minifier would at least take away)."""
    text = re.sub(r"/\*.*?\*/", "", source, flags=re.DOTALL)
    text = re.sub(r"(?m)^\s*//.*$", "", text)
    text = re.sub(r"(?m)\s+//[^\"'\n]*$", "", text)
    return len("\n".join(line.strip() for line in text.splitlines() if line.strip()).encode())


def test_the_scripts_stay_within_their_budget():
    sizes = {path.name: minified_size(path.read_text()) for path in JS.glob("*.js")}
    assert sizes["drafts.js"] <= DRAFTS_BUDGET, sizes
    assert sum(sizes.values()) <= ALL_SCRIPTS_BUDGET, sizes


def test_the_scripts_load_nothing_from_another_host():
    for path in JS.glob("*.js"):
        assert not re.search(r"https?://|//[a-z0-9.-]+\.[a-z]{2,}/", path.read_text()), path


@pytest.fixture
def staff_item(client):
    lead = make_org("DRAFTLEAD")
    staff = make_user("staff", organisation=lead)
    item = make_item(lead=lead, title="Drafted item")
    set_status(item, "in_progress")
    db.session.commit()
    login(client, staff)
    return staff, item


def _marker(html: str) -> list[str]:
    return re.findall(r'data-draft-sent="([^"]+)"', html)


def test_the_forms_name_their_draft_and_load_only_our_own_scripts(client, staff_item):
    staff, item = staff_item
    html = client.get(f"/items/{item.id}").get_data(as_text=True)
    keys = re.findall(r'data-draft="([^"]+)"', html)
    assert keys == [f"{staff.id}:{item.id}:{form}" for form in ("update", "evidence", "comment")]
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.DOTALL)
    assert scripts
    assert all(re.search(r'src="/static/js/\w+\.js\?v=\w+"', a) and not b for a, b in scripts)


@pytest.mark.parametrize(
    ("form", "path", "data"),
    [
        ("update", "updates", {"status": "in_progress", "progress": "50", "note": "Done."}),
        ("comment", "comments", {"body": "A comment."}),
        ("evidence", "evidence", {"title": "Minutes", "url": "https://example.org/m"}),
    ],
)
def test_the_page_after_a_successful_post_names_the_draft_once(
    client, staff_item, form, path, data
):
    staff, item = staff_item
    token = csrf_token(client, f"/items/{item.id}")
    data = {**data, "version": str(item.version), "csrf_token": token}
    response = client.post(f"/items/{item.id}/{path}", data=data)
    assert response.status_code == 302
    after = client.get(f"/items/{item.id}").get_data(as_text=True)
    assert _marker(after) == [f"{staff.id}:{item.id}:{form}"]
    assert 'class="flash flash-draft-sent"' not in after  # a marker, not a message
    assert _marker(client.get(f"/items/{item.id}").get_data(as_text=True)) == []


def test_a_refused_or_conflicting_post_names_no_draft(client, staff_item):
    _staff, item = staff_item
    token = csrf_token(client, f"/items/{item.id}")
    refused = client.post(
        f"/items/{item.id}/updates",
        data={"status": "blocked", "note": "", "version": str(item.version), "csrf_token": token},
    )
    assert refused.status_code == 422
    conflict = client.post(
        f"/items/{item.id}/updates",
        data={"status": "in_progress", "note": "Late.", "version": "1", "csrf_token": token},
    )
    assert conflict.status_code == 409
    for response in (refused, conflict, client.get(f"/items/{item.id}")):
        assert _marker(response.get_data(as_text=True)) == []


def test_the_service_worker_is_served_from_the_root_to_anyone(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    assert b"suivi-pages-v1" in response.data
