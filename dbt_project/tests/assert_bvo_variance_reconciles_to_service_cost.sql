-- Budget versus outcome: per plan scenario x month x service x cost type, the report's plan
-- and outcome lines (consumers plus the uncharged 'UNALLOCATED' line) add up to the pools of
-- fct_service_cost, to the öre, and every pool of a compared month is in the report.
-- Returns the service-months that do not reconcile.

-- Dagster shows this as an asset check of rpt_budget_vs_outcome_monthly.
{{ config(meta={'dagster': {'ref': {'name': 'rpt_budget_vs_outcome_monthly'}}}) }}

with

lines as (

    select * from {{ ref('rpt_budget_vs_outcome_monthly') }}

),

service_costs as (

    select * from {{ ref('fct_service_cost') }}

),

reported as (

    select
        plan_scenario,
        period_month,
        service_id,
        cost_type,
        sum(plan_sek) as plan_sek,
        sum(outcome_sek) as outcome_sek
    from lines
    group by plan_scenario, period_month, service_id, cost_type

),

compared_months as (

    select distinct fiscal_year, plan_scenario, period_month from lines

),

pools as (

    select
        compared_months.plan_scenario,
        compared_months.period_month,
        service_costs.service_id,
        service_costs.cost_type,
        sum(case when service_costs.scenario = compared_months.plan_scenario then amount_sek else 0 end)
            as plan_sek,
        sum(case when service_costs.scenario = 'outcome' then amount_sek else 0 end) as outcome_sek
    from compared_months
    inner join service_costs
        on service_costs.period_month = compared_months.period_month
        and service_costs.scenario in (compared_months.plan_scenario, 'outcome')
    group by all

),

final as (

    select
        coalesce(pools.plan_scenario, reported.plan_scenario) as plan_scenario,
        coalesce(pools.period_month, reported.period_month) as period_month,
        coalesce(pools.service_id, reported.service_id) as service_id,
        coalesce(pools.cost_type, reported.cost_type) as cost_type,
        pools.plan_sek as pool_plan_sek,
        reported.plan_sek as reported_plan_sek,
        pools.outcome_sek as pool_outcome_sek,
        reported.outcome_sek as reported_outcome_sek
    from pools
    full outer join reported
        on reported.plan_scenario = pools.plan_scenario
        and reported.period_month = pools.period_month
        and reported.service_id = pools.service_id
        and reported.cost_type = pools.cost_type
    where coalesce(pools.plan_sek, 0) <> coalesce(reported.plan_sek, 0)
        or coalesce(pools.outcome_sek, 0) <> coalesce(reported.outcome_sek, 0)

)

select * from final
