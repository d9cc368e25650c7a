"""Reading a generated PDF back for layout tests (pypdfium2): is every character inside the page, and on
which page is a phrase.

WeasyPrint never refuses to lay out a line that is too long: it draws it past the page's edge, where the
PDF viewer clips it and the printout loses it. Text extraction still returns those characters, so a test
that only looks for a name in the text passes; the character boxes tell where the name was drawn.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pypdfium2
import pypdfium2.raw as pdfium_c

POINTS_PER_MM = 72 / 25.4


def flatten(text: str) -> str:
    """Whitespace (line breaks included) as single spaces: a phrase broken over two lines reads "(III/ c)"."""
    return re.sub(r"\s+", " ", text).strip()


@dataclass
class CheckedPdf:
    pages: list[str]  # each page's text, whitespace flattened

    @property
    def text(self) -> str:
        return " ".join(self.pages)

    def page_of(self, phrase: str) -> int:
        """The index of the one page that holds `phrase` (whitespace-insensitive); fails on none or several."""
        wanted = flatten(phrase)
        found = [index for index, page in enumerate(self.pages) if wanted in page]
        assert len(found) == 1, f"{phrase!r} is on pages {found} of {len(self.pages)}"
        return found[0]


def _outside(textpage: pypdfium2.PdfTextPage, box: tuple[float, float, float, float]) -> list[str]:
    """The runs of characters drawn outside `box` (left, bottom, right, top), as text."""
    left, bottom, right, top = box
    runs: list[str] = []
    previous = -2
    for index in range(textpage.count_chars()):
        char = chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, index))
        if not char.strip():
            continue
        char_left, char_bottom, char_right, char_top = textpage.get_charbox(index)
        if char_left < left or char_right > right or char_bottom < bottom or char_top > top:
            if index == previous + 1 and runs:
                runs[-1] += char
            else:
                runs.append(char)
            previous = index
    return runs


def check_pdf(content: bytes, *, margin_mm: float = 1.0) -> CheckedPdf:
    """Assert that every character of every page lies at least `margin_mm` inside the page's media box;
    return the pages' text.

    1 mm only catches text past the paper's edge; a test that knows the document's page margins passes
    them (less a little: a glyph's box may start a hair before its pen position) to catch text running
    into the margin, where a printer may not reach and a punch or binding will.
    """
    inset = margin_mm * POINTS_PER_MM
    document = pypdfium2.PdfDocument(content)
    pages: list[str] = []
    problems: list[str] = []
    try:
        assert len(document) > 0, "the PDF has no pages"
        for number, page in enumerate(document, start=1):
            left, bottom, right, top = page.get_mediabox()
            textpage = page.get_textpage()
            outside = _outside(textpage, (left + inset, bottom + inset, right - inset, top - inset))
            if outside:
                problems.append(f"page {number}: {outside}")
            pages.append(flatten(textpage.get_text_range()))
            textpage.close()
            page.close()
    finally:
        document.close()
    assert not problems, f"text less than {margin_mm} mm from the page's edge: " + "; ".join(problems)
    return CheckedPdf(pages)
