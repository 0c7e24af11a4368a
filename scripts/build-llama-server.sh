#!/usr/bin/env bash
# Builds llama.cpp's own `llama-server` from the source bundled in node-llama-cpp's package, for the protocol tests
# against a server that is not vLLM (test/llm/llama-server.test.ts). Only the llama-server target is built, with the
# system cmake and g++. The result is cached under .cache/llama-server/ (ignored by git), keyed by the bundle's sha256:
# when the cached binary was built from the same bundle this script does nothing.
#
# Prints the binary's path on its last line. The tests find it at .cache/llama-server/bin/llama-server
# (or at $O1C_LLAMA_SERVER when that is set).
set -euo pipefail
cd "$(dirname "$0")/.."

bundle="node_modules/node-llama-cpp/llama/gitRelease.bundle"
cache=".cache/llama-server"
out="$cache/bin/llama-server"
stamp="$cache/bundle.sha256"

[ -f "$bundle" ] || { echo "build-llama-server: $bundle is missing; run npm ci first" >&2; exit 1; }
for tool in git cmake g++; do
  command -v "$tool" >/dev/null 2>&1 || { echo "build-llama-server: '$tool' is not installed" >&2; exit 1; }
done

key="$(sha256sum "$bundle" | cut -d' ' -f1)"
if [ -x "$out" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$key" ]; then
  echo "build-llama-server: cached build matches the bundle (sha256 ${key:0:12})"
  echo "$out"
  exit 0
fi

started=$(date +%s)
src="$cache/src"
rm -rf "$src" "$cache/bin" "$stamp"
mkdir -p "$cache"
git -c advice.detachedHead=false clone --quiet "$bundle" "$src"
jobs="$(nproc 2>/dev/null || echo 2)"
# No curl/OpenSSL (the tests load a local file), no web UI, tests or examples: only what llama-server needs.
cmake -S "$src" -B "$src/build" -DCMAKE_BUILD_TYPE=Release -DLLAMA_CURL=OFF -DLLAMA_OPENSSL=OFF \
  -DLLAMA_BUILD_UI=OFF -DLLAMA_USE_PREBUILT_UI=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF \
  -DGGML_NATIVE=ON -DBUILD_SHARED_LIBS=OFF >"$cache/cmake-configure.log" 2>&1 \
  || { tail -n 40 "$cache/cmake-configure.log" >&2; exit 1; }
cmake --build "$src/build" --target llama-server -j"$jobs" >"$cache/cmake-build.log" 2>&1 \
  || { tail -n 40 "$cache/cmake-build.log" >&2; exit 1; }

mkdir -p "$cache/bin"
cp "$src/build/bin/llama-server" "$out"
# The source tree and objects are large and only needed for this build; the binary is statically linked.
rm -rf "$src"
echo "$key" >"$stamp"
echo "build-llama-server: built in $(( $(date +%s) - started ))s (bundle sha256 ${key:0:12})"
echo "$out"
