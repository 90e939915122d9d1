"""Fixtures of the self-assessment tests: evidence files in a temporary folder, a cycle of the
docs' example framework (Tỉnh Mẫu 2026, every rule type), and small real files."""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from tests.web.conftest import Cast, make_user, run_jobs

from chiso.web.accounts.models import Role, User
from chiso.web.cycles.models import Cycle, CycleState, Participation, Unit
from chiso.web.cycles.services import import_framework

DOC = Path(__file__).resolve().parents[3] / "docs" / "frameworks.md"
MARKER = "<!-- example: tinh-mau-2026 -->"

# a PDF of one empty page, as a scanner writes it (kept tiny)
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 100


def example_framework() -> str:
    lines = DOC.read_text(encoding="utf-8").splitlines()
    start = lines.index(MARKER)
    end = lines.index("```", start + 2)
    return "\n".join(lines[start + 2 : end]) + "\n"


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Số máy tính", 60])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def check_zip(client: Client, cycle: Cycle, content: bytes, name: str = "back.zip") -> Any:
    """Upload a ZIP of workbooks to the cycle; once the worker checked it, its preview page
    (or the job's page with its error); an upload refused at once, that answer."""
    sent = client.post(
        f"/cycles/{cycle.pk}/workbooks/", {"file": upload(name, content, "application/zip")}
    )
    if sent.status_code != 302:
        return sent
    run_jobs()
    job = sent["Location"].removeprefix("/jobs/").strip("/")
    return client.get(f"/cycles/workbooks/{job}/", follow=True)


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> Any:
    """The browser's claimed content type is whatever the name suggests; it is ignored."""
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    """Evidence and signed forms go to a temporary folder, never to var/ (and passwords are
    hashed fast: the cast is created for every test)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    location = tmp_path / "files"
    settings.MEDIA_ROOT = location
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(location)},
        },
    }
    return location


@dataclass
class Mau:
    cycle: Cycle
    part: Participation
    editor: User
    head: User


@pytest.fixture
def mau(cast: Cast) -> Mau:
    """Sở Alpha of Tỉnh Mẫu 2026 (docs/frameworks.md §11), in an open cycle."""
    version = import_framework(cast.organisation, example_framework(), source_name="mau.yaml")
    cycle = Cycle.objects.create(
        organisation=cast.organisation,
        name="Đánh giá chuyển đổi số năm 2026",
        year=2026,
        framework=version,
        deadline=timezone.localdate() + datetime.timedelta(days=10),
        state=CycleState.OPEN,
    )
    unit = Unit.objects.create(organisation=cast.organisation, name="Sở Alpha")
    part = Participation.objects.create(cycle=cycle, unit=unit, block="so")
    return Mau(
        cycle,
        part,
        make_user("alpha_editor", Role.EDITOR, unit),
        make_user("alpha_head", Role.HEAD, unit),
    )


HTMX = {"HTTP_HX_REQUEST": "true"}


def dom(part: Participation, code: str) -> str:
    """The element id of a criterion on the form (its place in the framework)."""
    return f"n{list(part.cycle.framework.framework.nodes).index(code)}"


def save(
    client: Client,
    part: Participation,
    code: str,
    value: str = "",
    *,
    denominator: str = "",
    revision: int | None = None,
    na: bool = False,
    htmx: bool = True,
) -> Any:
    data = {"code": code, "value": value, "denominator": denominator}
    if revision is not None:
        data["revision"] = str(revision)
    if na:
        data["not_applicable"] = "on"
    return client.post(f"/submissions/{part.pk}/answer/", data, **(HTMX if htmx else {}))


def score(html: str, part: Participation, code: str) -> str:
    """The points shown for ``code`` (an out-of-band swap of a save response, or the page)."""
    found = re.search(rf'id="score-{dom(part, code)}"[^>]*>(.*?)</span>', html, re.S)
    assert found, code
    return re.sub(r"<[^>]+>", "", found.group(1)).strip()


def total(html: str) -> str:
    found = re.search(r'id="total">([^<]*)<', html)
    assert found
    return found.group(1)
