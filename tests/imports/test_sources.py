"""Sources: every user reads them; a manager adds and edits one with its citation, link and
themes; imported items name it by key."""

from sqlalchemy import select

from app.extensions import db
from app.items.models import Source, Theme
from tests.factories import make_user
from tests.helpers import form_post, login
from tests.imports.files import xlsx
from tests.imports.helpers import imported, item, written

NEW = {
    "key": "eval-2026",
    "title": "Independent evaluation 2026",
    "citation": "Evaluation of the mission's mandate delivery, 2026.",
    "url": "https://example.org/eval-2026",
    "themes": "ev-1: Protection of civilians\nev-2: Rule of law\n",
}


def source(key: str) -> Source:
    db.session.expire_all()
    return db.session.scalar(select(Source).where(Source.key == key))


def test_every_user_reads_the_sources(client, world):
    login(client, make_user("viewer"))
    page = client.get("/sources")
    assert page.status_code == 200
    assert "second-report" in page.get_data(as_text=True)
    assert 'action="/sources"' not in page.get_data(as_text=True)
    assert client.get(f"/sources/{world['source'].id}").status_code == 200


def test_a_manager_adds_a_source_with_its_themes(client, world):
    login(client, world["manager"])
    response = form_post(client, "/sources", NEW)
    created = source("eval-2026")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/sources/{created.id}"
    assert (created.title, created.url) == (NEW["title"], NEW["url"])
    themes = db.session.scalars(
        select(Theme).where(Theme.source_id == created.id).order_by(Theme.code)
    )
    assert [(t.code, t.title) for t in themes] == [
        ("ev-1", "Protection of civilians"),
        ("ev-2", "Rule of law"),
    ]


def test_items_imported_name_the_new_source_and_its_themes(client, world):
    login(client, world["manager"])
    form_post(client, "/sources", NEW)
    data = xlsx(
        [("E1", "recommendation", "T", "LEADORG", "eval-2026", "ev-1; ev-2")],
        ("code", "kind", "title", "lead", "source", "themes"),
    )
    imported(world["manager"], data)
    found = item("E1")
    assert (found.source.key, [t.code for t in found.themes]) == ("eval-2026", ["ev-1", "ev-2"])


def test_editing_a_source_renames_adds_and_detaches_themes(client, world):
    login(client, world["manager"])
    form_post(client, "/sources", NEW)
    created = source("eval-2026")
    response = form_post(
        client,
        f"/sources/{created.id}",
        {
            "title": "Evaluation 2026",
            "citation": "",
            "url": "",
            "themes": "ev-1: Civilians\nev-3: Elections",
        },
    )
    assert response.status_code == 302
    edited = source("eval-2026")
    assert (edited.title, edited.url) == ("Evaluation 2026", None)
    codes = {
        t.code: (t.title, t.source_id)
        for t in db.session.scalars(select(Theme).where(Theme.code.like("ev-%")))
    }
    assert codes == {
        "ev-1": ("Civilians", edited.id),
        "ev-2": ("Rule of law", None),  # detached, not deleted
        "ev-3": ("Elections", edited.id),
    }


def test_bad_sources_are_refused_with_a_message_and_nothing_written(client, world):
    login(client, world["manager"])
    other = world["themes"][0]
    other.source = world["source"]
    db.session.flush()
    cases = [
        ({"key": "second-report"}, "second-report is already used."),
        ({"key": "two words"}, "A key is made of letters, digits, dots, dashes and underscores."),
        ({"url": "javascript:alert(1)"}, "A link must start with http:// or https://."),
        ({"themes": "no title here"}, "Line 1: write each theme as code: title."),
        ({"themes": "gov: Governance"}, "The theme gov belongs to another source."),
        ({"title": ""}, "Title is required."),
    ]
    for change, message in cases:
        before = written()
        response = form_post(client, "/sources", {**NEW, **change})
        assert response.status_code == 422, change
        assert message in response.get_data(as_text=True), change
        assert written() == before


def test_staff_cannot_add_or_edit_a_source(client, world):
    login(client, world["staff"])
    assert form_post(client, "/sources", NEW, form_path="/sources").status_code == 403
    response = form_post(
        client, f"/sources/{world['source'].id}", {"title": "X"}, form_path="/sources"
    )
    assert response.status_code == 403
    assert source("eval-2026") is None
