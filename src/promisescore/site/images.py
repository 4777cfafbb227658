"""Share images (``og:image``): a PNG card per promise and one for the tracker, drawn
with Pillow and its bundled font (``ImageFont.load_default(size=...)``, no system font).

Each card is :data:`SIZE` pixels: the tracker's name, the title (as large as fits, on at
most four lines, clipped with "…" only when even the smallest size does not fit), and
the status word on a pill of the status colour. The same inputs give the same bytes: no
metadata, no clock, one fixed font. :func:`layout` is the geometry :func:`card_png`
draws, so that tests can measure every text with the font's own metrics.
"""

from __future__ import annotations

import io
from functools import cache

import attrs

#: The size of every share image: what Facebook, X, Bluesky and LinkedIn show large.
SIZE: tuple[int, int] = (1200, 630)
MARGIN = 64
BAND = 20  # the colour band along the left edge
TITLE_SIZES = (72, 64, 56, 50, 44, 40, 36)
TITLE_LINES = 4
_INK = "#1a1a1a"
_MUTED = "#4d4d4d"
_PAPER = "#ffffff"


@attrs.frozen
class Text:
    """One line of text as drawn: its words, font size and top-left position."""

    text: str
    size: int
    x: int
    y: int
    fill: str


@attrs.frozen
class Layout:
    texts: tuple[Text, ...]
    pill: tuple[int, int, int, int]  # the status pill's box
    color: str


@cache
def font(size: int) -> object:
    from PIL import ImageFont

    return ImageFont.load_default(size=size)


def text_box(text: str, size: int) -> tuple[int, int, int, int]:
    """The box ``text`` covers when drawn at (0, 0) in the bundled font at ``size``."""
    box = font(size).getbbox(text)  # type: ignore[attr-defined]
    return (int(box[0]), int(box[1]), int(box[2]), int(box[3]))


def _width(text: str, size: int) -> int:
    return text_box(text, size)[2]


def _clip(text: str, size: int, room: int) -> str:
    if _width(text, size) <= room:
        return text
    while text and _width(text + "…", size) > room:
        text = text[:-1]
    return text.rstrip() + "…"


def _wrap(text: str, size: int, room: int) -> list[str]:
    """Words on lines no wider than ``room``; a word too long for a line is cut."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        while _width(word, size) > room:  # a very long word: as much as fits per line
            if line:
                lines.append(line)
                line = ""
            cut = len(word)
            while cut > 1 and _width(word[:cut], size) > room:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        candidate = f"{line} {word}" if line else word
        if _width(candidate, size) <= room:
            line = candidate
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines or [""]


def layout(title: str, status: str, color: str, tracker: str, ink: str) -> Layout:
    """Where every text of a card goes (see the module's docstring)."""
    width, height = SIZE
    left, room = MARGIN + BAND, width - 2 * MARGIN - BAND
    texts = [Text(_clip(" ".join(tracker.split()), 34, room), 34, left, MARGIN, _MUTED)]
    top = MARGIN + 34 + 36
    pill_size = 40
    bottom = height - MARGIN - pill_size - 36  # room kept for the pill
    title = " ".join(title.split())
    chosen: list[str] = []
    size = TITLE_SIZES[-1]
    for size in TITLE_SIZES:
        lines = _wrap(title, size, room)
        line_height = round(size * 1.2)
        if len(lines) <= TITLE_LINES and len(lines) * line_height <= bottom - top:
            chosen = lines
            break
    else:
        lines = _wrap(title, size, room)
        chosen = lines[:TITLE_LINES]
        if len(lines) > TITLE_LINES:
            chosen[-1] = _clip(chosen[-1] + " …", size, room)
    line_height = round(size * 1.2)
    for n, line in enumerate(chosen):
        texts.append(Text(line, size, left, top + n * line_height, _INK))
    word = _clip(" ".join(status.split()), pill_size, room - 48)
    box = text_box(word, pill_size)
    pill_top = height - MARGIN - pill_size - 24
    pill = (left, pill_top, left + box[2] + 48, pill_top + pill_size + 24)
    texts.append(Text(word, pill_size, left + 24, pill_top + 12 - box[1], ink))
    return Layout(tuple(texts), pill, color)


def card_png(title: str, status: str, color: str, tracker: str, ink: str) -> bytes:
    """The PNG bytes of one share card."""
    from PIL import Image, ImageDraw

    plan = layout(title, status, color, tracker, ink)
    image = Image.new("RGB", SIZE, _PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, BAND - 1, SIZE[1] - 1), fill=color)
    draw.rounded_rectangle(plan.pill, radius=12, fill=color)
    for text in plan.texts:
        draw.text((text.x, text.y), text.text, font=font(text.size), fill=text.fill)  # type: ignore[arg-type]
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False, compress_level=3)
    return out.getvalue()
