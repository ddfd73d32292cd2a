"""The public view's fixtures: the view switched on, and published items."""

import pytest

from app.extensions import db
from app.public import services
from tests.factories import SYSTEM, make_item, make_org, make_user


@pytest.fixture
def public_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_VIEW", True)


@pytest.fixture
def manager():
    return make_user("manager", name="Mariam Manager")


def publish(item, summary: str = "What the public should know.", actor=None):
    """Publish ``item`` with ``summary`` as the system (or ``actor``)."""
    publication = services.publication_of(item)
    version = publication.version if publication else 0
    services.publish_item(actor or SYSTEM, item, summary, version)
    db.session.flush()
    return item


@pytest.fixture
def published():
    lead = make_org("PUBLEAD", name="Public Lead Organisation")
    item = make_item(lead=lead, title="Deploy the police in the north", code="R-PUB")
    publish(item, "The police **are** deploying.")
    db.session.commit()
    return item
