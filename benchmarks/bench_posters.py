"""How long posters take: font lookup, QR, layout, PDF and PNG, and the partners queries.

Run: `uv run python benchmarks/bench_posters.py` (seeds a demo database in a temp folder).
Prints a Markdown table of medians; record it in benchmarks/results_posters.md.
"""

from __future__ import annotations

import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

REPEAT = 7


def timed(label: str, work: Callable[[], object], repeat: int = REPEAT) -> tuple[str, float]:
    """Median wall time of `work` in milliseconds."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        samples.append((time.perf_counter() - start) * 1000)
    return label, statistics.median(samples)


def main() -> None:
    start = time.perf_counter()
    import fpdf  # noqa: F401  (measured once: the import alone is a large part of a first PDF)

    fpdf_import = (time.perf_counter() - start) * 1000

    from tuan.db import open_database
    from tuan.domain.demo.seed import seed_demo
    from tuan.domain.partners.poster_layout import compose, phone_medium, print_medium, qr_matrix
    from tuan.domain.partners.poster_render import measurer, render_pdf, render_png
    from tuan.domain.partners.posters import poster_spec
    from tuan.domain.partners.sites import list_partners, partner_members
    from tuan.domain.shared.fonts import _codepoints, find_cjk_font

    folder = Path(tempfile.mkdtemp(prefix="tuan-bench-"))
    database = open_database(folder / "demo.db")
    seed_demo(database)
    with database.session() as session:
        spec = poster_spec(session, 1)

    def find_font_cold() -> object:
        _codepoints.cache_clear()
        return find_cjk_font()

    font = find_cjk_font()
    measure = measurer(font)

    def png_saved() -> bytes:
        buffer = BytesIO()
        render_png(spec, font).save(buffer, format="PNG")
        return buffer.getvalue()

    def partners_list() -> object:
        with database.session() as session:
            return list_partners(session)

    def brought() -> object:
        with database.session() as session:
            return partner_members(session, 1)

    rows = [
        ("import fpdf (once)", fpdf_import),
        timed("find the CJK font (cold cmap)", find_font_cold),
        timed("find the CJK font (cached)", find_cjk_font),
        timed("QR matrix", lambda: qr_matrix(spec.qr_payload)),
        timed("layout, A4", lambda: compose(spec, print_medium(), measure)),
        timed("layout, phone", lambda: compose(spec, phone_medium(), measure)),
        timed("poster PDF (A4, font embedded)", lambda: render_pdf(spec, font)),
        timed("poster PNG composed (1080x1920)", lambda: render_png(spec, font)),
        timed("poster PNG composed and saved", png_saved),
        timed("list_partners (demo, 5 partners)", partners_list),
        timed("partner_members (demo partner 1)", brought),
    ]
    database.close()
    print(f"{time.strftime('%Y-%m-%d')}, {platform.platform()}, Python {sys.version.split()[0]}")
    print(f"font: {font.path} (face {font.index}); median of {REPEAT} runs\n")
    print("| what | ms |\n|---|---:|")
    for label, ms in rows:
        print(f"| {label} | {ms:.1f} |")


if __name__ == "__main__":
    main()
