# Tryg Geo: `make dashboard` and `make test` are all a new user needs.
VENV      ?= .venv
PY        := $(VENV)/bin/python
SYSPY     ?= python3
CHROMIUM  ?= /usr/bin/chromium
PORT      ?= 8501

.PHONY: dashboard test venv demo-data chromium poppler nginx system-packages lint format bench load load-browser screens deploy-test clean

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

# Debian packages the tests and tools use, installed with one `apt-get update` for whatever is
# missing: Chromium (browser tests; Playwright never downloads a browser of its own), nginx (the
# reverse proxy of deploy/nginx, run by the tests on 127.0.0.1 with their own configuration) and
# poppler-utils (`pdftoppm`, the deck's PDF pages as PNGs for `make screens`).
CHROMIUM_PKG := $(if $(wildcard $(CHROMIUM)),,chromium)
NGINX ?= /usr/sbin/nginx
NGINX_PKG    := $(if $(wildcard $(NGINX)),,nginx)
POPPLER_PKG  := $(if $(shell command -v pdftoppm),,poppler-utils)
APT = $(if $(filter 0,$(shell id -u)),,sudo) env DEBIAN_FRONTEND=noninteractive apt-get
define apt_install
	@if [ -n "$(strip $(1))" ]; then $(APT) update -qq && $(APT) install -y -qq $(1); fi
endef

chromium:
	$(call apt_install,$(CHROMIUM_PKG))

nginx:
	$(call apt_install,$(NGINX_PKG))

poppler:
	$(call apt_install,$(POPPLER_PKG))

# What `make test` needs from Debian, in one go.
system-packages:
	$(call apt_install,$(CHROMIUM_PKG) $(NGINX_PKG))

lint: venv
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: venv
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

# Two workers (pytest-xdist): the tests that share Chromium run together on one of them
# (tests/conftest.py groups them), the rest spread over both.
TEST_WORKERS ?= 2
test: venv system-packages lint
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadgroup

bench: venv
	$(PY) -m bench.run

# 20 simulated users speaking Streamlit's websocket protocol (no browsers) for 120 s.
load: venv
	$(PY) -m bench.ws_load

# A small smoke load with real browsers: 3 Chromium contexts for 60 s.
load-browser: venv chromium
	$(PY) -m bench.load --users 3 --seconds 60

# Every page (demo data, then after a police CSV import) and every slide as PNGs in
# test-artifacts/screens/, for a reviewer to look at; not part of `make test`.
screens: venv chromium poppler
	$(PY) -m bench.screens

# README "Drift" on this machine: nginx + TLS (trustme) + 2 replicas with sign-in
# (oidc-provider-mock), Chromium signs in, 40 protocol users for 120 s, one replica stopped
# half-way, an import seen by the other replica. All on 127.0.0.1; about 5 minutes.
deploy-test: venv chromium nginx
	$(PY) -m bench.deploy_test

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-artifacts
