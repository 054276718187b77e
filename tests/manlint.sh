#!/bin/sh
# manlint.sh - the man pages (built from man/*.in) carry the version and the
# date from configure, format without warnings, document every option of
# every command and every key of the JSON output.
# SPDX-License-Identifier: GPL-2.0-or-later
. "$(dirname "$0")/lib.sh"

M=${BUILDDIR:-$SRCDIR}/man
M8=$M/sockmem.8
M5=$M/sockmem-json.5
V=$("$SOCKMEM" --version | awk 'NR == 1 { print $2 }')

# version and date: substituted, never written into the sources
for src in "$SRCDIR"/man/*.in; do
	p=$(basename "$src" .in)
	check "$p.in: version and date come from configure" \
		grep -q '^\.TH .* "@SOCKMEM_DATE@" "sockmem @PACKAGE_VERSION@"' "$src"
	check "$p: built, with date and version $V" \
		grep -Eq "^\.TH .* \"[0-9]{4}-[0-9]{2}-[0-9]{2}\" \"sockmem $V\"" "$M/$p"
	check "$p: no @VARIABLE@ left" sh -c "! grep -q '@[A-Za-z_]*@' '$M/$p'"
done

for c in show top advise simulate watch snapshot check trace; do
	check "man page sockmem-$c.8 exists" [ -s "$M/sockmem-$c.8" ]
	if command -v man >/dev/null; then
		w=$(MANWIDTH=80 man --warnings -l "$M/sockmem-$c.8" 2>&1 >/dev/null)
		check "sockmem-$c.8: no groff warnings" [ -z "$w" ]
	fi
	"$SOCKMEM" $c --help | grep -oE -- '--[a-z][a-z-]+' | sort -u | grep -vE -- '--(help|usage|version)$' |
	while read -r opt; do
		grep -q -- "$(printf '%s' "$opt" | sed 's/-/\\\\-/g')" "$M/sockmem-$c.8" || echo "$opt"
	done > "$TMPD/miss-$c"
	check "sockmem-$c.8 documents every option of '$c'" [ ! -s "$TMPD/miss-$c" ]
done
if command -v man >/dev/null && command -v groff >/dev/null; then
	for m in "$M8" "$M5"; do
		w=$(MANWIDTH=80 man --warnings -l "$m" 2>&1 >/dev/null)
		check "$(basename "$m"): no groff warnings" [ -z "$w" ]
		[ -z "$w" ] || diag "$w"
	done
else
	skip "man/groff not installed"
fi

# every long option of every command is in sockmem.8
for cmd in "" $("$SOCKMEM" --help | sed -n '/^Commands:/,/^$/p' | awk '/^  [a-z]/ { print $1 }'); do
	# shellcheck disable=SC2086
	"$SOCKMEM" $cmd --help | grep -oE -- '--[a-z][a-z-]+' | sort -u | while read -r opt; do
		case $opt in --help|--usage|--version) continue ;; esac
		esc=$(printf '%s' "$opt" | sed 's/-/\\\\-/g')
		if grep -q -- "$esc" "$M8"; then echo "ok $opt"; else echo "missing $opt"; fi
	done
done > "$TMPD/opts"
check "every option documented in sockmem.8" sh -c "! grep -q ^missing '$TMPD/opts'"
grep ^missing "$TMPD/opts" | while read -r l; do diag "$l"; done

# every command of --help is in sockmem.8
"$SOCKMEM" --help | sed -n '/^Commands:/,/^$/p' | awk '/^  [a-z]/ { print $1 }' > "$TMPD/cmds"
while read -r c; do
	check "command $c documented" grep -q "^\.B $c\$\|^\.BI \"$c " "$M8"
done < "$TMPD/cmds"

# every JSON key of show, top, snapshot, simulate, advise and trace (its
# documents for synthetic events) is in sockmem-json.5 (watch.sh checks
# watch's, which needs the live system)
if command -v jq >/dev/null; then
	L=$SRCDIR/tests/trees/linux-6.18-loaded
	{
		"$SOCKMEM" --root "$SRCDIR/tests/trees/arm64-64k-6.1" --json show
		"$SOCKMEM" --root "$L" --json show
		for by in socket port state; do "$SOCKMEM" --root "$L" --json top --by $by; done
		"$SOCKMEM" --root "$L" --json snapshot "$TMPD/snap"
		"$SOCKMEM" --root "$L" --json simulate --set net.ipv4.tcp_mem="500 600 700" --add-sockets 100
		"$SOCKMEM" --root "$SRCDIR/tests/trees/tcp-over-limit" --json advise
		"$BUILDDIR/tests/helpers/tracedocs"
	} 2>/dev/null | jq -r '[paths | select(index("evidence") | not) | .[-1] | select(type == "string")] | unique | .[]' |
		grep -v '^[A-Z]' | sort -u > "$TMPD/keys"
	missing=""
	while read -r k; do
		esc=$(printf '%s' "$k" | sed 's/-/\\\\-/g')
		grep -q -- "$esc" "$M5" || missing="$missing $k"
	done < "$TMPD/keys"
	check "every JSON key documented in sockmem-json.5" [ -z "$missing" ]
	[ -z "$missing" ] || diag "undocumented:$missing"
else
	skip "jq not installed"
fi
done_testing
