"""Benchmark: every step of ``kdgraph build`` on synthetic lists of N entries, beside pyoxigraph floors.

Usage: ``python bench/run.py [--sizes 1000,10000,100000] [--seed 7] [--runs 5]``

For each N, :mod:`generate` (``bench/generate.py``) writes two synthetic lists, and a fresh Python process
runs :func:`kdgraph.build.build` on them (so each N's peak memory is its own). The build times its own
steps (extract, reconcile + map — the stores load meanwhile —, N-Quads, validate, each dump, VoID +
reports, waiting for the embedded store); peak memory is the process's peak resident set size after each step.
In the same process: each dump's writer alone on the same triples, the embedded store loaded alone, and
the floors, pyoxigraph parsing the build's N-Quads and serializing the same quads as N-Quads and the
same triples as Turtle (with the dump's prefixes) and JSON-LD (writers and floors: best of two). Then
one canned query (``--query``, default ``prolific-authors``) on the built store, each run a new process:
``kdgraph query NAME --out DIR`` (start-up, open the store, run, print a table) against the Rust CLI
``oxigraph query --location DIR/store --query-file … --union-default-graph`` (same store, same query
text, the same union default graph as the embedded store's queries).

Prints a table and writes ``bench/results/run.json``.
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
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
BIN = Path(sys.executable).parent
STORE_BATCH = 64 << 20  # bytes of N-Quads per batch when the store is loaded alone (as in the build)


def measure_build(registry: Path, out: Path) -> dict[str, object]:
    """Run in the child process: the build's step times and the pyoxigraph floors."""
    import resource
    import shutil

    import pyoxigraph as ox

    from kdgraph.build import build
    from kdgraph.sources import load_registry
    from kdgraph.store import StoreWriter

    sources = load_registry(registry)
    start = time.perf_counter()
    result = build(sources, out, site=False)  # the site is not a dump; `kdgraph site` times apart
    total = time.perf_counter() - start
    steps = {name: {"seconds": t.seconds, "peak_mib": t.peak_mib} for name, t in result.steps.items()}
    build_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    nq = out / "kdgraph.nq"
    quads_n = sum(1 for _ in nq.open("rb"))
    floors: dict[str, float] = {}
    # each dump's writer alone on the build's triples (in the build the store loads meanwhile); the
    # N-Quads of the data graphs, without the ontology's few quads
    from kdgraph.mapping import map_graph
    from kdgraph.publish import jsonld, nquads_chunks, prefixes, turtle
    from kdgraph.reconcile import reconcile
    from kdgraph.uris import Minter

    mapped = map_graph(result.extractions, reconcile(result.extractions), Minter())
    triples = mapped.triples()
    alone = {"N-Quads": best_of(2, lambda q: sum(map(len, nquads_chunks(q))), mapped.quads),
             "Turtle": best_of(2, turtle, triples, Minter()),
             "JSON-LD": best_of(2, jsonld, triples, Minter())}
    del mapped, triples
    # the store is loaded in a thread while the build writes the JSON-LD; alone, it takes:
    target = out.parent / f"{out.name}-store-alone"
    t0 = time.perf_counter()
    writer = StoreWriter(target)
    with nq.open("rb") as f:  # batches of whole lines, each read when the loader takes it
        for _ in range(nq.stat().st_size // STORE_BATCH + 1):
            writer.add(lambda: b"".join(f.readlines(STORE_BATCH)))
        writer.finish()
    floors["embedded store, loaded alone (overlapped in the build)"] = time.perf_counter() - t0
    shutil.rmtree(target)
    t0 = time.perf_counter()
    quads = list(ox.parse(path=str(nq), format=ox.RdfFormat.N_QUADS))
    floors["pyoxigraph parse N-Quads"] = time.perf_counter() - t0
    floors["pyoxigraph write N-Quads"] = best_of(2, ox.serialize, quads, format=ox.RdfFormat.N_QUADS)
    triples = list(dict.fromkeys(ox.Triple(q.subject, q.predicate, q.object) for q in quads))
    del quads
    # with the Turtle dump's prefixes, so both write the same document
    floors["pyoxigraph write Turtle"] = best_of(2, ox.serialize, triples, format=ox.RdfFormat.TURTLE,
                                                prefixes=prefixes(Minter()))
    floors["pyoxigraph write JSON-LD"] = best_of(2, ox.serialize, triples, format=ox.RdfFormat.JSON_LD)
    return {"total_s": total, "steps": steps, "floors": floors, "alone": alone, "quads": quads_n,
            "triples": result.counts["triples"], "papers": result.counts["papers"],
            "peak_mib": build_peak}


def best_of(runs: int, work: Callable[..., object], *args: object, **kwargs: object) -> float:
    """The shortest of ``runs`` timings of ``work(*args, **kwargs)`` (the machine's other load only ever
    adds time)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work(*args, **kwargs)
        times.append(time.perf_counter() - start)
    return min(times)


def timed(command: list[str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
        times.append(time.perf_counter() - start)
    return times


def run_size(n: int, seed: int, runs: int, query: str, work: Path) -> dict[str, object]:
    sys.path.insert(0, str(ROOT / "bench"))
    from generate import write

    lists = work / f"lists-{n}"
    registry = write(n, lists, seed)
    out = work / f"out-{n}"
    child = subprocess.run(
        [sys.executable, __file__, "--child", str(registry), str(out)],
        check=True, capture_output=True, text=True, cwd=ROOT)
    figures = json.loads(child.stdout)
    text = (ROOT / "queries" / f"{query}.rq").read_text(encoding="utf-8")
    qfile = work / f"{query}.rq"
    qfile.write_text(text, encoding="utf-8")
    kd = timed([str(BIN / "kdgraph"), "query", query, "--out", str(out)], runs)
    ox_cli = timed([str(BIN / "oxigraph"), "query", "--location", str(out / "store"),
                    "--query-file", str(qfile), "--results-format", "tsv",
                    "--union-default-graph"], runs)
    figures["query"] = {"name": query, "kdgraph query": kd, "oxigraph query": ox_cli}
    figures["n"] = n
    figures["entries"] = n
    return figures


DUMP_FLOORS = {"N-Quads": "pyoxigraph write N-Quads", "Turtle": "pyoxigraph write Turtle",
               "JSON-LD": "pyoxigraph write JSON-LD"}


def report(results: list[dict[str, object]]) -> str:
    rows = ["| N | step | s | entries/s | triples/s | peak MiB |",
            "| ---: | --- | ---: | ---: | ---: | ---: |"]
    checks = ["", "| N | target | measured | met |", "| ---: | --- | ---: | --- |"]
    for r in results:
        n, triples = int(r["n"]), int(r["triples"])  # type: ignore[call-overload]
        steps: dict[str, dict[str, float]] = r["steps"]  # type: ignore[assignment]
        for name, t in steps.items():
            s = t["seconds"]
            rows.append(f"| {n:,} | {name} | {s:.2f} | {n / s:,.0f} | {triples / s:,.0f} | "
                        f"{t['peak_mib']:,.0f} |")
        total = float(r["total_s"])  # type: ignore[arg-type]
        peak = float(r["peak_mib"])  # type: ignore[arg-type]
        rows.append(f"| {n:,} | **build, total** | **{total:.2f}** | {n / total:,.0f} | "
                    f"{triples / total:,.0f} | {peak:,.0f} |")
        floors: dict[str, float] = r["floors"]  # type: ignore[assignment]
        for name, s in floors.items():
            rows.append(f"| {n:,} | floor: {name} | {s:.2f} | {n / s:,.0f} | {triples / s:,.0f} | |")
        q: dict[str, object] = r["query"]  # type: ignore[assignment]
        medians = {}
        for how in ("kdgraph query", "oxigraph query"):
            medians[how] = statistics.median(q[how])  # type: ignore[arg-type]
            rows.append(f"| {n:,} | {how} {q['name']} (median) | {medians[how]:.3f} | | | |")
        checks.append(f"| {n:,} | cost per entry (flat) | {1000 * total / n:.2f} ms | |")
        if n >= 100_000:
            checks.append(f"| {n:,} | build ≤ 60 s | {total:.1f} s | {_met(total <= 60)} |")
            checks.append(f"| {n:,} | peak memory ≤ 4 GB | {peak / 1024:.2f} GiB | "
                          f"{_met(peak <= 4096)} |")
        alone: dict[str, float] = r["alone"]  # type: ignore[assignment]
        for dump, floor in DUMP_FLOORS.items():
            rows.append(f"| {n:,} | {dump} writer alone | {alone[dump]:.2f} | {n / alone[dump]:,.0f} | "
                        f"{triples / alone[dump]:,.0f} | |")
            share = floors[floor] / alone[dump]
            in_build = floors[floor] / steps[dump]["seconds"]
            checks.append(f"| {n:,} | {dump} at ≥ 30% of {floor} | {100 * share:.0f}% alone, "
                          f"{100 * in_build:.0f}% as timed in the build | {_met(share >= 0.3)} |")
        ratio = medians["kdgraph query"] / medians["oxigraph query"]
        checks.append(f"| {n:,} | `kdgraph query` ≤ 2× `oxigraph query` (the target is set at 100,000) | "
                      f"{ratio:.2f}× | {_met(ratio <= 2) if n >= 100_000 else ''} |")
    return "\n".join(rows + checks)


def _met(ok: bool) -> str:
    return "yes" if ok else "**no**"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--runs", type=int, default=5, help="runs of each query timing")
    parser.add_argument("--query", default="prolific-authors")
    parser.add_argument("--output", type=Path, default=RESULTS / "run.json")
    parser.add_argument("--child", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure_build(*args.child)))
        return
    results = []
    with tempfile.TemporaryDirectory(prefix="kdgraph-bench-") as tmp:
        for n in (int(s) for s in args.sizes.split(",")):
            print(f"N = {n:,}…", file=sys.stderr)
            results.append(run_size(n, args.seed, args.runs, args.query, Path(tmp)))
    table = report(results)
    print(table)
    machine = {"cpus": os.cpu_count(), "python": platform.python_version(),
               "platform": platform.platform()}
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps({"machine": machine, "results": results}, indent=1) + "\n",
                           encoding="utf-8")


if __name__ == "__main__":
    main()
