{#- Allocated cost per fiscal year x scenario x consuming organisation (dashboards: budget per
    organisation and organisation group for each plan version). Sums fct_allocation. -#}

with

allocations as (

    select * from {{ ref('fct_allocation') }}

),

organisations as (

    select * from {{ ref('dim_organisation') }}

),

scenarios as (

    select * from {{ ref('dim_scenario') }}

),

per_org as (

    select
        fiscal_year,
        scenario,
        consumer_org_code as org_code,
        sum(amount_sek) as amount_sek
    from allocations
    group by fiscal_year, scenario, consumer_org_code

),

final as (

    select
        -- ids
        per_org.fiscal_year,
        per_org.scenario,
        scenarios.plan_version,
        per_org.org_code,

        -- attributes
        organisations.org_name,
        organisations.org_group,
        organisations.org_group_sort,

        -- measures
        cast(per_org.amount_sek as decimal(18, 2)) as amount_sek

    from per_org
    left join scenarios
        on scenarios.fiscal_year = per_org.fiscal_year
        and scenarios.scenario = per_org.scenario
    left join organisations
        on organisations.org_code = per_org.org_code

)

select * from final
