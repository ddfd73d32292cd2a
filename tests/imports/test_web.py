"""The import pages without JavaScript: upload, preview, confirm with CSRF, result; and the
template."""

import io
import re

from openpyxl import load_workbook

from tests.helpers import csrf_token, login
from tests.imports.files import xlsx
from tests.imports.helpers import item, written

GOOD = [("W1", "challenge", "Roads are unsafe", "LEADORG"), ("W2", "action", "Escort", "LEADORG")]


def upload(client, data: bytes, name: str = "second.xlsx"):
    token = csrf_token(client, "/imports")
    return client.post("/imports", data={"csrf_token": token, "file": (io.BytesIO(data), name)})


def test_upload_preview_confirm_and_result(client, world):
    login(client, world["manager"])
    response = upload(client, xlsx(GOOD))
    assert response.status_code == 303
    preview = client.get(response.headers["Location"])
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "Import 2 new and 0 changed items" in html
    assert written()[0] == 0  # the preview writes nothing
    fingerprint = re.search(r'name="fingerprint" value="([0-9a-f]+)"', html).group(1)
    confirmed = client.post(
        response.headers["Location"],
        data={
            "csrf_token": csrf_token(client, response.headers["Location"]),
            "fingerprint": fingerprint,
        },
    )
    assert confirmed.status_code == 303
    result = client.get(confirmed.headers["Location"])
    page = result.get_data(as_text=True)
    assert result.status_code == 200
    assert f'href="/items/{item("W1").id}"' in page
    assert "The file was imported." in page


def test_a_preview_with_errors_has_no_confirm_button_and_names_each_problem(client, world):
    login(client, world["manager"])
    response = upload(client, xlsx([("W1", "challenge", "T", "LEADORX")]))
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Unknown organisation LEADORX: did you mean LEADORG?" in html
    assert 'name="fingerprint"' not in html


def test_confirming_a_file_in_error_is_refused_and_writes_nothing(client, world):
    login(client, world["manager"])
    location = upload(client, xlsx([("W1", "challenge", "T", "LEADORX")])).headers["Location"]
    before = written()
    response = client.post(
        location, data={"csrf_token": csrf_token(client, location), "fingerprint": "x"}
    )
    assert response.status_code == 422
    assert written() == before


def test_a_plan_changed_since_the_preview_is_shown_again(client, world):
    login(client, world["manager"])
    location = upload(client, xlsx(GOOD)).headers["Location"]
    response = client.post(
        location, data={"csrf_token": csrf_token(client, location), "fingerprint": "0" * 64}
    )
    assert response.status_code == 409
    assert "Suivi changed since your preview" in response.get_data(as_text=True)
    assert written()[0] == 0


def test_confirm_without_csrf_is_refused(client, world):
    login(client, world["manager"])
    location = upload(client, xlsx(GOOD)).headers["Location"]
    assert client.post(location, data={"fingerprint": "x"}).status_code == 400
    assert written()[0] == 0


def test_an_upload_without_a_file_is_422(client, world):
    login(client, world["manager"])
    response = client.post("/imports", data={"csrf_token": csrf_token(client, "/imports")})
    assert response.status_code == 422
    assert "Choose a file." in response.get_data(as_text=True)


def test_an_unreadable_file_is_previewed_with_its_problem(client, world):
    login(client, world["manager"])
    location = upload(client, b"\x89PNG\r\n\x1a\n" + b"\0" * 50, "photo.xlsx").headers["Location"]
    html = client.get(location).get_data(as_text=True)
    assert "not a spreadsheet Suivi can read" in html


def test_staff_cannot_see_the_import_pages(client, world):
    login(client, world["staff"])
    assert client.get("/imports").status_code == 403
    assert client.get("/imports/template.xlsx").status_code == 403


def test_an_unknown_upload_is_404(client, world):
    login(client, world["manager"])
    assert client.get("/imports/" + "a" * 64).status_code == 404
    assert client.get("/imports/not-a-digest").status_code == 404


def test_the_template_has_the_columns_hints_and_valid_values(client, world):
    login(client, world["manager"])
    response = client.get("/imports/template.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    items, values = book["Items"], book["Values"]
    header = [c.value for c in items[1]]
    assert header[:4] == ["code", "kind", "title", "text"]
    assert items["A2"].value.startswith("#")
    lists = {
        values.cell(1, c).value: [values.cell(r, c).value for r in range(2, values.max_row + 1)]
        for c in range(1, 7)
    }
    assert "LEADORG" in lists["lead"]
    assert "gov" in lists["themes"]
    assert "second-report" in lists["source"]
    assert any("Values!$B$2" in str(v.formula1) for v in items.data_validations.dataValidation)


def test_the_template_imports_as_an_empty_file(client, world):
    login(client, world["manager"])
    data = client.get("/imports/template.xlsx").data
    from app.imports import services
    from tests.imports.files import stream

    assert services.plan_file(world["manager"], stream(data)).counts()["rows"] == 0


def test_the_preview_lists_at_most_500_problems_and_counts_the_rest(client, world):
    login(client, world["manager"])
    rows = [(f"X{n}", "challenge", "T", "NOSUCHORG") for n in range(600)]
    html = client.get(upload(client, xlsx(rows)).headers["Location"]).get_data(as_text=True)
    assert html.count("Unknown organisation NOSUCHORG") == 500
    assert "And 100 more problems." in html


def test_uploads_older_than_a_week_are_removed(client, world, app):
    import os
    import time

    from app.imports import uploads

    login(client, world["manager"])
    old = upload(client, xlsx(GOOD), "old.xlsx").headers["Location"].rsplit("/", 1)[-1]
    week_ago = time.time() - uploads.KEEP_SECONDS - 60
    with app.app_context():
        path = os.path.join(uploads.folder(), old)
    os.utime(path, (week_ago, week_ago))
    upload(client, xlsx([("W9", "challenge", "Another", "LEADORG")]), "new.xlsx")
    assert not os.path.exists(path)
    assert client.get(f"/imports/{old}").status_code == 404
