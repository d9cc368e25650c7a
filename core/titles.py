"""Titles of printed documents, put together from names people typed (campaign, period, UPT).

Those names often repeat one another: a campaign called "Pakta Integritas Pemilu 2024" for the
period "Pemilu 2024" would print "Pakta Integritas Pemilu 2024 · Pemilu 2024". A title part whose
words already appear, in the same order, in another part (or in the heading printed above it)
is left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_WORD = re.compile(r"\w+")


def _words(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(text.casefold()))


def _contains(outer: tuple[str, ...], inner: tuple[str, ...]) -> bool:
    """Whether `inner` occurs as a run of whole words in `outer` ("Pemilu" is not in "Pemilukada")."""
    size = len(inner)
    return any(outer[start : start + size] == inner for start in range(len(outer) - size + 1))


def title_parts(parts: Iterable[str | None], *, shown: Iterable[str | None] = ()) -> list[str]:
    """The parts worth printing, in their order.

    Empty parts go; so does a part contained in another part (of two equal parts the first stays)
    or in one of `shown`, text already printed just above (the heading a subtitle sits under).
    """
    candidates = [(part.strip(), _words(part)) for part in parts if part and part.strip()]
    above = [_words(text) for text in shown if text]
    kept = []
    for index, (text, words) in enumerate(candidates):
        if not words:
            continue
        if any(_contains(other, words) for other in above if other):
            continue
        inside_another = any(
            _contains(other, words) and (len(other) > len(words) or other_index < index)
            for other_index, (_text, other) in enumerate(candidates)
            if other_index != index
        )
        if not inside_another:
            kept.append(text)
    return kept


def join_title(*parts: str | None, sep: str = " · ", shown: Iterable[str | None] = ()) -> str:
    """`parts` joined by `sep`, without the ones that would repeat words (see title_parts)."""
    return sep.join(title_parts(parts, shown=shown))
