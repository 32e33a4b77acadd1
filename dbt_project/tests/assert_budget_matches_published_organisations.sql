-- Reconciliation with the published cost per organisation (Bilaga 1, tkr): for every
-- published plan version present in the data (var published_plan_versions), each
-- organisation's allocated total, rounded to whole tkr as the dashboards show it, is within
-- var published_tolerance_tkr of the printed figure. The printed lines are rounded to the
-- tkr and do not foot (brief section 9.4).

{%- set versions = var('published_plan_versions') %}

with

published_organisations as (

    select * from {{ ref('published_organisations') }}

),

report as (

    select * from {{ ref('rpt_budget_org_year') }}

),

published as (

    {% for column, label in versions.items() %}
    select
        '{{ label }}' as plan_version,
        code as org_code,
        "{{ column }}" as published_tkr
    from published_organisations
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

present_versions as (

    select distinct plan_version from report

),

compared as (

    select
        published.plan_version,
        published.org_code,
        published.published_tkr,
        report.amount_sek,
        -- rounded to whole tkr as shown, half away from zero, in decimal arithmetic
        round(coalesce(report.amount_sek, 0) * 0.001, 0) as allocated_tkr,
        coalesce(report.amount_sek, 0) - published.published_tkr * 1000 as difference_sek
    from published
    inner join present_versions
        on present_versions.plan_version = published.plan_version
    left join report
        on report.plan_version = published.plan_version
        and report.org_code = published.org_code

),

final as (

    select *
    from compared
    where abs(allocated_tkr - published_tkr) > {{ var('published_tolerance_tkr') }}

)

select * from final
