{#- Every flow of support cost between services in the outcome, step-down and reciprocal:
    one row per month x support service x receiving service, with the support service's
    allocation rule (its outcome service_methods row; SUPPORT-<year>-<service> when it has
    none) and the support_allocations row (file, row) that gave the share. -#}

with

stepped_down as (

    select * from {{ ref('int_support_costs_stepped_down') }}

),

reciprocal as (

    select * from {{ ref('int_support_costs_reciprocal_allocated') }}

),

rules as (

    select * from {{ ref('int_allocation_rules_resolved') }}
    where scenario = 'outcome'

),

unioned as (

    select
        fiscal_year, period_month, support_service_id, receiving_service_id, allocation_method,
        step_order, basis, share, amount_ore, false as is_within_group, share_source_file,
        share_source_row
    from stepped_down
    union all
    select
        fiscal_year, period_month, support_service_id, receiving_service_id, allocation_method,
        step_order, basis, share, amount_ore, is_within_group, share_source_file,
        share_source_row
    from reciprocal

),

final as (

    select
        -- ids
        unioned.fiscal_year,
        unioned.support_service_id,
        unioned.receiving_service_id,
        coalesce(
            rules.rule_id,
            'SUPPORT-' || cast(unioned.fiscal_year as varchar) || '-' || unioned.support_service_id
        ) as rule_id,

        -- dates
        unioned.period_month,

        -- attributes
        unioned.allocation_method,
        unioned.step_order,
        unioned.basis,

        -- measures
        unioned.share,
        unioned.amount_ore,

        -- flags
        unioned.is_within_group,

        -- metadata
        unioned.share_source_file,
        unioned.share_source_row

    from unioned
    left join rules
        on rules.fiscal_year = unioned.fiscal_year
        and rules.service_id = unioned.support_service_id

)

select * from final
