"""The `fordela` command line: demo data, the whole pipeline, the month close, queries."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from pipelines.lib.demo.cities import CITIES, DEFAULT_CITY
from pipelines.lib.settings import get_settings

# The demo cities, as `--city` lists them (their facts live with the demo generator).
_CITY_CHOICES = ", ".join(
    f"{c.city_id} ({c.name} {c.default_years[0]}-{c.default_years[-1]})" for c in CITIES.values()
)

if TYPE_CHECKING:
    import dagster as dg

app = typer.Typer(help="fordela: cost allocation for shared services.", no_args_is_help=True)


@app.command("demo-data")
def demo_data(
    out: Path | None = typer.Option(None, help="Landing folder to write (default: data/landing)."),
    seed: int | None = typer.Option(
        None,
        help="Random seed (default: the demo city's); the same seed gives byte-identical files.",
    ),
    scale: float = typer.Option(1.0, help="Multiplies cost centres, ledger rows and volume rows."),
    years: str | None = typer.Option(
        None, help="Fiscal years, e.g. 2031-2032 or 2031,2032 (default: the demo city's own)."
    ),
    force: bool = typer.Option(
        False,
        help="Write even if the landing folder already has data (and replace the users file).",
    ),
    ledger_formats: str = typer.Option(
        "mixed",
        help="mixed: ledger months as SIE4, XLSX and CSV as a city delivers them; csv: all CSV.",
    ),
    city: str = typer.Option(DEFAULT_CITY, help=f"Demo city: {_CITY_CHOICES}."),
) -> None:
    """Generate a demo city as input files in the landing folder, and its dashboard users.

    The users go to FORDELA_USERS_FILE (default <data dir>/users.toml), or beside the landing
    folder given with --out; an existing users file is kept unless --force.
    """
    from pipelines.lib.demo import generate, parse_years
    from pipelines.lib.demo.cities import city_profile
    from pipelines.lib.demo.users import users_file_beside

    try:
        profile = city_profile(city)
        chosen = profile.default_years if years is None else parse_years(years, city)
    except ValueError as error:
        hint = "--city" if str(error).startswith("city") else "--years"
        raise typer.BadParameter(str(error), param_hint=hint) from None
    settings = get_settings()
    target = out or settings.landing_dir
    users = settings.users_file if out is None else users_file_beside(out)
    if not force and any(target.glob("*/*.csv")):
        typer.echo(f"{target} already holds input files; pass --force to regenerate.")
        raise typer.Exit(0)
    if ledger_formats not in ("mixed", "csv"):
        raise typer.BadParameter("use 'mixed' or 'csv'", param_hint="--ledger-formats")
    # The demo city's own seed unless given (it is the demo's fact, not the CLI's).
    seeded: dict[str, Any] = {} if seed is None else {"seed": seed}
    summary = generate(
        target, city=city, scale=scale, years=chosen, ledger_formats=ledger_formats, **seeded
    )
    typer.echo(summary.describe())
    _write_demo_users(users, city=city, force=force)


def _write_demo_users(target: Path, *, city: str, force: bool = False) -> None:
    from pipelines.lib.demo.users import write_demo_users

    if write_demo_users(target, city=city, force=force):
        typer.echo(f"Demo users for the dashboards written to {target} (passwords: see README).")
    else:
        typer.echo(
            f"Kept the users file {target} (pass --force to replace it with the demo users)."
        )


def prepare_dagster_home() -> Path:
    """A persistent Dagster instance under data/, so runs show in `make dagster` afterwards."""
    import os

    home = get_settings().dagster_home
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        # One writer to the warehouse at a time: every writing asset is in the pool `warehouse`.
        config.write_text(
            "concurrency:\n  pools:\n    default_limit: 1\ntelemetry:\n  enabled: false\n"
        )
    os.environ["DAGSTER_HOME"] = str(home)
    return home


@app.command("pipeline")
def pipeline(
    generate_demo: bool = typer.Option(
        True,
        "--demo/--no-demo",
        help="Generate the demo city first when the landing folder is empty.",
    ),
    scale: float = typer.Option(1.0, help="Scale of the demo city if it has to be generated."),
    city: str = typer.Option(
        DEFAULT_CITY,
        help=f"Demo city to generate when the landing folder is empty: {_CITY_CHOICES}.",
    ),
    log_level: str = typer.Option(
        "INFO", help="Dagster's console log while it runs (DEBUG, INFO, WARNING, ERROR, CRITICAL)."
    ),
) -> None:
    """Run the whole pipeline once: land, build and test, check, publish.

    A run that crashed before (killed, out of memory, a reboot) is recovered first: marked failed,
    its slot in the warehouse pool freed. A data folder that is read-only or full stops the run
    with a message naming the folder; the published snapshot is never touched.
    """
    import traceback

    import dagster as dg

    from pipelines.lib.demo.cities import city_profile

    try:
        city_profile(city)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--city") from None
    from pipelines.lib.storage import check_data_folders, diagnose_failure

    settings = get_settings()
    problem = check_data_folders(settings)
    if problem is not None:
        typer.echo(problem.message(settings.current_snapshot), err=True)
        raise typer.Exit(1)
    if generate_demo and not any(settings.landing_dir.glob("*/*.csv")):
        from pipelines.lib.demo import generate

        typer.echo(f"Generating the demo city into {settings.landing_dir} ...")
        typer.echo(generate(settings.landing_dir, city=city, scale=scale).describe())
        _write_demo_users(settings.users_file, city=city)
    prepare_dagster_home()
    from pipelines.runs import failure_lines, run_full_pipeline

    def recovered(line: str) -> None:
        typer.echo(f"Recovered after a crash: {line}", err=True)

    # One run: the monthly ingest over every month that has files, then everything else.
    try:
        with dg.DagsterInstance.get() as instance:
            result = run_full_pipeline(
                instance,
                raise_on_error=False,
                run_config={"loggers": {"console": {"config": {"log_level": log_level.upper()}}}},
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
            # The root cause first (a quarantine cascade, a configuration the engine cannot
            # allocate), not the thousands of rows it quarantined; then what else failed.
            for line in failure_lines(result):
                typer.echo(line, err=True)
            typer.echo("The pipeline failed; the published snapshot was left as it was.", err=True)
        raise typer.Exit(1)
    typer.echo(f"Published {settings.current_snapshot}")


def _default_user() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in the environment or the password database
        return "unknown"


def _run_close(month: str, action: str, by: str | None, reason: str = "") -> None:
    """Run the close job for `action` on the persistent Dagster instance; exit 1 when refused."""
    import dagster as dg

    prepare_dagster_home()
    from pipelines.runs import run_close_job

    with dg.DagsterInstance.get() as instance:
        ok, message = run_close_job(instance, month, action, by or _default_user(), reason)
    if not ok:
        typer.echo(message, err=True)
        raise typer.Exit(1)
    typer.echo(message)


@app.command("close")
def close(
    month: str = typer.Argument(..., help="The month to close, YYYY-MM."),
    by: str | None = typer.Option(None, help="Who closes it (default: the operating-system user)."),
) -> None:
    """Close a month of the outcome: freeze its charges, write its export, publish."""
    _run_close(month, "close", by)
    typer.echo(f"Export: {get_settings().exports_dir / month}")


@app.command("reopen")
def reopen(
    month: str = typer.Argument(..., help="The closed month to reopen, YYYY-MM."),
    reason: str = typer.Option("", help="Why it is reopened (required; recorded)."),
    by: str | None = typer.Option(
        None, help="Who reopens it (default: the operating-system user)."
    ),
) -> None:
    """Reopen the latest closed month (recorded with the reason)."""
    _run_close(month, "reopen", by, reason)


@app.command("export")
def export(
    month: str = typer.Argument(..., help="A closed month, YYYY-MM."),
    by: str | None = typer.Option(
        None, help="Who exports it (default: the operating-system user)."
    ),
) -> None:
    """Write the internal-invoice export (SIE 4I, invoice basis) of a closed month again."""
    _run_close(month, "export", by)
    typer.echo(f"Export: {get_settings().exports_dir / month}")


@app.command("reproduce")
def reproduce(
    month: str = typer.Argument(..., help="A closed month, YYYY-MM."),
    into: Path = typer.Option(..., help="An empty folder; the inputs go to INTO/landing/."),
) -> None:
    """Write the input files a closed month was computed from, as a landing folder."""
    import duckdb

    from pipelines.lib.close.reproduce import reproduce_month
    from pipelines.lib.close.state import CloseError, parse_month

    settings = get_settings()
    try:
        with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
            files = reproduce_month(con, parse_month(month), into)
    except CloseError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(1) from None
    typer.echo(
        f"{len(files)} files written to {into / 'landing'}; run "
        f"`FORDELA_DATA_DIR={into} fordela pipeline --no-demo` to compute {month} again."
    )


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
def query(
    sql: str = typer.Argument(..., help="SQL to run against the published snapshot."),
) -> None:
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
