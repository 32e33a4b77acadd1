{#- Allocation weights of the outcome scenario, per month x service x consumer cost centre.

    Rule: int_allocation_rules_resolved (the service_methods row for (fiscal year, 'outcome')
    if there is one, otherwise the adopted budget's row).
    fixed_key     that rule's key set (share on the default cost centre), every month of the
                  year that has outcome pools; weight unit 10^-12.
    driver_share  actual volumes of the month (volumes) per cost centre, restricted to the
    price_list    rule's key-set population as in the plan; weight unit 10^-3. price_list
                  rows are not split by weight but charged at the year's unit price
                  (int_outcome_price_list_charged, int_price_list_prices_resolved).
    Key and cost-centre versions count for a year when their validity overlaps it. -#}

{#- A view: materialising ~10^6 weight rows costs more (DuckDB's write of many text columns)
    than computing them where they are read (int_pool_weights_joined,
    int_outcome_price_list_charged and int_price_list_prices_resolved). -#}
{{ config(materialized='view') }}


with

outcome_rules as (

    select * from {{ ref('int_allocation_rules_resolved') }}
    where scenario = 'outcome'

),

allocation_keys as (

    select * from {{ ref('stg_raw__allocation_keys') }}

),

cost_centres as (

    select * from {{ ref('stg_raw__cost_centres') }}

),

volumes as (

    select * from {{ ref('stg_raw__volumes') }}

),

outcome_pools as (

    select * from {{ ref('int_outcome_pools_monthly') }}
    where not is_unallocated

),

outcome_months as (

    select distinct fiscal_year, period_month
    from outcome_pools

),

keys_in_year as (

    select
        outcome_rules.fiscal_year,
        outcome_rules.service_id,
        outcome_rules.allocation_method,
        allocation_keys.org_code,
        allocation_keys.share
    from outcome_rules
    {{ join_rule_key_shares('outcome_rules') }}

),

fixed_key_weights as (

    select
        outcome_rules.fiscal_year,
        outcome_months.period_month,
        outcome_rules.service_id,
        outcome_rules.rule_id,
        outcome_rules.allocation_method,
        cast(null as varchar) as driver_code,
        keys_in_year.org_code as consumer_org_code,
        default_cost_centres.cost_centre_code as consumer_cost_centre_code,
        keys_in_year.share as key_share,
        cast(null as decimal(18, 3)) as driver_volume,
        {{ key_share_weight_units('keys_in_year.share') }} as weight_units
    from outcome_rules
    inner join keys_in_year
        on keys_in_year.fiscal_year = outcome_rules.fiscal_year
        and keys_in_year.service_id = outcome_rules.service_id
    inner join outcome_months
        on outcome_months.fiscal_year = outcome_rules.fiscal_year
    {{ join_default_cost_centre('keys_in_year.org_code', 'outcome_rules.fiscal_year') }}
    where outcome_rules.allocation_method = 'fixed_key'

),

volumes_with_org as (

    select
        cast(year(volumes.period_month) as integer) as fiscal_year,
        volumes.period_month,
        volumes.driver_code,
        volumes.cost_centre_code,
        cost_centres.org_code,
        volumes.quantity
    from volumes
    left join cost_centres
        on cost_centres.cost_centre_code = volumes.cost_centre_code
    where volumes.quantity > 0

),

driver_weights as (

    select
        outcome_rules.fiscal_year,
        volumes_with_org.period_month,
        outcome_rules.service_id,
        outcome_rules.rule_id,
        outcome_rules.allocation_method,
        outcome_rules.driver_code,
        volumes_with_org.org_code as consumer_org_code,
        volumes_with_org.cost_centre_code as consumer_cost_centre_code,
        cast(null as decimal(18, 12)) as key_share,
        volumes_with_org.quantity as driver_volume,
        {{ driver_volume_weight_units('volumes_with_org.quantity') }} as weight_units
    from outcome_rules
    inner join volumes_with_org
        on volumes_with_org.fiscal_year = outcome_rules.fiscal_year
        and volumes_with_org.driver_code = outcome_rules.driver_code
    left join keys_in_year as populations
        on populations.fiscal_year = outcome_rules.fiscal_year
        and populations.service_id = outcome_rules.service_id
        and populations.org_code = volumes_with_org.org_code
    where outcome_rules.allocation_method in ('driver_share', 'price_list')
        and (outcome_rules.key_set is null or populations.org_code is not null)

),

unioned as (

    select * from fixed_key_weights
    union all
    select * from driver_weights

),

-- allocation_method is constant per service and month; grouping by it too lets a filter on
-- the method reach below the join.
with_totals as (

    {{ with_total_weight_units('unioned', ['period_month', 'service_id', 'allocation_method']) }}

),

final as (

    select
        -- ids
        fiscal_year,
        service_id,
        rule_id,
        consumer_org_code,
        consumer_cost_centre_code,

        -- dates
        period_month,

        -- attributes
        allocation_method,
        driver_code,

        -- measures
        key_share,
        driver_volume,
        weight_units,
        total_weight_units,
        -- w_i / W rounded to 12 decimals (for display; amounts use the exact ratio)
        {{ share_of('weight_units', 'total_weight_units') }} as share

    from with_totals

)

select * from final
