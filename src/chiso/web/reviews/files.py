"""Checks of a response's new evidence: the same as the self-assessment's evidence
(submissions.files: size, and the kind decided by the content, never by the name)."""

from __future__ import annotations

import hashlib
from pathlib import PurePath

from django.core.files.uploadedfile import UploadedFile

from chiso.web.submissions.files import EVIDENCE_KINDS, FileRefused
from chiso.web.submissions.files import check_upload as check_kind


class UploadError(ValueError):
    """A file that is refused; the message names the file and the reason."""


def check_upload(upload: UploadedFile[bytes]) -> tuple[str, str]:
    """The content type and SHA-256 of an acceptable upload; UploadError otherwise."""
    name = PurePath(upload.name or "").name
    try:
        kind = check_kind(upload, name, upload.size or 0, kinds=EVIDENCE_KINDS)
    except FileRefused as refused:
        raise UploadError(f"{name}: {refused}") from None
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return kind.content_type, digest.hexdigest()
