#!/bin/sh
# golden.sh - runs sockmem on fixture trees and compares text and JSON with
# the expected files in tests/golden/: stdout, exit status and stderr of both
# runs.  SOCKMEM_REGEN=1 writes the expected files that are missing;
# SOCKMEM_REGEN="NAME..." rewrites those of the named cases (nftables' rule:
# an existing expectation changes only by a visible, named edit).
# SPDX-License-Identifier: GPL-2.0-or-later
. "$(dirname "$0")/lib.sh"

command -v jq >/dev/null || skip_all "jq not installed"
cd "$SRCDIR/tests" || exit 1
G=golden
REGEN=${SOCKMEM_REGEN:-}

# The named cases must exist: a typo must not pass for "nothing to do".
case $REGEN in
'' | 1) ;;
*)
	for n in $REGEN; do
		grep -q "^$n " "$G/cases" || { echo "Bail out! no golden case '$n' in $G/cases"; exit 1; }
	done ;;
esac

# status RC: the exit status and the stderr ($TMPD/err) of a run
status() {
	echo "--- exit $1"
	echo "--- stderr"
	sed "s|$TMPD|@TMP@|g" "$TMPD/err"
}

# run NAME TREE ARGS... -> $TMPD/NAME.txt and $TMPD/NAME.json: stdout
# (the JSON normalised), then "--- exit N", "--- stderr" and stderr.  A JSON
# run that prints nothing says so ("--- no document"): an empty expectation
# is never an empty file.
run_case() {
	name=$1 tree=$2; shift 2
	"$SOCKMEM" --root "$tree" "$@" > "$TMPD/out" 2> "$TMPD/err"
	rc=$?
	{ sed "s|$TMPD|@TMP@|g" "$TMPD/out"; status $rc; } > "$TMPD/$name.txt"
	"$SOCKMEM" --root "$tree" --json "$@" > "$TMPD/out" 2> "$TMPD/err"
	rc=$?
	{
		if [ ! -s "$TMPD/out" ]; then
			echo "--- no document"
		elif jq -e . "$TMPD/out" > /dev/null 2>&1; then
			jq "$JQ_STABLE" "$TMPD/out" | sed "s|$TMPD|@TMP@|g"
		else
			# not JSON (an explicit --format wins over --json): kept as printed
			sed "s|$TMPD|@TMP@|g" "$TMPD/out"
		fi
		status $rc
	} > "$TMPD/$name.json"
}

# regen_wanted NAME: the case is named in SOCKMEM_REGEN
regen_wanted() {
	for n in $REGEN; do [ "$n" = "$1" ] && return 0; done
	return 1
}

compare() { # NAME EXT
	if [ -n "$REGEN" ] && regen_wanted "$1"; then
		if [ -f "$G/$1.$2" ] && cmp -s "$G/$1.$2" "$TMPD/$1.$2"; then
			ok "$1 $2 (unchanged)"
		else
			cp "$TMPD/$1.$2" "$G/$1.$2"
			ok "$1 $2 (rewritten: review git diff $G/$1.$2)"
		fi
	elif [ ! -f "$G/$1.$2" ]; then
		if [ -n "$REGEN" ]; then
			cp "$TMPD/$1.$2" "$G/$1.$2"
			ok "$1 $2 (new: review $G/$1.$2)"
		else
			not_ok "$1 $2: no expected file $G/$1.$2 (make regen-golden writes it)"
		fi
	elif diff -u "$G/$1.$2" "$TMPD/$1.$2" > "$TMPD/diff"; then
		ok "$1 $2"
	else
		not_ok "$1 $2 differs from $G/$1.$2 (if intended: make regen-golden CASE=$1)"
		diag "$(head -40 "$TMPD/diff")"
	fi
}

# A sockmem built without libarchive (configure --without-libarchive) reads
# capture directories, not their archives: those cases are skipped, saying so.
NOARCHIVE=
"$SOCKMEM" --root captures/sosreport-vm-6.18-x86_64.tar.xz show --no-sockets > /dev/null 2> "$TMPD/err"
grep -q 'built without libarchive' "$TMPD/err" && NOARCHIVE=yes

while read -r name tree args; do
	case $name in ''|'#'*) continue ;; esac
	if [ -n "$NOARCHIVE" ] && [ -f "$tree" ]; then
		skip "$name txt: this sockmem was built without libarchive ($tree is an archive)"
		skip "$name json: built without libarchive"
		continue
	fi
	case $tree in
	peer:*)
		if ! have_peers; then
			skip "$name txt: peer fixtures not found at $PEER_FIXTURES"
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

# Every expected file belongs to a case (no stale goldens) and none is empty.
for f in "$G"/*.txt "$G"/*.json; do
	n=$(basename "$f"); n=${n%.*}
	if ! grep -q "^$n " "$G/cases"; then
		not_ok "stale golden file $f"
	elif [ ! -s "$f" ]; then
		not_ok "empty golden file $f"
	fi
done
done_testing
