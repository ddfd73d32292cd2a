"""Backup and restore of the whole database and its evidence files, between any backends.

``flask backup FILE`` writes one zip: a manifest (format, schema revision, row counts and a
SHA-256 of every member), one JSON-lines file per table and the evidence files;
``flask restore FILE`` checks all of it before writing anything, then restores in one
transaction. Tables are walked through the metadata, so a new model is backed up without code.
"""
