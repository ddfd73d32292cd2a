"""Reading an incoming message: is it a bounce or an auto-reply (never answered: no mail
loops), which token it carries, who sent it, and the reply's new text — without the quoted
part and the signature, from the plain part or, failing that, the HTML — with the commands
(``Status: blocked``, ``Progress: 40``) at its top."""

import re
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr
from html.parser import HTMLParser

from app.replies.tokens import TOKEN_RE, tokens_in_address

ADDRESS_HEADERS = ("To", "Cc", "Delivered-To", "X-Original-To", "Envelope-To")
ATTRIBUTION = (
    re.compile(r"^on\b.*\bwrote:\s*$", re.IGNORECASE),
    re.compile(r"^le\b.*\ba écrit\s*:\s*$", re.IGNORECASE),
    re.compile(r"^-{2,}\s*(original message|message d'origine|message d’origine)\s*-{2,}", re.I),
    re.compile(r"^_{5,}\s*$"),
    re.compile(r"^(from|de)\s*:\s.*@", re.IGNORECASE),
)
SIGNATURE = (
    re.compile(r"^--\s?$"),
    re.compile(r"^(sent from my|envoyé de mon|envoyé depuis mon)\b", re.IGNORECASE),
)
COMMAND = re.compile(r"^\s*(status|statut|progress|avancement)\s*:\s*(.*?)\s*$", re.IGNORECASE)
COMMAND_NAMES = {"status": "status", "statut": "status", "progress": "progress"}
COMMAND_NAMES["avancement"] = "progress"


def _bounce(message: EmailMessage) -> str | None:
    sender = parseaddr(str(message.get("From") or ""))[1].lower()
    if message.get("Return-Path") is not None and message["Return-Path"].strip() in ("<>", ""):
        return "bounce (empty Return-Path)"
    if sender.split("@")[0] in ("mailer-daemon", "postmaster"):
        return "bounce (from MAILER-DAEMON)"
    if message.get_content_type() == "multipart/report":
        return "bounce (a delivery report)"
    return None


def _automatic(message: EmailMessage) -> str | None:
    auto = (message.get("Auto-Submitted") or "no").strip().lower()
    precedence = (message.get("Precedence") or "").strip().lower()
    checks = (
        (auto != "no", f"automatic reply (Auto-Submitted: {auto})"),
        (bool(message.get("X-Autoreply") or message.get("X-Autorespond")), "automatic reply"),
        (precedence in ("bulk", "junk", "list", "auto_reply"), f"bulk mail ({precedence})"),
        (bool(message.get("List-Id")), "mailing-list mail (List-Id)"),
    )
    return next((reason for found, reason in checks if found), None)


def automatic_reason(message: EmailMessage) -> str | None:
    """Why the message is a bounce or an automatic reply, or None for a person's reply."""
    return _bounce(message) or _automatic(message)


def find_tokens(message: EmailMessage) -> list[str]:
    """The candidate reply tokens, best first: those in a reply address among the
    recipients, then those starting a Message-ID the reply refers to (``In-Reply-To``,
    ``References``: other messages' ids may look like tokens, so every one is a candidate)."""
    values = [str(v) for name in ADDRESS_HEADERS for v in message.get_all(name) or []]
    found = [t for _name, address in getaddresses(values) for t in tokens_in_address(address)]
    refs = " ".join(str(message.get(h) or "") for h in ("In-Reply-To", "References"))
    for msg_id in re.findall(r"<([^<>@\s]+)@[^<>\s]+>", refs):
        match = TOKEN_RE.match(msg_id)
        if match:
            found.append(match.group(0))
    return list(dict.fromkeys(found))


def sender_address(message: EmailMessage) -> str:
    """The address in ``From``, lower-cased ("" when there is none)."""
    return parseaddr(str(message.get("From") or ""))[1].strip().lower()


class _Text(HTMLParser):
    """HTML to plain text: blocks become lines; quoted parts, scripts and styles are left out."""

    BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "pre"}
    SKIPPED = {"blockquote", "script", "style", "head", "title"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip: list[str] = []

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if self.skip or tag in self.SKIPPED or {"gmail_quote", "moz-cite-prefix"} & set(classes):
            self.skip.append(tag)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if self.skip:
            if tag == self.skip[-1]:
                self.skip.pop()
            return
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_startendtag(self, tag, attrs):
        if not self.skip and tag == "br":
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(re.sub(r"\s+", " ", data))


def html_to_text(html: str) -> str:
    """The text of an HTML reply, one line per block."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    lines = [line.strip() for line in "".join(parser.parts).splitlines()]
    return "\n".join(lines)


def body_text(message: EmailMessage) -> str:
    """The reply's text, decoded whatever its charset and transfer encoding."""
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, UnicodeDecodeError):
        payload = part.get_payload(decode=True)
        raw = payload if isinstance(payload, bytes) else b""
        content = raw.decode("utf-8", errors="replace")
    if part.get_content_type() == "text/html":
        return html_to_text(content)
    return content


def new_text(text: str) -> str:
    """The reply without the quoted message and the signature."""
    kept: list[str] = []
    lines = text.replace("\r\n", "\n").split("\n")
    for index, line in enumerate(lines):
        stripped = line.strip()
        joined = f"{stripped} {lines[index + 1].strip()}" if index + 1 < len(lines) else stripped
        if stripped.startswith(">") or any(p.match(stripped) for p in SIGNATURE):
            break
        if any(p.match(stripped) or p.match(joined) for p in ATTRIBUTION):
            break
        kept.append(line.rstrip())
    return "\n".join(kept).strip()


@dataclass
class Reply:
    """The commands at the top of a reply and the text after them."""

    commands: dict[str, str] = field(default_factory=dict)
    text: str = ""


def split_commands(text: str) -> Reply:
    """``Status:`` and ``Progress:`` lines at the top (blank lines between allowed), then the
    text."""
    reply = Reply()
    lines = text.split("\n")
    index = 0
    while index < len(lines):
        match = COMMAND.match(lines[index])
        if match:
            reply.commands[COMMAND_NAMES[match.group(1).lower()]] = match.group(2)
        elif lines[index].strip():
            break
        index += 1
    reply.text = "\n".join(lines[index:]).strip()
    return reply
