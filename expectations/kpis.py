"""Contract for the KPI register (`raw.kpis`): each KPI's expression, basis, scope and target.

Expressions (docs/input-formats.md, `plan/kpis.csv`): `volume:<driver>[+<driver>...]`, or
`cost:area:<area>` / `cost:service:<service>` with an optional `:maintenance` / `:development`.
A value off that grammar is `value_not_allowed`; a code in it that is not in its register is
quarantined with the register's rule, naming the code.
"""

from __future__ import annotations

from expectations.base import (
    DRIVERS,
    INITIATIVES,
    SERVICE_AREAS,
    SERVICES,
    Contract,
    Rule,
    allowed,
    known,
    known_in_expression,
    pattern,
    required,
    unique,
)

# A code inside an expression: no spaces, `+` or `:` (they separate the parts).
_CODE = r"[^\s+:]+"
_VOLUME = rf"volume:{_CODE}(?:\+{_CODE})*"
_COST_TYPE = r"(?::(?:maintenance|development))?"
NUMERATOR_PATTERN = rf"^(?:{_VOLUME}|cost:(?:area|service):{_CODE}{_COST_TYPE})$"
DENOMINATOR_PATTERN = rf"^{_VOLUME}$"
GRAMMAR_FIX = (
    "write volume:<driver>[+<driver>...], or cost:area:<service area> / cost:service:<service> "
    "(optionally followed by :maintenance or :development), as in docs/input-formats.md"
)


def _volume_drivers(column: str) -> Rule:
    return known_in_expression(
        "unknown_driver",
        column,
        DRIVERS,
        ("volume:", ""),
        "unknown volume driver '{value}'",
        "add it to volumes/drivers.csv or correct the expression",
    )


CONTRACT = Contract(
    table="kpis",
    rules=(
        *required("kpi_code", "name_sv", "numerator", "basis", "scope", "unit"),
        pattern(
            "value_not_allowed",
            "numerator",
            NUMERATOR_PATTERN,
            "'{value}' is not a KPI expression",
            GRAMMAR_FIX,
        ),
        pattern(
            "value_not_allowed",
            "denominator",
            DENOMINATOR_PATTERN,
            "'{value}' is not a KPI denominator",
            "write volume:<driver>[+<driver>...] or leave it empty",
        ),
        _volume_drivers("numerator"),
        _volume_drivers("denominator"),
        known_in_expression(
            "unknown_service_area",
            "numerator",
            SERVICE_AREAS,
            ("cost:area:", _COST_TYPE),
            "unknown service area '{value}'",
            "add it to services/service_areas.csv or correct the expression",
        ),
        known_in_expression(
            "unknown_service",
            "numerator",
            SERVICES,
            ("cost:service:", _COST_TYPE),
            "unknown service '{value}'",
            "add it to services/services.csv (the service catalogue) or correct the expression",
        ),
        allowed("basis", ("month", "year_to_date")),
        allowed("scope", ("city", "organisation")),
        allowed("unit", ("share", "ratio", "sek")),
        allowed("target_direction", ("min", "max")),
        known(
            "unknown_initiative",
            "initiative_id",
            INITIATIVES,
            "unknown initiative '{value}'",
            "add it to plan/initiatives.csv or correct the row",
        ),
        unique("kpi_code"),
    ),
)
