# CivicTags — see README.md. `make demo` and `make test` are the two commands that matter.
SWIFT ?= swift
SHELL := /bin/bash

# System libraries the build links against.
DEB_BUILD := curl pkg-config libqrencode-dev libnfc-dev libhpdf-dev libcairo2-dev fonts-dejavu-core
# Real tools the tests check our output with.
DEB_TEST := zbar-tools poppler-utils ghostscript postgresql libnfc-bin
# PyPI packages the tests use, as import-name=package-name.
PIP_TEST := ndef=ndeflib
# transit (issue 6): chromium renders the stop page; gtfs-realtime-bindings writes the GTFS-RT feeds the
# poller tests read. (protobuf-compiler is only needed to regenerate the committed gtfs-realtime.pb.swift.)
DEB_TEST += chromium
PIP_TEST += google.transit.gtfs_realtime_pb2=gtfs-realtime-bindings
# Peers the benchmarks compare against.
DEB_BENCH := qrencode wrk nginx
PIP_BENCH := segno=segno
# transit (issue 6): /usr/bin/time -v for import peak memory.
DEB_BENCH += time

# QR (issue 2)
DEB_TEST += zbar-tools poppler-utils ghostscript librsvg2-bin

.PHONY: deps deps-test deps-bench build test demo bench fuzz clean

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

# libFuzzer over the NDEF and Type 2 TLV decoders; FUZZ_TIME seconds (default 60).
FUZZ_TIME ?= 60
fuzz:
	FUZZ_TIME=$(FUZZ_TIME) scripts/fuzz-ndef.sh

clean:
	rm -rf .build
