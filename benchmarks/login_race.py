"""Check: parallel wrong logins check the password at most CHISO_LOGIN_LIMIT times.

The test suite's SQLite database lives in memory, where a second writer fails instead of
waiting, so its parallel test runs on PostgreSQL only and SQLite's is a sequential one. This
script makes the real race on SQLite as the demo and a one-machine installation run it: a
database file in a temporary folder, N threads (each with its own connection) released at once
by a barrier, each posting a wrong password for the same account from the same address.

    .venv/bin/python benchmarks/login_race.py [--tries 30]

It prints the number of password checks and the answers, and exits 1 when the checks exceed
the limit.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tries", type=int, default=30)
    tries = parser.parse_args().tries
    os.environ["CHISO_DATA_DIR"] = tempfile.mkdtemp(prefix="chiso-login-race-")
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "chiso.web.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.backends import ModelBackend
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from chiso.web.accounts.models import User

    setup_test_environment()
    call_command("migrate", verbosity=0)
    User.objects.create_user("editor", password="the-right-password-2026")
    checks = Counter[str]()
    lock = threading.Lock()

    class Counting(ModelBackend):
        def authenticate(self, request: Any, **credentials: Any) -> Any:
            with lock:
                checks["password"] += 1
            return super().authenticate(request, **credentials)

    sys.modules[__name__].Counting = Counting  # type: ignore[attr-defined]
    settings.AUTHENTICATION_BACKENDS = [f"{__name__}.Counting"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    start = threading.Barrier(tries)

    def one_try(_: int) -> int:
        start.wait()
        try:
            client = Client(REMOTE_ADDR="203.0.113.5")
            form = {"username": "editor", "password": "wrong"}
            return int(client.post("/accounts/login/", form).status_code)
        finally:
            connection.close()

    with ThreadPoolExecutor(tries) as pool:
        answers = Counter(pool.map(one_try, range(tries)))
    shutil.rmtree(os.environ["CHISO_DATA_DIR"], ignore_errors=True)
    limit = settings.CHISO_LOGIN_LIMIT
    print(f"{tries} parallel wrong tries: {checks['password']} password checks (limit {limit})")
    print("answers:", ", ".join(f"{n} × {status}" for status, n in sorted(answers.items())))
    return 0 if checks["password"] <= limit else 1


if __name__ == "__main__":
    sys.exit(main())
