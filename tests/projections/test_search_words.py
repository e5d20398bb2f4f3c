"""Text cut into words the same way for both engines, and any text read as a query."""

from __future__ import annotations

import re

from projections.search_words import (
    LONGEST_WORD,
    PHRASE_WORDS,
    QUERY_PHRASES,
    SEPARATOR,
    parse_query,
    words,
)


def test_words_are_lower_case_without_accents_and_split_on_anything_else() -> None:
    assert words("Zoë's children_in_care, E06000009 (2023/24)") == [
        "zoe",
        "s",
        "children",
        "in",
        "care",
        "e06000009",
        "2023",
        "24",
    ]


def test_a_word_outside_ascii_is_spelt_in_hex_and_no_word_is_overlong() -> None:
    assert words("ζωή") == words("ΖΩΗ") == ["u" + "ζωη".encode().hex()]
    assert words("x" * 500) == ["x" * LONGEST_WORD]
    assert len(SEPARATOR) > LONGEST_WORD  # so no query word can match it


def test_a_query_is_quoted_words_and_phrases_for_each_engine() -> None:
    query = parse_query('Helen "Essex County" -council or gazette')
    assert query.fts5() == ('("helen" AND "essex county" NOT "council") OR ("gazette")')
    assert query.websearch() == '"helen" "essex county" -"council" or "gazette"'


def test_operators_and_stray_quotes_are_only_text() -> None:
    for text in ['"', "-", "AND", "OR", "NOT", "NEAR(a b)", "*", "a:b", "{x}", "^"]:
        query = parse_query(text)
        # Outside quoted phrases of plain words, only the operators we wrote.
        outside = re.sub(r'"[a-z0-9 ]+"', " P ", query.fts5())
        outside = outside.replace("(", " ").replace(")", " ")
        assert set(outside.split()) <= {"P", "AND", "OR", "NOT"}, text
    assert parse_query('"unclosed phrase').fts5() == '("unclosed phrase")'
    assert parse_query("and").fts5() == '("and")'


def test_a_query_of_exclusions_or_of_no_words_matches_nothing() -> None:
    for text in ["", "   ", "-care", '-"in care"', "--", "or", "!!! ???"]:
        assert parse_query(text).empty, text


def test_a_very_long_query_is_read_only_so_far() -> None:
    query = parse_query("word " * 100_000 + '"' + "w " * 10_000)
    assert len(query.alternatives) == 1
    assert len(query.alternatives[0].wanted) <= QUERY_PHRASES
    long_phrase = parse_query('"' + "w " * 10_000 + '"')
    assert len(long_phrase.alternatives[0].wanted[0]) == PHRASE_WORDS
