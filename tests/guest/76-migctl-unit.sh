# The packaged systemd unit's commands (build/deb/root, from make deb),
# run as systemd would run them, with the packaged migctl and
# configuration: start loads the DMA backend (sw_dma standing in for the
# engine) and applies the shipped configuration (the tier policy); reload
# with the file unchanged changes nothing; reload after an edit writes the
# edit; reloads swapping the policy under a migration loop leave no folio
# undecided and every byte intact; stop detaches. A guest has no systemd:
# the unit file itself is checked by systemd-analyze on the host
# (tests/host/migctl-deb.sh).
. "$TOP/tests/lib.sh"
loader_only "the systemd unit's commands"
. "$TOP/tests/migctl-lib.sh"
need_migctl
need_dma_backend
root=$TOP/build/deb/root
unit=$root/lib/systemd/system/migctl.service
if [ ! -x "$root/usr/sbin/migctl" ] || [ ! -f "$unit" ]; then
	fail "$root: no package (make deb)"
fi
d=/tmp/unit
mkdir -p $d
conf=$d/migctl.conf
cp "$root/etc/migctl/migctl.conf" $conf

# unit KEY [refused]: run the unit's KEY= command with the package's migctl
# and the copy of its configuration; its exit status. It must succeed
# unless prefixed '-' (which systemd ignores), or must fail with "refused".
unit() {
	local c may_fail=0 rc
	c=$(sed -n "s/^$1=//p" "$unit")
	[ -n "$c" ] || fail "the unit has no $1="
	case $c in -*) may_fail=1; c=${c#-} ;; esac
	c=${c//\/usr\/sbin\/migctl/$root/usr/sbin/migctl}
	c=${c//\/etc\/migctl\/migctl.conf/$conf}
	echo "$1: $c"
	$c > $d/out 2>&1
	rc=$?
	cat $d/out
	if [ "${2:-}" = refused ]; then
		[ $rc != 0 ] || fail "$1 succeeded: $c"
	elif [ $rc != 0 ] && [ $may_fail = 0 ]; then
		fail "$1 failed: $c"
	fi
	return $rc
}
ids() { status_field "d['link_id'], d['map_id']"; }

modprobe sw_dma || fail "modprobe sw_dma"
unit ExecStartPre
expect_eq "migrator after ExecStartPre" "$(cat $MD/migrator)" dma_migrator
unit ExecStart
grep -qx "attached tier" $d/out || fail "start: not 'attached tier'"
expect_eq "policy" "$(cat $MD/policy)" tier
expect_eq "promote_min_bytes" "$(status_field "d['tunables']['promote_min_bytes']")" 2097152
first=$(ids)

unit ExecReload
grep -qx "unchanged: tier" $d/out || fail "reload of the same file changed something"
expect_eq "link and map after reload" "$(ids)" "$first"

sed -i 's/promote_min_bytes=2M/promote_min_bytes=4M/' $conf
echo "cgroup / other=on" >> $conf
unit ExecReload refused
grep -q "migctl.conf:.*'/' is not a cgroup v2 directory" $d/out || fail "reload: $(cat $d/out)"
expect_eq "promote_min_bytes after a refused reload" \
	"$(status_field "d['tunables']['promote_min_bytes']")" 2097152
sed -i 's#^cgroup / other=on$#set other=on#; s/other=off//' $conf
unit ExecReload
grep -qx "updated tier: 1 change" $d/out || fail "reload after an edit: $(cat $d/out)"
expect_eq "promote_min_bytes" "$(status_field "d['tunables']['promote_min_bytes']")" 4194304
expect_eq "other" "$(status_field "d['tunables']['other']")" 1
expect_eq "link and map after an edit" "$(ids)" "$first"

# Reloads under a migration loop, the file swapping tier and size.
cp $conf $d/tier.conf
printf 'policy size\nset min_order=0\n' > $d/size.conf
reload_swap() {
	cp "$d/$1.conf" $conf
	unit ExecReload > /dev/null
}
snap s
swap_under_loop reloads 10 reload_swap size tier
[ "$(delta s offloaded_folios)" -gt 0 ] || fail "no folio offloaded by dma_migrator"

unit ExecStop
expect_eq "policy after stop" "$(cat $MD/policy)" none
unit ExecStop && fail "a second stop succeeded"
grep -q "no policy is attached" $d/out || fail "second stop: $(cat $d/out)"
unload_dma
