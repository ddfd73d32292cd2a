"""The spreadsheet to fill in: the sheet ``Items`` with the columns and a hints row (its code
starts with ``#``, so the import skips it), drop-down lists of the valid values, and a sheet
``Values`` listing every kind, priority, status, organisation, theme and source."""

import io

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import select

from app.extensions import db
from app.imports.columns import COLUMNS
from app.items.models import ITEM_KINDS, PRIORITIES, Source, Theme
from app.items.workflow import STATUSES
from app.stakeholders.models import Organisation

ROWS_VALIDATED = 5000
# Each list column of the Values sheet: its title and where it is checked in Items.
LISTED = ("kind", "priority", "status", "lead", "themes", "source")


def _hints() -> dict[str, str]:
    return {
        "code": _("# Required, unique: how Suivi recognises the item (e.g. R-12)"),
        "kind": _("challenge, recommendation, action or opportunity"),
        "title": _("Required for a new item"),
        "text": _("Optional"),
        "source": _("Source key (see the Sources page)"),
        "section": _("Where in the source"),
        "themes": _("Theme codes separated by ;"),
        "lead": _("Acronym of the lead organisation"),
        "supporting": _("Acronyms separated by ;"),
        "owner": _("Email of a user"),
        "due_date": _("YYYY-MM-DD"),
        "priority": _("high, medium or low"),
        "status": _("Empty: not started"),
        "progress": _("0 to 100"),
        "addresses": _("Codes of the items it addresses, separated by ;"),
    }


def _values() -> dict[str, list[str]]:
    return {
        "kind": list(ITEM_KINDS),
        "priority": list(PRIORITIES),
        "status": list(STATUSES),
        "lead": list(
            db.session.scalars(select(Organisation.acronym).order_by(Organisation.acronym))
        ),
        "themes": list(db.session.scalars(select(Theme.code).order_by(Theme.code))),
        "source": list(db.session.scalars(select(Source.key).order_by(Source.key))),
    }


def build() -> bytes:
    """The template as XLSX bytes, its hints in the current language."""
    book = Workbook()
    book.remove(book.worksheets[0])
    items = book.create_sheet("Items")
    items.append(list(COLUMNS))
    hints = _hints()
    items.append([hints[c] for c in COLUMNS])
    fill = PatternFill("solid", fgColor="DDE6F0")
    for cell in items[1]:
        cell.font, cell.fill = Font(bold=True), fill
    for cell in items[2]:
        cell.font = Font(italic=True, color="555555")
    items.freeze_panes = "A3"
    for index, column in enumerate(COLUMNS, start=1):
        items.column_dimensions[get_column_letter(index)].width = 40 if column == "title" else 18
    values = book.create_sheet("Values")
    lists = _values()
    for index, name in enumerate(LISTED, start=1):
        letter = get_column_letter(index)
        values.cell(row=1, column=index, value=name).font = Font(bold=True)
        for row, value in enumerate(lists[name], start=2):
            values.cell(row=row, column=index, value=value)
        if name != "themes" and lists[name]:
            _validate(items, name, f"Values!${letter}$2:${letter}${len(lists[name]) + 1}")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _validate(sheet, column: str, source: str) -> None:
    """A drop-down list of ``source`` on ``column`` (a warning, not a refusal: the import
    checks every value anyway and says what is wrong)."""
    letter = get_column_letter(COLUMNS.index(column) + 1)
    rule = DataValidation(type="list", formula1=source, allow_blank=True, errorStyle="warning")
    rule.add(f"{letter}3:{letter}{ROWS_VALIDATED}")
    sheet.add_data_validation(rule)
