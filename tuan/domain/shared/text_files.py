"""Reading a text file as leaders have it: whatever encoding and line endings it was saved with.

A chain copied from PC WeChat and saved with Windows Notepad is GBK (GB18030); newer Notepad
writes UTF-8, sometimes with a BOM, or UTF-16 with a BOM ("Unicode"); a Mac writes UTF-8.
`decode_text` tries them in that order of certainty (a BOM says it outright, UTF-8 rarely reads
what is not UTF-8, GB18030 reads almost any byte pairs), makes every line end in `\\n`, and
refuses what is not text (a photo, a spreadsheet, a zip) instead of reading garbage.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from tuan.domain.shared.errors import DomainError, Message
from tuan.domain.shared.file_errors import os_problem
from tuan.i18n import N_

__all__ = ["TextFileError", "decode_text", "read_text_file"]

# Longest first: the UTF-32 LE mark begins with the UTF-16 LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_BOMS_ONLY = tuple(bom for bom, _encoding in _BOMS)
#: How images, PDFs, office files, archives and databases begin: never a chain's text.
_SIGNATURES = (
    b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"%PDF", b"PK\x03\x04", b"\xd0\xcf\x11\xe0",
    b"\x1f\x8b", b"7z\xbc\xaf", b"Rar!", b"RIFF", b"SQLite format 3\x00",
)  # fmt: skip
#: Characters no text holds: controls (but tab, line and page breaks, and the ctrl-Z old DOS
#: editors put at the end) and private-use ones, which bytes read in the wrong encoding become.
_STRAY_RE = re.compile(
    "[\x00-\x08\x0e-\x19\x1b-\x1f\x7f-\x84\x86-\x9f\ue000-\uf8ff\U000f0000-\U0010ffff]"
)
#: A text with more stray characters than one in this many is not text.
_STRAY_RATIO = 100


class TextFileError(DomainError, ValueError):
    """A file that cannot be read as text: missing, unreadable, or not text at all.

    Codes: `file.unreadable` (the system refused: missing, no permission, a folder),
    `file.binary` (an image, a document or an archive) and `file.encoding` (bytes in no
    encoding tuan knows).
    """

    code = "file.unreadable"


class _OsReason:
    """The system's refusal in the leader's words, made when shown."""

    def __init__(self, error: OSError) -> None:
        self.error = error

    def __str__(self) -> str:
        return os_problem(self.error)


def read_text_file(path: str | Path) -> str:
    """The text of a file saved in UTF-8 (with or without a BOM), GBK/GB18030 or UTF-16/32 with a
    BOM, with `\\r\\n` and lone `\\r` line endings made `\\n`.

    Raises:
        TextFileError: the file cannot be read, or is not text (see its `code`).
    """
    shown = str(path)
    try:
        data = Path(path).expanduser().read_bytes()
    except OSError as error:
        raise TextFileError(
            N_("读不了文件 {file}：{reason}"), file=shown, reason=_OsReason(error)
        ) from error
    return decode_text(data, shown)


def decode_text(data: bytes, name: str = "-") -> str:
    """Decode the bytes of a text file (or of standard input) as `read_text_file` does.

    Args:
        data: The bytes as saved.
        name: The file's name, for the message when it is not text.

    Raises:
        TextFileError: the bytes are not text in any encoding tuan reads.
    """
    if data.startswith(_SIGNATURES) or (b"\x00" in data and not data.startswith(_BOMS_ONLY)):
        raise _refusal(name, "file.binary")  # text saved without a BOM never holds a NUL byte
    text = _decode(data)
    if text is None:
        raise _refusal(name, "file.encoding")
    if not _looks_like_text(text):
        raise _refusal(name, "file.binary")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode(data: bytes) -> str | None:
    """The text, or None when the bytes are in none of the encodings tried."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError:
                return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.reason == "unexpected end of data" and error.end == len(data):
            return data[: error.start].decode("utf-8")  # a copy cut in the middle of a character
    try:
        return data.decode("gb18030")  # GBK and GB2312 are subsets of it
    except UnicodeDecodeError:
        return None


def _looks_like_text(text: str) -> bool:
    """Whether at most one character in `_STRAY_RATIO` is a stray control or private-use one."""
    return len(_STRAY_RE.findall(text)) * _STRAY_RATIO <= len(text)


def _refusal(name: str, code: str) -> TextFileError:
    if code == "file.binary":
        reason = Message(
            N_("这不是文字文件（像是图片、文档或压缩包），请把接龙文字存成 .txt 再导入")
        )
    else:
        reason = Message(N_("认不出文字的编码，请在记事本里另存为 UTF-8 文本再导入"))
    return TextFileError(N_("读不了文件 {file}：{reason}"), code=code, file=name, reason=reason)
