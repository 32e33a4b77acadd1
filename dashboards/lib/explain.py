"""Varför betalar vi detta? One charge (cost centre x service x month) broken down to what it
is made of.

The allocation engine explains the charge (`pipelines.lib.allocation.explain.explain`): its
components sum to the amount and name the ledger vouchers and driver rows (file and row)
behind it, each with its route as structured parts (own cost, charged directly, plan line, or
support service, method and origin). This module only puts those parts into words and tables;
it computes nothing of its own.

Access: the cost centre must belong to an organisation the principal may see; otherwise there
is no explanation at all (None), whatever the caller passes.
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import pandas as pd
import streamlit as st

from dashboards.lib import db, queries
from dashboards.lib.auth import Principal
from dashboards.lib.format import Lang
from dashboards.lib.i18n import t, t_method
from pipelines.lib.allocation.explain import explain

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ChargeExplanation:
    """What one amount is made of. `components` sum exactly to `amount_sek`."""

    amount_sek: Decimal
    components: pd.DataFrame  # component, basis, amount_sek
    facts: dict[str, Any] = field(default_factory=dict)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)  # vouchers, driver rows, ...
    note: str | None = None
    # The vouchers' ledger rows whole, and their part in the amount (the engine's sums).
    ledger_rows_sek: Decimal | None = None
    ledger_part_sek: Decimal | None = None

    @property
    def components_total(self) -> Decimal:
        return (
            queries.decimal_sum(self.components["amount_sek"])
            if len(self.components)
            else Decimal(0)
        )

    @property
    def has_vouchers(self) -> bool:
        return any("voucher" in name and len(df) for name, df in self.tables.items())


# --- The engine's explanation --------------------------------------------------------------------


def _records(items: Any) -> pd.DataFrame:
    rows = [
        dataclasses.asdict(i)
        if dataclasses.is_dataclass(i) and not isinstance(i, type)
        else dict(i)
        for i in items
    ]
    return pd.DataFrame(rows)


@st.cache_data(show_spinner=False, max_entries=256)
def _engine_explanation(
    version: db.SnapshotVersion,
    period_month: date,
    scenario: str,
    service_id: str,
    cost_centre_code: str,
) -> dict[str, Any] | None:
    """The engine's Explanation as plain frames (cacheable); `version` keys the cache."""
    with db.connection() as (con, _):
        result = explain(
            con,
            period_month=period_month,
            scenario=scenario,
            service_id=service_id,
            consumer_cost_centre_code=cost_centre_code,
        )
    lines = [dataclasses.asdict(line) for line in result.lines]
    return {
        "amount_sek": Decimal(result.amount_sek),
        "components": _records(result.components),
        "parts": _records(result.parts),
        "ledger_rows_sek": result.ledger_rows_sek,
        "ledger_part_sek": result.ledger_part_sek,
        "drivers": _records(result.drivers),
        "lines": pd.DataFrame(
            [
                {k: v for k, v in line.items() if k not in ("components", "drivers")}
                for line in lines
            ]
        ),
    }


def _route_label(route: str, support: object, method: object, origin: object) -> str:
    """The engine's route of a component in words: the service's own costs, charged directly,
    the plan line, or support service <support> (<method>), originating in <origin>."""
    if route == "support":
        label = t("explain_via_support", service=support, method=t_method(str(method)))
        if isinstance(origin, str) and origin:
            label += t("explain_via_origin", origin=origin)
        return label
    return t(
        {"direct_charge": "explain_via_direct", "plan_line": "explain_via_plan"}.get(
            route, "explain_part_direct_cost_sek"
        )
    )


def _engine_result(frames: dict[str, Any]) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    """(components summed per origin, supporting tables) from the engine's frames."""
    components: pd.DataFrame = frames["components"]
    tables: dict[str, pd.DataFrame] = {}
    if components.empty:
        return pd.DataFrame(columns=["component", "basis", "amount_sek"]), tables
    summary = [
        {
            "component": _route_label(
                part.route, part.support_service_id, part.support_method, part.origin_service_id
            ),
            "basis": t("explain_basis_vouchers", n=part.rows, service=part.pool_service_id)
            if part.kind == "ledger_row"
            else t("explain_basis_plan_lines", n=part.rows),
            "amount_sek": part.amount_sek,
        }
        for part in frames["parts"].itertuples(index=False)
    ]
    ledger = components[components["kind"] == "ledger_row"]
    if len(ledger):
        voucher = ledger["voucher"].fillna("").str.split(" ", n=1)
        tables["vouchers"] = pd.DataFrame(
            {
                "voucher_series": [v[0] if v else None for v in voucher],
                "voucher_number": [v[1] if len(v) > 1 else None for v in voucher],
                "voucher_date": ledger["voucher_date"],
                "account": ledger["account"],
                "cost_centre_code": ledger["cost_centre_code"],
                "text": ledger["text"],
                "counterparty": ledger["counterparty"],
                "amount_sek": ledger["source_amount_sek"],
                "part_sek": ledger["amount_sek"],
                "pool_service_id": ledger["pool_service_id"],
                "route": ledger["route"],
                "support_service_id": ledger["support_service_id"],
                "origin_service_id": ledger["origin_service_id"],
                "mapping_rule_id": ledger["mapping_rule_id"],
                "source_file": ledger["source_file"],
                "source_row": ledger["source_row"],
            }
        ).sort_values("part_sek", key=lambda s: s.map(abs), ascending=False, ignore_index=True)
    plan = components[components["kind"] == "plan_line"]
    if len(plan):
        tables["plan_lines"] = plan.reset_index(drop=True)
    drivers: pd.DataFrame = frames["drivers"]
    if len(drivers):
        tables["engine_drivers"] = drivers
    return pd.DataFrame(summary, columns=["component", "basis", "amount_sek"]), tables


def explain_charge(
    principal: Principal,
    *,
    fiscal_year: int,
    scenario: str,
    period_month: date,
    service_id: str,
    cost_centre_code: str,
    lang: Lang,
) -> ChargeExplanation | None:
    """The breakdown of what `cost_centre_code` pays for `service_id` in `period_month`; None
    when the principal may not see that cost centre or it has no such charge."""
    org_code = queries.cost_centre_org(principal, cost_centre_code)
    if org_code is None:
        return None
    lines = queries.charge_lines(
        principal, org_code, fiscal_year, scenario, period_month, service_id
    )
    lines = lines[lines["cost_centre_code"] == cost_centre_code]
    if lines.empty:
        return None
    amount = queries.decimal_sum(lines["amount_sek"])
    first = lines.iloc[0]
    facts: dict[str, Any] = {
        "allocation_method": first["allocation_method"],
        "driver_code": first["driver_code"],
        "rule_id": ", ".join(dict.fromkeys(str(r) for r in lines["rule_id"])),
        "driver_volume": first["driver_volume"],
        "share": first["share"],
        "unit_price_sek": first["unit_price_sek"],
    }

    version = db.snapshot_version()
    empty = pd.DataFrame(columns=["component", "basis", "amount_sek"])
    try:
        engine = (
            _engine_explanation(version, period_month, scenario, service_id, cost_centre_code)
            if version is not None
            else None
        )
    except Exception as exc:  # noqa: BLE001 - the page still shows the amount and its rule
        log.warning(
            "explain() failed for %s %s %s: %s", cost_centre_code, service_id, period_month, exc
        )
        engine = None
    if engine is None:
        return ChargeExplanation(amount, empty, facts, note=t("explain_engine_failed"))
    components, tables = _engine_result(engine)
    drivers = tables.get("engine_drivers")
    if drivers is not None and "org_code" in drivers.columns:
        # Defence in depth: driver rows of organisations the principal may not see never
        # leave here (the engine already limits them to the consumer's own rows).
        visible = [
            o is None or (isinstance(o, float) and o != o) or queries.may_see_org(principal, str(o))
            for o in drivers["org_code"]
        ]
        tables["engine_drivers"] = drivers[visible].reset_index(drop=True)
    engine_lines = engine["lines"]
    if len(engine_lines):
        rule_files = [
            f"{f} rad {r}" if lang == "sv" else f"{f} row {r}"
            for f, r in zip(
                engine_lines["rule_source_file"], engine_lines["rule_source_row"], strict=True
            )
            if isinstance(f, str)
        ]
        facts["rule_source"] = ", ".join(dict.fromkeys(rule_files)) or None
        facts["key_set"] = next((k for k in engine_lines["key_set"] if isinstance(k, str)), None)
        facts["pool_sek"] = engine_lines["pool_sek"].iloc[0]
    return ChargeExplanation(
        amount,
        components,
        facts,
        tables,
        ledger_rows_sek=engine["ledger_rows_sek"],
        ledger_part_sek=engine["ledger_part_sek"],
    )
