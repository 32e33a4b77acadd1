{#- The booked totals of the reciprocal support services (int_allocations_reciprocal_solved,
    T rounded to the öre) turned into flows, exactly to the öre, per month:

    1. between reciprocal services: what service j receives from the others is its booked total
       minus what it had itself, T_j - available_j (an integer), split over the givers i by
       largest remainder on share(i -> j) x T_i;
    2. to ordinary services: what service i passes on outside the group is T_i minus what it
       gave the other reciprocal services (step 1), split by largest remainder on its shares
       to those services.

    So every reciprocal service nets to zero (available + received - given - passed on = 0)
    and the group passes on exactly what its members had (sum of available), to the öre.
    One row per month x reciprocal support service x receiving service. -#}

with

solved as (

    select * from {{ ref('int_allocations_reciprocal_solved') }}

),

support_allocations as (

    select * from {{ ref('stg_raw__support_allocations') }}
    where scenario = 'outcome'
        and method = 'reciprocal'
        and share > 0

),

shares as (

    select
        fiscal_year,
        support_service_id,
        receiving_service_id,
        step_order,
        basis,
        share,
        cast(share * 1000000000000 as hugeint) as share_units,
        _source_file as share_source_file,
        _source_row as share_source_row
    from support_allocations

),

reciprocal_services as (

    select distinct fiscal_year, support_service_id
    from shares

),

internal_shares as (

    select shares.*
    from shares
    inner join reciprocal_services
        on reciprocal_services.fiscal_year = shares.fiscal_year
        and reciprocal_services.support_service_id = shares.receiving_service_id

),

external_shares as (

    select shares.*
    from shares
    left join reciprocal_services
        on reciprocal_services.fiscal_year = shares.fiscal_year
        and reciprocal_services.support_service_id = shares.receiving_service_id
    where reciprocal_services.support_service_id is null

),

inflows_weighted as (

    select
        receiver.fiscal_year,
        receiver.period_month,
        internal_shares.support_service_id,
        internal_shares.receiving_service_id,
        internal_shares.step_order,
        internal_shares.basis,
        internal_shares.share,
        internal_shares.share_source_file,
        internal_shares.share_source_row,
        cast(receiver.total_ore - receiver.available_ore as hugeint) as pool_ore,
        internal_shares.share_units * giver.total_ore as weight_units
    from internal_shares
    inner join solved as receiver
        on receiver.fiscal_year = internal_shares.fiscal_year
        and receiver.support_service_id = internal_shares.receiving_service_id
    inner join solved as giver
        on giver.period_month = receiver.period_month
        and giver.support_service_id = internal_shares.support_service_id
    where giver.total_ore <> 0

),

inflows as (

    select *
    from {{ largest_remainder(
        'inflows_weighted',
        partition_by='period_month, receiving_service_id',
        pool='pool_ore',
        weight='weight_units',
        tie_breaker='support_service_id') }}

),

given_internally as (

    select
        period_month,
        support_service_id,
        sum(amount_ore) as given_ore
    from inflows
    group by period_month, support_service_id

),

outflows_weighted as (

    select
        giver.fiscal_year,
        giver.period_month,
        external_shares.support_service_id,
        external_shares.receiving_service_id,
        external_shares.step_order,
        external_shares.basis,
        external_shares.share,
        external_shares.share_source_file,
        external_shares.share_source_row,
        cast(giver.total_ore - coalesce(given_internally.given_ore, 0) as hugeint) as pool_ore,
        external_shares.share_units as weight_units
    from external_shares
    inner join solved as giver
        on giver.fiscal_year = external_shares.fiscal_year
        and giver.support_service_id = external_shares.support_service_id
    left join given_internally
        on given_internally.period_month = giver.period_month
        and given_internally.support_service_id = giver.support_service_id
    where giver.total_ore - coalesce(given_internally.given_ore, 0) <> 0

),

outflows as (

    select *
    from {{ largest_remainder(
        'outflows_weighted',
        partition_by='period_month, support_service_id',
        pool='pool_ore',
        weight='weight_units',
        tie_breaker='receiving_service_id') }}

),

unioned as (

    select *, true as is_within_group from inflows
    union all
    select *, false as is_within_group from outflows

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
        'reciprocal' as allocation_method,
        step_order,
        basis,

        -- measures
        share,
        amount_ore,

        -- flags
        is_within_group,

        -- metadata
        share_source_file,
        share_source_row

    from unioned

)

select * from final
