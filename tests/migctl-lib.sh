# Helpers for the migctl guest tests (tests/guest/7*-migctl-*.sh), sourced
# after tests/lib.sh.
MIGCTL=$TOP/build/obj/loader/migctl
PINS=/sys/fs/bpf/migrator
PY=/usr/bin/python3

need_migctl() {
	need_bpf_policy
	[ -x "$MIGCTL" ] || fail "$MIGCTL not built (make loader)"
	quiet_mm
	# A policy left by an earlier test would make every attach fail.
	[ -e $PINS/link ] && "$MIGCTL" detach
	[ "$(cat $MD/policy)" = none ] || fail "a policy ($(cat $MD/policy)) is attached before the test"
}

# mc ARGS...: migctl, which must succeed
mc() {
	"$MIGCTL" "$@" || fail "migctl $* failed"
}

# pc COUNTER: the attached policy's own counter, from `migctl stats`
# ("POLICY.COUNTER VALUE" lines)
pc() {
	local v
	v=$("$MIGCTL" stats | awk -v k="$(cat $MD/policy).$1" '$1 == k { print $2 }')
	[ -n "$v" ] || fail "no policy counter $1"
	echo "$v"
}

# psnap NAME: remember the policy's counters as NAME_p_<counter>
psnap() {
	local k v
	while read -r k v; do
		printf -v "${1}_p_${k#*.}" '%s' "$v"
	done < <("$MIGCTL" stats | grep "^$(cat $MD/policy)\.")
}

# pdelta SNAP COUNTER: the policy counter now minus its value in SNAP
pdelta() {
	local v="${1}_p_$2"
	echo $(( $(pc "$2") - ${!v} ))
}

# status_field EXPR: a field of `migctl status --json`, as Python sees it
# (EXPR indexes d, e.g. "d['tunables']['min_order']")
status_field() {
	"$MIGCTL" status --json | $PY -c "import json, sys; d = json.load(sys.stdin); print($1)"
}

# moved FILE: the folios migrate_verify reported moving (summed over
# every run whose output FILE holds)
moved() {
	sed -n 's/^moved folios=\([0-9]*\) .*/\1/p' "$1" | awk '{ n += $1 } END { print n + 0 }'
}

# The state a refused command must leave alone: the attached policy, the
# pins, the link, the tunables and every cgroup's tunables (`migctl
# status` without its counters).
state() {
	cat $MD/policy
	ls -1 $PINS 2>/dev/null
	if [ "$(id -u)" = 0 ] && [ -r $MD/policy ]; then
		"$MIGCTL" status | grep -v -e '^counters:' -e '^policy counters:'
	fi
}

# refused_mc WHAT MESSAGE CMD...: CMD must exit non-zero with exactly one
# line on stderr, "migctl: ...MESSAGE...", and change nothing. With
# hide=DIR, CMD runs with an empty tmpfs over DIR (a kernel without it).
refused_mc() {
	local what=$1 msg=$2 before after rc err
	shift 2
	before=$(state)
	if [ -n "${hide:-}" ]; then
		mount -t tmpfs none "$hide" || fail "cannot hide $hide"
	fi
	"$@" > /tmp/mc.out 2> /tmp/mc.err
	rc=$?
	if [ -n "${hide:-}" ]; then
		umount "$hide" || fail "cannot unhide $hide"
	fi
	err=$(cat /tmp/mc.err)
	after=$(state)
	[ $rc != 0 ] || fail "$what: exit status 0 ($*)"
	[ "$(wc -l < /tmp/mc.err)" = 1 ] || { cat /tmp/mc.err; fail "$what: not one line on stderr"; }
	case "$err" in
	"migctl: "*"$msg"*) ;;
	*) fail "$what: stderr '$err' lacks '$msg'" ;;
	esac
	[ "$before" = "$after" ] || { echo "before: $before"; echo "after: $after"; fail "$what: the state changed"; }
	echo "$what: exit $rc, $err"
}

# swap_under_loop WHAT N DO A B: while migrate_verify moves 8 MiB of anon
# and THP round after round, "DO A", "DO B", "DO A"... N times, each of
# which must leave that policy attached (WHAT, a plural, names them in
# messages). Then: every byte moved intact, and every folio of the loop's
# batch copies decided by a policy: no moment without one.
swap_under_loop() {
	local what=$1 swaps=$2 step=$3 a=$4 b=$5 p n loop out stop
	out=$(mktemp)
	stop=$out.stop
	snap swap
	# The loop runs until the swaps are done, however fast either goes.
	while [ ! -e "$stop" ]; do
		"$BIN/migrate_verify" --size 8 --rounds 2 anon thp || exit 1
	done > "$out" 2>&1 &
	loop=$!
	for ((n = 0; n < swaps; n++)); do
		if [ $((n % 2)) = 0 ]; then p=$a; else p=$b; fi
		"$step" "$p"
		[ "$(cat $MD/policy)" = "$p" ] || fail "policy is '$(cat $MD/policy)' after $step $p"
		kill -0 $loop 2>/dev/null || break
	done
	touch "$stop"
	wait $loop || { cat "$out"; fail "the migration loop lost data during the $what"; }
	rm -f "$out" "$stop"
	[ "$n" = "$swaps" ] || fail "the migration loop ended after $n $what"
	echo "$n $what during the migration loop"
	expect_eq "folios decided by a policy" \
		$(( $(delta swap policy_dma) + $(delta swap policy_cpu) )) "$(delta swap folios)"
}
