# The verifier refuses a policy that writes to a folio it is given.
. "$TOP/tests/lib.sh"
refused reject_write "only read is supported"
