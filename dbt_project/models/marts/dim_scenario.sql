{#- Plan versions as data, plus one `outcome` row per fiscal year that has ledger rows.

    The one naming rule of the pages: a figure of a plan is called by its version's
    plan_version (as the city delivers it in plan_amounts), never by a name made up from the
    scenario. is_year_budget marks the plan every page calls the year's budget: the adopted
    budget (scenario budget), or the proposal in a year without one; is_latest_forecast the
    forecast with the highest number (forecast dates are not in the data). -#}

with

plan_amounts as (

    select * from {{ ref('stg_raw__plan_amounts') }}

),

ledger as (

    select * from {{ ref('stg_raw__ledger') }}

),

plan_scenarios as (

    select distinct
        fiscal_year,
        scenario,
        plan_version
    from plan_amounts

),

outcome_scenarios as (

    select distinct
        cast(year(period_month) as integer) as fiscal_year,
        'outcome' as scenario,
        'Utfall ' || cast(year(period_month) as varchar) as plan_version
    from ledger

),

unioned as (

    select *, false as is_outcome from plan_scenarios
    union all
    select *, true as is_outcome from outcome_scenarios

),

flagged as (

    select
        *,
        scenario = case
            when bool_or(scenario = 'budget') over (partition by fiscal_year) then 'budget'
            when bool_or(scenario = 'proposal') over (partition by fiscal_year) then 'proposal'
        end as is_year_budget,
        case
            when scenario like 'forecast_%' then cast(replace(scenario, 'forecast_', '') as integer)
        end as forecast_number
    from unioned

),

final as (

    select
        -- ids
        fiscal_year,
        scenario,

        -- attributes
        plan_version,
        cast(
            case
                when scenario = 'budget' then 1
                when scenario like 'forecast_%' then 2
                when scenario = 'proposal' then 3
                when scenario = 'outcome' then 4
                else 5
            end as integer
        ) as scenario_sort,

        -- flags
        is_outcome,
        coalesce(is_year_budget, false) as is_year_budget,
        coalesce(
            forecast_number = max(forecast_number) over (partition by fiscal_year), false
        ) as is_latest_forecast

    from flagged

)

select * from final
