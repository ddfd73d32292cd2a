"""Load the YAML files of a seed folder through the services, so that every row is audited.

Records are matched by their natural keys (source key, acronym, theme code, item and indicator
code, measurement date). What is missing is created. What exists is brought up to date field by
field, but only where no one else has touched it: the audit trail tells, for each record the
seed created, which fields a person (or any actor other than the seed) has since set, and
those fields are theirs — the seed leaves them, and says so. A record the seed did not create
is left whole. When nothing differs, nothing is written (no audit event either).

Links between items are made when an item is created and not revisited.
"""

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yaml
from sqlalchemy import select

from app.audit import queries as audit_queries
from app.auth import services as auth_services
from app.core.errors import N_, SuiviError, ValidationError
from app.core.roles import SystemActor
from app.core.validation import parse_date, parse_number
from app.extensions import db
from app.items import services as item_services
from app.items.models import Indicator, Item, Measurement, Source, Theme
from app.stakeholders import services as org_services

SEED_ACTOR = SystemActor("seed")

# Where a service field is recorded under another name in the audit trail.
AUDIT_NAMES = {"source": "source_id", "lead": "lead_id", "parent": "parent_id"}


@dataclass
class SeedReport:
    """What a load created and updated, and the fields it left because people changed them."""

    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    kept: list[str] = field(default_factory=list)

    def count(self, kind: str) -> None:
        self.created[kind] = self.created.get(kind, 0) + 1

    def count_update(self, kind: str) -> None:
        self.updated[kind] = self.updated.get(kind, 0) + 1

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def summary(self) -> str:
        if not self.changed:
            text = "Seed: nothing to change" + (
                "." if self.kept else ", the database already holds the seed."
            )
        else:
            parts = []
            for verb, counts in (("created", self.created), ("updated", self.updated)):
                if counts:
                    parts.append(
                        verb + " " + ", ".join(f"{n} {k}" for k, n in sorted(counts.items()))
                    )
            text = "Seed: " + "; ".join(parts) + "."
        if self.kept:
            text += (
                "\nKept as people changed them (the seed differs): " + ", ".join(self.kept) + "."
            )
        return text


def read(seed_dir: str, name: str) -> list[dict[str, Any]]:
    """The list under the top-level key ``name`` of ``<seed_dir>/<name>.yaml``."""
    path = os.path.join(seed_dir, f"{name}.yaml")
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or {}
    return data.get(name) or []


def _org(acronym: str | None, where: str):
    if acronym is None:
        return None
    org = org_services.find_organisation(acronym)
    if org is None:
        raise ValidationError(
            N_("Unknown organisation %(acronym)s in %(where)s."), acronym=acronym, where=where
        )
    return org


def _find(model, column, value):
    return db.session.scalar(select(model).where(column == value))


def _ref(model, column, value, where: str):
    if value is None:
        return None
    obj = _find(model, column, value)
    if obj is None:
        raise ValidationError(
            N_("Unknown reference %(value)s in %(where)s."), value=value, where=where
        )
    return obj


def _text(value: Any) -> str:
    return (value or "").strip()


def _comparable(value: Any) -> Any:
    """A value to compare with: records by table and id, collections as sorted lists."""
    if isinstance(value, list | tuple | set):
        return sorted((_comparable(v) for v in value), key=repr)
    if hasattr(value, "__table__"):
        return (value.__table__.name, value.id)
    return value


def changed_by_others(record_type: str, record_id: int) -> set[str] | None:
    """The fields of a record that an actor other than the seed has set since the record was
    created, as the audit trail names them; ``None`` when the seed did not create it."""
    touched: set[str] = set()
    seeded = False
    for event in audit_queries.record_events(record_type, record_id):
        if event.action == "insert":  # a (re)created record starts a new history
            touched, seeded = set(), event.actor == SEED_ACTOR.email
        if event.actor != SEED_ACTOR.email:
            touched.update(event.changes or {})
    return touched if seeded else None


def _update(
    record: Any,
    wanted: dict[str, Any],
    where: str,
    report: SeedReport,
    apply: Callable[..., object],  # called with the changes; lambdas bind their record
) -> None:
    """Apply the fields of ``wanted`` that differ from ``record`` and that only the seed has
    set; report the others as kept. Nothing is written when nothing differs."""
    differ = {
        key: value
        for key, value in wanted.items()
        if _comparable(getattr(record, key)) != _comparable(value)
    }
    if not differ:
        return
    theirs = changed_by_others(record.__table__.name, record.id)
    changes = {}
    for key, value in differ.items():
        if theirs is None or AUDIT_NAMES.get(key, key) in theirs:
            report.kept.append(f"{where} {key}")
        else:
            changes[key] = value
    if not changes:
        return
    try:
        with db.session.begin_nested():  # a refusal undoes this record's change alone
            apply(changes)
    except SuiviError as exc:
        report.kept.append(f"{where} ({exc.message})")
        return
    report.count_update(record.__table__.name)


def _load_sources(seed_dir: str, report: SeedReport) -> None:
    for entry in read(seed_dir, "sources"):
        wanted: dict[str, Any] = {
            "title": _text(entry["title"]),
            "citation": _text(entry.get("citation")),
            "url": entry.get("url") or None,
        }
        source = _find(Source, Source.key, entry["key"])
        if source is None:
            item_services.create_source(SEED_ACTOR, key=entry["key"], **wanted)
            report.count("sources")
        else:
            _update(
                source,
                wanted,
                entry["key"],
                report,
                lambda changes, s=source: item_services.edit_source(SEED_ACTOR, s, **changes),
            )


def _load_organisations(seed_dir: str, report: SeedReport) -> None:
    for entry in read(seed_dir, "organisations"):
        where = entry["acronym"]
        wanted = {
            "name": _text(entry["name"]),
            "kind": entry.get("kind") or "other",
            "description": _text(entry.get("description")),
            "facts": entry.get("facts") or {},
            "parent": _org(entry.get("parent"), f"the parent of {where}"),
            "source": _ref(Source, Source.key, entry.get("source"), where),
        }
        org = org_services.find_organisation(entry["acronym"])
        if org is None:
            org_services.create_organisation(SEED_ACTOR, acronym=entry["acronym"], **wanted)
            report.count("organisations")
        else:
            _update(
                org,
                wanted,
                where,
                report,
                lambda changes, o=org: org_services.update_organisation(SEED_ACTOR, o, **changes),
            )


def _load_themes(seed_dir: str, report: SeedReport) -> None:
    for entry in read(seed_dir, "themes"):
        where = entry["code"]
        wanted = {
            "title": _text(entry["title"]),
            "description": _text(entry.get("description")),
            "parent": _ref(Theme, Theme.code, entry.get("parent"), where),
            "source": _ref(Source, Source.key, entry.get("source"), where),
        }
        theme = _find(Theme, Theme.code, entry["code"])
        if theme is None:
            item_services.create_theme(SEED_ACTOR, code=entry["code"], **wanted)
            report.count("themes")
        else:
            _update(
                theme,
                wanted,
                where,
                report,
                lambda changes, t=theme: item_services.edit_theme(SEED_ACTOR, t, **changes),
            )


def _item_fields(entry: dict[str, Any]) -> dict[str, Any]:
    where = entry["code"]
    return {
        "kind": entry["kind"],
        "title": _text(entry["title"]),
        "text": _text(entry.get("text")),
        "source": _ref(Source, Source.key, entry.get("source"), where),
        "source_section": _text(entry.get("section")),
        "priority": entry.get("priority") or "medium",
        "lead": _org(entry["lead"], where),
        "supporting": [_org(a, where) for a in entry.get("supporting") or []],
        "themes": [_ref(Theme, Theme.code, c, where) for c in entry.get("themes") or []],
        "due_date": parse_date(entry.get("due_date"), "due_date"),
    }


def _load_items(seed_dir: str, report: SeedReport) -> None:
    entries = read(seed_dir, "items")
    created = []
    for entry in entries:  # every item exists before any link is made to it
        item = _find(Item, Item.code, entry["code"])
        wanted = _item_fields(entry)
        if item is None:
            item = item_services.create_item(SEED_ACTOR, code=entry["code"], **wanted)
            created.append((item, entry))
            report.count("items")
        else:
            _update(
                item,
                wanted,
                entry["code"],
                report,
                lambda changes, i=item: item_services.edit_item(
                    SEED_ACTOR, i, i.version, **changes
                ),
            )
    for item, entry in created:
        addressed = [_ref(Item, Item.code, c, entry["code"]) for c in entry.get("addresses") or []]
        if addressed:
            # Links made to this item from elsewhere stay; the seed adds what it addresses.
            item_services.edit_item(
                SEED_ACTOR, item, item.version, links=[*addressed, *item.addressed_by]
            )
            report.count("item links")
    for entry in entries:
        item = _find(Item, Item.code, entry["code"])
        for indicator_entry in entry.get("indicators") or []:
            _load_indicator(item, indicator_entry, report)


def _load_indicator(item: Item, entry: dict[str, Any], report: SeedReport) -> None:
    baseline = entry.get("baseline") or {}
    target = entry.get("target") or {}
    wanted = {
        "name": _text(entry["name"]),
        "unit": _text(entry.get("unit")),
        "description": _text(entry.get("description")),
        "baseline_value": parse_number(baseline.get("value"), "baseline_value"),
        "baseline_date": parse_date(baseline.get("date"), "baseline_date"),
        "target_value": parse_number(target.get("value"), "target_value"),
        "target_date": parse_date(target.get("date"), "target_date"),
    }
    indicator = _find(Indicator, Indicator.code, entry["code"])
    if indicator is None:
        indicator = item_services.create_indicator(SEED_ACTOR, item, code=entry["code"], **wanted)
        report.count("indicators")
    else:
        _update(
            indicator,
            wanted,
            entry["code"],
            report,
            lambda changes: item_services.edit_indicator(SEED_ACTOR, indicator, **changes),
        )
    for measurement in entry.get("measurements") or []:
        day = parse_date(measurement["date"], "date")
        if day is None:
            raise ValidationError(N_("%(field)s is required."), field="date")
        wanted_values = {
            "value": parse_number(measurement["value"], "value", required=True),
            "note": _text(measurement.get("note")),
        }
        existing = db.session.scalar(
            select(Measurement).where(
                Measurement.indicator_id == indicator.id, Measurement.measured_on == day
            )
        )
        if existing is None:
            item_services.record_measurement(
                SEED_ACTOR, indicator, measured_on=day, **wanted_values
            )
            report.count("measurements")
        else:
            _update(
                existing,
                wanted_values,
                f"{entry['code']} {day.isoformat()}",
                report,
                lambda changes, m=existing: item_services.record_measurement(
                    SEED_ACTOR,
                    indicator,
                    measured_on=m.measured_on,
                    **{"value": m.value, "note": m.note, **changes},
                ),
            )


def load_seed(seed_dir: str) -> SeedReport:
    """Create what ``seed_dir`` holds and the database lacks, and update what only the seed
    has set and the seed now says otherwise; the caller commits."""
    report = SeedReport()
    _load_sources(seed_dir, report)
    _load_organisations(seed_dir, report)
    _load_themes(seed_dir, report)
    _load_items(seed_dir, report)
    return report


def load_demo_users(seed_dir: str) -> list[dict[str, Any]]:
    """Create the demo users of ``demo_users.yaml`` that do not exist yet; return them all
    with their passwords, to print."""
    users = read(seed_dir, "demo_users")
    for entry in users:
        if auth_services.find_user(entry["email"]) is None:
            auth_services.create_user(
                SEED_ACTOR,
                email=entry["email"],
                name=entry["name"],
                role=entry["role"],
                organisation=_org(entry["organisation"], entry["email"]),
                password=entry["password"],
                language=entry.get("language"),
            )
    return users
