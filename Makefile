# tfm - plain make. Overridable: CC CFLAGS CPPFLAGS LDFLAGS LIBS PREFIX DESTDIR.
#   make            build every tool of tools/ into bin/
#   make test       build and run the test suite (SANITIZE=1: under ASan+UBSan)
#   make bench      benchmarks (need $TFM_DATA, default ../shared/data)
#   make demo       run the main job on examples/
#   make model      retrain tfm's default model models/tfm-default.safetensors (needs $TFM_DATA)
#   make fuzz       libFuzzer harnesses of tests/fuzz/ into build/fuzz/ (clang)
#   make install PREFIX=/usr/local
#   make dist       the release tarball tfm-VERSION.tar.gz (scripts/dist.sh)

CC       ?= cc
CFLAGS   ?= -g -O2
WARN      = -Wall -Wextra -Wno-unused-parameter
# Not overridable: no fused multiply-add unless written out (fmaf, intrinsics). Training's bytes
# must not depend on -march or the compiler's contraction choices (lib/gemm.h).
FPFLAGS   = -ffp-contract=off
override CPPFLAGS := -Ilib $(CPPFLAGS) # also when CPPFLAGS is given on the command line
LIBS     ?= -lhts -lopenblas -lz -lm -lpthread
PREFIX   ?= /usr/local
BINDIR    = $(PREFIX)/bin
MANDIR    = $(PREFIX)/share/man/man1
MODELDIR  = $(PREFIX)/share/tfm # BIN/../share/tfm: found by lib/cli.c tfm_default_model
TFM_DATA ?= ../shared/data
export TFM_DATA

ifeq ($(SANITIZE),1)
CFLAGS   += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS  += -fsanitize=address,undefined
BUILD     = build/san
else
BUILD     = build/rel
endif

LIB_SRC  = $(wildcard lib/*.c)
LIB_OBJ  = $(LIB_SRC:lib/%.c=$(BUILD)/lib/%.o)
LIB_A    = $(BUILD)/libtfm.a
TOOLS    = $(patsubst tools/%.c,bin/%,$(wildcard tools/*.c))
TESTS    = $(patsubst tests/%.c,$(BUILD)/tests/%,$(wildcard tests/test_*.c))
BENCHES  = $(patsubst bench/%.c,$(BUILD)/bench/%,$(wildcard bench/*.c))
HEADERS  = $(wildcard lib/*.h) lib/version.h

# Tools are built into bin/ for the configuration in use (a SANITIZE=1 build replaces them).
all: $(TOOLS)

# version: the semantic version of the file VERSION, and in a git checkout the commit after it
# ("0.2.0 (6126f67)"), so --version, man pages and workflow version files read one number.
# A tree unpacked from the release tarball has no .git: its version is VERSION alone (and not the
# commit of a git repository it happens to be unpacked in).
SEMVER  := $(shell cat VERSION)
GITREV  := $(shell [ -e .git ] && git describe --always --dirty 2>/dev/null)
VERSION := $(SEMVER)$(if $(GITREV), ($(GITREV)))
lib/version.h: FORCE
	@printf '#define TFM_VERSION "%s"\n' "$(VERSION)" > $@.new
	@cmp -s $@.new $@ && rm -f $@.new || mv $@.new $@

$(BUILD)/lib/%.o: lib/%.c $(HEADERS) | $(BUILD)/lib
	$(CC) $(CPPFLAGS) $(CFLAGS) $(FPFLAGS) $(WARN) -c -o $@ $<

$(LIB_A): $(LIB_OBJ)
	$(AR) rcs $@ $^

bin/%: tools/%.c $(LIB_A) $(HEADERS) $(BUILD)/.stamp | bin
	$(CC) $(CPPFLAGS) $(CFLAGS) $(FPFLAGS) $(WARN) $(LDFLAGS) -o $@ $< $(LIB_A) $(LIBS)

$(BUILD)/tests/%: tests/%.c tests/check.h tests/vecjson.h $(LIB_A) $(HEADERS) | $(BUILD)/tests
	$(CC) $(CPPFLAGS) -Itests $(CFLAGS) $(FPFLAGS) $(WARN) $(LDFLAGS) -o $@ $< $(LIB_A) $(LIBS)

$(BUILD)/bench/%: bench/%.c bench/bench_util.h $(LIB_A) $(HEADERS) | $(BUILD)/bench
	$(CC) $(CPPFLAGS) $(CFLAGS) $(FPFLAGS) $(WARN) $(LDFLAGS) -o $@ $< $(LIB_A) $(LIBS)

# bin/ holds one configuration at a time: switching SANITIZE rebuilds the tools.
$(BUILD)/.stamp: | $(BUILD)
	@rm -f build/*/.stamp; touch $@; rm -f $(TOOLS)

$(BUILD) $(BUILD)/lib $(BUILD)/tests $(BUILD)/bench bin:
	mkdir -p $@

test: $(TOOLS) $(TESTS) $(BENCHES)  # benchmarks built too, so that they cannot rot unseen
	@bash tests/run.sh $(BUILD)/tests

bench: $(TOOLS) $(BENCHES)
	@bash bench/run.sh $(BUILD)/bench

demo: $(TOOLS)
	@bash examples/demo.sh

# tfm's default model (models/README.md): an ensemble of 4 networks that differ only in --seed.
# Members 2-4 are trained first; the default model (seed 1, its own weights untouched by
# --member) records them and the cascade. The weights depend only on the data and these options
# (not on --threads); the options are also recorded in each model's metadata.
DEFAULT_MODEL = tfm-default.safetensors
MODEL_MEMBERS = $(patsubst %,models/tfm-default.m%.safetensors,2 3 4)
MODEL_CASCADE = 0.8
MODEL_DATA    = $(TFM_DATA)/miraw/train/sites.tsv.gz
MODEL_OPTS    = --arch deeptarget --mode 10-mer-m7 --epochs 10 --batch 32 --lr 0.001 --select loss \
                --decoys 4 --balance mirna
model: $(TOOLS)
	for k in 2 3 4; do \
	    bin/tfm-train $(MODEL_OPTS) --seed $$k -t 2 $(MODEL_DATA) -o models/tfm-default.m$$k.safetensors || exit 1; \
	done
	bin/tfm-train $(MODEL_OPTS) --seed 1 $(addprefix --member ,$(MODEL_MEMBERS)) --cascade $(MODEL_CASCADE) -t 2 \
	    $(MODEL_DATA) -o models/$(DEFAULT_MODEL)

# Fuzzers: clang only; each links the library sources it needs directly, instrumented.
# Under ASan an input costs ~0.5 ms more per BGZF open (htslib's 128 KB block buffer goes through
# ASan's mmap allocator), so long runs use `make fuzz FUZZ_SAN=undefined FUZZ_DIR=build/fuzz-ub`
# (~20 us an input) and their corpus is then replayed under ASan (tests/fuzz/README.md).
FUZZ_CC    ?= clang
FUZZ_SAN   ?= address,undefined
FUZZ_DIR   ?= build/fuzz
FUZZ_FLAGS ?= -g -O1 -fsanitize=fuzzer,$(FUZZ_SAN) -fno-sanitize-recover=undefined -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
FUZZERS     = $(patsubst tests/fuzz/%.c,$(FUZZ_DIR)/%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_LIB_ckpt    = lib/ckpt.c lib/util.c
FUZZ_LIB_fasta   = lib/seqio.c lib/input.c lib/util.c
FUZZ_LIB_siterow = lib/siterow.c lib/seqcheck.c lib/seqio.c lib/encode.c lib/tsv.c lib/input.c lib/util.c
FUZZ_LIB_pairs   = lib/pairs.c lib/recent.c lib/seqcheck.c lib/seqio.c lib/tsv.c lib/input.c lib/util.c
FUZZ_LIB_acc     = lib/evalset.c lib/metrics.c lib/tsv.c lib/input.c lib/util.c
FUZZ_LIB_prior   = lib/prior.c lib/metrics.c lib/detmath.c lib/tsv.c lib/input.c lib/util.c
FUZZ_LIB_priorfile = $(FUZZ_LIB_prior)
FUZZ_LIB_trainload = lib/train.c lib/decoy.c lib/encode.c lib/esa.c lib/seed.c lib/fuzzy.c lib/metrics.c lib/detmath.c lib/tsv.c lib/input.c lib/util.c lib/model.c lib/nn.c lib/nn_grad.c lib/ckpt.c lib/pool.c lib/gemm.c lib/rnafm.c lib/prior.c lib/fastnet.c lib/seqcheck.c lib/seqio.c # what lib/train.c links (lib/qnet.c is left out: clang refuses its target attribute)
fuzz: $(FUZZERS)

$(FUZZ_DIR)/fuzz_%: tests/fuzz/fuzz_%.c $(LIB_SRC) $(HEADERS) | $(FUZZ_DIR)
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_FLAGS) $(WARN) -o $@ $< $(FUZZ_LIB_$*) $(LIBS)

$(FUZZ_DIR):
	mkdir -p $@

# Installed man pages carry the version of VERSION in their .TH line ("tfm 0.2.0").
install: $(TOOLS)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)
	install -m 755 $(TOOLS) $(DESTDIR)$(BINDIR)
	for m in man/*.1; do \
	    sed '/^\.TH /s/ "tfm" / "tfm $(SEMVER)" /' $$m > $(DESTDIR)$(MANDIR)/$${m#man/} && \
	    chmod 644 $(DESTDIR)$(MANDIR)/$${m#man/} || exit 1; \
	done
	install -d $(DESTDIR)$(MODELDIR)
	install -m 644 models/$(DEFAULT_MODEL) $(MODEL_MEMBERS) $(DESTDIR)$(MODELDIR)

# The release tarball: the tracked files (in an unpacked tarball, those of its MANIFEST) and
# nothing else, in DISTDIR [.]; tests/dist.sh builds and tests it from an empty directory.
DISTDIR ?= .
dist:
	@bash scripts/dist.sh $(DISTDIR)

clean:
	rm -rf build bin lib/version.h

.PHONY: all test bench demo model fuzz install dist clean FORCE
.SECONDARY:
