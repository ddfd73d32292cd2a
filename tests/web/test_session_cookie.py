"""Files never send the session cookie back: a stylesheet or the service worker fetched beside
a form's post must not answer with the session as it stood before the post (it would take the
post's message, and the drafts' marker, away). Pages still refresh it."""

import pytest

from tests.factories import make_user
from tests.helpers import login


@pytest.fixture
def logged_in(client):
    login(client, make_user("staff"))
    return client


@pytest.mark.parametrize("path", ["/static/css/suivi.css", "/static/js/drafts.js", "/sw.js"])
def test_a_file_does_not_send_the_session_cookie_back(logged_in, path):
    response = logged_in.get(path)
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers


def test_a_page_still_refreshes_the_session_cookie(logged_in):
    response = logged_in.get("/profile")
    assert response.status_code == 200
    assert response.headers["Set-Cookie"].startswith("session=")
