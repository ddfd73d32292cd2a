"""The hostile values, by the kind of field they attack: numbers, dates, ids, text, and
JSON's wrong types. Each value is at or beyond a bound Suivi sets (app/core/validation.py)."""

NUMBERS = (
    "1e308",
    "-1e308",
    "1e999",
    "-1e999",
    "NaN",
    "nan",
    "inf",
    "-inf",
    "Infinity",
    "-1",
    "0",
    "101",
    "1e15",
    "1000000000000001",
    "2147483647",
    "2147483648",
    "9223372036854775807",
    "9223372036854775808",
    "18446744073709551616",
    "1" * 400,
    "0x10",
    "1_000",
    "٣",
    " 7 ",
    "7.5",
    "-0",
    "1e-400",
    "",
    "abc",
)
DATES = (
    "0001-01-01",
    "1899-12-31",
    "1900-01-01",
    "9999-12-31",
    "10000-01-01",
    "2025-02-29",
    "2024-02-30",
    "2025-13-01",
    "2025-00-10",
    "-2025-01-01",
    "2025-1-1",
    "20250101",
    "2025-01-01T00:00:00",
    "today",
    "",
    "2025-01-01\x00",
    "２０２５-01-01",
)
IDS = ("0", "-1", "2147483647", "2147483648", "99999999999999999999", "1.5", "", "x", "1,2")
TEXTS = (
    "",
    " ",
    "x" * 1_000_000,
    "\x00",
    "a\x00b",
    "<script>alert(1)</script>",
    '=HYPERLINK("http://evil.example")',
    "\u202e\u0644",
    "💥" * 2000,
    "\r\n\r\n",
    "%00",
    "' OR 1=1 --",
    "../../etc/passwd",
    "{{7*7}}",
)
# JSON bodies: a field's value replaced by another type.
JSON_WRONG_TYPES = (
    None,
    True,
    False,
    0,
    -1,
    2**31,
    2**63,
    2**64,
    10**30,
    1.5,
    1e308,
    -1e308,
    "",
    "1",
    "x" * 100_000,
    [],
    [1],
    ["1", "2"],
    {},
    {"a": 1},
    [[[[[]]]]],
    "\x00",
    "2025-02-30",
)
# Raw JSON texts a json library would not write: NaN, Infinity, huge numbers, bad UTF-8.
RAW_JSON = (
    b'{"value": NaN, "progress": NaN, "version": NaN}',
    b'{"value": Infinity, "progress": -Infinity}',
    b'{"value": 1e999, "progress": 1e999, "version": 1e999}',
    b'{"version": ' + b"9" * 5000 + b"}",
    b'{"title": "\xff\xfe"}',
    b'{"title": "\\ud800"}',
    b"[" * 100_000 + b"]" * 100_000,
    b'{"a": 1, "a": 2}',
    b"\xef\xbb\xbf{}",
    b"",
    b"null",
)
# Form bodies that are not valid UTF-8 or not valid url-encoding.
RAW_FORMS = (b"title=%FF%FE&body=%C0%AF", b"\xff\xfe=\xfd", b"a=" + b"%" * 1000, b"=&=&&==")

NUMERIC_FIELDS = {
    "progress",
    "value",
    "version",
    "baseline_value",
    "target_value",
    "page",
    "per_page",
}
DATE_FIELDS = {"due_date", "measured_on", "opens_on", "due_on", "baseline_date", "target_date"}
DATE_FIELDS |= {"as_of", "since"}


def values_for(field: str) -> tuple:
    """The hostile values of ``field``'s kind (by its name)."""
    if field in NUMERIC_FIELDS:
        return NUMBERS
    if field in DATE_FIELDS:
        return DATES
    if field.endswith("_id") or field.endswith("_ids") or field == "lead":
        return IDS + TEXTS[:4]
    return TEXTS
