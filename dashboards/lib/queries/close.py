"""Månadsbokslut / the month cycle: months closed or open, restatements, the internal-invoice export.

Organisation-level rows (restatements, invoice lines, an organisation's invoice-basis files) carry
the access filter `and (not $restricted or list_contains($allowed_orgs::varchar[], <org column>))`
with both parameters from the principal: a controller sees her organisations' restatements and
export lines only. The month cycle as a whole (every organisation's lines, the audit, the SIE
file of the whole city) is for the roles that run or follow the close: management and data
engineers (`CLOSE_ROLES`), enforced here as well as in the page registry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from dashboards.lib.auth import Principal
from dashboards.lib.db import query
from dashboards.lib.queries._common import may_see_org
from dashboards.lib.queries._common import scope as _scope
from dashboards.lib.queries.snapshot import has_table
from pipelines.lib.settings import get_settings

CLOSE_ROLES = frozenset({"management", "data_engineer"})


class NotForThisRole(PermissionError):
    """A month-cycle query asked for by a role that may not see the whole city's close."""


def _require_close_role(principal: Principal) -> None:
    _scope(principal)
    if principal.role not in CLOSE_ROLES:
        raise NotForThisRole(
            f"{principal.username} ({principal.role}) may not read the month cycle"
        )


def has_close_tables(principal: Principal) -> bool:
    """Whether the snapshot was published with the month close (older snapshots lack it)."""
    return has_table(principal, "marts", "rpt_period_close_monthly")


# --- Months --------------------------------------------------------------------------------------

_MONTH_STATUS_SQL = """
select period_month, status, closed_by, closed_at
from marts.rpt_period_close_monthly
where fiscal_year = $fiscal_year
order by period_month
"""


def month_status(principal: Principal, fiscal_year: int) -> pd.DataFrame:
    """Closed / open per month of the year, who closed it and when (no amounts: every role)."""
    _scope(principal)
    return query(_MONTH_STATUS_SQL, {"fiscal_year": int(fiscal_year)})


_MONTHS_SQL = """
select
    period_month, fiscal_year, status, close_id, closed_by, closed_at, last_action,
    last_action_by, last_action_at, reopen_count, last_reopen_reason, last_exported_at,
    last_exported_by, charged_sek, restatements_booked_sek, restatement_rows, restated_later_sek,
    has_pending_restatement
from marts.rpt_period_close_monthly
order by period_month
"""


def close_months(principal: Principal) -> pd.DataFrame:
    """Every month with outcome: status, who closed and when, the city's charges and restatements."""
    _require_close_role(principal)
    return query(_MONTHS_SQL, {})


_AUDIT_SQL = """
select acted_at, period_month, action, acted_by, reason, run_id, detail
from ops.period_closes
order by acted_at desc
"""


def close_audit(principal: Principal) -> pd.DataFrame | None:
    """Who closed, reopened and exported which month, when and why (newest first)."""
    _require_close_role(principal)
    if not has_table(principal, "ops", "period_closes"):
        return None
    return query(_AUDIT_SQL, {})


# --- Restatements and invoice lines (organisation level) -----------------------------------------

_RESTATEMENTS_SQL = """
select
    r.period_month,
    r.restated_month,
    r.consumer_org_code,
    o.org_name,
    r.consumer_cost_centre_code,
    r.service_id,
    s.service_name_sv,
    r.closed_sek,
    r.recomputed_sek,
    r.previously_restated_sek,
    r.amount_sek,
    r.cause_kind,
    r.cause_sv,
    r.cause_en,
    false as is_booked
from marts.fct_restatement as r
left join marts.dim_organisation as o
    on o.org_code = r.consumer_org_code
left join marts.dim_service as s
    on s.service_id = r.service_id
    and r.restated_month between s.valid_from and coalesce(s.valid_to, date '9999-12-31')
where ($org_code = '' or r.consumer_org_code = $org_code)
    -- Access control: controllers see only their organisations.
    and (not $restricted or list_contains($allowed_orgs::varchar[], r.consumer_org_code))
union all
-- Restatements already frozen in a closed month (booked and exported there).
select
    c.period_month,
    c.restated_month,
    c.consumer_org_code,
    o.org_name,
    c.consumer_cost_centre_code,
    c.service_id,
    s.service_name_sv,
    cast(null as decimal(18, 2)) as closed_sek,
    cast(null as decimal(18, 2)) as recomputed_sek,
    cast(null as decimal(18, 2)) as previously_restated_sek,
    c.amount_sek,
    c.cause_kind,
    c.cause_sv,
    c.cause_en,
    true as is_booked
from marts.fct_charge as c
left join marts.dim_organisation as o
    on o.org_code = c.consumer_org_code
left join marts.dim_service as s
    on s.service_id = c.service_id
    and c.restated_month between s.valid_from and coalesce(s.valid_to, date '9999-12-31')
where c.line_kind = 'restatement'
    and c.is_closed
    and ($org_code = '' or c.consumer_org_code = $org_code)
    -- Access control: controllers see only their organisations.
    and (not $restricted or list_contains($allowed_orgs::varchar[], c.consumer_org_code))
order by period_month desc, restated_month, consumer_org_code, consumer_cost_centre_code, service_id
"""


def restatements(principal: Principal, org_code: str = "") -> pd.DataFrame:
    """Restatements of closed months: pending in an open month (`is_booked` false) or frozen in a
    closed one, with their causes; only the principal's organisations for a controller."""
    return query(_RESTATEMENTS_SQL, _scope(principal) | {"org_code": str(org_code or "")})


_PENDING_TOTAL_SQL = """
select sum(r.amount_sek) as amount_sek, count(*) as row_count
from marts.fct_restatement as r
where true
    -- Access control: controllers see only their organisations.
    and (not $restricted or list_contains($allowed_orgs::varchar[], r.consumer_org_code))
"""


def pending_restatements_total(principal: Principal) -> pd.DataFrame:
    """The restatements waiting in an open month (fct_restatement), summed over the
    organisations the principal may see (a controller's own only: a city-wide figure would tell
    her about others'), SEK; one row, with how many there are."""
    return query(_PENDING_TOTAL_SQL, _scope(principal))


_INVOICE_LINES_SQL = """
select
    period_month, voucher_number, line_kind, restated_month, consumer_org_code, org_name,
    consumer_cost_centre_code, cost_centre_name, service_id, service_name_sv, activity_code,
    debit_account, credit_account, credit_cost_centre_code, amount_sek, cause_sv, cause_en
from marts.fct_invoice_line
where period_month = $period_month
    and ($org_code = '' or consumer_org_code = $org_code)
    -- Access control: controllers see only their organisations.
    and (not $restricted or list_contains($allowed_orgs::varchar[], consumer_org_code))
order by voucher_number, consumer_cost_centre_code, service_id
"""


def invoice_lines(principal: Principal, period_month: date, org_code: str = "") -> pd.DataFrame:
    """The exported internal-invoice lines of a closed month (the principal's organisations)."""
    params = _scope(principal) | {"period_month": period_month, "org_code": str(org_code or "")}
    return query(_INVOICE_LINES_SQL, params)


# --- Export files --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportFile:
    name: str  # as offered for download
    path: Path
    mime: str


_MIME = {
    ".si": "text/plain",
    ".csv": "text/csv",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _month_folder(period_month: date) -> Path:
    return get_settings().exports_dir / f"{period_month:%Y-%m}"


def export_files(principal: Principal, period_month: date) -> list[ExportFile]:
    """The export of a closed month: the SIE 4I file and every organisation's invoice basis."""
    _require_close_role(principal)
    folder = _month_folder(period_month)
    if not folder.is_dir():
        return []
    found = [p for p in folder.glob("*.si")] + sorted((folder / "fakturaunderlag").glob("*.*"))
    return [ExportFile(p.name, p, _MIME.get(p.suffix, "application/octet-stream")) for p in found]


def org_export_files(principal: Principal, period_month: date, org_code: str) -> list[ExportFile]:
    """One organisation's invoice basis (CSV and XLSX) of a closed month; nothing for an
    organisation the principal may not see."""
    if not may_see_org(principal, org_code):
        return []
    folder = _month_folder(period_month) / "fakturaunderlag"
    found = [folder / f"{org_code}{suffix}" for suffix in (".csv", ".xlsx")]
    return [
        ExportFile(f"fakturaunderlag_{org_code}_{period_month:%Y-%m}{p.suffix}", p, _MIME[p.suffix])
        for p in found
        if p.is_file() and p.parent == folder
    ]
