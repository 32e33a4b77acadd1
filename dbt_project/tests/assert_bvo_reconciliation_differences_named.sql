-- Reconciliation with the city's reference pack (reference/published_figures.csv): every
-- difference between the warehouse and a printed figure of a plan version in the plan is 0 or
-- lies in the range of a named difference the city delivered
-- (reference/published_differences.csv). Fails on any other difference, e.g. a service line
-- whose code is in no register, an organisation off by more than its printed rounding, or a
-- subtotal off by something else than its named misprint. Without a pack: no lines, passes.

with

reconciliation as (

    select * from {{ ref('rpt_reconciliation_published') }}

),

final as (

    select
        plan_version,
        source,
        line_key,
        label_sv,
        warehouse_tkr,
        published_tkr,
        difference_tkr
    from reconciliation
    where is_version_in_plan
        and not is_explained

)

select * from final
