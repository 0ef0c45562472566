# The tests' /proc/vmstat readers (mdstat, mdstats) find every counter while
# the other counters change. /proc/vmstat is a seq_file made anew at each
# read(2) that does not continue the last one: a reader that seeks back
# after each line (bash's `read` on a seekable file does) lands inside a
# line whenever a counter before it has gained or lost a digit meanwhile.
# A background task maps and frees 64 MiB over and over, so nr_anon_pages
# crosses a power of ten twice a round.
. "$TOP/tests/lib.sh"
loader_only "the test library's /proc/vmstat readers"
need_migrate_dma
python3 -c '
import mmap
while True:
    m = mmap.mmap(-1, 64 << 20)
    for i in range(0, 64 << 20, 4096):
        m[i] = 1
    m.close()
' &
churn=$!
trap 'kill $churn 2>/dev/null' EXIT
last=$(mdstats | tail -n 1 | cut -d' ' -f1)
[ -n "$last" ] || fail "no pgmigrate_dma_* item in /proc/vmstat"
before=$(vmstat nr_anon_pages)
rounds=150
for ((i = 0; i < rounds; i++)); do
	v=$(mdstat "$last") || fail "round $i: $v"
	n=$(mdstats | wc -l)
	[ "$n" -gt 10 ] || fail "round $i: mdstats gave $n counters"
done
echo "nr_anon_pages went from $before to $(vmstat nr_anon_pages) meanwhile"
echo "$rounds rounds: pgmigrate_dma_$last and all $n counters read every time"
