"""In Chromium: the skip link, the navbar's contrast and its focus ring.

- "Langsung ke konten utama" is the first thing the Tab key reaches, visible once focused, and
  takes the focus to <main>, so the next Tab lands in the page's own content.
- Every piece of text in the navbar (and in its open user menu) has a contrast of at least 4.5:1
  (WCAG 2.2 AA, 1.4.3) against what is really behind it: the colours come from getComputedStyle,
  translucent colours are laid over the backgrounds beneath them.
- Every navbar link and button reached with Tab shows an outline of at least 2 px whose colour
  stands out 3:1 against the background around it (WCAG 1.4.11, 2.4.7).
"""

from __future__ import annotations

import re

import pytest

from tests import factories

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}

# Each visible element of the navbar with text of its own: its colour, and the background colours
# from the element up to the page (innermost first).
NAV_TEXT = """
() => [...document.querySelectorAll("nav.navbar, nav.navbar *")]
  .filter(el => [...el.childNodes].some(n => n.nodeType === Node.TEXT_NODE && n.textContent.trim()))
  .filter(el => el.getClientRects().length && getComputedStyle(el).visibility === "visible")
  .map(el => {
    const backgrounds = [];
    for (let node = el; node; node = node.parentElement) backgrounds.push(getComputedStyle(node).backgroundColor);
    return {text: el.textContent.trim().slice(0, 40), color: getComputedStyle(el).color, backgrounds};
  })
"""

# The focused element: where it is, its outline, and the background colours behind it.
FOCUSED = """
() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const backgrounds = [];
  for (let node = el.parentElement; node; node = node.parentElement) backgrounds.push(getComputedStyle(node).backgroundColor);
  return {
    tag: el.tagName.toLowerCase(), text: (el.textContent || "").trim().slice(0, 40),
    inNav: !!el.closest("nav.navbar"), inMain: !!el.closest("main"), id: el.id,
    classes: el.className, visible: el.getBoundingClientRect().width > 1 && el.getBoundingClientRect().height > 1,
    outlineStyle: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth), outlineColor: style.outlineColor,
    backgrounds,
  };
}
"""

RGBA = re.compile(r"rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:\s*[,/]\s*([\d.]+%?))?\s*\)")


def rgba(css: str) -> tuple[float, float, float, float]:
    match = RGBA.fullmatch(css.strip())
    assert match, f"unexpected colour {css!r}"
    r, g, b, a = match.groups()
    alpha = 1.0 if a is None else (float(a[:-1]) / 100 if a.endswith("%") else float(a))
    return float(r), float(g), float(b), alpha


def over(top: tuple[float, float, float, float], below: tuple[float, float, float]) -> tuple[float, float, float]:
    alpha = top[3]
    return tuple(alpha * t + (1 - alpha) * b for t, b in zip(top[:3], below, strict=True))


def backdrop(backgrounds: list[str]) -> tuple[float, float, float]:
    """What is behind an element: its backgrounds laid over each other on the white canvas."""
    colour = (255.0, 255.0, 255.0)
    for css in reversed(backgrounds):
        colour = over(rgba(css), colour)
    return colour


def luminance(rgb: tuple[float, float, float]) -> float:
    def channel(value: float) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    """WCAG 2 contrast ratio, 1 to 21."""
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_contrast_function_matches_known_pairs():
    assert contrast((0, 0, 0), (255, 255, 255)) == pytest.approx(21)
    assert contrast((118, 118, 118), (255, 255, 255)) == pytest.approx(4.54, abs=0.01)
    # Bootstrap's navbar-dark links (white at 55 %) on the navbar's blue: just under AA.
    navbar = (11, 61, 110)
    assert contrast(over((255, 255, 255, 0.55), navbar), navbar) < 4.5


def nav_contrasts(page) -> list[tuple[float, str]]:
    found = page.evaluate(NAV_TEXT)
    assert found
    return [
        (
            contrast(over(rgba(item["color"]), backdrop(item["backgrounds"])), backdrop(item["backgrounds"])),
            item["text"],
        )
        for item in found
    ]


@pytest.fixture
def head(transactional_db):
    facility = factories.FacilityFactory(name="Lapas Kelas IIA Kembangkuning")
    factories.EmployeeFactory(facility=facility)
    return factories.facility_head(facility, username="kalapas.kembangkuning", first_name="Budi")


@pytest.mark.parametrize("logged_in", [False, True], ids=["anonymous", "facility-head"])
def test_the_skip_link_comes_first_and_moves_the_focus_to_the_content(page, browser_login, head, logged_in):
    if logged_in:
        browser_login("kalapas.kembangkuning")
    else:
        page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate(FOCUSED)
    assert focused["text"] == "Langsung ke konten utama" and "skip-link" in focused["classes"]
    assert focused["visible"], "the skip link stays hidden when focused"
    assert focused["outlineStyle"] != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "content"
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED)["inMain"], "the next Tab after the skip link is not in the content"


@pytest.mark.parametrize("logged_in", [False, True], ids=["anonymous", "facility-head"])
def test_navbar_text_has_a_contrast_of_at_least_4_5(page, browser_login, head, logged_in):
    page.set_viewport_size(DESKTOP)
    if logged_in:
        browser_login("kalapas.kembangkuning")
    else:
        page.goto("/")
    measured = nav_contrasts(page)
    if logged_in:
        page.click("nav.navbar .dropdown-toggle")
        page.wait_for_selector("nav.navbar .dropdown-menu.show")
        measured += nav_contrasts(page)
        assert any(text == "Keluar" for _ratio, text in measured)
    low = [(round(ratio, 2), text) for ratio, text in measured if ratio < 4.5]
    assert not low, f"navbar text under 4.5:1: {low}"


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_navbar_links_and_buttons_show_a_focus_ring(page, browser_login, head, viewport):
    page.set_viewport_size(viewport)
    browser_login("kalapas.kembangkuning")
    rings, missing = [], []
    for _ in range(30):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused["inMain"]:
            break
        if not focused["inNav"]:
            continue
        behind = backdrop(focused["backgrounds"])
        colour = over(rgba(focused["outlineColor"]), behind)
        if focused["outlineStyle"] == "none" or focused["outlineWidth"] < 2 or contrast(colour, behind) < 3:
            missing.append(focused)
        else:
            rings.append(focused["text"])
    assert not missing, f"focused without a visible ring: {missing}"
    # The brand, and on a phone the menu button, or on a desktop the menu's links and the user menu.
    assert len(rings) >= (2 if viewport is PHONE else 4), rings
