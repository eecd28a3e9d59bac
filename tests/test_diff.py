"""medkg diff: a one-sentence edit of the seed shows up as exactly that change."""

from __future__ import annotations

import doctest
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from medkg import diff
from medkg.build import build, build_dataset
from medkg.cli import main

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "articles" / "conditions" / "bone-metastasis.txt"
OLD = "Symptoms may include bone pain, weakness, fatigue, and limited mobility, among others."
NEW = "Symptoms may include bone pain, weakness, fatigue, and nausea, among others."
C = "https://w3id.org/medkg/concept/"


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The seed built as shipped, and again with one sentence edited."""
    root = tmp_path_factory.mktemp("diff")
    text = SEED.read_text(encoding="utf-8")
    assert text.count(OLD) == 1
    edited = root / "articles" / "conditions" / SEED.name
    edited.parent.mkdir(parents=True)
    edited.write_text(text.replace(OLD, NEW), encoding="utf-8")
    assert build([SEED], root / "old").ok
    assert build([edited], root / "new").ok
    return root / "old", root / "new"


def test_docstring_examples_hold() -> None:
    built = build_dataset([SEED])
    result = doctest.testmod(diff, extraglobs={"built": built}, verbose=False)
    assert result.attempted > 0 and result.failed == 0


def test_an_edited_sentence_changes_exactly_its_facts(builds: tuple[Path, Path]) -> None:
    result = diff.diff_builds(*builds)
    article = next(g for g in result.graphs if g.title == "Bone Metastasis")
    bm = C + "bone-metastasis"
    assert article.added == ((bm, "hasSymptom", C + "nausea"),)
    assert article.removed == ((bm, "hasSymptom", C + "limited-mobility"),)
    assert result.by_relation == {"hasSymptom": (1, 1)}
    # every statement read from the sentence changed, and nothing else did
    assert {e.sentence for e in article.evidence_added} == {NEW}
    assert {e.sentence for e in article.evidence_removed} == {OLD}
    assert {e.object for e in article.evidence_added} == {
        C + name for name in ("bone-pain", "weakness", "fatigue", "nausea")
    }
    assert [p.rsplit("#", 1)[-1] for _, p, _ in article.other_added] == ["sha256"]
    # the terminology graph gains nausea's record and loses limited mobility's
    terminology = next(g for g in result.graphs if g.graph.endswith("/terminology"))
    assert {s for s, _, _ in terminology.other_added} >= {C + "nausea"}
    assert {s for s, _, _ in terminology.other_removed} == {C + "limited-mobility"}
    assert {g.title for g in result.graphs} == {"Bone Metastasis", "terminology"}


def test_a_build_against_itself_has_no_changes(builds: tuple[Path, Path]) -> None:
    old, _ = builds
    assert diff.diff_builds(old, old).graphs == ()


def test_cli_diff_table_and_json(builds: tuple[Path, Path]) -> None:
    old, new = (str(p) for p in builds)
    result = CliRunner().invoke(main, ["diff", old, new], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "+ bone-metastasis hasSymptom nausea" in result.output
    assert "- bone-metastasis hasSymptom limited-mobility" in result.output
    data = json.loads(CliRunner().invoke(main, ["diff", old, new, "--format", "json"]).output)
    assert data["by_relation"] == {"hasSymptom": [1, 1]}
    missing = CliRunner().invoke(main, ["diff", old, str(Path(new) / "nowhere")])
    assert missing.exit_code == 1 and "no store yet" in missing.output
