-- Reconciliation with the published group subtotals (is_bilaga1_subtotals, tkr) for every
-- published plan version present in the data:
--   * each organisation group, rounded to whole tkr, within var published_tolerance_tkr of
--     the printed subtotal (501 055 / 156 325 / 28 222 / 4 093 for Budget 2017);
--   * the grand total exactly equal to the printed total x 1000 (689 695 000.00 SEK for
--     Budget 2017), except the known source differences in
--     var published_known_total_differences_tkr.

{%- set versions = var('published_plan_versions') %}
{%- set known = var('published_known_total_differences_tkr', {}) %}

with

published_group_totals as (

    select * from {{ ref('published_organisation_group_totals') }}
    where source = 'is_bilaga1_subtotals'

),

report as (

    select * from {{ ref('rpt_budget_org_year') }}

),

published as (

    {% for column, label in versions.items() %}
    select
        '{{ label }}' as plan_version,
        "group" as org_group,
        "{{ column }}" as published_tkr,
        cast({{ known.get(label, 0) }} as integer) as known_total_difference_tkr
    from published_group_totals
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

allocated as (

    select plan_version, org_group, sum(amount_sek) as amount_sek
    from report
    group by plan_version, org_group
    union all
    select plan_version, 'TOTAL' as org_group, sum(amount_sek) as amount_sek
    from report
    group by plan_version

),

present_versions as (

    select distinct plan_version from report

),

compared as (

    select
        published.plan_version,
        published.org_group,
        published.published_tkr,
        published.known_total_difference_tkr,
        allocated.amount_sek,
        -- rounded to whole tkr as shown, half away from zero, in decimal arithmetic
        round(coalesce(allocated.amount_sek, 0) * 0.001, 0) as allocated_tkr,
        coalesce(allocated.amount_sek, 0) - published.published_tkr * 1000 as difference_sek
    from published
    inner join present_versions
        on present_versions.plan_version = published.plan_version
    left join allocated
        on allocated.plan_version = published.plan_version
        and allocated.org_group = published.org_group

),

final as (

    select *
    from compared
    where case
        when org_group = 'TOTAL'
            then difference_sek <> known_total_difference_tkr * 1000
        else abs(allocated_tkr - published_tkr) > {{ var('published_tolerance_tkr') }}
    end

)

select * from final
