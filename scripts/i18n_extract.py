"""Collect every translatable string and keep the gettext catalogues in step, with Babel.

Run: `uv run python scripts/i18n_extract.py` — it
1. extracts the messages under `tuan/` into the template `tuan/locale/tuan.pot`: the literal
   first argument of `_()` and `N_()`, the literal (context, message) of `pgettext()` and `NP_()`,
   the (singular, plural) of `ngettext()` and the (context, singular, plural) of `npgettext()`,
   with any `# Translators: …` comment on the lines just above the call;
2. merges the template into each `tuan/locale/<lang>/LC_MESSAGES/tuan.po` (Babel's
   `update`): translations are kept, new messages come with an empty msgstr (or, when one is
   close to an old message, its old translation marked `#, fuzzy` to review), gone ones are
   dropped;
3. compiles each .po into the `tuan.mo` beside it, which the app reads with the standard library
   (commit it with the .po; fuzzy and empty translations are left out and show the Chinese).

Then translate the empty `msgstr`s (both `msgstr[0]`/`msgstr[1]` of a plural entry), remove the
`#, fuzzy` lines you have checked, and run it again to compile. Babel is a development
dependency only. Messages are found with Python's own parser, so calls inside f-strings count
and every Python version extracts the same catalogue.
"""

from __future__ import annotations

import ast
import io
import sys
import tokenize
from collections.abc import Collection, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.extract import extract
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tuan.i18n import CONTEXT_SEPARATOR, DOMAIN, LOCALE_DIR  # noqa: E402

#: Babel keyword specs: which arguments are the msgid, the plural and the context ("c").
KEYWORDS: dict[str, Any] = {
    "_": None,
    "N_": None,
    "pgettext": ((1, "c"), 2),
    "NP_": ((1, "c"), 2),
    "ngettext": (1, 2),
    "npgettext": ((1, "c"), 2, 3),
}
COMMENT_TAGS = ("Translators:",)
HEADER = (
    "# The text of tuan, the terminal cockpit for community group-buy leaders.\n"
    "# The msgids are the Simplified Chinese source text. Made by scripts/i18n_extract.py:\n"
    "# edit the msgstrs only, then run the script again to compile tuan.mo."
)


def extract_tuan(
    fileobj: Any,
    keywords: Collection[str],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[tuple[int, str, tuple[str | None, ...], list[str]]]:
    """A Babel extraction method reading the syntax tree (f-strings included).

    Yields (line, function, arguments, comments); an argument that is not a string literal is
    None, so Babel skips the call, as it does a context that is not a literal here.
    """
    del options
    source = fileobj.read().decode("utf-8")
    comments = _comments(source)
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in keywords
        ):
            continue
        args = tuple(
            arg.value if isinstance(arg, ast.Constant) and isinstance(arg.value, str) else None
            for arg in node.args
        )
        spec = KEYWORDS.get(node.func.id)
        if spec and isinstance(spec[0], tuple) and args and args[0] is None:
            continue  # a context that is not a literal: nothing to extract
        note = _comment_above(comments, node.lineno, comment_tags)
        found.append((node.lineno, node.col_offset, node.func.id, args, note))
    for lineno, _col, name, args, note in sorted(found, key=lambda f: (f[0], f[1])):
        yield lineno, name, args, note


def _comments(source: str) -> dict[int, str]:
    """Line number → the text of a comment that is the whole line."""
    found = {}
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT and not token.line[: token.start[1]].strip():
            found[token.start[0]] = token.string.lstrip("#").strip()
    return found


def _comment_above(comments: dict[int, str], line: int, tags: Collection[str]) -> list[str]:
    """The comment block just above `line`, from its first line that starts with a tag."""
    block: list[str] = []
    while line - 1 in comments:
        line -= 1
        block.insert(0, comments[line])
    for index, text in enumerate(block):
        if any(text.startswith(tag) for tag in tags):
            return block[index:]
    return []


def template(root: Path = ROOT / "tuan") -> Catalog:
    """The messages of every module under `root`, in file and line order.

    Raises ValueError when one msgid is used both as a plain and a plural message, or with two
    different plurals: the catalogue can hold only one of them.
    """
    catalog = Catalog(project="tuan", header_comment=HEADER, fuzzy=False)
    shapes: dict[str, tuple[str, ...] | str] = {}
    clashes = []
    for path in sorted(root.rglob("*.py")):
        place = path.relative_to(root.parent).as_posix()
        with path.open("rb") as file:
            for lineno, message, notes, context in extract(
                extract_tuan,  # type: ignore[arg-type]  # Babel's callable type is narrower
                file,
                KEYWORDS,
                COMMENT_TAGS,
                strip_comment_tags=True,
            ):
                key = catalogue_key(message, context)
                if shapes.setdefault(key, message) != message:
                    clashes.append(f"{place}:{lineno}: {message!r} and {shapes[key]!r}")
                catalog.add(message, None, [(place, lineno)], auto_comments=notes, context=context)
    if clashes:
        raise ValueError("one msgid, two shapes (use ngettext everywhere):\n" + "\n".join(clashes))
    return catalog


def catalogue_key(message: str | Sequence[str], context: str | None) -> str:
    """`context\x04msgid` (just `msgid` without a context), the singular for a plural."""
    msgid = message if isinstance(message, str) else message[0]
    return f"{context}{CONTEXT_SEPARATOR}{msgid}" if context else msgid


def messages(root: Path = ROOT / "tuan") -> dict[str, list[str]]:
    """Catalogue key → places (`file:line`) for every marked literal under `root`."""
    return {
        catalogue_key(m.id, m.context): [f"{f}:{n}" for f, n in m.locations]
        for m in template(root)
        if m.id
    }


def read_catalogue(path: Path, lang: str | None = None) -> Catalog:
    """A .po or .pot file as a Babel catalogue."""
    with path.open("rb") as file:
        return read_po(file, locale=lang, domain=DOMAIN)


def compiled(catalog: Catalog) -> bytes:
    """The .mo file for `catalog`: what the app reads (fuzzy and empty entries left out)."""
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()


def _po_text(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    # No wrapping (a message stays on one line, as before), gone messages dropped, a fuzzy one
    # shows the msgid its guess was translated from.
    write_po(buffer, catalog, width=0, ignore_obsolete=True, include_previous=True)
    return buffer.getvalue()


def _write(path: Path, data: bytes) -> bool:
    """Write `data` unless the file already holds it; True if it changed."""
    if path.exists() and path.read_bytes() == data:
        return False
    path.write_bytes(data)
    return True


def main() -> None:
    """Update the template, merge it into every language's catalogue, compile them."""
    pot = LOCALE_DIR / f"{DOMAIN}.pot"
    catalog = template()
    if pot.exists():  # the same messages as before keep the old date: no change to commit
        catalog.creation_date = read_catalogue(pot).creation_date
        if _po_text(catalog) != pot.read_bytes():
            catalog.creation_date = Catalog().creation_date
    _write(pot, _po_text(catalog))
    for po in sorted(LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        lang = po.parent.parent.name
        translated = read_catalogue(po, lang)
        translated.update(catalog)
        translated.header_comment = HEADER
        translated.project = catalog.project
        _write(po, _po_text(translated))
        _write(po.with_suffix(".mo"), compiled(translated))
        todo = [m for m in translated if m.id and (m.fuzzy or not _filled(m.string))]
        fuzzy = sum(1 for m in todo if m.fuzzy)
        print(
            f"{po.relative_to(ROOT)}: {len(catalog)} messages, {len(todo)} to translate "
            f"({fuzzy} fuzzy to check); compiled {po.with_suffix('.mo').name}"
        )


def _filled(string: str | Sequence[str] | None) -> bool:
    forms = (string,) if isinstance(string, str) or string is None else string
    return all(form and form.strip() for form in forms)


if __name__ == "__main__":
    main()
