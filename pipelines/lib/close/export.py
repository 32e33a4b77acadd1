"""The export of a closed month: its internal invoices as SIE 4I and the invoice basis per organisation.

Read from `marts.fct_invoice_line` (the closed month's lines with their voucher numbers and
accounts), written under `<data dir>/exports/YYYY-MM/`:

- `internfakturering_YYYY-MM.si`: SIE 4I in codepage 437. One voucher per consuming organisation
  (a debit row per consumer cost centre x service on the service's cost account, a credit row
  per service on the service centre's revenue account and producing cost centre), then one
  voucher per organisation and restated month for the restatements booked in the month. Each
  voucher balances to the öre by construction: its credit rows are the sums of its debit rows.
- `fakturaunderlag/<org_code>.csv` and `.xlsx`: the organisation's lines, the invoice basis.

See docs/input-formats.md ("The export") for the format and an example voucher.
"""

from __future__ import annotations

import calendar
import shutil
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb

from pipelines.lib.close.files import write_table_files
from pipelines.lib.close.state import month_text
from pipelines.lib.readers import DEFAULT_DIMENSIONS, SieObject, SieTrans, SieVoucher, write_sie4

INVOICE_BASIS_HEADER = (
    "period", "voucher", "line_kind", "restated_month", "org_code", "org_name",
    "cost_centre_code", "cost_centre_name", "service_id", "service_name", "activity_code",
    "debit_account", "credit_account", "credit_cost_centre", "amount_sek", "cause",
)  # fmt: skip
_KTYP = {"cost": "K", "revenue": "I", "balance": "T"}
# Characters Swedish names use that codepage 437 lacks, and what the ledger is given instead.
_PC8_REPLACEMENTS = {
    "–": "-",
    "—": "-",
    "’": "'",
    "‘": "'",
    "“": '"',
    "”": '"',
    "€": "EUR",
    "\u00a0": " ",
}


@dataclass(frozen=True)
class Export:
    """What an export wrote."""

    month: date
    directory: Path
    sie: Path
    files: list[Path]
    vouchers: int
    debit_total_sek: Decimal


def export_dir(exports_dir: Path, month: date) -> Path:
    return exports_dir / month_text(month)


def sie_name(month: date) -> str:
    return f"internfakturering_{month_text(month)}.si"


def pc8_text(text: str) -> str:
    """`text` with every character codepage 437 lacks replaced (SIE 4 is written in PC8)."""
    out = []
    for ch in text:
        try:
            ch.encode("cp437")
            out.append(ch)
            continue
        except UnicodeEncodeError:
            pass
        if ch in _PC8_REPLACEMENTS:
            out.append(_PC8_REPLACEMENTS[ch])
            continue
        base = unicodedata.normalize("NFKD", ch).encode("cp437", "ignore").decode("cp437")
        out.append(base or "?")
    return "".join(out)


def _last_day(month: date) -> date:
    return date(month.year, month.month, calendar.monthrange(month.year, month.month)[1])


_LINES_SQL = """
select
    voucher_number, line_kind, restated_month, consumer_org_code, org_name,
    consumer_cost_centre_code, cost_centre_name, service_id, service_name_sv, activity_code,
    debit_account, debit_account_name, debit_account_class, credit_account, credit_account_name,
    credit_account_class, credit_cost_centre_code, credit_cost_centre_name, cause_sv, amount_sek,
    fiscal_year
from marts.fct_invoice_line
where period_month = ? and close_id = ?
order by voucher_number, consumer_cost_centre_code, service_id
"""


def _company(con: duckdb.DuckDBPyConnection, credit_centres: list[str]) -> str:
    """#FNAMN: the organisation(s) owning the credited cost centres (the service centre)."""
    rows = con.execute(
        """
        select distinct coalesce(o.org_name, c.org_code)
        from marts.dim_cost_centre c
        left join marts.dim_organisation o on o.org_code = c.org_code
        where list_contains(?::varchar[], c.cost_centre_code)
        order by 1
        """,
        [credit_centres],
    ).fetchall()
    return " / ".join(r[0] for r in rows) or "fordela"


def write_export(
    con: duckdb.DuckDBPyConnection, month: date, close_id: str, exports_dir: Path, series: str = "I"
) -> Export:
    """Write the SIE 4I file and the invoice basis of closed `month` (its close `close_id`)."""
    lines = con.execute(_LINES_SQL, [month, close_id]).fetchall()
    columns = [
        "voucher",
        "kind",
        "restated",
        "org",
        "org_name",
        "cc",
        "cc_name",
        "service",
        "service_name",
        "activity",
        "debit",
        "debit_name",
        "debit_class",
        "credit",
        "credit_name",
        "credit_class",
        "credit_cc",
        "credit_cc_name",
        "cause",
        "amount",
        "fiscal_year",
    ]
    records = [dict(zip(columns, line, strict=True)) for line in lines]
    directory = export_dir(exports_dir, month)
    sie_path = directory / sie_name(month)
    basis_dir = directory / "fakturaunderlag"
    # A re-export replaces the files of this close; nothing else in the folder is touched.
    sie_path.unlink(missing_ok=True)
    if basis_dir.exists():
        shutil.rmtree(basis_dir)
    directory.mkdir(parents=True, exist_ok=True)

    by_voucher: dict[int, list[dict[str, object]]] = defaultdict(list)
    for record in records:
        by_voucher[int(record["voucher"])].append(record)  # type: ignore[call-overload]
    voucher_date = _last_day(month)
    vouchers: list[SieVoucher] = []
    accounts: dict[str, str] = {}
    account_types: dict[str, str] = {}
    objects: dict[tuple[int, str], str] = {}
    dims = DEFAULT_DIMENSIONS
    for number, rows in sorted(by_voucher.items()):
        first = rows[0]
        org = f"{first['org']} {first['org_name'] or ''}".strip()
        if first["kind"] == "charge":
            text = f"Internfakturering {month_text(month)} {org}"
        else:
            restated = month_text(first["restated"])  # type: ignore[arg-type]
            text = f"Omföring {org} avser {restated}: {first['cause'] or ''}".rstrip(": ")
        voucher = SieVoucher(series, number, voucher_date, pc8_text(text))
        credits: dict[tuple[str, str, str, str], Decimal] = defaultdict(Decimal)
        for row in rows:
            name = pc8_text(str(row["service_name"] or row["service"]))
            voucher.rows.append(
                SieTrans(
                    account=str(row["debit"]),
                    amount=row["amount"],  # type: ignore[arg-type]
                    objects={dims.cost_centre: str(row["cc"]), dims.activity: str(row["activity"])},
                    text=name,
                )
            )
            credits[(str(row["credit"]), str(row["credit_cc"]), str(row["activity"]), name)] += row[
                "amount"
            ]  # type: ignore[operator]
            accounts[str(row["debit"])] = pc8_text(str(row["debit_name"] or ""))
            accounts[str(row["credit"])] = pc8_text(str(row["credit_name"] or ""))
            for account, kind in (
                (row["debit"], row["debit_class"]),
                (row["credit"], row["credit_class"]),
            ):
                if kind in _KTYP:
                    account_types[str(account)] = _KTYP[str(kind)]
            objects[(dims.cost_centre, str(row["cc"]))] = pc8_text(str(row["cc_name"] or ""))
            objects[(dims.cost_centre, str(row["credit_cc"]))] = pc8_text(
                str(row["credit_cc_name"] or "")
            )
            objects[(dims.activity, str(row["activity"]))] = name
        for (account, centre, activity, name), amount in sorted(credits.items()):
            if amount:
                voucher.rows.append(
                    SieTrans(
                        account=account,
                        amount=-amount,
                        objects={dims.cost_centre: centre, dims.activity: activity},
                        text=name,
                    )
                )
        vouchers.append(voucher)

    credit_centres = sorted({str(r["credit_cc"]) for r in records})
    write_sie4(
        sie_path,
        pc8_text(_company(con, credit_centres)),
        month.year,
        sorted(accounts.items()),
        [SieObject(dim, code, name) for (dim, code), name in sorted(objects.items())],
        vouchers,
        account_types=dict(sorted(account_types.items())),
        declared_dimensions=(dims.cost_centre, dims.project, dims.activity),
    )

    files = [sie_path]
    by_org: dict[str, list[list[object]]] = defaultdict(list)
    for r in records:
        by_org[str(r["org"])].append(
            [
                month_text(month),
                f"{series} {r['voucher']}",
                r["kind"],
                month_text(r["restated"]) if r["restated"] else None,  # type: ignore[arg-type]
                r["org"],
                r["org_name"],
                r["cc"],
                r["cc_name"],
                r["service"],
                r["service_name"],
                r["activity"],
                r["debit"],
                r["credit"],
                r["credit_cc"],
                r["amount"],
                r["cause"],
            ]
        )
    for org, basis_rows in sorted(by_org.items()):
        files.extend(
            write_table_files(
                basis_dir / org,
                INVOICE_BASIS_HEADER,
                basis_rows,
                sheet="Fakturaunderlag",
                amount_column="amount_sek",
            )
        )
    total = sum((Decimal(r["amount"]) for r in records), Decimal(0))  # type: ignore[arg-type]
    return Export(month, directory, sie_path, files, len(vouchers), total)


def set_aside_export(exports_dir: Path, month: date, close_id: str) -> Path | None:
    """At a reopen: move the month's export files into `reopened-<close_id>/` beside them, so
    the month's folder only ever holds the export of the close in force."""
    directory = export_dir(exports_dir, month)
    current = [
        p for p in (directory / sie_name(month), directory / "fakturaunderlag") if p.exists()
    ]
    if not current:
        return None
    target = directory / f"reopened-{close_id}"
    target.mkdir(parents=True, exist_ok=True)
    for path in current:
        shutil.move(str(path), str(target / path.name))
    return target
