"""The one translation function for everything the leader sees.

Source strings are Simplified Chinese (the default language); other languages are gettext
catalogues: `tuan/locale/<lang>/LC_MESSAGES/tuan.po`, compiled by `scripts/i18n_extract.py` into
the `tuan.mo` beside it, which the standard library's `gettext` reads (no Babel at run time).
Messages are looked up by the Chinese text; a count is worded with `ngettext`.
"""

from __future__ import annotations

import os
from pathlib import Path

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: importing typing costs start-up time
if TYPE_CHECKING:
    from gettext import NullTranslations

LOCALE_DIR = Path(__file__).with_name("locale")
DOMAIN = "tuan"
DEFAULT_LANGUAGE = "zh"
SUPPORTED = ("zh", "en")
CONTEXT_SEPARATOR = "\x04"  # between msgctxt and msgid in a catalogue key, as gettext does

_translations: NullTranslations | None = None  # None: Chinese, the source text itself
_language = DEFAULT_LANGUAGE


def _(message: str) -> str:
    """Translate `message` (Chinese source text) into the current language."""
    if _translations is None or not message:  # gettext("") is the catalogue's header
        return message
    return _translations.gettext(message)


def pgettext(context: str, message: str) -> str:
    """Translate `message` where the same Chinese words need different English by context.

    The catalogue keys it as `context\x04message` (gettext's msgctxt); Chinese ignores context.
    """
    if _translations is None or not message:
        return message
    return _translations.pgettext(context, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a message that shows the count `n`: "{n} 单" is "1 order" but "2 orders".

    Chinese has one form, so `singular` and `plural` are usually the same Chinese text; the
    catalogue holds each language's forms (`msgid_plural`, `msgstr[0]`, `msgstr[1]`…) and its
    rule for which form a count takes. The caller still fills in `{n}` with `.format`.
    """
    if _translations is None:
        return singular if n == 1 else plural
    return _translations.ngettext(singular, plural, n)


def npgettext(context: str, singular: str, plural: str, n: int) -> str:
    """`ngettext` with a context, as `pgettext` is to `_`."""
    if _translations is None:
        return singular if n == 1 else plural
    return _translations.npgettext(context, singular, plural, n)


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
    global _language, _translations
    _language = lang if lang in SUPPORTED else DEFAULT_LANGUAGE
    _translations = None
    if _language != DEFAULT_LANGUAGE:
        _translations = load_mo(catalogue_path(_language, ".mo"))


def catalogue_path(lang: str, suffix: str = ".po") -> Path:
    """`tuan/locale/<lang>/LC_MESSAGES/tuan.po` (or `.mo`, the compiled one the app reads)."""
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}{suffix}"


def load_mo(path: Path) -> NullTranslations | None:
    """The compiled catalogue at `path` (None if it is missing), read by the standard library."""
    if not path.exists():
        return None
    from gettext import GNUTranslations

    with path.open("rb") as file:
        return GNUTranslations(file)


def load_po(path: Path) -> dict[str, str]:
    """Read the translations of a .po file, keyed as `pgettext` looks them up (tests, scripts).

    An entry with a msgctxt is keyed `msgctxt\x04msgid`; a plural entry by its singular msgid,
    with its first form. Untranslated and fuzzy entries read as ''. Empty if the file is missing.
    Needs Babel, a development dependency: the app itself reads only the compiled .mo.
    """
    if not path.exists():
        return {}
    from babel.messages.pofile import read_po

    with path.open("rb") as file:
        catalog = read_po(file)
    entries: dict[str, str] = {}
    for message in catalog:
        if not message.id:
            continue
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        string = message.string if isinstance(message.string, str) else (message.string or [""])[0]
        prefix = message.context + CONTEXT_SEPARATOR if message.context else ""
        entries[prefix + msgid] = "" if message.fuzzy else (string or "")
    return entries
