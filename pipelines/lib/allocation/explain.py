"""Why does cost centre X pay Y for service Z in month M? The explanation of an allocation.

`explain(con, period_month=..., scenario=..., service_id=..., consumer_cost_centre_code=...)`
reads only the published marts (it works on the read-only snapshot the dashboards open) and
returns an `Explanation`: the `fct_allocation` rows of that key (a service's own cost under its
rule, and in the outcome one row per support service whose cost reached it), each with

- the rule and its version (`dim_allocation_rule`: method, driver, key set, the
  service_methods file and row), the share or unit price and the driver volume;
- the pool it is a share of, and the pool's source rows broken down to the amount: in the
  outcome the ledger rows (vouchers) behind the pool (`fct_pool_ledger_row`), in a plan
  scenario the plan line (`fct_plan_line`);
- the driver rows behind the share (`fct_driver_volume` file and row, `dim_allocation_key`
  rows, the `fct_support_allocation` share row, or for a direct charge the ledger rows).

Breaking an amount down to vouchers: a pool is the sum of its ledger rows, so the amount is
split pro rata over them by largest remainder (the engine's own rounding rule), which sums to
the amount exactly. Direct charges need no split: the consumer's own ledger rows are the
amount. Support cost received from a support service j is first split over the support
services whose own ledger cost it originates in (`fct_support_cost_origin`, exact through
step-down chains and reciprocal loops), then over those services' ledger rows. Price-list
charges in the outcome are price x volume rather than a share of the pool; they are broken
down over the pool's vouchers the same way (what the charge paid for), and the difference
between pool and charges is the year's settlement (`fct_price_settlement`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from pipelines.lib.allocation.largest_remainder import largest_remainder

ORE = Decimal("0.01")

# How the cost of a source row reached the service charged. Structured parts, not a sentence:
# the dashboards put them into words (dashboards.lib.explain), in Swedish or English.
Route = Literal["own_cost", "direct_charge", "plan_line", "support"]


@dataclass(frozen=True)
class Component:
    """One source row's part of an allocated amount. The components of a line sum to it."""

    amount_sek: Decimal
    kind: str  # 'ledger_row' | 'plan_line'
    pool_service_id: str  # the service whose pool holds the source row
    route: Route  # how the cost reached the service charged
    source_file: str | None
    source_row: int | None
    source_amount_sek: Decimal  # the whole source row (ledger row or annual plan line)
    voucher: str | None = None  # 'A 1234'
    voucher_date: date | None = None
    account: str | None = None
    cost_centre_code: str | None = None
    counterparty: str | None = None
    text: str | None = None
    mapping_rule_id: str | None = None
    plan_version: str | None = None
    # route 'support': the support service whose cost it is, its allocation method, and the
    # service whose own ledger cost it originates in when that is another (step-down chains,
    # reciprocal loops); None otherwise.
    support_service_id: str | None = None
    support_method: str | None = None
    origin_service_id: str | None = None


@dataclass(frozen=True)
class DriverRow:
    """A landed row behind the share of an allocation line."""

    kind: str  # 'volume' | 'planned_volume' | 'key_share' | 'population' | 'support_share' | 'ledger_row'
    source_file: str | None
    source_row: int | None
    driver_code: str | None = None
    cost_centre_code: str | None = None
    org_code: str | None = None
    key_set: str | None = None
    quantity: Decimal | None = None
    share: Decimal | None = None
    detail: str | None = None


@dataclass(frozen=True)
class AllocationLine:
    """One fct_allocation row with its rule, its pool and its breakdown."""

    rule_id: str
    allocation_method: str
    support_service_id: str | None
    driver_code: str | None
    driver_volume: Decimal | None
    share: Decimal | None
    unit_price_sek: Decimal | None
    amount_sek: Decimal
    pool_sek: Decimal | None  # the pool (or pool piece) the amount is a share of
    rule_source_file: str | None
    rule_source_row: int | None
    rule_file_hash: str | None
    rule_scenario: str | None  # the scenario whose service_methods row the rule is
    key_set: str | None
    components: tuple[Component, ...] = ()
    drivers: tuple[DriverRow, ...] = ()


@dataclass(frozen=True)
class RoutePart:
    """The components that reached the charge by one route, summed: the explanation's summary
    lines (route, support service and method, origin, the pool's service)."""

    route: Route
    support_service_id: str | None
    support_method: str | None
    origin_service_id: str | None
    pool_service_id: str
    kind: str  # 'ledger_row' when any of its components is a ledger row, else 'plan_line'
    rows: int
    amount_sek: Decimal


@dataclass(frozen=True)
class Explanation:
    """Why `consumer_cost_centre_code` pays `amount_sek` for `service_id` in `period_month`."""

    period_month: date
    scenario: str
    fiscal_year: int
    service_id: str
    service_name_sv: str | None
    service_area_code: str | None
    consumer_org_code: str
    consumer_cost_centre_code: str
    amount_sek: Decimal
    lines: tuple[AllocationLine, ...] = field(default_factory=tuple)

    @property
    def components(self) -> tuple[Component, ...]:
        return tuple(c for line in self.lines for c in line.components)

    @property
    def drivers(self) -> tuple[DriverRow, ...]:
        return tuple(d for line in self.lines for d in line.drivers)

    @property
    def parts(self) -> tuple[RoutePart, ...]:
        """The components summed per route, in the order first met; they sum to `amount_sek`."""
        groups: dict[tuple[Route, str | None, str | None, str | None, str], list[Component]] = {}
        for c in self.components:
            key = (
                c.route,
                c.support_service_id,
                c.support_method,
                c.origin_service_id,
                c.pool_service_id,
            )
            groups.setdefault(key, []).append(c)
        return tuple(
            RoutePart(
                route=key[0],
                support_service_id=key[1],
                support_method=key[2],
                origin_service_id=key[3],
                pool_service_id=key[4],
                kind="ledger_row" if any(c.kind == "ledger_row" for c in group) else "plan_line",
                rows=len(group),
                amount_sek=sum((c.amount_sek for c in group), Decimal(0)),
            )
            for key, group in groups.items()
        )

    @property
    def ledger_rows_sek(self) -> Decimal:
        """The ledger rows behind the amount, whole: what their vouchers say."""
        return sum(
            (c.source_amount_sek for c in self.components if c.kind == "ledger_row"), Decimal(0)
        )

    @property
    def ledger_part_sek(self) -> Decimal:
        """The part of those ledger rows that is in the amount."""
        return sum((c.amount_sek for c in self.components if c.kind == "ledger_row"), Decimal(0))

    @property
    def vouchers(self) -> tuple[str, ...]:
        """The vouchers behind the amount, as 'series number', each once."""
        return tuple(dict.fromkeys(c.voucher for c in self.components if c.voucher))


def _ore(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value())


def _sek(ore: int) -> Decimal:
    return (Decimal(ore) / 100).quantize(ORE)


def _rows(con: Any, sql: str, params: Sequence[object]) -> list[dict[str, Any]]:
    cursor = con.execute(sql, list(params))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _split(amount_ore: int, weighted: Sequence[tuple[Any, int]], what: str) -> dict[Any, int]:
    """Largest remainder of `amount_ore` over (key, weight); zero weights dropped."""
    weights = [(key, w) for key, w in weighted if w]
    if not weights:
        if amount_ore:
            raise ValueError(f"cannot break {_sek(amount_ore)} SEK down: {what} has no rows")
        return {}
    if sum(w for _, w in weights) == 0:
        raise ValueError(f"cannot break {_sek(amount_ore)} SEK down: {what} nets to zero")
    return largest_remainder(amount_ore, weights)


_LEDGER_SQL = """
    select source_file, source_row, amount_sek, voucher_series, voucher_number, voucher_date,
        account, cost_centre_code, counterparty, text, mapping_rule_id
    from marts.fct_pool_ledger_row
    where service_id = ? and period_month = ? and not is_unallocated
    order by source_file, source_row
"""


def _ledger_components(
    con: Any,
    service_id: str,
    period_month: date,
    amount_ore: int,
    route: Route,
    only_cost_centre: str | None = None,
    support: tuple[str, str] | None = None,
) -> list[Component]:
    """`amount_ore` split over the month's ledger rows of `service_id` (or of one cost centre);
    `support` is (support service, its method) when the cost came through one."""
    rows = _rows(con, _LEDGER_SQL, [service_id, period_month])
    if only_cost_centre is not None:
        rows = [r for r in rows if r["cost_centre_code"] == only_cost_centre]
    keyed = {(r["source_file"], r["source_row"]): r for r in rows}
    split = _split(
        amount_ore,
        [(k, _ore(r["amount_sek"])) for k, r in keyed.items()],
        f"the {period_month:%Y-%m} ledger rows of {service_id}",
    )
    return [
        Component(
            amount_sek=_sek(ore),
            kind="ledger_row",
            pool_service_id=service_id,
            route=route,
            source_file=r["source_file"],
            source_row=r["source_row"],
            source_amount_sek=r["amount_sek"],
            voucher=f"{r['voucher_series']} {r['voucher_number']}",
            voucher_date=r["voucher_date"],
            account=r["account"],
            cost_centre_code=r["cost_centre_code"],
            counterparty=r["counterparty"],
            text=r["text"],
            mapping_rule_id=r["mapping_rule_id"],
            support_service_id=support[0] if support else None,
            support_method=support[1] if support else None,
            origin_service_id=service_id if support and service_id != support[0] else None,
        )
        for key, ore in sorted(split.items())
        if ore
        for r in [keyed[key]]
    ]


def _support_components(
    con: Any,
    support_service_id: str,
    period_month: date,
    amount_ore: int,
    method: str,
) -> list[Component]:
    origins = _rows(
        con,
        """
        select origin_service_id, origin_sek from marts.fct_support_cost_origin
        where period_month = ? and support_service_id = ?
        order by origin_service_id
        """,
        [period_month, support_service_id],
    )
    split = _split(
        amount_ore,
        [(o["origin_service_id"], _ore(o["origin_sek"])) for o in origins],
        f"the {period_month:%Y-%m} cost of support service {support_service_id}",
    )
    components: list[Component] = []
    for origin_id, ore in sorted(split.items()):
        if not ore:
            continue
        components += _ledger_components(
            con, origin_id, period_month, ore, "support", support=(support_service_id, method)
        )
    return components


def _whole_pool_components(
    con: Any, service_id: str, period_month: date, amount_ore: int
) -> list[Component]:
    """An amount broken down over a service's whole outcome pool: its own ledger rows and
    what each support service gave it, in proportion (for price-list charges)."""
    own = _rows(
        con,
        """
        select coalesce(sum(direct_cost_sek), 0) as direct_sek from marts.fct_service_cost
        where period_month = ? and scenario = 'outcome' and service_id = ?
        """,
        [period_month, service_id],
    )
    received = _rows(
        con,
        """
        select support_service_id, allocation_method, amount_sek
        from marts.fct_support_allocation
        where period_month = ? and receiving_service_id = ?
        """,
        [period_month, service_id],
    )
    pieces: list[tuple[tuple[str, str], int]] = [(("", "own"), _ore(own[0]["direct_sek"]))]
    pieces += [
        ((r["support_service_id"], r["allocation_method"]), _ore(r["amount_sek"])) for r in received
    ]
    split = _split(amount_ore, pieces, f"the {period_month:%Y-%m} pool of {service_id}")
    components: list[Component] = []
    for (support_id, method), ore in sorted(split.items()):
        if not ore:
            continue
        if not support_id:
            components += _ledger_components(con, service_id, period_month, ore, "own_cost")
        else:
            components += _support_components(con, support_id, period_month, ore, method)
    return components


def _plan_components(
    con: Any, fiscal_year: int, scenario: str, service_id: str, amount_ore: int
) -> list[Component]:
    lines = _rows(
        con,
        """
        select source_file, source_row, amount_sek, plan_version from marts.fct_plan_line
        where fiscal_year = ? and scenario = ? and service_id = ?
        """,
        [fiscal_year, scenario, service_id],
    )
    if not lines:
        raise ValueError(
            f"{fiscal_year}/{scenario}: no plan line for {service_id} in fct_plan_line"
        )
    (line,) = lines
    return [
        Component(
            amount_sek=_sek(amount_ore),
            kind="plan_line",
            pool_service_id=service_id,
            route="plan_line",  # a twelfth of the annual amount per month
            source_file=line["source_file"],
            source_row=line["source_row"],
            source_amount_sek=line["amount_sek"],
            plan_version=line["plan_version"],
        )
    ]


def _direct_charge_rows(
    con: Any, service_id: str, period_month: date, org_code: str
) -> list[DriverRow]:
    """An organisation's direct-charge ledger rows of a service: the month's, else the year's
    so far (int_outcome_direct_support_weights)."""
    rows = _rows(
        con,
        """
        select l.source_file, l.source_row, l.cost_centre_code, l.period_month,
            l.voucher_series || ' ' || l.voucher_number as voucher
        from marts.fct_pool_ledger_row as l
        join marts.dim_cost_centre as c on c.cost_centre_code = l.cost_centre_code
        where l.service_id = ? and c.org_code = ? and not l.is_unallocated
            and l.period_month between date_trunc('year', ?::date) and ?::date
        order by l.period_month desc, l.source_file, l.source_row
        """,
        [service_id, org_code, period_month, period_month],
    )
    month = [r for r in rows if r["period_month"] == period_month]
    return [
        DriverRow(
            kind="ledger_row",
            source_file=r["source_file"],
            source_row=r["source_row"],
            cost_centre_code=r["cost_centre_code"],
            org_code=org_code,
            detail=r["voucher"],
        )
        for r in (month or rows)
    ]


def _key_rows(
    con: Any, key_set: str | None, service_id: str, org_code: str, fiscal_year: int, kind: str
) -> list[DriverRow]:
    if not key_set:
        return []
    rows = _rows(
        con,
        """
        select key_set, org_code, share, source_file, source_row from marts.dim_allocation_key
        where key_set = ? and service_id = ? and org_code = ?
            and valid_from <= make_date(?, 12, 31)
            and coalesce(valid_to, date '9999-12-31') >= make_date(?, 1, 1)
        order by valid_from
        """,
        [key_set, service_id, org_code, fiscal_year, fiscal_year],
    )
    return [
        DriverRow(
            kind=kind,
            source_file=r["source_file"],
            source_row=r["source_row"],
            org_code=r["org_code"],
            key_set=r["key_set"],
            share=r["share"],
        )
        for r in rows
    ]


def _volume_rows(
    con: Any,
    scenario: str,
    fiscal_year: int,
    period_month: date,
    driver_code: str,
    cost_centre_code: str | None = None,
    org_code: str | None = None,
) -> list[DriverRow]:
    outcome = scenario == "outcome"
    where = ["v.scenario = ?", "v.fiscal_year = ?", "v.driver_code = ?"]
    params: list[object] = [scenario, fiscal_year, driver_code]
    if outcome:
        where.append("v.period_month = ?")
        params.append(period_month)
    else:
        where.append("v.period_month is null")
    if cost_centre_code is not None:
        where.append("v.cost_centre_code = ?")
        params.append(cost_centre_code)
    if org_code is not None:
        where.append("c.org_code = ?")
        params.append(org_code)
    rows = _rows(
        con,
        "select v.source_file, v.source_row, v.driver_code, v.cost_centre_code, v.quantity,"
        " c.org_code from marts.fct_driver_volume as v"
        " left join marts.dim_cost_centre as c on c.cost_centre_code = v.cost_centre_code"
        f" where {' and '.join(where)} order by v.cost_centre_code, v.source_file, v.source_row",
        params,
    )
    return [
        DriverRow(
            kind="volume" if outcome else "planned_volume",
            source_file=r["source_file"],
            source_row=r["source_row"],
            driver_code=r["driver_code"],
            cost_centre_code=r["cost_centre_code"],
            org_code=r["org_code"],
            quantity=r["quantity"],
        )
        for r in rows
        if r["quantity"]
    ]


def _rule(con: Any, fiscal_year: int, scenario: str, service_id: str) -> dict[str, Any]:
    rows = _rows(
        con,
        """
        select rule_id, allocation_method, driver_code, key_set, source_scenario, source_file,
            source_row, file_hash
        from marts.dim_allocation_rule
        where fiscal_year = ? and scenario = ? and service_id = ?
        """,
        [fiscal_year, scenario, service_id],
    )
    return rows[0] if rows else {}


def _pool_ore(con: Any, period_month: date, scenario: str, service_id: str) -> int | None:
    rows = _rows(
        con,
        """
        select sum(amount_sek) as pool_sek, sum(direct_cost_sek) as direct_sek
        from marts.fct_service_cost
        where period_month = ? and scenario = ? and service_id = ?
        """,
        [period_month, scenario, service_id],
    )
    return _ore(rows[0]["pool_sek"]) if rows and rows[0]["pool_sek"] is not None else None


def explain(
    con: Any,
    *,
    period_month: date,
    scenario: str,
    service_id: str,
    consumer_cost_centre_code: str,
) -> Explanation:
    """Explain what `consumer_cost_centre_code` pays for `service_id` in `period_month`.

    `con`: a DuckDB connection to a warehouse or published snapshot (read-only is enough).
    Raises LookupError when fct_allocation has no row for that key.
    """
    if isinstance(period_month, str):
        period_month = date.fromisoformat(period_month)
    period_month = period_month.replace(day=1)
    allocations = _rows(
        con,
        """
        select a.fiscal_year, a.service_area_code, a.consumer_org_code, a.allocation_method,
            a.rule_id, a.support_service_id, a.driver_code, a.driver_volume, a.share,
            a.unit_price_sek, a.amount_sek
        from marts.fct_allocation as a
        where a.period_month = ? and a.scenario = ? and a.service_id = ?
            and a.consumer_cost_centre_code = ?
        order by a.support_service_id nulls first, a.rule_id
        """,
        [period_month, scenario, service_id, consumer_cost_centre_code],
    )
    if not allocations:
        raise LookupError(
            f"no allocation for cost centre {consumer_cost_centre_code!r}, service "
            f"{service_id!r}, {period_month:%Y-%m}, scenario {scenario!r} in marts.fct_allocation"
        )
    fiscal_year = int(allocations[0]["fiscal_year"])
    org_code = allocations[0]["consumer_org_code"]
    names = _rows(
        con,
        """
        select service_name_sv from marts.dim_service
        where service_id = ? and ? between valid_from and coalesce(valid_to, date '9999-12-31')
        """,
        [service_id, period_month],
    )
    own_rule = _rule(con, fiscal_year, scenario, service_id)

    lines: list[AllocationLine] = []
    for a in allocations:
        amount_ore = _ore(a["amount_sek"])
        method = a["allocation_method"]
        support_id = a["support_service_id"]
        rule = _rule(con, fiscal_year, scenario, support_id) if support_id else own_rule
        components: list[Component]
        drivers: list[DriverRow] = []
        pool_ore: int | None
        if scenario != "outcome":
            pool_ore = _pool_ore(con, period_month, scenario, service_id)
            components = _plan_components(con, fiscal_year, scenario, service_id, amount_ore)
        elif support_id:
            flows = _rows(
                con,
                """
                select amount_sek, share, basis, step_order, share_source_file,
                    share_source_row
                from marts.fct_support_allocation
                where period_month = ? and support_service_id = ? and receiving_service_id = ?
                """,
                [period_month, support_id, service_id],
            )
            pool_ore = _ore(flows[0]["amount_sek"]) if flows else None
            components = _support_components(con, support_id, period_month, amount_ore, method)
            drivers += [
                DriverRow(
                    kind="support_share",
                    source_file=f["share_source_file"],
                    source_row=f["share_source_row"],
                    share=f["share"],
                    detail=f"{service_id}'s share of {support_id} ({f['basis']}, step "
                    f"{f['step_order']}, {method})",
                )
                for f in flows
            ]
        elif method == "direct":
            pool_ore = _pool_ore(con, period_month, scenario, service_id)
            components = _ledger_components(
                con,
                service_id,
                period_month,
                amount_ore,
                "direct_charge",
                only_cost_centre=consumer_cost_centre_code,
            )
        else:
            pool_ore = _pool_ore(con, period_month, scenario, service_id)
            own_rows = _rows(
                con,
                """
                select sum(direct_cost_sek) as direct_sek from marts.fct_service_cost
                where period_month = ? and scenario = ? and service_id = ?
                """,
                [period_month, scenario, service_id],
            )
            if method == "price_list":
                # price x volume, not a share of the pool: broken down over the whole pool
                components = _whole_pool_components(con, service_id, period_month, amount_ore)
            else:
                if own_rows and own_rows[0]["direct_sek"] is not None:
                    pool_ore = _ore(own_rows[0]["direct_sek"])
                components = _ledger_components(
                    con, service_id, period_month, amount_ore, "own_cost"
                )

        # The driver rows behind the share: those of the service's own rule (support cost is
        # shared by the service's own weights, per organisation).
        share_method = own_rule.get("allocation_method", method)
        driver_code = own_rule.get("driver_code") or a["driver_code"]
        if method == "direct" and scenario == "outcome":
            drivers += [
                DriverRow(
                    kind="ledger_row",
                    source_file=c.source_file,
                    source_row=c.source_row,
                    cost_centre_code=c.cost_centre_code,
                    detail=c.voucher,
                )
                for c in components
            ]
        elif share_method == "direct" and support_id:
            # Support cost of a direct service follows the organisation's direct charges (of
            # the month, else the year to date), else the rule's key set.
            drivers += _direct_charge_rows(con, service_id, period_month, org_code)
            if not drivers:
                drivers += _key_rows(
                    con, own_rule.get("key_set"), service_id, org_code, fiscal_year, "key_share"
                )
        elif share_method in ("fixed_key", "direct"):
            drivers += _key_rows(
                con, own_rule.get("key_set"), service_id, org_code, fiscal_year, "key_share"
            )
        elif share_method in ("driver_share", "price_list") and driver_code:
            drivers += _volume_rows(
                con,
                scenario,
                fiscal_year,
                period_month,
                driver_code,
                cost_centre_code=None if support_id else consumer_cost_centre_code,
                org_code=org_code if support_id else None,
            )
            drivers += _key_rows(
                con, own_rule.get("key_set"), service_id, org_code, fiscal_year, "population"
            )

        if sum(_ore(c.amount_sek) for c in components) != amount_ore:
            raise AssertionError(
                f"breakdown of {a['rule_id']} does not sum to {a['amount_sek']} SEK"
            )
        lines.append(
            AllocationLine(
                rule_id=a["rule_id"],
                allocation_method=method,
                support_service_id=support_id,
                driver_code=a["driver_code"],
                driver_volume=a["driver_volume"],
                share=a["share"],
                unit_price_sek=a["unit_price_sek"],
                amount_sek=a["amount_sek"],
                pool_sek=_sek(pool_ore) if pool_ore is not None else None,
                rule_source_file=rule.get("source_file"),
                rule_source_row=rule.get("source_row"),
                rule_file_hash=rule.get("file_hash"),
                rule_scenario=rule.get("source_scenario"),
                key_set=rule.get("key_set"),
                components=tuple(components),
                drivers=tuple(drivers),
            )
        )

    return Explanation(
        period_month=period_month,
        scenario=scenario,
        fiscal_year=fiscal_year,
        service_id=service_id,
        service_name_sv=names[0]["service_name_sv"] if names else None,
        service_area_code=allocations[0]["service_area_code"],
        consumer_org_code=org_code,
        consumer_cost_centre_code=consumer_cost_centre_code,
        amount_sek=sum((line.amount_sek for line in lines), Decimal("0.00")),
        lines=tuple(lines),
    )
