#!/bin/bash
# Guest-side test runner: runs every executable tests/guest/*.sh in order and
# prints TAP.  A test passes with exit 0, is skipped with exit 77 (its last
# output line says why), and fails otherwise; its output becomes TAP
# diagnostics.  Usage: tests/run-guest.sh [PATTERN]  (a glob on test names);
# GUEST_TESTS_DIR names another directory of tests (the harness's own test).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
export TOP=$top TESTS_BIN=$top/build/obj/tests
pattern=${1:-*}
per_test_timeout=${TEST_TIMEOUT:-900}

dir=${GUEST_TESTS_DIR:-$top/tests/guest}
mapfile -t tests < <(cd "$dir" && ls -1 $pattern.sh 2>/dev/null | sort)
# Every result also goes to a journal in VMTEST_STATE, which outlives a
# reboot: when vmtest.sh boots the guest again after QEMU's live-patching
# fault (VMTEST_ATTEMPT=2), the tests that reported are not run again, and
# the test the fault cut short starts over.
journal=${VMTEST_STATE:+$VMTEST_STATE/run-guest.tap}
if [ "${VMTEST_ATTEMPT:-1}" = 1 ] || [ -z "$journal" ]; then
	[ -z "$journal" ] || : > "$journal"
	echo "TAP version 13"
	echo "1..${#tests[@]}"
else
	touch "$journal"
	echo "# guest booted again after the emulator's fault: the $(wc -l < "$journal") tests that reported are not run again"
fi
report() {
	echo "$1"
	[ -z "$journal" ] || echo "$1" >> "$journal"
}
echo "# kernel $(uname -r), $(nproc) CPUs, nodes: $(ls -d /sys/devices/system/node/node* | wc -l)"
# The state every test starts from (tests/guest-reset.sh): what one test
# leaves behind is removed before the next, and fails the test that left it.
state=$(mktemp -d)
bash "$top/tests/guest-reset.sh" save "$state" || exit 1
n=0
fails=0
for t in "${tests[@]}"; do
	n=$((n + 1))
	name=${t%.sh}
	if [ -n "$journal" ] && grep -qE "^(not )?ok $n - $name( |\$)" "$journal"; then
		grep -qE "^not ok $n - " "$journal" && fails=$((fails + 1))
		continue
	fi
	start=$(date +%s)
	# To a file, not a pipe: a process the test leaves running would hold a
	# pipe open, and the runner would wait for it.
	(cd "$top" && timeout -k 10 "$per_test_timeout" bash "$dir/$t") > "$state/out" 2>&1
	rc=$?
	out=$(cat "$state/out")
	secs=$(( $(date +%s) - start ))
	printf '%s\n' "$out" | sed -e 's/^/# /'
	left=$(bash "$top/tests/guest-reset.sh" restore "$state" 2>&1)
	reset=$?
	[ -n "$left" ] && printf '%s\n' "$left" | sed -e 's/^/# /'
	if [ $reset = 2 ]; then
		echo "# the tests after $name may fail for what it left behind"
	fi
	if [ $reset != 0 ] && { [ $rc = 0 ] || [ $rc = 77 ]; }; then
		report "not ok $n - $name (left the guest changed, see above)"
		fails=$((fails + 1))
		continue
	fi
	case $rc in
	0) report "ok $n - $name (${secs}s)" ;;
	77) report "ok $n - $name # SKIP $(printf '%s\n' "$out" | tail -n 1 | sed -e 's/^SKIP: *//')" ;;
	124) report "not ok $n - $name (timed out after ${per_test_timeout}s)"; fails=$((fails + 1)) ;;
	*) report "not ok $n - $name (exit $rc)"; fails=$((fails + 1)) ;;
	esac
done
[ $fails = 0 ]
