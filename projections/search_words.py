"""Words for full-text search, and a client's query as the engines read it.

Text is cut into words here, once, the same for SQLite FTS5 and PostgreSQL: lower
case, accents dropped, split on anything but letters and digits (``_`` too, so a
measure code reads as its words), and any word still outside ASCII spelt as hex.
What reaches either engine is then only ASCII letters and digits between spaces,
which FTS5's ``ascii`` tokenizer and PostgreSQL's ``simple`` configuration cut
into the same words; so the same query finds the same facts on both.

A query is parsed here too, never handed to an engine as typed: words, "quoted
phrases", ``-`` before a word or phrase to exclude it, and ``or`` between
alternatives. Whatever else it holds (stray operators, unbalanced quotes, FTS5's
own ``AND``, ``NEAR``, ``*``, ``:``) is only text to be cut into words, so any text
is a valid query. Its size is bounded: what is read of it, and how many words.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Names how text is cut into words: the search view is rebuilt when it changes.
WORDS_VERSION = "words 1"
LONGEST_WORD = 64
# Read of a query: this many characters, this many phrases, this many words each.
QUERY_CHARACTERS = 1000
QUERY_PHRASES = 16
PHRASE_WORDS = 16
# Between fields in PostgreSQL's text, so a phrase never runs from one into the
# next (FTS5 keeps columns apart): a word longer than any query's word can be.
SEPARATOR = "z" * (LONGEST_WORD + 1)

_WORD = re.compile(r"[^\W_]+")
_ASCII_WORD = re.compile(r"[a-z0-9]+")
_CHUNK = re.compile(r'(-?)"([^"]*)"?|(\S+)')

Phrase = tuple[str, ...]


def words(text: str) -> list[str]:
    """The words of ``text``, as the index holds them."""
    if text.isascii():  # most text: nothing to fold but case, no word to spell
        return [word[:LONGEST_WORD] for word in _ASCII_WORD.findall(text.lower())]
    folded = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    return [_spelt(word) for word in _WORD.findall(plain)]


def _spelt(word: str) -> str:
    if not word.isascii():
        word = "u" + word.encode().hex()
    return word[:LONGEST_WORD]


def indexed(*texts: str | None) -> str:
    """Texts as one string of words, ready for either engine."""
    return " ".join([_joined(t) for t in texts if t])


@lru_cache(maxsize=8192)
def indexed_together(texts: tuple[str | None, ...]) -> str:
    """``indexed(*texts)``, remembered: the same texts come together again and
    again (a measure's code, name and unit in each of its facts)."""
    return indexed(*texts)


@lru_cache(maxsize=8192)
def _joined(text: str) -> str:
    # Facts repeat the same texts (a measure's name, a unit) many times over.
    return " ".join(words(text))


@dataclass(frozen=True, slots=True)
class Alternative:
    """Facts with every wanted phrase and none of the excluded ones."""

    wanted: tuple[Phrase, ...]
    excluded: tuple[Phrase, ...] = ()


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """A parsed query: facts matching any of its alternatives."""

    alternatives: tuple[Alternative, ...]

    @property
    def empty(self) -> bool:
        """True when nothing could match (no word wanted anywhere)."""
        return not self.alternatives

    def fts5(self) -> str:
        """The query in FTS5's MATCH syntax: every phrase quoted."""
        return " OR ".join(f"({_fts5(a)})" for a in self.alternatives)

    def fts5_in(self, columns: str) -> str:
        """The query restricted to some columns (``{summary names}``)."""
        return f"{{{columns}}} : ({self.fts5()})"

    def websearch(self) -> str:
        """The query in ``websearch_to_tsquery``'s syntax, every phrase quoted."""
        return " or ".join(_websearch(a) for a in self.alternatives)


def _quoted(phrase: Phrase) -> str:
    return '"' + " ".join(phrase) + '"'


def _fts5(alternative: Alternative) -> str:
    text = " AND ".join(_quoted(p) for p in alternative.wanted)
    return text + "".join(f" NOT {_quoted(p)}" for p in alternative.excluded)


def _websearch(alternative: Alternative) -> str:
    wanted = " ".join(_quoted(p) for p in alternative.wanted)
    return wanted + "".join(f" -{_quoted(p)}" for p in alternative.excluded)


def parse_query(text: str) -> SearchQuery:
    """A client's text as a query; text with no word in it matches nothing."""
    alternatives: list[Alternative] = []
    wanted: list[Phrase] = []
    excluded: list[Phrase] = []
    budget = QUERY_PHRASES

    def close() -> None:
        # An alternative of exclusions only would match nearly everything.
        if wanted:
            alternatives.append(Alternative(tuple(wanted), tuple(excluded)))
        wanted.clear()
        excluded.clear()

    for match in _CHUNK.finditer(text[:QUERY_CHARACTERS]):
        minus, quoted, bare = match.groups()
        if bare is not None and bare.lower() == "or":
            close()
            continue
        negated = bool(minus) if bare is None else bare.startswith("-")
        phrase = tuple(words(quoted if quoted is not None else bare)[:PHRASE_WORDS])
        if not phrase or budget == 0:
            continue
        budget -= 1
        (excluded if negated else wanted).append(phrase)
    close()
    return SearchQuery(tuple(alternatives))
