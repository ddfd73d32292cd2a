"""Users, roles, login and logout, password hashing and API tokens."""
