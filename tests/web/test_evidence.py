"""Evidence uploads: type checked by content, size limit, safe names, stored outside static/,
downloaded as an attachment."""

import io
import os
import zipfile

import pytest

from app.extensions import db
from app.items.evidence import sniff
from app.items.models import Evidence
from tests.factories import make_item, make_org, make_user
from tests.helpers import csrf_token, login

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n"


def _zip(names: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in names.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (PDF, "a.pdf", "application/pdf"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 20, "a.png", "image/png"),
        (b"\xff\xd8\xff\xe0" + b"\0" * 20, "a.jpg", "image/jpeg"),
        ("Région;Effectif\nGao;12\n".encode(), "a.csv", "text/csv"),
        (b"plain words", "a.txt", "text/plain"),
        (
            _zip({"[Content_Types].xml": b"x", "word/document.xml": b"x"}),
            "a.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            _zip({"[Content_Types].xml": b"x", "xl/workbook.xml": b"x"}),
            "a.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (
            _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"x"}),
            "a.odt",
            "application/vnd.oasis.opendocument.text",
        ),
        (b"MZ\x90\x00\x03\x00\x00\x00", "a.pdf", None),  # an executable named .pdf
        (b"text with a \x00 byte", "a.txt", None),
        (b"\xc3\x28 not utf-8", "a.txt", None),
        (_zip({"evil.sh": b"x"}), "a.docx", None),
        (b"<svg onload=alert(1)>", "a.svg", "text/plain"),
    ],
)
def test_sniff_judges_by_content(data, name, expected):
    assert sniff(data, name) == expected


@pytest.fixture
def uploader(client):
    org = make_org()
    item = make_item(lead=org)
    login(client, make_user("staff", organisation=org))
    return item


def _upload(client, item, data: bytes, filename: str, **fields):
    token = csrf_token(client, f"/items/{item.id}")
    return client.post(
        f"/items/{item.id}/evidence",
        content_type="multipart/form-data",
        data={
            "csrf_token": token,
            "title": "",
            "url": "",
            "file": (io.BytesIO(data), filename),
            **fields,
        },
    )


def test_upload_is_stored_under_a_random_name_and_downloaded_as_attachment(client, app, uploader):
    response = _upload(client, uploader, PDF, "Rapport été 2015.pdf", title="Report")
    assert response.status_code == 302
    evidence = db.session.query(Evidence).filter_by(item_id=uploader.id).one()
    assert evidence.filename == "Rapport été 2015.pdf"
    assert evidence.content_type == "application/pdf"
    assert evidence.size_bytes == len(PDF)
    path = os.path.join(app.config["UPLOAD_FOLDER"], evidence.stored_name)
    assert os.path.isfile(path)
    assert "static" not in path
    assert "Rapport" not in path
    download = client.get(f"/evidence/{evidence.id}/download")
    assert download.status_code == 200
    assert download.data == PDF
    disposition = download.headers["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert "Rapport_ete_2015.pdf" in disposition
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert "Report" in client.get(f"/items/{uploader.id}").get_data(as_text=True)


@pytest.mark.parametrize(
    ("data", "filename", "words"),
    [
        (b"MZ\x90\x00 executable", "setup.pdf", "not accepted"),
        (PDF, "../../etc/passwd.pdf", "plain name"),
        (PDF, "..\\windows\\x.pdf", "plain name"),
        (PDF, ".hidden.pdf", "plain name"),
        (b"", "empty.txt", "empty"),
    ],
)
def test_bad_uploads_are_refused_and_nothing_is_written(
    client, app, uploader, data, filename, words
):
    folder = app.config["UPLOAD_FOLDER"]
    before = set(os.listdir(folder)) if os.path.isdir(folder) else set()
    response = _upload(client, uploader, data, filename)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert words in html
    assert 'id="ev-file-error"' in html
    assert db.session.query(Evidence).count() == 0
    after = set(os.listdir(folder)) if os.path.isdir(folder) else set()
    assert after == before


def test_upload_over_the_size_limit_is_refused(client, app, uploader, monkeypatch):
    monkeypatch.setitem(app.config, "EVIDENCE_MAX_BYTES", 100)
    response = _upload(client, uploader, PDF + b"x" * 200, "big.pdf")
    assert response.status_code == 422
    assert "larger than" in response.get_data(as_text=True)
    assert db.session.query(Evidence).count() == 0


def test_link_evidence_and_either_file_or_link(client, uploader):
    token = csrf_token(client, f"/items/{uploader.id}")
    path = f"/items/{uploader.id}/evidence"
    response = client.post(path, data={"csrf_token": token, "url": "javascript:alert(1)"})
    assert response.status_code == 422
    assert "http" in response.get_data(as_text=True)
    response = client.post(path, data={"csrf_token": token, "url": ""})
    assert response.status_code == 422
    response = client.post(
        path, data={"csrf_token": token, "url": "https://example.org/r", "title": "Online report"}
    )
    assert response.status_code == 302
    html = client.get(f"/items/{uploader.id}").get_data(as_text=True)
    assert 'href="https://example.org/r"' in html
    assert "Online report" in html
    link = db.session.query(Evidence).one()
    assert client.get(f"/evidence/{link.id}/download").status_code == 404
    assert client.get("/evidence/99999/download").status_code == 404


def test_outsiders_cannot_attach(client):
    item = make_item()
    login(client, make_user("staff"))
    response = _upload(client, item, PDF, "a.pdf")
    assert response.status_code == 403


def test_download_names_are_made_safe():
    from app.items.evidence import download_name

    assert download_name("Rapport final (v2).pdf") == "Rapport_final_v2.pdf"
    assert download_name("日本語") == "evidence"
    assert download_name(None) == "evidence"
    assert "/" not in download_name("a/../../b.pdf")


def test_viewers_download_but_do_not_upload(client, uploader):
    assert _upload(client, uploader, PDF, "r.pdf").status_code == 302
    evidence = db.session.query(Evidence).one()
    viewer = client.application.test_client()
    login(viewer, make_user("viewer"))
    assert viewer.get(f"/evidence/{evidence.id}/download").data == PDF
    assert 'enctype="multipart/form-data"' not in viewer.get(f"/items/{uploader.id}").get_data(
        as_text=True
    )
    assert _upload(viewer, uploader, PDF, "r.pdf").status_code == 403
