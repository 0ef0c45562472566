# A source page that the CPU copy of a batch finds poisoned is read once
# per migration attempt, as without a migrator: its migration fails with
# -EHWPOISON, the page stays where it was with every byte intact, and the
# move does not read it a second time (on hardware, a second machine
# check). fail_function makes folio_mc_copy() fail for the migrating task
# only, and its "times" counts the copies that were tried.
#
# move_pages() of 256 pages of 4 KiB, first without a migrator (migration
# as in stock 6.12), then with the test migrator declining every 4 KiB
# folio (min_order=9), so that the batch's CPU copy meets the poison.
. "$TOP/tests/lib.sh"
need_migrate_dma
quiet_mm
FF=/sys/kernel/debug/fail_function
[ -d $FF ] || skip "kernel without CONFIG_FAIL_FUNCTION ($FF missing)"
grep -q '^folio_mc_copy[[:space:]]' $FF/injectable ||
	fail "folio_mc_copy() is not on the error injection list"

echo folio_mc_copy > $FF/inject || fail "fail_function refused folio_mc_copy"
trap 'echo "!folio_mc_copy" > $FF/inject 2>/dev/null' EXIT
printf '%#x\n' -133 > $FF/folio_mc_copy/retval	# -EHWPOISON
echo Y > $FF/task-filter
echo 100 > $FF/probability
echo 1 > $FF/interval
echo 0 > $FF/verbose
times=1000000

# poisoned: move 1 MiB of 4 KiB pages from node 0 to node 1 while every
# copy of this task fails; print "NOT-MOVED ON-NODE-0" and check the bytes
poisoned() {
	echo $times > $FF/times
	numactl --membind=0 python3 -c '
import ctypes, mmap, sys
n = 256
libc = ctypes.CDLL(None, use_errno=True)
m = mmap.mmap(-1, n * 4096)
m.madvise(mmap.MADV_NOHUGEPAGE)
base = ctypes.addressof(ctypes.c_char.from_buffer(m))
for i in range(n):
    m[i * 4096:(i + 1) * 4096] = bytes([i % 251 + 1]) * 4096
pages = (ctypes.c_void_p * n)(*[base + i * 4096 for i in range(n)])
nodes = (ctypes.c_int * n)(*[1] * n)
status = (ctypes.c_int * n)()
with open("/proc/self/make-it-fail", "w") as f:
    f.write("1")
rc = libc.syscall(279, 0, n, pages, nodes, status, 2)	# move_pages, MPOL_MF_MOVE
err = ctypes.get_errno()
with open("/proc/self/make-it-fail", "w") as f:
    f.write("0")
if rc < 0:
    sys.exit("move_pages: errno %d" % err)
libc.syscall(279, 0, n, pages, None, status, 0)
on0 = sum(1 for s in status if s == 0)
for i in range(n):
    if m[i * 4096:(i + 1) * 4096] != bytes([i % 251 + 1]) * 4096:
        sys.exit("page %d changed" % i)
print(rc, on0)
' || fail "the poisoned workload failed"
}
copies() { echo $((times - $(cat $FF/times))); }

snap s
out=$(poisoned) || fail "$out"
read -r stock_rc stock_on0 <<< "$out"
stock=$(copies)
echo "without a migrator: $stock_rc of 256 pages not moved, $stock_on0 on node 0, $stock copies tried"
expect_eq "without a migrator: pages not moved" "$stock_rc" 256
expect_eq "without a migrator: pages still on node 0" "$stock_on0" 256
[ "$stock" -ge 256 ] || fail "without a migrator: $stock copies tried, fewer than the 256 pages"
expect_eq "without a migrator: batched folios" "$(delta s folios)" 0

load_migrator min_order=9
snap s
out=$(poisoned) || fail "$out"
read -r rc on0 <<< "$out"
ours=$(copies)
echo "with a migrator: $rc of 256 pages not moved, $on0 on node 0, $ours copies tried"
expect_eq "with a migrator: pages not moved" "$rc" 256
expect_eq "with a migrator: pages still on node 0" "$on0" 256
[ "$(delta s cpu_folios)" -ge 256 ] ||
	fail "with a migrator: the batch's CPU copy took $(delta s cpu_folios) folios, not all 256"
expect_eq "with a migrator: offloaded_folios" "$(delta s offloaded_folios)" 0
expect_eq "with a migrator: fallback_copy_failed" "$(delta s fallback_copy_failed)" 0
expect_eq "with a migrator: copies tried, as without one" "$ours" "$stock"
unload_migrator
