"""Shared fixtures: the real graph, built once per test session from data/articles."""

import shutil
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from rdflib import Graph
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from medkg.build import BuildResult, build_dataset
from medkg.rdf import union

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT / "data" / "articles"
SEED = ARTICLES / "conditions" / "bone-metastasis.txt"


@pytest.fixture(scope="session")
def built() -> BuildResult:
    """The build of the shipped articles (nothing written to disk)."""
    return build_dataset([ARTICLES])


@pytest.fixture(scope="session")
def graph(built: BuildResult) -> Graph:
    """The union of all named graphs: what queries and traversal see."""
    return union(built.dataset)


@pytest.fixture(scope="session")
def seed_built() -> BuildResult:
    """The build of the seed article alone: exactly what that one page says."""
    return build_dataset([SEED])


@pytest.fixture(scope="session")
def seed_graph(seed_built: BuildResult) -> Graph:
    return union(seed_built.dataset)


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[webdriver.Chrome]:
    """Debian's chromium, headless, driven by Selenium through chromedriver."""
    if not (Path(CHROMIUM).is_file() and Path(CHROMEDRIVER).is_file()):
        pytest.skip("Debian's chromium and chromedriver are missing (make test installs them)")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        # the machine has no network: keep chromium from trying to reach Google
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,900",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})  # console, CSP reports
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    yield driver
    driver.quit()


class Canary:
    """A listener on loopback that records every request it receives: what a query must never
    reach. ``url`` is where it listens; ``received`` the paths it was asked for."""

    def __init__(self) -> None:
        self.received: list[str] = []
        record = self.received

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                record.append(self.path)
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_POST = do_GET

            def log_message(self, *args: object) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def heard(self, path: str) -> bool:
        time.sleep(0.3)  # give a request the time to arrive
        return any(received.startswith(path) for received in self.received)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def canary() -> Iterator[Canary]:
    listener = Canary()
    yield listener
    listener.close()


@pytest.fixture()
def quiet(canary: Canary) -> Iterator[str]:
    """The canary's URL; the test fails if anything reached it meanwhile."""
    canary.received.clear()
    yield canary.url
    time.sleep(0.3)  # give a stray request the time to arrive
    assert canary.received == []
