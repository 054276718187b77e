#!/bin/sh
# golden.sh - runs sockmem on fixture trees and compares text and JSON with
# the expected files in tests/golden/.  SOCKMEM_REGEN=1 rewrites them.
# SPDX-License-Identifier: GPL-2.0-or-later
. "$(dirname "$0")/lib.sh"

command -v jq >/dev/null || skip_all "jq not installed"
cd "$SRCDIR/tests" || exit 1
G=golden

# run NAME TREE ARGS... -> $TMPD/NAME.txt and $TMPD/NAME.json (normalised)
run_case() {
	name=$1 tree=$2; shift 2
	{
		"$SOCKMEM" --root "$tree" "$@" 2>"$TMPD/err"
		echo "--- exit $?"
		echo "--- stderr"
		cat "$TMPD/err"
	} | sed "s|$TMPD|@TMP@|g" > "$TMPD/$name.txt"
	"$SOCKMEM" --root "$tree" --json "$@" 2>/dev/null > "$TMPD/$name.raw"
	echo "--- exit $?" >> "$TMPD/$name.status"
	if [ -s "$TMPD/$name.raw" ] && jq -e . "$TMPD/$name.raw" > /dev/null 2>&1; then
		jq "$JQ_STABLE" "$TMPD/$name.raw" | sed "s|$TMPD|@TMP@|g" > "$TMPD/$name.json"
	elif [ -s "$TMPD/$name.raw" ]; then
		# not JSON (an explicit --format wins over --json): kept as printed
		sed "s|$TMPD|@TMP@|g" "$TMPD/$name.raw" > "$TMPD/$name.json"
	else
		: > "$TMPD/$name.json"
	fi
}

compare() { # NAME EXT
	if [ -n "${SOCKMEM_REGEN:-}" ]; then
		cp "$TMPD/$1.$2" "$SRCDIR/tests/$G/$1.$2"
		ok "$1 $2 (regenerated)"
	elif [ ! -f "$G/$1.$2" ]; then
		not_ok "$1 $2: no expected file $G/$1.$2 (run make regen-golden)"
	elif diff -u "$G/$1.$2" "$TMPD/$1.$2" > "$TMPD/diff"; then
		ok "$1 $2"
	else
		not_ok "$1 $2 differs from $G/$1.$2"
		diag "$(head -40 "$TMPD/diff")"
	fi
}

while read -r name tree args; do
	case $name in ''|'#'*) continue ;; esac
	case $tree in
	peer:*)
		if ! have_peers; then
			skip "$name text: peer fixtures not found at $PEER_FIXTURES"
			skip "$name json: peer fixtures not found"
			continue
		fi
		mkdir -p "$TMPD/trees/${tree#peer:}"
		peer_tree "${tree#peer:}" "$TMPD/trees/${tree#peer:}"
		tree=$TMPD/trees/${tree#peer:} ;;
	untar:*)
		# a capture's archive extracted: the directory must read the same
		a=${tree#untar:}
		mkdir -p "$TMPD/untar/$name"
		tar -xf "$a" -C "$TMPD/untar/$name"
		tree=$(echo "$TMPD/untar/$name"/*) ;;
	esac
	# @TREE@ in the arguments: a file inside the tree
	args=$(printf '%s' "$args" | sed "s|@TREE@|$tree|g")
	# the arguments may hold quoted words: --set net.ipv4.tcp_mem="A B C"
	eval "set -- $args"
	run_case "$name" "$tree" "$@"
	compare "$name" txt
	compare "$name" json
done < "$G/cases"

# Every expected file belongs to a case (no stale goldens).
for f in "$G"/*.txt "$G"/*.json; do
	n=$(basename "$f"); n=${n%.*}
	grep -q "^$n " "$G/cases" || not_ok "stale golden file $f"
done
done_testing
