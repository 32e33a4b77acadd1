"""Every SQL statement the pages run, one typed function each, with access control applied here.

Rules for this package:
- Every public function takes the current `Principal` first. Organisation-level rows are filtered
  for restricted principals (controllers) inside the SQL, with the allowed codes as a bound
  list parameter. Callers cannot widen that list: it comes only from the principal.
- SQL text is constant. User input (search text, chosen groups, plan versions, organisation
  codes) is only ever passed as bound parameters ($name), never formatted into the statement.
- Statements over fct_allocation and fct_allocation_org_month filter `consumer_org_code` the
  same way:
  `and (not $restricted or list_contains($allowed_orgs::varchar[], consumer_org_code))`.
- Figures above organisation level (service area or service totals of the whole city) are the
  city's published figures and are the same for every role.

Modules: `budget` (plan versions, budget page), `costs` (years, areas, services over time),
`statement` (Min organisation), `whatif` (simulation base), `reports` (report marts that are
still arriving), `quality` (pipeline pages), `close` (the month cycle: Månadsbokslut and the
restatements and export lines on Min organisation), `snapshot` (what the file holds).
"""

from __future__ import annotations

from dashboards.lib.queries._common import OUTCOME, as_date, decimal_sum, may_see_org
from dashboards.lib.queries.budget import (
    PlanVersion,
    budget_area_totals,
    budget_by_area,
    budget_by_org,
    budget_by_org_group,
    budget_closing_lines,
    budget_reconciliation,
    city_totals_monthly,
    default_plan_version,
    plan_versions,
)
from dashboards.lib.queries.close import (
    CLOSE_ROLES,
    ExportFile,
    close_audit,
    close_months,
    export_files,
    has_close_tables,
    invoice_lines,
    month_status,
    org_export_files,
    pending_restatements_total,
    restatements,
)
from dashboards.lib.queries.costs import (
    YearContext,
    default_fiscal_year,
    fiscal_years,
    largest_variances,
    lines_to_date,
    price_settlements,
    service_catalogue,
    service_consumers,
    service_cost_monthly,
    service_cost_years,
    service_rules,
    service_versions,
    service_volume_monthly,
    year_contexts,
)
from dashboards.lib.queries.quality import (
    NotForThisRole,
    check_results,
    ops_table,
    quarantine_rows,
    quarantine_summary,
    reconciliation_published,
    reconciliation_summary,
    runs_from_checks,
)
from dashboards.lib.queries.reports import (
    InitiativesSummary,
    VarianceExplanation,
    YearEndForecast,
    development_by_year,
    initiatives_plan_vs_spend,
    initiatives_summary,
    kpis,
    org_variance_sentences,
    service_like_for_like,
    service_lineage,
    variance_explanations,
    year_end_forecast,
)
from dashboards.lib.queries.snapshot import (
    has_table,
    missing_columns,
    publish_log,
    snapshot_tables,
    table_columns,
    table_row_count,
)
from dashboards.lib.queries.statement import (
    charge_lines,
    charges_per_cost_centre,
    cost_centre_org,
    driver_rows,
    invoice_basis,
    org_group_labels,
    organisations_for_year,
    organisations_summary,
    pool_ledger_rows,
    statement_by_cost_centre,
    statement_by_service,
    statement_monthly,
    statement_totals,
)
from dashboards.lib.queries.whatif import (
    WhatIfBase,
    WhatIfResult,
    simulate_service,
    whatif_base,
    whatif_drivers,
    whatif_services,
)

MODULES = ("budget", "costs", "statement", "whatif", "reports", "quality", "close", "snapshot")

__all__ = [
    "CLOSE_ROLES",
    "ExportFile",
    "close_audit",
    "close_months",
    "export_files",
    "has_close_tables",
    "invoice_lines",
    "month_status",
    "org_export_files",
    "pending_restatements_total",
    "restatements",
    "InitiativesSummary",
    "MODULES",
    "NotForThisRole",
    "OUTCOME",
    "PlanVersion",
    "VarianceExplanation",
    "WhatIfBase",
    "WhatIfResult",
    "YearContext",
    "YearEndForecast",
    "as_date",
    "budget_area_totals",
    "budget_by_area",
    "budget_by_org",
    "budget_by_org_group",
    "budget_closing_lines",
    "budget_reconciliation",
    "city_totals_monthly",
    "charge_lines",
    "charges_per_cost_centre",
    "check_results",
    "cost_centre_org",
    "driver_rows",
    "decimal_sum",
    "default_fiscal_year",
    "default_plan_version",
    "fiscal_years",
    "has_table",
    "development_by_year",
    "initiatives_plan_vs_spend",
    "initiatives_summary",
    "invoice_basis",
    "kpis",
    "may_see_org",
    "missing_columns",
    "ops_table",
    "org_group_labels",
    "org_variance_sentences",
    "organisations_for_year",
    "organisations_summary",
    "plan_versions",
    "pool_ledger_rows",
    "price_settlements",
    "publish_log",
    "quarantine_rows",
    "quarantine_summary",
    "reconciliation_published",
    "reconciliation_summary",
    "runs_from_checks",
    "service_catalogue",
    "service_consumers",
    "service_cost_monthly",
    "service_cost_years",
    "largest_variances",
    "lines_to_date",
    "service_like_for_like",
    "service_lineage",
    "service_rules",
    "service_versions",
    "service_volume_monthly",
    "simulate_service",
    "snapshot_tables",
    "statement_by_cost_centre",
    "statement_by_service",
    "statement_totals",
    "statement_monthly",
    "table_columns",
    "table_row_count",
    "variance_explanations",
    "whatif_base",
    "whatif_drivers",
    "whatif_services",
    "year_contexts",
    "year_end_forecast",
]
