"""Large reports off the request: beyond REPORT_JOB_THRESHOLD items an XLSX or PDF is built
by a job into a file only its requester may fetch; the request answers at once with a page
that refreshes itself until the file is ready. Inline without Redis, on RQ with it."""

import pytest

from app.downloads.models import PreparedFile
from app.extensions import db
from app.reports import exports
from tests.factories import make_item, make_org, make_user
from tests.helpers import login
from tests.jobs.test_queue import _work

XLSX_MAGIC = b"PK\x03\x04"


@pytest.fixture
def asker(app, client):
    org = make_org("BIG")
    for n in range(4):
        make_item(lead=org, title=f"Item of a large report {n}")
    user = make_user("viewer", organisation=org)
    db.session.commit()
    login(client, user)
    saved = app.config["REPORT_JOB_THRESHOLD"]
    app.config["REPORT_JOB_THRESHOLD"] = 3
    yield user
    app.config["REPORT_JOB_THRESHOLD"] = saved


def _file(file_id: int) -> PreparedFile:
    db.session.expire_all()
    return db.session.get(PreparedFile, file_id)


def test_a_large_xlsx_is_prepared_by_a_job_and_offered_when_ready(client, asker):
    answer = client.get("/reports/status.xlsx?kind=recommendation")
    assert answer.status_code == 303
    page_url = answer.headers["Location"]
    prepared = _file(int(page_url.rsplit("/", 1)[1]))
    assert (prepared.user_id, prepared.format, prepared.query) == (
        asker.id,
        "xlsx",
        {"kind": "recommendation"},
    )
    page = client.get(page_url)  # without Redis: built inline
    assert "Your report is ready" in page.get_data(as_text=True)
    assert "Refresh" not in page.headers
    download = client.get(f"{page_url}/download")
    assert download.status_code == 200
    assert download.data.startswith(XLSX_MAGIC)
    assert prepared.filename in download.headers["Content-Disposition"]


def test_a_large_pdf_is_prepared_too(client, asker):
    answer = client.get("/reports/status.pdf")
    assert answer.status_code == 303
    download = client.get(answer.headers["Location"] + "/download")
    assert download.data.startswith(b"%PDF")


def test_a_report_within_the_threshold_is_sent_at_once(app, client, asker):
    app.config["REPORT_JOB_THRESHOLD"] = 4
    answer = client.get("/reports/status.xlsx")
    assert answer.status_code == 200
    assert answer.data.startswith(XLSX_MAGIC)
    assert db.session.query(PreparedFile).count() == 0


def test_the_page_refreshes_itself_while_the_file_is_being_prepared(client, asker, monkeypatch):
    monkeypatch.setattr("app.jobs.queue.dispatch", lambda job_ids: None)  # never runs
    page_url = client.get("/reports/status.xlsx").headers["Location"]
    page = client.get(page_url)
    assert page.status_code == 200
    assert "Your report is being prepared" in page.get_data(as_text=True)
    assert page.headers["Refresh"] == "5"
    assert client.get(f"{page_url}/download").status_code == 404


def test_the_reader_may_stop_the_page_refreshing_itself(client, asker, monkeypatch):
    monkeypatch.setattr("app.jobs.queue.dispatch", lambda job_ids: None)
    page_url = client.get("/reports/status.xlsx").headers["Location"]
    assert f"{page_url}?refresh=off" in client.get(page_url).get_data(as_text=True)
    still = client.get(f"{page_url}?refresh=off")
    assert "Refresh" not in still.headers
    assert "Your report is being prepared" in still.get_data(as_text=True)


def test_asking_twice_while_it_is_prepared_queues_one_file(client, asker, monkeypatch):
    monkeypatch.setattr("app.jobs.queue.dispatch", lambda job_ids: None)
    first = client.get("/reports/status.xlsx?q=report").headers["Location"]
    second = client.get("/reports/status.xlsx?q=report").headers["Location"]
    other = client.get("/reports/status.xlsx?q=large").headers["Location"]
    assert first == second != other


def test_only_the_user_who_asked_may_see_or_fetch_the_file(app, client, asker):
    page_url = client.get("/reports/status.xlsx").headers["Location"]
    other = app.test_client()
    login(other, make_user("manager"))
    assert other.get(page_url).status_code == 404
    assert other.get(f"{page_url}/download").status_code == 404


def test_a_file_whose_job_failed_says_so(client, asker, monkeypatch):
    def broken(fmt, spec):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(exports, "export_bytes", broken)
    page_url = client.get("/reports/status.xlsx").headers["Location"]
    page = client.get(page_url)
    assert "The report could not be prepared" in page.get_data(as_text=True)
    assert "Refresh" not in page.headers


def test_on_redis_the_request_only_queues_and_a_worker_builds_the_file(client, asker, redis_queue):
    connection, token = redis_queue
    page_url = client.get("/reports/status.xlsx").headers["Location"]
    assert connection.llen(f"rq:queue:{token}") == 1
    assert "Your report is being prepared" in client.get(page_url).get_data(as_text=True)
    _work(connection, token)
    assert "Your report is ready" in client.get(page_url).get_data(as_text=True)
    assert client.get(f"{page_url}/download").data.startswith(XLSX_MAGIC)
