"""Outgoing mail: composed in the recipient's language, recorded, and sent by a job over SMTP."""
