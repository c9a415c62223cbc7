# The project's commands. `make test` is the README's test command: it installs what is
# missing, configures, builds and runs every test. CI also runs `make sanitize`.
BUILD ?= build
CMAKE_FLAGS ?=

.PHONY: all deps test-deps compile build run test tsan asan sanitize bench bench-ab soak soak-short \
        clean

all: build

# What building and running takes; test-deps adds what the tests take (Chromium, npm...).
deps:
	@scripts/install-deps.sh build

test-deps:
	@scripts/install-deps.sh test

compile:
	cmake -S . -B $(BUILD) -G Ninja $(CMAKE_FLAGS)
	cmake --build $(BUILD)

build: deps
	@$(MAKE) --no-print-directory compile

# The chat demo on http://localhost:8080 (the README's first command).
run: build
	$(BUILD)/apps/websocket_chat/websocket_chat --port 8080

test: test-deps
	@$(MAKE) --no-print-directory compile
	ctest --test-dir $(BUILD) --output-on-failure -j 2

# The unit and integration tests under ThreadSanitizer, then AddressSanitizer with UBSan.
tsan: test-deps
	cmake -S . -B build-tsan -G Ninja -DDREAM_SANITIZER=thread -DDREAM_BUILD_APPS=ON -DCMAKE_BUILD_TYPE=Debug
	cmake --build build-tsan
	ctest --test-dir build-tsan --output-on-failure

asan: test-deps
	cmake -S . -B build-asan -G Ninja -DDREAM_SANITIZER=address -DDREAM_BUILD_APPS=ON -DCMAKE_BUILD_TYPE=Debug
	cmake --build build-asan
	ctest --test-dir build-asan --output-on-failure

sanitize: tsan asan

# The broadcaster micro-benchmark (docs/benchmarks.md).
bench: build
	$(BUILD)/apps/broadcaster_bench/broadcaster_bench

# Our chat server against the Node ws peer (docs/benchmarks.md); builds into build-bench in
# Release. BENCH_FLAGS passes options on, e.g. make bench-ab BENCH_FLAGS=--quick.
BENCH_FLAGS ?=
bench-ab:
	@scripts/install-deps.sh bench
	bench/run $(BENCH_FLAGS)

# The soak run (bench/soak): the chat server under 10 minutes of mixed traffic, its memory and
# connections watched; soak-short is the 60-second version for CI. Not part of `make test`.
soak: deps
	BUILD=$(BUILD) bench/soak

soak-short: deps
	BUILD=$(BUILD) bench/soak --short

clean:
	rm -rf $(BUILD) build-tsan build-asan
