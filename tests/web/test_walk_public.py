"""The permissions walk over the public view switched on (the main walk runs it off, where
every role gets 404): every role, logged in or not, reads the published item's pages and
feeds, and nothing is changed by reading them."""

import pytest

from app.extensions import db
from tests.factories import SYSTEM
from tests.public.conftest import publish
from tests.web.test_permissions_walk import test_walk as walk_one
from tests.web.walk import CASES, build_world

PUBLIC_CASES = [case for case in CASES if case[0].startswith("public.")]


@pytest.fixture
def world(app, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_VIEW", True)
    built = build_world(app)
    publish(built["item"], "Published for the walk.", actor=SYSTEM)
    db.session.commit()
    return built


def test_the_public_routes_are_walked():
    assert {case[0] for case in PUBLIC_CASES} == {
        "public.index",
        "public.detail",
        "public.items_csv",
        "public.items_json",
    }


@pytest.mark.parametrize(
    ("endpoint", "rule", "method"), PUBLIC_CASES, ids=[f"{e}:{m}" for e, _, m in PUBLIC_CASES]
)
def test_walk_with_the_public_view_on(app, world, endpoint, rule, method):
    walk_one(app, world, endpoint, rule, method)
