# CivicTags — see README.md. `make demo` and `make test` are the two commands that matter.
SWIFT ?= swift
SHELL := /bin/bash

# System libraries the build links against, and Leaflet (the console serves its files from /usr/share/javascript).
DEB_BUILD := curl pkg-config libqrencode-dev libnfc-dev libhpdf-dev libcairo2-dev libvips-dev libsodium-dev libjs-leaflet fonts-dejavu-core
# Real tools the tests check our output with: zbarimg, pdftoppm, ghostscript and rsvg-convert read the printed
# codes back, chromium renders the stop page, PostgreSQL is the second registry backend, libnfc-bin's tools
# are the second NFC client; exiftool, vips and heif-enc make and read the report photos' metadata. python3-venv
# makes the project venv (.venv) the PyPI packages go into.
# (protobuf-compiler is only needed to regenerate the committed gtfs-realtime.pb.swift.)
DEB_TEST := zbar-tools poppler-utils ghostscript librsvg2-bin postgresql libnfc-bin chromium python3-venv \
  libimage-exiftool-perl libvips-tools libheif-examples chromium-driver
# PyPI packages the tests use, as import-name=package-name: ndeflib decodes our NDEF, gtfs-realtime-bindings
# writes the GTFS-RT feeds the poller tests read; icalendar + recurring-ical-events, lxml (CAP XSD), shapely and
# feedparser check the civic formats, recurrence and areas; selenium drives Chromium through the report form and
# the console, selenium-axe-python brings axe-core for the console's accessibility checks; cryptography's AES and
# AES-CMAC make NTAG 424 DNA secure links independently of the Swift code (scripts/sun_urls.py).
PIP_TEST := ndef=ndeflib google.transit.gtfs_realtime_pb2=gtfs-realtime-bindings icalendar=icalendar \
  recurring_ical_events=recurring-ical-events lxml=lxml shapely=shapely feedparser=feedparser selenium=selenium \
  selenium_axe_python=selenium-axe-python cryptography=cryptography
# Peers the benchmarks compare against; /usr/bin/time -v for the import's peak memory; PostgreSQL for the two
# resolvers of the civic benchmark; cryptography makes the secure-tap benchmark's links.
DEB_BENCH := qrencode wrk nginx time python3-venv postgresql libvips-tools
PIP_BENCH := segno=segno cryptography=cryptography

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
