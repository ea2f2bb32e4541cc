# Kinesis Playground. Two commands on a fresh machine:
#   make serve   install what is missing, build the site, serve it on http://127.0.0.1:8080
#   make test    install what is missing, then every check CI runs, in order
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

# npm's binaryen comes first: trunk must find wasm-opt 132, never an older system one.
export PATH := $(CURDIR)/e2e/node_modules/.bin:$(or $(CARGO_HOME),$(HOME)/.cargo)/bin:$(PATH)
# wasm-bindgen-test-runner drives Debian's Chromium through this driver.
export CHROMEDRIVER ?= /usr/bin/chromedriver
export WASM_BINDGEN_TEST_TIMEOUT ?= 120

WASM := --target wasm32-unknown-unknown
# The release bundle's budget: wasm + js, gzip -9, 300 KB.
BUDGET := 307200
PORT ?= 8080

.PHONY: help serve test dist tools browser-tools fmt clippy test-native test-wasm e2e bench bench-compare bench-web bench-wasm size budget soak snapshots docs

help:
	@echo "make serve   build the site and serve it on http://127.0.0.1:$(PORT)"
	@echo "make test    format, lint, native tests, browser tests, end-to-end tests"
	@echo "make dist    release build of the static site into dist/"
	@echo "make bench   criterion benchmarks of the model"
	@echo "make bench-compare  the engine benchmarks beside the engine before the engine work, case by case (ROUNDS, default 3)"
	@echo "make bench-web  frame time and first chart in headless Chromium, the model's speed in wasm"
	@echo "make bench-wasm  the model natively against wasm in Chromium, case by case (ROUNDS, default 3)"
	@echo "make size    gzip size of the release bundle (wasm + js)"
	@echo "make budget  fail when the release bundle is over its 300 KB budget"
	@echo "make soak    the property tests on many more random configs (PROPTEST_CASES, default 5000)"
	@echo "make snapshots  rewrite the preset snapshots in tests/snapshots/ after a meant change"
	@echo "make docs    rewrite docs/config.md from the settings table"

tools:
	@bash scripts/bootstrap.sh build

browser-tools:
	@bash scripts/bootstrap.sh browser

dist: tools
	trunk build --release --skip-version-check

serve: dist
	@echo "Kinesis Playground on http://127.0.0.1:$(PORT)/ (Ctrl-C stops)"
	python3 -m http.server $(PORT) --bind 127.0.0.1 --directory dist

fmt:
	cargo fmt --all --check

clippy:
	cargo clippy --all-targets -- -D warnings
	cargo clippy --all-targets $(WASM) -- -D warnings

# Unit, integration and documentation tests. A snapshot that differs fails and nothing is
# written (INSTA_UPDATE=no); `make snapshots` rewrites them.
test-native:
	INSTA_UPDATE=no INSTA_FORCE_PASS=0 cargo test --lib --bins --tests
	cargo test --doc

test-wasm: browser-tools
	cargo test $(WASM)

e2e: dist browser-tools
	node --test --test-reporter=spec e2e/

test: tools browser-tools
	$(MAKE) --no-print-directory fmt
	$(MAKE) --no-print-directory clippy
	$(MAKE) --no-print-directory test-native
	$(MAKE) --no-print-directory test-wasm
	$(MAKE) --no-print-directory e2e
	$(MAKE) --no-print-directory budget

bench:
	cargo bench --bench model
	cargo bench --bench engine
	cargo bench --bench page

# The engine benchmarks on the engine before the engine work and on this checkout, case
# by case (REV=<commit> compares with another one; ROUNDS, default 3).
bench-compare:
	bash scripts/bench-compare.sh $(or $(REV),1c8c950) 5 $(or $(ROUNDS),3)

# The property tests of tests/properties.rs on many more random configs than `make test`
# checks (PROPTEST_RNG_SEED=N draws other ones).
soak:
	PROPTEST_CASES=$${PROPTEST_CASES:-5000} cargo test --test properties -- --nocapture

snapshots:
	INSTA_UPDATE=always cargo test --test snapshots

# docs/config.md from the settings table (a test fails while they differ).
docs:
	UPDATE_DOCS=1 cargo test --test config_fields docs_config_md_is_the_table

# Frame time of the built page in headless Chromium, how soon its first chart is drawn,
# and the model's speed in wasm.
bench-web: dist browser-tools
	node e2e/bench-frames.mjs
	node e2e/bench-first-chart.mjs
	WASM_BINDGEN_TEST_TIMEOUT=1800 cargo test --release $(WASM) --test web_speed -- --nocapture --include-ignored

# The engine benchmarks natively and in headless Chromium, alternating case by case, with
# the ratio of each pair.
bench-wasm: browser-tools
	bash scripts/bench-wasm.sh $(or $(ROUNDS),3)

size: dist
	@bash scripts/bundle-size.sh dist

# Fails when the release bundle is over its budget.
budget: dist
	@bash scripts/bundle-size.sh dist $(BUDGET)
