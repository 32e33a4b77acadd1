"""The dbt project as Dagster assets: models are assets, dbt tests are asset checks."""

# No `from __future__ import annotations` here: Dagster inspects the real `context` annotation.

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import dagster as dg
from dagster import AssetExecutionContext
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    DbtProject,
    dbt_assets,
)

from pipelines.defs.resources import DBT_RUN_ENV, WAREHOUSE_POOL, WarehouseResource
from pipelines.lib.quality import store_dbt_results
from pipelines.lib.settings import DBT_PROJECT_DIR, get_settings
from pipelines.lib.storage import check_data_folders

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


def dbt_executable() -> str:
    """The dbt of this environment, even when its bin folder is not on PATH."""
    beside = Path(sys.executable).parent / "dbt"
    return str(beside) if beside.exists() else (shutil.which("dbt") or "dbt")


def _manifest_is_fresh(project: DbtProject) -> bool:
    manifest = Path(project.manifest_path)
    if not manifest.exists():
        return False
    sources = [
        p
        for folder in ("models", "macros", "seeds", "tests", "snapshots")
        for p in (Path(project.project_dir) / folder).rglob("*")
        if p.is_file()
    ] + [Path(project.project_dir) / "dbt_project.yml"]
    newest = max((p.stat().st_mtime for p in sources if p.exists()), default=0.0)
    return manifest.stat().st_mtime >= newest


def ensure_manifest(project: DbtProject = dbt_project) -> Path:
    """Parse the dbt project when its manifest is missing or older than any project file.

    Several processes import the definitions at once (pytest -n, the webserver and a run
    worker): one parses, under an exclusive lock, into a folder of its own, and the manifest is
    renamed into place, so no process ever reads a manifest that is still being written. The
    others wait for the lock and find the manifest fresh.
    """
    import fcntl
    import tempfile

    manifest = Path(project.manifest_path)
    if _manifest_is_fresh(project):
        return manifest
    manifest.parent.mkdir(parents=True, exist_ok=True)
    with (manifest.parent / ".parse.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if _manifest_is_fresh(project):
            return manifest
        with tempfile.TemporaryDirectory(prefix=".parse-", dir=manifest.parent) as scratch:
            subprocess.run(
                [
                    dbt_executable(),
                    "parse",
                    "--quiet",
                    "--project-dir",
                    str(project.project_dir),
                    "--profiles-dir",
                    str(project.profiles_dir),
                    "--target-path",
                    scratch,
                ],
                check=True,
                env={**os.environ, "FORDELA_WAREHOUSE": str(get_settings().warehouse_path)},
            )
            os.replace(Path(scratch) / "manifest.json", manifest)
    return manifest


class FordelaDbtTranslator(DagsterDbtTranslator):
    """Groups follow the dbt layers, so the asset graph reads ingest -> staging -> ... -> marts."""

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        fqn = dbt_resource_props.get("fqn", [])
        return fqn[1] if len(fqn) > 2 else "marts"


translator = FordelaDbtTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))


@dbt_assets(
    manifest=ensure_manifest(),
    project=dbt_project,
    dagster_dbt_translator=translator,
    pool=WAREHOUSE_POOL,
)
def fordela_dbt_assets(
    context: AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource
) -> Iterator[Any]:
    # dbt's profile reads the warehouse path from this variable; set it for this build only.
    # The run id marks the dbt process as this run's (see DBT_RUN_ENV).
    previous = {name: os.environ.get(name) for name in ("FORDELA_WAREHOUSE", DBT_RUN_ENV)}
    os.environ["FORDELA_WAREHOUSE"] = str(get_settings().warehouse_path)
    os.environ[DBT_RUN_ENV] = context.run.run_id
    # dbt unit tests check the SQL on fixed inputs: they belong to development and CI
    # (tests/allocation/test_dbt_unit_tests.py runs them), not to every production build.
    invocation = dbt.cli(
        ["build", "--exclude-resource-type", "unit_test"], context=context, raise_on_error=False
    )
    try:
        yield from invocation.stream()
        keep_partial_parse(Path(invocation.target_path))
    finally:
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        if invocation.process.poll() is None:
            # The step stopped while dbt still ran (an error recording its events, e.g. on a
            # full or read-only disk): dbt must not go on writing the warehouse on its own.
            invocation.process.kill()
            invocation.process.wait()
        # Every dbt test result, passed or failed, lands beside the GX results for the dashboards.
        run_results = Path(invocation.target_path) / "run_results.json"
        if run_results.exists():
            with warehouse.connect() as con:
                store_dbt_results(con, run_results, context.run.run_id)
    if not invocation.is_successful():
        settings = get_settings()
        # A full or read-only data folder fails models too; then that is what to fix.
        problem = check_data_folders(settings)
        raise dg.Failure(
            description=problem.message(settings.current_snapshot)
            if problem
            else (
                "dbt build failed: a model or a test (for example pool = allocated) did not "
                "pass; the snapshot is not published. See the dbt asset checks and "
                "ops.check_results."
            )
        )


def keep_partial_parse(run_target: Path, project: DbtProject = dbt_project) -> None:
    """Keep this build's parse state as the project's, so the next build parses only changes.

    dagster-dbt copies `target/partial_parse.msgpack` into each run's own target folder but never
    back. dbt refuses a parse state made with another profile (here: another warehouse path), so
    without this every build whose data folder differs from the one `dbt parse` last saw parses
    the whole project again (about 4 s). Replaced atomically: runs may overlap.
    """
    source = run_target / "partial_parse.msgpack"
    if not source.exists():
        return
    destination = Path(project.project_dir) / "target" / "partial_parse.msgpack"
    destination.parent.mkdir(parents=True, exist_ok=True)
    temporary = destination.with_name(f".partial_parse.{os.getpid()}.msgpack")
    shutil.copyfile(source, temporary)
    os.replace(temporary, destination)


def mart_keys() -> list[dg.AssetKey]:
    """The dbt marts (fct_, dim_, rpt_) that the publish step copies into the snapshot."""
    return sorted(
        (
            key
            for key in fordela_dbt_assets.keys
            if key.path[-1].startswith(("fct_", "dim_", "rpt_"))
        ),
        key=lambda key: key.to_user_string(),
    )
