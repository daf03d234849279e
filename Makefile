# CivicTags — see README.md. `make demo` and `make test` are the two commands that matter.
SWIFT ?= swift
SHELL := /bin/bash

# System libraries the build links against.
DEB_BUILD := pkg-config libqrencode-dev libnfc-dev libhpdf-dev libcairo2-dev fonts-dejavu-core
# Real tools the tests check our output with.
DEB_TEST := zbar-tools poppler-utils ghostscript postgresql
# PyPI packages the tests use, as import-name=package-name.
PIP_TEST := ndef=ndeflib
# transit (issue 6): protobuf-compiler is only for regenerating the committed GTFS-RT Swift file; chromium
# renders the stop page; gtfs-realtime-bindings produces GTFS-RT feeds for the poller tests.
DEB_TEST += chromium
PIP_TEST += google.transit.gtfs_realtime_pb2=gtfs-realtime-bindings
# Peers the benchmarks compare against.
DEB_BENCH := qrencode wrk nginx
PIP_BENCH := segno=segno

.PHONY: deps deps-test deps-bench build test demo bench clean

deps:
	@scripts/deps.sh --deb $(DEB_BUILD)

deps-test: deps
	@scripts/deps.sh --deb $(DEB_TEST) --pip $(PIP_TEST)

deps-bench: deps
	@scripts/deps.sh --deb $(DEB_BENCH) --pip $(PIP_BENCH)

build: deps
	$(SWIFT) build

test: deps-test
	scripts/test.sh

demo: deps
	scripts/demo.sh

bench: deps-bench
	scripts/bench.sh

clean:
	rm -rf .build
