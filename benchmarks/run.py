"""``make bench``: run every benchmark part, then write benchmarks/REPORT.md and its plots.

    python -m benchmarks.run            the default sizes (about half an hour on 2 cores)
    python -m benchmarks.run --quick    a smoke run of every part (a few minutes)
    python -m benchmarks.run --full     the issue's full sizes (10,000 audio soak turns)
    python -m benchmarks.run --only soak    one part (realvoice, accuracy, aspects,
                                            latency, footprint, longaudio, scaling, soak,
                                            triage, conversations),
                                            or only the report (report)
    python -m benchmarks.run --only realvoice,latency    several parts (the fast ones
                                            for the recognizer: a few minutes)

Each part runs in a fresh process, one after the other (never two at once, so they do not
slow each other down), and saves its figures in benchmarks/out/results/PART.json; the
report is then rebuilt from all saved results, so ``--only`` keeps the other sections.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from collections.abc import Sequence

from benchmarks import report
from benchmarks.common import PARTS, ROOT, has_psutil, log, now, save


def main(argv: Sequence[str] | None = None) -> int:
    """Run the parts asked for, then the report; exit status 1 if a part failed."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run", description=__doc__.splitlines()[0]
    )
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", help="small sizes: a smoke run")
    size.add_argument("--full", action="store_true", help="the issue's full sizes")
    parser.add_argument(
        "--only",
        default=None,
        metavar="NAME[,NAME]",
        help=f"run only these parts: {', '.join(PARTS)}; or report",
    )
    args = parser.parse_args(argv)
    only = args.only.split(",") if args.only else None
    if only and not set(only) <= {*PARTS, "report"}:
        parser.error(f"--only takes parts among {', '.join(PARTS)}, or report")
    flags = ["--quick"] if args.quick else ["--full"] if args.full else []
    if not has_psutil():
        log("psutil is missing (pip install -e '.[bench]'): RSS is read from /proc instead")
    parts = list(PARTS) if only is None else [p for p in PARTS if p in only]
    started = time.perf_counter()
    failed = []
    for part in parts:
        log(f"{part}: starting")
        done = subprocess.run([sys.executable, "-m", f"benchmarks.{part}", *flags], cwd=ROOT)
        if done.returncode != 0:
            log(f"{part}: FAILED (exit status {done.returncode}); its old result, if any, is kept")
            failed.append(part)
    if parts == list(PARTS) and not failed:
        given = list(sys.argv[1:] if argv is None else argv)
        command = f"`{' '.join(['python -m benchmarks.run', *given])}`" if given else report.COMMAND
        record = {"command": command, "finished": now(), "seconds": time.perf_counter() - started}
        save(report.RUN, record)
    path = report.write()
    log(f"report: {path.relative_to(ROOT)} ({time.perf_counter() - started:.0f} s in all)")
    if failed:
        log(f"failed parts: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
