{#- Cost per fiscal year x scenario x comparable service: every year's services expressed in
    today's service structure (dim_service_comparable), so that the years compare like for
    like. A service's yearly amount (fct_service_cost) is split over its comparable services
    by largest remainder on the lineage weights (exact to the öre: each year's total is
    unchanged, tested), then summed per comparable service: a split service lands on its
    successors, merged services on the service they became. -#}

with

service_costs as (

    select * from {{ ref('fct_service_cost') }}

),

comparable as (

    select * from {{ ref('int_service_lineage_resolved') }}

),

comparable_names as (

    select * from {{ ref('dim_service_comparable') }}

),

scenarios as (

    select * from {{ ref('dim_scenario') }}

),

yearly as (

    select
        fiscal_year,
        scenario,
        service_id,
        {{ sek_to_ore('sum(amount_sek)') }} as year_ore
    from service_costs
    group by fiscal_year, scenario, service_id

),

weighted as (

    select
        yearly.*,
        coalesce(comparable.comparable_service_id, yearly.service_id) as comparable_service_id,
        coalesce(comparable.weight_units, 1000000000000) as weight_units
    from yearly
    left join comparable
        on comparable.service_id = yearly.service_id
    where coalesce(comparable.weight_units, 1) > 0

),

split as (

    select *
    from {{ largest_remainder(
        'weighted',
        partition_by='fiscal_year, scenario, service_id',
        pool='year_ore',
        weight='weight_units',
        tie_breaker='comparable_service_id') }}

),

per_comparable as (

    select
        fiscal_year,
        scenario,
        comparable_service_id,
        sum(amount_ore) as amount_ore,
        sum(amount_ore) filter (where service_id = comparable_service_id) as own_amount_ore,
        count(*) as source_services,
        string_agg(service_id, ', ' order by service_id) as source_service_ids
    from split
    group by fiscal_year, scenario, comparable_service_id

),

final as (

    select
        -- ids
        per_comparable.fiscal_year,
        per_comparable.scenario,
        scenarios.plan_version,
        per_comparable.comparable_service_id,

        -- attributes
        case
            when per_comparable.comparable_service_id = 'UNALLOCATED' then 'Ej fördelat'
            else names.comparable_service_name_sv
        end as comparable_service_name_sv,
        names.comparable_service_area_code,
        per_comparable.source_service_ids,
        per_comparable.source_services,

        -- measures
        {{ ore_to_sek('per_comparable.amount_ore') }} as amount_sek,
        {{ ore_to_sek('coalesce(per_comparable.own_amount_ore, 0)') }} as own_amount_sek

    from per_comparable
    left join scenarios
        on scenarios.fiscal_year = per_comparable.fiscal_year
        and scenarios.scenario = per_comparable.scenario
    left join comparable_names as names
        on names.service_id = per_comparable.comparable_service_id
        and names.comparable_service_id = per_comparable.comparable_service_id

)

select * from final
