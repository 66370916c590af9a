#!/bin/bash
# Bioconda build script of tfm (conda-build runs it in the unpacked release tarball of `make dist`,
# with CC, CFLAGS, CPPFLAGS, LDFLAGS, PREFIX and CPU_COUNT set). Also the build step of
# packaging/Dockerfile, and tests/dist.sh runs it from the tarball with PREFIX set to a scratch
# directory. Flags go through the environment: the Makefile adds its own to them.
set -euo pipefail
export CPPFLAGS="${CPPFLAGS:-} -I${PREFIX}/include"
export LDFLAGS="${LDFLAGS:-} -L${PREFIX}/lib"
make -j"${CPU_COUNT:-1}" CC="${CC:-cc}"
make install PREFIX="${PREFIX}"
