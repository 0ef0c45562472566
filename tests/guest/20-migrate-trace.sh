# The kernel's mm_migrate_pages tracepoint, read by a BPF program, reports
# exactly the pages and THPs the test migrated.
exec "$TESTS_BIN/migrate_trace"
