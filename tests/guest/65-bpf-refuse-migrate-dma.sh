# The verifier refuses a program for migrate_dma(): the copy stays with the
# kernel.
. "$TOP/tests/lib.sh"
refused reject_migrate_dma "attach to unsupported member migrate_dma of struct migrator"
