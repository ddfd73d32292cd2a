"""The reporting rounds the permissions walk runs on."""

from app.extensions import db
from app.rounds import services as round_services
from app.rounds.models import RoundReport
from tests.factories import SYSTEM


def walked_rounds() -> tuple[int, int]:
    """An open round and a closed one with a stored file (the walk may close the open one)."""
    rounds = [
        round_services.open_round(
            SYSTEM, title=title, opens_on="2026-01-01", due_on="2026-12-31", filters={}
        )
        for title in ("Walked open round", "Walked closed round")
    ]
    closed = rounds[1]
    closed.closed_at = closed.created_at
    db.session.add(
        RoundReport(
            round_id=closed.id,
            format="csv",
            content=b"id\r\n",
            size_bytes=4,
            sha256="0" * 64,
            as_of=closed.due_on,
            created_at=closed.created_at,
        )
    )
    return rounds[0].id, closed.id
