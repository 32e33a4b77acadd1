{#- The KPI register's expressions read into terms: one row per KPI x side (numerator,
    denominator) x code. `volume:A+B` gives one volume term per driver; `cost:area:X[:type]` and
    `cost:service:X[:type]` one cost term (the ingest has checked the grammar and every code,
    expectations/kpis.py). -#}

with

kpis as (

    select * from {{ ref('stg_raw__kpis') }}

),

expressions as (

    select kpi_code, 'numerator' as side, numerator as expression from kpis
    union all
    select kpi_code, 'denominator' as side, denominator as expression from kpis
    where denominator is not null

),

volume_terms as (

    select
        kpi_code,
        side,
        'volume' as term_source,
        cast(null as varchar) as cost_level,
        unnest(string_split(substr(expression, length('volume:') + 1), '+')) as code,
        cast(null as varchar) as cost_type
    from expressions
    where starts_with(expression, 'volume:')

),

cost_terms as (

    select
        kpi_code,
        side,
        'cost' as term_source,
        string_split(expression, ':')[2] as cost_level,
        string_split(expression, ':')[3] as code,
        string_split(expression, ':')[4] as cost_type
    from expressions
    where starts_with(expression, 'cost:')

),

final as (

    select * from volume_terms
    union all
    select * from cost_terms

)

select * from final
