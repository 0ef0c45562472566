#!/usr/bin/env bash
# Check that a .config has every symbol as the fragments ask (the last
# fragment to name a symbol wins), so that a dependency that silently
# dropped one fails the build instead of producing a kernel without it.
#
# Usage: scripts/config-check.sh CONFIG FRAGMENT...
# Prints one line per symbol that differs; exit status 1 if any does.
set -euo pipefail

config=${1:?usage: config-check.sh CONFIG FRAGMENT...}
shift
bad=0
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=*)
		sym=${line%%=*}
		want=$line ;;
	"# CONFIG_"*" is not set")
		sym=${line#\# }; sym=${sym%% *}
		want=$line ;;
	*) continue ;;
	esac
	last=$(grep -hE "^(# )?${sym}[= ]" "$@" | tail -n 1)
	[ "$last" = "$want" ] || continue
	got=$(grep -E "^(# )?${sym}[= ]" "$config" || true)
	[ -n "$got" ] || got="# $sym is not set"
	if [ "$got" != "$want" ]; then
		echo "config-check: $sym: fragment wants '$want', .config has '$got'" >&2
		bad=1
	fi
done < <(cat "$@")
exit $bad
