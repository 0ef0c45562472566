#!/bin/bash
# Host-side checks of vmtest.sh itself: usage errors, the guest command's
# exit status carried out, a kernel WARNING and a hung guest failing the run,
# a user program's fault left to the program, the guest test runner keeping
# one test's leftovers from the next and resuming after a reboot.
# Arguments are passed to vmtest.sh (e.g. --debug).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
vm=("$top/vmtest.sh" "$@")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fails=0
echo "TAP version 13"
echo "1..13"

check() {
	local name=$1; shift
	n=$((n + 1))
	if "$@"; then
		echo "ok $n - vmtest: $name"
	else
		echo "not ok $n - vmtest: $name"
		sed -e 's/^/# /' "$tmp/err" | tail -n 20
		fails=$((fails + 1))
	fi
}

run() {	# run EXPECTED_RC vmtest-args...: vmtest.sh must exit EXPECTED_RC
	local want=$1 rc; shift
	"${vm[@]}" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ "$rc" = "$want" ] || { echo "exit status $rc, expected $want" >> "$tmp/err"; return 1; }
}

check "unknown option: exit 2 and usage on stderr" \
	eval 'run 2 --no-such-option -- true && grep -q "^usage:" "$tmp/err"'
check "bad --cpus value: exit 2" run 2 --cpus many -- true
check "too many --tiers: exit 2" run 2 --nodes 2 --tiers 7 -- true
check "guest command's output reaches the host" \
	eval 'run 0 -- echo vmtest-marker-$$ && grep -qx "vmtest-marker-$$" "$tmp/out"'
check "guest command exiting 3 makes vmtest.sh exit 3" run 3 -- sh -c 'exit 3'
check "guest runs in the repository, which is writable" \
	eval 'run 0 -- sh -c "[ \"\$(pwd)\" = \"$top\" ] && touch build/.vmtest-rw && rm build/.vmtest-rw"'

# A shared folder under /tmp, hidden by the guest's own tmpfs on /tmp until
# vm-init mounts it again (the repository itself may be there too).
echo shared-$$ > "$tmp/marker"
check "--share of a folder under /tmp, read-write" \
	eval 'run 0 --share "$tmp" -- sh -c "grep -qx shared-$$ \"$tmp/marker\" && echo back > \"$tmp/back\"" && grep -qx back "$tmp/back"'

warn_ko=$top/build/kernel/kmod/vmtest_warn.ko
case " $* " in *" --debug "*) warn_ko=$top/build/kernel-debug/kmod/vmtest_warn.ko ;; esac
check "a kernel WARNING in the guest fails the run and shows the splat" \
	eval 'run 1 -- insmod "$warn_ko"; grep -q "WARNING:" "$tmp/err"'
check "a hung guest is killed at --timeout and fails the run" \
	run 124 --timeout 20 -- sleep 1000
# A user program's general protection fault: the kernel logs it ("traps:"),
# the program's exit status reports it; it is not the kernel's splat.
check "a user program's general protection fault is its own failure, logged" \
	eval 'run 139 -- python3 -c "import ctypes; ctypes.string_at(0x8000000000000000, 1)" &&
		! grep -q "kernel reported a problem" "$tmp/err" &&
		grep -q "traps: python3\[[0-9]*\] general protection fault" "$(ls -t "$top"/build/vmtest-console*.log | head -n 1)"'
# tests/run-guest.sh: a passing test that leaves a process (holding its
# stdout), a cgroup and a bpffs pin behind fails, and the next test finds
# none of them; the runner does not wait for the process.
mkdir "$tmp/guest"
cat > "$tmp/guest/a-leaky.sh" << 'EOF'
sleep 1000 &
mkdir /sys/fs/cgroup/vmtest_leak /sys/fs/bpf/vmtest_leak
K=/sys/kernel/mm/damon/admin/kdamonds
echo 1 > $K/nr_kdamonds && echo 1 > $K/0/contexts/nr_contexts &&
	echo paddr > $K/0/contexts/0/operations && echo on > $K/0/state
echo true > /sys/kernel/mm/numa/demotion_enabled
EOF
cat > "$tmp/guest/b-clean.sh" << 'EOF'
pgrep -x sleep && exit 1
[ -e /sys/fs/cgroup/vmtest_leak ] && exit 1
[ -e /sys/fs/bpf/vmtest_leak ] && exit 1
[ "$(cat /sys/kernel/mm/damon/admin/kdamonds/nr_kdamonds)" = 0 ] || exit 1
[ "$(cat /sys/kernel/mm/numa/demotion_enabled)" = false ] || exit 1
exit 0
EOF
check "a guest test's leftovers fail it and are gone for the next" \
	eval 'run 1 --share "$tmp" --timeout 120 -- sh -c "GUEST_TESTS_DIR=$tmp/guest tests/run-guest.sh" &&
		grep -q "^not ok 1 - a-leaky (left the guest changed" "$tmp/out" &&
		grep -q "^# left behind: process .*sleep 1000" "$tmp/out" &&
		grep -q "^# left behind: cgroup /sys/fs/cgroup/vmtest_leak" "$tmp/out" &&
		grep -q "^# left behind: bpffs entry /sys/fs/bpf/vmtest_leak" "$tmp/out" &&
		grep -q "^# left behind: 1 DAMON kdamond" "$tmp/out" &&
		grep -q "^ok 2 - b-clean" "$tmp/out"'
# After a reboot for QEMU's live-patching fault (VMTEST_ATTEMPT=2), the
# runner leaves out the tests its journal says reported, runs the others,
# and still fails for a failure the first boot reported.
mkdir "$tmp/resume" "$tmp/state"
echo 'exit 1' > "$tmp/resume/a-reported.sh"
echo 'exit 0' > "$tmp/resume/b-cut-short.sh"
echo 'ok 1 - a-reported (1s)' > "$tmp/state/run-guest.tap"
resume="VMTEST_STATE=$tmp/state VMTEST_ATTEMPT=2 GUEST_TESTS_DIR=$tmp/resume tests/run-guest.sh"
check "a resumed runner runs only the tests that did not report" \
	eval 'run 0 --share "$tmp" --timeout 120 -- sh -c "$resume" &&
		! grep -q "^TAP version" "$tmp/out" && ! grep -q "^ok 1 " "$tmp/out" &&
		grep -q "^ok 2 - b-cut-short" "$tmp/out" &&
		grep -q "^ok 2 - b-cut-short" "$tmp/state/run-guest.tap"'
echo 'not ok 1 - a-reported (exit 1)' > "$tmp/state/run-guest.tap"
check "a resumed runner fails for a failure reported before the reboot" \
	eval 'run 1 --share "$tmp" --timeout 120 -- sh -c "$resume" &&
		grep -q "^ok 2 - b-cut-short" "$tmp/out"'
[ $fails = 0 ]
