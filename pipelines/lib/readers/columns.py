"""The canonical columns of every input table, their kinds and the Swedish header aliases."""

from __future__ import annotations

import re

# One list per table of docs/input-formats.md, in the order of the canonical CSV.
CONTRACT_COLUMNS: dict[str, list[str]] = {
    "organisations": ["org_code", "org_name", "org_group", "valid_from", "valid_to", "is_producer"],
    "cost_centres": [
        "cost_centre_code",
        "cost_centre_name",
        "org_code",
        "is_default",
        "valid_from",
        "valid_to",
    ],
    "service_areas": ["service_area_code", "name_sv", "name_en"],
    "services": [
        "service_id",
        "service_name_sv",
        "former_name_sv",
        "service_area_code",
        "cost_type",
        "is_adjustment",
        "valid_from",
        "valid_to",
        "comment_sv",
        "is_support",
    ],
    "service_lineage": ["from_service_id", "to_service_id", "relation", "weight", "effective_date"],
    "drivers": ["driver_code", "unit_sv", "unit_en", "description_sv", "description_en"],
    "accounts": ["fiscal_year", "account", "account_name", "account_class"],
    "mapping_rules": [
        "rule_id",
        "fiscal_year",
        "priority",
        "account_from",
        "account_to",
        "activity_code",
        "cost_centre_code",
        "project_code",
        "service_id",
        "cost_type",
    ],
    "plan_amounts": [
        "fiscal_year",
        "scenario",
        "plan_version",
        "service_id",
        "cost_type",
        "amount_sek",
    ],
    "service_methods": [
        "fiscal_year",
        "scenario",
        "service_id",
        "rule_id",
        "allocation_method",
        "driver_code",
        "key_set",
    ],
    "allocation_keys": ["key_set", "service_id", "org_code", "share", "valid_from", "valid_to"],
    "planned_volumes": ["fiscal_year", "scenario", "driver_code", "cost_centre_code", "quantity"],
    "price_list": ["fiscal_year", "service_id", "driver_code", "unit_price_sek"],
    "initiatives": [
        "initiative_id",
        "service_area_code",
        "service_id",
        "name_sv",
        "priority",
        "financing_channel",
    ],
    "initiative_plan": ["initiative_id", "fiscal_year", "amount_sek"],
    "support_allocations": [
        "fiscal_year",
        "scenario",
        "support_service_id",
        "receiving_service_id",
        "basis",
        "share",
        "step_order",
        "method",
    ],
    "invoicing_accounts": [
        "fiscal_year",
        "service_id",
        "debit_account",
        "credit_account",
        "credit_cost_centre",
        "activity_code",
    ],
    "ledger": [
        "voucher_series",
        "voucher_number",
        "voucher_date",
        "period",
        "account",
        "cost_centre_code",
        "activity_code",
        "project_code",
        "counterparty",
        "amount_sek",
        "text",
    ],
    "volumes": ["period", "driver_code", "cost_centre_code", "quantity"],
    "org_groups": ["org_group", "name_sv", "name_en", "sort_order"],
    "kpis": [
        "kpi_code",
        "name_sv",
        "name_en",
        "numerator",
        "denominator",
        "basis",
        "scope",
        "unit",
        "target",
        "target_direction",
        "target_from",
        "initiative_id",
    ],
    "published_figures": [
        "plan_version",
        "source",
        "level",
        "service_area_code",
        "code",
        "cost_type",
        "label_sv",
        "amount_tkr",
        "line_order",
    ],
    "published_differences": [
        "plan_version",
        "source",
        "level",
        "code",
        "cost_type",
        "difference_code",
        "min_difference_tkr",
        "max_difference_tkr",
        "description_sv",
        "description_en",
    ],
}

# Columns a file may leave out (docs/input-formats.md marks them *optional*), per table, with the
# canonical text every row then reads. A present column's empty cell reads the same default, so
# raw.<table> always holds a value and nothing downstream needs to know the column was optional.
OPTIONAL_COLUMNS: dict[str, dict[str, str]] = {
    "organisations": {"is_producer": "false"},
}


def optional_columns(table: str) -> dict[str, str]:
    """Optional column -> default (canonical text) of one table; empty for most tables."""
    return OPTIONAL_COLUMNS.get(table, {})


# How values are normalised, by column name (the same name means the same kind in every table).
DECIMAL_COLUMNS = frozenset(
    {"amount_sek", "quantity", "unit_price_sek", "share", "weight", "target"}
)
# Money columns: an Excel float such as 1234.4999999999998 is rounded back to öre.
MONEY_COLUMNS = frozenset({"amount_sek", "unit_price_sek"})
INTEGER_COLUMNS = frozenset(
    {
        "fiscal_year",
        "priority",
        "step_order",
        "sort_order",
        "amount_tkr",
        "line_order",
        "min_difference_tkr",
        "max_difference_tkr",
    }
)
DATE_COLUMNS = frozenset({"voucher_date", "valid_from", "valid_to", "effective_date"})
PERIOD_COLUMNS = frozenset({"period", "target_from"})
BOOLEAN_COLUMNS = frozenset({"is_default", "is_adjustment", "is_support", "is_producer"})

# Header names real exports use (Swedish Excel, UBW/Agresso, Raindance, Visma reports).
# Matching ignores case, surrounding whitespace, and treats spaces, `_`, `-` and `.` alike.
ALIASES: dict[str, str] = {
    "belopp": "amount_sek",
    "belopp sek": "amount_sek",
    "belopp kr": "amount_sek",
    "belopp (sek)": "amount_sek",
    "amount": "amount_sek",
    "konto": "account",
    "kontonummer": "account",
    "kontonamn": "account_name",
    "kontobenämning": "account_name",
    "ansvar": "cost_centre_code",
    "kostnadsställe": "cost_centre_code",
    "cost center code": "cost_centre_code",
    "verksamhet": "activity_code",
    "projekt": "project_code",
    "period": "period",
    "verifikationsnummer": "voucher_number",
    "verifikationsnr": "voucher_number",
    "vernr": "voucher_number",
    "ver nr": "voucher_number",
    "serie": "voucher_series",
    "verifikationsserie": "voucher_series",
    "datum": "voucher_date",
    "bokföringsdatum": "voucher_date",
    "verifikationsdatum": "voucher_date",
    "motpart": "counterparty",
    "text": "text",
    "beskrivning": "text",
    "drivare": "driver_code",
    "antal": "quantity",
    "volym": "quantity",
    "räkenskapsår": "fiscal_year",
    "debetkonto": "debit_account",
    "kreditkonto": "credit_account",
    "kreditansvar": "credit_cost_centre",
}

_SEPARATORS = re.compile(r"[\s_\-.]+")


def header_key(name: str) -> str:
    """The form a header cell is compared in: case-folded, trimmed, separators unified."""
    return _SEPARATORS.sub(" ", name.replace("\ufeff", "").casefold()).strip()


def header_lookup(expected_columns: list[str]) -> dict[str, str]:
    """Header key -> canonical column, for the canonical names and the aliases of this table."""
    wanted = set(expected_columns)
    lookup = {header_key(alias): column for alias, column in ALIASES.items() if column in wanted}
    lookup.update({header_key(column): column for column in expected_columns})
    return lookup
