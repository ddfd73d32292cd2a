"""Size rules, checked: no module over 400 lines, no function over 60 lines."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MAX_FILE_LINES = 400
MAX_FUNCTION_LINES = 60
# Where each rule holds: every Python file of these folders.
FILE_RULE_ROOTS = ("app", "seed", "scripts", "tests", "migrations/env.py")
FUNCTION_RULE_ROOTS = ("app", "seed")


def python_files(*roots: str) -> list[Path]:
    """The Python files under ``roots`` (folders or files, relative to the repository)."""
    found: list[Path] = []
    for root in roots:
        path = ROOT / root
        found.extend([path] if path.is_file() else sorted(path.rglob("*.py")))
    return found


def long_functions(source: str, limit: int = MAX_FUNCTION_LINES) -> list[tuple[str, int, int]]:
    """(name, first line, length) of each function or method in ``source`` longer than
    ``limit`` lines, counted from its ``def`` to its last line (decorators aside)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = node.end_lineno - node.lineno + 1
            if length > limit:
                found.append((node.name, node.lineno, length))
    return found


def test_the_checker_measures_a_function_from_def_to_its_last_line():
    body = "".join(f"    x{n} = {n}\n" for n in range(58))
    at_limit = f"def fits():\n{body}    return 1\n"
    over = f"@decorated\ndef too_long():\n{body}    x = 1\n    return 1\n"
    assert long_functions(at_limit) == []
    assert long_functions(over) == [("too_long", 2, 61)]
    method_body = "".join(f"        x{n} = {n}\n" for n in range(60))
    method = f"class C:\n    def method(self):\n{method_body}"
    assert long_functions(method) == [("method", 2, 61)]


def test_no_module_is_over_400_lines():
    long = {}
    for path in python_files(*FILE_RULE_ROOTS):
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_FILE_LINES:
            long[str(path.relative_to(ROOT))] = lines
    assert long == {}, f"split these modules by noun (at most {MAX_FILE_LINES} lines): {long}"


@pytest.mark.parametrize("root", FUNCTION_RULE_ROOTS)
def test_no_function_is_over_60_lines(root):
    long = []
    for path in python_files(root):
        for name, line, length in long_functions(path.read_text(encoding="utf-8")):
            long.append(f"{path.relative_to(ROOT)}:{line} {name} ({length} lines)")
    assert long == [], f"split these functions (at most {MAX_FUNCTION_LINES} lines): {long}"
