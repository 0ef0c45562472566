# 64 MiB of 4 KiB pages and 64 MiB of THPs, node 0 -> 1 -> 0 with
# move_pages(2); every page's node and every byte checked after each move.
exec "$TESTS_BIN/migrate_verify" --size 64 --rounds 1 anon thp
