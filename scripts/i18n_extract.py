"""Collect every translatable string and keep the gettext catalogues in step.

Run: `uv run python scripts/i18n_extract.py` — writes `tuan/locale/tuan.pot` and adds any new
msgid (with an empty msgstr) to each `tuan/locale/<lang>/LC_MESSAGES/tuan.po`, keeping the
translations already there. Strings are found as literal first arguments of `_()` and `N_()`,
and as the literal (context, message) of `pgettext()` and `NP_()` (written with a msgctxt line).
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tuan.i18n import CONTEXT_SEPARATOR, LOCALE_DIR, load_po  # noqa: E402

MARKERS = {"_", "N_"}
CONTEXT_MARKERS = {"pgettext", "NP_"}


def _literal(node: ast.expr) -> str:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else ""


def marked(node: ast.AST) -> str:
    """The catalogue key a call marks (`context\x04msgid` for pgettext), or ''."""
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
        return ""
    args = node.args
    if node.func.id in MARKERS and args:
        return _literal(args[0])
    if (
        node.func.id in CONTEXT_MARKERS
        and len(args) == 2
        and _literal(args[0])
        and _literal(args[1])
    ):
        return _literal(args[0]) + CONTEXT_SEPARATOR + _literal(args[1])
    return ""


def messages(root: Path = ROOT / "tuan") -> dict[str, list[str]]:
    """Catalogue key → places (`file:line`) for every marked literal under `root`."""
    found: dict[str, list[str]] = {}
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            key = marked(node)
            if key:
                place = f"{path.relative_to(ROOT)}:{node.lineno}"
                found.setdefault(key, []).append(place)
    return found


def quote(text: str) -> str:
    """A .po string literal."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def write_po(path: Path, found: dict[str, list[str]], translations: dict[str, str]) -> None:
    """Write a catalogue: header, then every msgid in source order with its places."""
    lines = ['msgid ""', 'msgstr ""', '"Content-Type: text/plain; charset=UTF-8\\n"', ""]
    for key, places in found.items():
        lines.append("#: " + " ".join(places[:3]))
        context, separator, msgid = key.rpartition(CONTEXT_SEPARATOR)
        if separator:
            lines.append(f"msgctxt {quote(context)}")
        lines.append(f"msgid {quote(msgid)}")
        lines.append(f"msgstr {quote(translations.get(key, ''))}")
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")


def main() -> None:
    """Update the template and every language's catalogue."""
    found = messages()
    write_po(LOCALE_DIR / "tuan.pot", found, {})
    for po in sorted(LOCALE_DIR.glob("*/LC_MESSAGES/tuan.po")):
        existing = load_po(po)
        write_po(po, found, existing)
        missing = [m for m in found if not existing.get(m)]
        print(f"{po.relative_to(ROOT)}: {len(found)} messages, {len(missing)} untranslated")


if __name__ == "__main__":
    main()
