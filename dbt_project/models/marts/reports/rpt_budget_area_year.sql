{#- Cost per fiscal year x scenario x service area x cost type (dashboards: budget per service
    area for each plan version, and outcome). Sums fct_service_cost, so the balancing line
    (Reglering, no area) and the unallocated outcome pool appear as rows with a null
    service_area_code, named after the line. -#}

with

service_costs as (

    select * from {{ ref('fct_service_cost') }}

),

service_areas as (

    select * from {{ ref('dim_service_area') }}

),

services as (

    select * from {{ ref('dim_service') }}

),

scenarios as (

    select * from {{ ref('dim_scenario') }}

),

with_labels as (

    select
        service_costs.*,
        case
            when service_costs.service_area_code is not null then service_areas.name_sv
            when service_costs.is_unallocated then 'Ej fördelat'
            else services.service_name_sv
        end as service_area_name_sv
    from service_costs
    left join service_areas
        on service_areas.service_area_code = service_costs.service_area_code
    left join services
        on services.service_id = service_costs.service_id
        and {{ is_valid_version('services', on='service_costs.period_month') }}

),

per_area as (

    select
        fiscal_year,
        scenario,
        service_area_code,
        service_area_name_sv,
        cost_type,
        sum(amount_sek) as amount_sek
    from with_labels
    group by fiscal_year, scenario, service_area_code, service_area_name_sv, cost_type

),

final as (

    select
        -- ids
        per_area.fiscal_year,
        per_area.scenario,
        scenarios.plan_version,
        per_area.service_area_code,

        -- attributes
        per_area.service_area_name_sv,
        per_area.cost_type,

        -- measures
        cast(per_area.amount_sek as decimal(18, 2)) as amount_sek

    from per_area
    left join scenarios
        on scenarios.fiscal_year = per_area.fiscal_year
        and scenarios.scenario = per_area.scenario

)

select * from final
