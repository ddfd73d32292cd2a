"""Reporting rounds: a scope of open items each lead organisation must report on by a date."""
