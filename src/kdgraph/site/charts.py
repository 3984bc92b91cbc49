"""SVG charts drawn at build time from counts — no plotting library, no JavaScript.

Each chart is a complete, standalone SVG document with ``role="img"``, a ``<title>`` and a ``<desc>``;
the pages show it with an ``alt`` text and the same numbers as a table. Coordinates are rounded, so the
same counts give the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
INK = "#1f2933"
MUTED = "#52606d"
GRID = "#d9e2ec"
BAR = "#2c5f8a"


@dataclass(frozen=True, slots=True)
class Series:
    """One small multiple: a label and a count per year."""

    label: str
    counts: dict[int, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _n(x: float) -> str:
    text = f"{x:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _svg(width: float, height: float, title: str, desc: str, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_n(width)}" height="{_n(height)}" '
        f'viewBox="0 0 {_n(width)} {_n(height)}" role="img" aria-labelledby="chart-title chart-desc" '
        f'font-family="{escape(FONT, {chr(34): "&quot;"})}" font-size="12">\n'
        f'<title id="chart-title">{escape(title)}</title>\n'
        f'<desc id="chart-desc">{escape(desc)}</desc>\n'
        f'<rect width="100%" height="100%" fill="#ffffff"/>\n' + "\n".join(body) + "\n</svg>\n")


def _text(x: float, y: float, text: str, *, anchor: str = "start", size: int = 12, fill: str = INK,
          weight: str = "normal") -> str:
    extra = f' font-weight="{weight}"' if weight != "normal" else ""
    return (f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}" font-size="{size}" '
            f'fill="{fill}"{extra}>{escape(text)}</text>')


def small_multiples(series: list[Series], years: list[int], *, title: str, desc: str,
                    columns: int = 3) -> str:
    """One small bar chart per series, all on the same year axis and the same count scale."""
    panel_w, panel_h = 300.0, 130.0
    pad_l, pad_r, pad_t, pad_b = 30.0, 10.0, 42.0, 20.0
    gap = 14.0
    rows = max(1, -(-len(series) // columns))
    width = columns * panel_w + (columns - 1) * gap + 20
    height = rows * panel_h + (rows - 1) * gap + 20
    peak = max([c for s in series for c in s.counts.values()] + [1])
    step = 1 if peak <= 5 else 2 if peak <= 10 else 5 if peak <= 25 else 10 if peak <= 50 else 25
    top = -(-peak // step) * step
    body: list[str] = []
    plot_w = panel_w - pad_l - pad_r
    plot_h = panel_h - pad_t - pad_b
    slot = plot_w / max(1, len(years))
    for index, s in enumerate(series):
        col, row = index % columns, index // columns
        x0 = 10 + col * (panel_w + gap)
        y0 = 10 + row * (panel_h + gap)
        body.append(f'<g aria-label="{escape(s.label, {chr(34): "&quot;"})}: {s.total} papers">')
        label = s.label if len(s.label) <= 42 else s.label[:41] + "…"
        body.append(_text(x0 + 4, y0 + 14, label, weight="bold", size=12))
        body.append(_text(x0 + 4, y0 + 29, f"{s.total} paper{'s' if s.total != 1 else ''}", size=11,
                          fill=MUTED))
        base_y = y0 + pad_t + plot_h
        for tick in range(0, top + 1, step):
            y = base_y - plot_h * tick / top
            body.append(f'<line x1="{_n(x0 + pad_l)}" y1="{_n(y)}" x2="{_n(x0 + panel_w - pad_r)}" '
                        f'y2="{_n(y)}" stroke="{GRID}" stroke-width="1"/>')
            body.append(_text(x0 + pad_l - 4, y + 4, str(tick), anchor="end", size=10, fill=MUTED))
        for i, year in enumerate(years):
            count = s.counts.get(year, 0)
            if count:
                h = plot_h * count / top
                x = x0 + pad_l + i * slot + slot * 0.15
                body.append(f'<rect x="{_n(x)}" y="{_n(base_y - h)}" width="{_n(slot * 0.7)}" '
                            f'height="{_n(h)}" fill="{BAR}"><title>{escape(s.label)}, {year}: '
                            f'{count}</title></rect>')
        if years:
            body.append(_text(x0 + pad_l, base_y + 14, str(years[0]), size=10, fill=MUTED))
            body.append(_text(x0 + panel_w - pad_r, base_y + 14, str(years[-1]), anchor="end", size=10,
                              fill=MUTED))
        body.append("</g>")
    return _svg(width, height, title, desc, body)


def share_bars(rows: list[tuple[str, int]], total: int, *, title: str, desc: str, note: str) -> str:
    """Horizontal bars: each row's count as a share of ``total``."""
    label_w, bar_w, value_w = 190.0, 360.0, 120.0
    row_h = 24.0
    width = label_w + bar_w + value_w + 20
    height = 46 + row_h * len(rows) + 30
    body = [_text(10, 22, note, size=12, fill=MUTED)]
    for tick in (0, 25, 50, 75, 100):
        x = 10 + label_w + bar_w * tick / 100
        body.append(f'<line x1="{_n(x)}" y1="34" x2="{_n(x)}" y2="{_n(40 + row_h * len(rows))}" '
                    f'stroke="{GRID}" stroke-width="1"/>')
        body.append(_text(x, 52 + row_h * len(rows), f"{tick}%", anchor="middle", size=10, fill=MUTED))
    for i, (label, count) in enumerate(rows):
        y = 40 + i * row_h
        share = count / total if total else 0.0
        body.append(_text(10 + label_w - 8, y + 16, label, anchor="end"))
        body.append(f'<rect x="{_n(10 + label_w)}" y="{_n(y + 4)}" width="{_n(bar_w * share)}" '
                    f'height="{_n(row_h - 8)}" fill="{BAR}"><title>{escape(label)}: '
                    f'{count} ({share:.0%})</title></rect>')
        body.append(_text(10 + label_w + bar_w + 8, y + 16, f"{count} ({share:.0%})"))
    return _svg(width, height, title, desc, body)
