"""Run every benchmark: each ``bench/*_bench.py`` module's ``main()``.

.venv/bin/python bench/run.py            # all of them (what `make bench` runs)
.venv/bin/python bench/run.py audit      # only those whose name contains "audit"
"""

from __future__ import annotations

import importlib.util
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _load(path: Path):
    spec = importlib.util.spec_from_file_location(f"bench_{path.stem}", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(argv: list[str]) -> int:
    # The benches import simi; make the project importable from any directory.
    sys.path.insert(0, str(HERE.parent))
    wanted = argv[1:]
    paths = [
        path
        for path in sorted(HERE.glob("*_bench.py"))
        if not wanted or any(word in path.stem for word in wanted)
    ]
    if not paths:
        print("no bench/*_bench.py module matches", wanted)
        return 1
    failed = []
    for path in paths:
        print(f"\n=== {path.stem} ===", flush=True)
        started = time.perf_counter()
        try:
            _load(path).main()
        except Exception:  # one broken bench must not hide the others' figures
            traceback.print_exc()
            failed.append(path.stem)
        print(f"=== {path.stem}: {time.perf_counter() - started:.1f} s ===", flush=True)
    if failed:
        print("failed:", ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
