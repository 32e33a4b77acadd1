"""Contract for plan amounts (`raw.plan_amounts`): budget and forecasts per service line.

Its fiscal years are the open years (unless FORDELA_OPEN_YEARS says otherwise).
"""

from __future__ import annotations

from expectations.base import (
    COST_TYPES,
    Contract,
    allowed,
    known_service,
    pattern,
    required,
    unique,
)

CONTRACT = Contract(
    table="plan_amounts",
    rules=(
        *required(
            "fiscal_year", "scenario", "plan_version", "service_id", "cost_type", "amount_sek"
        ),
        pattern(
            "unknown_scenario",
            "scenario",
            r"^(budget|forecast_\d+|proposal)$",
            "unknown scenario '{value}'",
            "use budget, forecast_1, forecast_2, ... or proposal",
        ),
        allowed("cost_type", COST_TYPES),
        known_service("service_id"),
        unique("fiscal_year", "scenario", "service_id"),
    ),
)
