{#- The plan lines behind the plan pools: one row per fiscal year x scenario x service
    (plan/plan_amounts.csv), with the landed file and row. A plan pool of fct_service_cost is
    the line's annual amount split into 12 months (int_plan_pools_monthly). -#}

with

plan_amounts as (

    select * from {{ ref('stg_raw__plan_amounts') }}

),

final as (

    select
        -- ids
        fiscal_year,
        scenario,
        service_id,

        -- attributes
        plan_version,
        cost_type,

        -- measures
        amount_sek,

        -- metadata
        _source_file as source_file,
        cast(_source_row as bigint) as source_row,
        _file_hash as file_hash

    from plan_amounts

)

select * from final
