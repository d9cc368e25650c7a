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
