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
    # without a mail server, Django's check refuses the console mail of the demo
    "CHISO_EMAIL_HOST": "mail.sotttt.gov.vn",
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


def test_check_deploy_refuses_production_without_a_mail_server(tmp_path: Path) -> None:
    settings = {name: value for name, value in PRODUCTION.items() if name != "CHISO_EMAIL_HOST"}
    done = manage("check", "--deploy", data=tmp_path, **settings)
    assert done.returncode == 1
    assert "mail.E001" in done.stderr


def test_check_deploy_passes_without_a_warning_in_production(tmp_path: Path) -> None:
    done = manage("check", "--deploy", "--fail-level", "WARNING", data=tmp_path, **PRODUCTION)
    assert done.returncode == 0, done.stderr
    assert "no issues" in done.stdout


def test_the_demo_still_serves_plain_http(tmp_path: Path) -> None:
    code = (
        "from django.conf import settings as s\n"
        "print(s.DEBUG, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE)"
    )
    assert django(code, data=tmp_path) == ["True", "False", "0", "False"]


def test_production_redirects_http_to_https_unless_the_proxy_says_https(tmp_path: Path) -> None:
    code = (
        "from django.test import Client\n"
        "plain = Client().get('/accounts/login/')\n"
        "proxied = Client().get('/accounts/login/', headers={'X-Forwarded-Proto': 'https'})\n"
        "print(plain.status_code, plain.headers['Location'], proxied.status_code,\n"
        "      proxied.headers['Strict-Transport-Security'])"
    )
    env = {**PRODUCTION, "CHISO_ALLOWED_HOSTS": "testserver"}
    printed = django(code, data=tmp_path, **env, CHISO_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO")
    assert printed == [
        "301",
        "https://testserver/accounts/login/",
        "200",
        "max-age=31536000;",
        "includeSubDomains;",
        "preload",
    ]


def test_hsts_and_the_redirect_follow_their_settings(tmp_path: Path) -> None:
    code = (
        "from django.conf import settings as s\n"
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS,\n"
        "      s.SECURE_HSTS_PRELOAD, s.SECURE_PROXY_SSL_HEADER)"
    )
    choices = {
        "CHISO_SSL_REDIRECT": "0",
        "CHISO_HSTS_SECONDS": "3600",
        "CHISO_HSTS_INCLUDE_SUBDOMAINS": "0",
        "CHISO_HSTS_PRELOAD": "0",
    }
    printed = django(code, data=tmp_path, **PRODUCTION, **choices)
    assert printed == ["False", "3600", "False", "False", "None"]


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


def test_a_new_database_migrates_and_its_checks_pass(tmp_path: Path) -> None:
    """The Quick start's first step on a new machine: ``migrate`` runs the database checks
    before it creates a table, and they must not need the tables yet."""
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'new.sqlite3'}"}
    done = manage("migrate", "--noinput", data=tmp_path, **env)
    assert done.returncode == 0, done.stderr
    checked = manage("check", "--database", "default", data=tmp_path, **env)
    assert checked.returncode == 0, checked.stderr
