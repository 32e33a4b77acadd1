{#- The reciprocal support services' flows booked to the öre (int_reciprocal_flows_rounded), per
    month, with the support_allocations row behind each share (step_order, basis, file, row)
    and whether the receiver is another reciprocal service of the year (is_within_group).

    How the amounts were booked (pipelines.lib.allocation.reciprocal.allocate_reciprocal):
    1. what the group gives each ordinary service, summed over the givers, is its exact amount
       (sum_i share(i -> r) x T_i) rounded by largest remainder over the group's ordinary
       receivers of the month; the pool is what the group had, sum of available_j;
    2. the amounts per giver and receiver, and between the group's services, are integers
       that add up to those and net every service to zero (available + received = passed on),
       each its exact value rounded down or up unless the receivers' amounts force more
       (rounding_excess_ore, 0 normally, as small as possible).
    So every reciprocal service nets to zero and the group passes on exactly what its members
    had, to the öre. One row per month x reciprocal support service x receiving service. -#}

with

flows as (

    select * from {{ ref('int_reciprocal_flows_rounded') }}

),

solved as (

    select * from {{ ref('int_allocations_reciprocal_solved') }}

),

support_allocations as (

    select * from {{ ref('stg_raw__support_allocations') }}
    where scenario = 'outcome'
        and method = 'reciprocal'

),

final as (

    select
        -- ids
        flows.fiscal_year,
        flows.group_id,
        flows.support_service_id,
        flows.receiving_service_id,

        -- dates
        flows.period_month,

        -- attributes
        'reciprocal' as allocation_method,
        support_allocations.step_order,
        support_allocations.basis,

        -- measures
        support_allocations.share,
        flows.exact_ore,
        flows.amount_ore,
        flows.rounding_excess_ore,

        -- flags
        receiver.support_service_id is not null as is_within_group,

        -- metadata
        support_allocations._source_file as share_source_file,
        support_allocations._source_row as share_source_row

    from flows
    inner join support_allocations
        on support_allocations.fiscal_year = flows.fiscal_year
        and support_allocations.support_service_id = flows.support_service_id
        and support_allocations.receiving_service_id = flows.receiving_service_id
    left join solved as receiver
        on receiver.period_month = flows.period_month
        and receiver.support_service_id = flows.receiving_service_id

)

select * from final
