{#- Composition of each support service's booked total by the support service whose own
    ledger cost it originates in (int_support_cost_origins_traced): one row per month x
    support service x origin. origin_sek sums to total_sek per support service and month. Used
    by the explanation to take an amount received from a support service back to ledger
    rows. -#}

with

origins as (

    select * from {{ ref('int_support_cost_origins_traced') }}

),

final as (

    select
        -- ids
        period_month,
        fiscal_year,
        support_service_id,
        origin_service_id,

        -- measures
        cast(origin_share as decimal(38, 18)) as origin_share,
        {{ ore_to_sek('origin_ore') }} as origin_sek,
        {{ ore_to_sek('total_ore') }} as total_sek

    from origins

)

select * from final
