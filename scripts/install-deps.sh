#!/usr/bin/env bash
# Installs the packages the project needs: `install-deps.sh build` what building and running
# it takes (Debian bookworm packages); `install-deps.sh test` (the default) also what the tests
# take, the browser test's npm package included; `install-deps.sh bench` what building takes
# and what bench/run takes (Node and the peer's npm package, taskset, timeout, gnuplot).
# Idempotent: it installs only what is missing, and does nothing (not even apt-get update)
# when all is there.
set -euo pipefail

purpose="${1:-test}"
case "$purpose" in
  build | test | bench) ;;
  *) echo "usage: install-deps.sh [build|test|bench]" >&2; exit 2 ;;
esac

packages=(
  g++ cmake ninja-build ccache             # toolchain
  libcaf-dev                               # the actor runtime (CAF 0.17)
  libboost1.81-dev                         # Beast, Asio, System (result)
  libboost-url1.81-dev                     # Boost.URL's compiled part (query decoding)
  libboost-json1.81-dev                    # Boost.JSON (the chat demo's messages)
  libfmt-dev                               # formatting of log lines
  libssl-dev                               # TLS (https, wss) under Boost.Asio's ssl::stream
  doctest-dev                              # unit and integration tests (built with the rest)
  libgtest-dev                             # the cucumber step runner's GoogleTest driver
)
if [ "$purpose" = test ]; then
  packages+=(
    python3-websockets                     # a WebSocket client that is not ours (interop test)
    cucumber ruby-cucumber-wire            # Ruby cucumber 2.4 and its wire protocol (features/)
    chromium                               # the real browser of the chat demo's test
    openssl                                # the TLS tests' self-signed certificates
  )
fi
if [ "$purpose" = bench ]; then
  packages+=(
    util-linux                             # taskset: server and load generator on their own CPUs
    coreutils                              # timeout: every run is bounded
    gnuplot-nox                            # bench/plot.gp draws docs/benchmarks-fanout.svg
  )
fi
if [ "$purpose" != build ]; then
  # Node.js (18 or later) runs the browser test and the benchmark's peer (bench/node_chat); a
  # machine that has one keeps its own.
  if ! command -v npm >/dev/null ||
     [ "$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)" -lt 18 ]; then
    packages+=(nodejs npm)
  fi
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || {
      echo "install-deps: run as root to install: ${missing[*]}" >&2
      exit 1
    }
    sudo="sudo"
  fi
  echo "install-deps: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# An npm package directory's packages, exactly as its lock file pins them (npm ci), unless
# they are there already and not older than the lock file.
npm_ci() {
  local dir="$1"
  if [ ! -f "$dir/node_modules/.package-lock.json" ] ||
     [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    echo "install-deps: npm ci in ${dir#"$root"/}"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}
root="$(cd "$(dirname "$0")/.." && pwd)"

if [ "$purpose" = bench ]; then
  npm_ci "$root/bench/node_chat"  # ws, the peer's one package
fi

[ "$purpose" = test ] || exit 0

# playwright-core for the browser test, from the npm registry, exactly as the lock file pins
# it (it drives Debian's Chromium and downloads no browser of its own; it runs on Node 18+).
npm_ci "$root/tests/browser"
