#!/usr/bin/env bash
# Installs every Debian bookworm package the project needs to build and test. Idempotent: it
# installs only what is missing, and does nothing (not even apt-get update) when all is there.
set -euo pipefail

packages=(
  g++ cmake ninja-build ccache             # toolchain
  libcaf-dev                               # the actor runtime (CAF 0.17)
  libboost1.81-dev                         # Beast, Asio, System (result)
  libboost-url1.81-dev                     # Boost.URL's compiled part (query decoding)
  libboost-json1.81-dev                    # Boost.JSON (the chat demo's messages)
  libfmt-dev                               # formatting of log lines
  doctest-dev                              # unit and integration tests
  python3-websockets                       # a WebSocket client that is not ours (interop test)
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: run as root to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "install-deps: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
