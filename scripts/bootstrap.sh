#!/usr/bin/env bash
# Installs what building and testing the playground needs, skipping whatever is
# already present at the right version. Everything comes from crates.io, npm or apt.
#
#   scripts/bootstrap.sh build    # wasm32 target, trunk, wasm-bindgen-cli, npm packages, crates
#   scripts/bootstrap.sh browser  # Debian chromium and chromium-driver for the browser tests
set -euo pipefail

cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
WASM_OPT_VERSION=132
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

say() { printf 'bootstrap: %s\n' "$*"; }

# The wasm-bindgen CLI must match the library version locked in Cargo.lock exactly.
wasm_bindgen_version() {
    awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

rust_parts() {
    local installed
    installed=$(rustup component list --installed)
    for component in rustfmt clippy; do
        grep -q "^$component" <<<"$installed" || rustup component add "$component"
    done
    rustup target list --installed | grep -qx wasm32-unknown-unknown ||
        rustup target add wasm32-unknown-unknown
}

cargo_tool() { # name version crate [install flags...]
    local name=$1 version=$2 crate=$3
    shift 3
    if "$name" --version 2>/dev/null | grep -qw "$version"; then
        return
    fi
    say "installing $crate $version (several minutes, once)"
    cargo install "$crate" --version "$version" --force "$@"
}

npm_packages() {
    # playwright-core needs Node 20 or newer.
    local node_major
    node_major=$(node --version 2>/dev/null | sed -E 's/^v([0-9]+).*/\1/')
    if [ -z "$node_major" ] || [ "$node_major" -lt 20 ]; then
        echo "bootstrap: Node.js 20 or newer is needed (found: ${node_major:-none})" >&2
        exit 1
    fi
    if [ -x e2e/node_modules/.bin/wasm-opt ] &&
        e2e/node_modules/.bin/wasm-opt --version | grep -q "version $WASM_OPT_VERSION" &&
        [ -d e2e/node_modules/playwright-core ] &&
        [ -d e2e/node_modules/axe-core ] &&
        [ -x e2e/node_modules/.bin/esbuild ] &&
        [ e2e/node_modules/.package-lock.json -nt e2e/package-lock.json ]; then
        return
    fi
    say "installing npm packages for e2e/ (binaryen $WASM_OPT_VERSION, esbuild, playwright-core, axe-core)"
    (cd e2e && npm ci --no-audit --no-fund)
}

build() {
    rust_parts
    cargo_tool trunk "$TRUNK_VERSION" trunk --locked
    # Not --locked: the CLI's own lockfile pins a crate version the registry no longer has.
    cargo_tool wasm-bindgen "$(wasm_bindgen_version)" wasm-bindgen-cli
    npm_packages
    # Trunk builds offline, so every crate must already be in cargo's cache.
    cargo fetch --quiet
}

browser() {
    # The tests drive exactly these two (Makefile, e2e/harness.mjs).
    if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
        return
    fi
    say "installing Debian chromium and chromium-driver"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver >/dev/null
}

case "${1:-}" in
build) build ;;
browser) browser ;;
*)
    echo "usage: $0 build|browser" >&2
    exit 2
    ;;
esac
