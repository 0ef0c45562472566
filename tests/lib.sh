# Shell helpers for guest tests (sourced).  Each test is a bash script run
# by tests/run-guest.sh: exit 0 passes, 77 skips (last line says why), any
# other status fails.
MD=/sys/kernel/mm/migrate_dma
BIN=${TESTS_BIN:-$TOP/build/obj/tests}
# Test modules built against the kernel the guest runs (the debug flavour
# has "-debug" in its release).
case "$(uname -r)" in
*-debug) KMOD=$TOP/build/kernel-debug/kmod ;;
*) KMOD=$TOP/build/kernel/kmod ;;
esac

fail() { echo "FAIL: $*"; exit 1; }
skip() { echo "SKIP: $*"; exit 77; }

need_migrate_dma() {
	[ -d $MD ] || skip "kernel without CONFIG_DMA_MIGRATION ($MD missing)"
}

# Keep background migrations (NUMA balancing, proactive compaction) from
# moving pages while a test compares counters with what it migrated.
quiet_mm() {
	echo 0 > /proc/sys/kernel/numa_balancing 2>/dev/null
	echo 0 > /proc/sys/vm/compaction_proactiveness 2>/dev/null
}

mdstat() { cat "$MD/stats/$1"; }

# snap NAME: remember all counters as NAME_<counter>
snap() {
	local f
	for f in "$MD"/stats/*; do
		printf -v "${1}_${f##*/}" '%s' "$(cat "$f")"
	done
}

# delta SNAP COUNTER: counter now minus its value in SNAP
delta() {
	local v="${1}_$2"
	echo $(( $(mdstat "$2") - ${!v} ))
}

expect_eq() {	# expect_eq WHAT GOT WANT
	if [ "$2" != "$3" ]; then
		fail "$1: got $2, expected $3"
	fi
	echo "$1 = $2"
}

load_migrator() {
	rmmod test_migrator 2>/dev/null
	insmod "$KMOD/test_migrator.ko" "$@" || fail "insmod test_migrator $*"
	[ "$(cat $MD/migrator)" = test_migrator ] || fail "migrator is '$(cat $MD/migrator)' after insmod"
}

unload_migrator() {
	rmmod test_migrator || fail "rmmod test_migrator"
	[ "$(cat $MD/migrator)" = kernel ] || fail "migrator is '$(cat $MD/migrator)' after rmmod"
}

tm() { cat /sys/kernel/debug/test_migrator/"$1"; }

BPFTOOL=$TOP/build/tools/bpftool/bpftool
BPFOBJ=$TOP/build/obj/bpf

need_bpf_policy() {
	need_migrate_dma
	[ -r $MD/policy ] || skip "kernel without the BPF migration policy ($MD/policy missing)"
}

# refused OBJECT EXPECTED-MESSAGE: `bpftool struct_ops register` of the BPF
# object must fail, and the verifier's log must give the reason.
refused() {
	local msg
	need_bpf_policy
	if msg=$("$BPFTOOL" struct_ops register "$BPFOBJ/$1.bpf.o" /sys/fs/bpf 2>&1); then
		rm -f "/sys/fs/bpf/$1"
		fail "$1 was loaded"
	fi
	if ! printf '%s\n' "$msg" | grep -q -- "$2"; then
		printf '%s\n' "$msg" | tail -n 15
		fail "$1: refused, but without '$2'"
	fi
	echo "$1: refused: $(printf '%s\n' "$msg" | grep -m1 -- "$2")"
	expect_eq "policy" "$(cat $MD/policy)" none
}
