"""The web's apps in layers: each imports only the apps below it, never one beside or above
(docs/architecture.md, "The web's layers"). The ground — the trail, people, what people are
told, cycles — knows nothing of the self-assessments, reviews and results built on it; the
pages that gather them all (the console) and the API sit on top. The imports are read from the source, those inside
functions included; a model named as a string in a foreign key ("cycles.Unit") is not one."""

from __future__ import annotations

import ast
import itertools
import re

from tests.imports import SRC, imports

# from the bottom up; the apps of one layer do not import each other
LAYERS = (
    ("audit",),
    ("accounts",),
    ("notifications", "jobs"),
    ("cycles",),
    ("submissions",),
    ("reviews",),
    ("results",),
    ("api", "console"),
)
WEB = "chiso.web"
ROLE_CHECK = re.compile(
    r"""\brole\b\s*(==|!=|\bin\b|\bnot\s+in\b)|[=!]=\s*["'](admin|reviewer|editor|head|viewer)["']"""
)


def app_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[2] if parts[:2] == ["chiso", "web"] and len(parts) > 2 else None


def level(app: str) -> int:
    return next(number for number, layer in enumerate(LAYERS) if app in layer)


def app_imports() -> dict[tuple[str, str], list[str]]:
    """Each import from one app of another: (importer, imported) → the importing modules."""
    found: dict[tuple[str, str], list[str]] = {}
    for module, imported in imports().items():
        source = app_of(module)
        if source not in APPS:
            continue
        for other in imported:
            target = app_of(other)
            if target in APPS and target != source:
                found.setdefault((source, target), []).append(f"{module} → {other}")
    return found


APPS = {app for layer in LAYERS for app in layer}


def test_every_app_has_its_layer() -> None:
    apps = {path.parent.name for path in (SRC / "chiso" / "web").glob("*/apps.py")}
    assert apps == APPS


def test_an_app_imports_only_the_apps_below_it() -> None:
    upward = {
        (source, target): modules
        for (source, target), modules in app_imports().items()
        if level(target) >= level(source)
    }
    assert upward == {}


def test_the_layers_are_the_ones_the_code_uses() -> None:
    """Each layer but the top is imported by the one just above it: the order is not
    looser than the code needs (an app could not move down a layer unnoticed)."""
    used = set(app_imports())
    for lower, upper in itertools.pairwise(LAYERS):
        assert any((above, below) in used for above in upper for below in lower), (lower, upper)


# The ground's records that name a record above them (as a string, in a foreign key): a
# person's unit and assessor, an audit entry's actor (whose names a data migration filled),
# cycle and unit. These are the only migrations of an app that depend on one above it; any
# other is a model in the wrong app.
MIGRATIONS_ABOVE = {("accounts", "cycles"), ("audit", "accounts"), ("audit", "cycles")}


def migration_dependencies() -> dict[tuple[str, str], list[str]]:
    """Each migration of one app that depends on another app's: (app, other) → the files.
    Read from the ``dependencies`` list of each migrations/*.py, without running Django."""
    found: dict[tuple[str, str], list[str]] = {}
    for path in sorted((SRC / "chiso" / "web").glob("*/migrations/*.py")):
        app = path.parent.parent.name
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (
                isinstance(node, ast.Assign)
                and any(getattr(target, "id", None) == "dependencies" for target in node.targets)
                and isinstance(node.value, ast.List)
            ):
                continue
            for item in node.value.elts:  # ("app", "0001_…") or swappable_dependency(…)
                if isinstance(item, ast.Tuple) and isinstance(item.elts[0], ast.Constant):
                    other = item.elts[0].value
                    if other in APPS and other != app:
                        found.setdefault((app, other), []).append(path.name)
    return found


def test_the_migrations_are_read() -> None:
    found = migration_dependencies()
    assert ("submissions", "cycles") in found and ("results", "cycles") in found


def test_an_app_s_migrations_depend_only_on_the_apps_below_it() -> None:
    """A model of a lower app with a foreign key to one above it makes the lower app's
    migrations depend on the upper app's: the layers hold in the database too."""
    upward = {pair for pair in migration_dependencies() if level(pair[1]) >= level(pair[0])}
    assert upward == MIGRATIONS_ABOVE


def test_no_role_is_checked_by_its_name_outside_the_roles() -> None:
    """Role checks are the predicates of accounts/roles.py (``roles.is_viewer(user)``, in a
    template ``user|is_viewer``), never ``user.role == "viewer"`` in a view or a template."""
    web = SRC / "chiso" / "web"
    allowed = {web / "accounts" / "roles.py", web / "accounts" / "models.py"}
    files = [*web.rglob("*.py"), *web.rglob("*.html")]
    found = [
        f"{path.relative_to(web)}:{number}: {line.strip()}"
        for path in sorted(files)
        if path not in allowed and "migrations" not in path.parts
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if ROLE_CHECK.search(line)
    ]
    assert found == []
