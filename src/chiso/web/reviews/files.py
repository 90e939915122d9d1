"""Checks of an uploaded file before it is stored: size, name and content.

The content must be what the name says (a PDF starts with ``%PDF-``, a DOCX is a ZIP…), so
that a renamed executable or web page is refused.
"""

from __future__ import annotations

import hashlib
from pathlib import PurePath

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

# extension → (content type served on download, accepted leading bytes)
_PDF = (b"%PDF-",)
_ZIP = (b"PK\x03\x04",)
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
ALLOWED: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".pdf": ("application/pdf", _PDF),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", _ZIP),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _ZIP),
    ".odt": ("application/vnd.oasis.opendocument.text", _ZIP),
    ".ods": ("application/vnd.oasis.opendocument.spreadsheet", _ZIP),
    ".doc": ("application/msword", _OLE),
    ".xls": ("application/vnd.ms-excel", _OLE),
    ".zip": ("application/zip", _ZIP),
}


class UploadError(ValueError):
    """A file that is refused; the message names the file and the reason."""


def check_upload(upload: UploadedFile[bytes]) -> tuple[str, str]:
    """The content type and SHA-256 of an acceptable upload; UploadError otherwise."""
    name = PurePath(upload.name or "").name
    suffix = PurePath(name).suffix.lower()
    if suffix not in ALLOWED:
        raise UploadError(
            _("%(name)s: files of this type are not accepted (PDF, images, office documents).")
            % {"name": name}
        )
    if not upload.size:
        raise UploadError(_("%(name)s: the file is empty.") % {"name": name})
    limit = settings.EVIDENCE_MAX_BYTES
    if upload.size > limit:
        raise UploadError(
            _("%(name)s: the file is larger than %(mb)s MB.")
            % {"name": name, "mb": limit // (1024 * 1024)}
        )
    content_type, magics = ALLOWED[suffix]
    upload.seek(0)
    head = upload.read(16)
    if not head.startswith(magics):
        raise UploadError(
            _("%(name)s: the content is not a %(type)s file.")
            % {"name": name, "type": suffix[1:].upper()}
        )
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return content_type, digest.hexdigest()
