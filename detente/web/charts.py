"""Inline SVG drawn on the server: a dyad's monthly bars and a claim chain (one node per source).
No chart library, no script.

Colours come from CSS classes (``q-<quad>``), so the page stylesheet themes them and no inline style
is needed (the Content-Security-Policy forbids it). Every text piece is escaped.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

from markupsafe import Markup, escape

from detente.analytics.dyads import DyadPoint, DyadSeries
from detente.records import QUADS, ActorRef, Claim

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


def _clip(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


@dataclass
class SourceNode:
    """One source in the chain graph: every claim of one speaker through one channel ("The New York
    Times" relaying eight claims is one node, not eight)."""

    key: tuple[str, ...]
    claims: list[Claim] = field(default_factory=list)
    parents: dict[tuple[str, ...], int] = field(default_factory=dict)  # the sources relaying it: claims each

    @property
    def first(self) -> Claim:
        return min(self.claims, key=lambda c: (c.content.start, c.id))

    @property
    def speaker(self) -> str:
        return ", ".join(a.name for a in self.first.speaker) or "unattributed"

    @property
    def channel(self) -> str:
        return self.first.channel

    @property
    def obtained_by(self) -> list[str]:
        return list(dict.fromkeys(a.name for c in self.claims for a in c.obtained_by))


UNNAMED_DOCUMENT = "document:unnamed"


def _speaker_key(ref: ActorRef) -> str:
    # A document no one is named as writing ("a leaked document", then "the document", "the memo") is one
    # document however the article refers back to it: its unresolved mentions share a node. Two unnamed
    # documents of one channel in one article would share it too; articles rarely hold two.
    if ref.kind == "document" and ref.actor_id.startswith("unresolved:"):
        return UNNAMED_DOCUMENT
    return ref.actor_id


def source_key(claim: Claim) -> tuple[str, ...]:
    """Claims share a node when the same speakers reach the article through the same channel."""
    return (claim.channel, *sorted({_speaker_key(a) for a in claim.speaker}))


def source_nodes(claims: Sequence[Claim]) -> dict[tuple[str, ...], SourceNode]:
    """The claims grouped by source, with the edges between sources (``parent_id`` is the relaying claim);
    a source relaying itself ("according to NYT ... NYT said") adds no edge. Order: first appearance."""
    by_id = {c.id: c for c in claims}
    nodes: dict[tuple[str, ...], SourceNode] = {}
    for claim in claims:
        nodes.setdefault(source_key(claim), SourceNode(source_key(claim))).claims.append(claim)
    for claim in claims:
        parent = by_id.get(claim.parent_id or "")
        if parent is None or parent.id == claim.id:
            continue
        key, parent_key = source_key(claim), source_key(parent)
        if key != parent_key:
            node = nodes[key]
            node.parents[parent_key] = node.parents.get(parent_key, 0) + 1
    return nodes


def _source_depths(nodes: dict[tuple[str, ...], SourceNode]) -> dict[tuple[str, ...], int]:
    """Relays between each source and the article: one more than the deepest source relaying it, so that
    arrows point right. Sources relaying each other in a cycle are walked from the article outwards and
    the relay that closes the cycle is not counted (its arrow is still drawn)."""
    children: dict[tuple[str, ...], list[tuple[str, ...]]] = {k: [] for k in nodes}
    for key, node in nodes.items():
        for parent in node.parents:
            if parent in nodes and parent != key:
                children[parent].append(key)
    closing: set[tuple[tuple[str, ...], tuple[str, ...]]] = set()  # (source, relay) edges closing a cycle
    state: dict[tuple[str, ...], str] = {}

    def walk(key: tuple[str, ...]) -> None:
        state[key] = "open"
        for child in children[key]:
            if state.get(child) == "open":
                closing.add((child, key))
            elif child not in state:
                walk(child)
        state[key] = "done"

    roots = [k for k in nodes if not any(p in nodes and p != k for p in nodes[k].parents)]
    for key in [*roots, *nodes]:
        if key not in state:
            walk(key)
    depth: dict[tuple[str, ...], int] = {}

    def measure(key: tuple[str, ...]) -> int:
        if key not in depth:
            above = [
                measure(p) for p in nodes[key].parents if p in nodes and p != key and (key, p) not in closing
            ]
            depth[key] = 1 + max(above) if above else 0
        return depth[key]

    for key in nodes:
        measure(key)
    return depth


def claim_graph(
    claims: Sequence[Claim], *, article_label: str = "this article", max_sources: int = 40
) -> Markup:
    """The claim chain left to right, one node per source: origins (a document, a source) → the outlets
    relaying them → the article.

    A node holds every claim of one speaker through one channel and says how many; a leaked or official
    document says who obtained it. Each source sits left of the sources relaying it, so arrows point right
    (an arrow carrying several claims says how many). With one root source, it is the article's own voice;
    with several, a node for the article is added after them.
    """
    nodes = source_nodes(claims)
    if not nodes:
        return Markup('<p class="muted">No claims were coded in this article.</p>')
    nodes = dict(list(nodes.items())[:max_sources])
    depth = _source_depths(nodes)
    top = max(depth.values())
    columns: dict[int, list[SourceNode]] = {}
    row_of: dict[tuple[str, ...], int] = {}
    # Fill columns from the article side leftwards, each source by its relay's row (fewer crossings).
    for col in range(top, -1, -1):
        members = [n for n in nodes.values() if top - depth[n.key] == col]
        members.sort(
            key=lambda n: (min((row_of.get(p, 0) for p in n.parents), default=0), n.first.content.start)
        )
        columns[col] = members
        row_of.update({n.key: i for i, n in enumerate(members)})
    roots = [n for n in nodes.values() if not any(p in nodes for p in n.parents if p != n.key)]
    obtained = any(n.obtained_by for n in nodes.values())
    box_w, box_h, gap_x, gap_y, pad = 236, (64 if obtained else 50), 46, 8, 8
    sink_col = top + 1 if len(roots) > 1 else None
    n_cols = top + 1 + (1 if sink_col is not None else 0)
    rows = max(len(col) for col in columns.values())
    width = n_cols * (box_w + gap_x) - gap_x + 2 * pad
    height = rows * (box_h + gap_y) - gap_y + 2 * pad
    pos: dict[tuple[str, ...], tuple[float, float]] = {}
    for col, members in columns.items():
        offset = (rows - len(members)) * (box_h + gap_y) / 2
        for row, node in enumerate(members):
            pos[node.key] = (pad + col * (box_w + gap_x), pad + offset + row * (box_h + gap_y))
    parts = [
        f'<svg class="claim-graph" viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" role="img" '
        'aria-label="Claim chain: who relays whom, one node per source">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" class="arrowhead"/></marker></defs>',
    ]

    def edge(src: tuple[float, float], dst: tuple[float, float], css: str, count: int = 1) -> str:
        x1, y1 = src[0] + box_w, src[1] + box_h / 2
        x2, y2 = dst[0], dst[1] + box_h / 2
        mid = (x1 + x2) / 2
        path = (
            f'<path class="{css}" d="M {x1:.1f} {y1:.1f} C {mid:.1f} {y1:.1f}, {mid:.1f} {y2:.1f}, '
            f'{x2:.1f} {y2:.1f}" marker-end="url(#arrow)"/>'
        )
        if count > 1:
            path += f'<text x="{mid:.1f}" y="{(y1 + y2) / 2 - 4:.1f}" class="edge-count">{count}</text>'
        return path

    sink = (pad + (sink_col or 0) * (box_w + gap_x), pad + (rows - 1) * (box_h + gap_y) / 2)
    for node in nodes.values():
        targets = [(p, n) for p, n in node.parents.items() if p in pos]
        for parent_key, count in targets:
            into_article = sink_col is None and nodes[parent_key] in roots
            parts.append(
                edge(pos[node.key], pos[parent_key], "edge report" if into_article else "edge relay", count)
            )
        if not targets and sink_col is not None:
            parts.append(edge(pos[node.key], sink, "edge report", len(node.claims)))
    for node in nodes.values():
        x, y = pos[node.key]
        n = len(node.claims)
        tips = [f"{node.speaker} ({node.channel.replace('_', ' ')}), {n} claim{'s' if n != 1 else ''}:"]
        tips += [
            f"{c.stance}: {_clip(c.content.text, 120)}"
            for c in sorted(node.claims, key=lambda c: c.content.start)
        ]
        held = f"{n} claims" if n != 1 else node.first.stance
        css = "node article" if sink_col is None and node in roots else f"node ch-{escape(node.channel)}"
        lines = [
            f'<text x="{x + 10:.1f}" y="{y + 16:.1f}" class="node-title">{escape(_clip(node.speaker, 30))}</text>',
            f'<text x="{x + 10:.1f}" y="{y + 29:.1f}" class="node-meta">'
            f"{escape(node.channel.replace('_', ' '))} · {escape(held)}</text>",
        ]
        if node.obtained_by:
            who = _clip("obtained by " + ", ".join(node.obtained_by), 36)
            lines.append(
                f'<text x="{x + 10:.1f}" y="{y + 42:.1f}" class="node-obtained">{escape(who)}</text>'
            )
        lines.append(
            f'<text x="{x + 10:.1f}" y="{y + box_h - 8:.1f}" class="node-text">“{escape(_clip(node.first.content.text, 34))}”</text>'
        )
        parts.append(
            f'<a href="#claim-{escape(node.first.id)}" class="{css}" data-claims="{n}"><title>{escape(chr(10).join(tips))}</title>'
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{box_w}" height="{box_h}" rx="6"/>{"".join(lines)}</a>'
        )
    if sink_col is not None:
        parts.append(
            f'<g class="node article"><rect x="{sink[0]:.1f}" y="{sink[1]:.1f}" width="{box_w}" height="{box_h}" rx="6"/>'
            f'<text x="{sink[0] + 10:.1f}" y="{sink[1] + 21:.1f}" class="node-title">{escape(_clip(article_label, 30))}</text>'
            f'<text x="{sink[0] + 10:.1f}" y="{sink[1] + 37:.1f}" class="node-meta">reports these claims</text></g>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
