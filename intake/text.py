"""The article's text: one normalised copy for matching, with the same offsets.

Curly quotes and apostrophes become straight ones and non-breaking spaces plain
ones, character for character, so an offset found in the normalised copy is an
offset into the text as given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SAME_LENGTH = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201b": "'",
        "\u02bc": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u00a0": " ",
        "\u2013": "-",
        "\u2014": "-",
        "\u2011": "-",
    }
)

# A sentence ends at . ! or ? (perhaps inside a closing quote) followed by space
# and a capital, a quote, a digit or a pound sign; a blank line ends a paragraph.
_BOUNDARY = re.compile(
    r"""(?:(?<=[.!?])|(?<=[.!?]["')]))\s+(?=["'(]?[A-Z0-9£])|\n\s*"""
)
_ABBREVIATIONS = ("Mr.", "Mrs.", "Ms.", "Dr.", "St.", "Coun.", "Cllr.", "No.")


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    text: str  # normalised
    paragraph: int


# Newspapers set a paragraph's first word in capitals ("THE council ...",
# "JOHN Smith has been named ..."); read as a word, not an acronym, when it is
# followed by a word in lower or title case. Short capitals (BBC, NHS) stay.
_LEAD_CAPITALS = re.compile(
    r"(?:^|(?<=\n))(THE|[A-Z]{4,})(?= [A-Z]?[a-z])", re.MULTILINE
)


def normalise(text: str) -> str:
    plain = text.translate(_SAME_LENGTH)
    return _LEAD_CAPITALS.sub(lambda m: m.group(1).capitalize(), plain)


def sentences(text: str) -> list[Sentence]:
    """The sentences of a normalised text, with their offsets and paragraph."""
    found: list[Sentence] = []
    start = 0
    paragraph = 0
    for boundary in _BOUNDARY.finditer(text):
        before = text[start : boundary.start()]
        if before.endswith(_ABBREVIATIONS):
            continue
        _add(found, text, start, boundary.start(), paragraph)
        if "\n" in boundary.group():
            paragraph += 1
        start = boundary.end()
    _add(found, text, start, len(text), paragraph)
    return found


MAX_SENTENCE = 1_000
"""The longest stretch read as one sentence, in characters. Real sentences are a
few hundred; a text with no stops is cut at spaces into stretches this long,
so the rules' work on each figure stays bounded and the whole stays linear in
the text's length."""


def _add(
    found: list[Sentence], text: str, start: int, end: int, paragraph: int
) -> None:
    while end - start > MAX_SENTENCE:
        cut = text.rfind(" ", start + MAX_SENTENCE // 2, start + MAX_SENTENCE)
        if cut <= start:
            cut = start + MAX_SENTENCE
        _add(found, text, start, cut, paragraph)
        start = cut
    chunk = text[start:end]
    stripped = chunk.strip()
    if not stripped:
        return
    offset = start + (len(chunk) - len(chunk.lstrip()))
    found.append(Sentence(offset, offset + len(stripped), stripped, paragraph))
