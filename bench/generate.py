"""Synthetic KD reading lists of any size, in both source conventions, deterministic from a seed.

Usage: ``python bench/generate.py N OUT_DIR [--seed 7]`` writes ``OUT_DIR/bold.md`` (bold-title bullets
with italic author lines, sections by KD family), ``OUT_DIR/html.md`` (inline HTML lists under venue
headings with priority and read marks) and ``OUT_DIR/sources.toml`` (a registry of the two), N entries in
all. Realistic on purpose: 3–8 authors drawn from a shared pool with Zipf-like reuse, venues and years,
about 40% with code links of several frameworks, 5% duplicates across the lists, and some broken
entries (an empty link, an untitled item, a typo'd URL scheme).
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path


def _words(text: str) -> list[str]:
    return text.split()


FAMILIES = ["Feature Maps Distillation", "Online Knowledge Distillation", "Data-Free Knowledge Distillation",
            "Adversarial & Robust Distillation", "Self-Distillation", "Multi-Teacher Distillation"]
VENUES = ["CVPR", "ICCV", "ECCV", "NIPS", "NeurIPS", "ICLR", "ICML", "AAAI", "IJCAI", "ACL", "EMNLP",
          "WACV", "BMVC", "arXiv"]
FRAMEWORKS = ["PyTorch", "Pytorch", "TensorFlow", "Tensorflow", "Theano", "Caffe", "Code", "JAX"]
WORDS = _words("knowledge distillation student teacher network compression feature attention relational "
         "online mutual collaborative data free adversarial robust contrastive self ensemble quantization "
         "pruning transformer language vision detection segmentation graph federated privacy efficient "
         "lightweight progressive hierarchical adaptive dynamic generative sparse deep learning via "
         "with for towards rethinking improving revisiting")
GIVEN = _words("Wei Li Jian Yu Xin Hao Ming Lei Yang Jun Anna Maria Peter Paul Sara David Daniel Laura "
         "Nikos Sergey Adriana Yoshua Geoffrey Kaiming Ross Jitendra Fei Andrew Yann Ilya")
FAMILY = _words("Zhang Wang Chen Liu Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Lin Luo Gao Smith "
          "Johnson Brown Garcia Martin Romero Bengio Hinton Komodakis Zagoruyko Passalis Tefas")


def zipf_pick(rng: random.Random, pool: list[str], s: float = 1.1) -> str:
    """Low indexes far more often than high ones, like real author reuse."""
    weights = [1 / (i + 1) ** s for i in range(len(pool))]
    return rng.choices(pool, weights)[0]


def make_entries(n: int, seed: int) -> list[dict[str, object]]:
    rng = random.Random(seed)
    people = [f"{g} {f}" for f in FAMILY for g in GIVEN]
    rng.shuffle(people)
    entries = []
    for i in range(n):
        words = rng.sample(WORDS, rng.randint(4, 9))
        title = " ".join(words).capitalize() + f" {i}"
        venue = rng.choice(VENUES)
        year = rng.randint(2014, 2024)
        authors = []
        while len(authors) < rng.randint(3, 8):
            name = zipf_pick(rng, people)
            if name not in authors:
                authors.append(name)
        code = []
        if rng.random() < 0.4:
            for k in range(rng.choice([1, 1, 1, 2])):
                code.append((rng.choice(FRAMEWORKS) + (str(k + 1) if k else ""),
                             f"https://github.com/{authors[0].split()[-1].lower()}{i}/repo-{k}"))
        entries.append({"title": title, "venue": venue, "year": year, "authors": authors,
                        "arxiv": f"{year % 100:02d}{rng.randint(1, 12):02d}.{rng.randint(0, 99999):05d}",
                        "code": code, "family": rng.choice(FAMILIES),
                        "broken": rng.random() < 0.01, "mark": rng.random()})
    return entries


def bold_list(entries: list[dict[str, object]]) -> str:
    lines = ["# Synthetic Knowledge-Distillation Papers", ""]
    for family in FAMILIES:
        lines += [f"## {family}", ""]
        for e in entries:
            if e["family"] != family:
                continue
            links = f" [[Paper]](https://arxiv.org/abs/{e['arxiv']})"
            for label, url in e["code"]:  # type: ignore[attr-defined]
                links += f" [[{label}]]({url})"
            if e["broken"]:
                links = " [[Paper]]()"
            lines.append(f"- **{e['title']}, {e['venue']} {e['year']}**{links}")
            lines.append(f"  - *{', '.join(e['authors'][:-1])} and {e['authors'][-1]}.*")  # type: ignore[index]
            lines.append("")
    return "\n".join(lines) + "\n"


def html_list(entries: list[dict[str, object]]) -> str:
    lines = ["# Synthetic Reading List", "", "Reading Priority: Top :star2: Second :star:", ""]
    by_venue: dict[tuple[str, int], list[dict[str, object]]] = {}
    for e in entries:
        by_venue.setdefault((str(e["venue"]), int(e["year"])), []).append(e)  # type: ignore[arg-type]
    for (venue, year), group in sorted(by_venue.items()):
        lines += [f"### [{venue} {year}](https://example.org/{venue.lower()}{year})", "<ul>"]
        for e in group:
            mark = float(e["mark"])  # type: ignore[arg-type]
            star = ":star2:" if mark < 0.05 else ":star:" if mark < 0.15 else ""
            read = ":heavy_check_mark:" if 0.5 < mark < 0.7 else ""
            scheme = "hhttps" if e["broken"] else "https"
            code = "".join(f'<a href="{url}">[code]</a>' for _, url in e["code"])  # type: ignore[attr-defined]
            title = "" if e["broken"] and mark > 0.5 else e["title"]
            lines.append(f'<li>{star}{title}<a href="{scheme}://arxiv.org/pdf/{e["arxiv"]}">[paper]</a>'
                         f"{code}{read}")
        lines += ["</ul>", ""]
    return "\n".join(lines) + "\n"


def write(n: int, out: Path, seed: int = 7) -> Path:
    """Write the two lists and their registry; N entries in all, 5% of them listed in both."""
    entries = make_entries(n, seed)
    rng = random.Random(seed + 1)
    split = int(len(entries) * 0.55)
    bold, html = entries[:split], entries[split:]
    shared = rng.sample(bold, max(1, len(entries) // 20))
    html = html + shared
    out.mkdir(parents=True, exist_ok=True)
    (out / "bold.md").write_text(bold_list(bold), encoding="utf-8")
    (out / "html.md").write_text(html_list(html), encoding="utf-8")
    registry = out / "sources.toml"
    registry.write_text(
        '[[source]]\nid = "synthetic-bold"\ntitle = "Synthetic bold-title list"\nfile = "bold.md"\n'
        'origin = "https://example.org/bold"\nreader = "markdown"\n\n'
        '[[source]]\nid = "synthetic-html"\ntitle = "Synthetic HTML list"\nfile = "html.md"\n'
        'origin = "https://example.org/html"\nreader = "markdown"\n', encoding="utf-8")
    return registry


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    print(write(args.n, args.out, args.seed))


if __name__ == "__main__":
    main()
