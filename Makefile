# One command for each habit: make setup, make run, make test, make lint, make bench, make dist.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
DEBS := espeak-ng flite sox portaudio19-dev tmux
STAMP := $(VENV)/.installed

.PHONY: setup run test lint bench dist clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	@missing=""; for p in $(DEBS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" -ne 0 ] && SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi
	@test -x $(PY) || python3.11 -m venv $(VENV) 2>/dev/null || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test,bench]'
	$(PY) -m allvoice.speech.asr.whisper_model
	@touch $(STAMP)

run: setup
	$(VENV)/bin/allvoice $(ARGS)

test: setup
	$(PY) -m pytest -q $(PYTEST_ARGS)

lint: setup
	$(VENV)/bin/ruff check allvoice tests benchmarks
	$(VENV)/bin/mypy

bench: setup
	$(PY) -m benchmarks.run

# A source archive and, built from it, a wheel that carries the ALL pack: in dist/.
dist: setup
	rm -rf dist
	$(PY) -m build --outdir dist .

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache dist build
