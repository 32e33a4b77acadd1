-- Reconciliation with the published tables: every difference between the warehouse and a
-- printed figure is 0 or one of the named source inconsistencies (brief section 9), within
-- the range that inconsistency explains. Fails on any unexplained difference, e.g. a service
-- line that maps to no service, an organisation off by more than the rounding, or a subtotal
-- off by something else than the sum of its printed lines.

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
        difference_tkr,
        inconsistency_code,
        explained_min_tkr,
        explained_max_tkr
    from reconciliation
    where difference_tkr <> 0
        and (
            inconsistency_code is null
            or difference_tkr not between explained_min_tkr and explained_max_tkr
        )

)

select * from final
