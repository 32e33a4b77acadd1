"""A one-step job in the warehouse pool, run the way `fordela pipeline` runs (for crash tests).

`python -m tests.pipeline.crash_job hold` materialises an asset whose step, holding the pool's one
slot, starts a child process marked as the run's dbt (in a session of its own, so that it
outlives the step, as a dbt does when only its parent is killed), prints "holding <child pid>"
and waits until the process is killed; `... finish` lets the step end at once. Like `pipelines.runs.run_full_pipeline`, both recover abandoned runs first and while they run, on the
instance of `DAGSTER_HOME` (made by `fordela`'s own `prepare_dagster_home`).
"""

import os
import subprocess
import sys
import threading

import dagster as dg

from pipelines.cli import prepare_dagster_home
from pipelines.defs.recovery import recovering
from pipelines.defs.resources import DBT_RUN_ENV, WAREHOUSE_POOL
from pipelines.lib.settings import get_settings


@dg.asset(pool=WAREHOUSE_POOL)
def pooled_step(context: dg.AssetExecutionContext) -> None:
    if os.environ.get("CRASH_JOB_MODE") == "hold":
        dbt = subprocess.Popen(
            [sys.executable, "-c", "import threading; threading.Event().wait()"],
            env={**os.environ, DBT_RUN_ENV: context.run.run_id},
            start_new_session=True,
        )
        print(f"holding {dbt.pid}", flush=True)
        threading.Event().wait()


def main() -> int:
    os.environ["CRASH_JOB_MODE"] = sys.argv[1]
    prepare_dagster_home()
    with (
        dg.DagsterInstance.get() as instance,
        recovering(
            instance,
            by="crash_job",
            interval=get_settings().recovery_interval_seconds,
            report=lambda line: print(f"recovered: {line}", flush=True),
        ),
    ):
        result = dg.materialize([pooled_step], instance=instance, raise_on_error=False)
    print("succeeded" if result.success else "failed", flush=True)
    return 0 if result.success else 1


if __name__ == "__main__":
    sys.exit(main())
