"""Reading an .xlsx download back in tests: the header row and the data rows below it."""

from __future__ import annotations

import io

from openpyxl import load_workbook


def read_sheet(response, *, header_row: int = 4):
    """(header titles, data rows as lists of cells) of the first sheet; the preamble is above the header."""
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[header_row]]
    rows = [list(row) for row in sheet.iter_rows(min_row=header_row + 1)]
    return header, rows


def values(rows) -> list[list]:
    return [[cell.value for cell in row] for row in rows]


def recap_sheets(response) -> dict[str, dict[str, dict[str, object]]]:
    """The recap's workbook (/upt/rekap.xlsx): sheet title → first column (UPT or Kanwil) → heading → value, from the downloaded workbook."""
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    result = {}
    for sheet in workbook.worksheets:
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        header_index = next(i for i, r in enumerate(rows) if r[0] in ("UPT", "Kanwil"))
        headings = rows[header_index]
        result[sheet.title] = {r[0]: dict(zip(headings, r, strict=False)) for r in rows[header_index + 1 :]}
    return result
