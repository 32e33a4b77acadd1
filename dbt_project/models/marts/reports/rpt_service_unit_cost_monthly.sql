{#- Volume, cost and unit cost of each service per month and scenario (the Tjänster page).

    Volume counts a service's own allocation rows only: a support-cost row (support_service_id
    set) repeats its consumer's whole driver volume to split what a support service gave the
    service, so counting it would multiply the volume by the number of support services and
    divide the unit cost by as much. Plan rows carry the planned annual quantity; the monthly
    figure of a plan is that quantity over twelve. -#}

with

service_costs as (

    select * from {{ ref('fct_service_cost') }}

),

allocations as (

    select * from {{ ref('fct_allocation') }}

),

scenarios as (

    select * from {{ ref('dim_scenario') }}

),

cost_per_month as (

    select
        period_month,
        fiscal_year,
        scenario,
        service_id,
        sum(amount_sek) as cost_sek
    from service_costs
    group by period_month, fiscal_year, scenario, service_id

),

charges_per_month as (

    select
        period_month,
        fiscal_year,
        scenario,
        service_id,
        sum(driver_volume) filter (where support_service_id is null) as driver_volume,
        sum(amount_sek) as charged_sek,
        sum(amount_sek) filter (where support_service_id is not null) as support_charged_sek,
        max(unit_price_sek) filter (where support_service_id is null) as unit_price_sek,
        max(price_source) as price_source,
        count(distinct consumer_org_code) as consumer_orgs
    from allocations
    group by period_month, fiscal_year, scenario, service_id

),

joined as (

    select
        coalesce(charges.period_month, costs.period_month) as period_month,
        coalesce(charges.fiscal_year, costs.fiscal_year) as fiscal_year,
        coalesce(charges.scenario, costs.scenario) as scenario,
        coalesce(charges.service_id, costs.service_id) as service_id,
        costs.cost_sek,
        charges.charged_sek,
        charges.support_charged_sek,
        charges.driver_volume,
        charges.unit_price_sek,
        charges.price_source,
        charges.consumer_orgs
    from charges_per_month as charges
    full outer join cost_per_month as costs
        on costs.period_month = charges.period_month
        and costs.scenario = charges.scenario
        and costs.service_id = charges.service_id

),

final as (

    select
        -- ids
        joined.period_month,
        joined.fiscal_year,
        joined.scenario,
        scenarios.plan_version,
        joined.service_id,

        -- measures
        cast(joined.cost_sek as decimal(18, 2)) as cost_sek,
        cast(joined.charged_sek as decimal(18, 2)) as charged_sek,
        cast(coalesce(joined.support_charged_sek, 0) as decimal(18, 2)) as support_charged_sek,
        cast(joined.driver_volume as decimal(18, 3)) as driver_volume,
        cast(
            case
                when joined.scenario = 'outcome' then joined.driver_volume
                else joined.driver_volume / 12
            end as decimal(18, 3)
        ) as volume_per_month,
        cast(
            case
                when joined.scenario = 'outcome' and joined.driver_volume <> 0
                    then joined.cost_sek / joined.driver_volume
                when joined.scenario <> 'outcome' and joined.driver_volume <> 0
                    then joined.cost_sek * 12 / joined.driver_volume
            end as decimal(18, 4)
        ) as unit_cost_sek,
        cast(joined.unit_price_sek as decimal(18, 4)) as unit_price_sek,
        joined.price_source,
        coalesce(joined.consumer_orgs, 0) as consumer_orgs

    from joined
    left join scenarios
        on scenarios.fiscal_year = joined.fiscal_year
        and scenarios.scenario = joined.scenario

)

select * from final
