"""`medkg view` and `/view/SLUG` without a browser: the data on the page, its escaping, the
command line and the route over a real socket. tests/test_view_browser.py draws the pages."""

from __future__ import annotations

import http.client
import json
import threading
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from rdflib import Graph

from medkg.build import BuildResult
from medkg.cli import main
from medkg.server import create_server
from medkg.store import write_store
from medkg.traverse import ConceptNotFound, EvidenceRef, find_concept, subgraph, to_networkx
from medkg.view import GROUPS, group_of, view_data, view_html

CONCEPT = "https://w3id.org/medkg/concept/"


class _Scripts(HTMLParser):
    """The page's <script> elements as the browser splits them: (attributes, text)."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._open: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self._open = dict(attrs)
            self.scripts.append((self._open, ""))

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._open = None


def scripts_of(page: str) -> list[tuple[dict[str, str | None], str]]:
    parser = _Scripts()
    parser.feed(page)
    return parser.scripts


def hostile_graph() -> nx.MultiDiGraph:
    """Two concepts whose label, synonym and sentence try to end the data's <script>."""
    G = nx.MultiDiGraph()
    evil = "x</script><script>window.pwned = 1</script><!--"
    G.add_node(
        CONCEPT + "evil",
        label=evil,
        types=("Symptom",),
        synonyms=("</SCRIPT >", "a & b"),
        codes=('HP:0000001 "<b>" [hpo]',),
    )
    G.add_node(CONCEPT + "plain", label="plain", types=("Condition",), synonyms=(), codes=())
    ref = EvidenceRef(
        article="https://w3id.org/medkg/article/evil",
        title="<i>Evil</i>",
        section="Symptoms</script>",
        sentence=f"It says {evil} & more \u2028 with a line separator.",
        hedges=("often",),
    )
    G.add_edge(CONCEPT + "plain", CONCEPT + "evil", key="hasSymptom", evidence=(ref,))
    return G


def test_the_page_holds_the_concepts_neighbourhood(graph: Graph) -> None:
    G = to_networkx(graph)
    center = find_concept(G, "bone metastasis")
    for depth in (0, 1, 2):
        data = view_data(G, "bone metastasis", depth)
        around = subgraph(G, center, depth)
        assert {n["id"] for n in data["nodes"]} == set(around.nodes)
        assert {(e["source"], e["target"], e["relation"]) for e in data["edges"]} == set(
            around.edges(keys=True)
        )
        assert sum(item["count"] for item in data["legend"]) == len(data["nodes"])
        assert all(-1 <= n["x"] <= 1 and -1 <= n["y"] <= 1 for n in data["nodes"])
    center_node = next(n for n in view_data(G, center)["nodes"] if n["id"] == center)
    assert (center_node["x"], center_node["y"]) == (0, 0)


def test_edges_carry_their_sentences_and_nodes_their_codes(graph: Graph) -> None:
    data = view_data(to_networkx(graph), "bone pain")
    edge = next(
        e
        for e in data["edges"]
        if e["source"] == CONCEPT + "bone-metastasis"
        and e["target"] == CONCEPT + "bone-pain"
        and e["relation"] == "hasSymptom"
    )
    assert edge["phrase"] == "has symptom"
    sentences = [ref["sentence"] for ref in edge["evidence"]]
    assert any("Bone pain is often the first symptom of bone metastasis" in s for s in sentences)
    assert all(ref["title"] and ref["section"] for ref in edge["evidence"])
    node = next(n for n in data["nodes"] if n["id"] == CONCEPT + "bone-pain")
    assert node["group"] == "Symptom" and any("HP:0002653" in c for c in node["codes"])


def test_colour_groups_follow_the_type_hierarchy() -> None:
    assert group_of(["MetastaticDisease"])[0] == "Cancer"
    assert group_of(["Complication", "Symptom"])[0] == "Complication"
    assert group_of(["ImagingProcedure"])[0] == "DiagnosticProcedure"
    assert group_of(["Surgery"])[0] == "Therapy"
    assert group_of(["SomethingNew"]) == ("other", "#666666")
    colours = [colour for _, colour, _ in GROUPS]
    assert len(set(colours)) == len(colours)


def test_the_same_graph_gives_the_same_page(graph: Graph) -> None:
    first = view_html(view_data(to_networkx(graph), "anemia", 2))
    second = view_html(view_data(to_networkx(graph), "anemia", 2))
    assert first == second


def test_unknown_concept_and_bad_depth_are_refused(graph: Graph) -> None:
    G = to_networkx(graph)
    with pytest.raises(ConceptNotFound, match="did you mean: anemia"):
        view_data(G, "anemai")
    for depth in (-1, 4):
        with pytest.raises(ValueError, match="depth"):
            view_data(G, "anemia", depth)


def test_no_label_or_sentence_can_break_out_of_the_data() -> None:
    data = view_data(hostile_graph(), CONCEPT + "evil")
    page = view_html(data)
    scripts = scripts_of(page)
    # exactly the two scripts the page ships: the data, then the drawing code
    assert [attrs.get("type") for attrs, _ in scripts] == ["application/json", None]
    assert json.loads(scripts[0][1]) == json.loads(json.dumps(data))
    assert "window.pwned" not in scripts[1][1]
    assert "<script>window.pwned" not in page
    assert "<title>x&lt;/script&gt;&lt;script&gt;" in page


def test_view_command_writes_a_self_contained_page(
    seed_built: BuildResult, tmp_path: Path, seed_graph: Graph
) -> None:
    build_dir = tmp_path / "build"
    write_store(seed_built.dataset, build_dir)
    output = tmp_path / "out" / "mri.html"
    result = CliRunner().invoke(
        main, ["view", "MRI", "--depth", "2", "-o", str(output), "--build-dir", str(build_dir)]
    )
    assert result.exit_code == 0, result.output
    G = to_networkx(seed_graph)
    expected = subgraph(G, find_concept(G, "MRI"), 2).number_of_nodes()
    assert f"magnetic resonance imaging and {expected - 1} concepts within 2 hops" in result.output
    page = output.read_text(encoding="utf-8")
    # everything inline: no file, script or style is fetched from anywhere
    assert "src=" not in page and "href=" not in page and "@import" not in page
    data = json.loads(scripts_of(page)[0][1])
    assert len(data["nodes"]) == expected

    missing = CliRunner().invoke(main, ["view", "bone metastsis", "--build-dir", str(build_dir)])
    assert missing.exit_code == 1
    assert 'no concept named "bone metastsis"; did you mean: bone metastasis' in missing.output


@pytest.fixture(scope="module")
def server_url(seed_built: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    build_dir = tmp_path_factory.mktemp("view-served")
    write_store(seed_built.dataset, build_dir)
    server = create_server(build_dir, port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    server.service.executor.close()  # type: ignore[attr-defined]


def _get(address: str, path: str) -> tuple[int, str, str]:
    connection = http.client.HTTPConnection(address, timeout=60)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type") or "", response.read().decode()
    finally:
        connection.close()


def test_view_route_over_a_socket(server_url: str, seed_graph: Graph) -> None:
    G = to_networkx(seed_graph)
    for depth in (1, 2):
        status, media_type, page = _get(server_url, f"/view/bone-pain?depth={depth}")
        assert status == 200 and media_type.startswith("text/html")
        data = json.loads(scripts_of(page)[0][1])
        assert data["links"] is True and data["depth"] == depth
        assert len(data["nodes"]) == subgraph(G, CONCEPT + "bone-pain", depth).number_of_nodes()
    status, _, page = _get(server_url, "/view/bone-pain")
    assert status == 200 and json.loads(scripts_of(page)[0][1])["depth"] == 1


@pytest.mark.parametrize(
    ("path", "status", "message"),
    [
        ("/view/no-such-concept", 404, "404 Not Found: no concept 'no-such-concept'\n"),
        ("/view/Bone%20Pain", 404, "404 Not Found: no concept 'Bone Pain'\n"),
        ("/view/../sparql", 404, "404 Not Found: no concept '../sparql'\n"),
        ("/view/bone-pain?depth=9", 400, "400 Bad Request: depth must be 0 to 3, not '9'\n"),
        ("/view/bone-pain?depth=x", 400, "400 Bad Request: depth must be 0 to 3, not 'x'\n"),
    ],
)
def test_view_route_mistakes_are_one_line(
    server_url: str, path: str, status: int, message: str
) -> None:
    assert _get(server_url, path)[0::2] == (status, message)
