"""A file path as a terminal hands it over: typed, pasted, or a file dropped on the window.

Terminals drop a file as its path in quotes (`'/Users/a/微信支付账单(…).csv'`), with the shell's
backslashes (`/Users/a/微信支付账单\\(…\\).csv`, macOS Terminal), or as a `file://` address;
any of them names the same file.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlparse

_ESCAPED = re.compile(r"\\(.)")


def typed_path(text: str) -> Path:
    """The path `text` names (`~` expanded); as typed when no other reading names a file."""
    value = text.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        value = value[1:-1]
    if value.startswith("file://"):
        value = unquote(urlparse(value).path)
    path = Path(value).expanduser()
    if "\\" in value and not path.exists():
        unescaped = Path(_ESCAPED.sub(r"\1", value)).expanduser()
        if unescaped.exists() or unescaped.parent.is_dir():
            return unescaped
    return path
