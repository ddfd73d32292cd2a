"""``app.core`` is what every domain shares, so it imports none of them (not even inside a
function): each domain registers what core must show (template helpers, message labels)."""

import ast
from pathlib import Path

import app

APP = Path(app.__file__).parent
SHARED = ("app.core", "app.extensions")  # what core may import from the app


def _imports(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names += [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
    return names


def _is_domain(name: str) -> bool:
    return name.startswith("app.") and not name.startswith(SHARED)


def test_core_imports_no_domain():
    broken = [
        f"{path.relative_to(APP.parent)} imports {name}"
        for path in sorted((APP / "core").rglob("*.py"))
        for name in _imports(path)
        if _is_domain(name)
    ]
    assert not broken, "\n".join(broken)


def test_the_check_sees_a_domain_import(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from app.items import policies\n", encoding="utf-8")
    assert [n for n in _imports(module) if _is_domain(n)] == ["app.items", "app.items.policies"]
