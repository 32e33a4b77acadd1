"""Dashboard query latency: the pages' own query functions, run against a published snapshot.

Every call is made with Streamlit's data cache cleared first, so the figure is what a page waits
for when the cache is cold (a new snapshot, a new filter), not a cache hit.
"""

from __future__ import annotations

import logging
import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

RUNS = 20


@dataclass(frozen=True)
class Latency:
    p50_ms: float
    p95_ms: float
    per_query: dict[str, dict[str, float]]


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def _calls() -> dict[str, Callable[[], object]]:
    from dashboards.lib import queries as q
    from dashboards.lib.auth import Principal

    boss = Principal("bench", "management", "Bench", None, "test")
    angered = Principal("bench-c", "controller", "Bench", frozenset({"N131"}), "test")
    engineer = Principal("bench-d", "data_engineer", "Bench", None, "test")
    year, month = 2017, date(2017, 6, 1)
    return {
        "budget: by area": lambda: q.budget_by_area(boss, year, "proposal"),
        "budget: by organisation": lambda: q.budget_by_org(boss, year, "proposal"),
        "budget: by group": lambda: q.budget_by_org_group(boss, year, "proposal"),
        "overview: areas to date": lambda: q.lines_to_date(
            boss, year, ["outcome", "budget"], month
        ),
        "overview: largest variances": lambda: q.largest_variances(boss, month),
        "services: cost per month": lambda: q.service_cost_monthly(boss, "IT-ARB"),
        "services: consumers": lambda: q.service_consumers(boss, "IT-ARB", year, "budget"),
        "services: price settlement": lambda: q.price_settlements(boss, "IT-ARB"),
        "my organisation: key figures": lambda: q.statement_totals(
            angered, "N131", year, month, "budget"
        ),
        "my organisation: per service": lambda: q.statement_by_service(
            angered, "N131", year, month, "budget"
        ),
        "my organisation: per month": lambda: q.statement_monthly(angered, "N131", year, "budget"),
        "my organisation: invoice basis": lambda: q.invoice_basis(angered, "N131", year, month),
        "data quality: check results": lambda: q.check_results(engineer),
        "data quality: quarantine": lambda: q.quarantine_summary(engineer),
        "initiatives: kpis": lambda: q.kpis(boss),
    }


def measure(snapshot: Path, runs: int = RUNS) -> Latency:
    os.environ["FORDELA_SNAPSHOT"] = str(snapshot)
    import streamlit as st

    # Outside `streamlit run` the cache warns on every call that there is no runtime.
    for name in list(logging.root.manager.loggerDict):
        if name.startswith("streamlit"):
            logging.getLogger(name).setLevel(logging.ERROR)

    timings: dict[str, list[float]] = {}
    for name, call in _calls().items():
        samples = []
        for _ in range(runs):
            st.cache_data.clear()
            started = time.perf_counter()
            try:
                call()
            except TypeError as error:  # a query whose signature moved: report, don't guess
                print(f"skipped {name}: {error}")
                break
            samples.append((time.perf_counter() - started) * 1000)
        if samples:
            timings[name] = samples
    every = [t for samples in timings.values() for t in samples]
    per_query = {
        name: {"p50_ms": round(statistics.median(s), 1), "p95_ms": round(_percentile(s, 0.95), 1)}
        for name, s in timings.items()
    }
    return Latency(
        round(statistics.median(every), 1), round(_percentile(every, 0.95), 1), per_query
    )


DOWNLOAD_RUNS = 3


@dataclass(frozen=True)
class Download:
    """The invoice basis as Excel for the organisation with the most charge rows in a year:
    the page's query and the workbook built from it, as a click on *Ladda ner Excel* does."""

    org_code: str
    fiscal_year: int
    rows: int
    query_s: float
    workbook_s: float

    @property
    def total_s(self) -> float:
        return round(self.query_s + self.workbook_s, 2)


def measure_invoice_download(snapshot: Path, runs: int = DOWNLOAD_RUNS) -> Download:
    """The median of `runs` cold downloads (the cache cleared each time) of a full year."""
    import duckdb
    import streamlit as st

    from dashboards.lib import excel
    from dashboards.lib import queries as q
    from dashboards.lib.auth import Principal

    os.environ["FORDELA_SNAPSHOT"] = str(snapshot)
    with duckdb.connect(str(snapshot), read_only=True) as con:
        found = con.execute(
            "select consumer_org_code, fiscal_year, max(period_month) from marts.fct_allocation "
            "where scenario = 'outcome' group by all order by count(*) desc limit 1"
        ).fetchone()
    assert found is not None, "no outcome charges in the snapshot"
    org_code, year, last_month = found
    controller = Principal("bench-c", "controller", "Bench", frozenset({org_code}), "test")
    queried, built, rows = [], [], 0
    for _ in range(runs):
        st.cache_data.clear()
        started = time.perf_counter()
        frame = q.invoice_basis(controller, org_code, year, last_month)
        middle = time.perf_counter()
        excel.invoice_workbook(
            frame,
            org_code=org_code,
            org_name=org_code,
            fiscal_year=year,
            through_month=last_month,
            published_at=None,
            lang="sv",
        )
        queried.append(middle - started)
        built.append(time.perf_counter() - middle)
        rows = len(frame)
    return Download(
        org_code,
        int(year),
        rows,
        round(statistics.median(queried), 2),
        round(statistics.median(built), 2),
    )
