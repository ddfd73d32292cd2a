"""The application the live-server tests serve: production settings, rate limits off."""

from app import create_app

app = create_app("default", RATELIMIT_ENABLED=False)
