# Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
#
# A thin layer over CMake (./bootstrap, the README's entry point, runs it):
#   make demo   install the system packages, build, run the referral demo
#   make test   install the system packages, build, run every test
# Other targets: deps, build, asan, fuzz, bench, install, clean.

MAKEFLAGS += --no-print-directory

BUILD     ?= build
BUILD_ASAN ?= build-asan
BUILD_FUZZ ?= build-fuzz
PREFIX    ?= /usr/local
JOBS      ?= $(shell nproc 2>/dev/null || echo 2)
FUZZ_SECONDS ?= 30

# Tests that check published vectors read them from NANSEN_VECTORS_DIR; a
# checkout beside the shared vectors folder finds it by itself.
ifeq ($(origin NANSEN_VECTORS_DIR), undefined)
  ifneq ($(wildcard ../shared/vectors/README.md),)
    export NANSEN_VECTORS_DIR := $(abspath ../shared/vectors)
  endif
endif

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Debian 12 / Ubuntu 22.04+ package names.
DEPS := build-essential cmake pkg-config libsodium-dev libsecp256k1-dev \
        libcbor-dev libcjson-dev libcmocka-dev libqrencode-dev libzbar-dev \
        libpng-dev zlib1g-dev libjpeg-dev python3

.PHONY: all deps build demo test asan fuzz bench install clean

all: build

deps:
	@dpkg -s $(DEPS) >/dev/null 2>&1 || { \
	  $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(DEPS); }

build: deps
	cmake -S . -B $(BUILD) -DNANSEN_WERROR=ON
	cmake --build $(BUILD) -j $(JOBS)

demo: build
	bash examples/demo.sh $(BUILD)/nansen

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

asan: deps
	cmake -S . -B $(BUILD_ASAN) -DNANSEN_SANITIZE=ON -DNANSEN_WERROR=ON \
	      -DCMAKE_BUILD_TYPE=Debug
	cmake --build $(BUILD_ASAN) -j $(JOBS)
	cd $(BUILD_ASAN) && ASAN_OPTIONS=detect_leaks=1 ctest --verbose

fuzz: deps
	@command -v clang >/dev/null || { $(SUDO) apt-get install -y -qq clang libclang-rt-14-dev; }
	CC=clang cmake -S . -B $(BUILD_FUZZ) -DNANSEN_FUZZ=ON -DNANSEN_CLI=OFF
	cmake --build $(BUILD_FUZZ) -j $(JOBS) --target \
	  $(patsubst tests/fuzz/%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
	FUZZ_SECONDS=$(FUZZ_SECONDS) bash tests/fuzz/run.sh $(BUILD_FUZZ)/tests

bench: build
	cmake --build $(BUILD) -j $(JOBS) --target \
	  $(patsubst bench/%.c,%,$(wildcard bench/bench_*.c))
	@for b in $(patsubst bench/%.c,%,$(wildcard bench/bench_*.c)); do \
	  echo "== $$b"; $(BUILD)/$$b || exit 1; done

install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

clean:
	rm -rf $(BUILD) $(BUILD_ASAN) $(BUILD_FUZZ)
