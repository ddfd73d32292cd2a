"""Load the YAML files of a seed folder through the services, so that every row is audited.

Idempotent: records are matched by their natural keys (source key, acronym, theme code, item
and indicator code, measurement date) and only differing fields are written, so a second run
writes nothing.
"""

import os
from dataclasses import dataclass, field
from typing import Any

import yaml
from sqlalchemy import select

from app.auth import services as auth_services
from app.core.errors import N_, ValidationError
from app.core.roles import SystemActor
from app.core.validation import parse_date
from app.extensions import db
from app.items import services as item_services
from app.items.models import Indicator, Item, Measurement, Source, Theme
from app.stakeholders import services as org_services

SEED_ACTOR = SystemActor("seed")


@dataclass
class SeedReport:
    """What a load created and changed, by kind of record."""

    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, created: bool) -> None:
        target = self.created if created else self.updated
        target[kind] = target.get(kind, 0) + 1

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def summary(self) -> str:
        if not self.changed:
            return "Seed: nothing to change, the database already holds the seed."
        parts = [f"{n} {k} created" for k, n in sorted(self.created.items())]
        parts += [f"{n} {k} updated" for k, n in sorted(self.updated.items())]
        return "Seed: " + ", ".join(parts) + "."


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
        raise ValidationError(N_("Unknown organisation %(acronym)s in %(where)s."),
                              acronym=acronym, where=where)
    return org


def _by_key(model, column, value, where: str):
    if value is None:
        return None
    obj = db.session.scalar(select(model).where(column == value))
    if obj is None:
        raise ValidationError(N_("Unknown reference %(value)s in %(where)s."),
                              value=value, where=where)
    return obj


def _load_sources(seed_dir: str, report: SeedReport) -> None:
    for entry in read(seed_dir, "sources"):
        existed = db.session.scalar(select(Source).where(Source.key == entry["key"]))
        before = _snapshot(existed, ("title", "citation", "url"))
        source = item_services.upsert_source(
            SEED_ACTOR, key=entry["key"], title=entry["title"],
            citation=entry.get("citation") or "", url=entry.get("url"))
        if existed is None:
            report.count("sources", True)
        elif before != _snapshot(source, ("title", "citation", "url")):
            report.count("sources", False)


def _snapshot(obj, names) -> tuple | None:
    return None if obj is None else tuple(getattr(obj, n) for n in names)


def _load_organisations(seed_dir: str, report: SeedReport) -> None:
    for entry in read(seed_dir, "organisations"):
        wanted = {
            "name": entry["name"],
            "kind": entry.get("kind") or "other",
            "description": (entry.get("description") or "").strip(),
            "facts": entry.get("facts") or {},
            "parent": _org(entry.get("parent"), f"the parent of {entry['acronym']}"),
            "source": _by_key(Source, Source.key, entry.get("source"), entry["acronym"]),
        }
        org = org_services.find_organisation(entry["acronym"])
        if org is None:
            org_services.create_organisation(SEED_ACTOR, acronym=entry["acronym"], **wanted)
            report.count("organisations", True)
            continue
        changed = {k: v for k, v in wanted.items() if getattr(org, k) != v}
        if changed:
            org_services.update_organisation(SEED_ACTOR, org, **changed)
            report.count("organisations", False)


def _load_themes(seed_dir: str, report: SeedReport) -> None:
    for entry in read(seed_dir, "themes"):
        existed = db.session.scalar(select(Theme).where(Theme.code == entry["code"]))
        names = ("title", "description", "parent_id", "source_id")
        before = _snapshot(existed, names)
        theme = item_services.upsert_theme(
            SEED_ACTOR, code=entry["code"], title=entry["title"],
            description=(entry.get("description") or "").strip(),
            parent=_by_key(Theme, Theme.code, entry.get("parent"), entry["code"]),
            source=_by_key(Source, Source.key, entry.get("source"), entry["code"]),
        )
        if existed is None:
            report.count("themes", True)
        elif before != _snapshot(theme, names):
            report.count("themes", False)


def _item_fields(entry: dict[str, Any], with_links: bool) -> dict[str, Any]:
    where = entry["code"]
    data = {
        "kind": entry["kind"],
        "title": entry["title"].strip(),
        "text": (entry.get("text") or "").strip(),
        "source": _by_key(Source, Source.key, entry.get("source"), where),
        "source_section": (entry.get("section") or "").strip(),
        "priority": entry.get("priority") or "medium",
        "lead": _org(entry["lead"], where),
        "supporting": [_org(a, where) for a in entry.get("supporting") or []],
        "themes": [_by_key(Theme, Theme.code, c, where) for c in entry.get("themes") or []],
        "due_date": entry.get("due_date"),
    }
    if with_links:
        data["links"] = [_by_key(Item, Item.code, c, where) for c in entry.get("addresses") or []]
        # Keep the links made from the other side (a challenge lists none of its own).
        item = db.session.scalar(select(Item).where(Item.code == entry["code"]))
        if item is not None and entry["kind"] == "challenge":
            data["links"] = sorted({*data["links"], *item.addressed_by}, key=lambda i: i.id)
    return data


def _load_items(seed_dir: str, report: SeedReport) -> None:
    entries = read(seed_dir, "items")
    # Two passes: every item exists before any link is made to it.
    for entry in entries:
        item = db.session.scalar(select(Item).where(Item.code == entry["code"]))
        data = _item_fields(entry, with_links=False)
        if item is None:
            item_services.create_item(SEED_ACTOR, code=entry["code"], **data)
            report.count("items", True)
        elif item_services.edit_item(SEED_ACTOR, item, item.version, **data):
            report.count("items", False)
    for entry in entries:
        if entry.get("kind") == "challenge":
            continue
        item = db.session.scalar(select(Item).where(Item.code == entry["code"]))
        links = _item_fields(entry, with_links=True)["links"]
        had_links = bool(item.links)
        if item_services.edit_item(SEED_ACTOR, item, item.version, links=links):
            report.count("item links", not had_links)
        for indicator_entry in entry.get("indicators") or []:
            _load_indicator(item, indicator_entry, report)
    for entry in entries:  # challenges may carry indicators too
        if entry.get("kind") == "challenge":
            item = db.session.scalar(select(Item).where(Item.code == entry["code"]))
            for indicator_entry in entry.get("indicators") or []:
                _load_indicator(item, indicator_entry, report)


def _load_indicator(item: Item, entry: dict[str, Any], report: SeedReport) -> None:
    baseline = entry.get("baseline") or {}
    target = entry.get("target") or {}
    names = ("name", "unit", "description", "baseline_value", "baseline_date", "target_value",
             "target_date")
    existed = db.session.scalar(select(Indicator).where(Indicator.code == entry["code"]))
    before = _snapshot(existed, names)
    indicator = item_services.upsert_indicator(
        SEED_ACTOR, item, code=entry["code"], name=entry["name"], unit=entry.get("unit") or "",
        description=(entry.get("description") or "").strip(),
        baseline_value=baseline.get("value"), baseline_date=baseline.get("date"),
        target_value=target.get("value"), target_date=target.get("date"),
    )
    if existed is None:
        report.count("indicators", True)
    elif before != _snapshot(indicator, names):
        report.count("indicators", False)
    for measurement in entry.get("measurements") or []:
        day = parse_date(measurement["date"], "date")
        current = db.session.scalar(select(Measurement).where(
            Measurement.indicator_id == indicator.id, Measurement.measured_on == day))
        note = (measurement.get("note") or "").strip()
        if current is not None and current.value == float(measurement["value"]) \
                and current.note == note:
            continue
        item_services.record_measurement(SEED_ACTOR, indicator, value=measurement["value"],
                                         measured_on=day, note=note)
        report.count("measurements", current is None)


def load_seed(seed_dir: str) -> SeedReport:
    """Apply every file of ``seed_dir`` in dependency order; the caller commits."""
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
                SEED_ACTOR, email=entry["email"], name=entry["name"], role=entry["role"],
                organisation=_org(entry["organisation"], entry["email"]),
                password=entry["password"], language=entry.get("language"),
            )
    return users
