"""The error pages as a production site shows them (DEBUG off, as in every test but the last
few, which turn it on as `make run` does): in Vietnamese, inside the site's layout, with a way
back home; JSON under /api/; and one line in the log for a refusal, the traceback only for a
server error. And the site's icon."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path
from tests.web.conftest import Cast

from chiso.web import urls as site


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug in a view")


# the site's URLs and two that fail, to see the server error page and its log
urlpatterns = [*site.urlpatterns, path("broken/", broken), path("api/v1/broken/", broken)]


def __getattr__(name: str) -> object:
    """The site's error handlers (``handler500``…) are this URL configuration's too."""
    return getattr(site, name)


@pytest.fixture
def log() -> Iterator[io.StringIO]:
    """What the console log handler writes."""
    handler = logging.getHandlerByName("console")
    assert isinstance(handler, logging.StreamHandler)
    written = io.StringIO()
    previous = handler.setStream(written)
    yield written
    handler.setStream(previous)


def in_the_layout(html: str) -> bool:
    return '<header class="top">' in html and '<a class="brand" href="/">' in html


def test_an_unknown_page_is_a_vietnamese_404_in_the_layout(db: None, log: io.StringIO) -> None:
    response = Client().get("/khong-co-trang-nay/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Không tìm thấy trang" in html
    assert in_the_layout(html) and 'href="/">Về trang chủ</a>' in html
    assert log.getvalue().splitlines() == ["Not Found: /khong-co-trang-nay/"]


def test_a_refusal_is_a_vietnamese_403_logged_in_one_line(cast: Cast, log: io.StringIO) -> None:
    url = f"/submissions/{cast.part_a.pk}/answer/"
    response = cast.client(cast.viewer).post(url, {"code": "I", "value": "10"})
    html = response.content.decode()
    assert response.status_code == 403
    assert "Không có quyền truy cập" in html
    assert in_the_layout(html) and cast.viewer.full_name in html  # who is logged in
    assert log.getvalue().splitlines() == [f"Forbidden (Permission denied): {url}"]


def test_a_form_without_its_csrf_token_gets_a_vietnamese_403(cast: Cast) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.editor_a)
    response = client.post(f"/submissions/{cast.part_a.pk}/answer/", {"code": "I", "value": "1"})
    html = response.content.decode()
    assert response.status_code == 403
    assert "Phiên làm việc của biểu mẫu đã hết hạn" in html
    assert in_the_layout(html)


@pytest.mark.urls(__name__)
def test_a_server_error_is_a_vietnamese_500_with_its_traceback_logged(log: io.StringIO) -> None:
    # no database: the page must show even when the database is what failed
    response = Client(raise_request_exception=False).get("/broken/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "Lỗi máy chủ" in html
    assert in_the_layout(html)
    written = log.getvalue()
    assert written.startswith("Internal Server Error: /broken/\nTraceback")
    assert "RuntimeError: a bug in a view" in written


@pytest.mark.urls(__name__)
def test_the_api_answers_its_errors_in_json(db: None) -> None:
    client = Client(raise_request_exception=False)
    unknown = client.get("/api/v1/khong-co/")
    broken = client.get("/api/v1/broken/")
    assert (unknown.status_code, unknown.json()) == (404, {"detail": "Không tìm thấy"})
    assert (broken.status_code, broken.json()) == (500, {"detail": "Lỗi máy chủ"})


# --- with DEBUG on, as `make run` serves the demo -------------------------------------------


@pytest.fixture
def debugging(settings: Any) -> None:
    settings.DEBUG = True


def test_with_debug_on_an_unknown_page_is_still_the_sites_404(db: None, debugging: None) -> None:
    response = Client().get("/khong-co-trang-nay/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Không tìm thấy trang" in html and "URLconf" not in html
    assert in_the_layout(html) and 'href="/">Về trang chủ</a>' in html


def test_with_debug_on_a_page_not_seen_is_the_sites_404(cast: Cast, debugging: None) -> None:
    """A view's 404 (a unit the viewer may not review), with the person still logged in."""
    response = cast.client(cast.viewer).get(f"/reviews/unit/{cast.part_a.pk}/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Không tìm thấy trang" in html and "Technical" not in html
    assert in_the_layout(html) and cast.viewer.full_name in html


def test_with_debug_on_a_refusal_is_the_sites_403(cast: Cast, debugging: None) -> None:
    response = cast.client(cast.viewer).get(f"/reviews/cycle/{cast.cycle.pk}/queue/")
    html = response.content.decode()
    assert response.status_code == 403
    assert "Không có quyền truy cập" in html and in_the_layout(html)


def test_with_debug_on_the_api_still_answers_json_and_slashes_still_redirect(
    db: None, debugging: None
) -> None:
    client = Client()
    unknown = client.get("/api/v1/khong-co/")
    assert (unknown.status_code, unknown.json()) == (404, {"detail": "Không tìm thấy"})
    without_slash = client.get("/results")
    assert (without_slash.status_code, without_slash["Location"]) == (301, "/results/")


def test_the_site_has_its_icon(db: None) -> None:
    response = Client().get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/vnd.microsoft.icon"
    assert b"".join(response).startswith(b"\x00\x00\x01\x00")  # an ICO file
    assert "max-age" in response["Cache-Control"]
