"""A small inline SVG line chart of the scenario's tracks over the turns (no script, no fonts fetched)."""

from __future__ import annotations

from html import escape

# distinguishable in colour and in greyscale print (dashes differ too)
COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf", "#7f7f7f")
DASHES = ("", "6 3", "2 3", "8 3 2 3", "4 4", "1 2", "10 4", "3 6")


def tracks_svg(series: dict[str, list[int]], names: dict[str, str], x_labels: list[str], lo: int, hi: int,
               title: str) -> str:
    """An SVG of each track's value (``series[track]``, one per ``x_labels`` entry) between ``lo`` and ``hi``."""
    width, height = 760, 300
    left, right, top, bottom = 40, 240, 20, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    count = max(1, len(x_labels) - 1)
    span = max(1, hi - lo)

    def x(i: int) -> float:
        return left + plot_w * i / count

    def y(v: float) -> float:
        return top + plot_h * (1 - (v - lo) / span)

    parts = [f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" '
             f'xmlns="http://www.w3.org/2000/svg" font-family="sans-serif" font-size="11">',
             f"<title>{escape(title)}</title>"]
    step = 1 if span <= 10 else max(1, span // 5)
    for v in range(lo, hi + 1, step):
        parts.append(f'<line x1="{left}" y1="{y(v):.1f}" x2="{left + plot_w}" y2="{y(v):.1f}" stroke="#ddd"/>')
        parts.append(f'<text x="{left - 6}" y="{y(v) + 4:.1f}" text-anchor="end" fill="#555">{v}</text>')
    for i, lab in enumerate(x_labels):
        parts.append(f'<text x="{x(i):.1f}" y="{height - bottom + 16}" text-anchor="middle" fill="#555">'
                     f"{escape(lab)}</text>")
    for n, (track, values) in enumerate(series.items()):
        colour, dash = COLOURS[n % len(COLOURS)], DASHES[n % len(DASHES)]
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values))
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2.2"{dash_attr} points="{points}"/>')
        for i, v in enumerate(values):
            parts.append(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="2.6" fill="{colour}"/>')
        ly = top + 14 + n * 18
        lx = left + plot_w + 14
        parts.append(f'<line x1="{lx}" y1="{ly - 4}" x2="{lx + 22}" y2="{ly - 4}" stroke="{colour}" '
                     f'stroke-width="2.2"{dash_attr}/>')
        parts.append(f'<text x="{lx + 28}" y="{ly}" fill="#222">{escape(_short(names.get(track, track)))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _short(name: str, limit: int = 34) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"
