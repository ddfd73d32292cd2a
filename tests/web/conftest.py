"""What the web tests share: an admin logged in on the test client."""

import pytest

from tests.factories import make_user
from tests.helpers import login


@pytest.fixture
def admin(client):
    user = make_user("admin", name="Awa Admin")
    login(client, user)
    return user
