"""The one translation function for everything the leader sees.

Source strings are Simplified Chinese (the default language); other languages are gettext
catalogues under `tuan/locale/<lang>/LC_MESSAGES/tuan.po`, looked up by the Chinese text.
"""

from __future__ import annotations

import os
from pathlib import Path

LOCALE_DIR = Path(__file__).with_name("locale")
DEFAULT_LANGUAGE = "zh"
SUPPORTED = ("zh", "en")
CONTEXT_SEPARATOR = "\x04"  # between msgctxt and msgid in a catalogue key, as gettext does

_catalogue: dict[str, str] = {}
_language = DEFAULT_LANGUAGE


def _(message: str) -> str:
    """Translate `message` (Chinese source text) into the current language."""
    if not _catalogue:
        return message
    return _catalogue.get(message) or message


def pgettext(context: str, message: str) -> str:
    """Translate `message` where the same Chinese words need different English by context.

    The catalogue keys it as `context\x04message` (gettext's msgctxt); Chinese ignores context.
    """
    if not _catalogue:
        return message
    return _catalogue.get(f"{context}{CONTEXT_SEPARATOR}{message}") or message


def N_(message: str) -> str:
    """Mark a string for translation where it is defined; translate it with `_` where shown."""
    return message


def NP_(context: str, message: str) -> str:
    """Like `N_`, for a string translated with `pgettext(context, …)` where shown."""
    del context  # read by scripts/i18n_extract.py
    return message


def language() -> str:
    """The language in use: `zh` or `en`."""
    return _language


def detect_language(explicit: str | None = None) -> str:
    """`--lang`, then $TUAN_LANG, then the system locale (`zh*` → zh, anything else → en)."""
    for candidate in (explicit, os.environ.get("TUAN_LANG")):
        if candidate:
            return candidate.lower()[:2] if candidate.lower()[:2] in SUPPORTED else DEFAULT_LANGUAGE
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value and value not in ("C", "POSIX", "C.UTF-8"):
            return "zh" if value.lower().startswith("zh") else "en"
    return DEFAULT_LANGUAGE


def set_language(lang: str) -> None:
    """Switch language; an unknown one, or a missing catalogue, falls back to Chinese."""
    global _language
    _catalogue.clear()
    _language = lang if lang in SUPPORTED else DEFAULT_LANGUAGE
    if _language != DEFAULT_LANGUAGE:
        _catalogue.update(load_po(LOCALE_DIR / _language / "LC_MESSAGES" / "tuan.po"))


def load_po(path: Path) -> dict[str, str]:
    """Read msgid → msgstr pairs from a gettext .po file (empty dict if it is missing).

    An entry with a msgctxt is keyed `msgctxt\x04msgid`, as `pgettext` looks it up.
    """
    if not path.exists():
        return {}
    entries: dict[str, str] = {}
    context: list[str] | None = None
    msgid: list[str] | None = None
    msgstr: list[str] | None = None
    current: list[str] | None = None

    def flush() -> None:
        if msgid is not None and msgstr is not None and "".join(msgid):
            prefix = "".join(context) + CONTEXT_SEPARATOR if context is not None else ""
            entries[prefix + "".join(msgid)] = "".join(msgstr)

    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.startswith("msgctxt "):
            flush()
            context, msgid, msgstr = [_unquote(line[8:])], None, None
            current = context
        elif line.startswith("msgid "):
            if msgstr is not None:
                flush()
                context = None
            msgid, msgstr = [_unquote(line[6:])], None
            current = msgid
        elif line.startswith("msgstr "):
            msgstr = [_unquote(line[7:])]
            current = msgstr
        elif line.startswith('"') and current is not None:
            current.append(_unquote(line))
    flush()
    return entries


def _unquote(text: str) -> str:
    text = text.strip()
    if "\\" not in text:  # most entries: no escapes, no need to parse (English start-up)
        return text[1:-1]
    import ast

    return str(ast.literal_eval(text))
