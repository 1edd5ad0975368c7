#!/usr/bin/env bash
# The lab as one self-contained HTML file (docs/lab.html unless another path is given): the
# olika-web crate built for wasm32-unknown-unknown (the model and a hand-written FFI, no
# wasm-bindgen), inlined as base64 into the page `olika lab` serves by `olika lab --export`.
# The file fetches nothing: it runs from a USB stick, an e-mail attachment or a learning platform.
# It says which sources it was built from; CI fails when docs/lab.html was built from others
# (tests/olika/lab.rs, the_committed_lab_html_is_built_from_these_sources).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-docs/lab.html}
rustup target add wasm32-unknown-unknown >/dev/null
# Optimised for speed and size (one codegen unit, link-time optimisation, no debug information):
# the settings apply to this build only, not to the native one.
cargo build -p olika-web --release --target wasm32-unknown-unknown \
  --config 'profile.release.debug=false' --config 'profile.release.strip=true' \
  --config 'profile.release.lto="fat"' --config 'profile.release.codegen-units=1'
cargo run --release --quiet -- lab --export "$out" --wasm target/wasm32-unknown-unknown/release/olika_web.wasm
