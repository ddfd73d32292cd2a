"""``flask mail receive``: a reply becomes a comment or a status update under the web's rules;
anything else is refused with an answer and writes nothing, and robots are never answered."""

from email.message import EmailMessage

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.extensions import db
from app.items.models import Comment, StatusUpdate
from app.mail.models import OutgoingMail
from app.replies.tokens import make_token
from tests.factories import make_item, make_org, make_user, set_status

QUOTE = (
    "\n\nOn Mon, 30 Nov 2026 at 09:00, Suivi <suivi@suivi.example.org> wrote:\n"
    "> Mariam commented: any news?\n> https://suivi.example.org/items/1\n"
)


@pytest.fixture
def world():
    lead = make_org("REPL")
    staff = make_user("staff", organisation=lead, email="awa@example.org", name="Awa")
    french = make_user("staff", organisation=lead, email="eloi@example.org", language="fr")
    item = make_item(lead=lead, title="Patrols in Gao")
    db.session.commit()
    return {"lead": lead, "staff": staff, "french": french, "item": item}


def message(user, item, body, **options):
    """A reply from ``user`` about ``item``; ``options``: sender, token, html, charset, and
    headers (``X_Autoreply="yes"``)."""
    sender, token = options.pop("sender", None), options.pop("token", None)
    html, charset = options.pop("html", None), options.pop("charset", "utf-8")
    headers = options
    msg = EmailMessage()
    msg["From"] = sender or f"{user.name} <{user.email}>"
    address_token = token if token is not None else make_token(user.id, item.id)
    msg["To"] = f"suivi+{address_token}@suivi.example.org"
    msg["Subject"] = "Re: [Suivi] Patrols in Gao"
    msg["Message-ID"] = "<reply-1@example.org>"
    for name, value in headers.items():
        msg[name.replace("_", "-")] = value
    if body is not None:
        msg.set_content(
            body, charset=charset, cte="quoted-printable" if charset != "utf-8" else None
        )
    if html is not None:
        if body is None:
            msg.set_content(html, subtype="html")
        else:
            msg.add_alternative(html, subtype="html")
    return msg.as_bytes()


def receive(cli, raw: bytes) -> str:
    result = cli.invoke(args=["mail", "receive"], input=raw)
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    return result.output.strip()


def _writes() -> int:
    return db.session.scalar(
        select(func.count(AuditEvent.id)).where(AuditEvent.record_type != "outgoing_mails")
    )


def _answers() -> list[OutgoingMail]:
    return list(db.session.scalars(select(OutgoingMail).where(OutgoingMail.kind == "reply")))


def test_status_and_a_sentence_become_a_status_update(cli, world):
    item = world["item"]
    raw = message(
        world["staff"], item, "Status: in_progress\nProgress: 30 %\n\nPatrols resumed.\n" + QUOTE
    )
    output = receive(cli, raw)
    update = db.session.scalars(select(StatusUpdate)).one()
    assert output == f"applied: status update {update.id} on item {item.id} by awa@example.org"
    assert (update.to_status, update.progress, update.note) == (
        "in_progress",
        30,
        "Patrols resumed.",
    )
    assert update.author_id == world["staff"].id
    assert _answers() == []


def test_plain_text_becomes_a_comment_without_quote_or_signature(cli, world):
    body = "Good news: the station reopened.\n\n-- \nAwa, MINUSMA Gao\n" + QUOTE
    output = receive(cli, message(world["staff"], world["item"], body))
    comment = db.session.scalars(select(Comment)).one()
    assert output.startswith(f"applied: comment {comment.id}")
    assert comment.body == "Good news: the station reopened."


def test_a_latin1_quoted_printable_reply_reads_right(cli, world):
    raw = message(world["staff"], world["item"], "Déjà réglé à Gao.", charset="latin-1")
    assert b"=E9" in raw  # really quoted-printable latin-1
    receive(cli, raw)
    assert db.session.scalars(select(Comment.body)).one() == "Déjà réglé à Gao."


def test_an_html_only_reply_is_turned_into_text(cli, world):
    html = (
        "<html><body><div>Status: blocked</div><div>No fuel &amp; no trucks.</div>"
        "<div class='gmail_quote'>On Mon Suivi wrote:<blockquote>old</blockquote></div>"
        "</body></html>"
    )
    receive(cli, message(world["staff"], world["item"], None, html=html))
    update = db.session.scalars(select(StatusUpdate)).one()
    assert (update.to_status, update.note) == ("blocked", "No fuel & no trucks.")


def test_the_token_in_the_references_is_enough(cli, world):
    token = make_token(world["staff"].id, world["item"].id)
    raw = message(
        world["staff"], world["item"], "Seen.", token="", In_Reply_To=f"<{token}.ab12@suivi>"
    )
    raw = raw.replace(b"To: suivi+@suivi.example.org", b"To: suivi@suivi.example.org")
    assert receive(cli, raw).startswith("applied: comment")


def test_the_workflow_rules_hold_and_a_refusal_is_answered(cli, world, smtp_server):
    before = _writes()
    output = receive(cli, message(world["staff"], world["item"], "Status: blocked\n"))
    assert output == "refused: refused"
    assert _writes() == before
    [answer] = smtp_server.handler.received
    assert answer.rcpt_tos == ["awa@example.org"]
    assert answer.message["Subject"] == "[Suivi] Your reply was not applied"
    assert answer.message["In-Reply-To"] == "<reply-1@example.org>"
    assert answer.message["Auto-Submitted"] == "auto-replied"
    assert "A note is required" in answer.text


def test_a_french_user_is_answered_in_french(cli, world, smtp_server):
    receive(cli, message(world["french"], world["item"], "Status: someday\nBientôt."))
    [answer] = smtp_server.handler.received
    assert answer.message["Subject"] == "[Suivi] Votre réponse n’a pas été appliquée"
    assert "«\u202fsomeday\u202f» n’est pas un statut." in answer.text


def test_a_user_who_may_no_longer_update_gets_the_reason(cli, world, smtp_server):
    other = make_org("ELSE")
    set_status(world["item"], "in_progress")
    world["item"].lead = other
    db.session.commit()
    before = _writes()
    assert receive(cli, message(world["staff"], world["item"], "Progress: 50")) == (
        "refused: refused"
    )
    assert _writes() == before
    [answer] = _answers()
    assert "REPL is neither lead nor supporting organisation of this item" in answer.text_body


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"sender": "Mallory <mallory@example.org>"}, "sender"),
        ({"token": "not.a.token"}, "bad_token"),
        ({"token": ""}, "no_token"),
    ],
)
def test_wrong_sender_or_token_is_refused_and_answered(cli, world, smtp_server, change, reason):
    before = _writes()
    raw = message(world["staff"], world["item"], "Status: implemented\nDone.", **change)
    assert receive(cli, raw) == f"refused: {reason}"
    assert _writes() == before
    [answer] = _answers()
    expected = "mallory@example.org" if "sender" in change else "awa@example.org"
    assert answer.to_address == expected
    assert "Patrols in Gao" not in answer.text_body.split("\n", 1)[1]  # no item details leak


def test_an_expired_token_is_refused(app, cli, world):
    app.config["MAIL_REPLY_MAX_AGE_DAYS"] = -1
    try:
        assert receive(cli, message(world["staff"], world["item"], "Late.")) == "refused: expired"
    finally:
        app.config["MAIL_REPLY_MAX_AGE_DAYS"] = 30
    assert db.session.scalars(select(Comment)).all() == []


@pytest.mark.parametrize(
    "headers",
    [
        {"Auto_Submitted": "auto-replied"},
        {"X_Autoreply": "yes"},
        {"Precedence": "bulk"},
        {"Precedence": "junk"},
        {"Return_Path": "<>"},
        {"sender": "MAILER-DAEMON@mx.example.org"},
        {"List_Id": "<staff.example.org>"},
    ],
)
def test_bounces_and_auto_replies_are_ignored_without_an_answer(cli, world, smtp_server, headers):
    before = _writes()
    output = receive(cli, message(world["staff"], world["item"], "I am out of office.", **headers))
    assert output.startswith("ignored: ")
    assert _writes() == before
    assert db.session.scalar(select(func.count(OutgoingMail.id))) == 0


def test_a_delivery_report_is_ignored(cli, world):
    raw = (
        b"From: Mail Delivery System <bounces@mx.example.org>\r\n"
        b"To: suivi@suivi.example.org\r\nSubject: Undelivered\r\n"
        b"Content-Type: multipart/report; report-type=delivery-status; boundary=x\r\n\r\n"
        b"--x\r\nContent-Type: text/plain\r\n\r\nfailed\r\n--x--\r\n"
    )
    assert receive(cli, raw) == "ignored: bounce (a delivery report)"


def test_an_oversized_message_is_refused(app, cli, world, smtp_server):
    app.config["MAIL_RECEIVE_MAX_BYTES"] = 2000
    try:
        output = receive(cli, message(world["staff"], world["item"], "x" * 5000))
    finally:
        app.config["MAIL_RECEIVE_MAX_BYTES"] = 1024 * 1024
    assert output == "refused: too_large"
    assert db.session.scalars(select(Comment)).all() == []
    [answer] = _answers()
    assert "larger than Suivi accepts (1 kB)" in answer.text_body


def test_without_a_mail_server_a_refusal_writes_nothing_at_all(cli, world):
    before = db.session.scalar(select(func.count(AuditEvent.id)))
    assert receive(cli, message(world["staff"], world["item"], "Status: blocked")) == (
        "refused: refused"
    )
    assert db.session.scalar(select(func.count(AuditEvent.id))) == before
    assert db.session.scalar(select(func.count(OutgoingMail.id))) == 0


def test_an_empty_reply_is_refused(cli, world):
    assert receive(cli, message(world["staff"], world["item"], QUOTE)) == "refused: empty"


def test_a_reply_to_a_notification_mail_is_applied(cli, world, smtp_server):
    from app.items import services as item_services
    from app.notifications import services as notification_services

    staff, item = world["staff"], world["item"]
    notification_services.set_delivery(staff, staff, "immediate")
    manager = make_user("manager")
    item_services.add_comment(manager, item, "Any news from Gao?")
    db.session.commit()
    from app import jobs

    jobs.dispatch_ready()
    [notification] = smtp_server.handler.received
    reply_to = notification.message["Reply-To"]
    assert reply_to.startswith("suivi+")
    assert reply_to.endswith("@suivi.example.org")
    assert "Reply to this email to comment" in notification.text
    reply = EmailMessage()
    reply["From"] = "Awa <awa@example.org>"
    reply["To"] = reply_to
    reply["Subject"] = "Re: " + notification.message["Subject"]
    reply["In-Reply-To"] = notification.message["Message-ID"]
    quoted = "\n".join("> " + line for line in notification.text.splitlines())
    reply.set_content(f"Status: in_progress\nThe patrols started today.\n\n{quoted}\n")
    output = receive(cli, reply.as_bytes())
    assert output.startswith("applied: status update")
    db.session.expire_all()
    assert item.status == "in_progress"
    assert db.session.scalars(select(StatusUpdate.note)).one() == "The patrols started today."


def test_an_id_that_looks_like_a_token_does_not_hide_the_real_one(cli, world):
    token = make_token(world["staff"].id, world["item"].id)
    raw = message(
        world["staff"],
        world["item"],
        "Seen too.",
        token="",
        References=f"<aaaa.bbbb.cccc@mail.example.org> <{token}.ab12@suivi>",
    )
    raw = raw.replace(b"To: suivi+@suivi.example.org", b"To: suivi@suivi.example.org")
    assert receive(cli, raw).startswith("applied: comment")


def test_the_french_commands_are_taken_with_french_spacing(cli, world):
    body = "Statut\u202f: bloqué\nAvancement : 20\u202f%\n\nPas de carburant."
    receive(cli, message(world["french"], world["item"], body))
    update = db.session.scalars(select(StatusUpdate)).one()
    assert (update.to_status, update.progress, update.note) == ("blocked", 20, "Pas de carburant.")
