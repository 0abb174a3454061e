"""Inline SVG drawn on the server: a dyad's monthly bars and a claim chain. No chart library, no script.

Colours come from CSS classes (``q-<quad>``), so the page stylesheet themes them and no inline style
is needed (the Content-Security-Policy forbids it). Every text piece is escaped.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from markupsafe import Markup, escape

from detente.analytics.dyads import DyadPoint, DyadSeries
from detente.records import QUADS, Claim

COOPERATION = ("verbal_cooperation", "material_cooperation")
CONFLICT = ("verbal_conflict", "material_conflict")


def _next_month(month: str) -> str:
    year, mon = int(month[:4]), int(month[5:7])
    return f"{year + mon // 12:04d}-{mon % 12 + 1:02d}"


def continuous_points(points: Sequence[DyadPoint]) -> list[DyadPoint]:
    """The points with empty months filled in, so the x axis is time and gaps show as gaps."""
    if not points:
        return []
    by_month = {p.month: p for p in points}
    filled: list[DyadPoint] = []
    month = points[0].month
    while month <= points[-1].month and len(filled) < 600:
        filled.append(by_month.get(month) or DyadPoint(month, dict.fromkeys(QUADS, 0), 0.0, ()))
        month = _next_month(month)
    return filled


def dyad_chart(series: DyadSeries, *, width: int = 880, height: int = 300) -> Markup:
    """Cooperation stacked above the zero line, conflict below, mean intensity (−10…+10) as a line."""
    points = continuous_points(series.points)
    if not points:
        return Markup('<p class="muted">No dated events for this dyad.</p>')
    left, right, top, bottom = 44, 44, 16, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    zero = top + plot_h / 2
    peak = max(1, *(max(p.cooperation, p.conflict) for p in points))
    unit = (plot_h / 2) / peak
    step = plot_w / len(points)
    bar = max(2.0, min(48.0, step * 0.7))
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(f"Events between {series.a} and {series.b} per month")}">'
    ]
    # Axes: counts on the left, intensity on the right.
    for frac in (1.0, 0.5, 0.0, -0.5, -1.0):
        y = zero - frac * plot_h / 2
        parts.append(f'<line class="grid" x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}"/>')
        parts.append(
            f'<text class="axis" x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{abs(frac) * peak:g}</text>'
        )
        parts.append(f'<text class="axis" x="{left + plot_w + 6}" y="{y + 4:.1f}">{frac * 10:+.0f}</text>')
    parts.append(f'<text class="axis-title" x="2" y="{top + plot_h / 4:.1f}">coop.</text>')
    parts.append(f'<text class="axis-title" x="2" y="{top + 3 * plot_h / 4:.1f}">confl.</text>')
    parts.append(f'<line class="zero" x1="{left}" x2="{left + plot_w}" y1="{zero}" y2="{zero}"/>')
    label_every = max(1, round(len(points) / 12))
    line: list[str] = []
    for i, point in enumerate(points):
        x = left + i * step + (step - bar) / 2
        cx = left + i * step + step / 2
        tip = (
            f"{point.month}: {point.total} event{'' if point.total == 1 else 's'} ({point.mentions} mentions),"
            f" {point.cooperation} cooperation, {point.conflict} conflict"
        )
        if point.total:
            tip += (
                f", mean intensity {point.mean_intensity:+.1f}; low confidence {point.low_confidence_share:.0%},"
                f" single source {point.single_source_share:.0%}"
            )
        parts.append(f'<a href="#m-{escape(point.month)}" class="bar"><title>{escape(tip)}</title>')
        up = zero
        for quad in COOPERATION:
            h = point.counts.get(quad, 0) * unit
            if h:
                parts.append(
                    f'<rect class="q-{quad}" x="{x:.1f}" y="{up - h:.1f}" width="{bar:.1f}" height="{h:.1f}"/>'
                )
                up -= h
        down = zero
        for quad in CONFLICT:
            h = point.counts.get(quad, 0) * unit
            if h:
                parts.append(
                    f'<rect class="q-{quad}" x="{x:.1f}" y="{down:.1f}" width="{bar:.1f}" height="{h:.1f}"/>'
                )
                down += h
        # A transparent hit area so thin months are still easy to click.
        parts.append(
            f'<rect class="hit" x="{left + i * step:.1f}" y="{top}" width="{step:.1f}" height="{plot_h}"/>'
        )
        parts.append("</a>")
        if point.total:
            line.append(f"{cx:.1f},{zero - point.mean_intensity / 10 * plot_h / 2:.1f}")
        else:
            line.append("")  # an empty month breaks the line: no trend is drawn across a gap
        if i % label_every == 0:
            parts.append(
                f'<text class="axis" x="{cx:.1f}" y="{height - 12}" text-anchor="middle">{escape(point.month)}</text>'
            )
    for has_points, run in itertools.groupby(line, key=bool):
        run_points = list(run)
        if has_points and len(run_points) > 1:
            parts.append(f'<polyline class="intensity" points="{" ".join(run_points)}"/>')
    for xy in filter(None, line):
        dot_x, dot_y = xy.split(",")
        parts.append(f'<circle class="intensity-dot" cx="{dot_x}" cy="{dot_y}" r="3.5"/>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _depths(claims: Sequence[Claim]) -> dict[str, int]:
    """How many relays stand between each claim and the article (``parent_id`` is the claim relaying it)."""
    by_id = {c.id: c for c in claims}
    depth: dict[str, int] = {}
    for claim in claims:
        chain: list[str] = []
        node: Claim | None = claim
        while node is not None and node.id not in depth and node.id not in chain:
            chain.append(node.id)
            node = by_id.get(node.parent_id or "")
        # A known ancestor gives the base; a root or a relay cycle (cut here) starts at 0.
        base = depth[node.id] + 1 if node is not None and node.id in depth else 0
        for offset, cid in enumerate(reversed(chain)):
            depth[cid] = base + offset
    return depth


def _clip(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def claim_graph(
    claims: Sequence[Claim], *, article_label: str = "this article", max_claims: int = 40
) -> Markup:
    """The claim chain left to right: origins (a document, a source) → the outlets relaying them → the article.

    Each claim sits one column left of the claim relaying it (its parent), so every arrow spans one
    column. With one root, that root is the article's own voice; with several, a node for the article
    is added after them.
    """
    claims = list(claims)[:max_claims]
    if not claims:
        return Markup('<p class="muted">No claims were coded in this article.</p>')
    depth = _depths(claims)
    top = max(depth.values())
    ids = {c.id for c in claims}
    columns: dict[int, list[Claim]] = {}
    row_of: dict[str, int] = {}
    # Fill columns from the article side leftwards, children ordered by their parent's row (fewer crossings).
    for col in range(top, -1, -1):
        members = [c for c in claims if top - depth[c.id] == col]
        members.sort(key=lambda c: (row_of.get(c.parent_id or "", 0), c.content.start))
        columns[col] = members
        row_of.update({c.id: i for i, c in enumerate(members)})
    roots = [c for c in claims if c.parent_id not in ids or c.parent_id == c.id]
    box_w, box_h, gap_x, gap_y, pad = 236, 50, 46, 8, 8
    sink_col = top + 1 if len(roots) > 1 else None
    n_cols = top + 1 + (1 if sink_col is not None else 0)
    rows = max(len(col) for col in columns.values())
    width = n_cols * (box_w + gap_x) - gap_x + 2 * pad
    height = rows * (box_h + gap_y) - gap_y + 2 * pad
    pos: dict[str, tuple[float, float]] = {}
    for col, members in columns.items():
        offset = (rows - len(members)) * (box_h + gap_y) / 2
        for row, claim in enumerate(members):
            pos[claim.id] = (pad + col * (box_w + gap_x), pad + offset + row * (box_h + gap_y))
    parts = [
        f'<svg class="claim-graph" viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" role="img" '
        'aria-label="Claim chain: who relays whom">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" class="arrowhead"/></marker></defs>',
    ]

    def edge(src: tuple[float, float], dst: tuple[float, float], css: str) -> str:
        x1, y1 = src[0] + box_w, src[1] + box_h / 2
        x2, y2 = dst[0], dst[1] + box_h / 2
        mid = (x1 + x2) / 2
        return (
            f'<path class="{css}" d="M {x1:.1f} {y1:.1f} C {mid:.1f} {y1:.1f}, {mid:.1f} {y2:.1f}, '
            f'{x2:.1f} {y2:.1f}" marker-end="url(#arrow)"/>'
        )

    sink = (pad + (sink_col or 0) * (box_w + gap_x), pad + (rows - 1) * (box_h + gap_y) / 2)
    for claim in claims:
        if claim.parent_id in pos and claim.parent_id != claim.id:
            parent = next(c for c in claims if c.id == claim.parent_id)
            into_article = sink_col is None and parent in roots
            css = "edge report" if into_article else "edge relay"
            parts.append(edge(pos[claim.id], pos[parent.id], css))
        elif sink_col is not None:
            parts.append(edge(pos[claim.id], sink, "edge report"))
    for claim in claims:
        x, y = pos[claim.id]
        speaker = ", ".join(a.name for a in claim.speaker) or "unattributed"
        tip = f"{speaker} ({claim.kind}, {claim.channel}, {claim.stance}): {claim.content.text}"
        css = "node article" if sink_col is None and claim in roots else f"node ch-{escape(claim.channel)}"
        parts.append(
            f'<a href="#claim-{escape(claim.id)}" class="{css}"><title>{escape(tip)}</title>'
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{box_w}" height="{box_h}" rx="6"/>'
            f'<text x="{x + 10:.1f}" y="{y + 16:.1f}" class="node-title">{escape(_clip(speaker, 30))}</text>'
            f'<text x="{x + 10:.1f}" y="{y + 29:.1f}" class="node-meta">'
            f"{escape(claim.channel.replace('_', ' '))} · {escape(claim.stance)}</text>"
            f'<text x="{x + 10:.1f}" y="{y + 42:.1f}" class="node-text">“{escape(_clip(claim.content.text, 34))}”</text></a>'
        )
    if sink_col is not None:
        parts.append(
            f'<g class="node article"><rect x="{sink[0]:.1f}" y="{sink[1]:.1f}" width="{box_w}" height="{box_h}" rx="6"/>'
            f'<text x="{sink[0] + 10:.1f}" y="{sink[1] + 21:.1f}" class="node-title">{escape(_clip(article_label, 30))}</text>'
            f'<text x="{sink[0] + 10:.1f}" y="{sink[1] + 37:.1f}" class="node-meta">reports these claims</text></g>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
