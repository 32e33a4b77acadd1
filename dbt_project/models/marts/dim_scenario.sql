{#- Plan versions as data, plus one `outcome` row per fiscal year that has ledger rows. -#}

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
        is_outcome

    from unioned

)

select * from final
