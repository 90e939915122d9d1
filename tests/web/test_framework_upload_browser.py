"""The framework upload page in headless Chromium: the assessor uploads Tỉnh Mẫu's workbook,
sees its criteria, confirms, and the framework file stored is the one previewed (a browser
sends the form's text back with CRLF line breaks)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tests.core.test_docs_frameworks import EXAMPLE
from tests.web.conftest import PASSWORD, make_user

from chiso.core import parse_framework
from chiso.io.framework_workbook import workbook_to_yaml, yaml_to_workbook
from chiso.web.accounts.models import Role
from chiso.web.audit.models import Action, AuditEntry
from chiso.web.cycles.models import FrameworkVersion, Organisation

pytestmark = pytest.mark.browser


def test_the_assessor_uploads_a_workbook_previews_and_confirms(
    transactional_db: None, live_server: Any, browser: Any, tmp_path: Path
) -> None:
    Organisation.objects.create(name="Sở Khoa học và Công nghệ tỉnh Mẫu", place="Mẫu")
    make_user("admin", Role.ADMIN)
    workbook = tmp_path / "tinh-mau-2026.xlsx"
    workbook.write_bytes(yaml_to_workbook(EXAMPLE))
    problems: list[str] = []
    page = browser.new_page(locale="vi-VN")
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    page.goto(live_server.url + "/cycles/")
    page.click("text=Tải lên bộ chỉ số")
    page.set_input_files("#id_file", str(workbook))
    page.click("text=Kiểm tra tệp")
    page.wait_for_selector("#preview")
    preview = page.inner_text("#preview")
    assert "Hạ tầng số" in preview and "yes_no_evidence" in preview
    assert FrameworkVersion.objects.count() == 0
    page.click("text=Lưu thành phiên bản mới của bộ chỉ số")
    page.wait_for_selector("text=Bộ chỉ số đã được lưu thành tinh-mau-2026 v1.")
    version = FrameworkVersion.objects.get()
    assert version.source == workbook_to_yaml(workbook.read_bytes(), str(workbook))
    assert "\r" not in version.source
    assert parse_framework(version.source) == parse_framework(EXAMPLE)
    assert AuditEntry.objects.filter(action=Action.FRAMEWORK).count() == 1
    assert problems == []
