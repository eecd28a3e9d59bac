# Two commands set everything up on a fresh machine: `make demo` and `make test`.
VENV := .venv
PY := $(VENV)/bin/python
MEDKG := $(VENV)/bin/medkg
STAMP := $(VENV)/.installed

.PHONY: demo test lint build serve browser jena virtuoso bench bench-load clean

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

build: $(STAMP)
	$(MEDKG) build

demo: build
	$(MEDKG) queries
	$(MEDKG) query symptoms-of -p condition="bone metastasis"
	$(MEDKG) query diagnostic-procedures-for -p condition="bone metastasis"
	$(MEDKG) show mri
	$(MEDKG) path "breast cancer" fatigue
	$(MEDKG) path "prostate cancer" "spinal cord compression" --limit 3
	$(MEDKG) query conditions-with-symptom -p symptom="bone pain"
	$(MEDKG) stats
	$(MEDKG) differential "bone pain" fatigue fracture -k 5
	$(MEDKG) similar "bone metastasis" --by procedures -k 4
	$(MEDKG) hubs -k 5
	$(MEDKG) plot
	$(MEDKG) view "bone metastasis" -o data/build/view-bone-metastasis.html
	$(MEDKG) eval data/articles --gold tests/gold
	@echo "next: make serve, then open http://127.0.0.1:7878/"

# Speed and memory at 100 and 1,000 articles (not part of make test); see benchmarks/README.md.
bench: $(STAMP)
	$(PY) benchmarks/run.py --sizes 100 1000 --out benchmarks/latest.md

# The endpoint under 16 clients beside Oxigraph's own server (not part of make test): Debian's
# wrk and the authors' oxigraph server from PyPI, installed where missing.
bench-load: build
	@command -v wrk >/dev/null || { SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq wrk >/dev/null; }
	@test -x $(VENV)/bin/oxigraph || $(PY) -m pip install --quiet \
	  "oxigraph==$$($(PY) -c 'import pyoxigraph; print(pyoxigraph.__version__)')"
	$(PY) benchmarks/load.py data/build

serve: build
	$(MEDKG) serve

# The browser tests drive Debian's chromium through chromedriver; install them where missing.
browser:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || { \
	  SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium chromium-driver \
	  >/dev/null; } || echo "warning: could not install chromium; the browser tests will skip"

# The N-Quads round trip loads the export into Apache Jena's TDB2 and queries it there: install
# Debian's Jena (and a Java runtime, if there is none) where missing.
jena:
	@{ test -f /usr/share/java/jena-tdb2.jar && command -v java >/dev/null; } || { \
	  SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
	  JRE=$$(command -v java >/dev/null || echo default-jre-headless); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq libapache-jena-java $$JRE \
	  >/dev/null; } || echo "warning: could not install Apache Jena; the Jena tests will skip"

# tests/test_push.py starts its own Virtuoso (own ports and database) from Debian's server binary;
# the -bin package alone has no debconf questions and no system service on ports 1111/8890.
virtuoso:
	@command -v virtuoso-t >/dev/null || { \
	  SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq virtuoso-opensource-7-bin \
	  >/dev/null; } || echo "warning: could not install Virtuoso; the push tests will skip"

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests
	$(VENV)/bin/ruff format --check src tests
	$(VENV)/bin/mypy

test: $(STAMP) lint browser jena virtuoso
	$(VENV)/bin/pytest

clean:
	rm -rf data/build .pytest_cache .mypy_cache .ruff_cache
