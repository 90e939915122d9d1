"""What kind of file an upload is, decided by its content, never by its name.

Evidence and signed forms may be PDF, images or Office documents. The first bytes say what a
file is (``%PDF-``, the PNG signature …); zip-based Office files (docx, xlsx, pptx, odt, ods,
odp) are opened and recognised by their inner structure, so a zip archive, a Java archive or an
executable renamed ``.docx`` is refused, and so is a macro-enabled document.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.utils.translation import gettext as _

from chiso import format as fmt
from chiso.io.archives import ArchiveRefused, ZipLimits, open_zip, read_member


class FileRefused(ValueError):
    """An upload that is not accepted; the message is for the form field."""


@dataclass(frozen=True)
class Kind:
    label: str
    content_type: str
    extension: str


PDF = Kind("PDF", "application/pdf", "pdf")
PNG = Kind("PNG", "image/png", "png")
JPEG = Kind("JPEG", "image/jpeg", "jpg")
GIF = Kind("GIF", "image/gif", "gif")
WEBP = Kind("WebP", "image/webp", "webp")
TIFF = Kind("TIFF", "image/tiff", "tif")
DOCX = Kind(
    "Word", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"
)
XLSX = Kind("Excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")
PPTX = Kind(
    "PowerPoint",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "pptx",
)
ODT = Kind("OpenDocument", "application/vnd.oasis.opendocument.text", "odt")
ODS = Kind("OpenDocument", "application/vnd.oasis.opendocument.spreadsheet", "ods")
ODP = Kind("OpenDocument", "application/vnd.oasis.opendocument.presentation", "odp")
# Word 97–2003, Excel 97–2003: still the daily format of many offices
OLE = {
    "doc": Kind("Word 97–2003", "application/msword", "doc"),
    "xls": Kind("Excel 97–2003", "application/vnd.ms-excel", "xls"),
    "ppt": Kind("PowerPoint 97–2003", "application/vnd.ms-powerpoint", "ppt"),
}

EVIDENCE_KINDS = frozenset(
    {PDF, PNG, JPEG, GIF, WEBP, TIFF, DOCX, XLSX, PPTX, ODT, ODS, ODP, *OLE.values()}
)
SCAN_KINDS = frozenset({PDF, PNG, JPEG, TIFF, WEBP})

_SIGNATURES: tuple[tuple[bytes, Kind], ...] = (
    (b"%PDF-", PDF),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
    (b"GIF87a", GIF),
    (b"GIF89a", GIF),
    (b"II*\x00", TIFF),
    (b"MM\x00*", TIFF),
)
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_SIGNATURE = b"PK\x03\x04"
_OOXML_PARTS = (
    ("word/document.xml", DOCX),
    ("xl/workbook.xml", XLSX),
    ("ppt/presentation.xml", PPTX),
)
_ODF_TYPES = {kind.content_type: kind for kind in (ODT, ODS, ODP)}


def detect(file: IO[bytes], name: str) -> Kind | None:
    """The kind of ``file`` from its content, or None when it is none of the accepted kinds.

    ``name`` only tells a legacy Word file from a legacy Excel file: both are the same
    container, and the container is checked first.
    """
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    for signature, kind in _SIGNATURES:
        if head.startswith(signature):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(_OLE_SIGNATURE):
        return OLE.get(name.rsplit(".", 1)[-1].lower())
    if head.startswith(_ZIP_SIGNATURE):
        return _office(file)
    return None


def _office(file: IO[bytes]) -> Kind | None:
    """The kind of a zip-based Office document, from its directory and its short ``mimetype``
    member: nothing else is unpacked, and the archive must be within the unpacked-size limits
    (FileRefused otherwise)."""
    limits = ZipLimits(unpacked=settings.UPLOAD_MAX_UNPACKED_BYTES)
    try:
        with open_zip(file, limits) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                mimetype = read_member(archive, "mimetype", _MIMETYPE_MAX)
                return _ODF_TYPES.get(mimetype.decode("ascii", "replace").strip())
            if "[Content_Types].xml" not in names:
                return None
            if any(n.lower().endswith("vbaproject.bin") for n in names):
                return None  # macro-enabled: refused
            return next((kind for part, kind in _OOXML_PARTS if part in names), None)
    except ArchiveRefused:
        raise FileRefused(_refusal()) from None
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, EOFError):
        return None
    finally:
        file.seek(0)


_MIMETYPE_MAX = 200  # "application/vnd.oasis.opendocument.presentation" is 46 bytes


def _refusal() -> str:
    """The Vietnamese (or English) sentence for an archive over a limit."""
    return _(
        "This document unpacks to more than %(limit)s MB, or is packed in a way no real"
        " document is; it is refused."
    ) % {"limit": _megabytes(settings.UPLOAD_MAX_UNPACKED_BYTES)}


def check_upload(file: IO[bytes], name: str, size: int, *, kinds: frozenset[Kind]) -> Kind:
    """The upload's kind when it is accepted; FileRefused with the reason otherwise."""
    limit = settings.EVIDENCE_MAX_BYTES
    if size == 0:
        raise FileRefused(_("The file is empty."))
    if size > limit:
        raise FileRefused(_("The file is larger than %(limit)s MB.") % {"limit": _megabytes(limit)})
    kind = detect(file, name)
    if kind is None or kind not in kinds:
        labels = sorted({k.extension.upper() for k in kinds})
        raise FileRefused(
            _("This file's content is not an accepted type (%(types)s).")
            % {"types": ", ".join(labels)}
        )
    return kind


def _megabytes(size: int) -> str:
    value = size / (1024 * 1024)
    return fmt.comma(f"{value:g}")
