"""User and organisation management screens (admins only)."""
