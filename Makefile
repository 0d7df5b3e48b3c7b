# Relance — the two commands a newcomer needs are `make demo` and `make test`.
# Every target bootstraps first (idempotent, under a second when already done).
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
ENV := source .deps/env.sh &&

.PHONY: bootstrap build test api-check demo bench broker-start broker-stop clean

bootstrap:
	@Deploy/local/bootstrap.sh

## Debug build of everything, tests included.
build: bootstrap
	@$(ENV) swift build --build-tests

## All tests: starts a broker on a free loopback port, runs `swift test`, then the API check
## on the same broker, stops the broker.
test: build
	@Deploy/local/run-tests.sh

## Every service's HTTP API against its OpenAPI document (schemathesis): see
## Deploy/local/api-check.sh; accepted failures are listed in Deploy/local/api-check-allowlist.
api-check: build
	@Deploy/local/api-check.sh

## The whole local stack on its embedded defaults, with a short scripted scenario.
demo: bootstrap
	@$(ENV) swift build
	@Deploy/local/demo.sh

## Benchmarks (release build); prints tables.
bench: bootstrap
	@$(ENV) swift build -c release --scratch-path .build-bench --product relance-bench
	@$(ENV) swift build -c release --scratch-path .build-bench --product relance-invoicing-bench
	@$(ENV) swift build -c release --scratch-path .build-bench --product relance-matching-bench
	@$(ENV) swift build -c release --scratch-path .build-bench --product relance-scheduler-bench
	@$(ENV) swift build -c release --scratch-path .build-bench --product notification
	@$(ENV) swift build -c release --scratch-path .build-bench --product relance-notification-bench
	@Deploy/local/run-bench.sh

broker-start: bootstrap
	@Deploy/local/broker-start.sh $${PORT:-9092}

broker-stop:
	@Deploy/local/broker-stop.sh

clean:
	rm -rf .build .data
