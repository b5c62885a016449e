# Tryg Geo: `make dashboard` and `make test` are all a new user needs.
VENV      ?= .venv
PY        := $(VENV)/bin/python
SYSPY     ?= python3
CHROMIUM  ?= /usr/bin/chromium
PORT      ?= 8501

.PHONY: dashboard test venv demo-data chromium lint format bench load clean

$(VENV)/.installed: requirements.txt
	$(SYSPY) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

venv: $(VENV)/.installed

# Demo data only when the data folder holds nothing yet: a user's own imports are never replaced.
demo-data: venv
	$(PY) -m tryg_geo demo --if-empty

dashboard: venv demo-data
	$(PY) serve.py --server.port $(PORT)

# Browser tests use Debian's Chromium; Playwright never downloads a browser of its own.
chromium:
	@test -x $(CHROMIUM) || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; fi; }

lint: venv
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: venv
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

test: venv chromium lint
	$(PY) -m pytest

bench: venv
	$(PY) -m bench.run

load: venv chromium
	$(PY) -m bench.load

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-artifacts
