"""API test helpers: users with tokens, and a client that sends JSON with a bearer token."""

import pytest

from app.auth import services as auth_services
from app.extensions import db
from tests.factories import SYSTEM, make_org, make_user


def token_for(user, name: str = "tests") -> str:
    _record, plaintext = auth_services.create_token(SYSTEM, user, name)
    db.session.flush()
    return plaintext


class Api:
    """Calls /api/v1 with ``Authorization: Bearer <token>``."""

    def __init__(self, client, token: str | None):
        self.client = client
        self.token = token

    def headers(self, extra=None):
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        headers.update(extra or {})
        return headers

    def get(self, path, **kwargs):
        return self.client.get(
            "/api/v1" + path, headers=self.headers(kwargs.pop("headers", None)), **kwargs
        )

    def post(self, path, json=None, **kwargs):
        return self.client.post(
            "/api/v1" + path, json=json, headers=self.headers(kwargs.pop("headers", None)), **kwargs
        )

    def patch(self, path, json=None, **kwargs):
        return self.client.patch(
            "/api/v1" + path, json=json, headers=self.headers(kwargs.pop("headers", None)), **kwargs
        )

    def raw(self, method, path, **kwargs):
        return self.client.open(
            "/api/v1" + path,
            method=method,
            headers=self.headers(kwargs.pop("headers", None)),
            **kwargs,
        )


def assert_error(response, status: int, code: str | None = None):
    """The response is an API error with this status (and code)."""
    assert response.status_code == status, response.get_data(as_text=True)[:800]
    assert response.mimetype == "application/json", response.get_data(as_text=True)[:300]
    body = response.get_json()
    assert set(body["error"]) >= {"code", "message", "fields"}, body
    assert isinstance(body["error"]["message"], str)
    assert body["error"]["message"]
    assert isinstance(body["error"]["fields"], dict)
    if code is not None:
        assert body["error"]["code"] == code, body
    return body


@pytest.fixture
def org():
    return make_org()


@pytest.fixture
def admin(org):
    return make_user("admin", org)


@pytest.fixture
def manager(org):
    return make_user("manager", org)


@pytest.fixture
def staff(org):
    return make_user("staff", org)


@pytest.fixture
def viewer(org):
    return make_user("viewer", org)


@pytest.fixture
def api_for(client):
    def build(user):
        return Api(client, token_for(user))

    return build


@pytest.fixture
def admin_api(api_for, admin):
    return api_for(admin)


@pytest.fixture
def manager_api(api_for, manager):
    return api_for(manager)


@pytest.fixture
def staff_api(api_for, staff):
    return api_for(staff)


@pytest.fixture
def viewer_api(api_for, viewer):
    return api_for(viewer)


@pytest.fixture
def anon_api(client):
    return Api(client, None)
