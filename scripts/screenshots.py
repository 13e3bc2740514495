"""Regenerate screenshots/*.svg: every area of the app on fresh demo data, in each language.

Run: `uv run python scripts/screenshots.py` (the clock is frozen so the pictures are stable).
Chinese pictures are `screenshots/N-area.svg`, English ones `screenshots/N-area.en.svg`; add
`--lang en` (or zh) to make only one language. Each language runs in its own process with the
language chosen before the app is imported, as the `tuan` command does.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path

FROZEN_NOW = "2026-11-26T10:00:00+08:00"
OUT = Path(__file__).resolve().parent.parent / "screenshots"
SIZE = (140, 40)
LANGUAGES = ("zh", "en")


async def shoot(db_path: Path, lang: str) -> list[Path]:
    """Visit each area and save its SVG; returns the files written."""
    from tuan.tui.app import TuanApp
    from tuan.tui.areas import AREAS

    app = TuanApp(str(db_path), db_label="demo.db")
    written = []
    async with app.run_test(size=SIZE) as pilot:
        for area in AREAS:
            await pilot.press(area.key)
            for _ in range(3):
                await app.workers.wait_for_complete()
                await pilot.pause()
            suffix = "" if lang == "zh" else f".{lang}"
            path = OUT / f"{area.key}-{area.mode}{suffix}.svg"
            path.write_text(app.export_screenshot(title=f"tuan · {area.mode}"), encoding="utf-8")
            written.append(path)
    return written


def photograph(lang: str) -> None:
    """Seed a throwaway demo database at a frozen moment and photograph every area in `lang`."""
    os.environ["TUAN_NOW"] = FROZEN_NOW
    sys.path.insert(0, str(OUT.parent))
    from tuan.i18n import set_language

    set_language(lang)  # before the app's modules are imported, as the launcher does
    from tuan import clock
    from tuan.db import open_database
    from tuan.domain.demo.seed import seed_demo

    clock.freeze(datetime.fromisoformat(FROZEN_NOW))
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "demo.db"
        database = open_database(db_path)
        seed_demo(database)  # demo data is Chinese in every language: it is the leader's data
        database.close()
        for path in asyncio.run(shoot(db_path, lang)):
            print(path.relative_to(OUT.parent))


def main() -> None:
    """One language in this process, or every language, each in a process of its own."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", choices=LANGUAGES, help="only this language")
    args = parser.parse_args()
    if args.lang:
        photograph(args.lang)
        return
    for lang in LANGUAGES:
        subprocess.run([sys.executable, __file__, "--lang", lang], check=True)


if __name__ == "__main__":
    main()
