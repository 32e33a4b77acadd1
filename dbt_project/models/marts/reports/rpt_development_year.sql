{#- Development money per fiscal year and scenario: the one development total of a plan version
    or the outcome (fct_service_cost, cost_type development), and how much of it the
    initiatives account for: in a plan the initiatives' plans of the year (the initiative plan
    is not versioned, so every plan version of a year has the same), in the outcome their
    spend. other_sek is the rest (development money on no initiative; negative when the
    initiatives plan more than the version budgets). Pages show the total and its two parts,
    never a second total. -#}

with

service_costs as (

    select * from {{ ref('fct_service_cost') }}

),

initiatives as (

    select * from {{ ref('fct_initiative_plan_vs_spend') }}

),

scenarios as (

    select * from {{ ref('dim_scenario') }}

),

development as (

    select
        fiscal_year,
        scenario,
        sum(amount_sek) as development_sek
    from service_costs
    where cost_type = 'development'
    group by fiscal_year, scenario

),

initiatives_per_year as (

    select
        fiscal_year,
        sum(plan_sek) as plan_sek,
        sum(spend_sek) as spend_sek
    from initiatives
    group by fiscal_year

),

with_initiatives as (

    select
        scenarios.fiscal_year,
        scenarios.scenario,
        scenarios.plan_version,
        scenarios.is_outcome,
        scenarios.is_year_budget,
        coalesce(development.development_sek, 0) as development_sek,
        -- In a plan the initiatives' plans of the year, in the outcome their spend.
        coalesce(
            case
                when scenarios.is_outcome then initiatives_per_year.spend_sek
                else initiatives_per_year.plan_sek
            end,
            0
        ) as initiatives_sek,
        coalesce(initiatives_per_year.plan_sek, 0) as initiatives_plan_sek,
        coalesce(initiatives_per_year.spend_sek, 0) as initiatives_spend_sek
    from scenarios
    left join development
        on development.fiscal_year = scenarios.fiscal_year
        and development.scenario = scenarios.scenario
    left join initiatives_per_year
        on initiatives_per_year.fiscal_year = scenarios.fiscal_year
    where development.development_sek is not null
        or initiatives_per_year.fiscal_year is not null

),

final as (

    select
        -- ids
        fiscal_year,
        scenario,
        plan_version,

        -- measures
        cast(development_sek as decimal(18, 2)) as development_sek,
        cast(initiatives_sek as decimal(18, 2)) as initiatives_sek,
        cast(development_sek - initiatives_sek as decimal(18, 2)) as other_sek,

        -- the year's initiatives, the same on every row of the year (Översikt's glance)
        cast(initiatives_plan_sek as decimal(18, 2)) as initiatives_plan_sek,
        cast(initiatives_spend_sek as decimal(18, 2)) as initiatives_spend_sek,
        cast(
            case when initiatives_plan_sek <> 0 then initiatives_spend_sek / initiatives_plan_sek end
            as decimal(18, 6)
        ) as initiatives_spend_share,

        -- flags
        is_outcome,
        is_year_budget

    from with_initiatives

)

select * from final
