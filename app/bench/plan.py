"""The life of a generated item, planned in plain Python: what it is, and what happens to it
when (status updates along the workflow, comments, a new lead or due date).

No database here: ``plan_item`` draws from a seeded random generator, so the same seed gives
the same data set, and the writer turns each planned step into rows and audit events.
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from app.items import workflow as wf

KINDS = ("challenge", "recommendation", "action")
KIND_WEIGHTS = (15, 35, 50)
PRIORITIES = ("high", "medium", "low")
VERBS = ("Strengthen", "Deploy", "Train", "Review", "Fund", "Coordinate", "Monitor", "Protect")
TOPICS = (
    "police patrols in the north",
    "judicial case management",
    "civil affairs liaison",
    "border control posts",
    "local mediation committees",
    "convoy logistics",
    "human rights reporting",
    "early warning networks",
    "return of state administration",
    "community violence reduction",
)
NOTES = ("Progress reported by the field office.", "Discussed at the weekly meeting.")
# Weighted next steps from each status: mostly forward, long items report progress monthly.
STEPS = {
    wf.NOT_STARTED: ((wf.IN_PROGRESS, 85), (wf.BLOCKED, 8), (wf.NOT_ACCEPTED, 4)),
    wf.IN_PROGRESS: ((wf.IN_PROGRESS, 84), (wf.IMPLEMENTED, 7), (wf.BLOCKED, 8)),
    wf.BLOCKED: ((wf.IN_PROGRESS, 70), (wf.BLOCKED, 22), (wf.NO_LONGER_RELEVANT, 8)),
    wf.IMPLEMENTED: ((wf.VERIFIED, 75), (wf.IN_PROGRESS, 25)),
    wf.VERIFIED: ((wf.IN_PROGRESS, 100),),
    wf.NOT_ACCEPTED: ((wf.NOT_STARTED, 100),),
    wf.NO_LONGER_RELEVANT: ((wf.NOT_STARTED, 100),),
}
LONG_HISTORY = 25  # status updates of the few items with a long history (about 50 events)


@dataclass(slots=True)
class Step:
    """One planned change: ``kind`` is update, comment, lead or due; ``version`` is the item's
    version after it (unchanged by a comment)."""

    at: datetime
    kind: str
    version: int
    data: dict = field(default_factory=dict)


@dataclass(slots=True)
class ItemPlan:
    """An item as created, and its history in time order."""

    created_at: datetime
    kind: str
    title: str
    priority: str
    lead: int  # index into the organisations
    supporting: list[int]
    themes: list[int]
    due_date: date | None
    steps: list[Step]

    def final(self) -> dict:
        """Status, progress, lead, due date, last update and version after every step."""
        state = {
            "status": wf.NOT_STARTED,
            "progress": 0,
            "lead": self.lead,
            "due_date": self.due_date,
            "last_update_at": self.created_at,
            "updated_at": self.created_at,
            "version": 1,
        }
        for step in self.steps:
            if step.kind == "update":
                state["status"], state["progress"] = step.data["to"], step.data["progress"]
                state["last_update_at"] = step.at
            elif step.kind == "lead":
                state["lead"] = step.data["new"]
            elif step.kind == "due":
                state["due_date"] = step.data["new"]
            if step.kind != "comment":
                state["updated_at"] = step.at
            state["version"] = step.version
        return state


def _choose(rng: random.Random, options) -> str:
    values, weights = zip(*options, strict=True)
    return rng.choices(values, weights)[0]


def _walk(rng: random.Random, count: int) -> list[tuple[str, str, int, int]]:
    """``count`` transitions along the workflow: (from, to, from progress, progress).

    A closed item (verified, not accepted, no longer relevant) mostly stays closed.
    """
    status, progress, moves = wf.NOT_STARTED, 0, []
    for _ in range(count):
        if status in wf.CLOSED_STATUSES and rng.random() < 0.85:
            break
        target = _choose(rng, STEPS[status])
        if target in wf.FIXED_PROGRESS:
            new = wf.FIXED_PROGRESS[target]
        elif status == target or target == wf.IN_PROGRESS:
            new = min(95, progress + rng.randint(1, 12))
        else:
            new = progress
        moves.append((status, target, progress, new))
        status, progress = target, new
    return moves


def _moments(rng: random.Random, start: datetime, end: datetime, count: int) -> list[datetime]:
    span = (end - start).total_seconds()
    return sorted(start + timedelta(seconds=rng.uniform(60, max(span, 120))) for _ in range(count))


def plan_item(rng: random.Random, created_at: datetime, now: datetime, orgs: int, themes: int):
    """Plan one item created at ``created_at``: about ten status updates and two comments
    spread over its active life, and now and then a new lead or due date."""
    lead = _lead(rng, orgs)
    others = [o for o in rng.sample(range(orgs), 3) if o != lead][: rng.randint(0, 2)]
    due: date | None = created_at.date() + timedelta(days=rng.randint(30, 540))
    due = due if rng.random() < 0.9 else None
    active_until = created_at + (now - created_at) * rng.uniform(0.1, 1.0)
    draw = rng.random()
    count = LONG_HISTORY if draw < 0.01 else 0 if draw < 0.1 else rng.randint(1, 29)
    moves = _walk(rng, count)
    timeline: list[tuple[str, Any]] = [("update", move) for move in moves]
    timeline += [("comment", None)] * 2
    if rng.random() < 0.1:
        timeline.append(("lead", _lead(rng, orgs)))
    if rng.random() < 0.15:
        timeline.append(("due", rng.randint(-60, 180)))
    moments = _moments(rng, created_at, min(active_until, now), len(timeline))
    return ItemPlan(
        created_at=created_at,
        kind=_choose(rng, zip(KINDS, KIND_WEIGHTS, strict=True)),
        title=f"{rng.choice(VERBS)} {rng.choice(TOPICS)}",
        priority=rng.choice(PRIORITIES),
        lead=lead,
        supporting=sorted(others),
        themes=sorted(rng.sample(range(themes), rng.randint(1, 2))),
        due_date=due,
        steps=_steps(rng, moves, timeline, moments, orgs=(lead, others), due=due),
    )


def _steps(rng, moves, timeline, moments, *, orgs, due) -> list[Step]:
    """Place the updates in order and the other steps between them, numbering versions."""
    slots = list(range(len(timeline)))
    update_slots = sorted(rng.sample(slots, len(moves)))
    taken = set(update_slots)
    other_slots = [s for s in slots if s not in taken]
    placed = dict(zip(update_slots, timeline[: len(moves)], strict=True))
    placed.update(zip(other_slots, timeline[len(moves) :], strict=True))
    (lead, supporting), steps, version = orgs, [], 1
    for slot in slots:
        kind, value = placed[slot]
        at = moments[slot]
        if kind == "update":
            version += 1
            old, new, old_progress, progress = value
            data = {"from": old, "to": new, "from_progress": old_progress, "progress": progress}
        elif kind == "comment":
            data = {}
        elif kind == "lead":
            if value == lead or value in supporting:
                continue
            version += 1
            data, lead = {"old": lead, "new": value}, value
        else:
            version += 1
            new_due = at.date() + timedelta(days=value)
            data, due = {"old": due, "new": new_due}, new_due
        steps.append(Step(at, kind, version, data))
    return steps


def _lead(rng: random.Random, orgs: int) -> int:
    """A lead organisation, a few leading much more than the others (as a mission would)."""
    return rng.choices(range(orgs), LEAD_WEIGHTS[:orgs])[0]


LEAD_WEIGHTS = [1 / (rank + 1) ** 0.7 for rank in range(200)]
