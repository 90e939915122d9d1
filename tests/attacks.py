"""Small files that stand for far more than they hold: the inputs of the input-limit tests
(command line and web) and of benchmarks/input_limits.py."""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Callable


def nested_aliases(levels: int = 10) -> str:
    """A few hundred bytes of YAML that stand for 9^levels values once the aliases are
    expanded (a "billion laughs"), the last level inside a criterion, where a message shows
    what it holds."""
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for index in range(1, levels):
        name, before = chr(ord("a") + index), chr(ord("a") + index - 1)
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{before}"] * 9) + "]")
    last = chr(ord("a") + levels - 1)
    lines.append(f"criteria: [{{code: A, name: A, max: 1, extra: *{last}}}]")
    return "\n".join(lines) + "\n"


def bzip2_odt() -> bytes:
    """An OpenDocument text whose ``mimetype`` is packed with bzip2, as the 920-byte zip bomb
    was (its member unpacked to 1 GiB in one call): documents never use that method."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "mimetype", b"application/vnd.oasis.opendocument.text", compress_type=zipfile.ZIP_BZIP2
        )
        archive.writestr("content.xml", b"<x/>")
    return buffer.getvalue()


def deflate_docx(megabytes: int, *, zeros: bool = True) -> bytes:
    """A Word document with a part of ``megabytes`` MB: of zeros (packed a thousand times) or
    of random bytes (which do not pack, as in a photo)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("word/document.xml", b"<w:document/>")
        with archive.open("word/media/image1.bin", "w") as part:
            for _ in range(megabytes):
                part.write(b"\0" * (1 << 20) if zeros else os.urandom(1 << 20))
    return buffer.getvalue()


def workbook(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


SHEET = "xl/worksheets/sheet1.xml"


def rewrite(
    raw: bytes,
    name: str,
    change: Callable[[bytes], bytes] | None = None,
    method: int | None = None,
) -> bytes:
    """``raw`` (a zip) with its member ``name`` changed by ``change`` or packed by ``method``."""
    source = zipfile.ZipFile(io.BytesIO(raw))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename != name:
                archive.writestr(item, data)
                continue
            if change is not None:
                data = change(data)
            if method is None:
                archive.writestr(item, data)
            else:
                archive.writestr(item.filename, data, compress_type=method)
    return out.getvalue()


def claims_a_million_rows(sheet: bytes) -> bytes:
    """A sheet's XML that says it is A1:XFD1048576, whatever its cells."""
    start = sheet.index(b"<dimension")
    end = sheet.index(b"/>", start) + 2
    return sheet[:start] + b'<dimension ref="A1:XFD1048576"/>' + sheet[end:]


def with_a_far_cell(sheet: bytes) -> bytes:
    """A sheet's XML with one more cell, in its last possible row and column."""
    far = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    return sheet.replace(b"</sheetData>", far + b"</sheetData>")


def sparse_workbook(rows: list[list[object]]) -> bytes:
    """A workbook of ``rows`` that claims a million rows of 16,384 cells and has a cell in the
    last of them: a few KB."""
    return rewrite(workbook(rows), SHEET, lambda xml: with_a_far_cell(claims_a_million_rows(xml)))


def encrypted(raw: bytes) -> bytes:
    """``raw`` (a zip) with its first member flagged as encrypted, in its local header and its
    directory entry: zipfile raises RuntimeError ("password required") on reading it."""
    first = raw.index(b"PK\x01\x02")
    patched = bytearray(raw)
    patched[6] |= 1
    patched[first + 8] |= 1
    return bytes(patched)
