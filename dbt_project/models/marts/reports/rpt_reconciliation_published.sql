{#- The city's printed figures (the optional reference pack, docs/input-formats.md) reproduced
    from the warehouse, line by line, every known inconsistency of the prints named instead of
    hidden. Empty when the city delivered no pack.

    Grain: one row per plan version x printed source x line (line_key = level, area, code, cost
    type). Each delivered figure is a line; a source that prints service or organisation lines
    for a version is read as the complete list, so a service or organisation with an amount
    that the source does not print is a line too (is_printed = false, printed as 0).

    Warehouse figure of a line (the plan version's fiscal year and scenario, dim_scenario),
    from the plan amounts (fct_service_cost) and the allocation (fct_allocation), rounded to
    whole tkr half away from zero:
      organisation      allocated to organisation `code`
      org_group         allocated to the organisations whose org_group is `code`
      service           plan amount of service `code` (in service_area_code if given)
      service_area      plan amounts of the services of area `code`
      cost_type_total   plan amounts of every service (balancing lines left out)
      adjustment        plan amounts of the balancing lines (is_adjustment; `code` if given)
      total             every plan amount of the version
      change            cost_type_total of this version minus that of version `code`
    each of `cost_type` when the line gives one.

    difference_tkr = warehouse_tkr - published_tkr. The line carries the difference_code of a
    published_differences row that covers it (same version, source and level; its code and
    cost type, or every line when empty) and whose range holds the difference: the row naming
    the line's code first, then by difference_code. is_explained: the difference is 0 or named.
    Lines of a version that is not in the plan are listed (is_version_in_plan = false) and not
    judged. tests/assert_bvo_reconciliation_differences_named fails on any other difference. -#}

with

figures as (

    select * from {{ ref('stg_raw__published_figures') }}

),

differences as (

    select * from {{ ref('stg_raw__published_differences') }}

),

scenarios as (

    select * from {{ ref('dim_scenario') }}

),

service_costs as (

    select * from {{ ref('fct_service_cost') }}

),

allocations as (

    select * from {{ ref('fct_allocation') }}

),

organisations as (

    select * from {{ ref('dim_organisation') }}

),

versions as (

    select
        scenarios.plan_version,
        scenarios.fiscal_year,
        scenarios.scenario
    from scenarios
    where not scenarios.is_outcome
        and (
            scenarios.plan_version in (select plan_version from figures)
            or scenarios.plan_version in (select code from figures where level = 'change')
        )

),

-- warehouse ------------------------------------------------------------------------------

plan_lines as (

    select
        versions.plan_version,
        service_costs.service_id,
        service_costs.service_area_code,
        service_costs.cost_type,
        service_costs.is_adjustment,
        sum(service_costs.amount_sek) as amount_sek
    from service_costs
    inner join versions
        on versions.fiscal_year = service_costs.fiscal_year
        and versions.scenario = service_costs.scenario
    group by all

),

organisation_lines as (

    select
        versions.plan_version,
        allocations.consumer_org_code as org_code,
        allocations.cost_type,
        sum(allocations.amount_sek) as amount_sek
    from allocations
    inner join versions
        on versions.fiscal_year = allocations.fiscal_year
        and versions.scenario = allocations.scenario
    group by all

),

-- the lines: every printed figure, and what a complete list leaves out ----------------------

printed as (

    select
        figures.plan_version,
        figures.source,
        figures.level,
        figures.service_area_code,
        figures.code,
        figures.cost_type,
        figures.label_sv,
        figures.line_order,
        figures.published_tkr,
        true as is_printed
    from figures

),

complete_lists as (

    select distinct plan_version, source, level
    from figures
    where level in ('service', 'organisation')

),

unprinted_services as (

    select
        complete_lists.plan_version,
        complete_lists.source,
        'service' as level,
        warehouse.service_area_code,
        warehouse.service_id as code,
        warehouse.cost_type,
        cast(null as varchar) as label_sv,
        cast(null as integer) as line_order,
        cast(null as bigint) as published_tkr,
        false as is_printed
    from complete_lists
    inner join (
        select plan_version, service_id, service_area_code, cost_type, sum(amount_sek) as amount_sek
        from plan_lines
        where not is_adjustment
        group by all
    ) as warehouse
        on warehouse.plan_version = complete_lists.plan_version
    where complete_lists.level = 'service'
        and warehouse.amount_sek <> 0
        and not exists (
            select 1 from figures
            where figures.plan_version = complete_lists.plan_version
                and figures.source = complete_lists.source
                and figures.level = 'service'
                and figures.code = warehouse.service_id
                and (figures.service_area_code is null
                    or figures.service_area_code = warehouse.service_area_code)
        )

),

unprinted_organisations as (

    select
        complete_lists.plan_version,
        complete_lists.source,
        'organisation' as level,
        cast(null as varchar) as service_area_code,
        warehouse.org_code as code,
        cast(null as varchar) as cost_type,
        organisations.org_name as label_sv,
        cast(null as integer) as line_order,
        cast(null as bigint) as published_tkr,
        false as is_printed
    from complete_lists
    inner join (
        select plan_version, org_code, sum(amount_sek) as amount_sek
        from organisation_lines
        group by all
    ) as warehouse
        on warehouse.plan_version = complete_lists.plan_version
    left join organisations
        on organisations.org_code = warehouse.org_code
    where complete_lists.level = 'organisation'
        and warehouse.amount_sek <> 0
        and not exists (
            select 1 from figures
            where figures.plan_version = complete_lists.plan_version
                and figures.source = complete_lists.source
                and figures.level = 'organisation'
                and figures.code = warehouse.org_code
        )

),

lines as (

    select * from printed
    union all
    select * from unprinted_services
    union all
    select * from unprinted_organisations

),

-- the warehouse figure of each line --------------------------------------------------------

reproduced as (

    select
        lines.*,
        lines.plan_version in (select plan_version from versions)
            and (lines.level <> 'change' or lines.code in (select plan_version from versions))
            as is_version_in_plan,
        case lines.level
            when 'organisation' then (
                select coalesce(sum(o.amount_sek), 0) from organisation_lines as o
                where o.plan_version = lines.plan_version
                    and o.org_code = lines.code
                    and (lines.cost_type is null or o.cost_type = lines.cost_type)
            )
            when 'org_group' then (
                select coalesce(sum(o.amount_sek), 0) from organisation_lines as o
                inner join organisations
                    on organisations.org_code = o.org_code
                where o.plan_version = lines.plan_version
                    and organisations.org_group = lines.code
                    and (lines.cost_type is null or o.cost_type = lines.cost_type)
            )
            when 'service' then (
                select coalesce(sum(p.amount_sek), 0) from plan_lines as p
                where p.plan_version = lines.plan_version
                    and p.service_id = lines.code
                    and (lines.service_area_code is null or p.service_area_code = lines.service_area_code)
                    and (lines.cost_type is null or p.cost_type = lines.cost_type)
            )
            when 'service_area' then (
                select coalesce(sum(p.amount_sek), 0) from plan_lines as p
                where p.plan_version = lines.plan_version
                    and p.service_area_code = lines.code
                    and not p.is_adjustment
                    and (lines.cost_type is null or p.cost_type = lines.cost_type)
            )
            when 'cost_type_total' then (
                select coalesce(sum(p.amount_sek), 0) from plan_lines as p
                where p.plan_version = lines.plan_version
                    and not p.is_adjustment
                    and (lines.cost_type is null or p.cost_type = lines.cost_type)
            )
            when 'adjustment' then (
                select coalesce(sum(p.amount_sek), 0) from plan_lines as p
                where p.plan_version = lines.plan_version
                    and p.is_adjustment
                    and (lines.code is null or p.service_id = lines.code)
                    and (lines.cost_type is null or p.cost_type = lines.cost_type)
            )
            when 'total' then (
                select coalesce(sum(p.amount_sek), 0) from plan_lines as p
                where p.plan_version = lines.plan_version
                    and (lines.cost_type is null or p.cost_type = lines.cost_type)
            )
            when 'change' then (
                select
                    coalesce(sum(case when p.plan_version = lines.plan_version then p.amount_sek end), 0)
                    - coalesce(sum(case when p.plan_version = lines.code then p.amount_sek end), 0)
                from plan_lines as p
                where p.plan_version in (lines.plan_version, lines.code)
                    and not p.is_adjustment
                    and (lines.cost_type is null or p.cost_type = lines.cost_type)
            )
        end as warehouse_sek
    from lines

),

compared as (

    select
        reproduced.* replace (
            case when reproduced.is_version_in_plan then reproduced.warehouse_sek end as warehouse_sek
        ),
        reproduced.level || ':' || coalesce(reproduced.service_area_code || '/', '')
            || coalesce(reproduced.code, '') || ':' || coalesce(reproduced.cost_type, '')
            as line_key,
        case when reproduced.is_version_in_plan
            then cast(round(reproduced.warehouse_sek * 0.001, 0) as bigint)
        end as warehouse_tkr,
        -- a line the source does not print counts as 0
        case when reproduced.is_version_in_plan
            then cast(round(reproduced.warehouse_sek * 0.001, 0) as bigint)
                - coalesce(reproduced.published_tkr, 0)
        end as difference_tkr
    from reproduced

),

named as (

    select
        compared.plan_version,
        compared.source,
        compared.line_key,
        differences.difference_code,
        differences.description_sv,
        differences.description_en,
        differences.min_difference_tkr,
        differences.max_difference_tkr,
        row_number() over (
            partition by compared.plan_version, compared.source, compared.line_key
            order by differences.code is null, differences.difference_code,
                differences.min_difference_tkr
        ) as preference
    from compared
    inner join differences
        on differences.plan_version = compared.plan_version
        and differences.source = compared.source
        and differences.level = compared.level
        and (differences.code is null or differences.code = compared.code)
        and (differences.cost_type is null or differences.cost_type = compared.cost_type)
        and compared.difference_tkr between differences.min_difference_tkr
            and differences.max_difference_tkr

),

final as (

    select
        -- ids
        compared.plan_version,
        compared.source,
        compared.line_key,

        -- attributes
        compared.level,
        compared.service_area_code,
        compared.code,
        compared.cost_type,
        compared.label_sv,
        compared.line_order,
        named.difference_code,
        named.description_sv as difference_description_sv,
        named.description_en as difference_description_en,

        -- measures
        cast(compared.warehouse_sek as decimal(18, 2)) as warehouse_sek,
        compared.warehouse_tkr,
        compared.published_tkr,
        compared.difference_tkr,
        named.min_difference_tkr as explained_min_tkr,
        named.max_difference_tkr as explained_max_tkr,

        -- flags
        compared.is_version_in_plan,
        compared.is_printed,
        named.difference_code is not null as is_named_difference,
        case when compared.is_version_in_plan
            then compared.difference_tkr = 0 or named.difference_code is not null
        end as is_explained

    from compared
    left join named
        on named.plan_version = compared.plan_version
        and named.source = compared.source
        and named.line_key = compared.line_key
        and named.preference = 1

)

select * from final
