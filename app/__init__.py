"""Application factory: configuration, extensions, blueprints, error handlers, commands."""

import os

from flask import Flask

from app.core.records import IdConverter
from app.core.transaction import SuiviFlask
from config import CONFIGS


def _config_name() -> str:
    name = os.environ.get("SUIVI_CONFIG")
    if name:
        return name
    return "development" if os.environ.get("FLASK_DEBUG") == "1" else "default"


def _configure(app: Flask, config: str | type | None, overrides: dict) -> None:
    """Settings from the config class and ``overrides``, with the instance folder's defaults;
    no start without a secret key outside debugging and tests."""
    config_class = CONFIGS[config or _config_name()] if not isinstance(config, type) else config
    app.config.from_object(config_class)
    app.config.update(overrides)
    os.makedirs(app.instance_path, exist_ok=True)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        path = os.path.join(app.instance_path, "suivi.db")
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{path}"
    if not app.config.get("UPLOAD_FOLDER"):
        app.config["UPLOAD_FOLDER"] = os.path.join(app.instance_path, "evidence")
    if not app.config.get("SEED_DIR"):
        app.config["SEED_DIR"] = os.path.join(os.path.dirname(app.root_path), "seed")
    if not app.config.get("SECRET_KEY") and not (app.debug or app.testing):
        raise RuntimeError("SECRET_KEY must be set (see README): Suivi will not start without it.")
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies:  # behind nginx: the client's address and scheme from X-Forwarded-For/-Proto
        from werkzeug.middleware.proxy_fix import ProxyFix

        # Flask declares wsgi_app as a method; wrapping it is how Flask documents middleware.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]


def create_app(config: str | type | None = None, **overrides: object) -> Flask:
    """Build a Suivi application. ``config`` is a name from ``config.CONFIGS`` or a class."""
    app = SuiviFlask(__name__, instance_relative_config=True)
    app.url_map.converters["id"] = IdConverter
    _configure(app, config, overrides)

    from app import extensions

    extensions.db.init_app(app)
    migrations = os.path.join(os.path.dirname(app.root_path), "migrations")
    extensions.migrate.init_app(app, extensions.db, directory=migrations, render_as_batch=True)

    from app import (
        jobs,
        models,  # noqa: F401  (register every mapped class)
    )
    from app.auth.passwords import use_fast_hashing
    from app.core import sqlite

    use_fast_hashing(bool(app.config.get("ARGON2_FAST")))
    sqlite.configure(app)
    jobs.init_app(app)

    _init_web_extensions(app)
    _register_doors(app)
    _connect_domains(app)
    return app


def _connect_domains(app: Flask) -> None:
    """What one domain hands another without importing it: the items' changes to the
    notifications, the reports' builder to the rounds, the exports' headers to the import
    (nothing but the factory imports reports)."""
    from app.imports.columns import register_header_resolver
    from app.notifications.services import init_app as init_notifications
    from app.reports.columns import column_key
    from app.reports.rounds import build_round_report
    from app.rounds.services import register_report_builder

    init_notifications(app)
    register_report_builder(app, build_round_report)
    register_header_resolver(app, column_key)


def _register_doors(app: Flask) -> None:
    """The web pages' blueprints, the API (with the reports' resource) and the commands."""
    from app.admin.views import bp as admin_bp
    from app.auth.views import bp as auth_bp
    from app.core.views import bp as core_bp
    from app.items.views import bp as items_bp
    from app.stakeholders.views import bp as organisations_bp

    app.register_blueprint(core_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(items_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(organisations_bp)

    from app.notifications.views import bp as notifications_bp

    app.register_blueprint(notifications_bp)

    from app.rounds.views import bp as rounds_bp

    app.register_blueprint(rounds_bp)

    from app.imports.views import bp as imports_bp
    from app.items.views.sources import bp as sources_bp

    app.register_blueprint(imports_bp)
    app.register_blueprint(sources_bp)

    from app.public.views.manage import bp as publication_bp
    from app.public.views.pages import bp as public_bp

    app.register_blueprint(publication_bp)
    app.register_blueprint(public_bp)

    from app.reports.views import bp as reports_bp

    app.register_blueprint(reports_bp)

    from app.api import init_api
    from app.reports.api import bp as reports_api_bp

    init_api(app, reports_api_bp)

    from app import cli

    cli.register(app)


def _init_web_extensions(app: Flask) -> None:
    """Login, CSRF, languages and rate limits, and what every page shares."""
    from app import extensions
    from app.auth import loaders  # registers the user loaders
    from app.core.web import check_catalogues, init_web, select_locale

    # The first hook registered runs last: it compresses what every other hook has finished.
    extensions.compress.init_app(app)
    extensions.login_manager.init_app(app)
    extensions.login_manager.login_view = "auth.login"
    extensions.login_manager.login_message = None
    extensions.login_manager.session_protection = "basic"
    extensions.csrf.init_app(app)
    translations = os.path.join(app.root_path, "translations")
    extensions.babel.init_app(
        app, locale_selector=select_locale, default_translation_directories=translations
    )
    check_catalogues(app, translations)
    extensions.limiter.init_app(app)
    init_web(app)
    app.after_request(loaders.keep_token_use)
