#!/usr/bin/env bash
# Make sure the build dependencies are present: a C compiler, make, htslib, OpenBLAS, zlib.
# Installs the missing Debian/Ubuntu packages when it can (root, or sudo without a password);
# otherwise prints the exact apt-get line and fails.
set -eu
pkgs="build-essential pkg-config libhts-dev libopenblas-dev zlib1g-dev"
missing=0
for c in cc make pkg-config; do command -v "$c" >/dev/null 2>&1 || missing=1; done
if [ $missing = 0 ]; then
    printf '#include <htslib/bgzf.h>\n#include <cblas.h>\n#include <zlib.h>\nint main(void){return 0;}\n' |
        cc -x c - -o /dev/null -lhts -lopenblas -lz >/dev/null 2>&1 || missing=1
fi
[ $missing = 0 ] && exit 0

line="apt-get update && apt-get install -y $pkgs"
if [ "$(id -u)" = 0 ]; then sudo=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo"
else
    echo "tfm: missing build dependencies; install them with:" >&2
    echo "  sudo sh -c '$line'" >&2
    exit 1
fi
echo "tfm: installing build dependencies: $pkgs" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >&2
$sudo apt-get install -y -qq $pkgs >&2
