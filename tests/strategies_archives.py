"""Hypothesis strategies for archived texts and the quotes cut from them (tests/test_verify.py).

An archived text is words separated by runs of whitespace (spaces, tabs, line breaks,
no-break spaces). A word mixes letters with the typographic quotes, apostrophes and
dashes that ``normalize`` folds. Combining marks are left out: a quote cut between a
letter and its accent is not a quote anyone would copy.
"""

from __future__ import annotations

from hypothesis import strategies as st

TYPOGRAPHIC = "‘’‚‛“”„‟–—‐‑−«»"
WHITESPACE = [" ", "  ", "\t", "\n", "\r\n", "\u00a0", "\u2009", "\u3000", " \n  "]

STRAIGHT = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-"})

letters = st.characters(codec="latin-1", exclude_categories=["Cc", "Zs", "Mn", "Mc", "Me"])
word_chars = st.one_of(letters, st.sampled_from(TYPOGRAPHIC), st.sampled_from("ﬁﬂ…½"))
words = st.text(word_chars, min_size=1, max_size=8)
gaps = st.sampled_from(WHITESPACE)


@st.composite
def archived_text(draw: st.DrawFn) -> list[tuple[str, str]]:
    """A text as (word, whitespace after it) pairs."""
    chosen = draw(st.lists(words, min_size=1, max_size=40))
    return [(word, draw(gaps)) for word in chosen]


@st.composite
def text_and_quote(draw: st.DrawFn) -> tuple[str, str]:
    """An archived text and a run of its words, re-spaced as a person might type it
    (other whitespace, curly quotes written straight)."""
    pairs = draw(archived_text())
    start = draw(st.integers(0, len(pairs) - 1))
    end = draw(st.integers(start + 1, len(pairs)))
    text = "".join(word + gap for word, gap in pairs)
    quote = draw(gaps).join(word for word, _ in pairs[start:end])
    if draw(st.booleans()):
        quote = quote.translate(STRAIGHT)
    return text, quote


any_text = st.text(
    st.one_of(st.characters(exclude_categories=["Cs"]), st.sampled_from(TYPOGRAPHIC + "\n\t ")),
    max_size=200,
)
