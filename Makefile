# BPF-driven page-migration copy offload: build, test and demo.
# `make help` lists the targets.

TOP := $(CURDIR)
BUILD := $(TOP)/build
KERNEL_FLAVOR ?= default

ifeq ($(KERNEL_FLAVOR),default)
KOUT := $(BUILD)/kernel
FRAGS := kernel-patch/config/base.config
else ifeq ($(KERNEL_FLAVOR),debug)
KOUT := $(BUILD)/kernel-debug
FRAGS := kernel-patch/config/base.config kernel-patch/config/debug.config
VMTEST_FLAGS += --debug
else
$(error KERNEL_FLAVOR must be 'default' or 'debug', not '$(KERNEL_FLAVOR)')
endif

SRC := $(BUILD)/linux
TOOLS := $(BUILD)/tools
LIBBPF_OUT := $(TOOLS)/libbpf
LIBBPF_A := $(LIBBPF_OUT)/libbpf.a
LIBBPF_INC := $(TOOLS)/include
BPFTOOL := $(TOOLS)/bpftool/bpftool
VMLINUX_H := $(KOUT)/vmlinux.h
OBJ := $(BUILD)/obj
BPF_OBJ := $(OBJ)/bpf

CLANG ?= clang-19
LLVM_STRIP ?= llvm-strip-19
CC := gcc
CFLAGS ?= -O2 -g
CFLAGS += -Wall -Wextra -Werror -std=gnu11 -D_GNU_SOURCE
BPF_CFLAGS := -g -O2 -Wall -Werror -target bpf -D__TARGET_ARCH_x86 \
	-I$(KOUT) -I$(LIBBPF_INC) -I$(TOP)/bpf

KSTAMP := $(KOUT)/.build-stamp
SERIES := kernel-patch/series $(wildcard kernel-patch/*.patch)

# Guest test programs: static, so the guest needs nothing but the kernel.
TEST_PROGS := $(OBJ)/tests/migrate_verify $(OBJ)/tests/migrate_bench $(OBJ)/tests/migrate_trace \
	$(OBJ)/tests/migration_selftest $(OBJ)/tests/migrate_dma_selftest $(OBJ)/tests/test_progs \
	$(OBJ)/tests/policy_ctl $(OBJ)/tests/migrate_stress $(OBJ)/tests/tier_verify
KMODS := $(KOUT)/kmod/vmtest_warn.ko $(KOUT)/kmod/test_migrator.ko \
	$(KOUT)/kmod/test_dma_client.ko

.PHONY: all deps kernel kernel-stock tools bpf loader tests test stress run check-series \
	bench bench-smoke deb install-headers kernel-deb kernel-deb-config kernel-deb-test \
	clean distclean help FORCE

all: kernel tools bpf loader tests

help:
	@echo "make [TARGET] [KERNEL_FLAVOR=default|debug]"
	@echo "  all        (default) kernel, tools, bpf, loader and tests"
	@echo "  deps       install the Debian packages the project needs"
	@echo "  kernel     patched Linux 6.12 (bzImage, modules, BTF) in $(KOUT:$(TOP)/%=%)"
	@echo "  kernel-stock  stock Linux 6.12 (no series, same config) in build/kernel-stock"
	@echo "  tools      libbpf (static) and bpftool from the same kernel tree"
	@echo "  bpf        BPF objects and their skeletons"
	@echo "  loader     migctl"
	@echo "  kernel-deb the patched kernel as Debian packages for real hosts, from"
	@echo "             Debian's config (linux-config-6.12; hours) in build/kernel-deb"
	@echo "  kernel-deb-test  the same packages from the guest kernel's config (minutes),"
	@echo "             in build/kernel-deb-test (part of make test)"
	@echo "  deb        the migctl Debian package (migctl, migctl(8), the systemd unit,"
	@echo "             /etc/migctl/migctl.conf, bash completion) and migctl-dev (the"
	@echo "             headers a policy is written against) in build/deb"
	@echo "  install-headers  those headers in DESTDIR/PREFIX/include/migctl"
	@echo "             (PREFIX=/usr/local)"
	@echo "  tests      guest test programs and test modules"
	@echo "  test       host checks, then every guest test under vmtest.sh (TAP)"
	@echo "  stress     the stress run (tests/stress.sh) on both kernels;"
	@echo "             STRESS_SECONDS=120 each, STRESS_FLAVORS=\"default debug\""
	@echo "  run        build everything, boot the guest, run the demo"
	@echo "  bench      throughput of migration against stock 6.12 (slow; needs gnuplot);"
	@echo "             BENCH_CLOCK=icount: instructions per folio instead (slow)"
	@echo "  bench-smoke  the benchmark on our kernel, once, small (part of make test)"
	@echo "  check-series  checkpatch --strict every patch, and build the kernel after"
	@echo "             each patch with CONFIG_DMA_MIGRATION=y and =n (slow)"
	@echo "  clean      remove build outputs but keep the kernel trees and ccache"
	@echo "  distclean  remove build/ entirely"

deps:
	@scripts/deps.sh

# Every build starts by making sure the packages are there (a no-op when
# they are).
$(BUILD)/.deps-checked: FORCE
	@scripts/deps.sh
	@mkdir -p $(BUILD)

# --- kernel ------------------------------------------------------------

$(SRC)/.kp-stamp: $(SERIES) scripts/prepare-src.sh | $(BUILD)/.deps-checked
	@scripts/prepare-src.sh $(SRC)
	@touch $@

$(KSTAMP): $(SRC)/.kp-stamp $(FRAGS) scripts/build-kernel.sh
	@scripts/build-kernel.sh $(SRC) $(KOUT) $(FRAGS)
	@touch $@

kernel: $(KSTAMP)

# The patched kernel as Debian packages (scripts/kernel-deb.sh): for real
# hosts from Debian's config (hours), and for the tests from the guest
# kernel's (minutes), both plus kernel-patch/config/host.config. Built
# beside build/kernel, so that ccache finds its objects. The tests' build
# leaves out the debug symbols' package (the build profile
# pkg.linux-upstream.nokerneldbg): splitting and compressing them took
# most of its time, and nothing checks them.
KDEB_HOST_CONFIGS := kernel-patch/config/host.config kernel-patch/config/host-debian.config
kernel-deb: $(SRC)/.kp-stamp $(KDEB_HOST_CONFIGS) scripts/kernel-deb.sh
	@scripts/kernel-deb.sh $(SRC) $(BUILD)/kernel-deb-obj $(BUILD)/kernel-deb

kernel-deb-config: $(SRC)/.kp-stamp $(KDEB_HOST_CONFIGS) scripts/kernel-deb.sh
	@scripts/kernel-deb.sh --config-only $(SRC) $(BUILD)/kernel-deb-obj $(BUILD)/kernel-deb

KDEB_TEST_STAMP := $(BUILD)/kernel-deb-test/.stamp
$(KDEB_TEST_STAMP): $(KSTAMP) kernel-patch/config/host.config scripts/kernel-deb.sh
	@rm -rf $(BUILD)/kernel-deb-test && mkdir -p $(BUILD)/kernel-deb-test
	@DPKG_FLAGS=-Ppkg.linux-upstream.nokerneldbg \
		scripts/kernel-deb.sh --base $(KOUT)/.config $(SRC) $(BUILD)/kernel-deb-test-obj \
		$(BUILD)/kernel-deb-test > $(BUILD)/kernel-deb-test.log 2>&1 || \
		{ tail -n 30 $(BUILD)/kernel-deb-test.log; exit 1; }
	@touch $@

kernel-deb-test: $(KDEB_TEST_STAMP)

# The stock kernel of `make bench`: the same tarball without the series,
# the same config minus the symbols only the series has.
STOCK_SRC := $(BUILD)/linux-stock
STOCK_KOUT := $(BUILD)/kernel-stock
STOCK_FRAG := $(BUILD)/stock.config
STOCK_KSTAMP := $(STOCK_KOUT)/.build-stamp
SERIES_ONLY_SYMS := CONFIG_DMA_MIGRATION CONFIG_SW_DMA CONFIG_DMA_MIGRATOR

$(STOCK_SRC)/.kp-stamp: scripts/prepare-src.sh | $(BUILD)/.deps-checked
	@scripts/prepare-src.sh --stock $(STOCK_SRC)
	@touch $@

$(STOCK_FRAG): kernel-patch/config/base.config Makefile | $(BUILD)/.deps-checked
	@grep -vE '^(# )?($(subst $(eval) ,|,$(SERIES_ONLY_SYMS)))[= ]' $< > $@.tmp
	@if cmp -s $@.tmp $@; then rm $@.tmp; else mv $@.tmp $@; fi

$(STOCK_KSTAMP): $(STOCK_SRC)/.kp-stamp $(STOCK_FRAG) scripts/build-kernel.sh
	@scripts/build-kernel.sh $(STOCK_SRC) $(STOCK_KOUT) $(STOCK_FRAG)
	@touch $@

kernel-stock: $(STOCK_KSTAMP)

# --- libbpf, bpftool, vmlinux.h -------------------------------------------

$(LIBBPF_A): | $(SRC)/.kp-stamp
	@echo "  LIBBPF  $(@:$(TOP)/%=%)"
	@mkdir -p $(LIBBPF_OUT)
	@$(MAKE) -s -C $(SRC)/tools/lib/bpf OUTPUT=$(LIBBPF_OUT)/ BUILD_STATIC_ONLY=1 \
		DESTDIR=$(TOOLS)/root prefix=/usr install >/dev/null
	@rm -rf $(LIBBPF_INC) && mkdir -p $(LIBBPF_INC) && \
		cp -r $(TOOLS)/root/usr/include/bpf $(LIBBPF_INC)/
	@touch $@

$(BPFTOOL): | $(SRC)/.kp-stamp $(KSTAMP)
	@echo "  BPFTOOL $(@:$(TOP)/%=%)"
	@mkdir -p $(dir $@)
	@$(MAKE) -s -C $(SRC)/tools/bpf/bpftool OUTPUT=$(dir $@) CLANG=$(CLANG) \
		LLVM_STRIP=$(LLVM_STRIP) VMLINUX_BTF=$(KOUT)/vmlinux EXTRA_WARNINGS= \
		>/dev/null
	@touch $@

$(VMLINUX_H): $(KSTAMP) $(BPFTOOL)
	@echo "  GEN     $(@:$(TOP)/%=%)"
	@$(BPFTOOL) btf dump file $(KOUT)/vmlinux format c > $@.tmp && mv $@.tmp $@

tools: $(LIBBPF_A) $(BPFTOOL) $(VMLINUX_H)

# --- BPF objects and skeletons ------------------------------------------------

BPF_SRCS := $(wildcard bpf/*.bpf.c) $(wildcard tests/progs/*.bpf.c)
BPF_OBJS := $(patsubst %.bpf.c,$(BPF_OBJ)/%.bpf.o,$(notdir $(BPF_SRCS)))
BPF_SKELS := $(BPF_OBJS:.bpf.o=.skel.h)

vpath %.bpf.c bpf tests/progs

$(BPF_OBJ)/%.bpf.o: %.bpf.c $(VMLINUX_H) $(LIBBPF_A) $(wildcard bpf/*.h)
	@echo "  BPF     $(@:$(TOP)/%=%)"
	@mkdir -p $(dir $@)
	@$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(BPF_OBJ)/%.skel.h: $(BPF_OBJ)/%.bpf.o $(BPFTOOL)
	@echo "  SKEL    $(@:$(TOP)/%=%)"
	@$(BPFTOOL) gen skeleton $< name $(subst -,_,$(notdir $*)) > $@.tmp && mv $@.tmp $@

bpf: $(BPF_OBJS) $(BPF_SKELS)

# --- loader -------------------------------------------------------------------

# migctl: static, the objects of the built-in policies embedded, bpftool's
# JSON writer from the same tree. Its unit tests (tests/host/migctl-unit.c)
# link the same sources minus main.c.
MIGCTL := $(OBJ)/loader/migctl
MIGCTL_UNIT := $(OBJ)/tests/host/migctl-unit
MIGCTL_POLICIES := always never size reason workload adaptive tier
MIGCTL_BPF_OBJS := $(patsubst %,$(BPF_OBJ)/%.bpf.o,$(MIGCTL_POLICIES))
JSONW_DIR := $(SRC)/tools/bpf/bpftool
MIGCTL_LIB_SRCS := loader/migctl.c loader/args.c loader/config.c loader/tunables.c loader/policies.c
# Its version is the Debian package's (debian/changelog).
MIGCTL_VERSION := $(shell sed -n '1s/^[^(]*(\([^)]*\)).*/\1/p' debian/changelog)
MIGCTL_CFLAGS := -static -DMIGCTL_VERSION='"$(MIGCTL_VERSION)"' -DBPF_OBJ_DIR='"$(BPF_OBJ)"' -I$(TOP)/loader -I$(TOP)/bpf -I$(BPF_OBJ) -I$(LIBBPF_INC) \
	-I$(SRC)/tools/include/uapi -iquote $(JSONW_DIR) -idirafter $(SRC)/tools/include
MIGCTL_LIBS := $(JSONW_DIR)/json_writer.c $(LIBBPF_A) -lelf -lz -lzstd -lm

$(MIGCTL): loader/main.c $(MIGCTL_LIB_SRCS) loader/migctl.h $(MIGCTL_BPF_OBJS) $(LIBBPF_A) \
		debian/changelog
	@echo "  CC      $(@:$(TOP)/%=%)"
	@mkdir -p $(dir $@)
	@$(CC) $(CFLAGS) $(MIGCTL_CFLAGS) -o $@ loader/main.c $(MIGCTL_LIB_SRCS) $(MIGCTL_LIBS)

$(MIGCTL_UNIT): tests/host/migctl-unit.c $(MIGCTL_LIB_SRCS) loader/migctl.h $(MIGCTL_BPF_OBJS) $(LIBBPF_A)
	@echo "  CC      $(@:$(TOP)/%=%)"
	@mkdir -p $(dir $@)
	@$(CC) $(CFLAGS) $(MIGCTL_CFLAGS) -o $@ tests/host/migctl-unit.c $(MIGCTL_LIB_SRCS) \
		$(MIGCTL_LIBS)

loader: tools $(MIGCTL) $(MIGCTL_UNIT)

# The migctl package, by debhelper from debian/: staged in build/deb/migctl
# with what debian/migctl.install names, built there by dpkg-buildpackage
# (the .deb lands in build/deb, its files in build/deb/root for the tests).
DEB_DIR := $(BUILD)/deb
DEB_STAGE := $(DEB_DIR)/migctl
MIGCTL_DEB := $(DEB_DIR)/migctl_$(MIGCTL_VERSION)_$(shell dpkg --print-architecture).deb
MIGCTL_DEV_DEB := $(DEB_DIR)/migctl-dev_$(MIGCTL_VERSION)_all.deb
# What a policy is written against (the migctl-dev package, install-headers).
POLICY_HEADERS := bpf/migrator.bpf.h bpf/migctl.bpf.h
POLICY_EXAMPLES := bpf/example_thp.bpf.c bpf/example_demote.bpf.c

$(MIGCTL_DEB): $(MIGCTL) scripts/migctl-man.sh loader/migctl.conf loader/migctl.bash-completion \
		$(POLICY_HEADERS) $(POLICY_EXAMPLES) $(wildcard debian/* debian/source/*)
	@echo "  DEB     $(@:$(TOP)/%=%) $(MIGCTL_DEV_DEB:$(TOP)/%=%)"
	@rm -rf $(DEB_DIR) && mkdir -p $(DEB_STAGE)
	@cp -r debian $(DEB_STAGE)/
	@cp $(MIGCTL) loader/migctl.conf loader/migctl.bash-completion $(DEB_STAGE)/
	@cp $(POLICY_HEADERS) $(POLICY_EXAMPLES) $(DEB_STAGE)/
	@scripts/migctl-man.sh $(MIGCTL) $(DEB_STAGE)/migctl.8
	@cd $(DEB_STAGE) && dpkg-buildpackage -b -us -uc > ../build.log 2>&1 || \
		{ tail -n 30 ../build.log; exit 1; }
	@dpkg-deb -x $@ $(DEB_DIR)/root
	@dpkg-deb -x $(MIGCTL_DEV_DEB) $(DEB_DIR)/root

deb: $(MIGCTL_DEB)

# The headers of migctl-dev, for a host without Debian's packaging.
PREFIX ?= /usr/local
install-headers:
	install -d $(DESTDIR)$(PREFIX)/include/migctl
	install -m 0644 $(POLICY_HEADERS) $(DESTDIR)$(PREFIX)/include/migctl/

# --- tests --------------------------------------------------------------------

$(OBJ)/tests/migrate_verify $(OBJ)/tests/migrate_stress $(OBJ)/tests/migrate_bench \
		$(OBJ)/tests/tier_verify: \
		$(OBJ)/tests/%: tests/%.c tests/testlib.h | $(BUILD)/.deps-checked
	@echo "  CC      $(@:$(TOP)/%=%)"
	@mkdir -p $(dir $@)
	@$(CC) $(CFLAGS) -static -o $@ $<

$(OBJ)/tests/migrate_trace: tests/migrate_trace.c tests/testlib.h $(BPF_OBJ)/migrate_trace.skel.h $(LIBBPF_A)
	@echo "  CC      $(@:$(TOP)/%=%)"
	@mkdir -p $(dir $@)
	@$(CC) $(CFLAGS) -static -I$(BPF_OBJ) -I$(LIBBPF_INC) -o $@ $< $(LIBBPF_A) -lelf -lz -lzstd

POLICY_SKELS := $(addprefix $(BPF_OBJ)/,example_thp.skel.h policy_reason.skel.h policy_cgroup.skel.h)
$(OBJ)/tests/policy_ctl: tests/policy_ctl.c $(POLICY_SKELS) $(LIBBPF_A)
	@echo "  CC      $(@:$(TOP)/%=%)"
	@mkdir -p $(dir $@)
	@$(CC) $(CFLAGS) -static -I$(BPF_OBJ) -I$(LIBBPF_INC) -o $@ $< $(LIBBPF_A) -lelf -lz -lzstd

# The upstream migration selftest, from the same tree.
MM_SELFTESTS := $(SRC)/tools/testing/selftests/mm
# libnuma.a's getaddrinfo() makes ld warn about static linking; the
# selftest never calls it.
$(OBJ)/tests/migration_selftest: $(SRC)/.kp-stamp
	@echo "  CC      $(@:$(TOP)/%=%)"
	@mkdir -p $(dir $@)
	@$(CC) -O2 -static -D_GNU_SOURCE -I$(MM_SELFTESTS) -I$(MM_SELFTESTS)/.. -o $@ \
		$(MM_SELFTESTS)/migration.c $(MM_SELFTESTS)/thp_settings.c -lnuma -lpthread \
		-Wl,--no-warnings

# The series' own selftest, tools/testing/selftests/mm/migrate_dma.c.
$(OBJ)/tests/migrate_dma_selftest: $(SRC)/.kp-stamp
	@echo "  CC      $(@:$(TOP)/%=%)"
	@mkdir -p $(dir $@)
	@$(CC) -O2 -Wall -Werror -static -D_GNU_SOURCE -I$(MM_SELFTESTS) -I$(MM_SELFTESTS)/.. -o $@ \
		$(MM_SELFTESTS)/migrate_dma.c -lnuma -Wl,--no-warnings

# The series' BPF selftest, tools/testing/selftests/bpf/prog_tests/
# migrate_dma_policy.c, in the kernel's own test_progs runner. Only this
# test is built: the runner and its helpers from the tree, the test's BPF
# objects and their skeletons, and a tests.h that names this test alone
# (the selftests' Makefile would build the ~900 programs of every test).
# Compiled as that Makefile does by default (-O0 -Wall -Werror).
BPF_SELFTESTS := $(SRC)/tools/testing/selftests/bpf
BST := $(OBJ)/tests/bpf_selftests
BST_PROGS := migrate_dma_policy migrate_dma_policy_empty_name migrate_dma_policy_fail_args \
	migrate_dma_policy_fail_kfunc migrate_dma_policy_fail_sleepable migrate_dma_policy_fail_write
BST_HELPERS := test_progs.c cgroup_helpers.c trace_helpers.c network_helpers.c \
	testing_helpers.c btf_helpers.c cap_helpers.c unpriv_helpers.c netlink_helpers.c \
	jit_disasm_helpers.c test_loader.c xsk.c disasm.c disasm_helpers.c json_writer.c \
	prog_tests/migrate_dma_policy.c

$(BST)/%.bpf.o: $(SRC)/.kp-stamp $(VMLINUX_H) $(LIBBPF_A)
	@echo "  BPF     $(@:$(TOP)/%=%)"
	@mkdir -p $(dir $@)
	@$(CLANG) $(BPF_CFLAGS) -I$(BPF_SELFTESTS)/progs -I$(BPF_SELFTESTS) \
		-c $(BPF_SELFTESTS)/progs/$*.c -o $@

.SECONDARY: $(BST_PROGS:%=$(BST)/%.bpf.o)
$(BST)/%.skel.h: $(BST)/%.bpf.o $(BPFTOOL)
	@$(BPFTOOL) gen skeleton $< name $* > $@.tmp && mv $@.tmp $@

$(BST)/prog_tests/tests.h: $(SRC)/.kp-stamp
	@mkdir -p $(dir $@)
	@echo 'DEFINE_TEST(migrate_dma_policy)' > $@

$(OBJ)/tests/test_progs: $(BST)/prog_tests/tests.h $(BST_PROGS:%=$(BST)/%.skel.h) $(LIBBPF_A)
	@echo "  CC      $(@:$(TOP)/%=%)"
	@cd $(BPF_SELFTESTS) && $(CC) -O0 -g -Wall -Werror -static -I$(BST) -I. \
		-I$(LIBBPF_INC) -I$(SRC)/tools/include -I$(SRC)/tools/include/uapi \
		-I$(SRC)/tools/lib -I$(SRC)/tools/testing/selftests -o $@ $(BST_HELPERS) \
		$(LIBBPF_A) -lelf -lz -lzstd -lpthread -lrt -lm

# Test modules are built out of the repository (kbuild writes its objects
# next to the sources of an external module).
$(KOUT)/kmod/%.ko: tests/kmod/%.c tests/kmod/Kbuild $(KSTAMP)
	@echo "  KMOD    $(@:$(TOP)/%=%)"
	@mkdir -p $(dir $@)
	@cp tests/kmod/*.c tests/kmod/Kbuild $(dir $@)
	@$(MAKE) -s -C $(KOUT) M=$(dir $@) modules >/dev/null

tests: kernel $(TEST_PROGS) $(KMODS)

# The guest tests run on both kernels: the default one and the debug one
# (KASAN, lockdep, DEBUG_VM).
TEST_FLAVORS ?= default debug
export TEST_FLAVORS

test: all deb kernel-deb-config kernel-deb-test
	@for f in $(filter-out $(KERNEL_FLAVOR),$(TEST_FLAVORS)); do \
		$(MAKE) --no-print-directory KERNEL_FLAVOR=$$f kernel tests || exit 1; \
	done
	@tests/run-tests.sh

# The stress run (tests/stress.sh) on each kernel of STRESS_FLAVORS, for
# STRESS_SECONDS each, in a guest with a lower memory tier (its tier
# churn); `make test` runs a 120-second slice of it (tests/guest/90-stress.sh,
# in the two-node guest).
STRESS_SECONDS ?= 120
STRESS_FLAVORS ?= default debug

stress: all
	@for f in $(filter-out $(KERNEL_FLAVOR),$(STRESS_FLAVORS)); do \
		$(MAKE) --no-print-directory KERNEL_FLAVOR=$$f kernel tests || exit 1; \
	done
	@for f in $(STRESS_FLAVORS); do \
		echo "# stress run on the $$f kernel, $(STRESS_SECONDS) seconds"; \
		./vmtest.sh $$( [ $$f = debug ] && echo --debug ) --tiers 1 \
			--timeout $$(( $(STRESS_SECONDS) * 2 + 600 )) \
			-- tests/stress.sh $(STRESS_SECONDS) || exit 1; \
	done

# The benchmark against stock 6.12 (scripts/bench.sh), in seconds or, with
# BENCH_CLOCK=icount, in instructions; bench-smoke is its
# quick form, on our kernel only, which `make test` runs in its guest
# (tests/guest/89-bench-smoke.sh).
bench: all kernel-stock
	@scripts/deps.sh --bench
	@scripts/bench.sh

bench-smoke: all
	@scripts/bench.sh --smoke

check-series: $(SRC)/.kp-stamp
	@scripts/check-series.sh --build

run: all
	@./vmtest.sh --tiers 1 $(VMTEST_FLAGS) -- tests/demo.sh

clean:
	rm -rf $(OBJ) $(TOOLS) $(BUILD)/vmtest* $(BUILD)/kernel*/kmod $(BUILD)/bench*

distclean:
	rm -rf $(BUILD)

FORCE:
