{#- The allocation rule that applies to each fiscal year x scenario x service.
    Plan scenarios: the service_methods row of that year and scenario. outcome: the row of
    (year, 'outcome') when there is one, otherwise the adopted budget's row (year, 'budget'),
    so an outcome without its own rules is charged as budgeted. One row per fiscal year x
    scenario x service, with the service_methods row (file, row) it came from. -#}

with

service_methods as (

    select * from {{ ref('stg_raw__service_methods') }}

),

plan_rules as (

    select
        *,
        scenario as source_scenario
    from service_methods
    where scenario <> 'outcome'

),

outcome_candidates as (

    select
        *,
        row_number() over (
            partition by fiscal_year, service_id
            order by case when scenario = 'outcome' then 0 else 1 end
        ) as preference
    from service_methods
    where scenario in ('outcome', 'budget')

),

outcome_rules as (

    select
        * exclude (scenario, preference),
        'outcome' as scenario,
        scenario as source_scenario
    from outcome_candidates
    where preference = 1

),

unioned as (

    select * from plan_rules
    union all by name
    select * from outcome_rules

),

final as (

    select
        -- ids
        fiscal_year,
        scenario,
        service_id,
        rule_id,

        -- attributes
        allocation_method,
        driver_code,
        key_set,
        source_scenario,

        -- metadata
        _source_file,
        _source_row,
        _file_hash

    from unioned

)

select * from final
