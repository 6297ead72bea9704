#!/bin/sh
# Builds tests/consumer/main.cpp with flags from the installed libbounce.pc.
# usage: pkg_config_test.sh PREFIX MAIN_CPP WORKDIR
set -eu
prefix=$1 main=$2 work=$3
pc=$(find "$prefix" -name libbounce.pc | head -n 1)
[ -n "$pc" ] || { echo "libbounce.pc not installed under $prefix"; exit 1; }
export PKG_CONFIG_PATH="$(dirname "$pc")"
mkdir -p "$work"
libdir=$(pkg-config --variable=libdir libbounce)
# shellcheck disable=SC2046
c++ -o "$work/consumer" "$main" $(pkg-config --cflags --libs libbounce) -Wl,-rpath,"$libdir"
"$work/consumer"
