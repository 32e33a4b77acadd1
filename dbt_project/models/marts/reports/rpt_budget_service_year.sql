{#- Cost per fiscal year x scenario x service x cost type (dashboards: budget per service for
    each plan version, and outcome). Sums fct_service_cost; names are those of the service
    version valid at the end of the year (or its last month with data). -#}

with

service_costs as (

    select * from {{ ref('fct_service_cost') }}

),

services as (

    select * from {{ ref('dim_service') }}

),

scenarios as (

    select * from {{ ref('dim_scenario') }}

),

per_service as (

    select
        fiscal_year,
        scenario,
        service_id,
        cost_type,
        max(period_month) as last_period_month,
        sum(amount_sek) as amount_sek
    from service_costs
    group by fiscal_year, scenario, service_id, cost_type

),

final as (

    select
        -- ids
        per_service.fiscal_year,
        per_service.scenario,
        scenarios.plan_version,
        per_service.service_id,

        -- attributes
        case
            when per_service.service_id = 'UNALLOCATED' then 'Ej fördelat'
            else services.service_name_sv
        end as service_name_sv,
        services.service_area_code,
        per_service.cost_type,

        -- measures
        cast(per_service.amount_sek as decimal(18, 2)) as amount_sek

    from per_service
    left join scenarios
        on scenarios.fiscal_year = per_service.fiscal_year
        and scenarios.scenario = per_service.scenario
    left join services
        on services.service_id = per_service.service_id
        and {{ is_valid_version('services', on='per_service.last_period_month') }}

)

select * from final
