#!/bin/bash
# The recogniser of QEMU TCG's live-patching fault (scripts/tcg-int3-fault.py),
# which makes vmtest.sh boot a guest once more, must accept that fault and
# nothing else. It is fed saved consoles (tests/host/consoles/):
#   tcg-fault-upstream.log      the fault at an upstream tracepoint site,
#                               from scripts/tcg-int3-check.sh, no module
#   tcg-fault-migrate-dma.log   the fault at the series' own static key, a
#                               migrator started under migration load
#   tcg-fault-static-call.log   the fault at a static call site (the
#                               sched_switch tracepoint's, in __schedule)
#   tcg-fault-two-cpus.log      the fault met by two vCPUs at once, at the
#                               series' static key in migrate_pages(), as
#                               dma_migrator stopped (90-stress; the
#                               tests' messages in the middle left out)
#   (made from the first)       the fault at an ftrace site, folio_mc_copy's
#   int3-module.log             a genuine int3: vmtest_warn.ko what=int3
#   bug.log                     a BUG(): vmtest_warn.ko what=bug
# and consoles made from the first two the way a real bug would differ: the
# int3 still in memory, an int3 next to a site rather than on it, a splat
# before it, a second oops. live-patch-sites.txt holds the sites of the
# kernel that printed them, for the functions they name. Arguments are
# ignored (run-tests.sh passes vmtest.sh's).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
rec=$top/scripts/tcg-int3-fault.py
dir=$top/tests/host/consoles
sites=$dir/live-patch-sites.txt
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fails=0
echo "TAP version 13"
echo "1..16"

check() {	# check WANT(0 accept, 1 refuse) NAME CONSOLE [REASON-REGEX]
	local want=$1 name=$2 console=$3 why=${4:-} out rc
	n=$((n + 1))
	out=$("$rec" check "$console" "$sites" 2>&1)
	rc=$?
	if [ $rc = "$want" ] && { [ -z "$why" ] || grep -qE "$why" <<< "$out"; }; then
		echo "ok $n - tcg-int3-fault: $name"
	else
		echo "not ok $n - tcg-int3-fault: $name"
		echo "# exit $rc, expected $want; said: $out"
		fails=$((fails + 1))
	fi
}

up=$dir/tcg-fault-upstream.log
ours=$dir/tcg-fault-migrate-dma.log
check 0 "the fault at an upstream tracepoint site is recognised" "$up" \
	'^Oops: int3 at ttwu_do_activate\+0x[0-9a-f]+, the jump label site'
check 0 "the fault at the series' static key is recognised" "$ours" \
	'^Oops: int3 at migrate_batch_pages\+0x16, the jump label site migrate_batch_pages\+0x15'
check 0 "the fault at a static call site is recognised" "$dir/tcg-fault-static-call.log" \
	'^Oops: int3 at __schedule\+0x481, the static call site __schedule\+0x480'
# The same fault at the call to __fentry__ that ftrace patches for a
# kprobe (fail_function on folio_mc_copy(), 45-poisoned-source): the
# upstream console with its RIP moved there.
sed -E 's/ttwu_do_activate\+0x[0-9a-f]+\/0x[0-9a-f]+/folio_mc_copy+0x5\/0xc0/' "$up" > "$tmp/ftrace.log"
check 0 "the fault at an ftrace site is recognised" "$tmp/ftrace.log" \
	'^Oops: int3 at folio_mc_copy\+0x5, the ftrace site folio_mc_copy\+0x4'
check 1 "a module's own int3 is a kernel bug" "$dir/int3-module.log" 'module \[vmtest_warn\]'
check 1 "a BUG() is a kernel bug" "$dir/bug.log" 'not an int3 oops'

# The site's byte still int3 in the Code: line: the kernel failed to
# handle its own breakpoint, the hardware did nothing wrong.
sed -E 's/^(.*Code: .*)[0-9a-f]{2} (<[0-9a-f]{2}>)/\1cc \2/' "$up" > "$tmp/still-cc.log"
check 1 "an int3 still in memory at the site is a kernel bug" "$tmp/still-cc.log" 'still in memory'
sed -E 's/^(.*Code: .*)[0-9a-f]{2} (<[0-9a-f]{2}>)/\1cc \2/' "$ours" > "$tmp/still-cc2.log"
check 1 "the same at the series' static key" "$tmp/still-cc2.log" 'still in memory'

# One byte further: not the byte after a site's first byte.
off=$(sed -nE 's/.*RIP: 0010:ttwu_do_activate\+0x([0-9a-f]+)\/.*/\1/p' "$up" | head -n 1)
sed -E "s/ttwu_do_activate\+0x$off\//ttwu_do_activate+0x$(printf '%x' $((0x$off + 1)))\//" "$up" > "$tmp/next.log"
check 1 "an int3 one byte past the site's second byte is a kernel bug" "$tmp/next.log" \
	'not one byte past a live-patch site'

# A warning before the int3: the kernel was already in trouble.
awk '/Oops: int3/ && !d { print "[   1.000000] WARNING: CPU: 0 PID: 1 at mm/migrate.c:1 x+0x0/0x10"; d = 1 } 1' \
	"$up" > "$tmp/warn-first.log"
check 1 "a splat before the int3 oops is not excused" "$tmp/warn-first.log" 'not an int3 oops'
sed -e 's/Oops: int3: 0000 \[#1\]/Oops: int3: 0000 [#2]/' "$up" > "$tmp/second.log"
check 1 "a second oops of the boot is not excused" "$tmp/second.log" 'not the first oops'
two=$dir/tcg-fault-two-cpus.log
check 0 "the fault met by two vCPUs at the same site is recognised" "$two" \
	'^Oops: int3 at migrate_pages\+0xa0, the jump label site migrate_pages\+0x9f.*1 more vCPU'
# The second vCPU's oops with a RIP of its own elsewhere: two faults at two
# places are not one stale translation.
awk '/Oops: int3: 0000 \[#2\]/ { print; print "[  666.290759] RIP: 0010:ttwu_do_activate+0x5/0x100"; next } 1' \
	"$two" > "$tmp/two-places.log"
check 1 "a second vCPU's int3 oops at another place is not excused" "$tmp/two-places.log" \
	'another int3 oops at ttwu_do_activate\+0x5, not at migrate_pages\+0xa0'
awk '/Kernel panic - not syncing/ && !d { print "[ 100.000000] BUG: unable to handle page fault for address: 0000000000000008"; d = 1 } 1' \
	"$ours" > "$tmp/splat-after.log"
check 1 "another splat after the int3 oops is not excused" "$tmp/splat-after.log" 'another splat follows'

# The sites of the kernel built here: every jump label, static call site,
# trampoline and ftrace call, named the way an oops names an address.
n=$((n + 1))
vmlinux=$top/build/kernel/vmlinux
if [ -f "$vmlinux" ] && [ -f "$top/build/kernel/System.map" ]; then
	"$rec" sites "$vmlinux" "$top/build/kernel/System.map" > "$tmp/sites" 2> "$tmp/err"
	total=$(wc -l < "$tmp/sites")
	bad=$(python3 -c 'import re, sys
for l in sys.stdin:
    o, s = re.search(r"\+0x(\w+)/0x(\w+) ", l).groups()
    if int(o, 16) >= int(s, 16): print(l.strip())' < "$tmp/sites" | head -n 3)
	if [ "$total" -gt 1000 ] && [ -z "$bad" ] &&
		grep -qE '^ttwu_do_activate\+0x[0-9a-f]+/0x[0-9a-f]+ jump_label$' "$tmp/sites" &&
		grep -qE '^__SCT__[a-z_]+\+0x0/0x[0-9a-f]+ static_call_tramp$' "$tmp/sites" &&
		grep -qE ' static_call$' "$tmp/sites" &&
		grep -qE '^folio_mc_copy\+0x[0-9a-f]+/0x[0-9a-f]+ ftrace$' "$tmp/sites"; then
		echo "ok $n - tcg-int3-fault: $total live-patch sites read from build/kernel/vmlinux"
	else
		echo "not ok $n - tcg-int3-fault: the live-patch sites of build/kernel/vmlinux"
		echo "# $total sites; offsets past their symbol: ${bad:-none}"
		sed -e 's/^/# /' "$tmp/err"
		fails=$((fails + 1))
	fi
else
	echo "ok $n - tcg-int3-fault: live-patch sites # SKIP build/kernel/vmlinux is not built (make kernel)"
fi

n=$((n + 1))
if "$rec" check /nonexistent "$sites" > /dev/null 2> "$tmp/err"; [ $? = 2 ] &&
	[ "$(wc -l < "$tmp/err")" = 1 ]; then
	echo "ok $n - tcg-int3-fault: a missing console: exit 2, one line"
else
	echo "not ok $n - tcg-int3-fault: a missing console: exit 2, one line"
	fails=$((fails + 1))
fi
[ $fails = 0 ]
