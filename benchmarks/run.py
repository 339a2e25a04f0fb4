"""Benchmark the package on synthetic datasets and print every figure with its ratio to a pyarrow parse.

    python benchmarks/run.py --rows 10000 100000            # generates the datasets if missing
    python benchmarks/run.py --rows 1000000 --repeat 3 --reference
    python benchmarks/run.py --rows 1000000 --load-rounds 9  # load() against the parse, with user/sys time

Each figure is the median of ``--repeat`` runs, each in a fresh interpreter (imports are measured
separately and excluded from the timed call); the steps compared with each other take turns, so that
a busy spell of a shared machine slows them alike. Peak memory is the child's peak resident set size (VmHWM).
Ratios compare with the pyarrow parse (``pyarrow.csv.read_csv``, default inference) of the same
file(s); the summary also gives ``validate()`` against the polars read of every table (as text, the
fastest read here) and our schema checks against pandera on polars (:mod:`pandera_peer`, with the
``bench`` extra). Nothing here is asserted: timings do not belong in tests.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

# the libraries a call needs are imported before the clock starts: import cost is measured on its own
LIBS = (
    "import iran_palestine_data as m, iran_palestine_data.read.tables, iran_palestine_data.validation.validator, "
    "pandas, numpy, pyarrow, pyarrow.csv, pyarrow.compute"
)
MAIN_TABLES = ("events", "statements", "funding_claims", "event_actors", "actors")
POLARS_ALL = "read every table: polars (text)"
OURS_SCHEMA = "our schema part: read_strings + Table Schema checks"
PANDERA = "pandera on polars: read + the same Table Schema checks (pandera_peer.py)"


def _has_pandera() -> bool:
    """pandera and a polars it works with (the ``bench`` extra) in this interpreter."""
    done = subprocess.run([sys.executable, "-c", "import pandera.polars"], capture_output=True)
    return done.returncode == 0


RECORD_TABLES = ("events", "statements", "funding_claims")

# peak memory from VmHWM: ru_maxrss would carry over the parent's peak across exec on Linux
PROBE = """
import json, os, sys, time
{setup}
c0, t0 = os.times(), time.perf_counter()
{call}
elapsed, c1 = time.perf_counter() - t0, os.times()
hwm = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM"))
print(json.dumps({{"seconds": elapsed, "peak_mb": hwm / 1024, "user": c1.user - c0.user, "sys": c1.system - c0.system}}))
"""


def _probe(setup: str, call: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(setup=setup, call=call)], capture_output=True, text=True
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-2000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(steps: dict[str, tuple[str, str]], repeat: int) -> dict[str, dict]:
    """Median seconds and peak memory of each step ``name: (setup, call)``, each run in a fresh interpreter.

    The steps take turns (one run of each, then the next round), so that a busy spell of a shared
    machine slows a step and the parse it is compared with alike.
    """
    runs: dict[str, list[dict]] = {name: [] for name in steps}
    for _ in range(repeat):
        for name, (setup, call) in steps.items():
            runs[name].append(_probe(setup, call))
    return {
        name: {
            "seconds": statistics.median(r["seconds"] for r in rs),
            "peak_mb": max(r["peak_mb"] for r in rs),
            "user": statistics.median(r["user"] for r in rs),
            "sys": statistics.median(r["sys"] for r in rs),
            "runs": [r["seconds"] for r in rs],
        }
        for name, rs in runs.items()
    }


def load_rounds(root: Path, rounds: int) -> None:
    """``load(t)`` against the pyarrow parse of the same file, ``rounds`` fresh interpreters each,
    taking turns: medians of wall, user and system time, and the spread of the wall times. What
    varies between runs of the same call is the system time (the kernel mapping fresh pages), so
    the medians of many rounds are what tell."""
    print(f"\n#### load() against the pyarrow parse, {rounds} rounds, medians\n")
    print("| table | parse: wall (user + sys) | load: wall (user + sys) | × parse | load's runs (min–max) |")
    print("|---|---:|---:|---:|---:|")
    for t in MAIN_TABLES:
        p = root / "csv" / f"{t}.csv"
        steps = {
            "parse": ("import pyarrow.csv as c", f"c.read_csv({str(p)!r})"),
            "load": (LIBS, f"m.load({t!r}, root={str(root)!r})"),
        }
        r = measure(steps, rounds)
        a, b = r["parse"], r["load"]
        print(
            f"| {t} | {a['seconds']:.2f} ({a['user']:.2f} + {a['sys']:.2f}) | "
            f"{b['seconds']:.2f} ({b['user']:.2f} + {b['sys']:.2f}) | {b['seconds'] / a['seconds']:.2f} | "
            f"{min(b['runs']):.2f}–{max(b['runs']):.2f} |",
            flush=True,
        )


def wall(codes: dict[str, str], repeat: int, quiet: bool = False) -> dict[str, float]:
    """Median wall time of whole interpreter runs (import cost, end-to-end commands), taking turns as above."""
    times: dict[str, list[float]] = {name: [] for name in codes}
    for _ in range(max(repeat, 9)):
        for name, code in codes.items():
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], check=True, capture_output=quiet)
            times[name].append(time.perf_counter() - t0)
    return {name: statistics.median(ts) for name, ts in times.items()}


def dataset(rows: int, cache: Path) -> Path:
    from generate import generate

    root = cache / f"rows-{rows}"
    if not (root / "datapackage.json").is_file():
        print(f"generating {root} ...", flush=True)
        generate(rows, root)
    return root


def size_mb(root: Path) -> float:
    files = (
        list((root / "csv").glob("*.csv"))
        + list((root / "curation").glob("*.csv"))
        + list((root / "sources").glob("*.txt"))
    )
    return sum(f.stat().st_size for f in files) / 2**20


def report(rows: int, root: Path, repeat: int, reference: bool) -> list[tuple]:
    out = []
    csv_path = lambda t: root / ("curation" if t in ("exclusions", "link_review") else "csv") / f"{t}.csv"  # noqa: E731
    for t in MAIN_TABLES:
        p = csv_path(t)
        mb = p.stat().st_size / 2**20
        steps = {
            f"parse {t} ({mb:.0f} MB): pyarrow": ("import pyarrow.csv as c", f"c.read_csv({str(p)!r})"),
            f"parse {t}: polars": ("import polars as pl", f"pl.read_csv({str(p)!r}, infer_schema_length=0)"),
            f"load('{t}')": (LIBS, f"m.load({t!r}, root={str(root)!r})"),
        }
        if t in RECORD_TABLES:
            steps[f"records('{t}')"] = (f"{LIBS}, pydantic", f"m.records({t!r}, root={str(root)!r})")
        results = measure(steps, repeat)
        arrow = next(iter(results.values()))["seconds"]
        out += [(name, m, arrow) for name, m in results.items()]
    files = [
        str(csv_path(t))
        for t in (
            "sources",
            "actors",
            "events",
            "event_actors",
            "statements",
            "funding_claims",
            "claim_links",
            "exclusions",
            "link_review",
            "retired",
        )
    ]
    # a synthetic dataset is its own contract: it shares the schemas, not the published history
    steps = {
        "parse every table: pyarrow": ("import pyarrow.csv as c", f"[c.read_csv(f) for f in {files!r}]"),
        POLARS_ALL: (
            "import polars as pl",
            f"[pl.read_csv(f, infer_schema=False) for f in {files!r}]",
        ),
        OURS_SCHEMA: (
            f"{LIBS}; from iran_palestine_data.contract.schema import package; "
            "from iran_palestine_data.read.strings import read_strings; "
            "from iran_palestine_data.validation import schema_checks",
            f"pkg = package({str(root)!r}); raw = {{n: read_strings(n, root={str(root)!r}) for n in pkg.tables}}; "
            "assert not list(schema_checks.check(pkg, raw))",
        ),
        "validate() — every rule": (
            LIBS,
            f"r = m.validate({str(root)!r}, contract={str(root)!r}); assert r.valid, str(r)[:2000]",
        ),
    }
    if _has_pandera():
        steps[PANDERA] = (
            f"import sys; sys.path.insert(0, {str(HERE)!r}); import pandera_peer, pandera.polars, polars",
            f"assert pandera_peer.check({str(root)!r}) == 0",
        )
    results = measure(steps, repeat)
    arrow = results["parse every table: pyarrow"]["seconds"]
    out += [(name, m, arrow) for name, m in results.items()]
    if reference:  # one run each: minutes at a million rows
        results = measure(
            {
                "validate(engine='reference'): frictionless + rules": (
                    "import iran_palestine_data as m, pandas, pyarrow, frictionless",
                    f"r = m.validate({str(root)!r}, engine='reference', contract={str(root)!r}); assert r.valid, str(r)[:2000]",
                ),
                "frictionless validate (alone)": (
                    "from frictionless import Package",
                    f"r = Package({str(root / 'datapackage.json')!r}).validate(); assert r.valid",
                ),
            },
            1,
        )
        out += [(name, m, arrow) for name, m in results.items()]
    return out


def summary(rows: list[tuple], data_mb: float) -> str:
    """The targets in one line: ratio to the polars and pyarrow reads, the schema part against pandera
    on polars, speed-up over frictionless, memory to data size."""
    by = {name: m for name, m, _ in rows}
    fast, parse = by["validate() — every rule"], by["parse every table: pyarrow"]
    polars_all = by[POLARS_ALL]["seconds"]
    parts = [
        f"validate() = {fast['seconds'] / polars_all:.1f}× the polars read of every table (target ≤ 5×), "
        f"{fast['seconds'] / parse['seconds']:.1f}× the pyarrow parse",
        f"peak {fast['peak_mb']:,.0f} MB = {fast['peak_mb'] / data_mb:.2f}× the {data_mb:,.0f} MB validated "
        "(target ≤ 1.5×)",
    ]
    if PANDERA in by:
        parts.append(
            f"our schema part is {by[PANDERA]['seconds'] / by[OURS_SCHEMA]['seconds']:.2f}× as fast as "
            "pandera on polars (target ≥ 1.5×)"
        )
    else:
        parts.append("pandera not installed (pip install -e '.[bench]'): no peer ratio")
    if "frictionless validate (alone)" in by:
        parts.insert(
            0,
            f"validate() is {by['frictionless validate (alone)']['seconds'] / fast['seconds']:.1f}× faster than frictionless",
        )
    return "; ".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark iran-palestine-data on synthetic datasets.")
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/ipd-bench"))
    parser.add_argument(
        "--reference", action="store_true", help="also time frictionless and the reference engine (slow)"
    )
    parser.add_argument(
        "--load-rounds",
        type=int,
        default=0,
        help="only time load() against the pyarrow parse, this many rounds (with user and system time)",
    )
    args = parser.parse_args()
    if args.load_rounds:
        for rows in args.rows:
            load_rounds(dataset(rows, args.cache), args.load_rounds)
        return
    imports = wall({"bare": "pass", "import": "import iran_palestine_data"}, args.repeat)
    bare, imp = imports["bare"], imports["import"]
    print(
        f"machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}, "
        f"{__import__('os').cpu_count()} cores; {time.strftime('%Y-%m-%d')}"
    )
    print(
        f"import iran_palestine_data: {imp * 1000:.0f} ms (bare interpreter {bare * 1000:.0f} ms, +{(imp - bare) * 1000:.0f} ms)"
    )
    shipped = wall(
        {
            "python": "from iran_palestine_data import validate; assert validate().valid",
            "cli": "import sys; from iran_palestine_data.cli import main; "
            "sys.argv = ['iran-palestine-data', 'validate']; main()",
        },
        args.repeat,
        quiet=True,
    )
    print(
        f"validate the shipped dataset: {shipped['python']:.2f} s in a fresh interpreter, imports included; "
        f"`iran-palestine-data validate`: {shipped['cli']:.2f} s"
    )
    for rows in args.rows:
        root = dataset(rows, args.cache)
        data_mb = size_mb(root)
        print(f"\n### {rows:,} rows per main table — {data_mb:,.0f} MB of CSV and snapshots\n")
        print("| step | seconds | × pyarrow parse | peak memory (MB) |")
        print("|---|---:|---:|---:|")
        rows_ = report(rows, root, args.repeat, args.reference)
        for name, m, base in rows_:
            print(
                f"| {name} | {m['seconds']:.2f} | {m['seconds'] / base:.2f} | {m['peak_mb']:.0f} |",
                flush=True,
            )
        print(f"\n{summary(rows_, data_mb)}", flush=True)


if __name__ == "__main__":
    main()
