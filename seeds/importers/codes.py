"""The authority register: every English upper-tier authority with its codes.

From the Data to Insight code lookup (GSS code, DfE number, Ofsted URN, region,
statistical neighbours) checked against ONS's list of current upper-tier
authorities: a code in the lookup but not in ONS's list is registered as abolished,
with the authorities that replaced it when the successions file names them
(:func:`successors`). ONS's regions and England are registered as areas too, for
comparisons.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from domain.drafts import draft_fact
from domain.errors import DomainError, RegistrationConflictError
from domain.registry import AuthorityDetails
from seeds.importers.csvfile import rows
from seeds.paths import OFFICIAL
from seeds.ports import Ledger
from seeds.report import ImportReport, Progress

LOOKUP = "la_code_lookup_ofsted_dfe_gss.csv"
ONS = "ons_upper_tier_la_codes.csv"
SUCCESSORS = "authority_successors.csv"
LOOKUP_SOURCE = "d2i-la-code-lookup"
NEIGHBOURS_EFFECTIVE = "2023"


def import_register(
    ledger: Ledger,
    folder: Path,
    stream: TextIO | None = None,
    lookup: Path | None = None,
) -> ImportReport:
    report = ImportReport("authority register")
    started = time.monotonic()
    ons: dict[str, tuple[str, str]] = {}
    areas: list[AuthorityDetails] = []
    for _, row in rows(folder / ONS, ["UTLACD", "UTLANM", "RGNCD", "RGNNM", "CTRYNM"]):
        if row["CTRYNM"] != "England":
            continue
        ons[row["UTLACD"]] = (row["UTLANM"], row["RGNNM"])
        areas.append(AuthorityDetails(row["RGNCD"], row["RGNNM"], level="region"))
    areas.append(AuthorityDetails("E92000001", "England", level="country"))
    details: list[AuthorityDetails] = []
    neighbours: list[dict[str, object]] = []
    lookup_path = lookup or folder / LOOKUP
    required = [
        "urn",
        "la_code",
        "la_code_new",
        "local_authority_ons_name",
        "rgn22nm",
        "stat_neighbours_la_code",
    ]
    replaced = successors(folder / SUCCESSORS)
    for line, row in rows(lookup_path, required):
        code = row["la_code_new"].strip()
        name, region = ons.get(code, (row["local_authority_ons_name"], row["rgn22nm"]))
        try:
            details.append(
                AuthorityDetails.parse(
                    {
                        "code": code,
                        "name": name,
                        "dfe_number": row["la_code"] or None,
                        "ofsted_urn": row["urn"] or None,
                        "region": region or None,
                        **abolished(code, code in ons, replaced),
                    }
                )
            )
        except DomainError as error:
            report.problems.append(f"{lookup_path.name} line {line}: {error.message}")
            report.skipped["malformed row"] += 1
            continue
        codes = [
            c.strip() for c in row["stat_neighbours_la_code"].split(",") if c.strip()
        ]
        if codes:
            neighbours.append({"authority": code, "neighbours": codes, "line": line})
    unique_areas = {a.code: a for a in areas}
    progress = Progress("authority register", len(unique_areas) + len(details), stream)
    for item in [*unique_areas.values(), *details]:
        try:
            recorded = ledger.register_authority(item)
        except RegistrationConflictError as error:
            # A store loaded from an earlier register (before successions were
            # named, say): what it holds stays, and the load goes on.
            report.problems.append(f"{item.code}: {error.message}")
            report.skipped["registered before with other details"] += 1
            progress.advance()
            continue
        if recorded.created:
            report.recorded += 1
            report.last_position = recorded.position
        else:
            report.present += 1
        progress.advance()
    progress.finish()
    drafts = []
    for listed in neighbours:
        try:
            drafts.append(
                draft_fact(
                    {
                        "kind": "neighbours_listed",
                        "authority": listed["authority"],
                        "source": LOOKUP_SOURCE,
                        "effective": NEIGHBOURS_EFFECTIVE,
                        "approximate": True,
                        "neighbours": listed["neighbours"],
                    }
                )
            )
        except DomainError as error:
            report.problems.append(
                f"{lookup_path.name} line {listed['line']}: {error.message}"
            )
            report.skipped["malformed neighbours"] += 1
    report.count(ledger.record_facts(drafts))
    report.seconds = time.monotonic() - started
    return report


Successions = dict[str, dict[str, object]]


def successors(path: Path | None = None) -> Successions:
    """By an abolished authority's code: the codes of the authorities that replaced
    it and the day they did (``replaced_by``, ``replaced_on``), from the
    successions file (each row names the order that made the change). A folder
    without the file names none."""
    path = path or OFFICIAL / SUCCESSORS
    if not path.is_file():
        return {}
    return {
        row["code"].strip(): {
            "replaced_by": row["replaced_by"].split(),
            "replaced_on": row["replaced_on"].strip(),
        }
        for _, row in rows(path, ["code", "replaced_by", "replaced_on", "order_url"])
    }


def abolished(code: str, current: bool, replaced: Successions) -> dict[str, object]:
    """An authority's status, and for an abolished one what replaced it."""
    if current:
        return {"status": "current"}
    return {"status": "abolished", **replaced.get(code, {})}


def _lookup_rows(path: Path | None = None) -> list[dict[str, str]]:
    return [
        row
        for _, row in rows(path or OFFICIAL / LOOKUP, ["urn", "la_code", "la_code_new"])
    ]


def dfe_numbers(path: Path | None = None) -> dict[str, str]:
    """DfE number -> GSS code, from the shipped code lookup."""
    return {r["la_code"].strip(): r["la_code_new"].strip() for r in _lookup_rows(path)}


def ofsted_urns(path: Path | None = None) -> dict[str, str]:
    """Ofsted URN -> GSS code, from the shipped code lookup."""
    return {r["urn"].strip(): r["la_code_new"].strip() for r in _lookup_rows(path)}


# DfE's numbers for England and its regions, as LAIT uses them, with ONS codes.
DFE_AREAS = {
    "970": "E92000001",  # England
    "980": "E12000001",  # North East
    "981": "E12000002",  # North West
    "982": "E12000003",  # Yorkshire and The Humber
    "983": "E12000004",  # East Midlands
    "984": "E12000005",  # West Midlands
    "985": "E12000006",  # East of England
    "986": "E12000007",  # London
    "989": "E12000008",  # South East
    "990": "E12000009",  # South West
}


def lait_areas(path: Path | None = None) -> dict[str, str]:
    """LAIT's area numbers -> GSS codes: authorities by DfE number, then regions."""
    return {**dfe_numbers(path), **DFE_AREAS}


def code_resolver(path: Path | None = None) -> Callable[[str, str], str]:
    """A function (code, name) -> the register's code for that authority.

    Some files still use an authority's earlier GSS code (Barnsley's E08000016 for
    E08000038, Sheffield's E08000019 for E08000039); those are matched by name.
    """
    table = [
        row
        for _, row in rows(
            path or OFFICIAL / LOOKUP, ["la_code_new", "local_authority_ons_name"]
        )
    ]
    codes = {r["la_code_new"].strip() for r in table}
    by_name = {
        r["local_authority_ons_name"].strip().lower(): r["la_code_new"].strip()
        for r in table
    }

    def resolve(code: str, name: str) -> str:
        code = code.strip()
        if code in codes:
            return code
        return by_name.get(name.strip().lower(), code)

    return resolve
