"""Behind a reverse proxy (TRUSTED_PROXIES), the client's address and scheme come from the
proxy's headers; without it, such headers are ignored (a client could forge them)."""

from flask import request

from app import create_app

FORWARDED = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}


def _seen(**overrides):
    app = create_app("testing", SQLALCHEMY_DATABASE_URI="sqlite://", **overrides)

    @app.get("/_seen")
    def seen():
        return {"addr": request.remote_addr, "scheme": request.scheme}

    return app.test_client().get("/_seen", headers=FORWARDED).get_json()


def test_forwarded_headers_are_ignored_by_default():
    assert _seen() == {"addr": "127.0.0.1", "scheme": "http"}


def test_one_trusted_proxy_gives_the_clients_address_and_scheme():
    assert _seen(TRUSTED_PROXIES=1) == {"addr": "203.0.113.7", "scheme": "https"}
