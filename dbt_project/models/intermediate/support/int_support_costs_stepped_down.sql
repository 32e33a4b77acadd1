{#- Step-down allocation of the producer's support pools (outcome only), per month.

    support_allocations rows with method 'step_down' give each support service its receivers
    and shares (sum 1) and a step_order. Steps run in step_order: a support service's pool in
    its step is its own ledger cost of the month (int_outcome_pools_monthly) plus what it
    received from the support services of earlier steps, and it is split over its receivers by
    largest remainder on the shares (x 10^12), exactly to the öre. A support service gives only
    to later steps or to ordinary services (assert_support_steps_are_ordered), so one pass per
    step suffices: the steps are unrolled here (var support_max_step_down_steps in dbt_project.yml,
    8, is the most a year may have; the configuration check at ingest refuses more, and
    assert_support_steps_are_ordered fails too). Reciprocal support
    services come after every step-down step and receive here like any other service.

    One row per month x step-down support service x receiving service. -#}

{%- set max_steps = var('support_max_step_down_steps') %}

with

support_allocations as (

    select * from {{ ref('stg_raw__support_allocations') }}
    where scenario = 'outcome'
        and method = 'step_down'
        and share > 0

),

outcome_pools as (

    select * from {{ ref('int_outcome_pools_monthly') }}
    where not is_unallocated

),

direct_costs as (

    select
        period_month,
        service_id,
        sum(pool_ore) as direct_ore
    from outcome_pools
    group by period_month, service_id

),

months as (

    select distinct fiscal_year, period_month
    from outcome_pools

),

step_numbers as (

    select
        fiscal_year,
        step_order,
        cast(dense_rank() over (partition by fiscal_year order by step_order) as integer)
            as step_number
    from (select distinct fiscal_year, step_order from support_allocations)

),

shares as (

    select
        support_allocations.fiscal_year,
        step_numbers.step_number,
        support_allocations.step_order,
        support_allocations.support_service_id,
        support_allocations.receiving_service_id,
        support_allocations.basis,
        support_allocations.share,
        cast(support_allocations.share * 1000000000000 as hugeint) as weight_units,
        support_allocations._source_file as share_source_file,
        support_allocations._source_row as share_source_row
    from support_allocations
    inner join step_numbers
        on step_numbers.fiscal_year = support_allocations.fiscal_year
        and step_numbers.step_order = support_allocations.step_order

),

{% for step in range(1, max_steps + 1) %}
step_{{ step }}_pools as (

    select
        givers.fiscal_year,
        months.period_month,
        givers.support_service_id,
        coalesce(direct_costs.direct_ore, 0) as direct_ore,
        {% if step > 1 -%}
        coalesce(received.received_ore, 0)
        {%- else -%}
        cast(0 as hugeint)
        {%- endif %} as received_ore
    from (
        select distinct fiscal_year, support_service_id
        from shares
        where step_number = {{ step }}
    ) as givers
    inner join months
        on months.fiscal_year = givers.fiscal_year
    left join direct_costs
        on direct_costs.period_month = months.period_month
        and direct_costs.service_id = givers.support_service_id
    {% if step > 1 -%}
    left join (
        select period_month, receiving_service_id, sum(amount_ore) as received_ore
        from (
            {% for earlier in range(1, step) -%}
            select period_month, receiving_service_id, amount_ore from step_{{ earlier }}_flows
            {% if not loop.last %}union all{% endif %}
            {% endfor -%}
        )
        group by period_month, receiving_service_id
    ) as received
        on received.period_month = months.period_month
        and received.receiving_service_id = givers.support_service_id
    {%- endif %}

),

step_{{ step }}_weighted as (

    select
        pools.*,
        pools.direct_ore + pools.received_ore as pool_ore,
        shares.step_order,
        shares.receiving_service_id,
        shares.basis,
        shares.share,
        shares.weight_units,
        shares.share_source_file,
        shares.share_source_row
    from step_{{ step }}_pools as pools
    inner join shares
        on shares.fiscal_year = pools.fiscal_year
        and shares.support_service_id = pools.support_service_id
    where pools.direct_ore + pools.received_ore <> 0

),

step_{{ step }}_flows as (

    select *
    from {{ largest_remainder(
        'step_' ~ step ~ '_weighted',
        partition_by='period_month, support_service_id',
        pool='pool_ore',
        weight='weight_units',
        tie_breaker='receiving_service_id') }}

),

{% endfor %}
flows as (

    {% for step in range(1, max_steps + 1) -%}
    select * from step_{{ step }}_flows
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select
        -- ids
        fiscal_year,
        support_service_id,
        receiving_service_id,

        -- dates
        period_month,

        -- attributes
        'step_down' as allocation_method,
        step_order,
        basis,

        -- measures
        share,
        weight_units,
        direct_ore as support_direct_ore,
        received_ore as support_received_ore,
        pool_ore as support_pool_ore,
        amount_ore,

        -- metadata
        share_source_file,
        share_source_row

    from flows

)

select * from final
