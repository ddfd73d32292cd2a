"""Notifications: who watches which item, what they are told, and how they want it delivered."""
