"""``medkg plot``: static figures of the graph for papers, drawn by matplotlib's Agg backend.

Three figures, each from the networkx view (:func:`medkg.traverse.to_networkx`):

- ``relation-counts``: how many distinct relation triples of each type the graph holds;
- ``degree-distribution``: how many concepts have each degree, the hubs named;
- ``symptom-matrix``: which condition has which symptom (``hasSymptom``), as a heat map of the
  number of sentences stating it.

The data behind each figure is a plain function (:func:`relation_counts`,
:func:`degree_counts`, :func:`symptom_matrix`), so it can be checked without looking at
pixels. Figures are drawn on :class:`matplotlib.figure.Figure` objects, never through pyplot,
and saved with fixed metadata and SVG hash salt, so the same graph gives the same bytes.
"""

from __future__ import annotations

import os
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

if TYPE_CHECKING:  # matplotlib is imported where a figure is drawn: it takes a second to load
    from matplotlib.figure import Figure

__all__ = [
    "DPI",
    "FIGURES",
    "FORMATS",
    "Matrix",
    "degree_counts",
    "degree_figure",
    "plot_all",
    "relation_counts",
    "relation_counts_figure",
    "save",
    "symptom_matrix",
    "symptom_matrix_figure",
]

FIGURES = ("relation-counts", "degree-distribution", "symptom-matrix")
FORMATS = ("png", "svg")
DPI = 150

_BAR = "#24477a"  # the colour of the pages' header, so figures and pages match
# No dates, no version strings: two runs over the same graph give the same bytes.
_METADATA: dict[str, dict[str, str | None]] = {
    "png": {"Software": None},
    "svg": {"Creator": "medkg", "Date": None, "Format": None, "Type": None},
}
_STYLE: dict[Any, Any] = {  # Any: matplotlib types the keys as a closed Literal
    "svg.hashsalt": "medkg",  # SVG element ids come from hashes; a fixed salt fixes them
    "svg.fonttype": "path",  # glyphs as paths: the same picture without the fonts installed
    "font.family": "DejaVu Sans",  # shipped with matplotlib, so every machine draws alike
    "font.size": 9,
}


@dataclass(frozen=True)
class Matrix:
    """Conditions (rows) by symptoms (columns); ``values[i][j]`` counts the sentences that
    state *row i hasSymptom column j* (0: the graph does not say so)."""

    rows: tuple[str, ...]
    columns: tuple[str, ...]
    values: tuple[tuple[int, ...], ...]


def relation_counts(G: nx.MultiDiGraph) -> dict[str, int]:
    """Distinct relation triples by relation, most frequent first (ties by name).

    Examples
    --------
    >>> counts = relation_counts(to_networkx(graph))
    >>> counts["hasSymptom"] > 0
    True
    """
    counts = Counter(key for _, _, key in G.edges(keys=True))
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def degree_counts(G: nx.MultiDiGraph) -> dict[int, int]:
    """How many concepts have each degree (relations in and out), by degree."""
    return dict(sorted(Counter(int(d) for _, d in G.degree()).items()))


def symptom_matrix(G: nx.MultiDiGraph) -> Matrix:
    """The ``hasSymptom`` edges as a matrix, ordered to be read.

    Rows are the subjects of ``hasSymptom`` (conditions), the ones with most symptoms first;
    columns are its objects (symptoms), the ones most conditions share first, then in the
    order of the first row that has them, so each condition's own symptoms sit together.
    Ties are broken by label. An edge with no recorded sentence counts as 1.
    """
    cells: dict[tuple[str, str], int] = {}
    for u, v, key, data in G.edges(keys=True, data=True):
        if key == "hasSymptom":
            cells[(u, v)] = max(1, len(data.get("evidence", ())))
    label = {str(n): str(d.get("label", n)) for n, d in G.nodes(data=True)}
    per_row = Counter(u for u, _ in cells)
    per_column = Counter(v for _, v in cells)
    rows = sorted(per_row, key=lambda u: (-per_row[u], label[u].casefold(), u))
    first_row = {v: min(rows.index(u) for u, w in cells if w == v) for v in per_column}
    columns = sorted(
        per_column, key=lambda v: (-per_column[v], first_row[v], label[v].casefold(), v)
    )
    return Matrix(
        rows=tuple(label[u] for u in rows),
        columns=tuple(label[v] for v in columns),
        values=tuple(tuple(cells.get((u, v), 0) for v in columns) for u in rows),
    )


def _style() -> Any:
    import matplotlib

    return matplotlib.rc_context(_STYLE)


def _integer_ticks() -> Any:
    from matplotlib.ticker import MaxNLocator

    return MaxNLocator(integer=True)


def _figure(width: float, height: float) -> Figure:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)  # attach the Agg canvas: no display, no pyplot state
    return figure


def relation_counts_figure(G: nx.MultiDiGraph) -> Figure:
    """A horizontal bar chart of :func:`relation_counts`, the largest at the top."""
    with _style():
        counts = relation_counts(G)
        figure = _figure(7, round(0.28 * len(counts) + 1.4, 1))
        axes = figure.add_subplot()
        names, values = list(counts)[::-1], list(counts.values())[::-1]
        bars = axes.barh(names, values, color=_BAR)
        axes.bar_label(bars, padding=2, fontsize=8)
        axes.set_xlabel("relation triples (distinct subject, relation, object)")
        axes.set_title(f"Relations by type ({sum(values)} in all)")
        axes.spines[["top", "right"]].set_visible(False)
        axes.margins(x=0.08)
    return figure


def degree_figure(G: nx.MultiDiGraph, hubs: int = 5) -> Figure:
    """Bars of :func:`degree_counts` on a log count axis; the ``hubs`` best-connected
    concepts are listed in a box with their degrees."""
    with _style():
        counts = degree_counts(G)
        figure = _figure(7, 4)
        axes = figure.add_subplot()
        axes.bar(list(counts), list(counts.values()), width=0.9, color=_BAR)
        axes.set_yscale("log")
        axes.set_xlabel("degree (relations in and out)")
        axes.set_ylabel("concepts")
        axes.set_title(f"Degree distribution ({G.number_of_nodes()} concepts)")
        axes.spines[["top", "right"]].set_visible(False)
        top = sorted(G.degree(), key=lambda item: (-item[1], str(item[0])))[:hubs]
        if top:
            # a list beside the bars: names on the bars themselves collide where degrees are close
            lines = [f"{G.nodes[n].get('label', n)}: {d}" for n, d in top]
            axes.text(
                0.98,
                0.96,
                "most connected\n" + "\n".join(lines),
                transform=axes.transAxes,
                ha="right",
                va="top",
                fontsize=8,
                bbox={"boxstyle": "round", "facecolor": "white", "edgecolor": "#cccccc"},
            )
    return figure


def symptom_matrix_figure(G: nx.MultiDiGraph) -> Figure:
    """:func:`symptom_matrix` as a heat map: conditions down, symptoms across, every row and
    column labelled, the colour giving the number of sentences."""
    with _style():
        matrix = symptom_matrix(G)
        # tenths of an inch: whole pixels at DPI, so the PNG is exactly the size asked for
        width = round(max(6.0, 0.17 * len(matrix.columns) + 3.2), 1)
        height = round(max(3.0, 0.2 * len(matrix.rows) + 2.4), 1)
        figure = _figure(width, height)
        axes = figure.add_subplot()
        values = [list(row) for row in matrix.values] or [[0]]
        image = axes.imshow(values, cmap="Blues", vmin=0, aspect="auto", interpolation="nearest")
        axes.set_xticks(range(len(matrix.columns)), matrix.columns, rotation=90, fontsize=7)
        axes.set_yticks(range(len(matrix.rows)), matrix.rows, fontsize=7)
        axes.set_xlabel("symptom (shared by most conditions first)")
        axes.set_ylabel("condition (most symptoms first)")
        axes.set_title("Symptoms by condition (hasSymptom)")
        # thin white lines between cells keep neighbouring cells apart
        axes.set_xticks([x - 0.5 for x in range(1, len(matrix.columns))], minor=True)
        axes.set_yticks([y - 0.5 for y in range(1, len(matrix.rows))], minor=True)
        axes.grid(which="minor", color="white", linewidth=0.5)
        axes.tick_params(which="minor", length=0)
        colourbar = figure.colorbar(image, ax=axes, shrink=0.8, pad=0.01)
        colourbar.set_label("sentences stating it")
        colourbar.locator = _integer_ticks()
        colourbar.update_ticks()
    return figure


def save(figure: Figure, path: Path, fmt: str = "png") -> Path:
    """Write ``figure`` to ``path`` as ``fmt``, through a temporary name, with fixed metadata.

    Raises
    ------
    ValueError
        If ``fmt`` is not one of :data:`FORMATS`.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown figure format {fmt!r} (known: {', '.join(FORMATS)})")
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(handle)
    try:
        with _style():
            figure.savefig(temporary, format=fmt, dpi=DPI, metadata=_METADATA[fmt])
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    finally:
        Path(temporary).unlink(missing_ok=True)
    return path


def plot_all(G: nx.MultiDiGraph, out: Path, fmt: str = "png") -> list[Path]:
    """Draw every figure of :data:`FIGURES` into ``out`` as ``NAME.fmt``; the paths written."""
    drawers = {
        "relation-counts": relation_counts_figure,
        "degree-distribution": degree_figure,
        "symptom-matrix": symptom_matrix_figure,
    }
    return [save(drawers[name](G), out / f"{name}.{fmt}", fmt) for name in FIGURES]
