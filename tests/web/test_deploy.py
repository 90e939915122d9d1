"""The production settings (docs/operation.md, "Security settings"): Django's deployment
checklist passes without a warning, HTTPS is enforced behind a proxy that terminates it, and
no setting writes inside the installed package.

Each case runs a fresh interpreter with its own environment, as a server would start.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import chiso

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "CHISO_DEBUG": "0",
    "CHISO_SECRET_KEY": "Xq3v-8hJ2mW_pR7tLk9sZ4nB6yD1cF5gA0eH-uV8iO2wT7rE3qY9xN4mK6jP1lS",
    "CHISO_ALLOWED_HOSTS": "chiso.sotttt.gov.vn",
}


def run(
    args: list[str], *, cwd: Path, pythonpath: Path, **env: str
) -> subprocess.CompletedProcess[str]:
    """``python args`` in a new interpreter without any CHISO_* variable of this process."""
    clean = {name: value for name, value in os.environ.items() if not name.startswith("CHISO_")}
    clean.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, *args],
        cwd=cwd,
        env={**clean, "PYTHONPATH": str(pythonpath), **env},
        capture_output=True,
        text=True,
        check=False,
    )


def manage(*args: str, data: Path, **env: str) -> subprocess.CompletedProcess[str]:
    source = Path(chiso.__file__).parents[1]
    return run(
        [str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        pythonpath=source,
        **env,
        CHISO_DATA_DIR=str(data),
    )


def django(code: str, *, data: Path, **env: str) -> list[str]:
    """The words that ``code`` prints once Django is set up with the given environment."""
    done = run(
        ["-c", f"import django; django.setup()\n{code}"],
        cwd=ROOT,
        pythonpath=Path(chiso.__file__).parents[1],
        **env,
        CHISO_DATA_DIR=str(data),
        DJANGO_SETTINGS_MODULE="chiso.web.settings",
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def package_copy(tmp_path: Path) -> Path:
    """A copy of the chiso package, so that a setting that writes inside it writes in the copy."""
    site = tmp_path / "site"
    shutil.copytree(
        Path(chiso.__file__).parent,
        site / "chiso",
        ignore=shutil.ignore_patterns("__pycache__", "var", "secret_key"),
    )
    return site


def test_settings_refuse_a_data_folder_inside_the_package(tmp_path: Path) -> None:
    site = package_copy(tmp_path)
    inside = site / "chiso" / "web"
    done = run(["-c", "import chiso.web.settings"], cwd=inside, pythonpath=site)
    assert done.returncode != 0
    assert "CHISO_DATA_DIR" in done.stderr.strip().splitlines()[-1]
    written = [p for p in (site / "chiso").rglob("*") if p.name == "secret_key" or p.name == "var"]
    assert written == []


def test_the_default_secret_key_is_kept_in_the_data_folder(tmp_path: Path) -> None:
    site = package_copy(tmp_path)
    project = tmp_path / "project"
    project.mkdir()
    code = "from chiso.web import settings; print(settings.SECRET_KEY)"
    first = run(["-c", code], cwd=project, pythonpath=site)
    again = run(["-c", code], cwd=project, pythonpath=site)
    assert first.returncode == 0, first.stderr
    assert (project / "var" / "secret_key").read_text().strip() == first.stdout.strip()
    assert again.stdout == first.stdout
