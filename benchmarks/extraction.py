"""CPU time of extraction per article, today's extractor beside a baseline commit's.

    .venv/bin/python benchmarks/extraction.py --baseline 106b0ec data/articles tests/blind/dev

Each extractor runs in a child process of its own (the baseline from a git worktree of the
commit, with this virtual environment's packages): the articles are parsed first, then
``extract`` runs over all of them ``--rounds`` times; the figure is the process CPU time of
the best round divided by the number of articles. Loading the lexicon and the vocabularies
happens once, before the rounds, and is reported apart.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = """
import json, sys, time
from pathlib import Path
from medkg.build import discover, read_articles
from medkg.extract import extract
from medkg.resources import REGISTRY
from medkg.terminology import Lexicon, load_registry
paths, rounds = [Path(p) for p in sys.argv[1].split(",")], int(sys.argv[2])
start = time.process_time()
lexicon = Lexicon(load_registry(REGISTRY))
articles, _, _ = read_articles(discover(paths))
extract(articles[0], lexicon)  # loads what extraction loads once (vocabularies, models)
setup = time.process_time() - start
best = float("inf")
for _ in range(rounds):
    start = time.process_time()
    for article in articles:
        extract(article, lexicon)
    best = min(best, time.process_time() - start)
per_article = 1000 * best / len(articles)
print(json.dumps({"articles": len(articles), "setup_s": setup, "per_article_ms": per_article}))
"""


def measure(src: Path, paths: list[str], rounds: int) -> dict[str, float]:
    result = subprocess.run(
        [sys.executable, "-c", CHILD, ",".join(paths), str(rounds)],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(src), "PATH": "/usr/bin:/bin"},
    )
    return json.loads(result.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--baseline", required=True, help="the commit to compare with")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        worktree = Path(folder) / "baseline"
        subprocess.run(
            [
                "git",
                "-C",
                str(ROOT),
                "worktree",
                "add",
                "--detach",
                "-q",
                str(worktree),
                args.baseline,
            ],
            check=True,
        )
        try:
            paths = [str(Path(p).resolve()) for p in args.paths]
            baseline = measure(worktree / "src", paths, args.rounds)
            today = measure(ROOT / "src", paths, args.rounds)
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(worktree)])
    ratio = today["per_article_ms"] / baseline["per_article_ms"]
    print("| extractor | articles | CPU per article | setup (lexicon, vocabularies) |")
    print("|---|---|---|---|")
    for name, row in ((f"baseline {args.baseline}", baseline), ("today", today)):
        print(
            f"| {name} | {row['articles']:.0f} | {row['per_article_ms']:.1f} ms "
            f"| {row['setup_s']:.2f} s |"
        )
    print(f"\ntoday / baseline: {ratio:.2f}x CPU per article")


if __name__ == "__main__":
    main()
