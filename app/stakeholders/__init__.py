"""Stakeholder organisations and their hierarchy."""
