"""Zip archives (XLSX workbooks, Office documents) opened with their unpacked size bounded.

A zip file says in its directory how large each member is once unpacked; a "zip bomb" is a
small file whose members unpack to gigabytes. :func:`open_zip` reads the directory only and
refuses an archive whose members, summed, would unpack to more than a limit, or that has too
many members, or whose members are packed more tightly than real documents are. Python's
zipfile then never unpacks a member beyond the size its directory gives, so a member that
lies about its size is cut there (and fails its checksum) instead of filling the memory —
for the deflate method, which unpacks a bounded amount per read. Office documents, OpenDocument
files and workbooks use only deflate (or no compression), so a member packed by another method
(bzip2, LZMA, whose whole member would be unpacked at once) is refused.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from typing import IO

from chiso.core.messages import Message

__all__ = ["ArchiveRefused", "ZipLimits", "open_zip", "read_member"]


class ArchiveRefused(ValueError):
    """An archive over a limit; the message says which, in one line."""


@dataclass(frozen=True)
class ZipLimits:
    unpacked: int = 256 * 1024 * 1024
    """The most bytes all members may unpack to, together."""
    members: int = 10_000
    """The most members an archive may have."""
    ratio: int = 200
    """The most a member larger than 1 MB unpacked may have been compressed (unpacked size ÷
    packed size): XML and text pack 5–20 times, a zip bomb a million times."""


_RATIO_FROM = 1024 * 1024
_ENCRYPTED = 0x1
_END = b"PK\x05\x06"  # the end of the central directory: 22 bytes and a comment


def _declared_members(file: IO[bytes]) -> int:
    """How many members the archive's end record declares (0 when there is none: zipfile
    then says what is wrong), read from the last 64 KB without building the directory."""
    file.seek(0, 2)
    size = file.tell()
    file.seek(max(0, size - 22 - 0xFFFF))
    tail = file.read()
    file.seek(0)
    at = tail.rfind(_END)
    if at < 0 or len(tail) < at + 22:
        return 0
    return int.from_bytes(tail[at + 10 : at + 12], "little")  # 0xFFFF: zip64, counted later


_METHODS = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED})


def open_zip(file: IO[bytes], limits: ZipLimits) -> zipfile.ZipFile:
    """The archive of ``file``, its directory checked against ``limits``.

    Raises :class:`ArchiveRefused` over a limit, and zipfile.BadZipFile (or OSError) for a
    file that is not a zip archive.
    """
    if _declared_members(file) > limits.members:  # before the directory is read at all
        raise ArchiveRefused(Message("it has more than {count:,} parts", count=limits.members))
    archive = zipfile.ZipFile(file)
    try:
        members = archive.infolist()
        if len(members) > limits.members:
            raise ArchiveRefused(Message("it has more than {count:,} parts", count=limits.members))
        total = 0
        for member in members:
            if member.flag_bits & _ENCRYPTED:
                raise ArchiveRefused(
                    Message("its part {name!r} is encrypted", name=member.filename[:60])
                )
            if member.compress_type not in _METHODS:
                raise ArchiveRefused(
                    Message(
                        "its part {name!r} is packed by a method that documents do not use",
                        name=member.filename[:60],
                    )
                )
            total += member.file_size
            if total > limits.unpacked:
                raise ArchiveRefused(
                    Message(
                        "its parts unpack to more than {size} MB",
                        size=limits.unpacked // (1024 * 1024),
                    )
                )
            packed = max(member.compress_size, 1)
            if member.file_size > _RATIO_FROM and member.file_size > limits.ratio * packed:
                raise ArchiveRefused(
                    Message(
                        "its part {name!r} is packed {ratio:,} times: more than any real document",
                        name=member.filename[:60],
                        ratio=member.file_size // packed,
                    )
                )
    except BaseException:
        archive.close()
        raise
    return archive


def read_member(archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
    """At most ``limit`` bytes of the member ``name``, unpacked as they are read."""
    with archive.open(name) as member:
        return member.read(limit)
