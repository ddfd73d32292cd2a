"""The page of a large report prepared by a job, being prepared and ready, passes axe in
English and French."""

import pytest

from app.downloads.models import PREPARING, READY, PreparedFile
from app.extensions import db
from tests.browser.conftest import PASSWORDS
from tests.browser.test_accessibility import check
from tests.browser.test_french import english_left


def _prepared_file(live_server, state: str) -> int:
    from sqlalchemy import select

    from app.auth.models import User

    with live_server.app.app_context():
        email = PASSWORDS["manager"][0]
        user = db.session.scalar(select(User).where(User.email == email))
        prepared = PreparedFile(
            user_id=user.id,
            kind="report",
            format="xlsx",
            query={},
            filename="suivi-status-2026-11-30.xlsx",
            state=state,
            content=b"PK\x03\x04" if state == READY else None,
            size_bytes=4 if state == READY else 0,
        )
        db.session.add(prepared)
        db.session.commit()
        file_id = prepared.id
        db.session.remove()
    return file_id


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize(
    ("state", "query"), [(PREPARING, ""), (PREPARING, "?refresh=off"), (READY, "")]
)
def test_the_prepared_report_page_is_accessible(open_page, live_server, state, query, lang):
    file_id = _prepared_file(live_server, state)
    page = open_page(role="manager", lang=lang, axe=True)
    response = page.goto(f"/reports/files/{file_id}{query}")
    assert response.status == 200
    check(page, f"prepared-{state}{'-still' if query else ''}", lang)
    if lang == "fr":
        left = english_left(page)
        assert not left, f"English left on the French page: {left}"
