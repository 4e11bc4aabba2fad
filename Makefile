# leadpoet-verify: build, test, install.
#   make            libraries and tools into $(BUILD)/
#   make check      install missing Debian packages, run the suite, then again under ASan+UBSan
#   make demo       build and run the demonstration on bundled vectors
#   make install    PREFIX=/usr/local DESTDIR=
#   make bench      throughput benchmarks (never part of check)
#   make repro      build twice under different conditions, compare installed files (scripts/repro.sh)
#   make reprotest  the same through Debian's reprotest (installs it on demand)
#   make wycheproof WYCHEPROOF_DIR=dir   every Wycheproof ECDSA P-384/SHA-384 and Ed25519
#                   JSON file of dir through the verifiers (tests/test_wycheproof.c)

.DEFAULT_GOAL := all
SHELL := /bin/sh

VERSION        := 0.1.0
SOVERSION      := 0
PREFIX         ?= /usr/local
DESTDIR        ?=
BUILD          ?= build
SAN            ?=
# Reproducible builds (spec eif-pcr-repro.md §4.1): a date, where one is ever needed,
# comes from SOURCE_DATE_EPOCH: the last commit's time in a git checkout, else a fixed value.
SOURCE_DATE_EPOCH ?= $(or $(if $(wildcard .git),$(shell git log -1 --format=%ct 2>/dev/null)),1700000000)
export SOURCE_DATE_EPOCH

CC      ?= cc
AR      ?= ar
PKGS    := openssl libsodium libcbor jansson libcurl zlib libarchive

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CHECK_CFLAGS := $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS   := $(shell pkg-config --libs check 2>/dev/null)

# User flags: CPPFLAGS, CFLAGS (default -O2; -O1 -g under SAN=1) and LDFLAGS are the
# user's and may be overridden on the command line. The project's mandatory flags live
# in LP_* and are always added, so `make CFLAGS=-O3` keeps -Werror, the prefix map, etc.
CPPFLAGS ?=
LDFLAGS  ?=
ifeq ($(SAN),1)
CFLAGS   ?= -O1 -g -fno-omit-frame-pointer
LP_SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all
else
CFLAGS   ?= -O2
LP_SAN_FLAGS :=
endif

# -ffile-prefix-map keeps the build path out of objects, __FILE__ and debug info;
# -Werror=date-time bans __DATE__/__TIME__/__TIMESTAMP__ outright (§4.1).
LP_CPPFLAGS := -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -I.
LP_CFLAGS   := -std=c11 -Wall -Wextra -Werror -Werror=date-time -fPIC \
               -ffile-prefix-map=$(CURDIR)=. $(PKG_CFLAGS) $(LP_SAN_FLAGS)
# --build-id=sha1 is a hash of the linked contents (stable), never a random uuid.
LP_LDFLAGS  := -Wl,--build-id=sha1 $(LP_SAN_FLAGS)
# ar D: zero uid/gid/mtime and fixed modes in archive members.
ARFLAGS     := rcD

ALL_CFLAGS  = $(LP_CPPFLAGS) $(CPPFLAGS) $(LP_CFLAGS) $(CFLAGS)
ALL_LDFLAGS = $(LP_LDFLAGS) $(LDFLAGS)

MODULES := canonical attest merkle audit
LIB_canonical := leadpoet_canonical

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
	$(CC) -shared -Wl,-soname,$(SO_NAME) -Wl,--version-script=canonical/leadpoet_canonical.map $(ALL_LDFLAGS) -o $@ $(sort $(canonical_OBJ)) $(shell pkg-config --libs libcrypto) -lm
	ln -sf libleadpoet_canonical.so.$(VERSION) $(BUILD)/lib/$(SO_NAME)
	ln -sf $(SO_NAME) $(BUILD)/lib/libleadpoet_canonical.so

$(BUILD)/obj/%.o: %.c $(wildcard */*.h)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# Command-line tools: one per verify/*.c, linked against every module.
TOOL_SRC := $(sort $(wildcard verify/*.c))
TOOL_COMMON_SRC := $(filter verify/cli_%.c,$(TOOL_SRC))
TOOL_MAIN_SRC := $(filter-out verify/cli_%.c,$(TOOL_SRC))
TOOL_COMMON_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(TOOL_COMMON_SRC))
TOOLS := $(patsubst verify/%.c,$(BUILD)/bin/%,$(TOOL_MAIN_SRC))

$(BUILD)/bin/%: $(BUILD)/obj/verify/%.o $(TOOL_COMMON_OBJ) $(STATIC_LIBS)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(TOOL_COMMON_OBJ) $(STATIC_LIBS) $(PKG_LIBS) -lm

# Unit tests: one Check binary per tests/test_*.c.
TEST_SRC := $(sort $(wildcard tests/test_*.c))
TEST_COMMON_SRC := tests/lp_test.c
TEST_BINS := $(patsubst tests/%.c,$(BUILD)/tests/%,$(TEST_SRC))
$(BUILD)/tests/%: $(BUILD)/obj/tests/%.o $(BUILD)/obj/tests/lp_test.o $(STATIC_LIBS)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(BUILD)/obj/tests/lp_test.o $(STATIC_LIBS) $(PKG_LIBS) $(CHECK_LIBS) -lm

$(BUILD)/obj/tests/%.o: tests/%.c $(wildcard */*.h) tests/lp_test.h
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
$(BUILD)/bench/%: $(BUILD)/obj/tests/bench/%.o $(STATIC_LIBS)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(STATIC_LIBS) $(PKG_LIBS) -lm

PC_FILE := $(BUILD)/lib/pkgconfig/leadpoet_canonical.pc
$(PC_FILE): canonical/leadpoet_canonical.pc.in Makefile
	@mkdir -p $(@D)
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(VERSION)|g' $< > $@

.PHONY: all deps check check-run demo install bench clean repro reprotest wycheproof
all: $(STATIC_LIBS) $(SO_FILE) $(TOOLS) $(PC_FILE)

deps:
	@sh scripts/install-deps.sh

# The suite twice: plain, then under AddressSanitizer + UBSan.
check: deps
	$(MAKE) check-run BUILD=build
	$(MAKE) check-run BUILD=build-san SAN=1
	@echo "check: both passes (plain, asan+ubsan) succeeded"

check-run: all $(TEST_BINS) $(BENCH_BINS) $(FUZZ_REPLAY_BINS)
	sh tests/run.sh $(BUILD) $(SAN)

demo: deps
	@$(MAKE) --no-print-directory all >/dev/null
	@sh scripts/demo.sh $(BUILD)

bench: all $(BENCH_BINS)
	@for b in $(BENCH_BINS); do $$b || exit 1; done

install: all
	install -d $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/bin
	install -m 644 $(BUILD)/lib/libleadpoet_canonical.a $(DESTDIR)$(PREFIX)/lib/
	install -m 755 $(SO_FILE) $(DESTDIR)$(PREFIX)/lib/
	ln -sf libleadpoet_canonical.so.$(VERSION) $(DESTDIR)$(PREFIX)/lib/$(SO_NAME)
	ln -sf $(SO_NAME) $(DESTDIR)$(PREFIX)/lib/libleadpoet_canonical.so
	install -m 644 canonical/leadpoet_canonical.h $(DESTDIR)$(PREFIX)/include/
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(VERSION)|g' canonical/leadpoet_canonical.pc.in > $(BUILD)/leadpoet_canonical.pc.install
	install -m 644 $(BUILD)/leadpoet_canonical.pc.install $(DESTDIR)$(PREFIX)/lib/pkgconfig/leadpoet_canonical.pc
	install -m 755 $(TOOLS) $(DESTDIR)$(PREFIX)/bin/

# Bit-for-bit rebuild check (spec eif-pcr-repro.md §4); REPRO_ARGS are extra make arguments
# for both builds. Exit 1 when a file differs.
repro:
	@sh scripts/repro.sh . -- $(REPRO_ARGS)

reprotest:
	@sh scripts/reprotest.sh

# Upstream Wycheproof files are not in the repository (vectors/wycheproof/README.md).
wycheproof: $(BUILD)/tests/test_wycheproof
	@test -n "$(WYCHEPROOF_DIR)" || { echo "usage: make wycheproof WYCHEPROOF_DIR=folder-of-wycheproof-json" >&2; exit 2; }
	WYCHEPROOF_DIR="$(WYCHEPROOF_DIR)" $(BUILD)/tests/test_wycheproof

clean:
	rm -rf build build-san build-fuzz

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
FUZZ_CFLAGS   = $(LP_CPPFLAGS) -std=c11 -g -O1 -fno-omit-frame-pointer $(PKG_CFLAGS) $(FUZZ_SAN)
FUZZ_LIB_SRC := $(foreach m,$(MODULES),$($(m)_SRC))
FUZZ_LIB_OBJ := $(patsubst %.c,$(FUZZ_DIR)/obj/%.o,$(FUZZ_LIB_SRC))

$(FUZZ_DIR)/obj/%.o: %.c $(wildcard */*.h)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ_DIR)/libfuzzlp.a: $(FUZZ_LIB_OBJ)
	rm -f $@
	$(AR) $(ARFLAGS) $@ $(sort $^)

$(FUZZ_DIR)/bin/%: tests/fuzz/%.c $(FUZZ_DIR)/libfuzzlp.a
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_DIR)/libfuzzlp.a $(PKG_LIBS) -lm

.PHONY: fuzz fuzz-build
fuzz-build: $(patsubst %,$(FUZZ_DIR)/bin/%,$(FUZZ_TARGETS))

fuzz: fuzz-build
	sh tests/fuzz/run_fuzz.sh $(FUZZ_DIR) $(FUZZ_SECONDS) $(FUZZ_TARGETS)
