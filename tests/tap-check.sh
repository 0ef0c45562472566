# Sourced by host-side checks (tests/host/*.sh) that print TAP.
# check NAME COMMAND...: run COMMAND; print "ok N - $TAP_PREFIX: NAME", or
# "not ok ..." and the last 20 lines of its output as TAP comments. The
# checks run are counted in $n, those that failed in $fails.
n=0 fails=0
check() {
	local name=$1 out
	shift
	n=$((n + 1))
	out=$(mktemp)
	if "$@" > "$out" 2>&1; then
		echo "ok $n - $TAP_PREFIX: $name"
	else
		echo "not ok $n - $TAP_PREFIX: $name"
		sed -e 's/^/# /' "$out" | tail -n 20
		fails=$((fails + 1))
	fi
	rm -f "$out"
}
