"""Simulering: the base of a what-if (one service's plan allocation per organisation) and the
simulation itself, with access control applied to the result.

Re-allocating a service needs every organisation's weight, so the base is read for all of them,
here in the query layer. What leaves this module is only the principal's organisations (plus
the service's city-wide totals, which are public): a controller sees how a change would hit
her organisations, never another organisation's amount or volume. She can change only her own
organisations' volumes; changes for other organisations are dropped here.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

import pandas as pd

from dashboards.lib.auth import Principal
from dashboards.lib.db import query
from dashboards.lib.queries._common import may_see_org
from dashboards.lib.queries._common import scope as _scope
from dashboards.lib.whatif import Change, simulate

_BASE_SQL = """
with rows as (
    select
        consumer_org_code as org_code,
        consumer_cost_centre_code,
        period_month,
        allocation_method,
        driver_code,
        driver_volume,
        share,
        unit_price_sek,
        amount_sek
    from marts.fct_allocation
    where fiscal_year = $fiscal_year
        and scenario = $scenario
        and service_id = $service_id
),

months as (
    select greatest(count(distinct period_month), 1) as n from rows
),

-- Plan rows carry the planned annual quantity in every month: one month's worth per cost centre.
per_cost_centre as (
    select
        org_code,
        consumer_cost_centre_code,
        avg(driver_volume) as annual_volume,
        sum(share) as share_months,
        sum(amount_sek) as amount_sek
    from rows
    group by org_code, consumer_cost_centre_code
)

select
    c.org_code,
    coalesce(o.org_name, c.org_code) as org_name,
    o.org_group_sort,
    sum(c.amount_sek) as amount_sek,
    sum(c.annual_volume) as annual_volume,
    sum(c.share_months) / (select n from months) as share
from per_cost_centre as c
left join marts.dim_organisation as o
    on o.org_code = c.org_code
group by c.org_code, o.org_name, o.org_group_sort
order by o.org_group_sort, c.org_code
"""

_RULE_SQL = """
select
    max(allocation_method) as allocation_method,
    max(driver_code) as driver_code,
    max(unit_price_sek) as unit_price_sek,
    max(rule_id) as rule_id
from marts.fct_allocation
where fiscal_year = $fiscal_year
    and scenario = $scenario
    and service_id = $service_id
"""

_POOL_SQL = """
select sum(amount_sek) as pool_sek
from marts.fct_service_cost
where fiscal_year = $fiscal_year
    and scenario = $scenario
    and service_id = $service_id
"""

_DRIVERS_SQL = """
select distinct driver_code
from marts.fct_allocation
where fiscal_year = $fiscal_year
    and scenario = $scenario
    and driver_code is not null
order by driver_code
"""

_DRIVER_VOLUMES_SQL = """
with carrier as (
    -- The service with the widest population for this driver carries its planned volumes.
    select service_id
    from marts.fct_allocation
    where fiscal_year = $fiscal_year
        and scenario = $scenario
        and driver_code = $driver_code
    group by service_id
    order by count(distinct consumer_cost_centre_code) desc, service_id
    limit 1
),

per_cost_centre as (
    select
        a.consumer_org_code as org_code,
        a.consumer_cost_centre_code,
        avg(a.driver_volume) as annual_volume
    from marts.fct_allocation as a
    where a.fiscal_year = $fiscal_year
        and a.scenario = $scenario
        and a.driver_code = $driver_code
        and a.service_id = (select service_id from carrier)
    group by a.consumer_org_code, a.consumer_cost_centre_code
)

select
    c.org_code,
    coalesce(o.org_name, c.org_code) as org_name,
    sum(c.annual_volume) as annual_volume
from per_cost_centre as c
left join marts.dim_organisation as o
    on o.org_code = c.org_code
group by c.org_code, o.org_name
order by c.org_code
"""

_SERVICES_SELECT = """
with names as (
    select service_id, service_name_sv, service_area_code
    from marts.dim_service
    where valid_from <= make_date($fiscal_year::integer, 12, 31)
    qualify row_number() over (partition by service_id order by valid_from desc) = 1
)

select distinct
    a.service_id,
    coalesce(n.service_name_sv, a.service_id) as service_name_sv,
    n.service_area_code
"""

_SERVICES_WHERE = """
left join names as n
    on n.service_id = a.service_id
where a.fiscal_year = $fiscal_year
    and a.scenario = $scenario
order by n.service_area_code nulls last, service_name_sv, a.service_id
"""

_SERVICES_SQL = _SERVICES_SELECT + "from marts.fct_allocation as a" + _SERVICES_WHERE
# The same services from the organisation-level sums (a service has rows there exactly when it
# has rows in fct_allocation); snapshots published before that mart existed use the above.
_SERVICES_ORG_MONTH_SQL = (
    _SERVICES_SELECT + "from marts.fct_allocation_org_month as a" + _SERVICES_WHERE
)


def whatif_services(principal: Principal, fiscal_year: int, scenario: str) -> pd.DataFrame:
    """Services allocated in the plan scenario (the ones a what-if can change)."""
    from dashboards.lib.queries.snapshot import has_table

    _scope(principal)
    params = {"fiscal_year": int(fiscal_year), "scenario": str(scenario)}
    if has_table(principal, "marts", "fct_allocation_org_month"):
        return query(_SERVICES_ORG_MONTH_SQL, params)
    return query(_SERVICES_SQL, params)


def whatif_drivers(principal: Principal, fiscal_year: int, scenario: str) -> list[str]:
    """Drivers with planned volumes in the scenario (the alternatives to a service's key)."""
    _scope(principal)
    df = query(_DRIVERS_SQL, {"fiscal_year": int(fiscal_year), "scenario": str(scenario)})
    return [str(d) for d in df["driver_code"]]


@dataclass(frozen=True)
class WhatIfBase:
    """The service as planned: its rule and pool (public) and its consumers (access-filtered)."""

    allocation_method: str | None
    driver_code: str | None
    unit_price_sek: Decimal | None
    rule_id: str | None
    pool_sek: Decimal
    consumer_count: int  # every consuming organisation, a count only
    rows: pd.DataFrame  # the principal's organisations only


@dataclass(frozen=True)
class WhatIfResult:
    rows: pd.DataFrame  # the principal's organisations only
    pool_before_sek: Decimal
    pool_after_sek: Decimal
    charged_after_sek: Decimal
    consumer_count_after: int
    change: Change
    pool_change_sek: Decimal  # pool after - before
    surplus_deficit_sek: Decimal  # charged after - pool after (a price list's surplus > 0)
    visible_difference_sek: Decimal  # the change for the organisations in `rows`


def _params(fiscal_year: int, scenario: str, service_id: str) -> dict[str, object]:
    return {
        "fiscal_year": int(fiscal_year),
        "scenario": str(scenario),
        "service_id": str(service_id),
    }


def _visible(principal: Principal, rows: pd.DataFrame) -> pd.DataFrame:
    keep = [may_see_org(principal, str(org)) for org in rows["org_code"]]
    return rows[keep].reset_index(drop=True)


def whatif_base(
    principal: Principal, fiscal_year: int, scenario: str, service_id: str
) -> WhatIfBase:
    """The plan allocation of one service per organisation the principal may see."""
    _scope(principal)
    params = _params(fiscal_year, scenario, service_id)
    rule = query(_RULE_SQL, params).iloc[0]
    pool = query(_POOL_SQL, params)["pool_sek"].iloc[0]
    everyone = query(_BASE_SQL, params)
    return WhatIfBase(
        allocation_method=None
        if pd.isna(rule["allocation_method"])
        else str(rule["allocation_method"]),
        driver_code=None if pd.isna(rule["driver_code"]) else str(rule["driver_code"]),
        unit_price_sek=None if pd.isna(rule["unit_price_sek"]) else Decimal(rule["unit_price_sek"]),
        rule_id=None if pd.isna(rule["rule_id"]) else str(rule["rule_id"]),
        pool_sek=Decimal(0) if pool is None or pd.isna(pool) else Decimal(pool),
        consumer_count=int((everyone["amount_sek"].map(lambda a: a is not None and a != 0)).sum()),
        rows=_visible(principal, everyone),
    )


def simulate_service(
    principal: Principal,
    fiscal_year: int,
    scenario: str,
    service_id: str,
    change: Change,
) -> WhatIfResult:
    """Re-allocate the service's plan with `change`, in memory; the principal's rows only."""
    _scope(principal)
    # A controller may only change her own organisations' volumes.
    allowed_changes = {
        org: Decimal(pct)
        for org, pct in change.volume_change_pct.items()
        if may_see_org(principal, str(org))
    }
    change = replace(change, volume_change_pct=allowed_changes)
    params = _params(fiscal_year, scenario, service_id)
    rule = query(_RULE_SQL, params).iloc[0]
    method = "" if pd.isna(rule["allocation_method"]) else str(rule["allocation_method"])
    pool_raw = query(_POOL_SQL, params)["pool_sek"].iloc[0]
    pool = Decimal(0) if pool_raw is None or pd.isna(pool_raw) else Decimal(pool_raw)
    everyone = query(_BASE_SQL, params)
    drivers = None
    if change.basis == "driver" and change.driver_code:
        drivers = query(
            _DRIVER_VOLUMES_SQL,
            {
                "fiscal_year": int(fiscal_year),
                "scenario": str(scenario),
                "driver_code": str(change.driver_code),
            },
        )
    rows, new_pool, charged = simulate(
        everyone, method=method, pool_sek=pool, change=change, driver_volumes=drivers
    )
    consumers_after = int(sum(1 for v in rows["simulated_sek"] if v != 0))
    visible = _visible(principal, rows)
    return WhatIfResult(
        rows=visible,
        pool_before_sek=pool,
        pool_after_sek=new_pool,
        charged_after_sek=charged,
        consumer_count_after=consumers_after,
        change=change,
        pool_change_sek=new_pool - pool,
        surplus_deficit_sek=charged - new_pool,
        visible_difference_sek=sum((Decimal(v) for v in visible["difference_sek"]), Decimal(0)),
    )
