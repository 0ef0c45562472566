# The verifier refuses a sleepable policy: can_migrate_dma() runs in the
# middle of a batch.
. "$TOP/tests/lib.sh"
refused reject_sleepable "attach to unsupported member can_migrate_dma of struct migrator"
