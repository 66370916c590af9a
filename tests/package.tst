# Packaging (format: see tests/run.sh): one semantic version, the release tarball, the recipe.
# VERSION and every file that writes it out (CITATION.cff, the Bioconda recipe, the Dockerfile,
# the model card, the workflows' conda pins, image tags and manifest) agree
0	-	version: 	bash ../scripts/version.sh --check
# LICENSE is MIT (compatible with htslib's MIT/BSD, OpenBLAS's BSD-3-Clause and zlib's licence)
# and CITATION.cff says so
0	-	-	grep -q '^MIT License$' ../LICENSE && grep -qx 'license: MIT' ../CITATION.cff && grep -qx 'cff-version: 1.2.0' ../CITATION.cff
# make dist, then from an empty directory: build and install with the recipe's build.sh, the
# recipe's test commands, --version of every tool = CITATION.cff, a fast subset of the suite
0	-	builds with build.sh from an empty directory	bash dist.sh
