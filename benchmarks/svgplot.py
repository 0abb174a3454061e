"""Line charts as SVG, by hand (matplotlib is not a dependency), and a PNG of them through headless Chromium
when Playwright and /usr/bin/chromium are there (the browser tests' setup)."""

from __future__ import annotations

import math
from html import escape
from pathlib import Path

COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf")
WIDTH, HEIGHT = 560, 340
LEFT, RIGHT, TOP, BOTTOM = 64, 170, 36, 48


def _ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    if hi <= lo:
        return [lo]
    raw = (hi - lo) / count
    step = 10 ** math.floor(math.log10(raw))
    step *= next(m for m in (1, 2, 2.5, 5, 10) if step * m >= raw)
    start = math.floor(lo / step) * step
    ticks = [start]
    while ticks[-1] < hi - 1e-9:  # the last tick at or above hi: nothing is drawn off the chart
        ticks.append(ticks[-1] + step)
    return ticks


def _label(value: float) -> str:
    if value >= 1000 and value == int(value):
        return f"{int(value):,}"
    return f"{value:g}"


def line_chart(
    title: str, y_label: str, series: dict[str, list[tuple[float, float]]], *, reference: float | None = None,
    reference_label: str = "",
) -> str:  # fmt: skip
    """One panel (an SVG ``<g>`` of WIDTH × HEIGHT): x on a log scale (store sizes), y linear from 0."""
    points = [p for values in series.values() for p in values]
    if not points:
        return f'<g><text x="{LEFT}" y="{TOP}">{escape(title)}: no data</text></g>'
    xs = sorted({x for x, _ in points})
    y_max = max([y for _, y in points] + ([reference * 1.1] if reference else []))
    y_ticks = _ticks(0, y_max * 1.05 or 1)
    y_top = y_ticks[-1] or 1
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    lx = [math.log10(x) for x in xs]
    x_lo, x_hi = (min(lx) - 0.15, max(lx) + 0.15) if len(lx) > 1 else (lx[0] - 1, lx[0] + 1)

    def px(x: float) -> float:
        return LEFT + (math.log10(x) - x_lo) / (x_hi - x_lo) * plot_w

    def py(y: float) -> float:
        return TOP + plot_h - y / y_top * plot_h

    out = [f'<text x="{LEFT}" y="20" font-size="14" font-weight="bold">{escape(title)}</text>']
    for y in y_ticks:
        out.append(
            f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{py(y):.1f}" y2="{py(y):.1f}" stroke="#e5e5e5"/>'
        )
        out.append(
            f'<text x="{LEFT - 6}" y="{py(y) + 4:.1f}" font-size="11" text-anchor="end">{_label(y)}</text>'
        )
    for x in xs:
        out.append(
            f'<line x1="{px(x):.1f}" x2="{px(x):.1f}" y1="{TOP}" y2="{TOP + plot_h}" stroke="#f0f0f0"/>'
        )
        out.append(
            f'<text x="{px(x):.1f}" y="{TOP + plot_h + 16}" font-size="11" text-anchor="middle">{_label(x)}</text>'
        )
    out.append(
        f'<text x="{LEFT + plot_w / 2}" y="{HEIGHT - 8}" font-size="11" text-anchor="middle">articles in the store</text>'
    )
    out.append(
        f'<text x="14" y="{TOP + plot_h / 2}" font-size="11" text-anchor="middle"'
        f' transform="rotate(-90 14 {TOP + plot_h / 2})">{escape(y_label)}</text>'
    )
    out.append(f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="none" stroke="#888"/>')
    if reference is not None:
        out.append(
            f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{py(reference):.1f}" y2="{py(reference):.1f}"'
            ' stroke="#555" stroke-dasharray="5 4"/>'
        )
        out.append(
            f'<text x="{LEFT + plot_w - 4}" y="{py(reference) - 4:.1f}" font-size="10" text-anchor="end"'
            f' fill="#555">{escape(reference_label)}</text>'
        )
    for n, (name, values) in enumerate(series.items()):
        colour = COLOURS[n % len(COLOURS)]
        dash = ' stroke-dasharray="6 3"' if "postgres" in name.lower() else ""
        ordered = sorted(values)
        if len(ordered) > 1:
            path = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in ordered)
            out.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>')
        for x, y in ordered:
            out.append(f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3" fill="{colour}"/>')
        ly = TOP + 10 + n * 16
        out.append(
            f'<line x1="{LEFT + plot_w + 10}" x2="{LEFT + plot_w + 28}" y1="{ly}" y2="{ly}" stroke="{colour}"'
            f' stroke-width="2"{dash}/>'
        )
        out.append(f'<text x="{LEFT + plot_w + 32}" y="{ly + 4}" font-size="10">{escape(name)}</text>')
    return "<g>" + "".join(out) + "</g>"


def figure(panels: list[str], columns: int = 2, caption: str = "") -> str:
    rows = math.ceil(len(panels) / columns)
    extra = 24 if caption else 0
    width, height = WIDTH * columns, HEIGHT * rows + extra
    body = [
        f'<g transform="translate({(i % columns) * WIDTH},{(i // columns) * HEIGHT})">{p}</g>'
        for i, p in enumerate(panels)
    ]
    if caption:
        body.append(f'<text x="10" y="{height - 8}" font-size="11" fill="#444">{escape(caption)}</text>')
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}"'
        f' viewBox="0 0 {width} {height}" font-family="sans-serif">'
        f'<rect width="100%" height="100%" fill="white"/>{"".join(body)}</svg>\n'
    )


def to_png(svg_path: Path, png_path: Path) -> str | None:
    """Render the SVG to a PNG in headless Chromium; None when done, else why not."""
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        return "no /usr/bin/chromium"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return "Playwright is not installed (make install)"
    svg = svg_path.read_text(encoding="utf-8")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.set_content(f"<html><body style='margin:0'>{svg}</body></html>")
            page.locator("svg").screenshot(path=str(png_path))
        finally:
            browser.close()
    return None
