"""The demo city's reference pack: Göteborg's printed 2016/2017 tables as
`reference/published_figures.csv` (one row per printed figure) and the named inconsistencies of
those prints as `reference/published_differences.csv` (docs/input-formats.md, "Reference pack").

The printed tables live in `reference/` beside this module in their printed (wide) form, one
column per plan version; the same files calibrate the demo city (`catalogue.py`). Lines the
warehouse cannot reproduce are not part of the pack: the financing-channel lines of Bilaga 3/4,
Bilaga 4 (all financing forms, outside the shared services) and the rounded mkr figures of the
KS report's running text (`ks_tu_text`).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from pipelines.lib.demo.catalogue import REFERENCE_DIR, SERVICE_IDS, PlanVersion
from pipelines.lib.demo.writer import HEADERS

# The named inconsistencies of the prints (with their explained ranges), as delivered.
DIFFERENCES_FILE = "published_differences.csv"
# Tables of published_service_area_totals.csv that print the plan's own totals.
TOTAL_SOURCES = ("is_summary_table", "is_bilaga2_subtotals", "ks_budget_table", "is_bilaga3")
GROUP_SOURCES = ("is_bilaga1_subtotals", "is_group_table")
TOTAL = "TOTAL"  # the group tables' grand-total line
# "FÖRÄNDRING MOT FÖREGÅENDE ÅR" compares Budget 2017 with the previous adopted budget.
CHANGE_AGAINST = "p0_2016"


def _read(name: str, reference_dir: Path) -> list[dict[str, str]]:
    with (reference_dir / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _figures(
    row: dict[str, str],
    labels: dict[str, str],
    source: str,
    level: str,
    area: str,
    code: str,
    cost_type: str,
    label: str,
    order: int,
) -> Iterable[list[str]]:
    """One figure per plan version the row prints a value for (blank or '-' = not printed)."""
    for column, version in labels.items():
        value = row[column].strip()
        if value:
            yield [
                version,
                source,
                level,
                area,
                code,
                cost_type,
                label,
                str(int(value)),
                str(order),
            ]


def published_figures(
    versions: Iterable[PlanVersion], reference_dir: Path = REFERENCE_DIR
) -> list[list[str]]:
    """The printed figures of the published plan versions among `versions`, one row each."""
    labels = {v.published_column: v.label for v in versions if v.published_column}
    rows: list[list[str]] = []
    for order, r in enumerate(_read("published_services.csv", reference_dir), start=1):
        sid = SERVICE_IDS[(r["service_area"], r["service_name_sv"])]
        rows += _figures(
            r,
            labels,
            "is_bilaga2_lines",
            "service",
            r["service_area"],
            sid,
            r["cost_type"],
            r["service_name_sv"],
            order,
        )
    orders: dict[str, int] = {}
    for r in _read("published_service_area_totals.csv", reference_dir):
        source = r["source"]
        if source not in TOTAL_SOURCES:
            continue
        orders[source] = order = orders.get(source, 0) + 1
        cost_type = "" if r["cost_type"] == "all" else r["cost_type"]
        row_type = r["row_type"]
        code = ""
        if row_type == "area":
            level, code = "service_area", r["service_area"]
        elif row_type in ("sum", "total"):
            level = "cost_type_total" if cost_type else "total"
        elif row_type == "adjustment":
            level = "adjustment"
        elif row_type == "change":
            if CHANGE_AGAINST not in labels:
                continue  # the version it compares with is not in the plan
            level, code = "change", labels[CHANGE_AGAINST]
        else:
            continue  # financing-channel lines: not figures of the shared services' plan
        rows += _figures(r, labels, source, level, "", code, cost_type, r["label_sv"], order)
    for order, r in enumerate(_read("published_organisations.csv", reference_dir), start=1):
        rows += _figures(
            r, labels, "is_bilaga1_lines", "organisation", "", r["code"], "", r["name"], order
        )
    orders = {}
    for r in _read("published_organisation_group_totals.csv", reference_dir):
        source = r["source"]
        if source not in GROUP_SOURCES:
            continue
        orders[source] = order = orders.get(source, 0) + 1
        level, code = ("total", "") if r["group"] == TOTAL else ("org_group", r["group"])
        rows += _figures(r, labels, source, level, "", code, "", r["label_sv"], order)
    return rows


def published_differences(
    versions: Iterable[PlanVersion], reference_dir: Path = REFERENCE_DIR
) -> list[list[str]]:
    """The named differences of the prints, for the published plan versions among `versions`."""
    written = {v.label for v in versions if v.published_column}
    header = HEADERS["reference/" + DIFFERENCES_FILE]
    return [
        [r[c] for c in header]
        for r in _read(DIFFERENCES_FILE, reference_dir)
        if r["plan_version"] in written
    ]
