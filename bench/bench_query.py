"""Benchmark: `kdgraph query` end to end vs. parsing the Turtle dump into rdflib and querying it.

Usage: ``python bench/bench_query.py [--out out] [--runs 7] [--query online-kd-pytorch]``

Builds the bundled lists into OUT when there is no build yet, then times, for one canned query:

* ``kdgraph query NAME`` as a user runs it (a new process each time: start-up, open the embedded
  pyoxigraph store, run, print);
* the same in-process (open the store, run) — the floor of the embedded path;
* the rdflib way: parse ``kdgraph.ttl`` into an rdflib graph and run the same query text with rdflib's
  SPARQL engine (a new process each time, like the CLI).

Prints a table (min and median seconds) and writes bench/results/query.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"

from run import timed  # noqa: E402  (bench/run.py, beside this script)

RDFLIB_RUN = """
import sys
from rdflib import Graph
g = Graph().parse(sys.argv[1], format="turtle")
rows = list(g.query(open(sys.argv[2], encoding="utf-8").read()))
print(len(rows))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "out")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--query", default="online-kd-pytorch")
    args = parser.parse_args()
    kdgraph = str(Path(sys.executable).with_name("kdgraph"))
    if not (args.out / "store").is_dir():
        subprocess.run([kdgraph, "-q", "build", "--out", str(args.out)], check=True, cwd=ROOT)

    sys.path.insert(0, str(ROOT / "src"))
    from kdgraph.query import bindings, resolve, run_store
    from kdgraph.store import open_store

    query = resolve(args.query)
    in_process = []
    for _ in range(args.runs):
        start = time.perf_counter()
        result = run_store(open_store(args.out), query.text, bindings(query, {}))
        in_process.append(time.perf_counter() - start)
    rows = len(result.rows)

    results = {
        "kdgraph query (CLI, end to end)": timed(
            [kdgraph, "query", args.query, "--out", str(args.out)], args.runs),
        "embedded store, in process": in_process,
        "rdflib: parse kdgraph.ttl + query": timed(
            [sys.executable, "-c", RDFLIB_RUN, str(args.out / "kdgraph.ttl"), str(query.path)],
            args.runs),
    }
    print(f"query {args.query!r}: {rows} rows, {args.runs} runs each")
    print(f"{'how':<36} {'min s':>8} {'median s':>9}")
    for name, times in results.items():
        print(f"{name:<36} {min(times):>8.3f} {statistics.median(times):>9.3f}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "query.json").write_text(json.dumps(
        {"query": args.query, "rows": rows, "runs": args.runs,
         "seconds": {k: {"min": min(v), "median": statistics.median(v), "all": v}
                     for k, v in results.items()}}, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
