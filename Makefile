# leadpoet-verify: build, test, install.
#   make              libraries and tools into $(BUILD)/
#   make check        the suite, again under ASan+UBSan (in $(BUILD)-san), and test_merkle under
#                     TSan (in $(BUILD)-tsan); installs nothing: a missing package is named, exit 2
#   make check-repro  the reproducible-build and Nix tests (tests/repro/; minutes of builds)
#   make demo         build and run the demonstration on bundled vectors
#   make install      PREFIX=/usr/local LIBDIR=$(PREFIX)/lib DESTDIR=   (make uninstall: the same files)
#   make bench        throughput benchmarks (never part of check)
#   make repro        build twice under different conditions, compare installed files (scripts/repro.sh)
#   make reprotest    the same through Debian's reprotest (installs it on demand)
#   make wycheproof [WYCHEPROOF_DIR=dir]  every Wycheproof ECDSA P-384/SHA-384 and Ed25519
#                     JSON file of dir (default vectors/wycheproof) through the verifiers
# Packages: sh scripts/install-deps.sh installs them (Debian 12); make never does.

.DEFAULT_GOAL := all
SHELL := /bin/sh
.DELETE_ON_ERROR:

# The one version: VERSION, read here and passed to the tools (LP_VERSION_STRING) and to
# nix/package.nix (lib.fileContents).
VERSION        := $(shell cat VERSION 2>/dev/null)
ifeq ($(VERSION),)
$(error VERSION file missing or empty)
endif
SOVERSION      := 0
PREFIX         ?= /usr/local
LIBDIR         ?= $(PREFIX)/lib
INCLUDEDIR     ?= $(PREFIX)/include
BINDIR         ?= $(PREFIX)/bin
DESTDIR        ?=
BUILD          ?= build
SAN            ?=
# Reproducible builds (spec eif-pcr-repro.md §4.1): a date, where one is ever needed,
# comes from SOURCE_DATE_EPOCH: the last commit's time in a git checkout, else a fixed value.
SOURCE_DATE_EPOCH ?= $(or $(if $(wildcard .git),$(shell git log -1 --format=%ct 2>/dev/null)),1700000000)
export SOURCE_DATE_EPOCH

# libarchive reads docker save / OCI image tars and their layers (attest/docker_image.c).
PKGS    := openssl libsodium libcbor jansson libcurl zlib libarchive

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CHECK_CFLAGS := $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS   := $(shell pkg-config --libs check 2>/dev/null)

# User flags: CPPFLAGS, CFLAGS (default -O2; -O1 -g under SAN) and LDFLAGS are the
# user's and may be overridden on the command line. The project's mandatory flags live
# in LP_* and are always added, so `make CFLAGS=-O3` keeps -Werror, the prefix map, etc.
CPPFLAGS ?=
LDFLAGS  ?=
# SAN=1: AddressSanitizer + UBSan; SAN=thread: ThreadSanitizer.
ifeq ($(SAN),1)
CFLAGS   ?= -O1 -g -fno-omit-frame-pointer
LP_SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all
else ifeq ($(SAN),thread)
CFLAGS   ?= -O1 -g -fno-omit-frame-pointer
LP_SAN_FLAGS := -fsanitize=thread
else
CFLAGS   ?= -O2
LP_SAN_FLAGS :=
endif

# -ffile-prefix-map keeps the build path out of objects, __FILE__ and debug info;
# -Werror=date-time bans __DATE__/__TIME__/__TIMESTAMP__ outright (§4.1).
# LP_WARN: the warnings beyond -Wall -Wextra, errors like the rest (LP_WARN= turns them off
# while a tree is being cleaned). -MMD -MP: each object depends on the headers it includes.
LP_WARN     ?= -Wshadow -Wconversion -Wsign-conversion
LP_CPPFLAGS := -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -I.
LP_CFLAGS   := -std=c11 -Wall -Wextra $(LP_WARN) -Werror -Werror=date-time -fPIC \
               -ffile-prefix-map=$(CURDIR)=. -MMD -MP $(PKG_CFLAGS) $(LP_SAN_FLAGS)
# --build-id=sha1 is a hash of the linked contents (stable), never a random uuid.
LP_LDFLAGS  := -Wl,--build-id=sha1 $(LP_SAN_FLAGS)
# ar D: zero uid/gid/mtime and fixed modes in archive members.
ARFLAGS     := rcD

ALL_CFLAGS  = $(LP_CPPFLAGS) $(CPPFLAGS) $(LP_CFLAGS) $(CFLAGS)
ALL_LDFLAGS = $(LP_LDFLAGS) $(LDFLAGS)

MODULES := canonical attest merkle audit

# Each module's .c files form one static library; canonical also ships as a shared library.
define module_rules
$(1)_SRC := $$(sort $$(wildcard $(1)/*.c))
$(1)_OBJ := $$(patsubst %.c,$(BUILD)/obj/%.o,$$($(1)_SRC))
$(BUILD)/lib/libleadpoet_$(1).a: $$($(1)_OBJ)
	@mkdir -p $$(@D)
	rm -f $$@
	$$(AR) $$(ARFLAGS) $$@ $$(sort $$^)
endef
$(foreach m,$(MODULES),$(eval $(call module_rules,$(m))))

STATIC_LIBS := $(foreach m,audit merkle attest canonical,$(if $($(m)_SRC),$(BUILD)/lib/libleadpoet_$(m).a))

SO_NAME  := libleadpoet_canonical.so.$(SOVERSION)
SO_FILE  := $(BUILD)/lib/libleadpoet_canonical.so.$(VERSION)

$(SO_FILE): $(canonical_OBJ) canonical/leadpoet_canonical.map
	@mkdir -p $(@D)
	$(CC) -shared -Wl,-soname,$(SO_NAME) -Wl,--version-script=canonical/leadpoet_canonical.map $(ALL_LDFLAGS) -o $@ $(sort $(canonical_OBJ)) $(shell pkg-config --libs libcrypto libsodium) -lm
	ln -sf libleadpoet_canonical.so.$(VERSION) $(BUILD)/lib/$(SO_NAME)
	ln -sf $(SO_NAME) $(BUILD)/lib/libleadpoet_canonical.so

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# Command-line tools: one per verify/*.c, linked against every module.
TOOL_SRC := $(sort $(wildcard verify/*.c))
TOOL_COMMON_SRC := $(filter verify/cli_%.c,$(TOOL_SRC))
TOOL_MAIN_SRC := $(filter-out verify/cli_%.c,$(TOOL_SRC))
TOOL_COMMON_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(TOOL_COMMON_SRC))
TOOLS := $(patsubst verify/%.c,$(BUILD)/bin/%,$(TOOL_MAIN_SRC))
TOOL_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(TOOL_SRC))
$(TOOL_OBJ): LP_CPPFLAGS += -DLP_VERSION_STRING='"$(VERSION)"'
$(TOOL_OBJ): VERSION

$(BUILD)/bin/%: $(BUILD)/obj/verify/%.o $(TOOL_COMMON_OBJ) $(STATIC_LIBS)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(TOOL_COMMON_OBJ) $(STATIC_LIBS) $(PKG_LIBS) -lm

# Unit tests: one Check binary per tests/test_*.c.
TEST_SRC := $(sort $(wildcard tests/test_*.c))
TEST_COMMON_SRC := tests/lp_test.c tests/lp_attest_fixture.c tests/lp_checkpoint_fixture.c
TEST_COMMON_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(TEST_COMMON_SRC))
TEST_BINS := $(patsubst tests/%.c,$(BUILD)/tests/%,$(TEST_SRC))
$(BUILD)/tests/%: $(BUILD)/obj/tests/%.o $(TEST_COMMON_OBJ) $(STATIC_LIBS)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(TEST_COMMON_OBJ) $(STATIC_LIBS) $(PKG_LIBS) $(CHECK_LIBS) -lm

$(BUILD)/obj/tests/%.o: tests/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(CHECK_CFLAGS) -c -o $@ $<

# Fuzz targets replayed without libFuzzer (tests/fuzz/replay_main.c) by make check over
# tests/fuzz/regress/<target>/ and the seeds from vectors/ (tests/cli/test_fuzz_regress.sh).
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_REPLAY_BINS := $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%,$(FUZZ_SRC))
$(BUILD)/fuzz/%: $(BUILD)/obj/tests/fuzz/%.o $(BUILD)/obj/tests/fuzz/replay_main.o $(STATIC_LIBS)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(BUILD)/obj/tests/fuzz/replay_main.o $(STATIC_LIBS) $(PKG_LIBS) -lm

BENCH_SRC := $(sort $(wildcard tests/bench/bench_*.c))
BENCH_BINS := $(patsubst tests/bench/%.c,$(BUILD)/bench/%,$(BENCH_SRC))
# lp_bench.o: the benchmarks' shared helpers, kept (not an intermediate file to delete)
.SECONDARY: $(BUILD)/obj/tests/bench/lp_bench.o
$(BUILD)/bench/%: $(BUILD)/obj/tests/bench/%.o $(BUILD)/obj/tests/bench/lp_bench.o $(STATIC_LIBS)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(BUILD)/obj/tests/bench/lp_bench.o $(STATIC_LIBS) $(PKG_LIBS) -lm

# The one pkg-config file, for both the build tree and install: regenerated when PREFIX,
# LIBDIR, INCLUDEDIR or VERSION differ from the values it was made with (recorded beside it).
PC_FILE := $(BUILD)/lib/pkgconfig/leadpoet_canonical.pc
PC_VARS := $(PREFIX) $(LIBDIR) $(INCLUDEDIR) $(VERSION)
PC_REL   = $(patsubst $(PREFIX)/%,$${prefix}/%,$(1))
ifneq ($(file <$(BUILD)/obj/pc.vars),$(PC_VARS))
$(PC_FILE): FORCE
endif
$(PC_FILE): canonical/leadpoet_canonical.pc.in VERSION
	@mkdir -p $(@D) $(BUILD)/obj
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@LIBDIR@|$(call PC_REL,$(LIBDIR))|g' \
	    -e 's|@INCLUDEDIR@|$(call PC_REL,$(INCLUDEDIR))|g' -e 's|@VERSION@|$(VERSION)|g' $< > $@
	printf '%s\n' '$(PC_VARS)' > $(BUILD)/obj/pc.vars

# Every object's header dependencies, written by -MMD -MP.
ALL_SRC := $(foreach m,$(MODULES),$($(m)_SRC)) $(TOOL_SRC) $(TEST_SRC) $(TEST_COMMON_SRC) \
           $(FUZZ_SRC) tests/fuzz/replay_main.c $(BENCH_SRC)
ALL_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(ALL_SRC))
-include $(ALL_OBJ:.o=.d)
# Named as targets, the objects are not intermediate files: make keeps them.
$(ALL_OBJ):

.PHONY: all deps check check-deps check-run check-build check-tsan check-repro demo install \
        uninstall bench clean repro reprotest wycheproof FORCE
all: $(STATIC_LIBS) $(SO_FILE) $(TOOLS) $(PC_FILE)
FORCE:

# Installs the Debian packages (the README's first command does the same); nothing else here does.
deps:
	@sh scripts/install-deps.sh

# make never installs: these only report what is missing (exit 2).
check-deps:
	@sh scripts/install-deps.sh --check

# A -j for the build steps of check, unless the caller gave one (its jobserver is shared).
NPROC   = $(shell getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)
CHECK_J = $(if $(filter -j% --jobserver%,$(MAKEFLAGS)),,-j$(NPROC))
TSAN_BUILD ?= $(BUILD)-tsan

# The suite plain in $(BUILD), under AddressSanitizer + UBSan in $(BUILD)-san, and the merkle
# worker pool's tests under ThreadSanitizer in $(BUILD)-tsan. The reproducible-build and Nix
# tests are make check-repro.
check: check-deps
	+$(MAKE) --no-print-directory check-run BUILD=$(BUILD) SAN=
	+$(MAKE) --no-print-directory check-run BUILD=$(BUILD)-san SAN=1
	+$(MAKE) --no-print-directory check-tsan BUILD=$(BUILD) SAN=
	@echo "check: all three passes (plain, asan+ubsan, tsan) succeeded"

# One pass of the suite over $(BUILD) as configured (SAN= or SAN=1); the build step gets -j.
check-run:
	+$(MAKE) --no-print-directory $(CHECK_J) check-build
	sh tests/run.sh $(BUILD) $(SAN)

check-build: all $(TEST_BINS) $(BENCH_BINS) $(FUZZ_REPLAY_BINS)

# tests/test_merkle (the worker pool and streamed decode) and tests/test_docker_image (its
# hashing thread) under ThreadSanitizer; any report fails. Only the modules they link
# (canonical, merkle, attest) are built.
check-tsan:
	+$(MAKE) --no-print-directory $(CHECK_J) BUILD=$(TSAN_BUILD) SAN=thread MODULES="canonical merkle attest" \
	    $(TSAN_BUILD)/tests/test_merkle $(TSAN_BUILD)/tests/test_docker_image
	sh tests/run.sh $(TSAN_BUILD) thread $(TSAN_BUILD)/tests/test_merkle $(TSAN_BUILD)/tests/test_docker_image

# make repro on the tree and on copies with injected faults, and the offline Nix build
# (which itself runs make all, make check and make install, twice): tests/repro/test_*.sh.
check-repro:
	@sh scripts/install-deps.sh --check-repro
	sh tests/run.sh $(BUILD) "" $(sort $(wildcard tests/repro/test_*.sh))

demo: check-deps
	@$(MAKE) --no-print-directory all >/dev/null
	@sh scripts/demo.sh $(BUILD)

bench: all $(BENCH_BINS)
	@for b in $(BENCH_BINS); do $$b || exit 1; done

INSTALLED := $(LIBDIR)/libleadpoet_canonical.a $(LIBDIR)/libleadpoet_canonical.so.$(VERSION) \
             $(LIBDIR)/$(SO_NAME) $(LIBDIR)/libleadpoet_canonical.so \
             $(LIBDIR)/pkgconfig/leadpoet_canonical.pc $(INCLUDEDIR)/leadpoet_canonical.h \
             $(patsubst $(BUILD)/bin/%,$(BINDIR)/%,$(TOOLS))

install: all
	install -d $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(BINDIR)
	install -m 644 $(BUILD)/lib/libleadpoet_canonical.a $(DESTDIR)$(LIBDIR)/
	install -m 755 $(SO_FILE) $(DESTDIR)$(LIBDIR)/
	ln -sf libleadpoet_canonical.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SO_NAME)
	ln -sf $(SO_NAME) $(DESTDIR)$(LIBDIR)/libleadpoet_canonical.so
	install -m 644 canonical/leadpoet_canonical.h $(DESTDIR)$(INCLUDEDIR)/
	install -m 644 $(PC_FILE) $(DESTDIR)$(LIBDIR)/pkgconfig/
	install -m 755 $(TOOLS) $(DESTDIR)$(BINDIR)/

# Removes exactly the files install writes (directories stay: they may be shared).
uninstall:
	rm -f $(addprefix $(DESTDIR),$(INSTALLED))

# Bit-for-bit rebuild check (spec eif-pcr-repro.md §4); REPRO_ARGS are extra make arguments
# for both builds. Exit 1 when a file differs.
repro:
	@sh scripts/repro.sh . -- $(REPRO_ARGS)

reprotest:
	@sh scripts/reprotest.sh

# The vendored files run in make check too (tests/test_wycheproof.c); this runs every
# Wycheproof file of a folder, e.g. a newer upstream testvectors_v1.
WYCHEPROOF_DIR ?= vectors/wycheproof
wycheproof: $(BUILD)/tests/test_wycheproof
	WYCHEPROOF_DIR="$(WYCHEPROOF_DIR)" $(BUILD)/tests/test_wycheproof

clean:
	rm -rf $(BUILD) $(BUILD)-san $(TSAN_BUILD) build-fuzz

# libFuzzer targets (tests/fuzz/fuzz_*.c), built with clang into build-fuzz/ (own objects).
#   make fuzz FUZZ_SECONDS=N   seed corpus from vectors/ + tests/fuzz/regress/<target>/, run each
#                              target N seconds; crashes go to build-fuzz/crashes/<target>/.
# Needs clang with its libFuzzer runtime (Debian: apt-get install clang). Not part of check;
# check replays the regression corpora through tests/fuzz/replay_main.c instead.
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= $(patsubst tests/fuzz/%.c,%,$(sort $(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_DIR     := build-fuzz
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=undefined
# The CS-A text path's size thresholds made small, so that short inputs reach the
# branches past them (lpc_csa.h).
FUZZ_SMALL   := -DLPC_CSA_MAX_ASIDE=16 -DLPC_CSA_MAX_DECODED=64
FUZZ_CFLAGS   = $(LP_CPPFLAGS) -std=c11 -g -O1 -fno-omit-frame-pointer -MMD -MP $(PKG_CFLAGS) $(FUZZ_SAN) $(FUZZ_SMALL)
FUZZ_LIB_SRC := $(foreach m,$(MODULES),$($(m)_SRC))
FUZZ_LIB_OBJ := $(patsubst %.c,$(FUZZ_DIR)/obj/%.o,$(FUZZ_LIB_SRC))

$(FUZZ_DIR)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ_DIR)/libfuzzlp.a: $(FUZZ_LIB_OBJ)
	rm -f $@
	$(AR) $(ARFLAGS) $@ $(sort $^)

$(FUZZ_DIR)/bin/%: tests/fuzz/%.c $(FUZZ_DIR)/libfuzzlp.a
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -MF $@.d -MT $@ -fsanitize=fuzzer -o $@ $< $(FUZZ_DIR)/libfuzzlp.a $(PKG_LIBS) -lm

-include $(patsubst %.c,$(FUZZ_DIR)/obj/%.d,$(FUZZ_LIB_SRC)) $(patsubst tests/fuzz/%.c,$(FUZZ_DIR)/bin/%.d,$(FUZZ_SRC))

.PHONY: fuzz fuzz-build
fuzz-build: $(patsubst %,$(FUZZ_DIR)/bin/%,$(FUZZ_TARGETS))

fuzz: fuzz-build
	sh tests/fuzz/run_fuzz.sh $(FUZZ_DIR) $(FUZZ_SECONDS) $(FUZZ_TARGETS)
