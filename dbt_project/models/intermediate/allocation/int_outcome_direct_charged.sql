{#- Outcome of services charged directly (rule method 'direct'): the ledger row already names
    the consumer, in its cost_centre_code. One row per month x service x consumer cost centre:
    the sum of the service's mapped ledger rows on that cost centre, exactly (no rounding).
    share = the cost centre's part of the month's pool (12 decimals, for display).
    A row whose cost centre is not a known consumer cost centre keeps a null organisation, so
    the not_null test on fct_allocation stops the build rather than the amount vanishing.
    What a direct service receives from support services has no ledger row of its own: it
    follows these charges per organisation (int_outcome_direct_support_weights). -#}

with

mapped_costs as (

    select * from {{ ref('int_costs_mapped_to_services') }}
    where not is_unallocated

),

rules as (

    select * from {{ ref('int_allocation_rules_resolved') }}
    where scenario = 'outcome'
        and allocation_method = 'direct'

),

cost_centres as (

    select * from {{ ref('stg_raw__cost_centres') }}

),

charged as (

    select
        mapped_costs.fiscal_year,
        mapped_costs.period_month,
        mapped_costs.service_id,
        mapped_costs.cost_type,
        rules.rule_id,
        rules.allocation_method,
        mapped_costs.cost_centre_code,
        {{ sek_to_ore('sum(mapped_costs.amount_sek)') }} as amount_ore,
        count(*) as ledger_rows
    from mapped_costs
    inner join rules
        on rules.fiscal_year = mapped_costs.fiscal_year
        and rules.service_id = mapped_costs.service_id
    group by all

),

with_pool as (

    select
        *,
        sum(amount_ore) over (partition by period_month, service_id) as pool_ore
    from charged

),

final as (

    select
        -- ids
        with_pool.fiscal_year,
        'outcome' as scenario,
        with_pool.service_id,
        with_pool.cost_type,
        with_pool.rule_id,
        cost_centres.org_code as consumer_org_code,
        with_pool.cost_centre_code as consumer_cost_centre_code,

        -- dates
        with_pool.period_month,

        -- attributes
        with_pool.allocation_method,
        cast(null as varchar) as driver_code,

        -- measures
        cast(null as decimal(18, 3)) as driver_volume,
        case
            when with_pool.pool_ore > 0 and with_pool.amount_ore >= 0
                then {{ share_of('with_pool.amount_ore', 'with_pool.pool_ore') }}
        end as share,
        cast(null as decimal(18, 4)) as unit_price_sek,
        with_pool.pool_ore,
        with_pool.amount_ore,
        with_pool.ledger_rows

    from with_pool
    left join cost_centres
        on cost_centres.cost_centre_code = with_pool.cost_centre_code

)

select * from final
