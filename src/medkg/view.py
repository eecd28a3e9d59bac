"""``medkg view``: a concept's neighbourhood as one self-contained, interactive HTML page.

:func:`view_data` lays the neighbourhood out (networkx's spring layout with a fixed seed, so a
page is the same on every run) and gathers what the page shows: each node's label, types,
synonyms and codes; each edge's relation and the sentences behind it. :func:`view_html` puts
that data, the stylesheet and the script (``web/view.css``, ``web/view.js``, shipped with the
package) into one page that works from disk with no network: drag nodes, zoom with the wheel,
pan by dragging the background, hover a node or an edge for what the graph knows about it.

The graph data is inlined as JSON in a ``<script type="application/json">`` element with
``<``, ``>`` and ``&`` escaped, so no label or sentence can end the element early; the script
only ever writes text with ``textContent``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import threading
from collections import Counter
from collections.abc import Iterable
from html import escape
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox
from rdflib import Graph

from medkg.terminology import lineage
from medkg.traverse import RELATION_PHRASES, find_concept, subgraph, to_networkx

__all__ = [
    "GROUPS",
    "MAX_DEPTH",
    "group_of",
    "served_view",
    "view_data",
    "view_html",
    "write_view",
]

#: Colour groups, most specific first: a node takes the first group one of its types falls
#: under (by :func:`medkg.terminology.lineage`, or by the listed extra types). Colours are
#: Paul Tol's muted scheme plus a few, distinguishable by colour-blind readers.
GROUPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Cancer", "#882255", ()),
    ("Complication", "#EE8866", ()),
    ("Condition", "#CC6677", ()),
    ("Symptom", "#332288", ()),
    ("PathologicalProcess", "#AA4499", ()),
    ("DiagnosticProcedure", "#117733", ()),
    ("Therapy", "#44AA99", ()),
    ("Drug", "#88CCEE", ("DrugClass",)),
    ("PreventiveMeasure", "#77AADD", ()),
    ("RiskFactor", "#999933", ()),
    ("PrognosticFactor", "#DDCC77", ()),
    ("AnatomicalStructure", "#BBBBBB", ()),
    ("TreatmentGoal", "#EEDD88", ()),
    ("SpreadRoute", "#FFAABB", ()),
)
OTHER = ("other", "#666666")

#: The deepest neighbourhood a page draws: at depth 3 nearly the whole corpus is in view.
MAX_DEPTH = 3

_SCRIPT_END = "</script"


def group_of(types: Iterable[str]) -> tuple[str, str]:
    """The colour group (name, colour) of a node with these medkg types.

    Examples
    --------
    >>> group_of(["PrimaryCancer"])
    ('Cancer', '#882255')
    >>> group_of(["DrugClass"])
    ('Drug', '#88CCEE')
    >>> group_of([])
    ('other', '#666666')
    """
    kinds = {kind for t in types for kind in lineage(t)}
    for name, colour, extra in GROUPS:
        if name in kinds or kinds & set(extra):
            return name, colour
    return OTHER


def view_data(
    G: nx.MultiDiGraph, concept: str, depth: int = 1, links: bool = False
) -> dict[str, Any]:
    """What the page draws: the neighbourhood of ``concept`` within ``depth`` hops, laid out.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph from :func:`medkg.traverse.to_networkx`.
    concept : str
        A concept IRI or any name :func:`medkg.traverse.find_concept` accepts.
    depth : int
        Hops from the concept, in either direction (0 to :data:`MAX_DEPTH`).
    links : bool
        Whether a double-clicked node opens its own view (``/view/<slug>``, when served).

    Returns
    -------
    dict
        JSON-ready: ``center``, ``label``, ``depth``, ``links``, ``nodes`` (id, label, types,
        group, colour, synonyms, codes, degree, x, y in [-1, 1]), ``edges`` (source, target,
        relation, phrase, evidence: title, section, sentence, hedges, qualifiers) and
        ``legend`` (group, colour, count for the groups present).

    Raises
    ------
    ConceptNotFound
        If no concept has that name.
    ValueError
        If ``depth`` is outside 0 to :data:`MAX_DEPTH`.

    Examples
    --------
    >>> G = to_networkx(graph)
    >>> data = view_data(G, "anemia")
    >>> sorted(node["label"] for node in data["nodes"])
    ['anemia', 'bone metastasis', 'decreased red blood cell production', 'fatigue']
    """
    if not 0 <= depth <= MAX_DEPTH:
        raise ValueError(f"depth must be between 0 and {MAX_DEPTH} (got {depth})")
    center = find_concept(G, concept)
    around = subgraph(G, center, depth)
    positions = _layout(around, center)
    nodes = []
    for node, attrs in sorted(around.nodes(data=True)):
        group, colour = group_of(attrs.get("types", ()))
        x, y = positions[node]
        nodes.append(
            {
                "id": node,
                "label": attrs.get("label", node),
                "types": list(attrs.get("types", ())),
                "group": group,
                "colour": colour,
                "synonyms": list(attrs.get("synonyms", ())),
                "codes": list(attrs.get("codes", ())),
                "degree": around.degree(node),
                "x": round(x, 4),
                "y": round(y, 4),
            }
        )
    edges = [
        {
            "source": u,
            "target": v,
            "relation": key,
            "phrase": RELATION_PHRASES.get(key, (key, key))[0],
            "evidence": [
                {
                    "title": ref.title,
                    "section": ref.section,
                    "sentence": ref.sentence,
                    "hedges": list(ref.hedges),
                    "qualifiers": list(ref.qualifiers),
                }
                for ref in attrs.get("evidence", ())
            ],
        }
        for u, v, key, attrs in sorted(around.edges(keys=True, data=True), key=lambda e: e[:3])
    ]
    counts = Counter(node["group"] for node in nodes)
    order = [name for name, _, _ in GROUPS] + [OTHER[0]]
    colours = {name: colour for name, colour, _ in GROUPS} | {OTHER[0]: OTHER[1]}
    legend = [
        {"group": name, "colour": colours[name], "count": counts[name]}
        for name in order
        if counts[name]
    ]
    return {
        "center": center,
        "label": G.nodes[center].get("label", center),
        "depth": depth,
        "links": links,
        "nodes": nodes,
        "edges": edges,
        "legend": legend,
    }


def _layout(around: nx.MultiDiGraph, center: str) -> dict[str, tuple[float, float]]:
    """Rings by distance from the concept, relaxed by a seeded spring layout with the concept
    pinned at the centre: a hop further out stays further out, linked concepts draw together,
    and the same input gives the same page. Scaled into [-1, 1]."""
    simple = nx.Graph(around.to_undirected())
    distance = nx.single_source_shortest_path_length(simple, center)
    rings = [
        sorted((n for n, d in distance.items() if d == hop), key=lambda n: _ring_order(around, n))
        for hop in range(max(distance.values()) + 1)
    ]
    start = nx.shell_layout(simple, nlist=rings)
    start[center] = (0.0, 0.0)
    # k above the default 1/sqrt(n) spreads the crowded rings of a hub's neighbourhood
    k = 2.5 / max(1, simple.number_of_nodes()) ** 0.5
    raw = nx.spring_layout(simple, pos=start, fixed=[center], seed=7, k=k, iterations=60)
    extent = max((max(abs(float(p[0])), abs(float(p[1]))) for p in raw.values()), default=0.0)
    scale = extent or 1.0
    return {n: (float(p[0]) / scale, float(p[1]) / scale) for n, p in raw.items()}


def _ring_order(around: nx.MultiDiGraph, node: str) -> tuple[int, str]:
    """Around a ring, concepts of one colour group sit together."""
    group = group_of(around.nodes[node].get("types", ()))[0]
    names = [name for name, _, _ in GROUPS]
    return (names.index(group) if group in names else len(names), str(node))


def _asset(name: str) -> str:
    return resources.files("medkg").joinpath("web", name).read_text(encoding="utf-8")


def _json_for_script(data: object) -> str:
    """JSON that is inert inside ``<script>``: no ``<``, ``>`` or ``&`` left to end it."""
    text = json.dumps(data, ensure_ascii=True, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _inline_assets() -> tuple[str, str]:
    """The page's inline script and style, exactly as they stand between their tags."""
    script, style = "\n" + _asset("view.js"), "\n" + _asset("view.css")
    if _SCRIPT_END in script.lower() or "</style" in style.lower():
        raise RuntimeError("web/view.js or web/view.css contains a closing tag")
    return script, style


def inline_hashes() -> tuple[str, str]:
    """The Content-Security-Policy sources (``'sha256-…'``) of the page's inline script and
    style: a server that names them in its policy allows these two and no other inline code."""
    script, style = _inline_assets()
    return _csp_source(script), _csp_source(style)


def _csp_source(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def view_html(data: dict[str, Any]) -> str:
    """The whole page for ``data`` (from :func:`view_data`): style, data and script inline.

    Raises
    ------
    RuntimeError
        If a shipped asset would end its own ``<style>`` or ``<script>`` element early.
    """
    script, style = _inline_assets()
    title = f"{data['label']} · medkg view"
    summary = (
        f"{len(data['nodes'])} concepts, {len(data['edges'])} relations within "
        f"{data['depth']} hop{'s' if data['depth'] != 1 else ''}"
    )
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{style}</style>\n</head><body>\n"
        f'<header><h1>{escape(str(data["label"]))}</h1><p id="summary">{escape(summary)} · '
        "drag nodes, scroll to zoom, drag the background to pan, hover for evidence"
        ' · <button type="button" id="fit">fit</button></p></header>\n'
        '<div id="legend" aria-label="legend"></div>\n'
        '<svg id="graph" role="img" aria-label="concept graph"></svg>\n'
        '<div id="tooltip" role="tooltip" hidden></div>\n'
        f'<script type="application/json" id="graph-data">{_json_for_script(data)}</script>\n'
        f"<script>{script}</script>\n</body></html>\n"
    )


def write_view(G: nx.MultiDiGraph, concept: str, path: Path, depth: int = 1) -> dict[str, Any]:
    """Write the page for ``concept`` to ``path`` (through a temporary name); return its data."""
    from medkg.build import write_atomically  # build pulls in the whole pipeline

    data = view_data(G, concept, depth)
    write_atomically(path, view_html(data))
    return data


_cache_lock = threading.Lock()
_cached: tuple[Path, nx.MultiDiGraph] | None = None


def served_view(directory: Path, store: ox.Store, concept: str, depth: int) -> str:
    """The page for ``medkg serve``: the graph of the store at ``directory``, kept while that
    store is current (a build swaps in a new directory, so the directory names the graph).

    Raises
    ------
    ConceptNotFound, ValueError
        As :func:`view_data`.
    """
    global _cached
    with _cache_lock:
        if _cached is None or _cached[0] != directory:
            data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
            graph = Graph()
            if data:
                graph.parse(data=data, format="nt")
            _cached = (directory, to_networkx(graph))
        G = _cached[1]
    return view_html(view_data(G, concept, depth, links=True))
