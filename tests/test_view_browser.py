"""The view pages in a real browser: Debian's chromium, headless, driven by Selenium through
chromedriver, as tests/test_browser.py does. The page is opened from disk (file://) and from
`medkg serve` (/view/SLUG), and hovered, dragged and zoomed with real pointer input."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import matplotlib.image
import networkx as nx
import pytest
from rdflib import Graph
from selenium import webdriver
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.actions.action_builder import ActionBuilder
from selenium.webdriver.common.actions.wheel_input import ScrollOrigin
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from test_view import CONCEPT, hostile_graph

from medkg.build import BuildResult
from medkg.server import create_server
from medkg.store import write_store
from medkg.traverse import find_concept, subgraph, to_networkx
from medkg.view import view_data, view_html, write_view


@pytest.fixture(scope="module")
def seed_nx(seed_graph: Graph) -> nx.MultiDiGraph:
    return to_networkx(seed_graph)


def _open(browser: webdriver.Chrome, url: str) -> None:
    browser.get(url)
    WebDriverWait(browser, 20).until(
        lambda b: b.execute_script("return document.body.dataset.ready") == "true"
    )


def _hover(browser: webdriver.Chrome, x: float, y: float) -> None:
    """Move the real mouse pointer to viewport coordinates (x, y)."""
    actions = ActionBuilder(browser)
    actions.pointer_action.move_to_location(int(x), int(y))
    actions.perform()


def _tooltip(browser: webdriver.Chrome) -> str:
    WebDriverWait(browser, 10).until(
        lambda b: b.execute_script("return !document.getElementById('tooltip').hidden")
    )
    return str(browser.find_element(By.ID, "tooltip").text)


def _hex(colour: str) -> tuple[int, int, int]:
    return (int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16))


def test_page_from_disk_draws_every_node_and_edge(
    browser: webdriver.Chrome, seed_nx: nx.MultiDiGraph, tmp_path: Path
) -> None:
    page = tmp_path / "bone-metastasis.html"
    data = write_view(seed_nx, "bone metastasis", page, depth=1)
    around = subgraph(seed_nx, find_concept(seed_nx, "bone metastasis"), 1)
    _open(browser, page.as_uri())
    assert len(browser.find_elements(By.CSS_SELECTOR, "g.node")) == around.number_of_nodes()
    assert len(browser.find_elements(By.CSS_SELECTOR, "g.edge")) == around.number_of_edges()
    center = browser.find_element(By.CSS_SELECTOR, "g.node.center")
    assert center.get_attribute("data-id") == CONCEPT + "bone-metastasis"
    assert center.find_element(By.TAG_NAME, "text").text == "bone metastasis"
    legend = browser.find_element(By.ID, "legend").text
    for item in data["legend"]:
        assert f"{item['group']} ({item['count']})" in legend
    screenshot = tmp_path / "view.png"
    assert browser.save_screenshot(str(screenshot))
    pixels = matplotlib.image.imread(screenshot)
    height, width = pixels.shape[:2]
    assert (width, height) == tuple(
        browser.execute_script("return [window.innerWidth, window.innerHeight]")
    )
    seen = {tuple(round(c * 255) for c in p[:3]) for row in pixels[::2] for p in row[::2]}
    # every colour group on the page is painted somewhere: the nodes were drawn, not just made
    for item in data["legend"]:
        assert _hex(item["colour"]) in seen, item


def test_hovering_an_edge_shows_its_sentences(
    browser: webdriver.Chrome, seed_nx: nx.MultiDiGraph, tmp_path: Path
) -> None:
    page = tmp_path / "anemia.html"
    data = write_view(seed_nx, "anemia", page, depth=1)
    _open(browser, page.as_uri())
    # an edge whose midpoint is not covered by a node or another edge: hover exactly there
    spot: dict[str, Any] | None = browser.execute_script(
        """
        for (const g of document.querySelectorAll('g.edge')) {
          const line = g.querySelector('.line');
          const p = line.getPointAtLength(line.getTotalLength() / 2)
            .matrixTransform(line.getScreenCTM());
          const hit = document.elementFromPoint(p.x, p.y);
          if (hit && hit.closest('g.edge') === g) {
            return {x: p.x, y: p.y, source: g.dataset.source, target: g.dataset.target,
                    relation: g.dataset.relation};
          }
        }
        return null;
        """
    )
    assert spot is not None, "no edge could be hovered"
    edge = next(
        e
        for e in data["edges"]
        if (e["source"], e["target"], e["relation"])
        == (spot["source"], spot["target"], spot["relation"])
    )
    labels = {n["id"]: n["label"] for n in data["nodes"]}
    _hover(browser, spot["x"], spot["y"])
    text = _tooltip(browser)
    assert text.startswith(f"{labels[edge['source']]} {edge['phrase']} {labels[edge['target']]}")
    assert edge["evidence"], "every edge of the seed graph has a sentence"
    for ref in edge["evidence"]:
        assert ref["sentence"] in text
        assert f"— {ref['title']}, {ref['section']}" in text
    _hover(browser, 5, 5)  # the header: away from the graph
    WebDriverWait(browser, 10).until(
        lambda b: b.execute_script("return document.getElementById('tooltip').hidden")
    )


def test_hovering_a_node_shows_its_types_and_codes(
    browser: webdriver.Chrome, seed_nx: nx.MultiDiGraph, tmp_path: Path
) -> None:
    page = tmp_path / "bone-pain.html"
    write_view(seed_nx, "bone pain", page, depth=2)
    _open(browser, page.as_uri())
    circle = browser.find_element(By.CSS_SELECTOR, f'g.node[data-id="{CONCEPT}bone-pain"] circle')
    ActionChains(browser).move_to_element(circle).perform()
    text = _tooltip(browser)
    assert text.splitlines()[0] == "bone pain"
    assert "types: Symptom" in text and "HP:0002653" in text
    # what is two hops away fades; bone pain and its neighbours stay
    distance = nx.single_source_shortest_path_length(
        seed_nx.to_undirected(as_view=True), CONCEPT + "bone-pain", cutoff=2
    )
    faded = browser.find_elements(By.CSS_SELECTOR, "g.node.faded")
    assert {f.get_attribute("data-id") for f in faded} == {n for n, d in distance.items() if d == 2}


def test_dragging_a_node_and_zooming(
    browser: webdriver.Chrome, seed_nx: nx.MultiDiGraph, tmp_path: Path
) -> None:
    page = tmp_path / "fatigue.html"
    write_view(seed_nx, "fatigue", page, depth=1)
    _open(browser, page.as_uri())
    node = browser.find_element(By.CSS_SELECTOR, f'g.node[data-id="{CONCEPT}fatigue"]')
    before = node.find_element(By.TAG_NAME, "circle").rect
    ActionChains(browser).drag_and_drop_by_offset(
        node.find_element(By.TAG_NAME, "circle"), 120, 60
    ).perform()
    after = node.find_element(By.TAG_NAME, "circle").rect
    assert abs(after["x"] - before["x"] - 120) <= 2 and abs(after["y"] - before["y"] - 60) <= 2
    scale = "return document.getElementById('scene').getAttribute('transform')"
    zoomed_from = browser.execute_script(scale)
    svg = browser.find_element(By.ID, "graph")
    ActionChains(browser).scroll_from_origin(ScrollOrigin.from_element(svg), 0, -300).perform()
    WebDriverWait(browser, 5).until(lambda b: b.execute_script(scale) != zoomed_from)
    size_before, size_after = before["width"], node.find_element(By.TAG_NAME, "circle").rect
    assert size_after["width"] > size_before  # scrolling up zooms in


def test_a_hostile_label_stays_text(browser: webdriver.Chrome, tmp_path: Path) -> None:
    G = hostile_graph()
    page = tmp_path / "evil.html"
    page.write_text(view_html(view_data(G, CONCEPT + "evil")), encoding="utf-8")
    _open(browser, page.as_uri())
    assert browser.execute_script("return window.pwned") is None
    label = browser.find_element(By.CSS_SELECTOR, "g.node.center text").text
    assert label == G.nodes[CONCEPT + "evil"]["label"]
    assert len(browser.find_elements(By.TAG_NAME, "script")) == 2


@pytest.fixture(scope="module")
def site(seed_built: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    build_dir = tmp_path_factory.mktemp("view-site")
    write_store(seed_built.dataset, build_dir)
    server = create_server(build_dir, port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    server.service.executor.close()  # type: ignore[attr-defined]


def test_served_view_and_double_click_recentres(
    browser: webdriver.Chrome, site: str, seed_nx: nx.MultiDiGraph, tmp_path: Path
) -> None:
    _open(browser, site + "/view/spinal-cord-compression?depth=2")
    expected = subgraph(seed_nx, CONCEPT + "spinal-cord-compression", 2).number_of_nodes()
    assert len(browser.find_elements(By.CSS_SELECTOR, "g.node")) == expected
    assert browser.find_element(By.TAG_NAME, "h1").text == "spinal cord compression"
    screenshot = tmp_path / "served-view.png"
    assert browser.save_screenshot(str(screenshot)) and screenshot.stat().st_size > 10_000
    target = browser.find_element(By.CSS_SELECTOR, f'g.node[data-id="{CONCEPT}bone-pain"] circle')
    ActionChains(browser).double_click(target).perform()
    WebDriverWait(browser, 20).until(lambda b: b.current_url.endswith("/view/bone-pain?depth=2"))
    _open(browser, browser.current_url)
    assert browser.find_element(By.TAG_NAME, "h1").text == "bone pain"
