#!/bin/bash
# The cost of the BPF policy call, in the guest: migrate 4 KiB pages (where
# the per-folio overhead shows most) through the test migrator, with its
# built-in can_migrate_dma() and with the example BPF policy attached, in
# alternation, and print the time per folio of each and their ratio.
# Usage (host): ./vmtest.sh -- tests/bench-policy.sh [ROUNDS]
TOP=$(cd "$(dirname "$0")/.." && pwd)
. "$TOP/tests/lib.sh"
need_bpf_policy
quiet_mm
rounds=${1:-5}
load_migrator
rm -f /sys/fs/bpf/example_thp
one() {	# one: move_pages() throughput (MiB/s) of 64 MiB of 4 KiB pages
	"$BIN/migrate_verify" --size 64 --rounds 2 anon |
		sed -n 's/.*(\([0-9.]*\) MiB\/s).*/\1/p'
}
d=() p=()
for i in $(seq "$rounds"); do
	d+=("$(one)")
	"$BPFTOOL" struct_ops register "$BPFOBJ/example_thp.bpf.o" /sys/fs/bpf >/dev/null ||
		fail "attach example_thp"
	p+=("$(one)")
	rm /sys/fs/bpf/example_thp
done
echo "built-in can_migrate_dma, MiB/s: ${d[*]}"
echo "example_thp BPF policy,   MiB/s: ${p[*]}"
printf '%s\n' "${d[@]}" | sort -n | awk '{ v[NR] = $1 } END { m = v[int((NR + 1) / 2)]; printf "built-in: median %.1f MiB/s, %.0f ns per 4 KiB folio\n", m, 4096e9 / (m * 1048576) }'
printf '%s\n' "${p[@]}" | sort -n | awk '{ v[NR] = $1 } END { m = v[int((NR + 1) / 2)]; printf "policy:   median %.1f MiB/s, %.0f ns per 4 KiB folio\n", m, 4096e9 / (m * 1048576) }'
unload_migrator
