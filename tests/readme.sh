#!/bin/sh
# readme.sh - the README's sample output is what this binary prints: every
# "`sockmem --root tests/trees/... ARGS`:" line of "## Sample output" is run
# from the source tree, and each line of the code block that follows it,
# but the "..." that mark a cut, must come out in that order.
# SPDX-License-Identifier: GPL-2.0-or-later
. "$(dirname "$0")/lib.sh"

R=$SRCDIR/README.md
awk '/^## Sample output/ { on = 1; next } on && /^## / { exit }
	on && /^`sockmem --root tests\/trees\/[^`]*`:/ { cmd = $0; sub(/^`sockmem /, "", cmd); sub(/`:.*/, "", cmd); n++; want = 1; next }
	want && /^```/ { if (inb) { inb = 0; want = 0 } else inb = 1; next }
	inb { print > (dir "/" n ".want") }
	want && !inb && cmd != "" { print cmd > (dir "/" n ".cmd"); cmd = "" }' dir="$TMPD" "$R"
n=0
for c in "$TMPD"/*.cmd; do
	[ -f "$c" ] || continue
	n=$((n + 1)) i=${c%.cmd}
	args=$(cat "$c")
	# the arguments may hold quoted words
	(cd "$SRCDIR" && eval "\"\$SOCKMEM\" $args") > "$i.got" 2>&1
	# each wanted line, in order, among the lines printed
	if awk 'NR == FNR { if ($0 != "...") w[++nw] = $0; next }
		k < nw && $0 == w[k + 1] { k++ }
		END { if (k < nw) { print "first line not printed: " w[k + 1]; exit 1 } }' "$i.want" "$i.got" > "$i.why"; then
		ok "README sample 'sockmem $args' is what sockmem prints ($(grep -cv '^\.\.\.$' "$i.want") lines)"
	else
		not_ok "README sample 'sockmem $args' is what sockmem prints"
		diag "$(cat "$i.why")"
	fi
done
check "the README has a runnable sample ($n)" [ $n -ge 1 ]
done_testing
