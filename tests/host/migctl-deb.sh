#!/bin/bash
# The migctl Debian packages (make deb): what they hold, migctl's control
# fields, lintian, the systemd unit (systemd-analyze verify, in a root
# holding the package), the man page, the bash completion, and a policy
# built from migctl-dev's headers alone. TAP on stdout. The unit's
# commands run in the guest (tests/guest/76-migctl-unit.sh).
# shellcheck disable=SC2016 # the checks' bash -c scripts expand their own $1...
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
mc=$top/build/obj/loader/migctl
TAP_PREFIX=deb
. "$top/tests/tap-check.sh"
echo "TAP version 13"
echo "1..11"
ver=$(sed -n '1s/^[^(]*(\([^)]*\)).*/\1/p' "$top/debian/changelog")
deb=$top/build/deb/migctl_${ver}_$(dpkg --print-architecture).deb
dev=$top/build/deb/migctl-dev_${ver}_all.deb
root=$top/build/deb/root
if [ ! -f "$deb" ] || [ ! -f "$dev" ] || [ ! -x "$mc" ]; then
	for t in $(seq 11); do echo "not ok $t - deb: $deb or $dev not built (make deb)"; done
	exit 1
fi
[ -x "$root/usr/sbin/migctl" ] || dpkg-deb -x "$deb" "$root"
[ -f "$root/usr/include/migctl/migctl.bpf.h" ] || dpkg-deb -x "$dev" "$root"

check "the package holds what it should, nothing else" diff -u - <(dpkg-deb -c "$deb" |
	awk '$1 !~ /^d/ { print $6 }' | sort) <<'EOF'
./etc/migctl/migctl.conf
./lib/systemd/system/migctl.service
./usr/sbin/migctl
./usr/share/bash-completion/completions/migctl
./usr/share/doc/migctl/changelog.gz
./usr/share/doc/migctl/copyright
./usr/share/lintian/overrides/migctl
./usr/share/man/man8/migctl.8.gz
EOF
check "migctl-dev holds the headers and the examples, nothing else" diff -u - <(dpkg-deb -c "$dev" |
	awk '$1 !~ /^d/ { print $6 }' | sort) <<'EOF'
./usr/include/migctl/migctl.bpf.h
./usr/include/migctl/migrator.bpf.h
./usr/share/doc/migctl-dev/changelog.gz
./usr/share/doc/migctl-dev/copyright
./usr/share/doc/migctl-dev/examples/example_demote.bpf.c
./usr/share/doc/migctl-dev/examples/example_thp.bpf.c
EOF
# As the README's recipe: the installed headers, a vmlinux.h, libbpf's
# headers; nothing from bpf/. migctl then reads the policy's tunables.
check "a policy builds from migctl-dev's headers alone, and migctl reads it" bash -c '
	root=$1 top=$2 mc=$3 tmp=$(mktemp -d)
	trap "rm -rf $tmp" EXIT
	cp "$root/usr/share/doc/migctl-dev/examples/example_demote.bpf.c" \
		"$top/build/kernel/vmlinux.h" "$tmp/" || exit 1
	cd "$tmp" && clang-19 -g -O2 --target=bpf -D__TARGET_ARCH_x86 -Wall -Werror -I. \
		-I"$root/usr/include/migctl" -idirafter "$top/build/tools/include" \
		-c example_demote.bpf.c -o example_demote.bpf.o || exit 1
	out=$("$mc" list ./example_demote.bpf.o) || exit 1
	grep -q min_batch_bytes <<< "$out" || { echo "$out"; exit 1; }' _ "$root" "$top" "$mc"
check "control: name, version, static sources, conffile" bash -c '
	deb=$1 ver=$2
	[ "$(dpkg-deb -f "$deb" Package)" = migctl ] || exit 1
	[ "$(dpkg-deb -f "$deb" Version)" = "$ver" ] || { echo "Version"; exit 1; }
	dpkg-deb -f "$deb" Built-Using | grep -q "linux-6.12 (= " || { echo "Built-Using"; exit 1; }
	[ "$(dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles)" = /etc/migctl/migctl.conf ]' \
	_ "$deb" "$ver"
check "the packaged migctl is the one built" bash -c '
	[ "$("$1/usr/sbin/migctl" --version)" = "migctl $3" ] || exit 1
	cmp <("$1/usr/sbin/migctl" --help) <("$2" --help)' _ "$root" "$mc" "$ver"
check "lintian: no tag but those overridden, each with its reason" \
	lintian --pedantic --fail-on error,warning,info,pedantic "${deb%.deb}.changes"
# systemd-analyze needs a root with the units the package's refers to.
mkdir -p "$root/lib/systemd/system"
cp -an /lib/systemd/system/. "$root/lib/systemd/system/"
check "systemd-analyze verify migctl.service" \
	systemd-analyze verify --man=no --root="$root" /lib/systemd/system/migctl.service
check "the unit applies the configuration at start and reload, detaches at stop" bash -c '
	u=$1/lib/systemd/system/migctl.service
	grep -qx "ExecStart=/usr/sbin/migctl apply /etc/migctl/migctl.conf" "$u" &&
	grep -qx "ExecReload=/usr/sbin/migctl apply /etc/migctl/migctl.conf" "$u" &&
	grep -qx "ExecStop=-/usr/sbin/migctl detach" "$u"' _ "$root"
check "the man page has the help of every verb and renders without warnings" bash -c '
	man=$1/usr/share/man/man8/migctl.8.gz
	out=$(zcat "$man" | groff -man -ww -Tutf8 2>&1 >/dev/null)
	[ -z "$out" ] || { echo "$out"; exit 1; }
	text=$(zcat "$man" | groff -man -Tascii 2>/dev/null | col -bx)
	for v in $("$2" --help | sed -n "s/^  \([a-z]\+\) .*/\1/p" | uniq); do
		first=$("$2" $v --help | head -n 1)
		grep -qF -- "$first" <<< "$text" || { echo "no \"$first\""; exit 1; }
	done' _ "$root" "$mc"
check "the shipped configuration is valid" bash -c '
	# apply checks the whole file before it looks at the kernel: an error
	# about the machine, not about a line, means the file passed.
	err=$("$1/usr/sbin/migctl" apply "$1/etc/migctl/migctl.conf" 2>&1) && exit 0
	case $err in *migctl.conf:*) echo "$err"; exit 1 ;; esac' _ "$root"
check "bash completion: verbs, policies, options" bash -c '
	. /usr/share/bash-completion/bash_completion
	. "$1/usr/share/bash-completion/completions/migctl"
	PATH=$1/usr/sbin:$PATH
	comp() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
		COMPREPLY=(); _migctl; echo "${COMPREPLY[*]}"; }
	[ "$(comp migctl ap)" = apply ] || { echo "ap: $(comp migctl ap)"; exit 1; }
	[ "$(comp migctl attach ti)" = tier ] || { echo "attach ti: $(comp migctl attach ti)"; exit 1; }
	[ "$(comp migctl show --c)" = --config ] || { echo "show --c: $(comp migctl show --c)"; exit 1; }
	[ "$(comp migctl stats --i)" = --interval ] || exit 1' _ "$root"
[ $fails = 0 ]
