"""Runs every bench script (one per quality bar) and fails when any bar is missed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPTS = ("diagnose", "ack_latency", "idle_rss", "scheduler_load", "tail_load")


def main() -> int:
    failed = []
    for name in SCRIPTS:
        if not (Path(__file__).parent / f"{name}.py").exists():
            print(f"== bench.{name}: missing", flush=True)
            failed.append(name)
            continue
        print(f"== bench.{name}", flush=True)
        if subprocess.run([sys.executable, "-m", f"bench.{name}"], check=False).returncode:
            failed.append(name)
    print(f"bars missed: {', '.join(failed)}" if failed else "every bar met")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
