#!/usr/bin/env bash
# Installs marquee and the files that ship with it, so that it runs from any directory:
#   PREFIX/bin/marquee
#   PREFIX/share/marquee/{scrapers,features,pipelines,data,fixtures/letterboxd,fixtures/demo}
# A working directory's own scrapers/, features/ or pipelines/ (or marquee.toml, or the flags)
# still override the shipped ones.
#   make install PREFIX=/usr/local        (builds the release binary first)
#   scripts/install.sh PREFIX [BINARY]    (BINARY defaults to .build/release/marquee)
set -euo pipefail
prefix=${1:?usage: scripts/install.sh PREFIX [BINARY]}
cd "$(dirname "$0")/.."
binary=${2:-.build/release/marquee}
[ -x "$binary" ] || { echo "install: no marquee binary at $binary (swift build -c release)" >&2; exit 66; }
share="$prefix/share/marquee"
install -d "$prefix/bin" "$share/fixtures"
install -m 755 "$binary" "$prefix/bin/marquee"
rm -rf "$share/scrapers" "$share/features" "$share/pipelines" "$share/data" "$share/fixtures/letterboxd" "$share/fixtures/demo"
cp -R scrapers features pipelines data "$share/"
cp -R fixtures/letterboxd fixtures/demo "$share/fixtures/"
echo "installed $prefix/bin/marquee and $share"
