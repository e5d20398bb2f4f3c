#!/usr/bin/env python3
"""Benchmark: the extractor's candidates against the curated facts of the seed
articles (recall and precision, per article and in all), and its speed.

    .venv/bin/python scripts/bench_propose.py --articles ../shared/seeds/articles

The articles' metadata (file, title, publisher, url, published_inferred) is read
from ``articles.csv`` in the folder, else beside it (or ``--metadata``). Each
article is run
through ``intake.propose`` with its publication date, title and publisher, and no
authority (the authority found is reported too).

How curated facts are tied to articles: a fact in ``seeds/news/facts.toml`` names
its source id; ``seeds/news/sources.toml`` gives that source's url, and the
article whose ``url`` in articles.csv is the same (ignoring the scheme and a
trailing slash) is the one the fact was read from. Sources with no article in
the folder are left out, so are their facts.

The matching rule. A candidate matches a curated fact when the kind is the same,
the value is the same:

- counts and targets: the same number (``value``);
- money: the same ``category`` and the same ``amount`` (as decimals);
- grants: the same ``amount``;
- ratings: the same ``judgement``;
- office holders: the same ``role`` and ``person`` (ignoring case);
- interventions: the same ``action``;
- milestones: the same ``category``;

and the date is the same: the candidate's ``effective`` cut to the curated
date's precision equals it (2019-01-17 matches a curated 2019-01). Two
allowances, both for a date the text cannot give more exactly: a candidate to a
month matches a curated day in that month (the day of a meeting the article
only calls "a meeting"), and an amount for a financial year matches when its
``period`` is the curated one (the issue resolves "the current financial year"
to the year's last day, where a curator may have dated the forecast by the
article). Each curated fact is matched by at most one candidate and each
candidate matches at most one fact (a maximum matching), so recall is matched
curated facts over curated facts and precision matched candidates over
candidates.

Other articles. With ``--expected FILE`` the curated facts are read from a JSON
file instead, ``{file: [{"kind", "fields", "effective"}]}``, keyed by the
article's file name, and articles.csv has the columns
``file,published,url,title,publisher`` and optionally ``authority`` (a GSS
code): the same comparison then runs on any folder of articles, and when
``authority`` is given the authority found is checked against it (reported as
right or wrong per article, and how many were right in all). The matching rule
is the same as above.

    .venv/bin/python scripts/bench_propose.py --articles DIR --expected FILE.json

Speed: the extractor's median time per article over ``--rounds`` rounds, against
a baseline measured in the same run: the same articles only normalised and split
into sentences (the least any reader of the text does).

Worst cases: with ``--worst`` the extractor also reads texts a client could send
to make it slow, each as long as the longest text read (``MAX_TEXT``): no stops
at all, figures and amounts one after another, names one after another. Each is
timed against the folder's own articles repeated to the same length, and the
ratio printed; a ratio near 1 shows the time grows with the length alone.

    .venv/bin/python scripts/bench_propose.py --articles DIR --worst
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import sys
import time
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from intake import Candidate, propose  # noqa: E402
from intake.proposal import MAX_TEXT  # noqa: E402
from intake.text import normalise, sentences  # noqa: E402

FACTS = ROOT / "seeds" / "news" / "facts.toml"
SOURCES = ROOT / "seeds" / "news" / "sources.toml"


@dataclass(frozen=True)
class Curated:
    kind: str
    effective: str
    fields: Mapping[str, object]


def _url_key(url: str) -> str:
    return url.split("://", 1)[-1].rstrip("/").lower()


def _value_matches(
    kind: str, candidate: Mapping[str, object], curated: Mapping[str, object]
) -> bool:
    def same(name: str) -> bool:
        return candidate.get(name) == curated.get(name)

    def amount(name: str) -> bool:
        try:
            return Decimal(str(candidate.get(name))) == Decimal(str(curated.get(name)))
        except ArithmeticError:
            return False

    if kind in ("count_reported", "target_set"):
        return str(candidate.get("value")) == str(curated.get("value"))
    if kind == "money_reported":
        return same("category") and amount("amount")
    if kind == "grant_received":
        return amount("amount")
    if kind == "rating_given":
        return same("judgement")
    if kind.startswith("office_holder_"):
        return (
            same("role")
            and str(candidate.get("person", "")).lower()
            == str(curated.get("person", "")).lower()
        )
    if kind == "intervention_recorded":
        return same("action")
    if kind == "milestone_recorded":
        return same("category")
    return candidate == curated


def _date_matches(candidate: Candidate, curated: Curated) -> bool:
    want = curated.effective.rstrip("~")
    got = candidate.effective
    if got[: len(want)] == want:
        return True
    if len(got) == 7 and len(want) == 10 and want.startswith(got):
        return True
    period = curated.fields.get("period")
    return bool(period) and candidate.fields.get("period") == period


def matches(candidate: Candidate, curated: Curated) -> bool:
    return (
        candidate.kind == curated.kind
        and _value_matches(curated.kind, candidate.fields, curated.fields)
        and _date_matches(candidate, curated)
    )


def maximum_matching(
    candidates: list[Candidate], curated: list[Curated]
) -> dict[int, int]:
    """Curated index -> candidate index, as many pairs as can be (Kuhn's)."""
    edges = [
        [c for c, candidate in enumerate(candidates) if matches(candidate, fact)]
        for fact in curated
    ]
    owner: dict[int, int] = {}  # candidate -> curated

    def augment(fact: int, seen: set[int]) -> bool:
        for c in edges[fact]:
            if c in seen:
                continue
            seen.add(c)
            if c not in owner or augment(owner[c], seen):
                owner[c] = fact
                return True
        return False

    for fact in range(len(curated)):
        augment(fact, set())
    return {fact: c for c, fact in owner.items()}


def load_curated(
    facts: Path, sources: Path
) -> tuple[dict[str, list[Curated]], dict[str, str]]:
    """Curated facts by source id, and source id by url key."""
    with facts.open("rb") as handle:
        rows = tomllib.load(handle)["facts"]
    with sources.open("rb") as handle:
        listed = tomllib.load(handle)["sources"]
    by_source: dict[str, list[Curated]] = {}
    for row in rows:
        fields = {
            k: v
            for k, v in row.items()
            if k
            not in (
                "kind",
                "source",
                "effective",
                "approximate",
                "summary",
                "authority",
            )
        }
        by_source.setdefault(row["source"], []).append(
            Curated(row["kind"], str(row["effective"]), fields)
        )
    urls = {_url_key(s["url"]): s["source_id"] for s in listed if s.get("url")}
    return by_source, urls


def load_expected(path: Path) -> dict[str, list[Curated]]:
    """Curated facts by article file, from ``{file: [{kind, fields, effective}]}``."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise SystemExit(f"{path}: expected an object keyed by article file")
    by_file: dict[str, list[Curated]] = {}
    for name, facts in data.items():
        by_file[name] = [
            Curated(
                str(fact["kind"]), str(fact["effective"]), dict(fact.get("fields", {}))
            )
            for fact in facts
        ]
    return by_file


def _timed(run: Callable[[], object], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


_WORST = {
    "no stops": (
        "the number of children in care rose from 412 to 480 over the past year "
    ),
    "amounts": "£5m over budget by £2m to £3m currently forecast ",
    "names": (
        "Leader Jane Smith, Cllr John Brown and Dr Ann Lee will act as commissioners "
    ),
    "dates": "Ofsted inspection in July last year rated it inadequate previously ",
}


def _worst_cases(articles: list[dict[str, str]], folder: Path) -> None:
    real = "\n\n".join(
        (folder / row["file"]).read_text(encoding="utf-8") for row in articles
    )
    length = MAX_TEXT
    text = (real * (length // max(1, len(real)) + 1))[:length]
    started = time.perf_counter()
    propose(text, published="2020-01")
    base = time.perf_counter() - started
    print(
        f"worst cases, {length} characters each; real articles repeated: {base:.2f} s"
    )
    for name, unit in _WORST.items():
        slow = (unit * (length // len(unit) + 1))[:length]
        started = time.perf_counter()
        propose(slow, published="2020-01")
        took = time.perf_counter() - started
        print(f"  {name:10} {took:6.2f} s  ratio {took / base:.1f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=Path, required=True)
    parser.add_argument(
        "--metadata",
        type=Path,
        help="articles.csv (default: in --articles, else beside it)",
    )
    parser.add_argument("--facts", type=Path, default=FACTS)
    parser.add_argument("--sources", type=Path, default=SOURCES)
    parser.add_argument(
        "--expected",
        type=Path,
        help="JSON of curated facts by article file (instead of the seeds' TOML)",
    )
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument(
        "--show", action="store_true", help="list each candidate and miss"
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--worst",
        action="store_true",
        help="also time texts written to be slow, against real ones as long",
    )
    args = parser.parse_args()
    metadata = args.metadata or args.articles / "articles.csv"
    if not metadata.exists():
        metadata = args.articles.parent / "articles.csv"
    with metadata.open(encoding="utf-8", newline="") as handle:
        articles = list(csv.DictReader(handle))
    expected = load_expected(args.expected) if args.expected else None
    by_source, urls = (
        ({}, {}) if expected is not None else load_curated(args.facts, args.sources)
    )

    results = []
    runs: list[Callable[[], object]] = []
    baselines: list[Callable[[], object]] = []
    total_curated = total_candidates = total_matched = 0
    authorities_checked = authorities_right = 0
    for row in articles:
        text = (args.articles / row["file"]).read_text(encoding="utf-8")
        published = row.get("published_inferred") or row["published"]
        if expected is not None:
            source: str | None = row["file"]
            curated = expected.get(row["file"], [])
        else:
            source = urls.get(_url_key(row["url"]))
            curated = by_source.get(source, []) if source else []

        def run(
            text: str = text, row: dict[str, str] = row, published: str = published
        ) -> object:
            return propose(
                text,
                published=published,
                title=row["title"],
                publisher=row["publisher"],
                url=row["url"],
            )

        def split(text: str = text) -> object:
            return sentences(normalise(text))

        runs.append(run)
        baselines.append(split)
        proposal = propose(
            text,
            published=published,
            title=row["title"],
            publisher=row["publisher"],
            url=row["url"],
        )
        candidates = list(proposal.candidates)
        pairs = maximum_matching(candidates, curated)
        matched = len(pairs)
        total_curated += len(curated)
        total_candidates += len(candidates)
        total_matched += matched
        want = row.get("authority") or None
        right = None if want is None else proposal.authority == want
        if right is not None:
            authorities_checked += 1
            authorities_right += int(right)
        results.append(
            {
                "file": row["file"],
                "source": source,
                "authority": proposal.authority,
                "authority_right": right,
                "curated": len(curated),
                "candidates": len(candidates),
                "matched": matched,
                "recall": matched / len(curated) if curated else None,
                "precision": matched / len(candidates) if candidates else None,
            }
        )
        if args.show:
            used = set(pairs.values())
            print(f"== {row['file']} ({source})")
            for index, fact in enumerate(curated):
                if index not in pairs:
                    print(
                        f"   missed    {fact.kind} {fact.effective} {dict(fact.fields)}"
                    )
            for index, candidate in enumerate(candidates):
                if index not in used:
                    print(
                        f"   unmatched {candidate.kind} {candidate.effective} "
                        f"{candidate.fields}"
                    )

    if args.worst:
        _worst_cases(articles, args.articles)
    extract = _timed(lambda: [run() for run in runs], args.rounds)
    baseline = _timed(lambda: [b() for b in baselines], args.rounds)
    overall = {
        "curated": total_curated,
        "candidates": total_candidates,
        "matched": total_matched,
        "recall": total_matched / total_curated if total_curated else None,
        "precision": total_matched / total_candidates if total_candidates else None,
        "authority_checked": authorities_checked,
        "authority_right": authorities_right,
        "median_seconds_all_articles": extract,
        "baseline_median_seconds": baseline,
        "ratio_to_baseline": extract / baseline if baseline else None,
    }
    if args.json:
        print(json.dumps({"articles": results, "overall": overall}, indent=2))
        return 0

    def share(value: object) -> str:
        return f"{value:.2f}" if isinstance(value, float) else "-"

    line = "{:28} {:12} {:>7} {:>5} {:>7} {:>6} {:>6}"
    print(
        line.format(
            "article", "authority", "curated", "cands", "matched", "recall", "prec."
        )
    )
    for r in results:
        verdict = r["authority_right"]
        mark = "" if verdict is None else (" ok" if verdict else " !!")
        print(
            line.format(
                r["file"],
                f"{r['authority'] or '-'}{mark}",
                r["curated"],
                r["candidates"],
                r["matched"],
                share(r["recall"]),
                share(r["precision"]),
            )
        )
    print(
        line.format(
            "all",
            "",
            total_curated,
            total_candidates,
            total_matched,
            share(overall["recall"]),
            share(overall["precision"]),
        )
    )
    if authorities_checked:
        print(f"authority right: {authorities_right} of {authorities_checked}")
    print(
        f"speed: {len(runs)} articles in {extract * 1000:.1f} ms "
        f"(median of {args.rounds}); baseline (normalise and split) "
        f"{baseline * 1000:.2f} ms; ratio {extract / baseline:.0f}x"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
