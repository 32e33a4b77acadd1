-- Each level of rpt_cost_vs_budget_monthly (services; areas with the lines outside them) sums to
-- the month's total cost in rpt_budget_reconciliation_monthly, in the month and to date, so that
-- Översikt's area table and Tjänster add up to the headline. Returns the months that do not.

with

lines as (

    select * from {{ ref('rpt_cost_vs_budget_monthly') }}

),

totals as (

    select * from {{ ref('rpt_budget_reconciliation_monthly') }}

),

per_level as (

    select
        period_month,
        scenario,
        line_level,
        sum(amount_sek) as amount_sek,
        sum(amount_ytd_sek) as amount_ytd_sek
    from lines
    group by period_month, scenario, line_level

)

select
    per_level.period_month,
    per_level.scenario,
    per_level.line_level,
    per_level.amount_sek,
    totals.total_sek,
    per_level.amount_ytd_sek,
    totals.total_ytd_sek
from per_level
left join totals
    on totals.period_month = per_level.period_month
    and totals.scenario = per_level.scenario
where per_level.amount_sek <> coalesce(totals.total_sek, 0)
    or per_level.amount_ytd_sek <> coalesce(totals.total_ytd_sek, 0)
