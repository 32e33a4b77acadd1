"""The `fordela` command line: demo data, the whole pipeline, publishing."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from pipelines.lib.settings import get_settings

if TYPE_CHECKING:
    import dagster as dg

app = typer.Typer(help="fordela: cost allocation for shared services.", no_args_is_help=True)


@app.command("demo-data")
def demo_data(
    out: Path | None = typer.Option(None, help="Landing folder to write (default: data/landing)."),
    seed: int = typer.Option(2017, help="Random seed; the same seed gives byte-identical files."),
    scale: float = typer.Option(1.0, help="Multiplies cost centres, ledger rows and volume rows."),
    years: str = typer.Option("2016-2017", help="Fiscal years, e.g. 2016-2017 or 2016,2017."),
    force: bool = typer.Option(False, help="Write even if the landing folder already has data."),
    ledger_formats: str = typer.Option(
        "mixed", help="mixed: ledger months as SIE4, XLSX and CSV as a city delivers them; csv: all CSV."
    ),
) -> None:
    """Generate the demo city (Göteborg 2016/2017) as input files in the landing folder."""
    from pipelines.lib.demo import generate, parse_years

    target = out or get_settings().landing_dir
    if not force and any(target.glob("*/*.csv")):
        typer.echo(f"{target} already holds input files; pass --force to regenerate.")
        raise typer.Exit(0)
    if ledger_formats not in ("mixed", "csv"):
        raise typer.BadParameter("use 'mixed' or 'csv'", param_hint="--ledger-formats")
    summary = generate(
        target, seed=seed, scale=scale, years=parse_years(years), ledger_formats=ledger_formats
    )
    typer.echo(summary.describe())


def prepare_dagster_home() -> Path:
    """A persistent Dagster instance under data/, so runs show in `make dagster` afterwards."""
    import os

    home = get_settings().dagster_home
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        # One writer to the warehouse at a time: every writing asset is in the pool `warehouse`.
        config.write_text(
            "concurrency:\n  pools:\n    default_limit: 1\n"
            "telemetry:\n  enabled: false\n"
        )
    os.environ["DAGSTER_HOME"] = str(home)
    return home


@app.command("pipeline")
def pipeline(
    generate_demo: bool = typer.Option(
        True, "--demo/--no-demo", help="Generate the demo city first when the landing folder is empty."
    ),
    scale: float = typer.Option(1.0, help="Scale of the demo city if it has to be generated."),
) -> None:
    """Run the whole pipeline once: land, build and test, check, publish.

    A run that crashed before (killed, out of memory, a reboot) is recovered first: marked failed,
    its slot in the warehouse pool freed. A data folder that is read-only or full stops the run
    with a message naming the folder; the published snapshot is never touched.
    """
    import traceback

    import dagster as dg

    from pipelines.lib.storage import check_data_folders, diagnose_failure

    settings = get_settings()
    problem = check_data_folders(settings)
    if problem is not None:
        typer.echo(problem.message(settings.current_snapshot), err=True)
        raise typer.Exit(1)
    if generate_demo and not any(settings.landing_dir.glob("*/*.csv")):
        from pipelines.lib.demo import generate

        typer.echo(f"Generating the demo city into {settings.landing_dir} ...")
        typer.echo(generate(settings.landing_dir, scale=scale).describe())
    prepare_dagster_home()
    from pipelines.defs.automation import run_full_pipeline

    def recovered(line: str) -> None:
        typer.echo(f"Recovered after a crash: {line}", err=True)

    # One run: the monthly ingest over every month that has files, then everything else.
    try:
        with dg.DagsterInstance.get() as instance:
            result = run_full_pipeline(
                instance,
                raise_on_error=False,
                run_config={"loggers": {"console": {"config": {"log_level": "INFO"}}}},
                report=recovered,
            )
    except Exception:
        _end_own_dbt()
        # Dagster itself cannot record events on a read-only or full disk: say so, plainly.
        problem = diagnose_failure([traceback.format_exc()], settings)
        if problem is None:
            raise
        typer.echo(problem.message(settings.current_snapshot), err=True)
        raise typer.Exit(1) from None
    if not result.success:
        _end_own_dbt()
        problem = diagnose_failure(_failure_texts(result), settings)
        if problem is not None:
            typer.echo(problem.message(settings.current_snapshot), err=True)
        else:
            typer.echo("The pipeline failed; the published snapshot was left as it was.", err=True)
        raise typer.Exit(1)
    typer.echo(f"Published {settings.current_snapshot}")


def _end_own_dbt() -> None:
    """End a dbt this process started that still runs: when a run fails while Dagster cannot
    record its events (a full or read-only disk), the dbt step is left without being closed,
    and its dbt would go on writing the warehouse, holding its lock, after this command ends."""
    import os

    from pipelines.defs.resources import DBT_RUN_ENV
    from pipelines.lib.processes import kill_processes, processes_with_environment

    kill_processes(processes_with_environment(DBT_RUN_ENV, parent=os.getpid()))


def _failure_texts(result: dg.ExecuteInProcessResult) -> list[str]:
    """The messages and errors of a run's failure events (what went wrong, in the tools' words)."""
    texts: list[str] = []
    for event in result.all_events:
        if event.is_failure or event.event_type_value in ("STEP_FAILURE", "PIPELINE_FAILURE"):
            texts.append(f"{event.message or ''} {event.event_specific_data!r}")
    return texts


@app.command("query")
def query(sql: str = typer.Argument(..., help="SQL to run against the published snapshot.")) -> None:
    """Run a query against the published snapshot (read-only) and print the result."""
    import duckdb
    from rich.console import Console
    from rich.table import Table

    path = get_settings().current_snapshot
    if not path.exists():
        typer.echo(f"No published snapshot at {path}; run `make pipeline` first.", err=True)
        raise typer.Exit(1)
    with duckdb.connect(str(path), read_only=True) as con:
        try:
            cursor = con.execute(sql)
        except duckdb.Error as error:
            typer.echo(f"The query failed: {error}", err=True)
            raise typer.Exit(1) from None
        columns = [d[0] for d in cursor.description]
        rows = cursor.fetchall()
    table = Table(*columns)
    for row in rows:
        table.add_row(*("" if v is None else str(v) for v in row))
    Console().print(table)


if __name__ == "__main__":
    app()
