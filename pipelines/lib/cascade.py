"""When quarantine takes most of a delivery: find the tables over the limit and the root cause.

Single bad rows are quarantined and the run goes on. When a rule removes more than
`Settings.quarantine_fail_share` of a file's rows (or of a register's), the cause is almost
always a few register rows: an organisation whose group is unknown quarantines its cost
centres (unknown_organisation), which quarantines every ledger row booked on them
(unknown_cost_centre). `quarantine_report` finds the files and tables over the limit and
follows their quarantined rows through the `known` rules of `expectations/` (the value of the
row's column is a code of another register, itself quarantined) back to the rows where the
cascade starts: the root cause, named first, then the counts per table. The Dagster check
`quarantine_within_limit` fails, blocking dbt, when anything is over the limit, and
`fordela pipeline` prints the root cause as the first line of its failure output.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

import duckdb

from expectations import CONTRACTS_BY_TABLE
from expectations.base import Reference
from pipelines.lib.configuration import rows_text
from pipelines.lib.landing import TABLE_SPECS
from pipelines.lib.quality import insert_check_results, relation_exists

QUARANTINE_CHECK_NAME = "quarantine_within_limit"

# Quarantine checks that follow from another row of the same file, never a cause of their own.
_DERIVED_CHECKS = frozenset({"voucher_held_back"})
_MAX_DEPTH = 8
_TABLES = [spec.table for spec in TABLE_SPECS]  # registers first, in load order
_PARTITIONED = frozenset(spec.table for spec in TABLE_SPECS if spec.partitioned)


@dataclass(frozen=True)
class Loss:
    """A file (or a whole table, `source_file` None) and how many of its rows quarantine took."""

    table: str
    source_file: str | None
    rows_read: int
    rows_quarantined: int

    @property
    def share(self) -> float:
        return self.rows_quarantined / self.rows_read if self.rows_read else 0.0

    def describe(self) -> str:
        if self.source_file is None:
            return (
                f"{_count(self.rows_quarantined)} of {_count(self.rows_read)} rows of {self.table}"
            )
        percent = round(100 * self.share)
        return f"{percent} % of {self.source_file} ({_count(self.rows_quarantined)} of {_count(self.rows_read)} rows)"


@dataclass(frozen=True)
class RootCause:
    """Quarantined rows where a cascade starts: one file, one rule, one column."""

    table: str
    source_file: str
    rows: tuple[int, ...]
    check_name: str
    column_name: str | None
    values: tuple[str, ...]
    message: str  # the first row's quarantine message, without its location

    def describe(self) -> str:
        column = f", column '{self.column_name}'" if self.column_name else ""
        shown = ", ".join(f"'{v}'" for v in self.values[:5])
        more = f" and {len(self.values) - 5} more" if len(self.values) > 5 else ""
        values = f" ({shown}{more})" if len(self.values) > 1 else ""
        return (
            f"{self.source_file} {rows_text(self.rows)}{column}{values}: "
            f"{self.message.rstrip('.')} ({self.check_name})"
        )


@dataclass
class QuarantineReport:
    """What quarantine took, over the limit, and why."""

    limit: float
    losses: list[Loss] = field(default_factory=list)  # over the limit
    causes: list[tuple[RootCause, list[Loss]]] = field(default_factory=list)  # cause -> its losses

    @property
    def passed(self) -> bool:
        return not self.losses

    def lines(self) -> list[str]:
        """The root cause(s) first, each with what it took, then every loss over the limit."""
        lines = []
        for cause, losses in self.causes:
            taken = _join([loss.describe() for loss in losses])
            lines.append(f"{cause.describe()} -> {taken} quarantined")
        percent = f"{self.limit * 100:g} %"
        lines += [
            f"over the limit ({percent}, FORDELA_QUARANTINE_FAIL_SHARE): {loss.describe()} quarantined"
            for loss in self.losses
        ]
        return lines


def _count(n: int) -> str:
    return f"{n:,}".replace(",", " ")


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def losses(con: duckdb.DuckDBPyConnection) -> list[Loss]:
    """Rows read and quarantined per active file, and per table (files summed)."""
    if not relation_exists(con, "ops", "landed_files"):
        return []
    rows = con.execute(
        """
        select table_name, relative_path, sum(rows_read), sum(rows_quarantined)
        from ops.landed_files
        where status = 'active'
        group by grouping sets ((table_name, relative_path), (table_name))
        order by table_name, relative_path nulls first
        """
    ).fetchall()
    return [Loss(t, f, int(r or 0), int(q or 0)) for t, f, r, q in rows]


def _known_reference(table: str, check_name: str, column: str | None) -> Reference | None:
    contract = CONTRACTS_BY_TABLE.get(table)
    if contract is None or column is None:
        return None
    for rule in contract.rules:
        if rule.kind == "known" and rule.name == check_name and rule.column == column:
            return rule.reference
    return None


def _quarantined(
    con: duckdb.DuckDBPyConnection,
    table: str,
    source_file: str | None,
    within: tuple[str, tuple[str, ...]] | None,
) -> list[tuple[str, str | None, str, int, str | None, str]]:
    """(check, column, file, row, value, message) of the quarantined rows of a table's active
    files; `within` = (column, values) keeps the rows whose column holds one of the values."""
    sql = """
        select q.check_name, q.column_name, q.source_file, q.source_row, q.value, q.message
        from ops.quarantine q
        join ops.landed_files f
          on f.file_hash = q.file_hash and f.table_name = q.table_name and f.status = 'active'
        where q.table_name = ?
    """
    params: list[object] = [table]
    if source_file is not None:
        sql += " and q.source_file = ?"
        params.append(source_file)
    if within is not None:
        column, values = within
        path = "$." + column  # a contract column name: letters and underscores
        sql += f" and list_contains(?::varchar[], json_extract_string(q.raw_record, '{path}'))"
        params.append(list(values))
    return [
        (c, col, f, int(r), v, m)
        for c, col, f, r, v, m in con.execute(
            sql + " order by q.source_file, q.source_row", params
        ).fetchall()
    ]


def _strip_location(message: str, source_file: str) -> str:
    """`ledger/x.csv row 4: unknown ...` -> `unknown ...` (the cause names its rows itself)."""
    for word in (" row ", " line "):
        prefix = source_file + word
        if message.startswith(prefix) and ": " in message:
            return message.split(": ", 1)[1]
    return message


def trace(
    con: duckdb.DuckDBPyConnection,
    table: str,
    source_file: str | None = None,
    within: tuple[str, tuple[str, ...]] | None = None,
    depth: int = 0,
) -> list[tuple[RootCause, int]]:
    """The root causes of a table's quarantined rows, each with how many of those rows it explains.

    The rows are grouped by rule and column. A group whose rule says the value is not in
    another register (a `known` rule) is followed into that register when the register holds
    quarantined rows with those codes: the cause lies there. Otherwise the group is itself a
    root cause.
    """
    rows = _quarantined(con, table, source_file, within)
    groups: dict[tuple[str, str | None], list[tuple[str, int, str | None, str]]] = {}
    for check, column, file, row, value, message in rows:
        groups.setdefault((check, column), []).append((file, row, value, message))
    if len(groups) > 1:
        for derived in _DERIVED_CHECKS:
            groups.pop((derived, None), None)
    causes: list[tuple[RootCause, int]] = []
    for (check, column), members in sorted(groups.items(), key=lambda g: -len(g[1])):
        count = len({(f, r) for f, r, _, _ in members})
        values = tuple(sorted({v for _, _, v, _ in members if v is not None}))
        reference = _known_reference(table, check, column)
        if reference is not None and reference.table != table and values and depth < _MAX_DEPTH:
            upstream = trace(con, reference.table, None, (reference.column, values), depth + 1)
            if upstream:
                causes += [(cause, count) for cause, _ in upstream]
                continue
        by_file: dict[str, list[int]] = {}
        for file, row, _, _ in members:
            by_file.setdefault(file, []).append(row)
        first_file, first_row, _, first_message = members[0]
        causes.append(
            (
                RootCause(
                    table=table,
                    source_file=first_file
                    if len(by_file) == 1
                    else f"{first_file} (and {len(by_file) - 1} more files)",
                    rows=tuple(by_file[first_file]),
                    check_name=check,
                    column_name=column,
                    values=values,
                    message=_strip_location(first_message, first_file),
                ),
                count,
            )
        )
    return causes


def quarantine_report(con: duckdb.DuckDBPyConnection, limit: float) -> QuarantineReport:
    """The files and tables whose quarantined share exceeds `limit`, and their root causes."""
    report = QuarantineReport(limit=limit)
    over = [loss for loss in losses(con) if loss.rows_read and loss.share > limit]
    # Registers are counted as a whole ("12 of 13 rows of organisations"), monthly tables per
    # file ("96 % of ledger/ledger_2031-01.csv"); a register file over the limit while its
    # table is not still counts.
    whole = {loss.table for loss in over if loss.source_file is None}
    report.losses = [
        loss
        for loss in over
        if (loss.table in _PARTITIONED) == (loss.source_file is not None)
        or (loss.source_file is not None and loss.table not in whole)
    ]
    # Causes found from several losses (the register's own rows, the ledger rows booked on
    # them) are one cause: same file, rule and column; their rows and values are merged.
    merged: dict[tuple[str, str, str, str | None], RootCause] = {}
    taken: dict[tuple[str, str, str, str | None], list[Loss]] = {}
    weight: dict[tuple[str, str, str, str | None], int] = {}
    for loss in report.losses:
        for cause, count in trace(con, loss.table, loss.source_file):
            key = (cause.table, cause.source_file, cause.check_name, cause.column_name)
            known = merged.get(key)
            merged[key] = (
                cause
                if known is None
                else replace(
                    known,
                    rows=tuple(sorted({*known.rows, *cause.rows})),
                    values=tuple(sorted({*known.values, *cause.values})),
                )
            )
            if loss not in taken.setdefault(key, []):
                taken[key].append(loss)
            weight[key] = weight.get(key, 0) + count
    by_cause = {merged[key]: taken[key] for key in merged}
    weight_of = {merged[key]: weight[key] for key in merged}
    # The cause that explains most quarantined rows first; its own register's loss leads.
    ordered = sorted(by_cause, key=lambda c: -weight_of[c])
    report.causes = [
        (cause, sorted(by_cause[cause], key=lambda loss: (loss.table != cause.table, _order(loss))))
        for cause in ordered
    ]
    return report


def _order(loss: Loss) -> tuple[int, str, str]:
    position = _TABLES.index(loss.table) if loss.table in _TABLES else len(_TABLES)
    return (position, loss.table, loss.source_file or "")


def store_quarantine_report(
    con: duckdb.DuckDBPyConnection, report: QuarantineReport, run_id: str | None
) -> None:
    """`ops.check_results` (source `quarantine`): one row per loss over the limit, its root
    cause first in the message; one passing row when nothing is over the limit."""
    now = datetime.now(UTC).replace(tzinfo=None)
    cause_of = {id(loss): cause for cause, taken in report.causes for loss in taken}
    rows = []
    for loss in report.losses:
        cause = cause_of.get(id(loss))
        rows.append(
            [
                now,
                run_id,
                QUARANTINE_CHECK_NAME,
                f"raw/{loss.table}",
                "blocking",
                False,
                f"{QUARANTINE_CHECK_NAME}: share of rows quarantined",
                None,
                loss.rows_read,
                loss.rows_quarantined,
                json.dumps([] if cause is None else list(cause.values[:20]), ensure_ascii=False),
                json.dumps(
                    []
                    if cause is None
                    else [
                        {"source_file": cause.source_file, "source_row": r} for r in cause.rows[:20]
                    ],
                    ensure_ascii=False,
                ),
                (f"{cause.describe()} -> " if cause else "")
                + f"{loss.describe()} quarantined (limit {report.limit:g})",
            ]
        )
    if not rows:
        rows.append(
            [
                now,
                run_id,
                QUARANTINE_CHECK_NAME,
                "raw/ledger",
                "blocking",
                True,
                f"{QUARANTINE_CHECK_NAME}: share of rows quarantined",
                None,
                None,
                0,
                "[]",
                "[]",
                f"no file or register lost more than {report.limit:g} of its rows to quarantine",
            ]
        )
    insert_check_results(con, "quarantine", rows)
