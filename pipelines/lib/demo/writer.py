"""Writes the canonical CSV files of docs/input-formats.md (UTF-8, `,`, `"` quoting, `\\n`)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path

# The contract: file (relative to the landing folder) -> exact header.
HEADERS: dict[str, tuple[str, ...]] = {
    "organisations/organisations.csv": ("org_code", "org_name", "org_group", "valid_from", "valid_to"),
    "organisations/cost_centres.csv": (
        "cost_centre_code", "cost_centre_name", "org_code", "is_default", "valid_from", "valid_to",
    ),
    "services/service_areas.csv": ("service_area_code", "name_sv", "name_en"),
    "services/services.csv": (
        "service_id", "service_name_sv", "former_name_sv", "service_area_code", "cost_type",
        "is_adjustment", "valid_from", "valid_to", "comment_sv",
    ),
    "services/service_lineage.csv": (
        "from_service_id", "to_service_id", "relation", "weight", "effective_date",
    ),
    "volumes/drivers.csv": ("driver_code", "unit_sv", "unit_en", "description_sv", "description_en"),
    "ledger/accounts.csv": ("fiscal_year", "account", "account_name", "account_class"),
    "ledger/mapping_rules.csv": (
        "rule_id", "fiscal_year", "priority", "account_from", "account_to", "activity_code",
        "cost_centre_code", "project_code", "service_id", "cost_type",
    ),
    "plan/plan_amounts.csv": (
        "fiscal_year", "scenario", "plan_version", "service_id", "cost_type", "amount_sek",
    ),
    "plan/service_methods.csv": (
        "fiscal_year", "scenario", "service_id", "rule_id", "allocation_method", "driver_code",
        "key_set",
    ),
    "plan/allocation_keys.csv": ("key_set", "service_id", "org_code", "share", "valid_from", "valid_to"),
    "plan/planned_volumes.csv": (
        "fiscal_year", "scenario", "driver_code", "cost_centre_code", "quantity",
    ),
    "plan/price_list.csv": ("fiscal_year", "service_id", "driver_code", "unit_price_sek"),
    "plan/initiatives.csv": (
        "initiative_id", "service_area_code", "service_id", "name_sv", "priority",
        "financing_channel",
    ),
    "plan/initiative_plan.csv": ("initiative_id", "fiscal_year", "amount_sek"),
}  # fmt: skip
LEDGER_HEADER = (
    "voucher_series", "voucher_number", "voucher_date", "period", "account", "cost_centre_code",
    "activity_code", "project_code", "counterparty", "amount_sek", "text",
)  # fmt: skip
VOLUMES_HEADER = ("period", "driver_code", "cost_centre_code", "quantity")
MONTHLY_PATTERNS = ("ledger/ledger_*.csv", "volumes/volumes_*.csv")


def header_for(relative: str) -> tuple[str, ...]:
    """The contract header of a landing file (monthly files included)."""
    if relative.startswith("ledger/ledger_"):
        return LEDGER_HEADER
    if relative.startswith("volumes/volumes_"):
        return VOLUMES_HEADER
    return HEADERS[relative]


class LandingWriter:
    """Writes files under a landing folder and remembers what it wrote."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.files: dict[str, int] = {}  # relative path -> data rows

    def clear_monthly(self) -> None:
        """Remove monthly files of an earlier run so a smaller year range leaves no strays."""
        for pattern in MONTHLY_PATTERNS:
            for path in sorted(self.root.glob(pattern)):
                path.unlink()

    def write(self, relative: str, rows: Iterable[Sequence[str]]) -> int:
        header = header_for(relative)
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        count = 0
        with path.open("w", encoding="utf-8", newline="") as fh:
            out = csv.writer(fh, lineterminator="\n")
            out.writerow(header)
            for row in rows:
                if len(row) != len(header):
                    raise ValueError(
                        f"{relative}: row {count + 2} has {len(row)} fields, expected {len(header)}"
                    )
                out.writerow(row)
                count += 1
        self.files[relative] = count
        return count
