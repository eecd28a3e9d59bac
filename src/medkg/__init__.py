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

from medkg.analysis import communities, differential, find_term, hubs, similar
from medkg.article import Article, ArticleError, parse, read_article
from medkg.build import BuildResult, build, build_dataset
from medkg.consistency import ConsistencyReport, check
from medkg.diff import BuildDiff, diff_builds, diff_datasets
from medkg.export import serialise, serialise_files
from medkg.extract import Assertion, Evidence, Extraction, extract
from medkg.queries import QueryError, QueryResult, load_queries, run_named, run_sparql
from medkg.rdf import mint, union
from medkg.server import Limits, create_server
from medkg.store import open_dataset, open_graph, open_store
from medkg.tables import edges_frame, nodes_frame
from medkg.terminology import Concept, Lexicon, load_registry
from medkg.traverse import ConceptNotFound, find_concept, neighbors, paths, subgraph, to_networkx
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
