#!/bin/bash
# migctl's help and the README agree: the README's "## migctl" section
# quotes `migctl --help` and `migctl list` verbatim; every verb has its
# own --help. TAP on stdout.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
mc=$top/build/obj/loader/migctl
TAP_PREFIX=migctl
. "$top/tests/tap-check.sh"
echo "TAP version 13"
echo "1..4"
# readme_block N: the Nth ``` block of the README's "## migctl" section
readme_block() {
	awk -v want="$1" '
		/^## / { in_sec = ($0 == "## migctl") }
		in_sec && /^```/ { if (open) { open = 0; next } open = 1; b++; next }
		in_sec && open && b == want { print }' "$top/README.md"
}
if [ ! -x "$mc" ]; then
	for t in 1 2 3 4; do echo "not ok $t - migctl: $mc not built (make loader)"; done
	exit 1
fi
check "README quotes 'migctl --help'" diff -u <(readme_block 1) <("$mc" --help)
check "README quotes 'migctl list'" diff -u <(readme_block 3) <("$mc" list)
check "every verb has --help" bash -c '
	for v in list attach replace detach status stats tune apply show; do
		"$0" $v --help | head -n 1 | grep -q "^Usage: migctl $v" || { echo "$v --help"; exit 1; }
		"$0" help $v | cmp -s - <("$0" $v --help) || { echo "help $v"; exit 1; }
	done' "$mc"
check "every verb of --help is a verb" bash -c '
	for v in $("$0" --help | sed -n "s/^  \([a-z]\+\) .*/\1/p" | sort -u); do
		"$0" $v --help > /dev/null || { echo "$v"; exit 1; }
	done' "$mc"
[ $fails = 0 ]
