{#- Allocation weight per fiscal year x plan scenario x service x consumer cost centre.

    fixed_key     the organisation's share in allocation_keys for (key_set, service), placed on
    direct        the organisation's default cost centre (is_default); weight unit 10^-12. A
                  direct service's plan line has no ledger rows to name its consumers, so the
                  rule's key set (the expected consumers' shares) splits it like a fixed key;
                  the rows keep allocation_method 'direct'.
    driver_share  planned annual quantity of the rule's driver per cost centre (planned_volumes
    price_list    for the same year and scenario); when the rule names a key_set, only cost
                  centres of organisations with share > 0 in that key set for the same
                  service take part; weight unit 10^-3.

    A key or cost-centre version counts for a fiscal year when its validity overlaps the year.
    Zero weights are dropped (they would only add zero rows). An unknown cost centre or an
    organisation without a default cost centre keeps a row with a null code, so that the
    not_null tests stop the build instead of the pool silently going to the others. -#}

{#- A view: materialising ~10^6 weight rows costs more (DuckDB's write of many text columns)
    than computing them where they are read (int_pool_weights_joined and
    int_price_list_prices_resolved). -#}
{{ config(materialized='view') }}


with

service_methods as (

    select * from {{ ref('int_allocation_rules_resolved') }}
    where scenario <> 'outcome'

),

allocation_keys as (

    select * from {{ ref('stg_raw__allocation_keys') }}

),

cost_centres as (

    select * from {{ ref('stg_raw__cost_centres') }}

),

planned_volumes as (

    select * from {{ ref('stg_raw__planned_volumes') }}

),

fixed_key_rules as (

    select * from service_methods
    where allocation_method in ('fixed_key', 'direct')

),

driver_rules as (

    select * from service_methods
    where allocation_method in ('driver_share', 'price_list')

),

fixed_key_shares as (

    select
        fixed_key_rules.fiscal_year,
        fixed_key_rules.scenario,
        fixed_key_rules.service_id,
        fixed_key_rules.rule_id,
        fixed_key_rules.allocation_method,
        fixed_key_rules.key_set,
        allocation_keys.org_code,
        allocation_keys.share
    from fixed_key_rules
    {{ join_rule_key_shares('fixed_key_rules') }}

),

fixed_key_weights as (

    select
        fixed_key_shares.fiscal_year,
        fixed_key_shares.scenario,
        fixed_key_shares.service_id,
        fixed_key_shares.rule_id,
        fixed_key_shares.allocation_method,
        cast(null as varchar) as driver_code,
        fixed_key_shares.key_set,
        fixed_key_shares.org_code as consumer_org_code,
        default_cost_centres.cost_centre_code as consumer_cost_centre_code,
        fixed_key_shares.share as key_share,
        cast(null as decimal(18, 3)) as driver_volume,
        {{ key_share_weight_units('fixed_key_shares.share') }} as weight_units
    from fixed_key_shares
    {{ join_default_cost_centre('fixed_key_shares.org_code', 'fixed_key_shares.fiscal_year') }}

),

populations as (

    select distinct
        driver_rules.fiscal_year,
        driver_rules.scenario,
        driver_rules.service_id,
        allocation_keys.org_code
    from driver_rules
    {{ join_rule_key_shares('driver_rules') }}

),

volumes_with_org as (

    select
        planned_volumes.fiscal_year,
        planned_volumes.scenario,
        planned_volumes.driver_code,
        planned_volumes.cost_centre_code,
        cost_centres.org_code,
        planned_volumes.quantity
    from planned_volumes
    left join cost_centres
        on cost_centres.cost_centre_code = planned_volumes.cost_centre_code
    where planned_volumes.quantity > 0

),

driver_weights as (

    select
        driver_rules.fiscal_year,
        driver_rules.scenario,
        driver_rules.service_id,
        driver_rules.rule_id,
        driver_rules.allocation_method,
        driver_rules.driver_code,
        driver_rules.key_set,
        volumes_with_org.org_code as consumer_org_code,
        volumes_with_org.cost_centre_code as consumer_cost_centre_code,
        cast(null as decimal(18, 12)) as key_share,
        volumes_with_org.quantity as driver_volume,
        {{ driver_volume_weight_units('volumes_with_org.quantity') }} as weight_units
    from driver_rules
    inner join volumes_with_org
        on volumes_with_org.fiscal_year = driver_rules.fiscal_year
        and volumes_with_org.scenario = driver_rules.scenario
        and volumes_with_org.driver_code = driver_rules.driver_code
    left join populations
        on populations.fiscal_year = driver_rules.fiscal_year
        and populations.scenario = driver_rules.scenario
        and populations.service_id = driver_rules.service_id
        and populations.org_code = volumes_with_org.org_code
    where driver_rules.key_set is null
        or populations.org_code is not null

),

unioned as (

    select * from fixed_key_weights
    union all
    select * from driver_weights

),

with_totals as (

    {{ with_total_weight_units('unioned', ['fiscal_year', 'scenario', 'service_id', 'allocation_method']) }}

),

final as (

    select
        -- ids
        fiscal_year,
        scenario,
        service_id,
        rule_id,
        consumer_org_code,
        consumer_cost_centre_code,

        -- attributes
        allocation_method,
        driver_code,
        key_set,

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
