"""Text measured in terminal cells: a Chinese character takes two, a Latin letter one.

Every aligned column, cut label and wrapped paragraph goes through here (screens and the plain
text exports alike), never through `len()`. Cuts are marked with ASCII `..`: the `…` character
has an ambiguous width in CJK terminals. Uses Rich's cell table, so no Textual import.
"""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size

CUT_MARK = ".."


def cells(text: str) -> int:
    """How many terminal cells `text` takes."""
    return cell_len(text)


def pad(text: str, width: int) -> str:
    """`text` with spaces after it up to `width` cells (never cut)."""
    return text + " " * max(width - cell_len(text), 0)


def fit(text: str, width: int) -> str:
    """`text` padded or cut (marked `..`) to exactly `width` cells."""
    length = cell_len(text)
    if length <= width:
        return text + " " * (width - length)
    return set_cell_size(set_cell_size(text, max(width - len(CUT_MARK), 0)) + CUT_MARK, width)


def shorten(text: str, width: int) -> str:
    """`text` cut to at most `width` cells, marked `..` where it was cut (not padded)."""
    if cell_len(text) <= width:
        return text
    while text and cell_len(text) > width - len(CUT_MARK):
        text = text[:-1]
    return text + CUT_MARK


def wrap(text: str, width: int) -> list[str]:
    """Break each line of `text` into lines of at most `width` cells, at any character.

    Textual wraps only at spaces, which Chinese prose does not have.
    """
    lines = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for ch in paragraph:
            if cell_len(line + ch) > width:
                lines.append(line)
                line = ""
            line += ch
        lines.append(line)
    return lines
