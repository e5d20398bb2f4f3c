"""Where the seed files are: the curated facts and the official data, inside this
package (installed with it)."""

from __future__ import annotations

from pathlib import Path

SEEDS = Path(__file__).parent
OFFICIAL = SEEDS / "official"  # official statistics, with their attribution
NEWS = SEEDS / "news"  # the curated facts and the sources they cite
