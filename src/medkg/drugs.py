"""Drug names, brands and drug classes, as the ``drug-named-entity-recognition`` package ships
them: DrugBank's open vocabulary (CC0), MeSH's pharmacological actions, NHS and MedlinePlus
names, gathered by Fast Data Science (MIT).

A name is a drug's generic name, one of its synonyms or a brand ("Imitrex" is sumatriptan); a
class is a MeSH pharmacological action, tree D27 ("NSAIDs", "antibiotics", "proton pump
inhibitors").
"""

from __future__ import annotations

import bz2
import functools
import pickle
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import metadata, resources
from typing import Any

from medkg.terminology import normalise

__all__ = ["Drug", "DrugNames", "drug_names"]

PACKAGE = "drug-named-entity-recognition"
_DATA = "drug_ner_dictionary.pkl.bz2"
_CLASS_TREE = "D27."  # MeSH: Chemical Actions and Uses, Pharmacologic Actions


@dataclass(frozen=True)
class Drug:
    """What the vocabulary knows of a name."""

    name: str  # the canonical name, as the vocabulary writes it
    is_class: bool
    is_brand: bool
    drugbank: str | None  # DrugBank accession, "DB01050"


class DrugNames:
    """Every name of the vocabulary, by its normalised words."""

    def __init__(self, data: Mapping[str, Mapping[str, Any]], version: str, source: str) -> None:
        self.version = version  # the package's version: its data's release
        self.source = source  # the data file it was read from
        canonical = data["drug_canonical_to_data"]
        flags = data["drug_variant_to_variant_data"]
        self._names: dict[tuple[str, ...], Drug] = {}
        for variant, names in data["drug_variant_to_canonical"].items():
            record: Mapping[str, Any] = canonical.get(names[0], {}) if names else {}
            drug = Drug(
                name=str(record.get("name") or names[0]),
                is_class=any(str(t).startswith(_CLASS_TREE) for t in record.get("mesh_tree") or ()),
                is_brand=bool((flags.get(variant) or {}).get("is_brand")),
                drugbank=record.get("drugbank_id"),
            )
            self._names.setdefault(normalise(str(variant)), drug)

    def lookup(self, name: str) -> Drug | None:
        """The drug or class ``name`` names (any case or number), or None."""
        return self._names.get(normalise(name))

    def kind(self, name: str) -> str | None:
        """``"Drug"``, ``"DrugClass"`` or None, for ``name``."""
        drug = self.lookup(name)
        if drug is None:
            return None
        return "DrugClass" if drug.is_class else "Drug"


@functools.cache
def drug_names() -> DrugNames:
    """The vocabulary, read once a process from the data file its package ships."""
    path = resources.files("drug_named_entity_recognition").joinpath(_DATA)
    with path.open("rb") as packed, bz2.open(packed) as handle:
        data = pickle.load(handle)
    return DrugNames(data, metadata.version(PACKAGE), f"{PACKAGE}: {_DATA}")
