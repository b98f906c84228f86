"""Imports sit at the top of their module, so the import graph is what the module heads say.

An import inside a function hides a cycle instead of removing it: the modules still need each
other, only later. This walks every module of the project (not the tests, not the migrations) and
fails on any import inside a function body, except the few below, each for its reason.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Not the project's modules: the virtualenv, build output, generated migrations, and the tests,
# which import inside a test to show what it needs.
SKIPPED_DIRS = {".venv", "build", "migrations", "tests", "node_modules", "__pycache__"}


def allowed(path: Path, function: str) -> bool:
    """The only imports that may stay inside a function."""
    # Django imports apps.py while it is still loading the apps; what an app registers from
    # ready() (navigation, panels, clocks, subscribers…) imports models, which may only be
    # imported once every app is loaded. ready() is the hook Django provides for exactly this.
    return path.name == "apps.py" and function == "ready"


def project_modules() -> list[Path]:
    return sorted(
        path
        for path in ROOT.rglob("*.py")
        if not any(
            part in SKIPPED_DIRS or part.startswith(".") or part.endswith(".egg-info")
            for part in path.relative_to(ROOT).parts[:-1]
        )
    )


def imports_inside_functions(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            continue
        name = getattr(function, "name", "<lambda>")
        if allowed(path, name):
            continue
        for node in ast.walk(function):
            if isinstance(node, ast.Import | ast.ImportFrom):
                where = f"{path.relative_to(ROOT)}:{node.lineno} in {name}()"
                found.append(f"{where}: {ast.unparse(node)}")
    return sorted(set(found))


def test_the_walk_sees_the_project() -> None:
    modules = {str(path.relative_to(ROOT)) for path in project_modules()}
    assert {"manage.py", "core/clocks.py", "notifications/outbox.py"} <= modules
    assert not any(m.startswith(("tests/", ".venv/")) or "/migrations/" in m for m in modules)


def test_no_module_imports_inside_a_function() -> None:
    found = [line for path in project_modules() for line in imports_inside_functions(path)]
    assert not found, "Move these imports to the top of their module:\n" + "\n".join(found)
