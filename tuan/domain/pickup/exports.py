"""Writing a pickup export (checklist or sorting list) as PDF, XLSX, CSV or text.

The data and tables are in `export_data`; the PDF and XLSX writers are in their own modules,
loaded only when that format is asked for.
"""

from __future__ import annotations

import csv
from pathlib import Path

from tuan.domain.pickup.export_data import (
    ExportData,
    ExportError,
    ExportOptions,
    Progress,
    table_rows,
    text_lines,
)
from tuan.domain.shared.file_errors import os_problem
from tuan.domain.shared.fonts import FontError
from tuan.i18n import N_


def export(
    data: ExportData, path: Path, options: ExportOptions, progress: Progress | None = None
) -> Path:
    """Write the export file and return its path (the parent folder must exist).

    Raises:
        ExportError: a refused option, or a file that cannot be written (in the leader's words).
    """
    options.check()
    try:
        _write(data, path, options, progress)
    except OSError as error:
        message = N_("写不进 {path}：{reason}")
        reason = os_problem(error)
        raise ExportError(message, "path", code="export.write", path=path, reason=reason) from error
    except FontError as error:
        raise ExportError(error, code=error.code) from error
    return path


def _write(data: ExportData, path: Path, options: ExportOptions, progress: Progress | None) -> None:
    if options.format == "pdf":
        from tuan.domain.pickup.pdf import write_pdf

        write_pdf(data, path, options, progress)
    elif options.format == "xlsx":
        from tuan.domain.pickup.xlsx import write_xlsx

        write_xlsx(data, path, options, progress)
    elif options.format == "csv":
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            csv.writer(handle).writerows(table_rows(data, options, progress))
    else:
        path.write_text("\n".join(text_lines(data, options, progress)) + "\n", encoding="utf-8")
