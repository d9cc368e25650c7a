"""Document titles put together from typed names never repeat a part (core.titles)."""

from __future__ import annotations

import pytest
from django.template import Context, Template

from core.titles import join_title, title_parts


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (["Pemilu 2024", "Pemilu 2024"], "Pemilu 2024"),
        (["Pemilu 2024", "pemilu  2024"], "Pemilu 2024"),  # case and spacing do not make a new part
        (["Pakta Integritas Pemilu 2024", "Pemilu 2024"], "Pakta Integritas Pemilu 2024"),
        (["Pemilu 2024", "Pakta Integritas Pemilu 2024"], "Pakta Integritas Pemilu 2024"),
        (["Pakta Netralitas — Pemilu 2024", "Pemilu 2024"], "Pakta Netralitas — Pemilu 2024"),  # punctuation ignored
        (["Pakta Netralitas", "Pilkada Serentak 2024"], "Pakta Netralitas · Pilkada Serentak 2024"),
        (["Apel Pilkada 2024", "Pilkada"], "Apel Pilkada 2024"),
        # Whole words only: "Pemilu" is not repeated by "Pemilukada", nor "2024" by "20241".
        (["Pemilukada 2024", "Pemilu"], "Pemilukada 2024 · Pemilu"),
        (["Nomor 20241", "2024"], "Nomor 20241 · 2024"),
        # Words in another order are a different title.
        (["Pemilu 2024", "2024 Pemilu"], "Pemilu 2024 · 2024 Pemilu"),
        (["", None, "  ", "Pemilu 2024"], "Pemilu 2024"),
        (["—", "Pemilu 2024"], "Pemilu 2024"),
        ([], ""),
    ],
)
def test_parts_that_repeat_another_are_left_out(parts, expected):
    assert join_title(*parts) == expected


def test_a_part_already_in_the_heading_above_is_left_out():
    assert join_title("Pakta Integritas", "Pemilu 2024", shown=["PAKTA INTEGRITAS"]) == "Pemilu 2024"
    assert join_title("Pemilu 2024", shown=["PAKTA INTEGRITAS PEMILU 2024"]) == ""
    assert title_parts(["Pakta Integritas Netralitas", "Pemilu 2024"], shown=["PAKTA INTEGRITAS"]) == [
        "Pakta Integritas Netralitas",
        "Pemilu 2024",
    ]


def test_the_separator_is_the_callers():
    assert join_title("Pakta Integritas", "Lapas Kelas I Semarang", "Pemilu 2024", sep=" — ") == (
        "Pakta Integritas — Lapas Kelas I Semarang — Pemilu 2024"
    )


def test_the_template_tag_escapes_and_can_store_the_result():
    template = Template("{% load titles %}{% join_title a b shown=h as t %}[{{ t }}]|{% join_title a c sep=' / ' %}")
    rendered = template.render(Context({"a": "Pemilu <2024>", "b": "pemilu <2024>", "c": "X", "h": "Pakta"}))
    assert rendered == "[Pemilu &lt;2024&gt;]|Pemilu &lt;2024&gt; / X"
