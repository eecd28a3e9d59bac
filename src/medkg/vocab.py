"""The one place for medkg's namespaces, prefixes and version."""

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SDO, SKOS, XSD

__version__ = "0.1.0"

BASE = "https://w3id.org/medkg/"
MEDKG = Namespace(BASE + "ontology#")
CONCEPT = Namespace(BASE + "concept/")
ARTICLE = Namespace(BASE + "article/")
TERMINOLOGY_GRAPH = URIRef(BASE + "graph/terminology")
ONTOLOGY_IRI = URIRef(BASE + "ontology")

PREFIXES: dict[str, str] = {
    "medkg": str(MEDKG),
    "concept": str(CONCEPT),
    "article": str(ARTICLE),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "schema": str(SDO),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
}

__all__ = [
    "ARTICLE",
    "BASE",
    "CONCEPT",
    "DCTERMS",
    "MEDKG",
    "ONTOLOGY_IRI",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SDO",
    "SKOS",
    "TERMINOLOGY_GRAPH",
    "XSD",
    "__version__",
]
