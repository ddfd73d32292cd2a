"""French strings follow French typography: a narrow no-break space (U+202F) before « : ; ? ! »,
inside guillemets and before a percent sign, never a plain space or none."""

import re
from pathlib import Path

from babel.messages.pofile import read_po

PO = Path(__file__).resolve().parents[2] / "app" / "translations" / "fr" / "LC_MESSAGES"
NNBSP = "\u202f"
# A high punctuation sign not after U+202F (a URL's "://" is not punctuation).
BARE_PUNCTUATION = re.compile(rf"(?<!{NNBSP})[;:?!](?!//)")
BARE_GUILLEMETS = re.compile(rf"«(?!{NNBSP})|(?<!{NNBSP})»")
BARE_PERCENT = re.compile(r"(?<=[\w)])[ \u00a0]?%%")


def faults(text: str) -> list[str]:
    """The typography faults of one French string, each with a little context."""
    found = []
    for pattern in (BARE_PUNCTUATION, BARE_GUILLEMETS, BARE_PERCENT):
        for match in pattern.finditer(text):
            found.append(text[max(0, match.start() - 12) : match.end()])
    return found


def test_the_rule_itself():
    assert len(faults("Statut : bloqué ; voir")) == 2
    assert len(faults("Statut: bloqué")) == 1
    assert faults(f"Statut{NNBSP}: bloqué{NNBSP}; voir https://suivi.example") == []
    assert len(faults("« Bloqué »")) == 2
    assert faults(f"«{NNBSP}Bloqué{NNBSP}»") == []
    assert len(faults("Avancement 30 %% et %(new)s%%")) == 2
    assert faults(f"{NNBSP}%(old)s{NNBSP}%%") == []


def test_every_french_string_of_the_catalogue_is_set_the_french_way():
    with (PO / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale="fr")
    problems = {}
    for message in catalog:
        if not message.id:
            continue
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        found = [fault for form in forms for fault in faults(form)]
        if found:
            problems[str(message.id)] = found
    assert problems == {}
