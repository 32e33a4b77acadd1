"""Budget versus outcome, year-end forecast, initiatives, KPIs and the like-for-like history.

These marts came later than the first pages; a snapshot published before them does not have
them. Every function here returns None in that case (the page says so), never made-up figures:
a table counts as present only with every column the statement reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pandas as pd

from dashboards.lib.auth import Principal
from dashboards.lib.db import query
from dashboards.lib.format import Lang, to_decimal
from dashboards.lib.queries._common import decimal_sum
from dashboards.lib.queries._common import scope as _scope

# --- Budget versus outcome -----------------------------------------------------------------------

COMPONENTS = ("volume", "price", "key", "mix")

# Service level = the sum over every consumer (and the uncharged part), i.e. the service's pool:
# a city-wide figure like the service totals, the same for every role, with its sentence as dbt
# writes it; no organisation rows leave this statement.
_SERVICE_VARIANCE_SQL = """
select
    service_id,
    variance_ytd_sek,
    volume_effect_ytd_sek,
    price_effect_ytd_sek,
    key_effect_ytd_sek,
    mix_residual_ytd_sek,
    sentence_ytd_sv,
    sentence_ytd_en
from marts.rpt_service_variance_ytd
where fiscal_year = $fiscal_year
    and period_month = $through_month
    and plan_scenario = $plan_scenario
    and list_contains($service_ids::varchar[], service_id)
order by service_id
"""


@dataclass(frozen=True)
class VarianceExplanation:
    """Why a service's outcome differs from plan, year to date: the four components (they add
    up to the variance exactly) and the sentence that says it."""

    variance_sek: Decimal
    components: dict[str, Decimal]
    sentence: str


def variance_explanations(
    principal: Principal,
    fiscal_year: int,
    through_month: date,
    plan_scenario: str,
    service_ids: list[str],
    lang: Lang,
) -> dict[str, VarianceExplanation]:
    """Per service, the variance against `plan_scenario` year to date through `through_month`,
    decomposed into volume, price, key and mix, with its sentence."""
    _scope(principal)
    df = query(
        _SERVICE_VARIANCE_SQL,
        {
            "fiscal_year": int(fiscal_year),
            "through_month": through_month,
            "plan_scenario": str(plan_scenario),
            "service_ids": [str(s) for s in service_ids],
        },
    )
    sentence = "sentence_ytd_en" if lang == "en" else "sentence_ytd_sv"
    return {
        str(row["service_id"]): VarianceExplanation(
            variance_sek=decimal_sum([row["variance_ytd_sek"]]),
            components={
                "volume": decimal_sum([row["volume_effect_ytd_sek"]]),
                "price": decimal_sum([row["price_effect_ytd_sek"]]),
                "key": decimal_sum([row["key_effect_ytd_sek"]]),
                "mix": decimal_sum([row["mix_residual_ytd_sek"]]),
            },
            sentence=str(row[sentence]),
        )
        for row in df.to_dict("records")
    }


_ORG_VARIANCE_SQL = """
select
    service_id,
    plan_ytd_sek,
    outcome_ytd_sek,
    variance_ytd_sek,
    volume_effect_ytd_sek,
    price_effect_ytd_sek,
    key_effect_ytd_sek,
    mix_residual_ytd_sek,
    sentence_ytd_sv,
    sentence_ytd_en
from marts.rpt_budget_vs_outcome_monthly
where fiscal_year = $fiscal_year
    and period_month = $through_month
    and plan_scenario = $plan_scenario
    and consumer_org_code = $org_code
    -- Access control: controllers see only their organisations.
    and (not $restricted or list_contains($allowed_orgs::varchar[], consumer_org_code))
"""


def org_variance_sentences(
    principal: Principal,
    org_code: str,
    fiscal_year: int,
    through_month: date,
    plan_scenario: str,
    lang: Lang,
) -> dict[str, str]:
    """The organisation's own variance sentence per service, year to date (one sentence per
    service; a service with both cost types gets both)."""
    df = query(
        _ORG_VARIANCE_SQL,
        _scope(principal)
        | {
            "org_code": str(org_code),
            "fiscal_year": int(fiscal_year),
            "through_month": through_month,
            "plan_scenario": str(plan_scenario),
        },
    )
    column = "sentence_ytd_en" if lang == "en" else "sentence_ytd_sv"
    out: dict[str, str] = {}
    for service_id, rows in df.groupby("service_id"):
        texts = [str(s) for s in rows[column] if isinstance(s, str) and s]
        if texts:
            out[str(service_id)] = " · ".join(dict.fromkeys(texts))
    return out


# --- Year-end forecast ---------------------------------------------------------------------------


_FORECAST_BY_LINE_SQL = """
with made_at as (
    select max(as_of_month) as as_of_month
    from marts.rpt_year_end_forecast
    where fiscal_year = $fiscal_year
        and as_of_month <= $through_month
)

select
    f.service_area_code,
    -- Lines outside the areas by the name the data gives them (Reglering, Ej fördelat).
    case
        when f.service_area_code is not null then null
        when f.is_unallocated then 'Ej fördelat'
        else f.service_name_sv
    end as line_name_sv,
    max(f.profile_basis) as profile_basis,
    sum(f.forecast_full_year_sek) as forecast_full_year_sek
from marts.rpt_year_end_forecast as f, made_at
where f.fiscal_year = $fiscal_year
    and f.as_of_month = made_at.as_of_month
group by all
"""


@dataclass(frozen=True)
class YearEndForecast:
    """The computed forecast made at a month: per service area (and per line outside them)."""

    by_area: dict[str, Decimal]
    by_other_line: dict[str, Decimal]
    profile_basis: str | None

    @property
    def total(self) -> Decimal:
        return sum(self.by_area.values(), Decimal(0)) + sum(self.by_other_line.values(), Decimal(0))


def year_end_forecast(
    principal: Principal, fiscal_year: int, through_month: date
) -> YearEndForecast | None:
    """The run-rate year-end forecast of `rpt_year_end_forecast` as of `through_month` (city
    level); None when it has no forecast that early."""
    _scope(principal)
    df = query(
        _FORECAST_BY_LINE_SQL, {"fiscal_year": int(fiscal_year), "through_month": through_month}
    )
    if df.empty:
        return None
    by_area: dict[str, Decimal] = {}
    others: dict[str, Decimal] = {}
    for row in df.itertuples(index=False):
        amount = decimal_sum([row.forecast_full_year_sek])
        if isinstance(row.service_area_code, str):
            by_area[row.service_area_code] = by_area.get(row.service_area_code, Decimal(0)) + amount
        else:
            name = str(row.line_name_sv)
            others[name] = others.get(name, Decimal(0)) + amount
    bases = {str(b) for b in df["profile_basis"] if isinstance(b, str)}
    return YearEndForecast(by_area, others, bases.pop() if len(bases) == 1 else None)


# --- Development initiatives ---------------------------------------------------------------------


_INITIATIVES_SQL = """
select
    i.initiative_id,
    i.fiscal_year,
    i.service_area_code,
    a.name_sv as service_area_name_sv,
    i.service_id,
    i.name_sv,
    i.priority,
    i.financing_channel,
    i.status,
    i.plan_sek,
    i.spend_sek,
    i.remaining_sek,
    i.spend_share,
    i.benefit_indicator_code,
    i.benefit_indicator_value,
    i.benefit_indicator_target,
    i.is_benefit_target_met,
    i.as_of_month
from marts.fct_initiative_plan_vs_spend as i
left join marts.dim_service_area as a
    on a.service_area_code = i.service_area_code
order by i.service_area_code, i.priority nulls last, i.initiative_id, i.fiscal_year
"""


def initiatives_plan_vs_spend(principal: Principal) -> pd.DataFrame:
    """Every initiative x year: plan, spend, status, benefit indicator.
    City-level (initiatives are the city's, not an organisation's)."""
    _scope(principal)
    return query(_INITIATIVES_SQL)


_DEVELOPMENT_SQL = """
select
    fiscal_year,
    scenario,
    plan_version,
    is_outcome,
    is_year_budget,
    development_sek,
    initiatives_sek,
    other_sek
from marts.rpt_development_year
order by fiscal_year, is_outcome, scenario
"""


def development_by_year(principal: Principal) -> pd.DataFrame:
    """Per fiscal year and plan version (and the outcome): the one development total and the
    part of it the initiatives account for (plans, or spend in the outcome), SEK; city-level."""
    _scope(principal)
    return query(_DEVELOPMENT_SQL)


@dataclass(frozen=True)
class InitiativesSummary:
    initiatives: int
    plan_sek: Decimal
    spend_sek: Decimal
    spend_share: Decimal | None
    by_status: dict[str, int]


_INITIATIVE_TOTALS_SQL = """
select initiatives_plan_sek, initiatives_spend_sek, initiatives_spend_share
from marts.rpt_development_year
where fiscal_year = $fiscal_year
limit 1
"""


def initiatives_summary(principal: Principal, fiscal_year: int) -> InitiativesSummary:
    """The year's initiatives at a glance: count, plan and spend (SEK), count per status."""
    df = initiatives_plan_vs_spend(principal)
    rows = df[df["fiscal_year"] == fiscal_year]
    # The amounts are the year's columns of rpt_development_year; the counts are of initiatives.
    totals = query(_INITIATIVE_TOTALS_SQL, {"fiscal_year": int(fiscal_year)})
    year = totals.iloc[0] if len(totals) else None
    return InitiativesSummary(
        initiatives=int(rows["initiative_id"].nunique()),
        plan_sek=decimal_sum([year["initiatives_plan_sek"] if year is not None else None]),
        spend_sek=decimal_sum([year["initiatives_spend_sek"] if year is not None else None]),
        spend_share=to_decimal(year["initiatives_spend_share"]) if year is not None else None,
        by_status={
            str(k): int(v) for k, v in rows.groupby("status")["initiative_id"].nunique().items()
        },
    )


# --- KPIs ----------------------------------------------------------------------------------------


_KPIS_SQL = """
select
    k.kpi_code,
    k.period_month,
    k.org_code,
    o.org_name,
    k.kpi_name_sv,
    k.kpi_name_en,
    k.unit,
    k.target_direction,
    k.value,
    k.target,
    k.is_city_wide,
    k.is_target_in_force,
    k.is_target_met
from marts.fct_kpi as k
left join marts.dim_organisation as o
    on o.org_code = k.org_code
-- The city-wide values ('ALL') are public; per organisation only the principal's.
where k.org_code = 'ALL'
    or not $restricted
    or list_contains($allowed_orgs::varchar[], k.org_code)
order by k.kpi_code, k.org_code <> 'ALL', k.org_code, k.period_month
"""


def kpis(principal: Principal) -> pd.DataFrame:
    """Benefit indicators per month: the city's and the visible organisations'."""
    return query(_KPIS_SQL, _scope(principal))


# --- Like for like across years ------------------------------------------------------------------


_COMPARABLE_SQL = """
with names as (
    select service_id, service_name_sv
    from marts.dim_service
    qualify row_number() over (partition by service_id order by valid_from desc) = 1
)

select
    c.service_id,
    n.service_name_sv,
    c.comparable_service_id,
    c.comparable_service_name_sv,
    c.relation,
    c.hops,
    c.weight
from marts.dim_service_comparable as c
left join names as n
    on n.service_id = c.service_id
where (c.service_id = $service_id or c.comparable_service_id = $service_id)
    and not (c.service_id = c.comparable_service_id and c.relation = 'same')
order by c.comparable_service_id, c.service_id
"""

_LIKE_FOR_LIKE_SQL = """
select
    fiscal_year,
    scenario,
    plan_version,
    comparable_service_id,
    amount_sek,
    own_amount_sek
from marts.rpt_service_like_for_like_year
where comparable_service_id = $service_id
order by fiscal_year, scenario
"""


def service_lineage(principal: Principal, service_id: str) -> pd.DataFrame:
    """How the service maps to and from other years' services (splits, merges, renames,
    moves), from `dim_service_comparable`."""
    _scope(principal)
    return query(_COMPARABLE_SQL, {"service_id": str(service_id)})


def service_like_for_like(principal: Principal, service_id: str) -> pd.DataFrame:
    """The service's cost per year and scenario in today's service structure (earlier years
    mapped onto today's services through the lineage)."""
    _scope(principal)
    return query(_LIKE_FOR_LIKE_SQL, {"service_id": str(service_id)})
