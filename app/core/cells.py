"""Spreadsheet cells: text a spreadsheet would run as a formula is written with a leading
quote (every export), and read back as written (the import)."""

from typing import Any

# A cell starting with one of these runs as a formula in a spreadsheet (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_text(text: str | None) -> str:
    """A text cell a spreadsheet will not run as a formula."""
    text = text or ""
    return "'" + text if text.startswith(FORMULA_START) else text


def safe_cell(value: Any) -> Any:
    """Any cell's value as written: text neutralised (``safe_text``), the rest as it is."""
    return safe_text(value) if isinstance(value, str) else value


def unquote(text: str) -> str:
    """A cell as the exports neutralise it (``'=x``) reads back as written (``=x``)."""
    if text.startswith("'") and text[1:].startswith(FORMULA_START):
        return text[1:]
    return text
