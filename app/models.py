"""Imports every model so that metadata, migrations and relationships see all of them."""

from app.audit.models import AuditEvent
from app.auth.models import ApiToken, User
from app.downloads.models import PreparedFile
from app.items.models import (
    Comment,
    Evidence,
    Indicator,
    Item,
    Measurement,
    Source,
    StatusUpdate,
    Theme,
    item_links,
    item_supporters,
    item_themes,
)
from app.jobs.models import Job
from app.mail.models import OutgoingMail
from app.notifications.models import DeliveryChoice, Notification, ReminderSent, Watch
from app.public.models import Publication
from app.rounds.models import Round, RoundItem, RoundReport
from app.stakeholders.models import Organisation

__all__ = [
    "ApiToken",
    "AuditEvent",
    "Comment",
    "DeliveryChoice",
    "Evidence",
    "Indicator",
    "Item",
    "Job",
    "Measurement",
    "Notification",
    "Organisation",
    "OutgoingMail",
    "PreparedFile",
    "Publication",
    "ReminderSent",
    "Round",
    "RoundItem",
    "RoundReport",
    "Source",
    "StatusUpdate",
    "Theme",
    "User",
    "Watch",
    "item_links",
    "item_supporters",
    "item_themes",
]
