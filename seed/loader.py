"""Load the YAML files of a seed folder through the services, so that every row is audited.

Records are matched by their natural keys (source key, acronym, theme code, item and indicator
code, measurement date). What is missing is created; what exists is left as it is, because once
loaded, organisations, items and indicators belong to the people who edit them in Suivi — a
second run never undoes their work, and writes nothing when nothing is missing.
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
    """How many records of each kind a load created."""

    created: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str) -> None:
        self.created[kind] = self.created.get(kind, 0) + 1

    @property
    def changed(self) -> bool:
        return bool(self.created)

    def summary(self) -> str:
        if not self.changed:
            return "Seed: nothing to change, the database already holds the seed."
        parts = [f"{n} {kind}" for kind, n in sorted(self.created.items())]
        return "Seed: created " + ", ".join(parts) + "."


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


def _load_sources(seed_dir: str, report: SeedReport) -> None:
    for entry in read(seed_dir, "sources"):
        if _find(Source, Source.key, entry["key"]) is None:
            item_services.create_source(
                SEED_ACTOR,
                key=entry["key"],
                title=entry["title"],
                citation=entry.get("citation") or "",
                url=entry.get("url"),
            )
            report.count("sources")


def _load_organisations(seed_dir: str, report: SeedReport) -> None:
    for entry in read(seed_dir, "organisations"):
        if org_services.find_organisation(entry["acronym"]) is not None:
            continue
        where = entry["acronym"]
        org_services.create_organisation(
            SEED_ACTOR,
            acronym=entry["acronym"],
            name=entry["name"],
            kind=entry.get("kind") or "other",
            description=(entry.get("description") or "").strip(),
            facts=entry.get("facts") or {},
            parent=_org(entry.get("parent"), f"the parent of {where}"),
            source=_ref(Source, Source.key, entry.get("source"), where),
        )
        report.count("organisations")


def _load_themes(seed_dir: str, report: SeedReport) -> None:
    for entry in read(seed_dir, "themes"):
        if _find(Theme, Theme.code, entry["code"]) is not None:
            continue
        item_services.create_theme(
            SEED_ACTOR,
            code=entry["code"],
            title=entry["title"],
            description=(entry.get("description") or "").strip(),
            parent=_ref(Theme, Theme.code, entry.get("parent"), entry["code"]),
            source=_ref(Source, Source.key, entry.get("source"), entry["code"]),
        )
        report.count("themes")


def _load_items(seed_dir: str, report: SeedReport) -> None:
    entries = read(seed_dir, "items")
    created = []
    for entry in entries:  # every item exists before any link is made to it
        if _find(Item, Item.code, entry["code"]) is not None:
            continue
        where = entry["code"]
        item = item_services.create_item(
            SEED_ACTOR,
            code=entry["code"],
            kind=entry["kind"],
            title=entry["title"].strip(),
            text=(entry.get("text") or "").strip(),
            source=_ref(Source, Source.key, entry.get("source"), where),
            source_section=(entry.get("section") or "").strip(),
            priority=entry.get("priority") or "medium",
            lead=_org(entry["lead"], where),
            supporting=[_org(a, where) for a in entry.get("supporting") or []],
            themes=[_ref(Theme, Theme.code, c, where) for c in entry.get("themes") or []],
            due_date=entry.get("due_date"),
        )
        created.append((item, entry))
        report.count("items")
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
    indicator = _find(Indicator, Indicator.code, entry["code"])
    if indicator is None:
        baseline = entry.get("baseline") or {}
        target = entry.get("target") or {}
        indicator = item_services.create_indicator(
            SEED_ACTOR,
            item,
            code=entry["code"],
            name=entry["name"],
            unit=entry.get("unit") or "",
            description=(entry.get("description") or "").strip(),
            baseline_value=baseline.get("value"),
            baseline_date=baseline.get("date"),
            target_value=target.get("value"),
            target_date=target.get("date"),
        )
        report.count("indicators")
    for measurement in entry.get("measurements") or []:
        day = parse_date(measurement["date"], "date")
        exists = db.session.scalar(
            select(Measurement.id).where(
                Measurement.indicator_id == indicator.id, Measurement.measured_on == day
            )
        )
        if exists is None:
            item_services.record_measurement(
                SEED_ACTOR,
                indicator,
                value=measurement["value"],
                measured_on=day,
                note=(measurement.get("note") or "").strip(),
            )
            report.count("measurements")


def load_seed(seed_dir: str) -> SeedReport:
    """Create what ``seed_dir`` holds and the database lacks; the caller commits."""
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
