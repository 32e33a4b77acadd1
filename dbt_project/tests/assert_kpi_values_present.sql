-- fct_kpi: every KPI the city delivered (plan/kpis.csv) has its city-wide values, with the
-- delivered target, direction and start. Returns, from the volumes and the register rather
-- than from fct_kpi's own logic:
--   * months in which a KPI on a monthly basis has a denominator volume above 0 (or, without
--     a denominator, numerator volumes) but no city-wide value;
--   * city-wide values whose target, is_target_in_force or is_target_met disagree with the
--     register, or a share outside [0, 1].
-- Without a register: no KPIs, passes.

-- Dagster shows this as an asset check of fct_kpi.
{{ config(meta={'dagster': {'ref': {'name': 'fct_kpi'}}}) }}

with

register as (

    select * from {{ ref('stg_raw__kpis') }}

),

terms as (

    select * from {{ ref('int_kpi_terms_parsed') }}

),

volumes as (

    select * from {{ ref('stg_raw__volumes') }}

),

kpis as (

    select * from {{ ref('fct_kpi') }}
    where org_code = 'ALL'

),

-- the side that decides whether a month has a value: the denominator, else the numerator
deciding_side as (

    select
        kpi_code,
        case when denominator is not null then 'denominator' else 'numerator' end as side
    from register
    where basis = 'month'

),

volume_months as (

    select terms.kpi_code, volumes.period_month
    from terms
    inner join deciding_side
        on deciding_side.kpi_code = terms.kpi_code
        and deciding_side.side = terms.side
    inner join volumes
        on volumes.driver_code = terms.code
    where terms.term_source = 'volume'
    group by terms.kpi_code, volumes.period_month
    having sum(volumes.quantity) > 0

),

missing as (

    select
        volume_months.kpi_code,
        volume_months.period_month,
        'no city-wide value in a month with volumes' as problem
    from volume_months
    left join kpis
        on kpis.kpi_code = volume_months.kpi_code
        and kpis.period_month = volume_months.period_month
    where kpis.value is null

),

disagreeing as (

    select
        kpis.kpi_code,
        kpis.period_month,
        'target, its start, is_target_met or the share disagree with the register' as problem
    from kpis
    inner join register
        on register.kpi_code = kpis.kpi_code
    where kpis.target is distinct from register.target
        or kpis.is_target_in_force is distinct from (
            register.target is not null
            and (register.target_from is null or kpis.period_month >= register.target_from)
        )
        or kpis.is_target_met is distinct from (
            case
                when register.target is null then null
                when coalesce(register.target_direction, 'min') = 'min' then kpis.value >= register.target
                else kpis.value <= register.target
            end
        )
        or (register.unit = 'share' and (kpis.value < 0 or kpis.value > 1))

),

final as (

    select * from missing
    union all
    select * from disagreeing

)

select * from final
