{#- Plan line -> 12 monthly pools in öre.
    Rule: P = annual amount in öre; q = floor(P / 12); r = P - 12q; months 1..r get q + 1,
    the others q. Floor toward minus infinity, so negative lines (credits) split the same way
    and the 12 months always sum to P exactly. -#}

with

plan_amounts as (

    select * from {{ ref('stg_raw__plan_amounts') }}

),

months as (

    select cast(month_number as integer) as month_number
    from range(1, 13) as t(month_number)

),

plan_in_ore as (

    select
        fiscal_year,
        scenario,
        plan_version,
        service_id,
        cost_type,
        {{ sek_to_ore('amount_sek') }} as annual_ore
    from plan_amounts

),

split as (

    select
        plan_in_ore.*,
        months.month_number,
        {{ floor_div('annual_ore', 12) }} as base_ore,
        annual_ore - 12 * {{ floor_div('annual_ore', 12) }} as remainder_ore
    from plan_in_ore
    cross join months

),

final as (

    select
        -- ids
        fiscal_year,
        scenario,
        plan_version,
        service_id,
        cost_type,

        -- dates
        make_date(fiscal_year, month_number, 1) as period_month,
        month_number,

        -- measures
        annual_ore,
        base_ore + case when month_number <= remainder_ore then 1 else 0 end as pool_ore

    from split

)

select * from final
