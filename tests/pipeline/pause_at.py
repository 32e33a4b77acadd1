"""`fordela pipeline`, stopped for good at one point so that a test can kill it exactly there.

`python -m tests.pipeline.pause_at checks` runs the real command; when the first Great
Expectations check starts (its step holding the warehouse pool's slot) it prints
`PAUSED AT checks` and waits until the process is killed. `... publish` does the same in the
publish step after the first table was copied into the new `.partial` snapshot. Only this test
helper pauses; the pipeline's own code has no such hook.
"""

import sys
import threading
from typing import Any


def _pause(point: str) -> None:
    print(f"PAUSED AT {point}", flush=True)
    threading.Event().wait()


def main() -> None:
    point = sys.argv[1]
    if point == "checks":
        from pipelines.defs.quality import checks

        def paused_contract(*args: Any, **kwargs: Any) -> Any:
            _pause(point)

        checks.run_contract = paused_contract  # type: ignore[assignment]
    elif point == "publish":
        from pipelines.lib import publish

        def paused_count(*args: Any, **kwargs: Any) -> int:
            _pause(point)
            return 0

        publish._count = paused_count  # type: ignore[assignment]
    else:
        raise SystemExit(f"unknown point {point!r}: use checks or publish")
    from pipelines.cli import app

    app(["pipeline", "--no-demo"])


if __name__ == "__main__":
    main()
