"""`medkg plot`: the figures' data, their pixels, their labels and their bytes, drawn from the
real corpus graph."""

from __future__ import annotations

from pathlib import Path

import matplotlib.image
import networkx as nx
import numpy as np
import pytest
from click.testing import CliRunner
from rdflib import Graph

from medkg.build import BuildResult
from medkg.cli import main
from medkg.plot import (
    DPI,
    FIGURES,
    degree_counts,
    degree_figure,
    plot_all,
    relation_counts,
    relation_counts_figure,
    save,
    symptom_matrix,
    symptom_matrix_figure,
)
from medkg.store import write_store
from medkg.traverse import to_networkx


@pytest.fixture(scope="module")
def G(graph: Graph) -> nx.MultiDiGraph:
    return to_networkx(graph)


@pytest.fixture(scope="module")
def pngs(G: nx.MultiDiGraph, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("figures")
    return {path.stem: path for path in plot_all(G, out, "png")}


def test_relation_counts_are_the_graphs_edges(G: nx.MultiDiGraph) -> None:
    counts = relation_counts(G)
    assert sum(counts.values()) == G.number_of_edges()
    assert list(counts.values()) == sorted(counts.values(), reverse=True)
    assert counts["hasSymptom"] == sum(1 for *_, k in G.edges(keys=True) if k == "hasSymptom")


def test_degree_counts_cover_every_concept(G: nx.MultiDiGraph) -> None:
    counts = degree_counts(G)
    assert sum(counts.values()) == G.number_of_nodes()
    assert max(counts) == max(d for _, d in G.degree())


def test_symptom_matrix_is_hassymptom_in_reading_order(G: nx.MultiDiGraph) -> None:
    matrix = symptom_matrix(G)
    label = {n: d["label"] for n, d in G.nodes(data=True)}
    edges = {(label[u], label[v]) for u, v, k in G.edges(keys=True) if k == "hasSymptom"}
    cells = {
        (row, column)
        for i, row in enumerate(matrix.rows)
        for j, column in enumerate(matrix.columns)
        if matrix.values[i][j]
    }
    assert cells == edges
    assert set(matrix.rows) == {u for u, _ in edges}
    assert set(matrix.columns) == {v for _, v in edges}
    row = matrix.rows.index("bone metastasis")
    assert matrix.values[row][matrix.columns.index("bone pain")] >= 1
    # conditions with most symptoms first; symptoms shared by most conditions first
    per_row = [sum(1 for v in values if v) for values in matrix.values]
    per_column = [
        sum(1 for values in matrix.values if values[j]) for j in range(len(matrix.columns))
    ]
    assert per_row == sorted(per_row, reverse=True)
    assert per_column == sorted(per_column, reverse=True)


@pytest.mark.parametrize("name", FIGURES)
def test_png_figures_have_their_size_and_are_not_blank(name: str, pngs: dict[str, Path]) -> None:
    pixels = matplotlib.image.imread(pngs[name])
    height, width = pixels.shape[:2]
    assert width >= 900 and height >= 500
    rgb = (pixels[:, :, :3] * 255).round().astype(np.uint8)
    not_white = np.any(rgb < 250, axis=2).mean()
    assert 0.03 < not_white < 0.9  # ink, but not a solid block
    colours = {tuple(p) for p in rgb.reshape(-1, 3)[::7]}
    assert len(colours) > 20  # bars or cells, text and antialiased edges


def test_png_size_is_the_figures_size_at_the_fixed_dpi(G: nx.MultiDiGraph, tmp_path: Path) -> None:
    for figure in (relation_counts_figure(G), degree_figure(G), symptom_matrix_figure(G)):
        path = save(figure, tmp_path / "figure.png")
        height, width = matplotlib.image.imread(path).shape[:2]
        expected = figure.get_size_inches() * DPI
        assert (width, height) == (round(expected[0]), round(expected[1]))


def test_heat_map_axes_carry_the_matrix_labels(G: nx.MultiDiGraph) -> None:
    matrix = symptom_matrix(G)
    figure = symptom_matrix_figure(G)
    axes = figure.axes[0]
    assert [t.get_text() for t in axes.get_xticklabels()] == list(matrix.columns)
    assert [t.get_text() for t in axes.get_yticklabels()] == list(matrix.rows)
    assert axes.get_xlabel().startswith("symptom") and axes.get_ylabel().startswith("condition")
    assert figure.axes[1].get_ylabel() == "sentences stating it"  # the colour bar
    image = axes.get_images()[0].get_array()
    assert image.shape == (len(matrix.rows), len(matrix.columns))
    assert image.tolist() == [list(row) for row in matrix.values]


def test_bar_chart_labels_every_relation(G: nx.MultiDiGraph) -> None:
    counts = relation_counts(G)
    axes = relation_counts_figure(G).axes[0]
    assert [t.get_text() for t in axes.get_yticklabels()] == list(counts)[::-1]
    widths = [bar.get_width() for bar in axes.patches]
    assert widths == list(counts.values())[::-1]


def test_svg_is_byte_stable_and_carries_no_date(G: nx.MultiDiGraph, tmp_path: Path) -> None:
    first = plot_all(G, tmp_path / "a", "svg")
    second = plot_all(G, tmp_path / "b", "svg")
    for one, two in zip(first, second, strict=True):
        assert one.read_bytes() == two.read_bytes()
        text = one.read_text(encoding="utf-8")
        assert "<dc:date>" not in text and "Matplotlib v" not in text
    pngs = plot_all(G, tmp_path / "c", "png"), plot_all(G, tmp_path / "d", "png")
    assert [p.read_bytes() for p in pngs[0]] == [p.read_bytes() for p in pngs[1]]


def test_an_unknown_format_is_refused(G: nx.MultiDiGraph, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown figure format 'pdf'"):
        save(degree_figure(G), tmp_path / "x.pdf", "pdf")
    assert not list(tmp_path.iterdir())  # no temporary file left behind


def test_plot_command_writes_every_figure(seed_built: BuildResult, tmp_path: Path) -> None:
    build_dir = tmp_path / "build"
    write_store(seed_built.dataset, build_dir)
    runner = CliRunner()
    result = runner.invoke(main, ["plot", "--build-dir", str(build_dir), "--format", "svg"])
    assert result.exit_code == 0, result.output
    written = sorted((build_dir / "figures").iterdir())
    assert [p.name for p in written] == sorted(f"{name}.svg" for name in FIGURES)
    assert all(f"wrote {p}" in result.output for p in written)
    out = tmp_path / "elsewhere"
    result = runner.invoke(main, ["plot", "--build-dir", str(build_dir), "--out", str(out)])
    assert result.exit_code == 0 and len(list(out.glob("*.png"))) == len(FIGURES)
    empty = runner.invoke(main, ["plot", "--build-dir", str(tmp_path / "nothing")])
    assert empty.exit_code == 1 and "run `medkg build` first" in empty.output
