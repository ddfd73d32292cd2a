"""The API fixtures (users with tokens) for the formal responses' tests."""

from tests.api.conftest import (  # noqa: F401  (fixtures)
    admin,
    admin_api,
    anon_api,
    api_for,
    manager,
    manager_api,
    org,
    staff,
    staff_api,
    viewer,
    viewer_api,
)
