"""The query page and a concept card in a real browser: Debian's chromium, headless, driven by
Selenium through chromedriver. `make test` installs both where they are missing."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait

from medkg.build import BuildResult
from medkg.server import create_server
from medkg.store import write_store


@pytest.fixture(scope="module")
def site(seed_built: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    build_dir = tmp_path_factory.mktemp("site")
    write_store(seed_built.dataset, build_dir)
    server: ThreadingHTTPServer = create_server(build_dir, port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    server.service.executor.close()  # type: ignore[attr-defined]


def _wait(browser: webdriver.Chrome, condition: object, seconds: float = 20) -> object:
    return WebDriverWait(browser, seconds).until(condition)  # type: ignore[arg-type]


def test_query_page_runs_a_typed_query_and_shows_the_table(
    site: str, browser: webdriver.Chrome, tmp_path: Path
) -> None:
    browser.get(site + "/")
    editor = browser.find_element(By.ID, "query")
    editor.clear()
    editor.send_keys(
        "PREFIX medkg: <https://w3id.org/medkg/ontology#>\n"
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
        'SELECT ?symptom ?iri WHERE { ?c skos:prefLabel "bone metastasis"@en ; '
        "medkg:hasSymptom ?iri . ?iri skos:prefLabel ?symptom } ORDER BY ?symptom"
    )
    browser.find_element(By.ID, "run").click()
    _wait(browser, expected_conditions.text_to_be_present_in_element((By.ID, "status"), "row(s)"))
    headers = [th.text for th in browser.find_elements(By.CSS_SELECTOR, "#results thead th")]
    rows = browser.find_elements(By.CSS_SELECTOR, "#results tbody tr")
    symptoms = [row.find_elements(By.TAG_NAME, "td")[0].text for row in rows]
    assert headers == ["symptom", "iri"]
    assert "bone pain" in symptoms and "fatigue" in symptoms
    assert symptoms == sorted(symptoms)
    link = rows[0].find_element(By.TAG_NAME, "a")
    assert link.get_attribute("href").startswith(site + "/concept/")
    assert browser.find_element(By.ID, "status").text == f"{len(rows)} row(s)"
    screenshot = tmp_path / "query-page.png"
    assert browser.save_screenshot(str(screenshot)) and screenshot.stat().st_size > 10_000


def test_named_query_examples_fill_the_editor_and_run(site: str, browser: webdriver.Chrome) -> None:
    browser.get(site + "/")
    _wait(browser, lambda b: len(Select(b.find_element(By.ID, "examples")).options) > 5)
    Select(browser.find_element(By.ID, "examples")).select_by_value("treatments-for")
    assert 'VALUES ?condition { "bone metastasis" }' in browser.find_element(
        By.ID, "query"
    ).get_attribute("value")
    browser.find_element(By.ID, "run").click()
    _wait(browser, expected_conditions.text_to_be_present_in_element((By.ID, "status"), "row(s)"))
    cells = [td.text for td in browser.find_elements(By.CSS_SELECTOR, "#results tbody td")]
    assert "radiation therapy" in cells


def test_a_syntax_error_is_shown_not_a_table(site: str, browser: webdriver.Chrome) -> None:
    browser.get(site + "/")
    editor = browser.find_element(By.ID, "query")
    editor.clear()
    editor.send_keys("SELECT * WHERE {")
    browser.find_element(By.ID, "run").click()
    _wait(browser, expected_conditions.text_to_be_present_in_element((By.ID, "status"), "400"))
    assert browser.find_elements(By.CSS_SELECTOR, "#results tbody tr") == []


def test_concept_card_in_the_browser(site: str, browser: webdriver.Chrome, tmp_path: Path) -> None:
    browser.get(site + "/concept/bone-pain")
    assert browser.find_element(By.TAG_NAME, "h1").text == "bone pain"
    page = browser.find_element(By.TAG_NAME, "main").text
    assert "HP:0002653" in page
    assert "Bone pain is often the first symptom of bone metastasis" in page
    browser.find_element(By.LINK_TEXT, "bone metastasis").click()
    _wait(browser, expected_conditions.url_contains("/concept/bone-metastasis"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "bone metastasis"
    screenshot = tmp_path / "concept-card.png"
    assert browser.save_screenshot(str(screenshot)) and screenshot.stat().st_size > 10_000
