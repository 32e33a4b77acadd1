"""Varför betalar vi detta? One charge (cost centre x service x month) broken down to what it
is made of.

The allocation engine provides `pipelines.lib.allocation.explain.explain(con, *, period_month,
scenario, service_id, consumer_cost_centre_code)`, whose components sum to the amount and name
the ledger vouchers and driver rows (file and row) behind it. It is imported lazily: until the
engine ships it (or when it cannot answer on this snapshot), the breakdown is built from the
allocation rows themselves: method, driver, volume, share, unit price and the service's pool,
plus the öre of largest-remainder rounding, which again sums exactly to the amount.

Access: the cost centre must belong to an organisation the principal may see; otherwise there
is no explanation at all (None), whatever the caller passes.
"""

from __future__ import annotations

import dataclasses
import importlib
import logging
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Literal

import pandas as pd
import streamlit as st

from dashboards.lib import db, queries
from dashboards.lib.auth import Principal
from dashboards.lib.format import Lang, format_number, format_sek, format_share
from dashboards.lib.i18n import t, t_method

ENGINE_MODULE = "pipelines.lib.allocation.explain"
CENT = Decimal("0.01")
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ChargeExplanation:
    """What one amount is made of. `components` sum exactly to `amount_sek`."""

    amount_sek: Decimal
    source: Literal["engine", "allocation_rows"]
    components: pd.DataFrame  # component, basis, amount_sek
    facts: dict[str, Any] = field(default_factory=dict)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)  # vouchers, driver rows, ...
    note: str | None = None

    @property
    def components_total(self) -> Decimal:
        return queries.decimal_sum(self.components["amount_sek"]) if len(self.components) else Decimal(0)

    @property
    def has_vouchers(self) -> bool:
        return any("voucher" in name and len(df) for name, df in self.tables.items())


# --- The engine's explanation --------------------------------------------------------------------


def engine_available() -> bool:
    try:
        importlib.import_module(ENGINE_MODULE)
    except ImportError:
        return False
    return True


def _records(items: Any) -> pd.DataFrame:
    rows = [
        dataclasses.asdict(i) if dataclasses.is_dataclass(i) and not isinstance(i, type) else dict(i)
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
    try:
        module = importlib.import_module(ENGINE_MODULE)
    except ImportError:
        return None
    with db.connection() as (con, _):
        result = module.explain(
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
        "drivers": _records(result.drivers),
        "lines": pd.DataFrame(
            [{k: v for k, v in line.items() if k not in ("components", "drivers")} for line in lines]
        ),
    }


_VIA = re.compile(r"^(?P<support>\S+) (?P<method>\w+) to (?P<to>\S+?)(?:, originating in (?P<origin>\S+))?$")


def _via_label(via: str, pool_service_id: str, service_id: str) -> str:
    """The engine's `via` in words: 'own cost' -> the service's own costs; '<support> step_down
    to <service>, originating in <origin>' -> support service <support> (step-down), from
    <origin>."""
    text = str(via or "")
    if text.startswith("own cost"):
        return t("explain_via_direct") if "direct" in text else t("explain_part_direct_cost_sek")
    if text.startswith("plan"):
        return t("explain_via_plan")
    match = _VIA.match(text)
    if match is None:
        return text
    label = t("explain_via_support", service=match["support"], method=t_method(match["method"]))
    if match["origin"]:
        label += t("explain_via_origin", origin=match["origin"])
    return label


def _engine_result(frames: dict[str, Any], service_id: str, lang: Lang) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    """(components summed per origin, supporting tables) from the engine's frames."""
    components: pd.DataFrame = frames["components"]
    tables: dict[str, pd.DataFrame] = {}
    if components.empty:
        return pd.DataFrame(columns=["component", "basis", "amount_sek"]), tables
    summary = []
    for (via, pool_service), group in components.groupby(["via", "pool_service_id"], sort=False, dropna=False):
        kinds = set(group["kind"])
        basis = (
            t("explain_basis_vouchers", n=len(group), service=pool_service)
            if "ledger_row" in kinds
            else t("explain_basis_plan_lines", n=len(group))
        )
        summary.append(
            {
                "component": _via_label(str(via), str(pool_service), service_id),
                "basis": basis,
                "amount_sek": queries.decimal_sum(group["amount_sek"]),
            }
        )
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
                "via": ledger["via"],
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


# --- Built from the allocation rows --------------------------------------------------------------

SHARE_METHODS = ("fixed_key", "driver_share")


def _number(value: object) -> Decimal | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    return Decimal(str(value))


def _fallback(
    principal: Principal,
    lines: pd.DataFrame,
    scenario: str,
    period_month: date,
    service_id: str,
    lang: Lang,
) -> pd.DataFrame:
    """Components that sum exactly to the lines' amount: per rule the rule's arithmetic (the
    pool's parts x share, volume x price, ...), and the öre of largest-remainder rounding."""
    pool_row = queries.service_pool_of_month(principal, scenario, period_month, service_id).iloc[0]
    pool = _number(pool_row["pool_sek"])
    total_volume = _number(pool_row["total_volume"])
    parts_frame = queries.service_pool_parts(principal, scenario, period_month, service_id)
    pool_parts: dict[str, Decimal] = {}
    if parts_frame is not None and len(parts_frame):
        first = parts_frame.iloc[0]
        for name, sign in (
            ("direct_cost_sek", 1),
            ("step_down_received_sek", 1),
            ("reciprocal_received_sek", 1),
            ("passed_on_sek", -1),
        ):
            value = _number(first[name])
            if value is not None and value != 0:
                pool_parts[name] = value * sign
    parts: list[dict[str, object]] = []
    for line in lines.itertuples(index=False):
        amount = Decimal(line.amount_sek)
        method = str(line.allocation_method)
        share = _number(line.share)
        volume = _number(line.driver_volume)
        price = _number(line.unit_price_sek)
        label = t_method(method)
        computed: list[tuple[str, str, Decimal]] = []
        if method == "price_list" and volume is not None and price is not None and scenario == "outcome":
            computed.append(
                (
                    label,
                    t(
                        "explain_basis_price",
                        volume=format_number(volume, lang, 0 if volume == volume.to_integral() else 3),
                        driver=line.driver_code or "",
                        price=format_sek(price, lang),
                    ),
                    (volume * price).quantize(CENT),
                )
            )
        elif method in SHARE_METHODS and share is not None and pool is not None:
            if volume is not None and total_volume:
                basis = t(
                    "explain_basis_driver",
                    volume=format_number(volume, lang, 0 if volume == volume.to_integral() else 3),
                    total=format_number(total_volume, lang),
                    driver=line.driver_code or "",
                    pool=format_sek(pool, lang),
                )
            else:
                basis = t(
                    "explain_basis_key",
                    share=format_share(share, lang, decimals=4),
                    pool=format_sek(pool, lang),
                )
            if pool_parts and sum(pool_parts.values(), Decimal(0)) == pool:
                # The pool is the service's own ledger cost plus support cost received, less
                # support cost passed on: each part x the share.
                for name, value in pool_parts.items():
                    computed.append(
                        (
                            t(f"explain_part_{name}"),
                            t("explain_basis_part", share=format_share(share, lang, decimals=4), part=format_sek(value, lang)),
                            (value * share).quantize(CENT),
                        )
                    )
            else:
                computed.append((label, basis, (pool * share).quantize(CENT)))
        elif method == "direct":
            computed.append((label, t("explain_basis_direct"), amount))
        else:
            computed.append(
                (
                    label,
                    t("explain_basis_share", share=format_share(share, lang, decimals=4)) if share is not None else "",
                    amount,
                )
            )
        for component, basis, value in computed:
            parts.append({"component": component, "basis": basis, "amount_sek": value})
        rest = amount - sum((value for _, _, value in computed), Decimal(0))
        if rest != 0:
            parts.append(
                {
                    "component": t("explain_rounding"),
                    "basis": t("explain_rounding_basis"),
                    "amount_sek": rest,
                }
            )
    return pd.DataFrame(parts, columns=["component", "basis", "amount_sek"])


def _supporting_tables(
    principal: Principal,
    lines: pd.DataFrame,
    *,
    fiscal_year: int,
    scenario: str,
    period_month: date,
    service_id: str,
    cost_centre_code: str,
    plan_scenario: str | None,
) -> dict[str, pd.DataFrame]:
    """The vouchers behind the pool (each with this cost centre's part when the charge is a
    share of the pool) and the driver rows behind the volume, with file and row."""
    tables: dict[str, pd.DataFrame] = {}
    if scenario == "outcome":
        vouchers = queries.pool_ledger_rows(principal, period_month, service_id)
        if vouchers is not None and len(vouchers):
            shares = [
                _number(s)
                for s, m in zip(lines["share"], lines["allocation_method"], strict=True)
                if m in SHARE_METHODS
            ]
            share = sum((s for s in shares if s is not None), Decimal(0)) if shares else None
            vouchers = vouchers.copy()
            if share:
                vouchers["part_sek"] = [
                    (Decimal(a) * share).quantize(CENT) if a is not None else None
                    for a in vouchers["amount_sek"]
                ]
            tables["vouchers"] = vouchers
    driver_codes = {str(d) for d in lines["driver_code"] if isinstance(d, str)}
    for driver_code in sorted(driver_codes):
        rows = queries.driver_rows(
            principal, cost_centre_code, driver_code, fiscal_year, period_month, plan_scenario
        )
        if rows is not None and len(rows):
            tables["driver_rows"] = pd.concat([tables.get("driver_rows", pd.DataFrame()), rows], ignore_index=True)
    return tables


def explain_charge(
    principal: Principal,
    *,
    fiscal_year: int,
    scenario: str,
    period_month: date,
    service_id: str,
    cost_centre_code: str,
    lang: Lang,
    plan_scenario: str | None = None,
) -> ChargeExplanation | None:
    """The breakdown of what `cost_centre_code` pays for `service_id` in `period_month`; None
    when the principal may not see that cost centre or it has no such charge."""
    org_code = queries.cost_centre_org(principal, cost_centre_code)
    if org_code is None:
        return None
    lines = queries.charge_lines(principal, org_code, fiscal_year, scenario, period_month, service_id)
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

    note = None
    version = db.snapshot_version()
    if version is not None and engine_available():
        try:
            engine = _engine_explanation(version, period_month, scenario, service_id, cost_centre_code)
        except Exception as exc:  # noqa: BLE001 - the fallback below still explains the amount
            log.warning("explain() failed for %s %s %s: %s", cost_centre_code, service_id, period_month, exc)
            engine = None
            note = t("explain_engine_failed")
        if engine is not None:
            components, tables = _engine_result(engine, service_id, lang)
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
                    for f, r in zip(engine_lines["rule_source_file"], engine_lines["rule_source_row"], strict=True)
                    if isinstance(f, str)
                ]
                facts["rule_source"] = ", ".join(dict.fromkeys(rule_files)) or None
                facts["key_set"] = next((k for k in engine_lines["key_set"] if isinstance(k, str)), None)
                facts["pool_sek"] = engine_lines["pool_sek"].iloc[0]
            if len(components) and queries.decimal_sum(components["amount_sek"]) == amount:
                return ChargeExplanation(
                    amount_sek=amount,
                    source="engine",
                    components=components,
                    facts=facts,
                    tables=tables,
                )
            note = t("explain_engine_failed")
    components = _fallback(principal, lines, scenario, period_month, service_id, lang)
    tables = _supporting_tables(
        principal,
        lines,
        fiscal_year=fiscal_year,
        scenario=scenario,
        period_month=period_month,
        service_id=service_id,
        cost_centre_code=cost_centre_code,
        plan_scenario=plan_scenario,
    )
    return ChargeExplanation(
        amount_sek=amount,
        source="allocation_rows",
        components=components,
        facts=facts,
        tables=tables,
        note=note,
    )
