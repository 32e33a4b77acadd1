"""The `fordela` command line: demo data, the whole pipeline, publishing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from pipelines.lib.demo.cities import CITIES, DEFAULT_CITY
from pipelines.lib.settings import get_settings

# The demo cities, as `--city` lists them (their facts live with the demo generator).
_CITY_CHOICES = ", ".join(
    f"{c.city_id} ({c.name} {c.default_years[0]}-{c.default_years[-1]})" for c in CITIES.values()
)

app = typer.Typer(help="fordela: cost allocation for shared services.", no_args_is_help=True)


@app.command("demo-data")
def demo_data(
    out: Path | None = typer.Option(None, help="Landing folder to write (default: data/landing)."),
    seed: int | None = typer.Option(
        None, help="Random seed (default: the demo city's); the same seed gives byte-identical files."
    ),
    scale: float = typer.Option(1.0, help="Multiplies cost centres, ledger rows and volume rows."),
    years: str | None = typer.Option(
        None, help="Fiscal years, e.g. 2031-2032 or 2031,2032 (default: the demo city's own)."
    ),
    force: bool = typer.Option(
        False, help="Write even if the landing folder already has data (and replace the users file)."
    ),
    ledger_formats: str = typer.Option(
        "mixed", help="mixed: ledger months as SIE4, XLSX and CSV as a city delivers them; csv: all CSV."
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
        typer.echo(f"Kept the users file {target} (pass --force to replace it with the demo users).")


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
    city: str = typer.Option(
        DEFAULT_CITY, help=f"Demo city to generate when the landing folder is empty: {_CITY_CHOICES}."
    ),
    log_level: str = typer.Option(
        "INFO", help="Dagster's console log while it runs (DEBUG, INFO, WARNING, ERROR, CRITICAL)."
    ),
) -> None:
    """Run the whole pipeline once: land, build and test, check, publish."""
    import dagster as dg

    from pipelines.lib.demo.cities import city_profile

    try:
        city_profile(city)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--city") from None
    settings = get_settings()
    if generate_demo and not any(settings.landing_dir.glob("*/*.csv")):
        from pipelines.lib.demo import generate

        typer.echo(f"Generating the demo city into {settings.landing_dir} ...")
        typer.echo(generate(settings.landing_dir, city=city, scale=scale).describe())
        _write_demo_users(settings.users_file, city=city)
    prepare_dagster_home()
    from pipelines.defs.automation import failure_lines, run_full_pipeline

    # One run: the monthly ingest over every month that has files, then everything else.
    with dg.DagsterInstance.get() as instance:
        result = run_full_pipeline(
            instance,
            raise_on_error=False,
            run_config={"loggers": {"console": {"config": {"log_level": log_level.upper()}}}},
        )
    if not result.success:
        # The root cause first (a quarantine cascade, a configuration the engine cannot
        # allocate), not the thousands of rows it quarantined; then what else failed.
        for line in failure_lines(result):
            typer.echo(line, err=True)
        typer.echo("The pipeline failed; the published snapshot was left as it was.", err=True)
        raise typer.Exit(1)
    typer.echo(f"Published {settings.current_snapshot}")


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
