"""French everywhere a person reads (issue 13, point 12): sizes and percentages in French
units and spacing, API errors in the language asked for (or the token user's), and a
missing compiled catalogue said loudly instead of English served under lang="fr"."""

import io
import logging

from app.auth import services as auth_services
from app.core.web import check_catalogues
from app.extensions import db
from tests.factories import SYSTEM, make_item, make_org, make_user, set_status
from tests.helpers import csrf_token, login

NNBSP = "\u202f"


def _supported_item():
    lead, supporter = make_org("LEAD"), make_org("SUPP")
    item = make_item(lead=lead, supporting=[supporter])
    set_status(item, "in_progress", progress=40)
    return item, supporter


def test_api_errors_follow_accept_language_or_the_token_users_language(client):
    item, supporter = _supported_item()
    english = make_user("staff", supporter, language="en")
    french = make_user("staff", supporter, language="fr")
    tokens = {u: auth_services.create_token(SYSTEM, u, "t")[1] for u in (english, french)}
    db.session.commit()
    body = {"status": "blocked", "note": "Route coupée.", "version": item.version}

    def post(user, **headers):
        headers["Authorization"] = f"Bearer {tokens[user]}"
        return client.post(f"/api/v1/items/{item.id}/updates", json=body, headers=headers)

    asked = post(english, **{"Accept-Language": "fr"}).get_json()["error"]["message"]
    assert asked.startswith(f"SUPP appuie cet élément{NNBSP}:")
    by_profile = post(french).get_json()["error"]["message"]
    assert by_profile.startswith("SUPP appuie cet élément")
    assert post(english).get_json()["error"]["message"].startswith("SUPP supports this item")
    missing = client.get(
        "/api/v1/items/999999",
        headers={"Accept-Language": "fr", "Authorization": f"Bearer {tokens[english]}"},
    )
    assert missing.status_code == 404
    assert "999999" in missing.get_json()["error"]["message"]
    assert "No item" not in missing.get_json()["error"]["message"]
    bad = client.get(
        "/api/v1/items?per_page=1000",
        headers={"Accept-Language": "fr", "Authorization": f"Bearer {tokens[english]}"},
    ).get_json()["error"]
    assert bad["message"] == "Certains paramètres ne sont pas valides."
    assert "must be" not in bad["fields"]["per_page"]


def test_sizes_and_percentages_are_written_the_french_way(client):
    item, supporter = _supported_item()
    user = make_user("staff", supporter, language="fr")
    login(client, user)
    client.post(
        f"/items/{item.id}/evidence",
        data={
            "csrf_token": csrf_token(client, f"/items/{item.id}"),
            "title": "Compte rendu",
            "url": "",
            "file": (io.BytesIO(b"x" * 5000), "compte-rendu.txt"),
        },
        content_type="multipart/form-data",
    )
    html = client.get(f"/items/{item.id}").get_data(as_text=True)
    assert "(compte-rendu.txt, 4,9 Ko)" in html
    assert "jusqu’à 10 Mo" in html
    assert f"40{NNBSP}%" in html


def test_a_missing_catalogue_is_logged_and_said_instead_of_english_under_lang_fr(
    app, client, tmp_path, caplog
):
    with caplog.at_level(logging.ERROR):
        assert check_catalogues(app, str(tmp_path)) == ["fr"]
    assert "make translations" in caplog.text
    try:
        login(client, make_user("viewer", language="fr"))
        html = client.get("/items").get_data(as_text=True)
        assert '<html lang="en">' in html
        assert 'id="missing-catalogue"' in html
        assert "La traduction française n’est pas installée" in html
    finally:
        app.config["MISSING_CATALOGUES"] = []
    html = client.get("/items").get_data(as_text=True)
    assert '<html lang="fr">' in html
    assert 'id="missing-catalogue"' not in html
