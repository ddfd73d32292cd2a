"""Crash safety: gunicorn under a write load, a worker and then the master killed with
SIGKILL, restarted; every acknowledged update is stored, every update has its audit event and
every event its update, versions follow the updates, and the audit trail verifies and
explains every record."""

import os
import random
import signal
import threading
import time
from dataclasses import dataclass, field

import pytest
from sqlalchemy import create_engine, func, select

from app import models  # noqa: F401  (every mapped class, for the replay)
from app.audit import verify_chain
from app.audit.models import AuditEvent
from app.audit.replay import replay
from app.extensions import db
from app.items.models import Item, StatusUpdate
from tests.conftest import is_postgres
from tests.durability.servers import Server, database_url, free_port, prepare, request

CLIENTS = 4
ITEMS = 8
PHASE_SECONDS = 3.0


def _databases():
    kinds = [pytest.param("sqlite", id="sqlite")]
    if is_postgres():
        kinds.append(pytest.param("postgresql", id="postgresql"))
    return kinds


@dataclass
class Load:
    """Clients posting status updates with unique notes to random items, as fast as they can."""

    port: int
    tokens: list[str]
    item_ids: list[int]
    acknowledged: list[tuple[int, str, int]] = field(default_factory=list)  # item, note, version
    answers: dict[int, int] = field(default_factory=dict)  # status -> count
    unanswered: int = 0
    stopping: threading.Event = field(default_factory=threading.Event)

    def client(self, n: int) -> None:
        rng = random.Random(n)
        sent = 0
        while not self.stopping.is_set():
            item_id = rng.choice(self.item_ids)
            try:
                status, item = request(
                    self.port, "GET", f"/api/v1/items/{item_id}", self.tokens[n], timeout=10
                )
                if status != 200:
                    self.answers[status] = self.answers.get(status, 0) + 1
                    continue
                sent += 1
                note = f"client {n} update {sent}"
                body = {
                    "status": "in_progress",
                    "progress": rng.randint(1, 99),
                    "note": note,
                    "version": item["version"],
                }
                status, answer = request(
                    self.port,
                    "POST",
                    f"/api/v1/items/{item_id}/updates",
                    self.tokens[n],
                    body,
                    timeout=10,
                )
            except OSError:  # the server was killed under us: no answer, nothing promised
                self.unanswered += 1
                time.sleep(0.05)
                continue
            self.answers[status] = self.answers.get(status, 0) + 1
            if status == 201:
                self.acknowledged.append((item_id, note, answer["version"]))

    def run(self) -> list[threading.Thread]:
        threads = [threading.Thread(target=self.client, args=(n,)) for n in range(CLIENTS)]
        for t in threads:
            t.start()
        return threads


def _check(url: str, load: Load) -> dict:
    engine = create_engine(url)
    with engine.connect() as connection:
        notes = set(connection.execute(select(StatusUpdate.note)).scalars())
        lost = [ack for ack in load.acknowledged if ack[1] not in notes]
        updates = set(connection.execute(select(StatusUpdate.id)).scalars())
        logged = set(
            connection.execute(
                select(AuditEvent.record_id).where(
                    AuditEvent.record_type == "status_updates", AuditEvent.action == "insert"
                )
            ).scalars()
        )
        per_item = dict(
            connection.execute(
                select(StatusUpdate.item_id, func.count()).group_by(StatusUpdate.item_id)
            ).all()
        )
        items = connection.execute(select(Item.id, Item.version, Item.progress)).all()
        latest = {
            item_id: progress
            for item_id, progress in connection.execute(
                select(StatusUpdate.item_id, StatusUpdate.progress).order_by(StatusUpdate.id)
            )
        }
        chain = verify_chain(connection)
        explained = replay(connection, db.Model.registry)
    engine.dispose()
    acked_versions = [(item_id, version) for item_id, _note, version in load.acknowledged]
    return {
        "lost": lost,
        "updates without event": sorted(updates - logged),
        "events without update": sorted(logged - updates),
        "versions not 1 + updates": [
            (i, v, per_item.get(i)) for i, v, _p in items if v != 1 + per_item.get(i, 0)
        ],
        "progress not the last update's": [(i, p) for i, _v, p in items if p != latest.get(i)],
        "a version acknowledged twice": len(acked_versions) - len(set(acked_versions)),
        "chain": (chain.ok, chain.bad_id, chain.reason),
        "replay": [str(d) for d in explained.discrepancies],
    }


@pytest.mark.parametrize("kind", _databases())
def test_acknowledged_updates_survive_sigkill_of_workers_and_master(kind):
    prepared = prepare(database_url(kind, "crash"), items=ITEMS, tokens=CLIENTS)
    port = free_port()
    load = Load(port, prepared.tokens, prepared.item_ids)
    server = Server("gunicorn", prepared, workers=2, port=port).start()
    threads = load.run()
    try:
        time.sleep(PHASE_SECONDS)
        acked_before_kills = len(load.acknowledged)
        os.kill(server.worker_pids()[0], signal.SIGKILL)
        time.sleep(PHASE_SECONDS)
        server.kill_group()  # the master and every worker at once
        time.sleep(0.5)
        server = Server("gunicorn", prepared, workers=2, port=port).start()
        time.sleep(PHASE_SECONDS)
    finally:
        load.stopping.set()
        for t in threads:
            t.join()
        server.stop()
    found = _check(prepared.url, load)
    assert found == {
        "lost": [],
        "updates without event": [],
        "events without update": [],
        "versions not 1 + updates": [],
        "progress not the last update's": [],
        "a version acknowledged twice": 0,
        "chain": (True, None, ""),
        "replay": [],
    }
    assert acked_before_kills > 10
    assert len(load.acknowledged) > acked_before_kills
    assert sorted(load.answers) in ([201], [201, 409]), load.answers  # never a 5xx
    print(
        f"\n{kind}: {sum(load.answers.values())} answers {load.answers}, "
        f"{load.unanswered} requests unanswered while killed or down, "
        f"{len(load.acknowledged)} acknowledged, 0 lost"
    )
