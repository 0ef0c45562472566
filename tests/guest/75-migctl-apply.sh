# `migctl apply`: the running state becomes the file's (policy, global
# tunables, per-cgroup rules by path, a rule's unset keys from the rule
# above it), applying twice changes nothing (the same link and struct_ops
# map, the same values), `show --config` prints what `apply` reads back to
# no change, a changed tunable or rule is written in place, another policy
# is swapped in with no moment without one (under a migration loop, every
# byte intact), a rule for a cgroup not created yet waits for the next
# apply, every bad file is refused whole with its line named, and
# `policy none` detaches.
. "$TOP/tests/lib.sh"
loader_only "migctl apply"
. "$TOP/tests/migctl-lib.sh"
need_migctl
cg=/sys/fs/cgroup
rmdir $cg/ap_a/ap_b $cg/ap_a $cg/ap_c 2>/dev/null
memcg ap_a/ap_b
load_migrator
d=/tmp/apply
mkdir -p $d

# ap FILE EXPECTED_STDOUT: apply, which must succeed saying EXPECTED_STDOUT
ap() {
	local out
	out=$("$MIGCTL" apply "$1" 2> $d/err) || { cat $d/err; fail "migctl apply $1 failed"; }
	[ "$out" = "$2" ] || { cat "$1"; fail "apply $1 said '$out', not '$2'"; }
	echo "apply $1: $out"
}
ids() { status_field "d['link_id'], d['map_id']"; }
tun() { status_field "d['tunables']['$1']"; }
cgtun() {	# cgtun PATH KEY
	status_field "[c['tunables']['$2'] for c in d['cgroups'] if c['path'] == '$cg/$1'][0]"
}

cat > $d/one.conf <<EOF
# the first configuration
policy size
set min_order=0 min_bytes=64K   # a comment after values
cgroup ap_a min_bytes=2M
cgroup $cg/ap_a/ap_b min_order=9
EOF
ap $d/one.conf "attached size"
expect_eq "policy" "$(cat $MD/policy)" size
expect_eq "global min_bytes" "$(tun min_bytes)" 65536
expect_eq "ap_a min_bytes" "$(cgtun ap_a min_bytes)" 2097152
expect_eq "ap_a min_order (global)" "$(cgtun ap_a min_order)" 0
expect_eq "ap_b min_order" "$(cgtun ap_a/ap_b min_order)" 9
expect_eq "ap_b min_bytes (from ap_a's rule)" "$(cgtun ap_a/ap_b min_bytes)" 2097152
first=$(ids)

# Twice: nothing changes, not even the link's program.
ap $d/one.conf "unchanged: size"
expect_eq "link and map after a second apply" "$(ids)" "$first"

# show --config reads back as no change.
"$MIGCTL" show --config > $d/shown.conf || fail "show --config failed"
cat $d/shown.conf
grep -qx "policy size" $d/shown.conf || fail "show --config lacks 'policy size'"
grep -qx "set min_order=0 min_bytes=65536" $d/shown.conf || fail "show --config: global values"
grep -qx "cgroup ap_a/ap_b min_order=9 min_bytes=2097152" $d/shown.conf ||
	fail "show --config: ap_b's rule"
ap $d/shown.conf "unchanged: size"
expect_eq "link and map after applying show --config" "$(ids)" "$first"

# A changed value and a dropped rule: written in place.
sed -e 's/min_bytes=64K/min_bytes=128K/' -e '/^cgroup ap_a min_bytes/d' $d/one.conf > $d/two.conf
ap $d/two.conf "updated size: 3 changes"
expect_eq "link and map after an update" "$(ids)" "$first"
expect_eq "global min_bytes" "$(tun min_bytes)" 131072
expect_eq "ap_b min_bytes (from the global values now)" "$(cgtun ap_a/ap_b min_bytes)" 131072
expect_eq "rules" "$(status_field 'len(d["cgroups"])')" 1

# A rule for a cgroup not there yet: a warning, then the next apply writes it.
printf 'policy size\ncgroup ap_c min_order=3\n' > $d/later.conf
ap $d/later.conf "updated size: 2 changes"
grep -q "later.conf:2: cgroup ap_c does not exist (yet)" $d/err || fail "no warning for ap_c: $(cat $d/err)"
expect_eq "rules without ap_c" "$(status_field 'len(d["cgroups"])')" 0
mkdir $cg/ap_c
ap $d/later.conf "updated size: 1 change"
expect_eq "ap_c min_order" "$(cgtun ap_c min_order)" 3

# Every bad file is refused whole, naming its line; nothing changes.
bad() {	# bad WHAT MESSAGE CONTENT
	printf '%b' "$3" > $d/bad.conf
	refused_mc "$1" "$2" "$MIGCTL" apply $d/bad.conf
}
bad "unknown keyword" "bad.conf:2: unknown keyword 'polcy'" 'set min_order=1\npolcy size\n'
bad "no policy" "bad.conf: no 'policy' line" '# empty\n'
bad "two policies" "bad.conf:3: a second 'policy' line (the first is line 1)" 'policy size\n\npolicy never\n'
bad "policy and more" "bad.conf:1: 'policy' takes one word" 'policy size tier\n'
bad "unknown policy" "bad.conf:1: unknown policy 'nosuch'" 'policy nosuch\n'
bad "missing object" "bad.conf:1: /nonexistent.bpf.o: no such file" 'policy /nonexistent.bpf.o\n'
bad "set alone" "bad.conf:2: 'set' needs KEY=VALUE" 'policy size\nset\n'
bad "not KEY=VALUE" "bad.conf:2: 'min_order' is not KEY=VALUE" 'policy size\nset min_order\n'
bad "unknown key" "bad.conf:2: unknown tunable 'order'" 'policy size\nset order=1\n'
bad "bad value" "bad.conf:3: min_bytes: malformed value '1X'" 'policy size\n\nset min_bytes=1X\n'
bad "out of range" "bad.conf:2: min_order: '99' out of range" 'policy size\nset min_order=99\n'
bad "key twice" "bad.conf:3: min_order set twice (first at line 2)" 'policy size\nset min_order=1\nset min_order=2\n'
bad "rule without values" "bad.conf:2: 'cgroup' needs a PATH and KEY=VALUE" 'policy size\ncgroup ap_a\n'
bad "rule without path" "bad.conf:2: 'cgroup' needs a PATH before KEY=VALUE" 'policy size\ncgroup min_order=1 min_bytes=0\n'
bad "rule twice" "bad.conf:3: cgroup ap_a has a rule already (line 2)" 'policy size\ncgroup ap_a min_order=1\ncgroup ap_a min_order=2\n'
bad "one cgroup, two spellings" "bad.conf:3: cgroup $cg/ap_a is the cgroup of line 2" "policy size\ncgroup ap_a min_order=1\ncgroup $cg/ap_a min_order=2\n"
bad "rule key unknown" "bad.conf:2: unknown tunable 'x'" 'policy size\ncgroup ap_a x=1\n'
bad "not a cgroup" "bad.conf:2: '/proc' is not a cgroup v2 directory" 'policy size\ncgroup /proc min_order=1\n'
bad "no tunables" "bad.conf:2: policy 'always' has no tunables" 'policy always\nset x=1\n'
bad "none with values" "bad.conf:2: 'policy none' takes no tunables" 'policy none\nset min_order=1\n'
bad "a NUL byte" "bad.conf:1: a NUL byte" 'policy size\0\n'
refused_mc "no such file" "/nonexistent.conf: No such file" "$MIGCTL" apply /nonexistent.conf
expect_eq "link and map after the bad files" "$(ids)" "$first"

# Another policy: swapped in under a migration loop, never none.
printf 'policy never\n' > $d/never.conf
printf 'policy always\n' > $d/always.conf
apply_swap() {
	"$MIGCTL" apply "$d/$1.conf" > $d/out 2>&1 || { cat $d/out; fail "apply $1.conf failed"; }
	grep -q "^replaced .* with $1$" $d/out || fail "apply $1.conf said '$(cat $d/out)'"
}
swap_under_loop applies 10 apply_swap never always
p=$(cat $MD/policy)
[ "$(ids)" != "$first" ] || fail "the link's struct_ops map did not change"

# A policy from a file, by path; then none detaches.
cp "$TOP/build/obj/bpf/example_thp.bpf.o" $d/thp.bpf.o
printf 'policy %s\n' $d/thp.bpf.o > $d/file.conf
ap $d/file.conf "replaced $p with $d/thp.bpf.o"
ap $d/file.conf "unchanged: example_thp"
"$MIGCTL" show --config | grep -qx "policy $d/thp.bpf.o" || fail "show --config: the file's path"
printf 'policy none\n' > $d/none.conf
ap $d/none.conf "detached example_thp"
expect_eq "policy" "$(cat $MD/policy)" none
ap $d/none.conf "unchanged: no policy attached"
"$MIGCTL" show --config | grep -qx "policy none" || fail "show --config without a policy"
[ ! -e /run/migctl ] || fail "detach left /run/migctl"
unload_migrator
rmdir $cg/ap_a/ap_b $cg/ap_a $cg/ap_c
