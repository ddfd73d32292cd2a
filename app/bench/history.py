"""Write the planned histories in time order: each item's creation, status updates, comments
and reassignments become rows and the audit events the services would have written."""

from datetime import datetime

from sqlalchemy import Connection

from app.bench import rows
from app.bench.plan import ItemPlan, Step
from app.items import workflow as wf
from app.items.models import Comment, StatusUpdate

ITEMS = "items"
NOTE_BY_STATUS = {
    wf.IN_PROGRESS: "Work under way; progress reported by the field office.",
    wf.BLOCKED: "Blocked: waiting for the partner's decision.",
    wf.IMPLEMENTED: "Reported implemented, awaiting verification.",
    wf.VERIFIED: "Verified on site.",
    wf.NOT_ACCEPTED: "Not accepted by the lead organisation.",
    wf.NO_LONGER_RELEVANT: "Overtaken by events.",
    wf.NOT_STARTED: "Back to the list after review.",
}
COMMENT_BY_PARITY = (
    "Discussed at the **weekly coordination** meeting.",
    "See the regional office's note of this month.",
)


class HistoryWriter:
    """Turns steps into rows and events and writes them in batches."""

    def __init__(self, connection: Connection, refs, first_item: int, chunk: int):
        self.connection = connection
        self.refs = refs
        self.first_item = first_item
        self.chunk = chunk
        self.chain = rows.Chain(connection)
        self.next_update = rows.next_id(connection, StatusUpdate.__table__)
        self.next_comment = rows.next_id(connection, Comment.__table__)
        self.updates: list[dict] = []
        self.comments: list[dict] = []
        self.last_update: dict[int, datetime] = {}
        self.lead: dict[int, int] = {}

    def created(self, item: dict, plan: ItemPlan) -> None:
        """The item's insert event, as it stood when created."""
        lead = self.refs.orgs[plan.lead]
        self.lead[item["id"]] = plan.lead
        self.last_update[item["id"]] = plan.created_at
        changes = rows.item_inserted(
            {
                **item,
                "lead_id": lead,
                "due_date": plan.due_date,
                "created_at": plan.created_at,
            },
            [self.refs.orgs[o] for o in plan.supporting],
            [self.refs.themes[t] for t in plan.themes],
        )
        record = (ITEMS, item["id"], item["id"])
        self.chain.add(plan.created_at, self.refs.manager, "insert", record, changes)

    def step(self, item_id: int, step: Step) -> None:
        """One step of an item's history."""
        if step.kind == "update":
            self._update(item_id, step)
        elif step.kind == "comment":
            self._comment(item_id, step)
        else:
            self._reassign(item_id, step)
        if sum(map(len, (self.chain.pending, self.updates, self.comments))) >= self.chunk:
            self.flush()

    def _author(self, item_id: int, privileged: bool) -> tuple[int, str]:
        """The lead's staff member, or the manager for what only a manager may do (★)."""
        return self.refs.manager if privileged else self.refs.staff[self.lead[item_id]]

    def _update(self, item_id: int, step: Step) -> None:
        data = step.data
        transition = wf.TRANSITIONS[(data["from"], data["to"])]
        author = self._author(item_id, transition.privileged)
        update = {
            "id": self.next_update,
            "item_id": item_id,
            "author_id": author[0],
            "from_status": data["from"],
            "to_status": data["to"],
            "from_progress": data["from_progress"],
            "progress": data["progress"],
            "note": NOTE_BY_STATUS[data["to"]],
            "created_at": step.at,
        }
        self.next_update += 1
        self.updates.append(update)
        record = ("status_updates", update["id"], item_id)
        self.chain.add(step.at, author, "insert", record, rows.update_inserted(update))
        changes = rows.item_updated(update, self.last_update[item_id], step.version)
        self.chain.add(step.at, author, "update", (ITEMS, item_id, item_id), changes)
        self.last_update[item_id] = step.at

    def _comment(self, item_id: int, step: Step) -> None:
        author = self._author(item_id, False)
        comment = {
            "id": self.next_comment,
            "item_id": item_id,
            "author_id": author[0],
            "body": COMMENT_BY_PARITY[self.next_comment % 2],
            "created_at": step.at,
            "updated_at": step.at,
        }
        self.next_comment += 1
        self.comments.append(comment)
        record = ("comments", comment["id"], item_id)
        self.chain.add(step.at, author, "insert", record, rows.comment_inserted(comment))

    def _reassign(self, item_id: int, step: Step) -> None:
        old, new = step.data["old"], step.data["new"]
        if step.kind == "lead":
            self.lead[item_id] = new
            changes = rows.field_changed(
                "lead_id", self.refs.orgs[old], self.refs.orgs[new], step.version
            )
        else:
            changes = rows.field_changed("due_date", old, new, step.version)
        self.chain.add(step.at, self.refs.manager, "update", (ITEMS, item_id, item_id), changes)

    def flush(self) -> None:
        """Write what is pending: updates and comments, then their events."""
        rows.insert_rows(self.connection, StatusUpdate.__table__, self.updates)
        rows.insert_rows(self.connection, Comment.__table__, self.comments)
        rows.insert_rows(self.connection, rows.EVENTS, self.chain.take())
        self.updates, self.comments = [], []
