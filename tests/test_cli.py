"""The `medkg` command, verb by verb, on a real build (click's CliRunner)."""

from __future__ import annotations

import csv
import importlib
import io
import json
import os
import pty
import re
import shutil
import socket
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from medkg import shacl
from medkg.cli import main
from medkg.rdf import union
from medkg.store import open_dataset

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "articles" / "conditions" / "bone-metastasis.txt"


@pytest.fixture(scope="module")
def build_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A build of the seed article alone (the corpus build is tested elsewhere)."""
    out = tmp_path_factory.mktemp("build")
    result = invoke("build", str(SEED), "--out", str(out))
    assert result.exit_code == 0, result.output
    return out


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_build_prints_a_summary_table(tmp_path: Path) -> None:
    result = invoke("build", str(SEED), "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    for row in ("articles", "relations: hasSymptom", "evidence statements", "conforms"):
        assert row in result.output
    assert (tmp_path / "kg.trig").is_file()


def test_build_full_reads_every_article_again_to_the_same_bytes(tmp_path: Path) -> None:
    assert invoke("build", str(SEED), "--out", str(tmp_path)).exit_code == 0
    before = {p.name: p.read_bytes() for p in tmp_path.glob("kg.*")}
    for entry in (tmp_path / "cache").glob("*/*.pickle"):
        entry.write_bytes(b"not a pickle")  # a rebuild reads no unit of an unchanged file
    result = invoke("build", str(SEED), "--out", str(tmp_path), "--full")
    assert result.exit_code == 0, result.output
    assert "articles rebuilt (the rest from the cache) │        1" in result.output
    assert {p.name: p.read_bytes() for p in tmp_path.glob("kg.*")} == before


def test_build_exits_3_and_names_a_bad_file_when_the_rest_is_published(tmp_path: Path) -> None:
    folder = tmp_path / "articles" / "conditions"
    folder.mkdir(parents=True)
    shutil.copy(SEED, folder)
    (folder / "broken.txt").write_bytes(b"\x00\x01")
    result = invoke("build", str(tmp_path / "articles"), "--out", str(tmp_path / "out"))
    assert result.exit_code == 3
    assert "broken.txt" in result.output and "binary" in result.output
    assert (tmp_path / "out" / "kg.trig").is_file()


def test_build_exits_1_and_leaves_the_last_build_when_the_graph_does_not_conform(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, article = tmp_path / "out", tmp_path / "conditions" / SEED.name
    article.parent.mkdir()
    shutil.copy(SEED, article)
    assert invoke("build", str(article), "--out", str(out)).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.glob("kg.*")}
    validate_module = importlib.import_module("medkg.validate")
    strict = Graph()  # a real, stricter shape the seed does not meet: a code on every symptom
    strict += validate_module.load_shapes()
    strict.parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:test:SymptomCode> a sh:NodeShape ;
            sh:targetClass <https://w3id.org/medkg/ontology#Symptom> ;
            sh:property [ sh:path <http://www.w3.org/2004/02/skos/core#notation> ;
                          sh:minCount 1 ; sh:message "symptom needs a code" ] .
        """,
        format="turtle",
    )
    stricter = shacl.CompiledShapes(strict, validate_module.load_class_hierarchy())
    monkeypatch.setattr(shacl, "compiled", lambda: stricter)
    article.write_text(SEED.read_text().replace("Bone pain", "Ache"))  # a unit built anew
    result = invoke("build", str(article), "--out", str(out))
    assert result.exit_code == 1
    assert "symptom needs a code" in result.output
    assert f"the new graph does not conform; {out} left as it was" in result.output
    assert {p.name: p.read_bytes() for p in out.glob("kg.*")} == before


def test_an_error_message_that_looks_like_markup_is_printed_as_it_is(tmp_path: Path) -> None:
    missing = tmp_path / "[/bold] [red]gone"
    result = invoke("build", str(missing), "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert f"error: {missing}: no such file or folder" in result.output


def test_validate_reports_in_words(build_dir: Path, tmp_path: Path) -> None:
    result = invoke("validate", "--build-dir", str(build_dir))
    assert result.exit_code == 0 and "conforms" in result.output
    broken = ROOT / "tests" / "fixtures" / "shapes" / "missing-preflabel.ttl"
    result = invoke("validate", str(broken))
    assert result.exit_code == 1
    assert "prefLabel" in result.output


def test_queries_lists_every_shipped_query() -> None:
    result = invoke("queries")
    assert result.exit_code == 0
    for name in ("symptoms-of", "diagnostic-procedures-for", "evidence-for", "shared-symptoms"):
        assert name in result.output


def test_query_with_parameter_in_three_formats(build_dir: Path) -> None:
    args = ("query", "symptoms-of", "-p", "condition=Bone Metastasis", "--build-dir")
    table = invoke(*args, str(build_dir))
    assert table.exit_code == 0 and "bone pain" in table.output
    rows = list(
        csv.DictReader(io.StringIO(invoke(*args, str(build_dir), "--format", "csv").output))
    )
    assert {"bone pain", "fatigue", "limited mobility"} <= {r["symptom"] for r in rows}
    records = json.loads(invoke(*args, str(build_dir), "--format", "json").output)
    assert len(records) == len(rows)


def test_query_errors_are_one_clear_line(build_dir: Path) -> None:
    result = invoke("query", "no-such-query", "--build-dir", str(build_dir))
    assert result.exit_code == 1 and "no-such-query" in result.output
    result = invoke("query", "symptoms-of", "--build-dir", str(build_dir))
    assert result.exit_code == 1 and "condition" in result.output
    assert "Traceback" not in result.output


def test_sparql_text_and_file(build_dir: Path, tmp_path: Path) -> None:
    text = "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/medkg/ontology#Article> }"
    result = invoke("sparql", text, "--format", "csv", "--build-dir", str(build_dir))
    assert result.output.splitlines() == ["n", "1"]
    query_file = tmp_path / "q.rq"
    query_file.write_text(text)
    assert (
        invoke("sparql", str(query_file), "--format", "csv", "--build-dir", str(build_dir)).output
        == result.output
    )


def test_show_finds_concepts_by_any_name(build_dir: Path) -> None:
    result = invoke("show", "mri", "--build-dir", str(build_dir))
    assert result.exit_code == 0, result.output
    assert "magnetic resonance imaging" in result.output
    assert "ImagingProcedure" in result.output
    assert "spinal cord compression" in result.output
    assert "detect any compression of nerves or spinal cord" in result.output


def test_show_unknown_concept_suggests(build_dir: Path) -> None:
    result = invoke("show", "bone metastsis", "--build-dir", str(build_dir))
    assert result.exit_code == 1
    assert "bone metastasis" in result.output


def test_neighbors_by_relation(build_dir: Path) -> None:
    result = invoke(
        "neighbors", "bone metastasis", "--relation", "hasSymptom", "--build-dir", str(build_dir)
    )
    assert result.exit_code == 0
    assert "bone metastasis has symptom bone pain" in result.output
    assert "diagnosed" not in result.output


def test_path_explains_each_hop(build_dir: Path) -> None:
    result = invoke("path", "breast cancer", "fatigue", "--build-dir", str(build_dir))
    assert result.exit_code == 0, result.output
    assert "breast cancer → bone metastasis → anemia → fatigue" in result.output
    assert "anemia causes fatigue" in result.output
    assert "leading to anemia and fatigue" in result.output


@pytest.mark.parametrize("fmt", ["turtle", "trig", "jsonld", "nquads"])
def test_export_every_format_round_trips(build_dir: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"kg.{fmt}"
    result = invoke("export", "--format", fmt, "-o", str(out), "--build-dir", str(build_dir))
    assert result.exit_code == 0
    expected = union(open_dataset(build_dir))
    if fmt == "turtle":
        reread = Graph().parse(out, format="turtle")
    else:
        reread = union(Dataset().parse(out, format={"jsonld": "json-ld"}.get(fmt, fmt)))
    assert isomorphic(reread, expected)


def test_commands_before_any_build_say_what_to_do(tmp_path: Path) -> None:
    result = invoke("show", "mri", "--build-dir", str(tmp_path))
    assert result.exit_code == 1
    assert "run `medkg build` first" in result.output


def test_eval_scores_a_folder_against_its_gold_and_says_so(tmp_path: Path) -> None:
    articles = tmp_path / "articles" / "symptoms"
    articles.mkdir(parents=True)
    shutil.copy(ROOT / "data" / "articles" / "symptoms" / "fatigue.txt", articles)
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "fatigue.tsv").write_text(
        "subject\trelation\tobject\tpolarity\n"
        "anemia\tcauses\tfatigue\tpositive\n"
        "an illness nobody lists\tcauses\tfatigue\tpositive\n"
    )
    result = invoke("eval", str(tmp_path / "articles"), "--gold", str(gold), "--details")
    assert result.exit_code == 0, result.output
    assert "1 articles scored" in result.output
    assert "fatigue: missed: an illness nobody lists causes fatigue" in result.output


def test_eval_with_no_gold_file_scores_nothing_and_fails(tmp_path: Path) -> None:
    """It printed P = R = F1 = 1.00 over 0 articles."""
    (tmp_path / "gold").mkdir()
    result = invoke(
        "eval", str(ROOT / "data" / "articles" / "symptoms"), "--gold", str(tmp_path / "gold")
    )
    assert result.exit_code == 1
    assert "nothing was scored" in result.output
    assert "1.00" not in result.output


def test_a_single_article_anywhere_builds_and_one_of_no_kind_publishes_nothing(
    tmp_path: Path,
) -> None:
    page = tmp_path / "downloads" / "gout.txt"
    page.parent.mkdir()
    page.write_text(
        "Gout\n\nGout is a form of arthritis.\n\nSymptoms\n\n  • Joint pain: Sudden and severe\n",
        encoding="utf-8",
    )
    result = invoke("build", str(page), "--out", str(tmp_path / "build"))
    assert result.exit_code == 0, result.output
    assert "relations: hasSymptom" in result.output

    notes = tmp_path / "notes.txt"
    notes.write_text("Notes\n\nSome text about nothing in particular.\n", encoding="utf-8")
    empty = tmp_path / "empty-build"
    result = invoke("build", str(notes), "--out", str(empty))
    assert result.exit_code == 1
    assert "cannot tell whether it is about a condition" in result.output
    assert "nothing was published" in result.output
    assert not (empty / "kg.ttl").exists()
    forced = invoke("build", str(notes), "--kind", "condition", "--out", str(empty))
    assert forced.exit_code == 0, forced.output


def test_terms_lists_the_concepts_no_vocabulary_links_with_where_they_are_named(
    tmp_path: Path,
) -> None:
    page = tmp_path / "conditions" / "lactose-intolerance.txt"
    page.parent.mkdir()
    page.write_text(
        "Lactose Intolerance\n\nLactose intolerance makes milk hard to digest.\n\n"
        "Treatment\n\n  • Lactase drops: Added to milk before drinking it\n",
        encoding="utf-8",
    )
    built = invoke("build", str(page), "--out", str(tmp_path / "build"))
    assert built.exit_code == 0, built.output
    result = invoke("terms", "--build-dir", str(tmp_path / "build"))
    assert result.exit_code == 0, result.output
    assert "lactase drops  (Therapy)  — Lactose Intolerance, Treatment" in result.output
    assert '"Lactase drops: Added to milk before drinking it"' in result.output
    stats = invoke("stats", "--build-dir", str(tmp_path / "build"))
    assert "unlinked concepts (no standard code): " in stats.output


def test_a_named_query_about_a_concept_the_build_lacks_says_so(build_dir: Path) -> None:
    """It printed an empty table, as if the concept were there with nothing to show."""
    unknown = invoke("query", "symptoms-of", "-p", "condition=gout", "--build-dir", str(build_dir))
    assert unknown.exit_code == 1
    assert "no concept is named 'gout' in this build (condition)" in unknown.stderr
    known = invoke("query", "symptoms-of", "-p", "condition=MRI", "--build-dir", str(build_dir))
    assert known.exit_code == 0, known.output  # there, with no symptoms: an empty answer
    assert "no concept" not in known.output


def test_neighbors_refuses_a_relation_that_does_not_exist(build_dir: Path) -> None:
    where = ("--build-dir", str(build_dir))
    result = invoke("neighbors", "bone metastasis", "--relation", "symptom", *where)
    assert result.exit_code == 2
    assert "'symptom' is not one of" in result.stderr
    assert "'hasSymptom'" in result.stderr


def test_serve_on_a_busy_port_says_so_in_a_line(build_dir: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = invoke("serve", "--port", str(port), "--build-dir", str(build_dir))
    assert result.exit_code == 1
    assert f"cannot listen on 127.0.0.1:{port}: Address already in use" in result.stderr


def test_sparql_knows_medkgs_prefixes_and_keeps_term_types_in_json(build_dir: Path) -> None:
    """It had no default prefixes, and its JSON turned every term into a bare string."""
    text = "SELECT ?label ?n WHERE { concept:bone-metastasis skos:prefLabel ?label BIND(1 AS ?n) }"
    result = invoke("sparql", text, "--format", "json", "--build-dir", str(build_dir))
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)  # SPARQL 1.1 Query Results JSON
    assert answer["head"]["vars"] == ["label", "n"]
    (row,) = answer["results"]["bindings"]
    assert row["label"] == {"type": "literal", "value": "bone metastasis", "xml:lang": "en"}
    assert row["n"]["datatype"] == "http://www.w3.org/2001/XMLSchema#integer"


def test_sparql_prints_a_construct_answer_as_rdf(build_dir: Path) -> None:
    text = "CONSTRUCT { ?c medkg:hasSymptom ?s } WHERE { ?c medkg:hasSymptom ?s }"
    turtle = invoke("sparql", text, "--build-dir", str(build_dir))
    assert turtle.exit_code == 0, turtle.output
    graph = Graph().parse(data=turtle.stdout, format="turtle")
    assert len(graph) > 5
    assert {str(p) for p in graph.predicates()} == {"https://w3id.org/medkg/ontology#hasSymptom"}
    nt = invoke("sparql", text, "--format", "ntriples", "--build-dir", str(build_dir))
    assert isomorphic(Graph().parse(data=nt.stdout, format="nt"), graph)

    wrong = invoke("sparql", text, "--format", "csv", "--build-dir", str(build_dir))
    assert wrong.exit_code == 1
    assert "a CONSTRUCT answer cannot be written as text/csv" in wrong.stderr


def test_build_progress_shows_counts_phase_and_time_on_a_terminal(tmp_path: Path) -> None:
    """It showed a bar and a file name, with no count, phase or time left."""
    medkg = Path(sys.executable).with_name("medkg")
    symptoms = ROOT / "data" / "articles" / "symptoms"
    pid, terminal = pty.fork()
    if pid == 0:  # the child: medkg on a terminal, as a user runs it
        os.environ["COLUMNS"] = "160"
        os.execv(medkg, [str(medkg), "build", str(symptoms), "--out", str(tmp_path / "b")])
    shown = b""
    while True:
        try:
            chunk = os.read(terminal, 65536)
        except OSError:  # the child has closed the terminal
            break
        if not chunk:
            break
        shown += chunk
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    frames = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", shown.decode()).replace("\r", "\n")
    count = len(list(symptoms.iterdir()))
    assert "reading articles" in frames and f" 0/{count} " in frames
    assert re.search(rf"validating, writing and publishing the graph .* {count}/{count} ", frames)
    assert re.search(r" \d:\d\d:\d\d ", frames)  # time elapsed and left
