"""The command line, driven with click's CliRunner (and once for real, in a subprocess)."""

from __future__ import annotations

import inspect
import json
import re
import subprocess
import sys
import time
from importlib.metadata import version
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from conftest import MWAN_FILE, REGISTRY_ENTRY, ZJU_FILE, count_html_items, count_markdown_items
from kdgraph.cli import main

SUMMARY = re.compile(
    r"^(?P<source>[a-z0-9-]+): (?P<records>\d+) records, (?P<skipped>\d+) items not recorded, "
    r"(?P<errors>\d+) errors, (?P<warnings>\d+) warnings, (?P<notes>\d+) notes "
    r"\((?P<items>\d+) list items in (?P<path>.+)\)$"
)


def _runner() -> CliRunner:
    """A runner that keeps stderr apart from stdout (click < 8.2 needs ``mix_stderr=False``)."""
    if "mix_stderr" in inspect.signature(CliRunner.__init__).parameters:
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]
    return CliRunner()


def invoke(*args: str | Path) -> Result:
    return _runner().invoke(main, [str(a) for a in args], prog_name="kdgraph")


def assert_exit(result: Result, code: int) -> None:
    """The exit code, reached by a deliberate exit, never by an exception escaping."""
    assert result.exit_code == code, (result.exit_code, result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    assert "Traceback" not in result.output


def error_lines(result: Result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("Error:")]


def summaries(result: Result) -> dict[str, dict[str, str]]:
    found = {}
    for line in result.stderr.splitlines():
        m = SUMMARY.match(line)
        if m:
            found[m.group("source")] = m.groupdict()
    return found


@pytest.fixture(scope="module")
def registry_file() -> Path:
    return Path(__file__).resolve().parent.parent / "data" / "sources.toml"


# ------------------------------------------------------------------------------------ the group


def test_version() -> None:
    result = invoke("--version")
    assert_exit(result, 0)
    assert result.stdout.strip() == f"kdgraph, version {version('kdgraph')}"


@pytest.mark.parametrize("flag", ["-h", "--help"])
def test_help(flag: str) -> None:
    result = invoke(flag)
    assert_exit(result, 0)
    assert result.stdout.startswith("Usage: kdgraph [OPTIONS] COMMAND [ARGS]...")
    for command in ("extract", "sources", "build", "validate"):
        assert re.search(rf"^\s+{command}\s", result.stdout, re.MULTILINE), command
    assert "Exit codes:" in result.stdout


def test_subcommand_help() -> None:
    result = invoke("extract", "-h")
    assert_exit(result, 0)
    for option in ("--format", "--source", "--show", "--registry"):
        assert option in result.stdout


def test_unknown_command_is_usage_error() -> None:
    result = invoke("nonsense")
    assert_exit(result, 2)
    assert "No such command" in result.stderr


def _commands(group: click.Group) -> list[tuple[str, click.Command]]:
    out: list[tuple[str, click.Command]] = [(group.name or "kdgraph", group)]
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            out.extend(_commands(command))
        else:
            out.append((name, command))
    return out


@pytest.mark.parametrize(("name", "command"), _commands(main), ids=[n for n, _ in _commands(main)])
def test_every_command_has_a_docstring_with_an_example(name: str, command: click.Command) -> None:
    """STYLE habit 5: every command's help has a real example, one that names the program."""
    help_text = command.help or ""
    assert help_text.strip(), f"{name} has no docstring"
    assert re.search(r"^\s*Examples?:\s*$", help_text, re.MULTILINE), f"{name}: no 'Example:' block"
    example = help_text[re.search(r"Examples?:", help_text).end():]  # type: ignore[union-attr]
    assert re.search(r"^\s+kdgraph( \S+)?", example, re.MULTILINE), f"{name}: the example runs no kdgraph"


def test_commands_are_collected() -> None:
    names = {name for name, _ in _commands(main)}
    assert {"extract", "sources", "build", "validate"} <= names


def test_help_does_not_import_heavy_libraries() -> None:
    code = (
        "import sys\n"
        "from kdgraph.cli import main\n"
        "try:\n"
        "    main(['--help'], prog_name='kdgraph')\n"
        "except SystemExit as exc:\n"
        "    assert exc.code == 0, exc.code\n"
        "heavy = sorted(m for m in ('rdflib', 'pyshacl', 'pyoxigraph', 'lxml', 'markdown_it')"
        " if m in sys.modules)\n"
        "print('HEAVY=' + ','.join(heavy))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert "Usage: kdgraph" in done.stdout
    assert done.stdout.strip().splitlines()[-1] == "HEAVY="


# ------------------------------------------------------------------------------------- extract


@pytest.fixture(scope="module")
def json_run(registry_file: Path) -> Result:
    return invoke("extract", "--registry", registry_file, "--format", "json")


def test_extract_json(json_run: Result, registry_file: Path) -> None:
    assert_exit(json_run, 0)
    rows = json.loads(json_run.stdout)
    assert len(rows) == 46 + 206
    assert [r["source"] for r in rows].count("zju-kd-papers") == 46
    assert [r["source"] for r in rows].count("mwan-reading-list") == 206
    first = rows[0]
    assert (first["title"], first["line"], first["section"]) == (
        "FitNets: Hints for Thin Deep Nets", 6, ["Knowledge-Distillation-Paper", "Feature Maps Distillation"])
    assert first["venue"]["series"] == "ICLR" and first["venue"]["year"] == 2015
    assert first["file"] == str(registry_file.parent / ZJU_FILE)
    assert set(first) >= {"source", "file", "line", "position", "section", "kind", "title", "title_raw",
                          "title_key", "authors", "venue", "links", "identifiers", "marks", "notes"}


def test_extract_summary_lines(json_run: Result, registry_file: Path) -> None:
    found = summaries(json_run)
    zju, mwan = found["zju-kd-papers"], found["mwan-reading-list"]
    assert (zju["records"], zju["skipped"], zju["items"]) == ("46", "0", "46")
    assert (mwan["records"], mwan["skipped"], mwan["items"]) == ("206", "6", "212")
    assert (zju["errors"], zju["warnings"], zju["notes"]) == ("0", "8", "0")
    assert (mwan["errors"], mwan["warnings"], mwan["notes"]) == ("2", "32", "15")
    assert zju["path"] == str(registry_file.parent / ZJU_FILE)
    assert mwan["path"] == str(registry_file.parent / MWAN_FILE)
    assert json_run.stderr.splitlines()[0] == "reading 2 list(s)…"


def test_extract_diagnostics_on_stderr(json_run: Result, registry_file: Path) -> None:
    mwan = str(registry_file.parent / MWAN_FILE)
    lines = json_run.stderr.splitlines()
    assert f"{mwan}:193: warning: scheme 'hhttps' corrected to 'https': " in "\n".join(lines)
    assert any(line.startswith(f"{mwan}:182: error: entry has links but no title") for line in lines)
    mark = f"{mwan}:189: warning: reading mark read stands before <li>"
    assert any(line.startswith(mark) for line in lines)
    # the default threshold is "warning": notes (info) are not printed
    assert not any(": info: " in line for line in lines)
    diagnostic = re.compile(r"^/.+:\d+: (error|warning|info): .+ \[[a-z-]+\]$")
    diag_lines = [line for line in lines if diagnostic.match(line)]
    assert len(diag_lines) == 8 + 2 + 32
    # diagnostics never go to stdout
    assert "[url-fixed]" not in json_run.stdout


def test_extract_show_levels(registry_file: Path) -> None:
    everything = invoke("extract", "--registry", registry_file, "--show", "info", "--format", "jsonl")
    assert_exit(everything, 0)
    assert sum(": info: " in line for line in everything.stderr.splitlines()) == 15
    errors_only = invoke("extract", "--registry", registry_file, "--show", "error", "--format", "jsonl")
    lines = errors_only.stderr.splitlines()
    assert sum(": error: " in line for line in lines) == 2
    assert not any(": warning: " in line or ": info: " in line for line in lines)
    bad = invoke("extract", "--registry", registry_file, "--show", "loud")
    assert_exit(bad, 2)


def test_extract_jsonl(registry_file: Path) -> None:
    result = invoke("extract", "--registry", registry_file, "--format", "jsonl")
    assert_exit(result, 0)
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 252
    assert {r["source"] for r in rows} == {"zju-kd-papers", "mwan-reading-list"}
    assert [r["position"] for r in rows if r["source"] == "mwan-reading-list"] == list(range(1, 207))


def test_extract_table(registry_file: Path) -> None:
    result = invoke("extract", "--registry", registry_file, "--format", "table")
    assert_exit(result, 0)
    lines = result.stdout.splitlines()
    assert lines[0] == "source\tline\tkind\tvenue\tyear\tauthors\tlinks\ttitle"
    assert len(lines) == 1 + 252
    assert all(len(line.split("\t")) == 8 for line in lines)
    pytorch12 = next(line for line in lines if "\t108\t" in line and line.startswith("zju-kd-papers"))
    assert pytorch12.split("\t")[:7] == ["zju-kd-papers", "108", "paper", "ICCV", "2019", "4",
                                         "paper,code(PyTorch),code(PyTorch)"]
    resource = next(line for line in lines if line.startswith("zju-kd-papers\t136\t"))
    assert resource.split("\t")[2] == "resource"


def test_extract_quiet(registry_file: Path) -> None:
    result = invoke("--quiet", "extract", "--registry", registry_file, "--format", "jsonl")
    assert_exit(result, 0)
    lines = result.stderr.splitlines()
    assert len(lines) == 2 and all(SUMMARY.match(line) for line in lines)
    assert len(result.stdout.splitlines()) == 252
    short = invoke("-q", "extract", "--registry", registry_file, "--format", "jsonl")
    assert short.stderr == result.stderr


def test_extract_one_source(registry_file: Path) -> None:
    result = invoke("extract", "--registry", registry_file, "--source", "zju-kd-papers", "--format", "jsonl")
    assert_exit(result, 0)
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 46 and {r["source"] for r in rows} == {"zju-kd-papers"}
    assert list(summaries(result)) == ["zju-kd-papers"]
    # the cross-list conflict (arXiv 1412.6550, cited by mwan too) is not reported for one list alone
    assert "1412.6550" not in result.stderr
    both = invoke("extract", "--registry", registry_file, "--source", "zju-kd-papers", "--source",
                  "mwan-reading-list", "--format", "jsonl")
    assert len(both.stdout.splitlines()) == 252


def test_extract_unknown_source(registry_file: Path) -> None:
    result = invoke("extract", "--registry", registry_file, "--source", "nope")
    assert_exit(result, 1)
    assert error_lines(result) == [f"Error: {registry_file}: no source with id nope — see `kdgraph sources`"]
    assert result.stdout == ""


def test_extract_files(tmp_path: Path, data_dir: Path) -> None:
    result = invoke("extract", data_dir / ZJU_FILE, "--format", "jsonl")
    assert_exit(result, 0)
    assert len(result.stdout.splitlines()) == 46
    assert list(summaries(result)) == ["knowledge-distillation-paper"]


# ---------------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(("content", "message"), [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "is a binary file, not a Markdown list — check the path"),
    (b"# List\n\n- **Ok** [[Paper]](https://arxiv.org/abs/2001.00001)\n- **Caf\xe9** bad\n",
     ":4: not valid UTF-8 (byte 0xe9) — save the file as UTF-8"),
])
def test_extract_bad_file(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "list.md"
    path.write_bytes(content)
    result = invoke("extract", path)
    assert_exit(result, 1)
    assert error_lines(result) == [f"Error: {path}{message if message.startswith(':') else ': ' + message}"]
    assert json.loads(result.stdout) == []


def test_extract_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "missing.md"
    result = invoke("extract", missing)
    assert_exit(result, 1)
    assert error_lines(result) == [f"Error: {missing}: no such file — check the path or the registry entry"]


def test_extract_folder(tmp_path: Path) -> None:
    result = invoke("extract", tmp_path)
    assert_exit(result, 1)
    assert error_lines(result) == [f"Error: {tmp_path}: is a folder, not a list file — name a Markdown file"]


def test_extract_good_and_bad_files(tmp_path: Path, data_dir: Path) -> None:
    """A bad file does not stop the others from being read; the exit code still says something failed."""
    missing = tmp_path / "missing.md"
    result = invoke("extract", data_dir / ZJU_FILE, missing, "--format", "jsonl")
    assert_exit(result, 1)
    assert len(result.stdout.splitlines()) == 46
    assert len(error_lines(result)) == 1




@pytest.mark.parametrize(("text", "message"), [
    (REGISTRY_ENTRY.format(id="a", reader="markdown").replace('origin = "https://example.org/list"\n', ""),
     "source #1: missing origin — every source needs id, title, file, origin, reader"),
    (REGISTRY_ENTRY.format(id="a", reader="asciidoc"),
     "source #1: unknown reader 'asciidoc' — use one of markdown"),
    (REGISTRY_ENTRY.format(id="a", reader="markdown") * 2,
     "source #2: id 'a' is used twice — ids must be unique"),
    ("source = 3\n", "no [[source]] entries — add one per reading list"),
    ("[[source]\n", "not a valid TOML registry"),
])
@pytest.mark.parametrize("command", ["extract", "sources"])
def test_bad_registry(tmp_path: Path, text: str, message: str, command: str) -> None:
    registry = tmp_path / "sources.toml"
    registry.write_text(text, encoding="utf-8")
    result = invoke(command, "--registry", registry)
    assert_exit(result, 1)
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"Error: {registry}: ") and message in line
    assert result.stdout == ""


def test_registry_not_found(tmp_path: Path) -> None:
    result = invoke("extract", "--registry", tmp_path / "none.toml")
    assert_exit(result, 1)
    assert error_lines(result) == [f"Error: {tmp_path / 'none.toml'}: source registry not found — run "
                                   "kdgraph from the project folder, or pass --registry PATH"]


def test_registry_file_missing(tmp_path: Path) -> None:
    registry = tmp_path / "sources.toml"
    registry.write_text(REGISTRY_ENTRY.format(id="a", reader="markdown"), encoding="utf-8")
    result = invoke("extract", "--registry", registry)
    assert_exit(result, 1)
    assert error_lines(result) == [f"Error: {tmp_path / 'list.md'}: no such file — check the path or the "
                                   "registry entry"]


def test_bad_registry_in_a_real_process(tmp_path: Path) -> None:
    """No traceback reaches a user's terminal, not even outside CliRunner."""
    registry = tmp_path / "sources.toml"
    registry.write_text("source = [1, 2]\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "kdgraph.cli", "extract", "--registry", str(registry)],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == [f"Error: {registry}: source #1: not a table — write each "
                                                "source as a [[source]] table"]


# ------------------------------------------------------------------------------------- sources


def test_sources(registry_file: Path) -> None:
    result = invoke("sources", "--registry", registry_file)
    assert_exit(result, 0)
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert [(r[0], r[1], Path(r[2]).name) for r in rows] == [
        ("zju-kd-papers", "markdown", ZJU_FILE), ("mwan-reading-list", "markdown", MWAN_FILE)]
    assert rows[0][3] == "https://github.com/zju-pi/Knowledge-Distillation-Paper"


# --------------------------------------------------------------------------------- a large list


def generate_list(target_bytes: int) -> tuple[str, int]:
    """A list in both conventions, of realistic items (HTML items with paper, supplement and code links
    under venue headings; bold Markdown items with an author line), until ``target_bytes``."""
    venues = ("CVPR", "ICLR", "NeurIPS", "ICML", "ECCV", "AAAI")
    words = ("Knowledge", "Distillation", "Student", "Teacher", "Network", "Compression", "Contrastive",
             "Representation", "Learning", "Self-Supervised", "Detection", "Segmentation", "Transfer")
    parts = ["# Generated reading list\n\n"]
    size, n, section = len(parts[0]), 0, 0
    while size < target_bytes:
        section += 1
        venue, year = venues[section % len(venues)], 2015 + section % 8
        block = [f"## Topic {section}\n\n### [{venue} {year}](https://example.org/{venue}{year})\n<ul>\n"]
        for _ in range(40):
            n += 1
            title = " ".join(words[(n * k) % len(words)] for k in range(1, 12)) + f" {n}"
            slug = title.replace(" ", "_")
            base = f"https://openaccess.thecvf.com/content_{venue}_{year}"
            stem = f"Author_{slug}_{venue}_{year}"
            block.append(f'<li>{title}<a href="{base}/papers/{stem}_paper.pdf">[paper]</a> '
                         f'<a href="{base}/supplemental/{stem}_supplemental.pdf">[supp]</a>'
                         f'<a href="https://github.com/author{n}/{slug}">[code]</a>\n')
        block.append("</ul>\n\n")
        for _ in range(10):
            n += 1
            title = " ".join(words[(n * k + 3) % len(words)] for k in range(1, 10)) + f" {n}"
            repo = f"https://github.com/user{n}/{title.replace(' ', '-')}"
            block.append(f"- **{title}, {venue} {year}** [[Paper]](https://arxiv.org/abs/{1500 + n % 900}."
                         f"{n % 100000:05d}) [[PyTorch]]({repo})\n"
                         "  - *Ann Author, Bob Writer, Carla Reviewer, Dan Editor, Eve Student*\n")
        text = "".join(block)
        parts.append(text)
        size += len(text.encode())
    return "".join(parts), n


def test_large_list(tmp_path: Path) -> None:
    text, entries = generate_list(10 * 1024 * 1024)
    path = tmp_path / "large.md"
    path.write_text(text, encoding="utf-8")
    assert path.stat().st_size >= 10 * 1024 * 1024
    independent = count_markdown_items(text) + count_html_items(text)
    assert independent == entries
    start = time.process_time()  # CPU time of this process: a busy CI machine does not count
    result = invoke("--quiet", "extract", path, "--format", "jsonl")
    elapsed = time.process_time() - start
    assert_exit(result, 0)
    summary = summaries(result)["large"]
    assert (summary["records"], summary["skipped"], summary["items"]) == (str(entries), "0", str(entries))
    assert summary["errors"] == "0"
    assert len(result.stdout.splitlines()) == entries
    assert elapsed < 20, f"{elapsed:.1f} s of CPU for a 10 MB list"
