"""Writes the landing files of docs/input-formats.md: canonical CSV (UTF-8, `,`, `"` quoting,
`\\n`), and the ledger/volume months a real city delivers as SIE 4 or as an Excel export.

Every format is byte-for-byte reproducible: SIE's `#GEN` is the last voucher date, and the XLSX
files carry fixed document properties and fixed zip member timestamps.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from pipelines.lib.readers import SieObject, vouchers_from_records, write_sie4

# The contract: file (relative to the landing folder) -> exact header.
HEADERS: dict[str, tuple[str, ...]] = {
    "organisations/organisations.csv": (
        "org_code", "org_name", "org_group", "valid_from", "valid_to", "is_producer",
    ),
    "organisations/org_groups.csv": ("org_group", "name_sv", "name_en", "sort_order"),
    "organisations/cost_centres.csv": (
        "cost_centre_code", "cost_centre_name", "org_code", "is_default", "valid_from", "valid_to",
    ),
    "services/service_areas.csv": ("service_area_code", "name_sv", "name_en"),
    "services/services.csv": (
        "service_id", "service_name_sv", "former_name_sv", "service_area_code", "cost_type",
        "is_adjustment", "valid_from", "valid_to", "comment_sv", "is_support",
    ),
    "services/service_lineage.csv": (
        "from_service_id", "to_service_id", "relation", "weight", "effective_date",
    ),
    "volumes/drivers.csv": ("driver_code", "unit_sv", "unit_en", "description_sv", "description_en"),
    "ledger/accounts.csv": ("fiscal_year", "account", "account_name", "account_class"),
    "ledger/mapping_rules.csv": (
        "rule_id", "fiscal_year", "priority", "account_from", "account_to", "activity_code",
        "cost_centre_code", "project_code", "service_id", "cost_type",
    ),
    "plan/plan_amounts.csv": (
        "fiscal_year", "scenario", "plan_version", "service_id", "cost_type", "amount_sek",
    ),
    "plan/service_methods.csv": (
        "fiscal_year", "scenario", "service_id", "rule_id", "allocation_method", "driver_code",
        "key_set",
    ),
    "plan/allocation_keys.csv": ("key_set", "service_id", "org_code", "share", "valid_from", "valid_to"),
    "plan/planned_volumes.csv": (
        "fiscal_year", "scenario", "driver_code", "cost_centre_code", "quantity",
    ),
    "plan/price_list.csv": ("fiscal_year", "service_id", "driver_code", "unit_price_sek"),
    "plan/initiatives.csv": (
        "initiative_id", "service_area_code", "service_id", "name_sv", "priority",
        "financing_channel",
    ),
    "plan/initiative_plan.csv": ("initiative_id", "fiscal_year", "amount_sek"),
    "plan/invoicing_accounts.csv": (
        "fiscal_year", "service_id", "debit_account", "credit_account", "credit_cost_centre",
        "activity_code",
    ),
    "plan/support_allocations.csv": (
        "fiscal_year", "scenario", "support_service_id", "receiving_service_id", "basis", "share",
        "step_order", "method",
    ),
    "plan/kpis.csv": (
        "kpi_code", "name_sv", "name_en", "numerator", "denominator", "basis", "scope", "unit",
        "target", "target_direction", "target_from", "initiative_id",
    ),
    "reference/published_figures.csv": (
        "plan_version", "source", "level", "service_area_code", "code", "cost_type", "label_sv",
        "amount_tkr", "line_order",
    ),
    "reference/published_differences.csv": (
        "plan_version", "source", "level", "code", "cost_type", "difference_code",
        "min_difference_tkr", "max_difference_tkr", "description_sv", "description_en",
    ),
}  # fmt: skip
# The contract's optional tables and optional columns (docs/input-formats.md): a city may deliver
# them or leave them out. `LandingWriter.write(..., optional=True)` writes these headers.
OPTIONAL_HEADERS: dict[str, tuple[str, ...]] = {
    "plan/kpis.csv": (
        "kpi_code", "name_sv", "name_en", "numerator", "denominator", "basis", "scope", "unit",
        "target", "target_direction", "target_from", "initiative_id",
    ),
}  # fmt: skip
LEDGER_HEADER = (
    "voucher_series", "voucher_number", "voucher_date", "period", "account", "cost_centre_code",
    "activity_code", "project_code", "counterparty", "amount_sek", "text",
)  # fmt: skip
VOLUMES_HEADER = ("period", "driver_code", "cost_centre_code", "quantity")
# How a controller's Excel export names the same columns (read through readers.ALIASES).
LEDGER_HEADER_SV = (
    "Serie", "Vernr", "Datum", "Period", "Konto", "Ansvar", "Verksamhet", "Projekt", "Motpart",
    "Belopp", "Text",
)  # fmt: skip
VOLUMES_HEADER_SV = ("Period", "Drivare", "Ansvar", "Antal")
MONTHLY_PATTERNS = (
    "ledger/ledger_*.csv", "ledger/ledger_*.se", "ledger/ledger_*.xlsx",
    "volumes/volumes_*.csv", "volumes/volumes_*.xlsx",
)  # fmt: skip
# Zip member timestamp of every XLSX (the DOS epoch: no real date is implied).
ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)


def header_for(relative: str, optional: bool = False) -> tuple[str, ...]:
    """The contract header of a landing file (monthly files included); with `optional`, the
    header with the contract's optional columns, and the optional tables' headers."""
    if relative.startswith("ledger/ledger_"):
        return LEDGER_HEADER
    if relative.startswith("volumes/volumes_"):
        return VOLUMES_HEADER
    if optional and relative in OPTIONAL_HEADERS:
        return OPTIONAL_HEADERS[relative]
    return HEADERS[relative]


class LandingWriter:
    """Writes files under a landing folder and remembers what it wrote."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.files: dict[str, int] = {}  # relative path -> data rows

    def clear_monthly(self) -> None:
        """Remove monthly files of an earlier run so a smaller year range leaves no strays."""
        for pattern in MONTHLY_PATTERNS:
            for path in sorted(self.root.glob(pattern)):
                path.unlink()

    def write(self, relative: str, rows: Iterable[Sequence[str]], *, optional: bool = False) -> int:
        """One canonical CSV; `optional`: with the contract's optional columns (see header_for)."""
        header = header_for(relative, optional)
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        count = 0
        with path.open("w", encoding="utf-8", newline="") as fh:
            out = csv.writer(fh, lineterminator="\n")
            out.writerow(header)
            for row in rows:
                if len(row) != len(header):
                    raise ValueError(
                        f"{relative}: row {count + 2} has {len(row)} fields, expected {len(header)}"
                    )
                out.writerow(row)
                count += 1
        self.files[relative] = count
        return count

    def write_sie(
        self,
        relative: str,
        fiscal_year: int,
        records: list[dict[str, str]],
        *,
        company: str,
        orgnr: str,
        accounts: Sequence[tuple[str, str, str]],
        object_names: Mapping[int, Mapping[str, str]],
    ) -> int:
        """One SIE 4 file (PC8, CR LF) of canonical ledger records.

        `accounts`: (account, name, class) of the chart; `object_names`: SIE dimension -> code ->
        name, declared with `#OBJEKT` for the codes the records use (unknown codes undeclared).
        """
        vouchers = vouchers_from_records(records)
        used: dict[int, set[str]] = {dim: set() for dim in object_names}
        for voucher in vouchers:
            for row in voucher.rows:
                for dim, code in row.objects.items():
                    if dim in used:
                        used[dim].add(code)
        objects = [
            SieObject(dim, code, names[code])
            for dim, names in sorted(object_names.items())
            for code in sorted(used[dim])
            if code in names
        ]
        kinds = {"revenue": "I", "cost": "K"}
        write_sie4(
            self.root / relative,
            company,
            fiscal_year,
            [(acc, name) for acc, name, _ in accounts],
            objects,
            vouchers,
            account_types={
                acc: kinds.get(cls, "T" if acc < "2000" else "S") for acc, _, cls in accounts
            },
            orgnr=orgnr,
        )
        self.files[relative] = len(records)
        return len(records)

    def write_xlsx(
        self,
        relative: str,
        sheet: str,
        title: str,
        header: Sequence[str],
        rows: Iterable[Sequence[object]],
        *,
        exported: datetime,
        number_formats: Mapping[int, str] | None = None,
    ) -> int:
        """One workbook as a controller's export: a title row, an empty row, the header, rows.

        `number_formats`: column index -> Excel number format. `exported` is written as the
        workbook's created/modified time; zip members get ZIP_TIMESTAMP, so bytes are stable.
        """
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font
        from openpyxl.writer.excel import ExcelWriter

        formats = dict(number_formats or {})
        workbook = Workbook(write_only=True)
        workbook.properties.creator = "fordela demo"
        workbook.properties.created = exported
        workbook.properties.modified = exported
        sheet_ = workbook.create_sheet(sheet)
        heading = WriteOnlyCell(sheet_, title)
        heading.font = Font(bold=True, size=12)
        sheet_.append([heading])
        sheet_.append([])
        bold = Font(bold=True)
        cells = []
        for name in header:
            cell = WriteOnlyCell(sheet_, name)
            cell.font = bold
            cells.append(cell)
        sheet_.append(cells)
        count = 0
        for row in rows:
            if len(row) != len(header):
                raise ValueError(
                    f"{relative}: row {count + 4} has {len(row)} fields, expected {len(header)}"
                )
            out: list[object] = []
            for i, value in enumerate(row):
                if i in formats and value is not None:
                    cell = WriteOnlyCell(sheet_, value)
                    cell.number_format = formats[i]
                    out.append(cell)
                else:
                    out.append(value)
            sheet_.append(out)
            count += 1
        raw = io.BytesIO()
        ExcelWriter(workbook, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED)).save()
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(_fixed_zip(raw.getvalue()))
        self.files[relative] = count
        return count


def quantity_text(units: int, decimals: int) -> str:
    """A quantity held as integer units of 10^-decimals (0 or 1 decimal), as canonical text."""
    if decimals == 1:
        return f"{units // 10}.{units % 10}"
    if decimals:
        raise ValueError(f"quantities have 0 or 1 decimal, not {decimals}")
    return str(units)


def write_ledger_month(
    writer: LandingWriter,
    period: str,
    rows: list[list[str]],
    suffix: str,
    *,
    company: str,
    orgnr: str,
    accounts: Sequence[tuple[str, str, str]],
    object_names: Mapping[int, Mapping[str, str]],
) -> int:
    """One ledger month of canonical rows (LEDGER_HEADER order) as `csv`, SIE 4 (`se`) or an
    Excel export (`xlsx`); `company`, `orgnr`, `accounts` and `object_names` go into the SIE."""
    relative = f"ledger/ledger_{period}.{suffix}"
    year = int(period[:4])
    if suffix == "csv":
        return writer.write(relative, rows)
    if suffix == "se":
        records = [dict(zip(LEDGER_HEADER, row, strict=True)) for row in rows]
        return writer.write_sie(
            relative,
            year,
            records,
            company=company,
            orgnr=orgnr,
            accounts=accounts,
            object_names=object_names,
        )
    # An Excel export: typed numbers and dates, empty cells for empty codes.
    typed = (
        [series, int(number), date.fromisoformat(day), per, int(account), cc or None,
         activity or None, project or None, party or None, float(Decimal(amount)), text or None]
        for series, number, day, per, account, cc, activity, project, party, amount, text in rows
    )  # fmt: skip
    return writer.write_xlsx(
        relative,
        "Huvudbok",
        f"Huvudbok {period}",
        LEDGER_HEADER_SV,
        typed,
        exported=export_time(period),
        number_formats={2: "yyyy-mm-dd", 9: "#,##0.00"},
    )


def write_volumes_month(
    writer: LandingWriter,
    period: str,
    rows: list[tuple[str, str, int]],
    as_xlsx: bool,
    decimals: Mapping[str, int],
) -> int:
    """One volume month of (driver, cost centre, units) as canonical CSV or an Excel export;
    `decimals`: driver -> decimals of its units (see quantity_text)."""
    if not as_xlsx:
        return writer.write(
            f"volumes/volumes_{period}.csv",
            ([period, d, cc, quantity_text(q, decimals[d])] for d, cc, q in rows),
        )
    typed = ([period, d, cc, q / 10 if decimals[d] == 1 else q] for d, cc, q in rows)
    return writer.write_xlsx(
        f"volumes/volumes_{period}.xlsx",
        "Volymer",
        f"Volymer {period}",
        VOLUMES_HEADER_SV,
        typed,
        exported=export_time(period),
    )


def _fixed_zip(data: bytes) -> bytes:
    """The same zip with every member's timestamp set to ZIP_TIMESTAMP (same order, data)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=ZIP_TIMESTAMP)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = info.external_attr
            target.writestr(member, source.read(info.filename))
    return out.getvalue()


def export_time(period: str) -> datetime:
    """When a month's export was taken: 18:00 on the 5th of the following month."""
    year, month = int(period[:4]), int(period[5:7])
    first = date(year + month // 12, month % 12 + 1, 5)
    return datetime(first.year, first.month, first.day, 18, 0, 0)
