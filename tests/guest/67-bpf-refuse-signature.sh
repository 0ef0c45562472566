# The verifier refuses a policy whose signature does not match
# can_migrate_dma(): it reads a fourth argument.
. "$TOP/tests/lib.sh"
refused reject_signature "doesn't have 4-th argument"
