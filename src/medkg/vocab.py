"""The one place for medkg's namespaces, prefixes and version."""

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SDO, SKOS, XSD

__version__ = "0.1.0"

BASE = "https://w3id.org/medkg/"
MEDKG = Namespace(BASE + "ontology#")
CONCEPT = Namespace(BASE + "concept/")
ARTICLE = Namespace(BASE + "article/")
TERMINOLOGY_GRAPH = URIRef(BASE + "graph/terminology")
RELEASE = Namespace(BASE + "release/")
#: The Biolink Model, which the KGX export maps medkg classes and relations to.
BIOLINK = Namespace("https://w3id.org/biolink/vocab/")

#: Where a standard code's IRI starts (bioregistry conventions; OBO PURLs for HPO).
CODE_IRIS = {
    "HP": "http://purl.obolibrary.org/obo/HP_",
    "ICD10CM": "https://bioregistry.io/icd10cm:",
    "UMLS": "https://bioregistry.io/umls:",
    "SNOMEDCT": "http://snomed.info/id/",
    "DRUGBANK": "https://bioregistry.io/drugbank:",
}


def code_iri(system: str, code: str) -> URIRef:
    """The IRI of a standard code: ``code_iri("HP", "HP:0002653")`` → the HPO PURL."""
    return URIRef(CODE_IRIS[system] + code.removeprefix(f"{system}:"))


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
    "release": str(RELEASE),
    "obo": "http://purl.obolibrary.org/obo/",
}

#: Relation families for :func:`medkg.analysis.similar` and ``features``: family → relations
#: out of a concept. ``causes`` counts for symptoms only when its object is typed Symptom.
FAMILIES: dict[str, tuple[str, ...]] = {
    "symptoms": ("hasSymptom", "causes"),
    "procedures": ("diagnosedBy",),
    "treatments": ("treatedBy",),
}

__all__ = [
    "ARTICLE",
    "BASE",
    "BIOLINK",
    "CODE_IRIS",
    "CONCEPT",
    "DCTERMS",
    "FAMILIES",
    "MEDKG",
    "ONTOLOGY_IRI",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "RELEASE",
    "SDO",
    "SKOS",
    "TERMINOLOGY_GRAPH",
    "XSD",
    "__version__",
    "code_iri",
]
