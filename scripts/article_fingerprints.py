#!/usr/bin/env python3
"""Write fingerprints of the seed articles' wording, for the test that keeps their
sentences out of the project: the SHA-1 (first 12 hex digits) of every run of 8
words of each article body. The fingerprints cannot be read back into text.

    .venv/bin/python scripts/article_fingerprints.py ARTICLES_DIR \
        > tests/data/article_fingerprints.txt
"""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

WORD = re.compile(r"[a-z0-9£%']+")
RUN = 8


def runs(text: str) -> set[str]:
    words = WORD.findall(text.lower().replace("\u2019", "'"))
    return {" ".join(words[i : i + RUN]) for i in range(len(words) - RUN + 1)}


def fingerprint(run: str) -> str:
    return hashlib.sha1(run.encode()).hexdigest()[:12]


def main() -> None:
    found: set[str] = set()
    for path in sorted(Path(sys.argv[1]).glob("*.txt")):
        title, _, body = path.read_text(encoding="utf-8").partition("\n")
        found |= {fingerprint(r) for r in runs(body) - runs(title)}
    print("# SHA-1 prefixes of every 8-word run of the seed articles (see the script)")
    print("\n".join(sorted(found)))


if __name__ == "__main__":
    main()
