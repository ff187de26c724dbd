# The index of what a developer does. `make help` lists the targets.
SHELL := /bin/bash
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# iproute2 and util-linux: the tests that make network and mount namespaces (unshare, ip);
# bsdutils: `script`, the pseudo-terminal of the progress-bar test; postgresql: the server of the
# throwaway cluster the tests run beside (scripts/with-postgres.sh).
APT_PACKAGES := libcurl4-openssl-dev libxml2-dev libopenblas0-pthread libsqlite3-dev zlib1g-dev pkg-config python3 python3-venv iproute2 util-linux bsdutils postgresql
MARQUEE := .build/debug/marquee
BENCH_VENV := .venv-bench
TEST_VENV := .venv-test
# ZenML in its own venv: its pins (SQLAlchemy, pydantic) stay apart from onnx and tritonclient.
ZENML_VENV := .venv-zenml
AIRFLOW_VENV := .venv-airflow

.PHONY: help setup build test docs install demo bench bench-html bench-store bench-ml bench-rankers bench-serve bench-crawl bench-parse bench-entities bench-scale bench-scrape bench-crawl-shared bench-dataset-postgres bench-publish fuzz leakcheck fmt lint clean regen-onnx

help:
	@echo "make setup      install the system libraries (apt), the test venvs ($(TEST_VENV), $(ZENML_VENV), $(AIRFLOW_VENV)) and resolve Swift packages"
	@echo "make build      debug build of the package"
	@echo "make test       the whole test suite (beside a throwaway PostgreSQL on loopback), then the library example (Examples/notebook) and the docs, offline"
	@echo "make demo       the main job on bundled fixtures, offline"
	@echo "make docs       DocC archives of every library (docs/api/NAME.doccarchive); fails on any documentation warning"
	@echo "make install    release build into PREFIX/bin (default /usr/local) with its specs, views, pipelines and demo data in PREFIX/share/marquee"
	@echo "make bench      every benchmark against its peer (creates $(BENCH_VENV)); or bench-html, bench-store, bench-ml, bench-rankers (implicit ALS/BPR, Cornac EASE on one split), bench-serve, bench-crawl, bench-crawl-shared (1/2/4 workers on a PostgreSQL frontier), bench-dataset-postgres (store copy, dataset build on PostgreSQL vs SQLite), bench-entities (matcher precision/recall), bench-publish (marquee publish vs aws s3 cp on SeaweedFS); bench-scrape (scrape --replay vs reparse); bench-scale (1M/5M/20M synthetic ratings)"
	@echo "make fuzz       every libFuzzer harness (Fuzz/) for SECONDS seconds each (default 60); fails on a crash, leak or timeout"
	@echo "make leakcheck  parse every real page repeatedly under valgrind; fails on a leak"
	@echo "make fmt        format the sources with swift-format"

setup:
	$(SUDO) apt-get update -qq
	$(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(APT_PACKAGES)
	[ -x $(TEST_VENV)/bin/python ] || python3 -m venv $(TEST_VENV)
	$(TEST_VENV)/bin/pip install -q --disable-pip-version-check -r requirements-test.txt
	[ -x $(ZENML_VENV)/bin/python ] || python3 -m venv $(ZENML_VENV)
	$(ZENML_VENV)/bin/pip install -q --disable-pip-version-check -r requirements-zenml.txt
	[ -x $(AIRFLOW_VENV)/bin/python ] || python3 -m venv $(AIRFLOW_VENV)
	$(AIRFLOW_VENV)/bin/pip install -q --disable-pip-version-check -r requirements-airflow.txt
	swift package resolve

build:
	swift build

# The suite runs beside a throwaway PostgreSQL cluster on loopback (scripts/with-postgres.sh).
test:
	bash scripts/with-postgres.sh swift test
	python3 scripts/doc-snippets.py --check
	swift run --package-path Examples/notebook
	$(MAKE) docs

LIBRARIES := MarqueeCore MarqueeHTML MarqueeNormalize MarqueeStore MarqueeFetch MarqueeML MarqueeExport MarqueeScrape MarqueePipeline MarqueePostgres MarqueeObjectStore

# Every library's DocC archive, from its catalog (Sources/NAME/NAME.docc) and its /// comments;
# a broken symbol link or an undocumented parameter is an error. The articles' code blocks are
# compiled by the Examples/notebook build (scripts/doc-snippets.py).
docs:
	python3 scripts/doc-snippets.py
	mkdir -p docs/api
	for library in $(LIBRARIES); do \
	  swift package --allow-writing-to-directory docs/api generate-documentation --target $$library \
	    --output-path docs/api/$$library.doccarchive --warnings-as-errors --transform-for-static-hosting || exit 1; \
	done

PREFIX ?= /usr/local

install:
	swift build -c release
	bash scripts/install.sh $(PREFIX) .build/release/marquee

demo: build
	@bash scripts/demo.sh $(MARQUEE)

bench: bench-html bench-store bench-dataset bench-ml bench-rankers bench-serve bench-crawl bench-parse bench-entities bench-scrape

bench-html:
	@bash Benchmarks/run.sh $(BENCH_VENV)

bench-entities:
	swift run -c release --package-path Benchmarks entity-bench "$(CURDIR)" "$(CURDIR)/../shared/realpages"

bench-scrape:
	@bash Benchmarks/scrape/run.sh

bench-parse:
	@bash Benchmarks/parse/run.sh $(BENCH_VENV)

# Marquee's rankers vs implicit (ALS, BPR, cosine) and Cornac (EASE) on one fixed split.
bench-rankers:
	@bash Benchmarks/ml/rankers.sh $(BENCH_VENV)

bench-publish:
	@bash Benchmarks/objectstore/publish.sh $(BENCH_VENV)

bench-store:
	@bash Benchmarks/store/run.sh $(BENCH_VENV)

bench-dataset:
	@command -v bc >/dev/null || $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bc
	@bash Benchmarks/dataset/run.sh $(BENCH_VENV)

bench-ml:
	@bash Benchmarks/ml/run.sh $(BENCH_VENV)

# Not in `make bench` (20M ratings take a while): SCALE_SIZES="1000000 5000000" for a quicker curve.
bench-scale:
	@command -v bc >/dev/null && [ -x /usr/bin/time ] || $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time bc
	@bash Benchmarks/scale/run.sh

# store copy and dataset build on PostgreSQL vs SQLite (a throwaway cluster), ml-latest-small.
bench-dataset-postgres:
	@bash scripts/with-postgres.sh bash Benchmarks/dataset/postgres.sh

# 1, 2 and 4 crawl workers sharing one PostgreSQL frontier (a throwaway cluster), and the shared pace.
bench-crawl-shared:
	@bash scripts/with-postgres.sh bash Benchmarks/crawl/shared.sh

bench-crawl:
	@command -v nginx >/dev/null && [ -x /usr/bin/time ] || $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx time
	@bash Benchmarks/crawl/run.sh $(BENCH_VENV)

bench-serve:
	@command -v wrk >/dev/null || $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk
	@bash Benchmarks/serve/run.sh $(TEST_VENV)

fuzz: build
	@SECONDS_PER_HARNESS=$(or $(SECONDS),60) bash scripts/fuzz.sh

leakcheck:
	@bash scripts/leakcheck.sh

fmt:
	swift format --in-place --recursive Sources Tests Benchmarks/Sources Package.swift

lint:
	swift format lint --recursive Sources Tests

regen-onnx:
	@bash scripts/regen-onnx.sh

clean:
	rm -rf .build Benchmarks/.build $(BENCH_VENV) $(TEST_VENV)
