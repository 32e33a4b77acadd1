"""`make bench`: how fast and how big, measured side by side in one run on this machine.

Figures are ratios of runs made in the same session, so they compare from run to run on a
noisy machine. Writes `bench/results/<date>.json` and `.md` and prints the table.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from bench.procwatch import Watch

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
GIB = 1024**3

TARGETS = {
    "pipeline_s_scale1": ("Full pipeline at scale 1", "≤ 60 s", lambda v: v <= 60),
    "floor_ratio": ("Pipeline time / SQL-floor time, same run", "≤ 2.0", lambda v: v <= 2.0),
    "pandas_ratio": ("pandas time / pipeline time at scale 1", "≥ 10", lambda v: v >= 10),
    "scale10_over_scale1": ("Scale 10 time / scale 1 time", "≤ 10", lambda v: v <= 10),
    "peak_rss_gib_scale10": ("Peak memory at scale 10", "≤ 4 GiB", lambda v: v <= 4),
    "incremental_month_s": ("One new month at scale 1", "≤ 15 s", lambda v: v <= 15),
    "dashboard_p95_ms_scale10": ("Dashboard query p95 at scale 10", "≤ 200 ms", lambda v: v <= 200),
    "invoice_xlsx_s_scale1": (
        "Invoice basis as Excel, a full year, largest organisation, scale 1",
        "< 5 s",
        lambda v: v < 5,
    ),
}


@dataclass
class StageFigures:
    wall_s: float = 0.0
    cpu_s: float = 0.0
    peak_rss_gib: float = 0.0


@dataclass
class PipelineFigures:
    scale: float
    generate_s: float
    wall_s: float
    cpu_s: float
    peak_rss_gib: float
    rows_landed: int
    allocation_rows: int
    rows_per_s: float
    stages: dict[str, StageFigures] = field(default_factory=dict)
    # dbt's own timing of the build (the profile of the biggest stage): nodes run and the
    # slowest ten with their seconds
    dbt_nodes: int = 0
    dbt_slowest: list[tuple[str, float]] = field(default_factory=list)


def _env(data_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "FORDELA_DATA_DIR": str(data_dir),
        "DAGSTER_HOME": str(data_dir / "dagster_home"),
    }


def _python() -> str:
    return sys.executable


def generate(data_dir: Path, scale: float) -> float:
    started = time.perf_counter()
    subprocess.run(
        [
            _python(),
            "-m",
            "pipelines.cli",
            "demo-data",
            "--scale",
            str(scale),
            "--force",
            "--ledger-formats",
            "csv",
        ],
        env=_env(data_dir),
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def _stage(step_key: str, raw_steps: set[str]) -> str:
    if step_key == "fordela_dbt_assets":
        return "dbt"
    if step_key.startswith("serving__"):
        return "publish"
    if step_key in raw_steps:
        return "ingest"
    return "checks"


def _step_intervals(data_dir: Path) -> list[tuple[str, float, float]]:
    """(step key, start, end) of the newest run in the data folder's Dagster instance."""
    import dagster as dg
    from dagster._core.instance.ref import InstanceRef

    instance = dg.DagsterInstance.from_ref(InstanceRef.from_dir(str(data_dir / "dagster_home")))
    run = instance.get_runs(limit=1)[0]
    starts: dict[str, float] = {}
    intervals = []
    for record in instance.all_logs(run.run_id):
        event = record.dagster_event
        if event is None or record.step_key is None:
            continue
        if event.event_type == dg.DagsterEventType.STEP_START:
            starts[record.step_key] = record.timestamp
        elif event.event_type in (
            dg.DagsterEventType.STEP_SUCCESS,
            dg.DagsterEventType.STEP_FAILURE,
        ):
            intervals.append(
                (record.step_key, starts.get(record.step_key, record.timestamp), record.timestamp)
            )
    instance.dispose()
    return intervals


def _dbt_timing(since: float) -> tuple[int, list[tuple[str, float]]]:
    """Node count and slowest nodes of the newest dbt build that ended after `since`."""
    targets = [
        p
        for p in (ROOT / "dbt_project" / "target").glob("fordela_dbt_assets-*/run_results.json")
        if p.stat().st_mtime >= since
    ]
    if not targets:
        return 0, []
    results = json.loads(max(targets, key=lambda p: p.stat().st_mtime).read_text())["results"]
    slowest = sorted(results, key=lambda r: -r["execution_time"])[:10]
    return len(results), [
        (r["unique_id"].split(".")[-1], round(r["execution_time"], 2)) for r in slowest
    ]


def run_pipeline(data_dir: Path, scale: float, generate_s: float) -> PipelineFigures:
    from pipelines.lib.landing import TABLE_SPECS

    started = time.time()
    process = subprocess.Popen(
        [_python(), "-m", "pipelines.cli", "pipeline", "--no-demo"],
        env=_env(data_dir),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    watch = Watch(process.pid).start()
    _, stderr = process.communicate()
    watch.stop()
    ended = time.time()
    if process.returncode != 0:
        raise RuntimeError(f"pipeline failed at scale {scale}:\n{stderr[-3000:]}")

    raw_steps = {f"raw__{spec.table}" for spec in TABLE_SPECS}
    stages: dict[str, StageFigures] = defaultdict(StageFigures)
    for step_key, start, end in _step_intervals(data_dir):
        stage = stages[_stage(step_key, raw_steps)]
        cpu, peak = watch.window(start, end)
        stage.wall_s += end - start
        stage.cpu_s += cpu
        stage.peak_rss_gib = max(stage.peak_rss_gib, peak / GIB)
    total_cpu, total_peak = watch.window(started, ended)

    with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as con:
        (rows_landed,) = con.execute(
            "select coalesce(sum(rows_read), 0) from ops.landed_files"
        ).fetchall()[0]
        (allocation_rows,) = con.execute("select count(*) from marts.fct_allocation").fetchall()[0]
    wall = ended - started
    dbt_nodes, dbt_slowest = _dbt_timing(started)
    return PipelineFigures(
        scale=scale,
        generate_s=round(generate_s, 2),
        wall_s=round(wall, 2),
        cpu_s=round(total_cpu, 2),
        peak_rss_gib=round(total_peak / GIB, 3),
        rows_landed=int(rows_landed),
        allocation_rows=int(allocation_rows),
        rows_per_s=round((int(rows_landed) + int(allocation_rows)) / wall, 1),
        stages={
            k: StageFigures(round(v.wall_s, 2), round(v.cpu_s, 2), round(v.peak_rss_gib, 3))
            for k, v in stages.items()
        },
        dbt_nodes=dbt_nodes,
        dbt_slowest=dbt_slowest,
    )


def incremental_month(scale1_landing: Path, work: Path) -> PipelineFigures:
    """A pipeline run that lands one new month of ledger and volumes on a loaded city.

    The city is loaded without its last month first (untimed); then the month's files arrive
    and the pipeline runs again, measured stage by stage like a full run."""
    data_dir = work / "incremental"
    landing = data_dir / "landing"
    shutil.copytree(scale1_landing, landing)
    last = sorted({p.stem.split("_")[-1] for p in (landing / "ledger").glob("ledger_*.*")})[-1]
    held = work / "held"
    held.mkdir()
    for path in list((landing / "ledger").glob(f"ledger_{last}.*")) + list(
        (landing / "volumes").glob(f"volumes_{last}.*")
    ):
        shutil.move(path, held / path.name)
    subprocess.run(
        [_python(), "-m", "pipelines.cli", "pipeline", "--no-demo"],
        env=_env(data_dir),
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for path in held.iterdir():
        kind = "ledger" if path.name.startswith("ledger") else "volumes"
        shutil.move(path, landing / kind / path.name)
    return run_pipeline(data_dir, 1.0, 0.0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale50", action="store_true", help="also run scale 50")
    parser.add_argument(
        "--quick", action="store_true", help="scale 1 only (for trying the harness)"
    )
    parser.add_argument("--keep", type=Path, default=None, help="keep the data folders here")
    args = parser.parse_args(argv)

    work = args.keep or Path(tempfile.mkdtemp(prefix="fordela-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    scales = [1.0] if args.quick else [1.0, 10.0] + ([50.0] if args.scale50 else [])
    figures: dict[str, PipelineFigures] = {}
    for scale in scales:
        data_dir = work / f"scale{scale:g}"
        print(f"scale {scale:g}: generating ...", flush=True)
        generate_s = generate(data_dir, scale)
        print(f"scale {scale:g}: running the pipeline ...", flush=True)
        figures[f"{scale:g}"] = run_pipeline(data_dir, scale, generate_s)
        print(f"scale {scale:g}: {figures[f'{scale:g}'].wall_s} s", flush=True)

    from bench import baselines, dashboard_latency

    s1 = work / "scale1"
    floor = baselines.sql_floor(s1)
    pandas_run = baselines.pandas_baseline(s1)
    pipeline_totals = baselines.pipeline_totals(s1 / "warehouse.duckdb")
    floor_ok = baselines.same_totals(floor.totals, pipeline_totals)
    pandas_ok = baselines.same_totals(pandas_run.totals, pipeline_totals)
    print("incremental month ...", flush=True)
    incremental = incremental_month(s1 / "landing", work)
    latency_dir = work / ("scale10" if "10" in figures else "scale1")
    latency = dashboard_latency.measure(latency_dir / "serving" / "current.duckdb")
    # The invoice basis as Excel, apart from the page queries: at scale 1 (a real city's size).
    download = dashboard_latency.measure_invoice_download(s1 / "serving" / "current.duckdb")

    p1 = figures["1"].wall_s
    result = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cores": os.cpu_count(),
            "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / GIB, 1),
            "python": sys.version.split()[0],
            "duckdb": duckdb.__version__,
        },
        "pipeline_s_scale1": p1,
        "floor_ratio": round(p1 / floor.seconds, 2),
        "pandas_ratio": round(pandas_run.seconds / p1, 2),
        "scale10_over_scale1": round(figures["10"].wall_s / p1, 2) if "10" in figures else None,
        "peak_rss_gib_scale10": figures["10"].peak_rss_gib if "10" in figures else None,
        "incremental_month_s": incremental.wall_s,
        "dashboard_p95_ms_scale10": latency.p95_ms,
        "dashboard_p50_ms_scale10": latency.p50_ms,
        "dashboard_snapshot_scale": 10 if "10" in figures else 1,
        # the floor's time includes the engine's reciprocal step it shares (bench/floor.sql)
        "sql_floor_s": round(floor.seconds, 2),
        "sql_floor_engine_step_s": round(floor.engine_step_seconds, 2),
        "sql_floor_totals_equal": floor_ok,
        "pandas_s": round(pandas_run.seconds, 2),
        "pandas_totals_equal": pandas_ok,
        "pipelines": {k: asdict(v) for k, v in figures.items()},
        "incremental_month": asdict(incremental),
        "dashboard_queries": latency.per_query,
        "invoice_xlsx_s_scale1": download.total_s,
        "invoice_xlsx": {**asdict(download), "total_s": download.total_s},
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    # A --quick run (scale 1 only) is not comparable with a full one: name it apart.
    stem = RESULTS / (datetime.now(UTC).strftime("%Y-%m-%d") + ("-quick" if args.quick else ""))
    stem.with_suffix(".json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    table = markdown(result)
    stem.with_suffix(".md").write_text(table)
    print(table)
    if not (floor_ok and pandas_ok):
        for name, run in (("SQL floor", floor), ("pandas", pandas_run)):
            if not baselines.same_totals(run.totals, pipeline_totals):
                print(
                    f"{name} differs from the pipeline: "
                    f"{baselines.first_differences(run.totals, pipeline_totals)}",
                    file=sys.stderr,
                )
        return 1
    return 0


def markdown(result: dict) -> str:
    lines = [
        f"# fordela benchmark {result['date']}",
        "",
        f"Machine: {result['machine']['cores']} cores, {result['machine']['memory_gib']} GiB, "
        f"Python {result['machine']['python']}, DuckDB {result['machine']['duckdb']}.",
        "",
        "| Figure | Target | Measured | Met |",
        "|---|---|---|---|",
    ]
    for key, (label, target, ok) in TARGETS.items():
        value = result.get(key)
        lines.append(
            f"| {label} (`{key}`) | {target} | {value} | {'yes' if value is not None and ok(value) else 'no'} |"
        )
    lines += [
        "",
        "| Scale | Wall s | CPU s | Peak GiB | Rows landed | fct_allocation rows | Rows/s |",
        "|---|---|---|---|---|---|---|",
    ]
    for scale, fig in result["pipelines"].items():
        lines.append(
            f"| {scale} | {fig['wall_s']} | {fig['cpu_s']} | {fig['peak_rss_gib']} | {fig['rows_landed']} | "
            f"{fig['allocation_rows']} | {fig['rows_per_s']} |"
        )
    lines += ["", "| Scale | Stage | Wall s | CPU s | Peak GiB |", "|---|---|---|---|---|"]
    for scale, fig in result["pipelines"].items():
        for stage in ("ingest", "checks", "dbt", "publish"):
            if stage in fig["stages"]:
                s = fig["stages"][stage]
                lines.append(
                    f"| {scale} | {stage} | {s['wall_s']} | {s['cpu_s']} | {s['peak_rss_gib']} |"
                )
    if result.get("incremental_month"):
        inc = result["incremental_month"]
        for stage in ("ingest", "checks", "dbt", "publish"):
            if stage in inc["stages"]:
                s = inc["stages"][stage]
                lines.append(
                    f"| 1, one new month | {stage} | {s['wall_s']} | {s['cpu_s']} | {s['peak_rss_gib']} |"
                )
    for scale, fig in result["pipelines"].items():
        if fig.get("dbt_slowest"):
            slowest = ", ".join(f"`{name}` {seconds}" for name, seconds in fig["dbt_slowest"][:6])
            lines += [
                "",
                f"Scale {scale}, dbt ({fig['dbt_nodes']} nodes), slowest in seconds: {slowest}.",
            ]
    lines += [
        "",
        f"SQL floor {result['sql_floor_s']} s, of which {result.get('sql_floor_engine_step_s')} s the engine's reciprocal step in Python "
        f"(totals equal: {result['sql_floor_totals_equal']}); "
        f"pandas {result['pandas_s']} s (totals equal: {result['pandas_totals_equal']}); "
        f"dashboard p50 {result['dashboard_p50_ms_scale10']} ms on the scale-{result['dashboard_snapshot_scale']} snapshot.",
        "",
    ]
    if result.get("invoice_xlsx"):
        x = result["invoice_xlsx"]
        lines += [
            f"Invoice basis as Excel (apart from the page queries): {x['org_code']} {x['fiscal_year']}, "
            f"{x['rows']} rows, query {x['query_s']} s + workbook {x['workbook_s']} s = {x['total_s']} s.",
            "",
        ]
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
