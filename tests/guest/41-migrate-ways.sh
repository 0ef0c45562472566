# The three ways userspace migrates memory: move_pages(2), mbind(2) with
# MPOL_MF_MOVE, and migrate_pages(2) through numactl's migratepages; with
# the test migrator loaded, so every batch goes through it.
. "$TOP/tests/lib.sh"
need_migrate_dma
quiet_mm
load_migrator
for via in move_pages mbind migratepages; do
	before=$(tm folios)
	"$BIN/migrate_verify" --size 16 --rounds 1 --via $via anon thp shared shmem ||
		fail "migration with $via lost or misplaced data"
	[ "$(tm folios)" -gt "$before" ] || fail "$via: the migrator copied nothing"
	echo "$via: the migrator copied $(( $(tm folios) - before )) folios"
done
unload_migrator
