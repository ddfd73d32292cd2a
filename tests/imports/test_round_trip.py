"""What Suivi exports imports back with zero changes: the seed's XLSX (sheet Items) and CSV,
in English and in French."""

import pytest

from app.imports import services
from seed.loader import load_seed
from tests.factories import make_user
from tests.helpers import login
from tests.imports.files import stream
from tests.imports.helpers import written


@pytest.fixture
def seeded(app):
    load_seed(app.config["SEED_DIR"])
    return make_user("manager", email="exporter@example.org")


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_seed_exported_reimports_with_zero_changes(client, seeded, fmt, language):
    login(client, seeded)
    response = client.get(f"/reports/status.{fmt}", headers={"Accept-Language": language})
    assert response.status_code == 200
    before = written()
    counts = services.import_file(seeded, stream(response.data), f"status.{fmt}")
    assert counts["rows"] == counts["unchanged"] > 20
    assert (counts["new"], counts["changed"]) == (0, 0)
    assert written() == before
