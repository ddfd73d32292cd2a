"""The permissions walk's rules and payloads for the organisations' pages and the withdrawal
of evidence (issue 13), kept apart so that walk.py stays small."""

GET = frozenset({"GET"})
WRITE = frozenset({"POST", "PUT", "PATCH", "DELETE"})

PAGES_RULES = [
    # Organisations' pages: every logged-in user reads them (admins edit under admin.).
    (r"organisations\.(index|detail)", GET, "read"),
    # The walk's evidence was attached by the system: only managers and admins withdraw it
    # (an author withdraws their own: tests/web/test_who_changes_what.py).
    (r"items\.withdraw_evidence", WRITE, "manage"),
]
PAGES_PAYLOADS = {
    "items.withdraw_evidence": lambda w: {"reason": "Attached by mistake."},
}
