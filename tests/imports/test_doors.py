"""The same import through the API and the command line: counts on success, every problem
named and nothing written on refusal."""

import io

from app.extensions import db
from tests.api.conftest import token_for
from tests.imports.files import csv_bytes, xlsx
from tests.imports.helpers import item, written

GOOD = [("A1", "challenge", "Insecurity in the centre", "LEADORG")]
BAD = [("A1", "challenge", "Insecurity", "LEADORGX"), ("A2", "chalenge", "T", "LEADORG")]


def post(client, token, data=None, filename="f.xlsx", **form):
    body = dict(form)
    if data is not None:
        body["file"] = (io.BytesIO(data), filename)
    return client.post(
        "/api/v1/imports",
        data=body,
        headers={"Authorization": f"Bearer {token}"},
        content_type="multipart/form-data",
    )


def test_api_imports_and_answers_201_with_the_counts(client, world):
    response = post(client, token_for(world["manager"]), xlsx(GOOD))
    assert response.status_code == 201
    assert response.get_json() == {
        "dry_run": False,
        "rows": 1,
        "new": 1,
        "changed": 0,
        "unchanged": 0,
    }
    assert item("A1").title == "Insecurity in the centre"


def test_api_dry_run_counts_and_writes_nothing(client, world):
    token = token_for(world["manager"])
    before = written()
    response = post(client, token, xlsx(GOOD), dry_run="true")
    assert response.status_code == 201
    assert response.get_json()["new"] == 1
    assert response.get_json()["dry_run"] is True
    assert written() == before


def test_api_answers_422_with_every_problem_and_writes_nothing(client, world):
    token = token_for(world["manager"])
    before = written()
    response = post(client, token, xlsx(BAD))
    assert response.status_code == 422
    body = response.get_json()
    assert body["errors"] == [
        {
            "row": 2,
            "column": "lead",
            "message": "Unknown organisation LEADORGX: did you mean LEADORG?",
        },
        {
            "row": 3,
            "column": "kind",
            "message": "Unknown kind chalenge; use one of: challenge, recommendation, action, "
            "opportunity.",
        },
    ]
    assert body["error"]["code"] == "import_refused"
    assert body["error"]["message"] == "Problems in the file: 2. Nothing was imported."
    assert written() == before


def test_api_refuses_an_unreadable_file_with_422(client, world):
    response = post(client, token_for(world["manager"]), b"", "empty.csv")
    assert response.status_code == 422
    assert response.get_json()["errors"] == [
        {"row": 0, "column": "", "message": "The file is empty."}
    ]


def test_api_without_a_file_is_422(client, world):
    response = post(client, token_for(world["manager"]), None, dry_run="true")
    assert response.status_code == 422
    assert "file" in response.get_json()["error"]["fields"]


def test_api_refuses_json_with_415(client, world):
    response = client.post(
        "/api/v1/imports",
        json={"file": "x"},
        headers={"Authorization": f"Bearer {token_for(world['manager'])}"},
    )
    assert response.status_code == 415


def test_api_refuses_staff_with_403(client, world):
    token = token_for(world["staff"])
    before = written()
    response = post(client, token, xlsx(GOOD))
    assert response.status_code == 403
    assert written() == before


def test_cli_imports_and_says_what_it_did(cli, world, tmp_path):
    path = tmp_path / "second.csv"
    path.write_bytes(csv_bytes(GOOD, delimiter=";"))
    db.session.commit()  # the command's dry run rolls back what is not committed
    result = cli.invoke(args=["import", str(path), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Would import 1 rows: 1 new, 0 changed, 0 unchanged." in result.output
    result = cli.invoke(args=["import", str(path)])
    assert result.exit_code == 0, result.output
    assert "Imported 1 rows: 1 new, 0 changed, 0 unchanged." in result.output
    assert item("A1").lead.acronym == "LEADORG"


def test_cli_exits_non_zero_naming_each_problem_and_writes_nothing(cli, world, tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(xlsx(BAD))
    db.session.commit()
    before = written()
    result = cli.invoke(args=["import", str(path)])
    assert result.exit_code == 1
    assert "row 2, lead: Unknown organisation LEADORGX: did you mean LEADORG?" in result.output
    assert "row 3, kind: Unknown kind chalenge" in result.output
    assert "Error: Problems in the file: 2. Nothing was imported." in result.output
    assert written() == before
