"""``flask remind``'s work: one digest per user who has something new to hear, queued as mail
and recorded as told, or only described (a dry run)."""

from dataclasses import dataclass, field
from datetime import date

from app import audit
from app.core.time import utcnow
from app.extensions import db
from app.mail.models import OutgoingMail
from app.mail.services import Envelope, queue_mail
from app.notifications import digests, labels, queries
from app.notifications.digests import Digest, Entry
from app.notifications.services import unsubscribe_url


@dataclass
class RemindResult:
    """The digests built, and the mail queued for each (none in a dry run)."""

    digests: list[Digest] = field(default_factory=list)
    mails: dict[int, OutgoingMail] = field(default_factory=dict)
    skipped: int = 0  # users whose delivery is none, or weekly on another day


def remind(today: date, stale_days: int, dry_run: bool = False) -> RemindResult:
    """Build every user's digest for ``today``; unless ``dry_run``, queue it as mail and
    record what it told. The caller commits."""
    cache: dict[int | None, dict[str, list[Entry]]] = {}

    def sections_for(scope: int | None) -> dict[str, list[Entry]]:
        if scope not in cache:
            cache[scope] = digests.item_sections(
                digests.open_items(scope), today, stale_days
            ) | digests.round_sections(scope, today)
        return cache[scope]

    audit.set_actor(db.session, audit.system_actor("remind"))
    result = RemindResult()
    users = digests.recipients()
    delivery = queries.deliveries(user.id for user in users)
    now = utcnow()
    for user in users:
        if not digests.is_due(delivery[user.id], today):
            result.skipped += 1
            continue
        digest = digests.build_digest(user, today, sections_for)
        if digest.is_empty:
            continue
        result.digests.append(digest)
        if dry_run:
            continue
        mail = queue_mail(
            user,
            "digest",
            "digest",
            {
                "digest": digest,
                "describe": labels.describe,
                "sections": [(name, labels.SECTION_LABELS[name]) for name in digests.SECTIONS],
                "entry_dates": labels.ENTRY_DATES,
            },
            Envelope(unsubscribe_url=unsubscribe_url(user)),
        )
        result.mails[user.id] = mail
        digests.record_sent(digest, mail.id, now)
    return result
