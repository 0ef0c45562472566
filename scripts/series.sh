#!/usr/bin/env bash
# Move the patch series between kernel-patch/ and a git tree, so that it is
# developed as git commits and kept as `git format-patch` output.
#
#   scripts/series.sh import DIR   make DIR a git tree of the pristine
#                                  linux-source-6.12 (commit tagged "base")
#                                  with kernel-patch/series applied by git am
#   scripts/series.sh export DIR   write the commits of DIR after "base" to
#                                  kernel-patch/NNNN-*.patch and series
#
# The cover letter, kernel-patch/0000-cover-letter.patch, is the branch
# description of DIR's branch (`git branch --edit-description`): its first
# paragraph is the subject. Import sets the description from the cover
# letter; export writes the cover letter when there is a description. The
# series file does not list it: it is not applied.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
pdir=$top/kernel-patch
tarball=${LINUX_TARBALL:-/usr/src/linux-source-6.12.tar.xz}
cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: series.sh import|export DIR" >&2; exit 2; }

case "$cmd" in
import)
	[ ! -e "$dir" ] || { echo "series.sh: $dir exists" >&2; exit 1; }
	mkdir -p "$dir"
	tar -xJf "$tarball" -C "$dir" --strip-components=1
	cd "$dir"
	git init -q
	# Debian's top-level .gitignore ignores everything: add by force.
	git add -f -A .
	git commit -q -m "Linux $(make -s kernelversion) ($(basename "$tarball"))"
	git tag base
	mapfile -t patches < <(sed -e 's/#.*//' -e 's/[[:space:]]*$//' "$pdir/series" | grep -v '^$' || true)
	for p in "${patches[@]}"; do
		git am -q "$pdir/$p"
	done
	if [ -f "$pdir/0000-cover-letter.patch" ]; then
		# The subject without "[PATCH 00/NN] ", a blank line, and the
		# body up to the shortlog ("Author Name (NN):").
		python3 - "$pdir/0000-cover-letter.patch" > .git/cover-description <<'PYEOF'
import email, re, sys
msg = email.message_from_file(open(sys.argv[1]))
subject = re.sub(r'\s+', ' ', re.sub(r'^\[[^]]*\]\s*', '', msg['Subject']))
body = msg.get_payload()
m = re.search(r'^\S[^\n]* \(\d+\):$', body, re.M)
body = body[:m.start()] if m else body
print(subject + '\n\n' + body.strip())
PYEOF
		git config "branch.$(git branch --show-current).description" "$(cat .git/cover-description)"
		rm .git/cover-description
	fi
	echo "series.sh: $dir: base + ${#patches[@]} patches"
	;;
export)
	cd "$dir"
	git rev-parse -q --verify base >/dev/null || { echo "series.sh: $dir has no 'base' tag" >&2; exit 1; }
	rm -f "$pdir"/[0-9][0-9][0-9][0-9]-*.patch
	cover=()
	git config "branch.$(git branch --show-current).description" >/dev/null &&
		cover=(--cover-letter --cover-from-description=subject)
	git format-patch -q --no-signature --zero-commit "${cover[@]}" -o "$pdir" base..HEAD
	# The cover letter's diffstat already names every file; its
	# "create mode 100644 PATH" lines only repeat them, and a long path
	# makes them longer than checkpatch allows.
	[ ${#cover[@]} = 0 ] ||
		sed -i -E '/^ (create|delete) mode [0-7]+ /d' "$pdir/0000-cover-letter.patch"
	(cd "$pdir" && ls [0-9][0-9][0-9][0-9]-*.patch 2>/dev/null | grep -vx '0000-cover-letter.patch' || true) \
		> "$pdir/series"
	echo "series.sh: exported $(wc -l < "$pdir/series") patches"
	;;
*)
	echo "usage: series.sh import|export DIR" >&2
	exit 2
	;;
esac
