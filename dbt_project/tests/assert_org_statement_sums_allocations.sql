-- rpt_org_statement_monthly: each organisation row is the sum of its service rows, and each
-- level sums to the charges of fct_allocation_org_month (outcome and the year's budget) per
-- organisation and month. Returns the organisation months that do not.

with

statement as (

    select * from {{ ref('rpt_org_statement_monthly') }}

),

charges as (

    select * from {{ ref('fct_allocation_org_month') }}

),

scenarios as (

    select * from {{ ref('dim_scenario') }}

),

charged as (

    select
        charges.period_month,
        charges.consumer_org_code,
        coalesce(sum(charges.amount_sek) filter (where charges.scenario = 'outcome'), 0)
            as outcome_sek,
        coalesce(sum(charges.amount_sek) filter (where scenarios.is_year_budget), 0)
            as budget_sek
    from charges
    left join scenarios
        on scenarios.fiscal_year = charges.fiscal_year
        and scenarios.scenario = charges.scenario
    group by charges.period_month, charges.consumer_org_code

),

per_level as (

    select
        period_month,
        consumer_org_code,
        line_level,
        coalesce(sum(outcome_sek), 0) as outcome_sek,
        sum(budget_sek) as budget_sek,
        sum(outcome_ytd_sek) as outcome_ytd_sek,
        sum(budget_ytd_sek) as budget_ytd_sek
    from statement
    group by period_month, consumer_org_code, line_level

),

levels_disagree as (

    select
        services.period_month,
        services.consumer_org_code,
        'organisation row is not the sum of its services' as what
    from per_level as services
    inner join per_level as org
        on org.period_month = services.period_month
        and org.consumer_org_code = services.consumer_org_code
        and org.line_level = 'organisation'
    where services.line_level = 'service'
        and (
            services.outcome_sek <> org.outcome_sek
            or services.budget_sek <> org.budget_sek
            or services.outcome_ytd_sek is distinct from org.outcome_ytd_sek
            or services.budget_ytd_sek <> org.budget_ytd_sek
        )

),

charges_disagree as (

    select
        per_level.period_month,
        per_level.consumer_org_code,
        'differs from fct_allocation_org_month' as what
    from per_level
    left join charged
        on charged.period_month = per_level.period_month
        and charged.consumer_org_code = per_level.consumer_org_code
    where per_level.outcome_sek <> coalesce(charged.outcome_sek, 0)
        or per_level.budget_sek <> coalesce(charged.budget_sek, 0)

)

select * from levels_disagree
union all
select * from charges_disagree
