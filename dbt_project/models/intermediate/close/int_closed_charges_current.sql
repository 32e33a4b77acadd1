{#- The frozen charges of the months that are closed now (rows of reopened closes left out). -#}

with

closed_charges as (

    select * from {{ ref('stg_ops__closed_charges') }}

),

periods as (

    select * from {{ ref('int_period_closes_resolved') }}
    where is_closed

),

final as (

    select closed_charges.*
    from closed_charges
    inner join periods
        on periods.close_id = closed_charges.close_id

)

select * from final
