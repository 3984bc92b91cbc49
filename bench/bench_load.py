"""Benchmark: ``kdgraph load`` (one HTTP PUT per named graph, then a COUNT check per graph) against
Oxigraph's own bulk loader (``oxigraph load``) on the same N-Quads dump.

Run from the repository, in the development environment (``pip install -e '.[test]'``)::

    python bench/bench_load.py                # 5 runs each on out/kdgraph.nq (built first if missing)
    python bench/bench_load.py --copies 20    # the same graphs 20 times under other names: a bigger load

Every run starts from an empty store folder: ``kdgraph load`` into a fresh ``oxigraph serve`` on a free
127.0.0.1 port (server start-up not timed), ``oxigraph load --location DIR --file DUMP`` as a process
(process start-up timed, as a user would see it). ``kdgraph load (replace)`` loads the same dump again into
the server of the run before, which is what a reload costs. Prints a table and writes
``bench/results/load.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from kdgraph.build import build  # noqa: E402
from kdgraph.load import load  # noqa: E402
from kdgraph.sources import load_registry  # noqa: E402
from oxigraph_server import oxigraph_binary, start_server  # noqa: E402


def ensure_build(out: Path, rebuild: bool) -> Path:
    if rebuild or not (out / "kdgraph.nq").is_file():
        print(f"building {out}/ …", file=sys.stderr)
        build(load_registry(REPO / "data" / "sources.toml"), out)
    return out


def multiplied(out: Path, copies: int, target: Path) -> Path:
    """A build folder whose dump holds every named graph ``copies`` times, under other graph names."""
    import pyoxigraph as ox

    quads = list(ox.parse(path=str(out / "kdgraph.nq"), format=ox.RdfFormat.N_QUADS))
    target.mkdir(parents=True, exist_ok=True)
    copied = [ox.Quad(q.subject, q.predicate, q.object,
                      q.graph_name if k == 0 else ox.NamedNode(f"{q.graph_name.value}/copy-{k}"))
              for k in range(copies) for q in quads]
    (target / "kdgraph.nq").write_bytes(ox.serialize(copied, format=ox.RdfFormat.N_QUADS))
    return target


def time_kdgraph(out: Path, runs: int, work: Path) -> tuple[list[float], list[float], dict[str, float]]:
    fresh: list[float] = []
    again: list[float] = []
    parts = {"put": 0.0, "check": 0.0}
    for run in range(runs):
        with start_server(work / f"kdgraph-{run}" / "store") as server:
            started = time.perf_counter()
            report = load(out, server.query_url)
            fresh.append(time.perf_counter() - started)
            parts["put"] += report.put_seconds / runs
            parts["check"] += report.check_seconds / runs
            started = time.perf_counter()
            load(out, server.query_url)
            again.append(time.perf_counter() - started)
    return fresh, again, parts


def time_bulk_loader(binary: Path, dump: Path, runs: int, work: Path) -> list[float]:
    seconds = []
    for run in range(runs):
        location = work / f"bulk-{run}"
        started = time.perf_counter()
        subprocess.run([str(binary), "load", "--location", str(location), "--file", str(dump)], check=True,
                       capture_output=True)
        seconds.append(time.perf_counter() - started)
    return seconds


def summary(seconds: list[float], quads: int) -> dict[str, object]:
    median = statistics.median(seconds)
    return {"seconds": [round(s, 4) for s in seconds], "min": round(min(seconds), 4),
            "median": round(median, 4), "triples_per_s": round(quads / median)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / "out", help="build folder (default: out/)")
    parser.add_argument("--runs", type=int, default=5, help="runs per loader (default: 5)")
    parser.add_argument("--copies", type=int, default=1, help="load the dump's graphs this many times")
    parser.add_argument("--rebuild", action="store_true", help="build again even if out/ has a dump")
    parser.add_argument("--results", type=Path, default=None,
                        help="JSON file to write [default: bench/results/load.json; load-xN.json "
                             "with --copies N]")
    args = parser.parse_args()
    if args.results is None:
        name = "load.json" if args.copies == 1 else f"load-x{args.copies}.json"
        args.results = REPO / "bench" / "results" / name

    binary = oxigraph_binary()
    if binary is None:
        sys.exit(f"no `oxigraph` command beside {sys.executable} — pip install -e '.[test]'")
    import pyoxigraph as ox

    out = ensure_build(args.out, args.rebuild)
    with tempfile.TemporaryDirectory(prefix="kdgraph-bench-") as tmp:
        work = Path(tmp)
        if args.copies > 1:
            out = multiplied(out, args.copies, work / "out")
        dump = out / "kdgraph.nq"
        quads = sum(1 for _ in ox.parse(path=str(dump), format=ox.RdfFormat.N_QUADS))
        graphs = len({q.graph_name for q in ox.parse(path=str(dump), format=ox.RdfFormat.N_QUADS)})
        size = dump.stat().st_size
        fresh, again, parts = time_kdgraph(out, args.runs, work)
        bulk = time_bulk_loader(binary, dump, args.runs, work)

    results = {"kdgraph load": summary(fresh, quads), "kdgraph load (replace)": summary(again, quads),
               "oxigraph load (bulk)": summary(bulk, quads)}
    rows = [f"{'loader':<24} {'runs':>4} {'min s':>8} {'median s':>9} {'triples/s':>10}"]
    for name, r in results.items():
        rows.append(f"{name:<24} {args.runs:>4} {r['min']:>8.3f} {r['median']:>9.3f} "
                    f"{r['triples_per_s']:>10,}")
    print(f"{quads} triples in {graphs} graphs ({size / 1e6:.1f} MB of N-Quads), "
          f"{os.cpu_count()} CPUs")
    print("\n".join(rows))
    print(f"kdgraph load, mean split: PUTs {parts['put']:.3f} s, count checks {parts['check']:.3f} s")

    version = subprocess.run([str(binary), "--version"], capture_output=True, text=True).stdout.strip()
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(json.dumps({
        "what": "kdgraph load (HTTP PUT per graph + COUNT check) vs oxigraph load (bulk, in process)",
        "quads": quads, "graphs": graphs, "copies": args.copies, "runs": args.runs,
        "dump_bytes": size,
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(),
                    "python": platform.python_version(), "oxigraph": version,
                    "pyoxigraph": ox.__version__},
        "results": results,
        "kdgraph_load_split_s": {k: round(v, 4) for k, v in parts.items()},
    }, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.results.relative_to(REPO) if args.results.is_relative_to(REPO) else args.results}")


if __name__ == "__main__":
    main()
