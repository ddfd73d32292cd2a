"""The reporting rounds and prepared reports the permissions walk runs on."""

from app.downloads.models import READY, PreparedFile
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


def walked_prepared_files(users: dict) -> dict[str, int]:
    """A ready prepared report for each role's user: role -> file id."""
    files = {
        role: PreparedFile(
            user_id=user.id,
            kind="report",
            format="xlsx",
            query={},
            filename="suivi-status-2026-11-30.xlsx",
            state=READY,
            content=b"PK\x03\x04 walked",
            size_bytes=14,
        )
        for role, user in users.items()
    }
    db.session.add_all(files.values())
    db.session.flush()
    return {role: f.id for role, f in files.items()}
