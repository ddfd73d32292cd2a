"""Spreadsheet import: read a file (XLSX or CSV), plan what each row would change, apply the
plan through the item services in one transaction."""
