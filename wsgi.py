"""WSGI entry point: ``app`` for servers and ``flask --app wsgi``."""

from app import create_app

app = create_app()
