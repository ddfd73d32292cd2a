"""The JSON API under /api/v1: bearer tokens only, one module per resource, and the OpenAPI
description built by flask-smorest from the same marshmallow schemas that validate requests."""

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from flask_smorest import Api, Blueprint

from app.api import errors
from app.api.schemas.common import ErrorSchema

DOCS_BLUEPRINT = "api-docs"  # flask-smorest's blueprint serving /api/v1/openapi.json
API_CONFIG = {
    "API_TITLE": "Suivi API",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/api/v1",
    "OPENAPI_JSON_PATH": "openapi.json",
    # No Swagger UI, ReDoc or RapiDoc: they load scripts from a CDN.
    "OPENAPI_SWAGGER_UI_PATH": None,
    "OPENAPI_REDOC_PATH": None,
    "OPENAPI_RAPIDOC_PATH": None,
    # Per token (or per address without one), across the whole API.
    "API_RATELIMIT": "300 per minute",
    "API_RATELIMIT_PER_ADDRESS": "1200 per minute",
}
_limited = False


class SuiviApi(Api):
    """flask-smorest's Api, with Suivi's error shape and no application-wide error handler
    (the web pages keep theirs; the API's are registered on its blueprints)."""

    ERROR_SCHEMA = ErrorSchema

    def _register_error_handlers(self):
        pass

    def handle_http_exception(self, error):
        return errors.handle_http_exception(error)


def _blueprints():
    from app.api import (
        comments,
        evidence,
        history,
        imports,
        indicators,
        items,
        me,
        organisations,
        responses,
        rounds,
        themes,
        updates,
    )

    return [
        me.bp,
        organisations.bp,
        themes.bp,
        items.bp,
        updates.bp,
        comments.bp,
        responses.bp,
        history.bp,
        evidence.bp,
        indicators.bp,
        rounds.bp,
        imports.bp,
    ]


def _apply_rate_limits(blueprints) -> None:
    """Once per process: the limiter keeps blueprint limits by name, across applications."""
    global _limited
    if _limited:
        return
    from flask import current_app
    from flask_limiter.util import get_remote_address

    from app.api.base import rate_limit_key
    from app.extensions import limiter

    for bp in blueprints:
        limiter.shared_limit(
            lambda: current_app.config["API_RATELIMIT"], scope="api-token", key_func=rate_limit_key
        )(bp)
        limiter.shared_limit(
            lambda: current_app.config["API_RATELIMIT_PER_ADDRESS"],
            scope="api-address",
            key_func=get_remote_address,
        )(bp)
    _limited = True


def init_api(app: Flask, *more: Blueprint) -> SuiviApi:
    """Register the API's blueprints and ``more`` made with ``ApiBlueprint`` elsewhere (the
    reports' summary), its description, and its exemption from CSRF (the API takes no cookies,
    so there is no cross-site request to forge)."""
    from app.api.base import StatelessApiSessions, authenticate
    from app.extensions import csrf

    for key, value in API_CONFIG.items():
        app.config.setdefault(key, value)
    api = SuiviApi(
        app,
        spec_kwargs={
            "info": {
                "description": "Suivi's JSON API. Every request carries "
                "`Authorization: Bearer <token>` (`flask users token EMAIL`)."
            },
            "security": [{"bearerAuth": []}],
        },
    )
    api.spec.components.security_scheme(
        "bearerAuth",
        {
            "type": "http",
            "scheme": "bearer",
            "description": "An API token made with `flask users token EMAIL`.",
        },
    )
    docs_rule = next(
        r for r in app.url_map.iter_rules() if r.endpoint == f"{DOCS_BLUEPRINT}.openapi_json"
    )
    api.spec.path(
        rule=docs_rule,
        operations={
            "get": {
                "summary": "This description (OpenAPI 3).",
                "tags": ["openapi"],
                "responses": {
                    "200": {
                        "description": "The OpenAPI description.",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    },
                    "401": {"$ref": "#/components/responses/UNAUTHORIZED"},
                    "429": {"$ref": "#/components/responses/TOO_MANY_REQUESTS"},
                },
            }
        },
    )
    blueprints = [*_blueprints(), *more]
    for bp in blueprints:
        api.register_blueprint(bp)
        csrf.exempt(bp)
    _apply_rate_limits(blueprints)
    # The description is served by flask-smorest's own blueprint: it takes a token too.
    app.before_request_funcs.setdefault(DOCS_BLUEPRINT, []).append(authenticate)
    if type(app.session_interface) is SecureCookieSessionInterface:
        app.session_interface = StatelessApiSessions()
    return api
