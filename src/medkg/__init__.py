"""medkg: a knowledge graph of medical conditions, symptoms and procedures.

The same verbs as the command line, as a Python API::

    from pathlib import Path
    import medkg

    result = medkg.build([Path("data/articles")], Path("data/build"))
    store = medkg.open_store(Path("data/build"))  # the Oxigraph store, read-only
    medkg.run_named(store, "symptoms-of", {"condition": "bone metastasis"})
    graph = medkg.union(result.dataset)  # or an rdflib graph in memory
    G = medkg.to_networkx(graph)
    medkg.paths(G, medkg.find_concept(G, "breast cancer"), medkg.find_concept(G, "fatigue"))
    medkg.edges_frame(G)  # pandas: one row per relation, with its sentences
"""

import importlib
from typing import TYPE_CHECKING

# Each name is imported on its first use (PEP 562): `import medkg`, and every command of the
# command line, loads only the modules it needs (matplotlib alone takes a second).
_EXPORTS = {
    "communities": "medkg.analysis",
    "differential": "medkg.analysis",
    "find_term": "medkg.analysis",
    "hubs": "medkg.analysis",
    "similar": "medkg.analysis",
    "Article": "medkg.article",
    "ArticleError": "medkg.article",
    "parse": "medkg.article",
    "read_article": "medkg.article",
    "BuildResult": "medkg.build",
    "build": "medkg.build",
    "build_dataset": "medkg.build",
    "ConsistencyReport": "medkg.consistency",
    "check": "medkg.consistency",
    "BuildDiff": "medkg.diff",
    "diff_builds": "medkg.diff",
    "diff_datasets": "medkg.diff",
    "serialise": "medkg.export",
    "serialise_files": "medkg.export",
    "Assertion": "medkg.extract",
    "Evidence": "medkg.extract",
    "Extraction": "medkg.extract",
    "extract": "medkg.extract",
    "QueryError": "medkg.queries",
    "QueryResult": "medkg.queries",
    "load_queries": "medkg.queries",
    "run_named": "medkg.queries",
    "run_sparql": "medkg.queries",
    "mint": "medkg.rdf",
    "union": "medkg.rdf",
    "Limits": "medkg.executor",
    "create_server": "medkg.server",
    "open_dataset": "medkg.store",
    "open_graph": "medkg.store",
    "open_store": "medkg.store",
    "edges_frame": "medkg.tables",
    "nodes_frame": "medkg.tables",
    "Concept": "medkg.terminology",
    "Lexicon": "medkg.terminology",
    "load_registry": "medkg.terminology",
    "ConceptNotFound": "medkg.traverse",
    "find_concept": "medkg.traverse",
    "neighbors": "medkg.traverse",
    "paths": "medkg.traverse",
    "subgraph": "medkg.traverse",
    "to_networkx": "medkg.traverse",
    "ValidationReport": "medkg.validate",
    "validate": "medkg.validate",
    "__version__": "medkg.vocab",
}


def __getattr__(name: str) -> object:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'medkg' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})


if TYPE_CHECKING:
    from medkg.analysis import communities, differential, find_term, hubs, similar
    from medkg.article import Article, ArticleError, parse, read_article
    from medkg.build import BuildResult, build, build_dataset
    from medkg.consistency import ConsistencyReport, check
    from medkg.diff import BuildDiff, diff_builds, diff_datasets
    from medkg.executor import Limits
    from medkg.export import serialise, serialise_files
    from medkg.extract import Assertion, Evidence, Extraction, extract
    from medkg.queries import QueryError, QueryResult, load_queries, run_named, run_sparql
    from medkg.rdf import mint, union
    from medkg.server import create_server
    from medkg.store import open_dataset, open_graph, open_store
    from medkg.tables import edges_frame, nodes_frame
    from medkg.terminology import Concept, Lexicon, load_registry
    from medkg.traverse import (
        ConceptNotFound,
        find_concept,
        neighbors,
        paths,
        subgraph,
        to_networkx,
    )
    from medkg.validate import ValidationReport, validate
    from medkg.vocab import __version__

__all__ = [
    "Article",
    "ArticleError",
    "Assertion",
    "BuildDiff",
    "BuildResult",
    "Concept",
    "ConceptNotFound",
    "ConsistencyReport",
    "Evidence",
    "Extraction",
    "Lexicon",
    "Limits",
    "QueryError",
    "QueryResult",
    "ValidationReport",
    "__version__",
    "build",
    "build_dataset",
    "check",
    "communities",
    "create_server",
    "diff_builds",
    "diff_datasets",
    "differential",
    "edges_frame",
    "extract",
    "find_concept",
    "find_term",
    "hubs",
    "load_queries",
    "load_registry",
    "mint",
    "neighbors",
    "nodes_frame",
    "open_dataset",
    "open_graph",
    "open_store",
    "parse",
    "paths",
    "read_article",
    "run_named",
    "run_sparql",
    "serialise",
    "serialise_files",
    "similar",
    "subgraph",
    "to_networkx",
    "union",
    "validate",
]
