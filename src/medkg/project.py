"""Where a project's articles and build are: found from the working directory, as git finds
its repository.

A medkg project is a folder with ``data/articles`` (its articles) and ``data/build`` (its last
good build), the layout of this repository. A command run anywhere inside a project uses the
nearest folder, from the working directory up, that has either; outside any project the
working directory is the project. ``MEDKG_BUILD_DIR`` names another build folder for every
command, and ``--out`` / ``--build-dir`` name one for a single command.
"""

import os
from pathlib import Path

BUILD_DIR_VARIABLE = "MEDKG_BUILD_DIR"


class NoArticles(FileNotFoundError):
    """A build named no articles and its project has no ``data/articles``."""


def root(start: Path | None = None) -> Path:
    """The nearest folder from ``start`` (default: the working directory) up that holds
    ``data/build`` or ``data/articles``; ``start`` itself when none does."""
    here = (start or Path.cwd()).absolute()
    for folder in (here, *here.parents):
        if (folder / "data" / "build").is_dir() or (folder / "data" / "articles").is_dir():
            return folder
    return here


def build_dir() -> Path:
    """The build folder commands read and write unless told otherwise."""
    named = os.environ.get(BUILD_DIR_VARIABLE)
    return Path(named) if named else root() / "data" / "build"


def articles_dir() -> Path:
    """The project's articles, for a build or an evaluation that names none.

    Raises:
        NoArticles: when the project has no ``data/articles``.
    """
    folder = root() / "data" / "articles"
    if not folder.is_dir():
        raise NoArticles(
            f"no articles named, and no data/articles in {Path.cwd().absolute()} or above it: "
            "give the folders or files to read"
        )
    return folder
