"""Schemathesis over the whole OpenAPI description, in process: no server error, and every
response (errors included) has a documented status, content type and shape."""

import contextvars
import itertools

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from app import create_app
from app.extensions import db
from app.items import services as item_services
from tests.api.conftest import token_for
from tests.factories import SYSTEM, make_item, make_org, make_user, set_status

MAX_EXAMPLES = 40  # per operation and mode; ~20 s for the 17 operations
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


@pytest.fixture
def fuzz_world():
    """A few organisations, items in various states, an indicator; an admin's token."""
    lead, other = make_org(), make_org()
    admin = make_user("admin", lead)
    items = [make_item(lead=lead, supporting=[other]) for _ in range(3)]
    set_status(items[1], "in_progress")
    item_services.add_comment(SYSTEM, items[0], "A *comment*.")
    item_services.create_indicator(
        SYSTEM, items[0], name="Deployed police", unit="officers", baseline_value=1052
    )
    db.session.flush()
    return {
        # Schemathesis' WSGI transport does not undo a Content-Encoding as an HTTP client
        # does, so the fuzzed API is read uncompressed (tests/web/test_wire.py checks that).
        "headers": {"Authorization": f"Bearer {token_for(admin)}", "Accept-Encoding": "identity"},
        "item_ids": [i.id for i in items],
        "indicator_id": items[0].indicators[0].id,
    }


def _description() -> dict:
    """The description as the API serves it (built by an application of its own, since the
    tests' application is a fixture and operations are collected at import)."""
    app = create_app("testing", SQLALCHEMY_DATABASE_URI="sqlite://")
    with app.test_request_context():
        return app.extensions["flask-smorest"]["apis"][""]["ext_obj"].spec.to_dict()


schema = schemathesis.openapi.from_dict(_description())
schema.config.generation.update(
    max_examples=MAX_EXAMPLES,
    deterministic=True,
    database="none",
    with_security_parameters=False,  # the admin's real token is sent with every case
    modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
)
_turn = itertools.count()


def test_the_description_is_the_one_served(admin_api):
    response = admin_api.get("/openapi.json")
    assert response.status_code == 200
    assert response.get_json() == _description()


@schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_description(case, app, fuzz_world):
    # Every other valid case aims at records that exist, so 2xx answers are exercised too.
    if case.meta.generation.mode == GenerationMode.POSITIVE and next(_turn) % 2 == 0:
        if isinstance(case.path_parameters, dict) and isinstance(
            case.path_parameters.get("item_id"), int
        ):
            case.path_parameters["item_id"] = fuzz_world["item_ids"][0]
        if isinstance(case.path_parameters, dict) and isinstance(
            case.path_parameters.get("indicator_id"), int
        ):
            case.path_parameters["indicator_id"] = fuzz_world["indicator_id"]
    contextvars.Context().run(
        case.call_and_validate, app=app, headers=fuzz_world["headers"], checks=CHECKS
    )
