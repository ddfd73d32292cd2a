"""Mail as it arrives at a real SMTP server: multipart, in the recipient's language, with the
links and the opt-out headers; refused or cut-off sends retried, then recorded."""

from sqlalchemy import select

from app import jobs
from app.extensions import db
from app.items import services as item_services
from app.jobs.models import Job
from app.mail.models import OutgoingMail
from app.notifications import services
from tests.factories import make_item, make_org, make_user


def _setup(delivery="immediate", language=None, email=None):
    lead = make_org("LEADM")
    watcher = make_user(
        "staff", organisation=lead, language=language, **({"email": email} if email else {})
    )
    actor = make_user("manager")
    services.set_delivery(watcher, watcher, delivery)
    item = make_item(lead=lead, title="Deploy the police")
    return watcher, actor, item


def _comment_and_send(actor, item, body="Patrols resumed in Gao."):
    item_services.add_comment(actor, item, body)
    db.session.commit()
    jobs.dispatch_ready()
    db.session.expire_all()


def test_a_watcher_gets_the_change_as_multipart_mail_with_links(smtp_server):
    watcher, actor, item = _setup()
    _comment_and_send(actor, item)
    [received] = smtp_server.handler.received
    message = received.message
    assert received.rcpt_tos == [watcher.email]
    assert message["Subject"] == f"[Suivi] #{item.id} Deploy the police"
    assert message.get_content_type() == "multipart/alternative"
    assert f"{actor.name} commented: Patrols resumed in Gao." in received.text
    assert f"https://suivi.example.org/items/{item.id}" in received.text
    assert f'href="https://suivi.example.org/items/{item.id}"' in received.html
    unsubscribe = message["List-Unsubscribe"].strip()  # folded when long: legal
    assert unsubscribe.startswith("<https://suivi.example.org/unsubscribe/")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Auto-Submitted"] == "auto-generated"
    mail = db.session.scalars(select(OutgoingMail)).one()
    assert (mail.state, mail.attempts, mail.sent_at is not None) == ("sent", 1, True)


def test_a_french_reader_gets_french_mail(smtp_server):
    _watcher, actor, item = _setup(language="fr")
    _comment_and_send(actor, item)
    [received] = smtp_server.handler.received
    assert f"{actor.name} a commenté\u202f: Patrols resumed in Gao." in received.text
    assert "Ne plus recevoir ces courriels" in received.html


def test_daily_digest_readers_get_no_mail_per_change(smtp_server):
    _watcher, actor, item = _setup(delivery="daily")
    _comment_and_send(actor, item)
    assert smtp_server.handler.received == []
    assert db.session.scalars(select(OutgoingMail)).all() == []


def test_a_refusing_server_is_tried_three_times_then_the_mail_is_recorded_failed(smtp_server):
    smtp_server.handler.mood = "refuse"
    _watcher, actor, item = _setup()
    _comment_and_send(actor, item)
    assert smtp_server.handler.attempts == 3
    mail = db.session.scalars(select(OutgoingMail)).one()
    assert (mail.state, mail.attempts) == ("failed", 3)
    assert "554" in mail.error
    assert "refused by policy" in mail.error
    job = db.session.scalars(select(Job)).one()
    assert (job.state, job.attempts) == ("failed", 3)


def test_a_server_that_drops_the_connection_mid_send_is_retried_and_recorded(smtp_server):
    smtp_server.handler.mood = "drop"
    _watcher, actor, item = _setup()
    _comment_and_send(actor, item)
    mail = db.session.scalars(select(OutgoingMail)).one()
    assert (mail.state, mail.attempts) == ("failed", 3)
    assert mail.error.startswith("SMTPServerDisconnected")
    assert smtp_server.handler.received == []


def test_a_failed_mail_sent_on_retry_is_sent_once(smtp_server, cli):
    smtp_server.handler.mood = "refuse"
    _watcher, actor, item = _setup()
    _comment_and_send(actor, item)
    smtp_server.handler.mood = "accept"
    job = db.session.scalars(select(Job)).one()
    assert cli.invoke(args=["jobs", "retry", str(job.id)]).exit_code == 0
    assert cli.invoke(args=["jobs", "retry", str(job.id)]).exit_code == 1  # done: not again
    db.session.expire_all()
    assert len(smtp_server.handler.received) == 1
    assert db.session.scalars(select(OutgoingMail.state)).one() == "sent"


def test_an_address_that_cannot_take_mail_is_recorded_failed_and_nothing_is_sent(smtp_server):
    watcher, actor, item = _setup()
    watcher.email = "nobody@localhost"  # as an old import may have left it
    _comment_and_send(actor, item)
    mail = db.session.scalars(select(OutgoingMail)).one()
    assert (mail.state, mail.error) == ("failed", "The recipient's address cannot receive mail.")
    assert smtp_server.handler.attempts == 0
    assert db.session.scalars(select(Job)).all() == []


def test_without_mail_server_nothing_is_mailed_but_the_notification_is_kept():
    watcher, actor, item = _setup()
    _comment_and_send(actor, item)
    assert db.session.scalars(select(OutgoingMail)).all() == []
    from app.notifications.queries import recent_notifications

    [notification] = recent_notifications(watcher.id)
    assert (notification.kind, notification.mail_id) == ("comment", None)


def test_a_title_with_control_characters_cannot_break_the_subject(smtp_server):
    _watcher, actor, item = _setup()
    item.title = "Deploy\rthe\tpolice"
    _comment_and_send(actor, item)
    [received] = smtp_server.handler.received
    assert received.message["Subject"] == f"[Suivi] #{item.id} Deploy the police"
