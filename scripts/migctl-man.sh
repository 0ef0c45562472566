#!/bin/bash
# migctl(8) from migctl's own help: help2man for the synopsis, the verbs
# and the options of 'migctl --help', a section of each verb's full
# 'migctl VERB --help', and the files. Usage: scripts/migctl-man.sh MIGCTL OUT
set -euo pipefail
[ $# = 2 ] || { echo "usage: $0 MIGCTL OUT" >&2; exit 2; }
mc=$1 out=$2
inc=$(mktemp)
trap 'rm -f "$inc"' EXIT

# roff-escape a help text: backslashes, and lines starting with . or '
esc() { sed -e 's/\\/\\e/g' -e "s/^\\([.']\\)/\\\\\\&\\1/"; }

{
	echo "[VERBS]"
	for v in $("$mc" --help | sed -n 's/^  \([a-z]\+\) .*/\1/p' | uniq); do
		echo ".SS $v"
		echo ".nf"
		"$mc" "$v" --help | esc
		echo ".fi"
	done
	cat <<'EOT'
[FILES]
.TP
.I /etc/migctl/migctl.conf
The configuration 'migctl apply' reads by default, and migctl.service
applies at boot and on 'systemctl reload migctl'.
.TP
.I /sys/fs/bpf/migrator/
The pinned link of the attached policy and its maps.
.TP
.I /run/migctl/
What migctl attached: the policy's source and a copy of its object.
.TP
.I /sys/kernel/mm/migrate_dma/
The kernel's interface: the attached policy's name, the active migrator.
[SEE ALSO]
.BR bpftool (8),
.BR systemctl (1)
EOT
} > "$inc"
help2man --no-info --section 8 --name "attach, tune and replace the BPF policy of page migration copies" \
	--include "$inc" --output "$out" "$mc"
