{#- The Budget page's key figures and area table for a plan version (or the outcome): per line
    (a service area, or a line outside the areas: Reglering, Ej fördelat) its maintenance,
    development and total and its share of the year, and one row for the year with its total,
    maintenance, development and the lines outside the areas. Sums rpt_budget_area_year; the
    page formats these columns and computes nothing.

    Grain: one row per fiscal_year x scenario x line_level x line_name_sv, where line_level is
    'line' (an area or a line outside the areas) or 'year' (line_name_sv = plan_version). -#}

with

areas as (

    select * from {{ ref('rpt_budget_area_year') }}

),

classified as (

    select
        *,
        -- Lines outside the areas count in the total but not in maintenance/development.
        service_area_code is not null
            and coalesce(cost_type, '') in ('maintenance', 'development') as is_area_line
    from areas

),

lines as (

    select
        fiscal_year,
        scenario,
        max(plan_version) as plan_version,
        'line' as line_level,
        service_area_name_sv as line_name_sv,
        max(service_area_code) as service_area_code,
        bool_or(is_area_line) as is_area_line,
        sum(amount_sek) filter (where is_area_line and cost_type = 'maintenance') as maintenance_sek,
        sum(amount_sek) filter (where is_area_line and cost_type = 'development') as development_sek,
        cast(null as decimal(18, 2)) as other_sek,
        sum(amount_sek) as total_sek
    from classified
    group by fiscal_year, scenario, service_area_name_sv

),

years as (

    select
        fiscal_year,
        scenario,
        max(plan_version) as plan_version,
        'year' as line_level,
        max(plan_version) as line_name_sv,
        cast(null as varchar) as service_area_code,
        false as is_area_line,
        coalesce(sum(amount_sek) filter (where is_area_line and cost_type = 'maintenance'), 0)
            as maintenance_sek,
        coalesce(sum(amount_sek) filter (where is_area_line and cost_type = 'development'), 0)
            as development_sek,
        coalesce(sum(amount_sek) filter (where not is_area_line), 0) as other_sek,
        sum(amount_sek) as total_sek
    from classified
    group by fiscal_year, scenario

),

both_levels as (

    select * from lines
    union all
    select * from years

),

final as (

    select
        -- ids
        both_levels.fiscal_year,
        both_levels.scenario,
        both_levels.plan_version,
        both_levels.line_level,
        both_levels.line_name_sv,

        -- attributes
        both_levels.service_area_code,

        -- measures
        cast(both_levels.maintenance_sek as decimal(18, 2)) as maintenance_sek,
        cast(both_levels.development_sek as decimal(18, 2)) as development_sek,
        cast(both_levels.other_sek as decimal(18, 2)) as other_sek,
        cast(both_levels.total_sek as decimal(18, 2)) as total_sek,
        cast(
            case when years.total_sek <> 0 then both_levels.total_sek / years.total_sek end
            as decimal(18, 6)
        ) as share_of_year,

        -- flags
        both_levels.is_area_line

    from both_levels
    inner join years
        on years.fiscal_year = both_levels.fiscal_year
        and years.scenario = both_levels.scenario

)

select * from final
order by fiscal_year, scenario, line_level, is_area_line desc, service_area_code, line_name_sv
