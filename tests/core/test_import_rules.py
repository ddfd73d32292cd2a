"""The import rules of the architecture hold in every module under app/, read with ``ast``.

- ``core`` imports no domain: only ``app.core`` and ``app.extensions``;
- a domain's ``models.py`` imports only ``app.extensions``, ``app.core`` and its own package
  (other domains are reached by relationship names, never by import at run time: an import
  under ``if TYPE_CHECKING:`` gives the type checker a relationship's class, and no more);
- ``audit`` imports no domain: only ``app.audit``, ``app.core`` and ``app.extensions``;
- nothing imports ``app.reports`` but the app factory, the command line and reports itself;
- no module takes a private name (leading underscore) from another module, nor imports a
  private module from outside its package.
"""

import ast
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

import app as app_package

APP_DIR = Path(app_package.__file__).parent
REPORTS_IMPORTERS = {"app", "app.cli"}


@dataclass(frozen=True)
class Import:
    """One imported name: ``module`` (absolute) and, for ``from … import name``, the name."""

    importer: str
    module: str
    name: str | None
    line: int
    typing_only: bool = False  # under ``if TYPE_CHECKING:``: never imported at run time


def module_name(path: Path) -> str:
    parts = path.relative_to(APP_DIR.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_package(path: Path) -> bool:
    return path.name == "__init__.py"


def _absolute(importer: str, package: bool, level: int, module: str | None) -> str:
    if level == 0:
        return module or ""
    base = importer.split(".")
    base = base if package else base[:-1]
    base = base[: len(base) - (level - 1)]
    return ".".join([*base, module] if module else base)


def is_module(dotted: str) -> bool:
    if not dotted.startswith("app"):
        return False
    relative = Path(*dotted.split(".")[1:]) if "." in dotted else Path()
    return (APP_DIR / relative).with_suffix(".py").is_file() or (
        APP_DIR / relative / "__init__.py"
    ).is_file()


def _typing_only_lines(tree: ast.Module) -> set[int]:
    """The lines of the module's ``if TYPE_CHECKING:`` blocks."""
    return {
        line
        for node in ast.walk(tree)
        if isinstance(node, ast.If)
        and isinstance(node.test, ast.Name)
        and node.test.id == "TYPE_CHECKING"
        for stmt in node.body
        for line in range(stmt.lineno, (stmt.end_lineno or stmt.lineno) + 1)
    }


def imports_of(tree: ast.Module, importer: str, package: bool) -> list[Import]:
    """Every import in the module, at any depth (imports inside functions count too)."""
    found: list[Import] = []
    typing_only = _typing_only_lines(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend(
                Import(importer, alias.name, None, node.lineno, node.lineno in typing_only)
                for alias in node.names
            )
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(importer, package, node.level, node.module)
            for alias in node.names:
                dotted = f"{base}.{alias.name}"
                if is_module(dotted):
                    imported = Import(importer, dotted, None, node.lineno)
                else:
                    imported = Import(importer, base, alias.name, node.lineno)
                found.append(replace(imported, typing_only=node.lineno in typing_only))
    return found


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def _domain_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "app" else None


def private_access(tree: ast.Module, importer: str, package: bool) -> list[str]:
    """``module._name`` where ``module`` is another app module bound by an import."""
    bound: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname and is_module(alias.name):
                    bound[alias.asname] = alias.name
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(importer, package, node.level, node.module)
            for alias in node.names:
                if is_module(f"{base}.{alias.name}"):
                    bound[alias.asname or alias.name] = f"{base}.{alias.name}"
    return [
        f"{importer}:{node.lineno} reaches into {bound[node.value.id]}.{node.attr}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id in bound
        and bound[node.value.id] != importer
        and _private(node.attr)
    ]


def broken_rules(source: str, importer: str, package: bool = False) -> list[str]:
    """The import rules the module ``importer`` (its ``source``) breaks, one line each."""
    tree = ast.parse(source)
    imports = imports_of(tree, importer, package)
    problems = private_access(tree, importer, package)
    domain = _domain_of(importer)
    for imp in imports:
        target = imp.module
        where = f"{importer}:{imp.line} imports {target}" + (f".{imp.name}" if imp.name else "")
        if not _within(target, "app"):
            continue
        if domain == "core" and not (
            _within(target, "app.core") or _within(target, "app.extensions")
        ):
            problems.append(f"{where}: core imports no domain")
        if (
            importer.endswith(".models")
            and importer != "app.models"
            and not imp.typing_only  # a relationship's type, for the checker: no coupling
            and not (
                _within(target, "app.core")
                or _within(target, "app.extensions")
                or _within(target, f"app.{domain}")
            )
        ):
            problems.append(f"{where}: models import only extensions, core and their own domain")
        if domain == "audit" and not any(
            _within(target, allowed) for allowed in ("app.audit", "app.core", "app.extensions")
        ):
            problems.append(f"{where}: audit imports no domain")
        reports_target = _within(target, "app.reports") or (
            target == "app" and imp.name == "reports"
        )
        if (
            reports_target
            and importer not in REPORTS_IMPORTERS
            and not _within(importer, "app.reports")
        ):
            problems.append(f"{where}: only the app factory and the CLI import reports")
        if imp.name is not None and _private(imp.name):
            problems.append(f"{where}: a private name of another module")
        private_parts = [i for i, part in enumerate(target.split(".")) if _private(part)]
        if private_parts:
            owner = ".".join(target.split(".")[: private_parts[0]])
            if not _within(importer, owner):
                problems.append(f"{where}: a private module of another package")
    return problems


MODULES = sorted(APP_DIR.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(APP_DIR.parent)))
def test_module_keeps_the_import_rules(path):
    source = path.read_text(encoding="utf-8")
    assert broken_rules(source, module_name(path), is_package(path)) == []


@pytest.mark.parametrize(
    ("importer", "source", "words"),
    [
        ("app.core.probe", "from app.items import workflow\n", "core imports no domain"),
        ("app.core.probe", "def f():\n    import app.models\n", "core imports no domain"),
        ("app.stakeholders.models", "from app.items.models import Item\n", "models import only"),
        ("app.audit.probe", "from app.auth.models import User\n", "audit imports no domain"),
        ("app.api.probe", "from app.reports.summary import build_summary\n", "only the app"),
        ("app.items.probe", "import app.reports.state\n", "only the app factory"),
        ("app.items.probe", "from app import reports\n", "only the app factory"),
        ("app.reports.probe", "from app.items.queries import _is_id\n", "a private name"),
        ("app.audit.probe", "from app.audit import chain\nchain._timestamp(1)\n", "reaches into"),
        ("app.admin.probe", "from app.items.services._common import flush\n", "private module"),
    ],
)
def test_the_rules_catch_what_they_forbid(importer, source, words):
    assert words in "\n".join(broken_rules(source, importer))


@pytest.mark.parametrize(
    ("importer", "source"),
    [
        ("app.items.models", "from app.items.workflow import STATUSES\n"),
        ("app.items.services.items", "from app.items.services._common import flush\n"),
        ("app.cli", "from app.reports.cli import report_command\n"),
        ("app", "from app.reports.views import bp\n"),
        ("app.reports.views", "from app.reports.arguments import parse_as_of\n"),
        ("app.models", "from app.items.models import Item\n"),
        (
            "app.stakeholders.models",
            "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n"
            "    from app.items.models import Source\n",
        ),
    ],
)
def test_the_rules_allow_what_the_architecture_allows(importer, source):
    assert broken_rules(source, importer) == []
