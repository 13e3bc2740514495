"""Collect every translatable string and keep the gettext catalogues in step.

Run: `uv run python scripts/i18n_extract.py` — writes `tuan/locale/tuan.pot` and adds any new
msgid (with an empty msgstr) to each `tuan/locale/<lang>/LC_MESSAGES/tuan.po`, keeping the
translations already there. Strings are found as literal first arguments of `_()` and `N_()`.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tuan.i18n import LOCALE_DIR, load_po  # noqa: E402

MARKERS = {"_", "N_"}


def messages(root: Path = ROOT / "tuan") -> dict[str, list[str]]:
    """msgid → places (`file:line`) for every marked literal under `root`."""
    found: dict[str, list[str]] = {}
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in MARKERS
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
                and node.args[0].value
            ):
                place = f"{path.relative_to(ROOT)}:{node.lineno}"
                found.setdefault(node.args[0].value, []).append(place)
    return found


def quote(text: str) -> str:
    """A .po string literal."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def write_po(path: Path, found: dict[str, list[str]], translations: dict[str, str]) -> None:
    """Write a catalogue: header, then every msgid in source order with its places."""
    lines = ['msgid ""', 'msgstr ""', '"Content-Type: text/plain; charset=UTF-8\\n"', ""]
    for msgid, places in found.items():
        lines.append("#: " + " ".join(places[:3]))
        lines.append(f"msgid {quote(msgid)}")
        lines.append(f"msgstr {quote(translations.get(msgid, ''))}")
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
