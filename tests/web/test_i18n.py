"""Vietnamese by default, English on request; the compiled catalogue is the .po file's."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

from tests.web.conftest import Cast

import chiso.web

LOCALE = Path(chiso.web.__file__).parent / "locale" / "vi" / "LC_MESSAGES"


def read_po(path: Path) -> dict[str, str]:
    """msgid → msgstr (the first form of a plural) of a .po file; a message with a context
    under "context\x04msgid", as gettext keeps it."""
    entries: dict[str, str] = {}
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        parts: dict[str, str] = {}
        key = ""
        for line in block.splitlines():
            if match := re.match(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[0\])?) (".*")$', line):
                key = match.group(1).removesuffix("[0]")
                parts[key] = ast.literal_eval(match.group(2))
            elif line.startswith('"') and key:
                parts[key] += ast.literal_eval(line)
        if parts.get("msgid"):
            context = f"{parts['msgctxt']}\x04" if "msgctxt" in parts else ""
            entries[context + parts["msgid"]] = parts.get("msgstr", "")
    return entries


def test_every_message_has_a_vietnamese_translation() -> None:
    untranslated = [msgid for msgid, text in read_po(LOCALE / "django.po").items() if not text]
    assert untranslated == []


def test_compiled_catalogue_matches_the_po_file() -> None:
    with (LOCALE / "django.mo").open("rb") as mo:
        catalogue = gettext.GNUTranslations(mo)
    po = read_po(LOCALE / "django.po")
    stale = [msgid for msgid, text in po.items() if catalogue.gettext(msgid) != text]
    assert stale == [], "run `make messages` after editing the .po file"


def test_pages_are_vietnamese_by_default_and_english_after_switching(cast: Cast) -> None:
    client = cast.client(cast.admin)
    page = client.get(f"/cycles/{cast.cycle.pk}/").content.decode()
    assert 'lang="vi"' in page and "Hoạt động gần nhất" in page and "Mở lại" not in page[:200]
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/cycles/"})
    assert response.status_code == 302
    page = client.get(f"/cycles/{cast.cycle.pk}/").content.decode()
    assert 'lang="en"' in page and "Last activity" in page and "Hoạt động gần nhất" not in page
    client.post("/i18n/setlang/", {"language": "vi", "next": "/"})
    assert "Hoạt động gần nhất" in client.get(f"/cycles/{cast.cycle.pk}/").content.decode()


def test_browser_language_does_not_override_the_vietnamese_default(cast: Cast) -> None:
    client = cast.client(cast.admin)
    page = client.get("/cycles/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="vi"' in page and "Các kỳ đánh giá" in page


def test_static_files_are_found() -> None:
    from django.contrib.staticfiles import finders

    assert finders.find("chiso/chiso.css") and finders.find("chiso/htmx.min.js")


def test_states_roles_and_labels_are_vietnamese(cast: Cast) -> None:
    page = cast.client(cast.admin).get("/cycles/").content.decode()
    assert "Đang mở tự đánh giá" in page  # the cycle's state
    assert "Quản trị viên cơ quan đánh giá" in page  # the role in the header
    admin = cast.client(cast.admin).get("/admin/").content.decode()
    assert "Phiên bản bộ tiêu chí" in admin and "Nhật ký thay đổi" in admin
