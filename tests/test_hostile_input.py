"""Hostile input: any text an article holds is data, and no file stops the others.

Every test builds real files: real separators, control characters and markup in article text,
a real FIFO, a real link to /dev/zero, real dangling and looping links, a real folder named like
an article, real large files, a real article too long to build in time. The command line runs
through click's CliRunner or as a real process of the installed ``medkg``.
"""

from __future__ import annotations

import csv
import io
import os
import resource
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Graph
from rdflib.namespace import DCTERMS

from medkg import units
from medkg.article import Article, read_article
from medkg.build import build, find_articles
from medkg.cli import main
from medkg.extract import extract
from medkg.store import open_store
from medkg.tables import xml_text
from medkg.terminal import printable
from medkg.vocab import ARTICLE, MEDKG

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "articles" / "conditions" / "bone-metastasis.txt"
ANEMIA = ROOT / "data" / "articles" / "conditions" / "anemia.txt"
MEDKG_COMMAND = Path(sys.executable).with_name("medkg")  # the virtualenv's, as installed

#: What str.splitlines cuts at besides "\n" and "\r", and rdflib writes raw inside literals.
SEPARATORS = {
    "LINE SEPARATOR": "\u2028",
    "PARAGRAPH SEPARATOR": "\u2029",
    "NEXT LINE": "\x85",
    "VT": "\x0b",
    "FF": "\x0c",
    "FS": "\x1c",
    "GS": "\x1d",
    "RS": "\x1e",
}
MARKUP = ("[bold]", "[/bold]", "[red]", "<x>", "</script>", "&amp;", "%s", "{}", "{0}", ":smile:")
TERMINAL = ("\x1b[31m", "\x1b]0;title\x07", "\x9b2J", "\u202e", "\u2066", "\u200f", "\x08", "\x7f")


def article_text(title: str, sentence: str, heading: str = "Background") -> str:
    """An article in the encyclopedia's format whose Symptoms bullet is ``Fatigue: sentence``
    (extraction makes it a hasSymptom statement, with the bullet as its sentence)."""
    return (
        f"{title}\n\n"
        "A rare condition of the bones.\n\n"
        f"{heading}\n\n"
        f"It was described long ago: {sentence}\n\n"
        "Symptoms\n\n"
        f"  • Fatigue: {sentence}\n\n"
        "Article last updated on: 18th October 2025\n"
    )


def write_article(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture()
def articles(tmp_path: Path) -> Path:
    """A folder of articles holding a copy of the seed article."""
    folder = tmp_path / "articles" / "conditions"
    folder.mkdir(parents=True)
    shutil.copy(SEED, folder / SEED.name)
    return tmp_path / "articles"


def seed_sections() -> str:
    """The seed article's sections: no title, and none of its FAQ and footer, whose update
    line would end an article made of copies of them."""
    text = SEED.read_text(encoding="utf-8")
    return text.split("\n", 1)[1].split("Frequently Asked Questions")[0]


def seed_graph_in(out: Path) -> bool:
    return ox.NamedNode(str(ARTICLE["bone-metastasis"])) in set(open_store(out).named_graphs())


# --- reading what the build wrote back -------------------------------------------------------


Statements = set[tuple[str, str]]  # (predicate IRI, literal value)


def literals_in_outputs(out: Path) -> dict[str, Statements]:
    """The literals of the store and of every file the build wrote, each file parsed back by
    Oxigraph and by rdflib, by where they were read."""
    store = open_store(out).quads_for_pattern(None, None, None)
    found = {"store": {(q.predicate.value, q.object.value) for q in store}}
    for name, ox_format in (
        ("kg.nq", ox.RdfFormat.N_QUADS),
        ("kg.trig", ox.RdfFormat.TRIG),
        ("kg.ttl", ox.RdfFormat.TURTLE),
    ):
        quads = ox.parse(path=out / name, format=ox_format)
        found[f"{name} (Oxigraph)"] = {(q.predicate.value, q.object.value) for q in quads}
    for name, rdflib_format in (("kg.nq", "nquads"), ("kg.trig", "trig"), ("kg.jsonld", "json-ld")):
        dataset = Dataset().parse(out / name, format=rdflib_format)
        quads = dataset.quads((None, None, None, None))
        found[f"{name} (rdflib)"] = {(str(p), str(o)) for _, p, o, _ in quads}
    turtle = Graph().parse(out / "kg.ttl", format="turtle")
    found["kg.ttl (rdflib)"] = {(str(p), str(o)) for _, p, o in turtle}
    return found


def assert_everywhere(out: Path, *expected: tuple[str, str]) -> None:
    for where, literals in literals_in_outputs(out).items():
        for statement in expected:
            assert statement in literals, (where, statement)


def fatigue_bullet(article: Article) -> str:
    """The sentence of the article's ``Fatigue:`` bullet, as the parser read it."""
    return next(
        bullet.span.text
        for section in article.sections
        for bullet in section.bullets
        if bullet.term is not None and bullet.term.text == "Fatigue"
    )


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def run_medkg(*args: str, memory: int | None = None) -> subprocess.CompletedProcess[str]:
    """The installed ``medkg`` as a real process (with ``memory``: at most that many bytes of
    address space, so that a build reading without bound fails instead of filling the host)."""

    def limit_memory() -> None:
        if memory is not None:
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    command = [str(MEDKG_COMMAND), *args]
    return subprocess.run(
        command, capture_output=True, text=True, timeout=300, preexec_fn=limit_memory
    )


# --- any text is data ------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(SEPARATORS))
def test_a_line_separator_in_an_article_no_longer_stops_the_build(
    articles: Path, tmp_path: Path, name: str
) -> None:
    separator = SEPARATORS[name]
    sentence = f"tiredness{separator}that lasts{separator * 2}all day"
    title = f"Separated{separator} Syndrome"
    folder = articles / "conditions"
    path = write_article(
        folder, "separated.txt", article_text(title, sentence, f"Notes{separator}")
    )
    out = tmp_path / "build"
    result = build([articles], out)
    assert result.ok and not result.errors and not result.skipped
    assert_everywhere(
        out,
        (str(MEDKG.sentence), f"Fatigue: {sentence}"),
        (str(DCTERMS.title), read_article(path).title),
    )
    assert seed_graph_in(out)


def test_a_rebuild_with_separators_writes_what_a_full_build_writes(
    articles: Path, tmp_path: Path
) -> None:
    every = "".join(SEPARATORS.values())
    build([articles], tmp_path / "rebuilt")
    text = article_text(f"All{every} Separators", f"weak{every}and tired {every}")
    write_article(articles / "conditions", "separated.txt", text)
    result = build([articles], tmp_path / "rebuilt")  # patches kg.ttl, the segments, the store
    assert result.ok and result.rebuilt == 1
    build([articles], tmp_path / "full")
    for name in ("kg.nq", "kg.trig", "kg.ttl", "kg.jsonld"):
        rebuilt = (tmp_path / "rebuilt" / name).read_bytes()
        assert rebuilt == (tmp_path / "full" / name).read_bytes(), name


# Any code point but surrogates (files are UTF-8), the article's own line breaks and NUL (a
# binary file, refused by name: see test_build.BAD_FILES); and, often, the characters that
# broke something once.
ANY_CHARACTER = st.characters(exclude_categories=("Cs",), exclude_characters="\n\r\x00")
HOSTILE = st.sampled_from([*SEPARATORS.values(), *MARKUP, *TERMINAL, "\t", '"', "\\", "\ufeff"])


def hostile_text(pieces: int) -> st.SearchStrategy[str]:
    return st.lists(st.one_of(st.text(ANY_CHARACTER, max_size=6), HOSTILE), max_size=pieces).map(
        "".join
    )


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder for every example: each rebuilds it, so its cache is warm."""
    return tmp_path_factory.mktemp("any-text")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    title=hostile_text(4),
    heading=hostile_text(3),
    sentence=hostile_text(12).map(lambda text: f"tired {text}"),  # a bullet is never empty
)
def test_any_article_text_is_published_exactly_or_refused_by_name(
    workspace: Path, title: str, heading: str, sentence: str
) -> None:
    path = write_article(
        workspace / "articles" / "conditions",
        "any.txt",
        article_text(f"{title} Syndrome", sentence, heading),
    )
    out = workspace / "build"
    result = build([workspace / "articles"], out)
    assert result.ok, result.validation.text()
    assert not result.skipped
    if result.errors:  # an article the parser refuses (a title of 16 words): named, no crash
        event("refused by name")
        assert len(result.errors) == 1 and str(path) in result.errors[0], result.errors
        assert "medkg failed" not in result.errors[0]
        return
    event("published")
    article = read_article(path)
    expected = f"Fatigue: {sentence}".rstrip()
    assert fatigue_bullet(article) == expected
    assert_everywhere(out, (str(MEDKG.sentence), expected), (str(DCTERMS.title), article.title))
    shown = invoke("show", "fatigue", "--build-dir", str(out))
    assert shown.exit_code == 0
    assert printable(expected) in shown.output


# --- the command line prints text as data ----------------------------------------------------

MARKED_UP = "tiredness [bold]all[/bold] day [/bold] with %s {} <x> :smile: [red]\\"
ESCAPES = "tiredness \x1b[31mred\x1b[0m \u202eevil\u202c \x9b2J and \x07 bell"


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A build, through the command line, of two articles whose text looks like markup and
    terminal escapes."""
    root = tmp_path_factory.mktemp("cli")
    folder = root / "articles" / "conditions"
    write_article(folder, "marked.txt", article_text("Marked [/bold] Syndrome", MARKED_UP, "[/b]"))
    write_article(folder, "escaped.txt", article_text("Escaped\x1b[2J Syndrome", ESCAPES))
    result = invoke("build", str(root / "articles"), "--out", str(root / "build"))
    assert result.exit_code == 0, result.output
    assert "warning:" in result.output and "[/b]" in result.output  # its unknown heading
    return root / "build"


def test_markup_in_article_text_no_longer_crashes_build_or_show(hostile_build: Path) -> None:
    result = invoke("show", "fatigue", "--build-dir", str(hostile_build))
    assert result.exit_code == 0
    assert f'"Fatigue: {MARKED_UP}"' in result.output
    assert "marked [/bold] syndrome" in result.output


@pytest.mark.parametrize(
    "args",
    [
        ("neighbors", "marked [/bold] syndrome"),
        ("path", "marked [/bold] syndrome", "fatigue"),
        ("query", "symptoms-of", "-p", "condition=marked [/bold] syndrome"),
        ("sparql", f"SELECT ?sentence WHERE {{ ?s <{MEDKG.sentence}> ?sentence }}"),
    ],
)
def test_markup_is_printed_as_it_is_by_every_command(
    hostile_build: Path, args: tuple[str, ...]
) -> None:
    result = invoke(*args, "--build-dir", str(hostile_build))
    assert result.exit_code == 0, result.output
    # a table wraps a long cell, so look for its words, each as written
    for word in ("[bold]all[/bold]", "[/bold]", "%s", "{}", "<x>", ":smile:", "[red]\\"):
        assert word in result.output, word


@pytest.mark.parametrize(
    "args",
    [
        ("show", "fatigue"),
        ("neighbors", "escaped\x1b[2j syndrome"),
        ("query", "symptoms-of", "-p", "condition=escaped\x1b[2j syndrome"),
        ("sparql", f"SELECT ?sentence WHERE {{ ?s <{MEDKG.sentence}> ?sentence }}"),
    ],
)
def test_terminal_escapes_in_article_text_are_printed_escaped(
    hostile_build: Path, args: tuple[str, ...]
) -> None:
    result = invoke(*args, "--build-dir", str(hostile_build))
    assert result.exit_code == 0, result.output
    for raw in ("\x1b", "\u202e", "\x9b", "\x07"):
        assert raw not in result.output
    for escaped in ("\\x1b[31mred", "\\u202eevil", "\\x9b2J", "\\x07"):
        assert escaped in result.output.replace("\n", "").replace("│", "").replace(" ", "")


@pytest.mark.parametrize("fmt", ["turtle", "trig", "jsonld", "nquads"])
def test_rdf_exports_keep_any_text(hostile_build: Path, tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"export.{fmt}"
    result = invoke("export", "--format", fmt, "-o", str(target), "--build-dir", str(hostile_build))
    assert result.exit_code == 0
    if fmt == "turtle":  # the union: one graph
        sentences = {str(o) for o in Graph().parse(target).objects(None, MEDKG.sentence)}
    else:
        dataset = Dataset().parse(target, format={"jsonld": "json-ld"}.get(fmt, fmt))
        sentences = {str(o) for _, _, o, _ in dataset.quads((None, MEDKG.sentence, None, None))}
    assert {f"Fatigue: {MARKED_UP}", f"Fatigue: {ESCAPES}"} <= sentences


@pytest.mark.parametrize(("fmt", "delimiter"), [("csv", ","), ("tsv", "\t"), ("kgx", "\t")])
def test_table_exports_keep_any_text(
    hostile_build: Path, tmp_path: Path, fmt: str, delimiter: str
) -> None:
    target = tmp_path / fmt
    result = invoke("export", "--format", fmt, "-o", str(target), "--build-dir", str(hostile_build))
    assert result.exit_code == 0
    edges = next(target.glob("edges.*")).read_text(encoding="utf-8")
    cells = {cell for row in csv.reader(io.StringIO(edges), delimiter=delimiter) for cell in row}
    assert any(f"Fatigue: {ESCAPES}" in cell for cell in cells)
    assert any(f"Fatigue: {MARKED_UP}" in cell for cell in cells)


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graph_exports_keep_any_text_xml_can_hold(
    hostile_build: Path, tmp_path: Path, fmt: str
) -> None:
    """GraphML and GEXF are XML 1.0, which cannot hold ESC or BEL even as a reference: those
    are written as escapes, the rest as it is. They were written raw (no XML reader took the
    file), and VT, FF and U+2028 came out as line breaks."""
    import networkx as nx

    target = tmp_path / f"export.{fmt}"
    result = invoke("export", "--format", fmt, "-o", str(target), "--build-dir", str(hostile_build))
    assert result.exit_code == 0
    graph = nx.read_graphml(target) if fmt == "graphml" else nx.read_gexf(target)
    texts = {str(value) for _, _, data in graph.edges(data=True) for value in data.values()}
    assert any(xml_text(ESCAPES) in text for text in texts)
    assert "\\x1b[31mred" in xml_text(ESCAPES) and "\u202e" in xml_text(ESCAPES)


# --- every input is checked before it is read --------------------------------------------------


def test_a_fifo_no_longer_hangs_the_build(articles: Path, tmp_path: Path) -> None:
    fifo = articles / "conditions" / "pipe.txt"
    os.mkfifo(fifo)
    run = run_medkg("build", str(articles), "--out", str(tmp_path / "build"))
    assert run.returncode == 3, run.stderr
    assert f"warning: {fifo}: is a FIFO (named pipe), not a regular file; skipped" in run.stderr
    assert "Traceback" not in run.stderr
    assert seed_graph_in(tmp_path / "build")


@pytest.mark.parametrize(
    ("follow", "message"),
    [
        ((), "is a link to /dev/zero, outside"),
        (("--follow-links",), "is a character device, not a regular file; skipped"),
    ],
)
def test_a_link_to_dev_zero_is_never_read(
    articles: Path, tmp_path: Path, follow: tuple[str, ...], message: str
) -> None:
    (articles / "conditions" / "zero.txt").symlink_to("/dev/zero")
    # a build's own address space peaks near 1.6 GB (threads, arenas, the store), so a 2 GB
    # cap made it flaky; 4 GB still stops a read of /dev/zero long before the host suffers
    run = run_medkg("build", str(articles), "--out", str(tmp_path / "build"), *follow, memory=2**32)
    assert run.returncode == 3, run.stderr
    assert message in run.stderr
    assert "Traceback" not in run.stderr
    assert seed_graph_in(tmp_path / "build")


def test_a_dangling_link_a_link_loop_and_a_folder_named_like_an_article_no_longer_stop_the_build(
    articles: Path, tmp_path: Path
) -> None:
    folder = articles / "conditions"
    (folder / "dangling.txt").symlink_to("nowhere.txt")
    (folder / "loop-a.txt").symlink_to("loop-b.txt")
    (folder / "loop-b.txt").symlink_to("loop-a.txt")
    (folder / "folder.txt").mkdir()
    result = build([articles], tmp_path / "build")
    assert result.ok and not result.errors
    assert sorted(p.name for p in result.skipped) == [
        "dangling.txt",
        "folder.txt",
        "loop-a.txt",
        "loop-b.txt",
    ]
    assert {
        f"{folder / 'dangling.txt'}: is a link that leads nowhere (No such file or directory); "
        "skipped",
        f"{folder / 'folder.txt'}: is a folder, not an article file; skipped",
        f"{folder / 'loop-a.txt'}: is a link in a loop of links; skipped",
    } <= set(result.warnings)
    assert seed_graph_in(tmp_path / "build")


def test_links_out_of_the_folder_are_followed_only_when_asked(
    articles: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copy(ANEMIA, elsewhere / "anemia.text")
    (articles / "conditions" / "anemia.txt").symlink_to(elsewhere / "anemia.text")
    inside = articles / "drafts" / "hypercalcemia.text"  # inside the folder, not an article name
    inside.parent.mkdir()
    shutil.copy(ROOT / "data" / "articles" / "conditions" / "hypercalcemia.txt", inside)
    (articles / "conditions" / "hypercalcemia.txt").symlink_to(inside)

    kept_out = build([articles], tmp_path / "build")
    assert [p.name for p in kept_out.skipped] == ["anemia.txt"]
    link = articles / "conditions" / "anemia.txt"
    outside = f"is a link to {elsewhere / 'anemia.text'}, outside {articles}"
    assert f"{link}: {outside} (follow it with --follow-links); skipped" in kept_out.warnings
    assert {u.article.title for u in kept_out.units} == {"Bone Metastasis", "Hypercalcemia"}

    followed = build([articles], tmp_path / "build", follow_links=True)
    assert not followed.skipped and not followed.errors
    assert {u.article.title for u in followed.units} == {"Anemia"}  # the rest from the cache
    assert followed.summary.articles == 3


def test_an_article_over_the_size_limit_is_skipped_and_never_read_whole(
    articles: Path, tmp_path: Path
) -> None:
    huge = articles / "conditions" / "huge.txt"
    with huge.open("w", encoding="utf-8") as handle:  # 5 MB of real article text
        handle.write("Huge Condition\n")
        while handle.tell() < 5_000_000:
            handle.write(seed_sections())
    result = build([articles], tmp_path / "build")
    assert result.ok and result.skipped == (huge,)
    limit = "more than 2,097,152; skipped (an article may hold more with --max-article-bytes)"
    assert f"{huge}: holds {huge.stat().st_size:,} bytes, {limit}" in result.warnings
    small = build([articles], tmp_path / "small", max_article_bytes=1000)
    assert {p.name for p in small.skipped} == {"huge.txt", SEED.name}
    assert small.summary.articles == 0


def test_the_size_limit_is_an_option_of_the_build_command(articles: Path, tmp_path: Path) -> None:
    out = tmp_path / "build"
    result = invoke("build", str(articles), "--out", str(out), "--max-article-bytes", "100")
    assert "more than 100; skipped" in result.output
    # every article skipped: an empty graph would say nothing, so nothing is published
    assert result.exit_code == 1
    assert "nothing was published" in result.output and not (out / "kg.ttl").exists()


def slow_extract(real: Callable[..., object]) -> Callable[..., object]:
    """``extract``, with a step that never ends for the article titled "Stuck": a real
    loop of Python code, which only the time limit can stop."""

    def extract_or_loop(article: Article, lexicon: object) -> object:
        while article.title == "Stuck":
            pass
        return real(article, lexicon)

    return extract_or_loop


@pytest.mark.parametrize("jobs", [1, 2])  # in this process, and in worker processes
def test_an_article_that_never_finishes_is_stopped_and_skipped(
    articles: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    write_article(articles / "conditions", "stuck.txt", article_text("Stuck", "always tired"))
    monkeypatch.setattr(units, "extract", slow_extract(extract))
    monkeypatch.setattr(units, "SMALL_BUILD", 1)  # two articles are enough for the workers
    # two seconds: ten times what the seed article takes, and never enough for the stuck one
    result = build([articles], tmp_path / "build", jobs=jobs, article_timeout=2)
    assert result.ok and not result.errors
    assert [p.name for p in result.skipped] == ["stuck.txt"]
    stuck = articles / "conditions" / "stuck.txt"
    limit = "more than 2 s; skipped (allow more with --article-timeout)"
    assert f"{stuck}: building it took {limit}" in result.warnings
    assert seed_graph_in(tmp_path / "build")


def test_an_article_too_long_to_build_in_time_is_skipped_by_the_command(
    articles: Path, tmp_path: Path
) -> None:
    # a megabyte of real article text: about 90 s of work, far more than the 3 s given (the
    # seed article takes a tenth of a second)
    write_article(articles / "conditions", "long.txt", "Long Condition\n" + seed_sections() * 200)
    out = tmp_path / "build"
    run = run_medkg("build", str(articles), "--out", str(out), "--article-timeout", "3")
    assert run.returncode == 3, run.stderr
    assert "long.txt: building it took more than 3 s; skipped (allow more with" in run.stderr
    assert "Traceback" not in run.stderr
    assert seed_graph_in(out)


# --- the last good graph survives -------------------------------------------------------------


def replace_with_fifo(path: Path) -> None:
    path.unlink()
    os.mkfifo(path)


def replace_with_link_to_dev_zero(path: Path) -> None:
    path.unlink()
    path.symlink_to("/dev/zero")


def replace_with_dangling_link(path: Path) -> None:
    path.unlink()
    path.symlink_to(path.with_name("gone.txt"))


def replace_with_folder(path: Path) -> None:
    path.unlink()
    path.mkdir()


def replace_with_huge_file(path: Path) -> None:
    path.write_bytes(b"Huge\n\n" + b"Fatigue. " * 300_000)


@pytest.mark.parametrize(
    "damage",
    [
        replace_with_fifo,
        replace_with_link_to_dev_zero,
        replace_with_dangling_link,
        replace_with_folder,
        replace_with_huge_file,
    ],
)
@pytest.mark.parametrize("full", [False, True])
def test_a_skipped_article_keeps_its_last_good_graph(
    articles: Path, tmp_path: Path, damage: Callable[[Path], None], full: bool
) -> None:
    out = tmp_path / "build"
    build([articles], out)
    before = {name: (out / name).read_bytes() for name in ("kg.nq", "kg.ttl", "kg.jsonld")}
    seed = articles / "conditions" / SEED.name
    damage(seed)
    result = build([articles], out, full=full)
    assert result.ok and result.skipped == (seed,)
    assert f"{seed}: kept its graph from the last good build" in result.warnings
    assert seed_graph_in(out)
    assert {name: (out / name).read_bytes() for name in before} == before


# --- messages name files safely; exit statuses ---------------------------------------------------


def test_file_names_cannot_forge_lines_or_terminal_escapes(articles: Path, tmp_path: Path) -> None:
    folder = articles / "conditions"
    forged = "evil\x1b[2J\nerror: forged line\u202e.txt"
    write_article(folder, forged, "Evil\n\nNo headings here at all.\n")
    os.mkfifo(folder / "pipe\r\x1b[31m.txt")
    run = run_medkg("build", str(articles), "--out", str(tmp_path / "build"))
    assert run.returncode == 3, run.stderr
    for raw in ("\x1b", "\r", "\u202e"):
        assert raw not in run.stderr
    assert not any(line.startswith("error: forged") for line in run.stderr.split("\n"))
    assert f"{folder}/evil\\x1b[2J\\nerror: forged line\\u202e.txt: no section" in run.stderr
    assert f"{folder}/pipe\\r\\x1b[31m.txt: is a FIFO" in run.stderr


def test_a_file_name_that_is_not_utf8_is_skipped_by_name(articles: Path, tmp_path: Path) -> None:
    name = os.fsdecode(b"caf\xe9.txt")
    write_article(articles / "conditions", name, article_text("Cafe Syndrome", "tired"))
    result = build([articles], tmp_path / "build")
    assert result.ok and [p.name for p in result.skipped] == [name]
    assert any("has a name that is not UTF-8" in warning for warning in result.warnings)
    run = run_medkg("build", str(articles), "--out", str(tmp_path / "build"))
    assert run.returncode == 3 and "caf\\udce9.txt: has a name that is not UTF-8" in run.stderr


def test_the_build_exits_0_when_everything_built(articles: Path, tmp_path: Path) -> None:
    run = run_medkg("build", str(articles), "--out", str(tmp_path / "build"))
    assert run.returncode == 0, run.stderr
    assert run.stderr.strip() == ""  # the progress display leaves an empty line


def test_the_build_exits_1_when_nothing_is_published(tmp_path: Path) -> None:
    run = run_medkg("build", str(tmp_path / "missing"), "--out", str(tmp_path / "build"))
    assert run.returncode == 1
    assert run.stderr.strip() == f"error: {tmp_path / 'missing'}: no such file or folder"
    assert not (tmp_path / "build").exists()


def test_the_build_help_explains_the_exit_statuses() -> None:
    result = invoke("build", "--help")
    assert "3  published, but some files were skipped or refused" in result.output
    assert "1  nothing published" in result.output
    assert "--max-article-bytes" in result.output and "--article-timeout" in result.output
    assert "--follow-links" in result.output


def test_finding_articles_never_raises_on_bad_entries(articles: Path) -> None:
    folder = articles / "conditions"
    (folder / "dangling.md").symlink_to("nowhere")
    (folder / "loop.txt").symlink_to("loop.txt")
    (folder / "folder.html").mkdir()
    os.mkfifo(folder / "pipe.txt")
    found = find_articles([articles])
    names = {path.name for path in found.paths}
    assert names == {SEED.name, "dangling.md", "loop.txt", "folder.html", "pipe.txt"}
    # a FIFO is found: reading checks what a file is (medkg.article.read_bytes)
    assert {path.name for path in found.skipped} == {"dangling.md", "loop.txt", "folder.html"}


def test_cards_views_and_result_pages_carry_any_text_escaped(hostile_build: Path) -> None:
    """The served pages of the articles whose text looks like markup and escapes: no crash,
    the text as it is (HTML-escaped), never as markup of the page."""
    import html
    import http.client
    import threading
    import urllib.parse

    from medkg.server import create_server

    server = create_server(hostile_build, port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]

    def get(path: str) -> tuple[int, str]:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            connection.request("GET", path, headers={"Accept": "text/html"})
            response = connection.getresponse()
            return response.status, response.read().decode("utf-8")
        finally:
            connection.close()

    try:
        query = f"SELECT ?sentence WHERE {{ ?s <{MEDKG.sentence}> ?sentence }}"
        pages = [
            get("/concept/fatigue"),
            get("/view/fatigue?depth=1"),
            get("/sparql?query=" + urllib.parse.quote(query)),
        ]
    finally:
        server.shutdown()
        server.server_close()
        server.service.executor.close()  # type: ignore[attr-defined]
    for status, page in pages:
        assert status == 200
        assert "<x>" not in page  # markup-like text never becomes markup
    card, view, results = (page for _, page in pages)
    assert html.escape(f"Fatigue: {MARKED_UP}", quote=False) in card
    assert html.escape(f"Fatigue: {ESCAPES}", quote=False) in results
    assert "\\u003cx\\u003e" in view  # the view's data: JSON that no text can end early
