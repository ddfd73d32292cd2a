"""Reports: summaries, as-of reconstruction, charts and CSV/XLSX/PDF exports (read-only)."""
