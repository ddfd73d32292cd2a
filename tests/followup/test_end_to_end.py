"""Issue 10's "done means", end to end on the seeded Suivi with the dates moved forward: a
manager opens a round; ``flask remind`` sends each staff member, in their language, exactly
their organisation's missing and late items (read from a real SMTP server); a staff member
replies ``Status: in_progress`` with a sentence and the item shows the update; the round's
page shows who has reported; the closed round's PDF downloads unchanged a week later.

The digests as received are written to test-artifacts/digest-en.txt and digest-fr.txt."""

import hashlib
import re
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path

from sqlalchemy import select

from app import jobs
from app.core.time import today
from app.extensions import db
from app.items import services as item_services
from app.items.models import Item
from app.notifications import services as notification_services
from app.rounds.models import Round
from app.stakeholders.services import find_organisation
from tests.factories import make_user
from tests.helpers import form_post, login

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
ITEM_LINK = re.compile(r"https://suivi\.example\.org/items/(\d+)")


def _section(text: str, title: str) -> set[int]:
    """The item ids listed under ``title`` (up to the next blank line)."""
    match = re.search(re.escape(title) + r" \(\d+\)\n(.*?)(?:\n\n|\Z)", text, re.S)
    return {int(i) for i in ITEM_LINK.findall(match.group(1))} if match else set()


def _remind(cli, day) -> None:
    result = cli.invoke(args=["remind", "--today", day.isoformat()])
    assert result.exit_code == 0, result.output
    db.session.expire_all()


def _recommendations(acronym: str) -> list[Item]:
    org = find_organisation(acronym)
    return list(
        db.session.scalars(
            select(Item)
            .where(Item.lead_id == org.id, Item.kind == "recommendation")
            .order_by(Item.id)
        )
    )


def _seeded_world(cli):
    """The seed, a manager and staff of MINUSMA (English) and TCC (French); two of MINUSMA's
    recommendations and one of TCC's are given a due date that will pass."""
    assert cli.invoke(args=["seed"]).exit_code == 0
    minusma, tcc = find_organisation("MINUSMA"), find_organisation("TCC")
    manager = make_user("manager", organisation=minusma, name="Moussa", email="moussa@example.org")
    sophie = make_user("staff", organisation=minusma, name="Sophie", email="sophie@example.org")
    make_user("staff", organisation=tcc, name="Amadou", email="amadou@example.org", language="fr")
    notification_services.set_delivery(sophie, sophie, "immediate")
    ours, theirs = _recommendations("MINUSMA"), _recommendations("TCC")
    assert ours
    assert theirs
    for item in (ours[0], ours[1], theirs[0]):
        item_services.edit_item(manager, item, item.version, due_date=today() + timedelta(days=3))
    db.session.commit()
    return manager, sophie, ours, theirs


def _open_round(client, manager, start) -> Round:
    login(client, manager)
    response = form_post(
        client,
        "/rounds",
        {
            "title": "Q4 2026 report to the Security Council",
            "opens_on": start.isoformat(),
            "due_on": (start + timedelta(days=10)).isoformat(),
            "kind": "recommendation",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:400]
    return db.session.scalars(select(Round)).one()


def _check_digests(cli, smtp_server, start, ours, theirs) -> None:
    """Five days on, each staff member gets exactly their missing and late items."""
    _remind(cli, start + timedelta(days=5))
    received = {m.rcpt_tos[0]: m for m in smtp_server.handler.received}
    english, french = received["sophie@example.org"], received["amadou@example.org"]
    assert _section(english.text, "Overdue") == {ours[0].id, ours[1].id}
    assert _section(english.text, "Not yet reported in a reporting round") == {i.id for i in ours}
    assert _section(french.text, "En retard") == {theirs[0].id}
    assert _section(french.text, "Pas encore rapporté dans un cycle de rapport") == {
        i.id for i in theirs
    }
    assert set(ITEM_LINK.findall(english.text)) == {str(i.id) for i in ours}
    assert set(ITEM_LINK.findall(french.text)) == {str(i.id) for i in theirs}
    assert french.message["Subject"].startswith("[Suivi] Votre récapitulatif du ")
    ARTIFACTS.mkdir(exist_ok=True)
    for lang, mail in (("en", english), ("fr", french)):
        (ARTIFACTS / f"digest-{lang}.txt").write_text(
            "".join(f"{k}: {v}\n" for k, v in mail.message.items()) + "\n" + mail.text,
            encoding="utf-8",
        )


def _reply_by_email(cli, smtp_server, manager, target) -> None:
    """The manager asks on the item; Sophie answers the notification mail."""
    smtp_server.handler.received.clear()
    item_services.add_comment(manager, target, "The Council wants this by Friday.")
    db.session.commit()
    jobs.dispatch_ready()
    [notification] = smtp_server.handler.received
    reply = EmailMessage()
    reply["From"] = "Sophie <sophie@example.org>"
    reply["To"] = notification.message["Reply-To"]
    reply["Subject"] = "Re: " + notification.message["Subject"]
    reply["In-Reply-To"] = notification.message["Message-ID"]
    quoted = "\n".join("> " + line for line in notification.text.splitlines())
    reply.set_content(
        "Status: in_progress\nThe joint patrols started on Monday.\n\n"
        f"On Monday, Suivi wrote:\n{quoted}\n"
    )
    result = cli.invoke(args=["mail", "receive"], input=reply.as_bytes())
    assert result.output.startswith("applied: status update"), result.output
    db.session.expire_all()


def _check_round_page(client, rnd, ours, theirs, target) -> None:
    page = client.get(f"/rounds/{rnd.id}").get_data(as_text=True)
    assert f"1 of {len(ours) + len(theirs)} items reported." in page
    minusma_row = re.search(r'<abbr title="[^"]*">MINUSMA</abbr></th>\s*(.*?)</tr>', page, re.S)
    cells = re.findall(r'<td class="num">(\d+)</td>', minusma_row.group(1))
    assert cells == [str(len(ours)), "1"]
    assert f'href="/items/{target.id}"' not in minusma_row.group(1)  # no longer missing
    assert f'href="/items/{ours[1].id}"' in minusma_row.group(1)


def test_done_means(client, cli, smtp_server):
    manager, sophie, ours, theirs = _seeded_world(cli)
    start = today()
    rnd = _open_round(client, manager, start)
    _check_digests(cli, smtp_server, start, ours, theirs)
    target = ours[0]
    _reply_by_email(cli, smtp_server, manager, target)
    page = client.get(f"/items/{target.id}").get_data(as_text=True)
    assert "The joint patrols started on Monday." in page
    assert target.status == "in_progress"
    _check_round_page(client, rnd, ours, theirs, target)

    # Closed, its PDF downloads unchanged a week later, whatever happened since.
    assert form_post(client, f"/rounds/{rnd.id}/close", {}, f"/rounds/{rnd.id}").status_code == 302
    first = client.get(f"/rounds/{rnd.id}/report.pdf")
    assert first.status_code == 200
    assert first.data.startswith(b"%PDF")
    item_services.change_status(sophie, target, target.version, status="implemented", note="Done.")
    db.session.commit()
    _remind(cli, start + timedelta(days=12))
    later = client.get(f"/rounds/{rnd.id}/report.pdf")
    assert later.data == first.data
    assert later.headers["ETag"] == f'"{hashlib.sha256(first.data).hexdigest()}"'
