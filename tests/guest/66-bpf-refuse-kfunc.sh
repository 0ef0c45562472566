# The verifier refuses a policy calling a kfunc that is not for migration
# policies (here, a networking one).
. "$TOP/tests/lib.sh"
refused reject_kfunc "calling kernel function bpf_dynptr_from_skb is not allowed"
