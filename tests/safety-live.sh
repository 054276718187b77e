#!/bin/bash
# safety-live.sh - names chosen by other users on the live system, a process
# name and a cgroup path made of terminal escape sequences, never reach the
# terminal raw and stay valid JSON.  Needs root (another user's process, a
# cgroup of its own) and tests/helpers/sockfill.
# SPDX-License-Identifier: GPL-2.0-or-later
. "$(dirname "$0")/lib.sh"

command -v jq >/dev/null || skip_all "jq not installed"
FILL=${BUILDDIR:-$SRCDIR}/tests/helpers/sockfill
[ -x "$FILL" ] || skip_all "tests/helpers/sockfill not built"
[ "$(id -u)" -eq 0 ] || skip_all "needs root (top --by process/cgroup of every process, a cgroup of its own)"
ESC=$(printf '\033')
lock_live_shared

# a process whose name is a terminal escape sequence
EVIL="$TMPD/$(printf '\033[2Jx\a')"
ln -s "$FILL" "$EVIL"
"$EVIL" -w -t 2 -b 1000 < /dev/null > "$TMPD/fill.out" 2>&1 &
FP=$!
trap 'kill $FP 2>/dev/null; [ -n "${CG:-}" ] && { kill ${CP:-0} 2>/dev/null; sleep 0.3; rmdir "$CG" 2>/dev/null; }; cleanup_tmp' EXIT
for _ in $(seq 50); do grep -q ready "$TMPD/fill.out" && break; sleep 0.1; done
"$SOCKMEM" top --by process -n 50 > "$TMPD/top.txt" 2>&1
check "process name with escapes: found" grep -q "x1b" "$TMPD/top.txt"
check "process name with escapes: no ESC or BEL byte in text" sh -c "! grep -q '[$ESC$(printf '\007')]' '$TMPD/top.txt'"
"$SOCKMEM" top --by process -n 50 --json > "$TMPD/top.json"
check "process name with escapes: valid JSON, comm the real string" \
	jq -e --argjson p $FP '.top[] | select(.pid == $p) | .comm == "\u001b[2Jx\u0007"' "$TMPD/top.json"

# a cgroup whose path holds control characters
CG2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
if [ -n "$CG2" ] && [ -w "$CG2" ]; then
	CG="$CG2/sockmem-test-$(printf '\033[31m')-$$"
	mkdir "$CG"
	sh -c 'echo $$ > "$1/cgroup.procs" && exec "$2" -w -t 2 -b 1000' _ "$CG" "$FILL" < /dev/null > "$TMPD/fill2.out" 2>&1 &
	CP=$!
	for _ in $(seq 50); do grep -q ready "$TMPD/fill2.out" && break; sleep 0.1; done
	"$SOCKMEM" top --by cgroup -n 50 > "$TMPD/cg.txt" 2>&1
	check "cgroup path with escapes: shown escaped" grep -q "sockmem-test-\\\\x1b" "$TMPD/cg.txt"
	check "cgroup path with escapes: no ESC byte in text" sh -c "! grep -q '$ESC' '$TMPD/cg.txt'"
	"$SOCKMEM" top --by cgroup -n 50 --json > "$TMPD/cg.json"
	check "cgroup path with escapes: valid JSON" jq -e '[.top[].path] | map(select(. != null and test("sockmem-test"))) | length == 1' "$TMPD/cg.json"
else
	skip "cgroup paths: no writable cgroup2 mount"
fi
done_testing
