"""What a text file is before it is parsed: its encoding, or that it is not text at all."""

from __future__ import annotations

import codecs
from pathlib import Path

from bot.errors import InvalidInput

HEAD_BYTES = 64 * 1024
_CHUNK = 1 << 20
ZIP_MAGIC = b"PK\x03\x04"
ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1")


def read_head(path: Path) -> bytes:
    if not path.exists():
        raise InvalidInput(f"no such file: {path}")
    if path.is_dir():
        raise InvalidInput(f"{path} is a folder, not a file")
    with path.open("rb") as handle:
        return handle.read(HEAD_BYTES)


def refuse_binary(path: Path, head: bytes, *, expected: str) -> None:
    """One clear line for a file that is not text: an Excel workbook read as CSV, a PDF, an image..."""
    if head.startswith(ZIP_MAGIC):
        raise InvalidInput(
            f"{path.name} is a zip/Excel (.xlsx) file, not {expected}: "
            "name it .xlsx (or pass --format xlsx) to read it as a workbook"
        )
    if b"\x00" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InvalidInput(f"{path.name} looks like a binary file, not {expected} text")


def detect_encoding(path: Path, head: bytes, explicit: str | None = None) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252 (French Excel), else Latin-1."""
    if explicit:
        try:
            return codecs.lookup(explicit).name
        except LookupError:
            raise InvalidInput(f"unknown encoding {explicit!r}: use one of {', '.join(ENCODINGS)}") from None
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    for candidate in ("utf-8", "cp1252"):
        if _decodes(path, candidate):
            return candidate
    return "latin-1"


def _decodes(path: Path, encoding: str) -> bool:
    """The whole file decodes (read in 1 MB chunks: about a second per GB)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def decode_error(path: Path, encoding: str, exc: UnicodeDecodeError) -> InvalidInput:
    return InvalidInput(
        f"{path.name} is not valid {encoding} ({exc.reason} at byte {exc.start}): "
        "pass --encoding (e.g. --encoding cp1252 for a Windows export)"
    )
