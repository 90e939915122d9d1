"""Screenshots of the web application for the docs: the public results page, the assessor's
dashboard and a unit's self-assessment form, at 1366 px (a laptop) and 390 px (a phone).

    .venv/bin/python docs/images/render_site.py

Builds the demo walked through as the browser tests walk it (tests/web/walk.py: 2021
published, 2022 under review, 2023 open) in a temporary SQLite database, serves it, and
photographs the first screen of each page in headless Chromium (/usr/bin/chromium) into
site-*.png beside this file (64 colours, to stay small).
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
WIDTHS = {1366: 900, 390: 844}  # width: height of the first screen


def shots(cycles: dict[str, Any]) -> dict[str, tuple[str | None, str]]:
    """Each picture's name, the person who looks, the page."""
    from chiso.web.console.demo import EDITOR_UNIT
    from chiso.web.cycles.models import Participation

    own = Participation.objects.get(cycle=cycles["2023"], unit__name=EDITOR_UNIT)
    return {
        "results": (None, f"/results/{cycles['2021'].pk}/"),
        "dashboard": ("admin", f"/cycles/{cycles['2023'].pk}/"),
        "form": ("editor", f"/submissions/{own.pk}/"),
    }


def render() -> None:
    with tempfile.TemporaryDirectory() as folder:
        os.environ["CHISO_DATA_DIR"] = folder
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chiso.web.settings")
        sys.path.insert(0, str(ROOT))  # tests.web.walk
        import django

        django.setup()
        from django.conf import settings
        from django.contrib.staticfiles.handlers import StaticFilesHandler
        from django.core.handlers.wsgi import WSGIHandler
        from django.core.management import call_command
        from django.test import Client
        from django.test.testcases import LiveServerThread
        from PIL import Image
        from playwright.sync_api import sync_playwright
        from tests.web.walk import walk_demo

        from chiso.web.accounts.models import User

        call_command("migrate", verbosity=0)
        call_command("createcachetable", verbosity=0)
        cycles = walk_demo()
        pictures = shots(cycles)
        cookies = {}
        for username in {who for who, _ in pictures.values() if who}:
            client = Client()
            client.force_login(User.objects.get(username=username))
            cookies[username] = client.cookies[settings.SESSION_COOKIE_NAME].value

        class Server(LiveServerThread):
            def get_handler(self) -> StaticFilesHandler:
                return StaticFilesHandler(WSGIHandler())

        server = Server("localhost", StaticFilesHandler)
        server.daemon = True
        server.start()
        server.is_ready.wait()
        base = f"http://localhost:{server.port}"
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
                )
                for name, (who, path) in pictures.items():
                    cookie = {"name": settings.SESSION_COOKIE_NAME, "url": base}
                    for width, height in WIDTHS.items():
                        context = browser.new_context(
                            locale="vi-VN", viewport={"width": width, "height": height}
                        )
                        if who:
                            context.add_cookies([{**cookie, "value": cookies[who]}])
                        page = context.new_page()
                        page.goto(base + path)
                        image = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
                        target = HERE / f"site-{name}-{width}.png"
                        image.quantize(colors=64).save(target, optimize=True)
                        print(target.relative_to(ROOT), target.stat().st_size // 1024, "KB")
                        context.close()
                browser.close()
        finally:
            server.terminate()


if __name__ == "__main__":
    render()
