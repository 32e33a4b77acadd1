"""What an inbound contract is: the rules one raw table must meet, each with what happens on failure.

A contract is declared once, as data (`Rule`s), and used twice:

- by the loader (`pipelines.lib.quality.validation_sql`), which quarantines every row that breaks
  a `quarantine` rule before `raw.<table>` (what dbt reads) can show it;
- as a Great Expectations suite (`Contract.build_suite`) that the Dagster asset check
  `gx_<table>` runs on `raw.<table>` after the load: rules with action `quarantine` or
  `blocking` fail the check with severity ERROR (nothing downstream runs), `warning` rules
  fail it with severity WARN (reported, the rows flow on).

Column types come from `pipelines.lib.readers.columns` (the readers already reject a value that
is not what its column holds), so each suite also states them as "schema and types".
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from pipelines.lib.readers.columns import (
    BOOLEAN_COLUMNS,
    CONTRACT_COLUMNS,
    DATE_COLUMNS,
    DECIMAL_COLUMNS,
    INTEGER_COLUMNS,
    PERIOD_COLUMNS,
)

if TYPE_CHECKING:
    import great_expectations as gx

# Added by the loader to every raw row; part of every raw table's schema.
LINEAGE_COLUMNS = ["_source_file", "_source_row", "_file_hash", "_loaded_at"]

# quarantine: the row is kept out of raw.<table> and listed in ops.quarantine.
# warning: the row flows on; the GX check reports it with severity WARN.
# blocking: a table-level property; the GX check fails with severity ERROR.
Action = Literal["quarantine", "warning", "blocking"]
RuleKind = Literal[
    "required",
    "known",
    "allowed",
    "pattern",
    "non_negative",
    "open_year",
    "unique",
    "contains",
]
Severity = Literal["blocking", "warning"]

# Canonical text of each column kind, as the readers write it.
TYPE_PATTERNS: dict[str, str] = {
    **{c: r"^-?\d+(\.\d+)?$" for c in DECIMAL_COLUMNS},
    **{c: r"^-?\d+$" for c in INTEGER_COLUMNS},
    **{c: r"^\d{4}-\d{2}-\d{2}$" for c in DATE_COLUMNS},
    **{c: r"^\d{4}-(0[1-9]|1[0-2])$" for c in PERIOD_COLUMNS},
    **{c: r"^(true|false)$" for c in BOOLEAN_COLUMNS},
}


@dataclass(frozen=True)
class Reference:
    """A register that codes must exist in: `raw.<table>.<column>` (optionally per fiscal year)."""

    table: str
    column: str
    # The register's fiscal-year column; the row's year comes from Rule.year_from.
    year_column: str | None = None
    # An optional register (docs/input-formats.md): a city that does not deliver it (no rows)
    # is not checked against it, and that is no warning either.
    optional: bool = False

    @property
    def key(self) -> str:
        return f"{self.table}.{self.column}"


@dataclass(frozen=True)
class Rule:
    """One rule of a contract. `what` may contain `{value}`; `fix` says what a person should do."""

    name: str  # the check name in ops.quarantine / ops.check_results, e.g. unknown_cost_centre
    kind: RuleKind
    columns: tuple[str, ...]
    what: str
    fix: str
    action: Action = "quarantine"
    reference: Reference | None = None
    # allowed values (kind allowed), one regex (kind pattern), the values that must occur (contains)
    values: tuple[str, ...] = ()
    year_from: str | None = None  # this table's column whose first four characters are the year
    # How the GX check rates rows that still break the rule in raw.<table> (default: by action).
    # E.g. identical ledger lines that the loader keeps because their voucher balances with them.
    check_action: Action | None = None
    # Kind `known` over codes written inside an expression (`volume:LETTERS+PARCELS`):
    # (prefix, suffix) regexes around a `+`-separated list of codes. Only values of that form
    # are checked, each code against the register; the message names the first unknown code.
    within: tuple[str, str] | None = None

    @property
    def column(self) -> str:
        return self.columns[0]


@dataclass(frozen=True)
class VoucherRule:
    """Vouchers (rows grouped by `group` within one file) must sum to 0 in `amount`."""

    group: tuple[str, ...] = ("voucher_series", "voucher_number")
    amount: str = "amount_sek"
    fix: str = (
        "correct the voucher in the ledger system and deliver the file again; the whole "
        "voucher is held back until then"
    )


@dataclass(frozen=True)
class KnownCodes:
    """Codes the registers hold, read from the warehouse before validating.

    A register that has not been loaded is absent from `codes`: rules against it are skipped
    (and say so) rather than failing every row.
    """

    codes: Mapping[str, frozenset[str]] = field(default_factory=dict)
    open_years: frozenset[int] = field(default_factory=frozenset)

    def of(self, reference: Reference) -> frozenset[str] | None:
        return self.codes.get(reference.key)


def required(*columns: str) -> tuple[Rule, ...]:
    """Each of these columns must have a value."""
    return tuple(
        Rule(
            "missing_value",
            "required",
            (c,),
            f"{c} is empty",
            f"fill in {c} (every row needs it) or remove the row",
        )
        for c in columns
    )


def unique(
    *columns: str, what: str = "", fix: str = "", check_action: Action | None = None
) -> Rule:
    """No two active rows share these columns; the first (by load time, file, row) is kept.

    `what` names the key in the message: "duplicate of <file> row <n> (<what>)".
    """
    return Rule(
        "duplicate_row",
        "unique",
        tuple(columns),
        what or "same " + ", ".join(columns),
        fix or "remove one of the two rows (or correct the key) and deliver the file again",
        check_action=check_action,
    )


def known(
    name: str,
    column: str,
    reference: Reference,
    what: str,
    fix: str,
    *,
    action: Action = "quarantine",
    year_from: str | None = None,
) -> Rule:
    return Rule(
        name,
        "known",
        (column,),
        what,
        fix,
        action=action,
        reference=reference,
        year_from=year_from,
    )


def known_in_expression(
    name: str, column: str, reference: Reference, within: tuple[str, str], what: str, fix: str
) -> Rule:
    """Every code in the `+`-list between the `within` prefix and suffix is in the register."""
    return Rule(name, "known", (column,), what, fix, reference=reference, within=within)


def expression_codes_pattern(within: tuple[str, str]) -> str:
    """The regex whose group 1 is the `+`-separated code list of an expression (RE2 and re)."""
    prefix, suffix = within
    return f"^{prefix}(.+?){suffix}$"


def codes_in_expression_regex(within: tuple[str, str], codes: frozenset[str]) -> str:
    """A value passes when it is not of the form `within` or every code in it is known."""
    prefix, suffix = within
    alternatives = "|".join(re.escape(c) for c in sorted(codes)) or "(?!)"
    return f"^(?!{prefix})|^{prefix}(?:{alternatives})(?:\\+(?:{alternatives}))*{suffix}$"


def allowed(column: str, values: tuple[str, ...], fix: str = "") -> Rule:
    return Rule(
        "value_not_allowed",
        "allowed",
        (column,),
        f"'{{value}}' is not an allowed {column}",
        fix or f"use one of: {', '.join(values)}",
        values=values,
    )


def contains(
    name: str,
    column: str,
    values: tuple[str, ...],
    what: str,
    fix: str,
    *,
    action: Action = "warning",
) -> Rule:
    """A property of the whole table: some row has each of `values` in `column`.

    Never a row quarantine (no single row is wrong): `warning` or `blocking` in the GX check.
    """
    if action == "quarantine":
        raise ValueError(f"{name}: a table-level rule cannot quarantine rows")
    return Rule(name, "contains", (column,), what, fix, action=action, values=values)


def pattern(name: str, column: str, regex: str, what: str, fix: str) -> Rule:
    return Rule(name, "pattern", (column,), what, fix, values=(regex,))


def non_negative(column: str) -> Rule:
    return Rule(
        "negative_value",
        "non_negative",
        (column,),
        f"{column} '{{value}}' is negative",
        f"{column} cannot be below 0; correct the row (a reversal is a correction file, "
        "not a negative volume)",
    )


def open_year(column: str) -> Rule:
    return Rule(
        "period_not_open",
        "open_year",
        (column,),
        "{value} is not in an open fiscal year",
        "book it in an open period, or ask the controller to open the year "
        "(FORDELA_OPEN_YEARS; by default the years of plan/plan_amounts.csv)",
    )


# Registers most contracts refer to.
ORGANISATIONS = Reference("organisations", "org_code")
COST_CENTRES = Reference("cost_centres", "cost_centre_code")
SERVICES = Reference("services", "service_id")
SERVICE_AREAS = Reference("service_areas", "service_area_code")
DRIVERS = Reference("drivers", "driver_code")
ACCOUNTS = Reference("accounts", "account", year_column="fiscal_year")
INITIATIVES = Reference("initiatives", "initiative_id")

COST_TYPES = ("maintenance", "development")


def known_organisation(column: str = "org_code") -> Rule:
    return known(
        "unknown_organisation",
        column,
        ORGANISATIONS,
        "unknown organisation code '{value}'",
        "add it to organisations/organisations.csv (the organisation register) or correct the row",
    )


def known_cost_centre(column: str = "cost_centre_code") -> Rule:
    return known(
        "unknown_cost_centre",
        column,
        COST_CENTRES,
        "unknown cost centre '{value}'",
        "add it to organisations/cost_centres.csv or correct the row",
    )


def known_service(column: str = "service_id", *, action: Action = "quarantine") -> Rule:
    return known(
        "unknown_service",
        column,
        SERVICES,
        "unknown service '{value}'",
        "add it to services/services.csv (the service catalogue) or correct the row",
        action=action,
    )


def known_driver(column: str = "driver_code") -> Rule:
    return known(
        "unknown_driver",
        column,
        DRIVERS,
        "unknown volume driver '{value}'",
        "add it to volumes/drivers.csv or correct the row",
    )


def known_service_area(column: str = "service_area_code") -> Rule:
    return known(
        "unknown_service_area",
        column,
        SERVICE_AREAS,
        "unknown service area '{value}'",
        "add it to services/service_areas.csv or correct the row",
    )


@dataclass(frozen=True)
class Contract:
    """One inbound contract: the raw table it guards and its rules."""

    table: str
    rules: tuple[Rule, ...]
    vouchers: VoucherRule | None = None

    @property
    def name(self) -> str:
        return self.table

    @property
    def columns(self) -> list[str]:
        return CONTRACT_COLUMNS[self.table]

    @property
    def severity(self) -> Severity:
        return (
            "blocking"
            if any(r.action != "warning" for r in self.rules) or self.vouchers
            else "warning"
        )

    @property
    def references(self) -> tuple[str, ...]:
        """Registers this contract checks against (they must be loaded first)."""
        tables = {r.reference.table for r in self.rules if r.reference is not None}
        if any(r.kind == "open_year" for r in self.rules):
            tables.add("plan_amounts")
        tables.discard(self.table)
        return tuple(sorted(tables))

    @property
    def quarantine_rules(self) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.action == "quarantine")

    def build_suite(self, codes: KnownCodes) -> gx.ExpectationSuite:
        """The Great Expectations suite of this contract, with value sets from `codes`.

        Every expectation carries `meta` = {rule, action} so that results can be stored and
        shown with the rule's name and severity.
        """
        import great_expectations as gx

        E = gx.expectations
        suite = gx.ExpectationSuite(name=self.table)

        def add(expectation: Any) -> None:
            suite.add_expectation(expectation)

        schema = {"rule": "schema", "action": "blocking"}
        add(
            E.ExpectTableColumnsToMatchSet(
                column_set=self.columns + LINEAGE_COLUMNS, exact_match=True, meta=schema
            )
        )
        for column in self.columns:
            if column in TYPE_PATTERNS:
                add(
                    E.ExpectColumnValuesToMatchRegex(
                        column=column,
                        regex=TYPE_PATTERNS[column],
                        meta={"rule": "type", "action": "blocking"},
                    )
                )
        for rule in self.rules:
            meta = {"rule": rule.name, "action": rule.check_action or rule.action}
            column = rule.column
            if rule.kind == "required":
                add(E.ExpectColumnValuesToNotBeNull(column=column, meta=meta))
            elif rule.kind == "known":
                assert rule.reference is not None
                values = codes.of(rule.reference)
                if values is not None and rule.within is not None:
                    add(
                        E.ExpectColumnValuesToMatchRegex(
                            column=column,
                            regex=codes_in_expression_regex(rule.within, values),
                            meta=meta,
                        )
                    )
                elif values is not None:
                    add(
                        E.ExpectColumnValuesToBeInSet(
                            column=column, value_set=sorted(values), meta=meta
                        )
                    )
            elif rule.kind == "allowed":
                add(
                    E.ExpectColumnValuesToBeInSet(
                        column=column, value_set=list(rule.values), meta=meta
                    )
                )
            elif rule.kind == "pattern":
                add(
                    E.ExpectColumnValuesToMatchRegex(column=column, regex=rule.values[0], meta=meta)
                )
            elif rule.kind == "non_negative":
                add(
                    E.ExpectColumnValuesToMatchRegex(
                        column=column, regex=r"^\d+(\.\d+)?$", meta=meta
                    )
                )
            elif rule.kind == "open_year" and codes.open_years:
                years = "|".join(str(y) for y in sorted(codes.open_years))
                add(
                    E.ExpectColumnValuesToMatchRegex(column=column, regex=rf"^({years})", meta=meta)
                )
            elif rule.kind == "contains":
                add(
                    E.ExpectColumnDistinctValuesToContainSet(
                        column=column, value_set=list(rule.values), meta=meta
                    )
                )
            elif rule.kind == "unique":
                if len(rule.columns) == 1:
                    add(E.ExpectColumnValuesToBeUnique(column=column, meta=meta))
                else:
                    add(
                        E.ExpectCompoundColumnsToBeUnique(column_list=list(rule.columns), meta=meta)
                    )
        return suite

    def build_voucher_suite(self) -> gx.ExpectationSuite:
        """Over one row per voucher (`voucher_frame`): every voucher sums to 0 öre."""
        import great_expectations as gx

        suite = gx.ExpectationSuite(name=f"{self.table}_vouchers_balanced")
        suite.add_expectation(
            gx.expectations.ExpectColumnValuesToBeBetween(
                column="amount_ore",
                min_value=0,
                max_value=0,
                meta={"rule": "voucher_balanced", "action": "quarantine"},
            )
        )
        return suite


def sorted_codes(codes: frozenset[str]) -> list[str]:
    return sorted(codes)
