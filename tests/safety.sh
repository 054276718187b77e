#!/bin/bash
# safety.sh - names chosen by other users (process names, cgroup paths) and
# hostile file contents never reach the terminal raw and stay valid JSON;
# hostile dumps are bounded in memory and time.
# SPDX-License-Identifier: GPL-2.0-or-later
. "$(dirname "$0")/lib.sh"

command -v jq >/dev/null || skip_all "jq not installed"
FILL=${BUILDDIR:-$SRCDIR}/tests/helpers/sockfill
ESC=$(printf '\033')
lock_live_shared

# a hostile kernel release and a --root path with control characters
B="$TMPD/bad$(printf '\033[2J\007')root"
cp -R "$SRCDIR/tests/trees/linux-6.18-idle" "$B"
printf '6.1\033[31m-evil\n' > "$B/proc/sys/kernel/osrelease"
"$SOCKMEM" --root "$B" show > "$TMPD/out" 2> "$TMPD/err"
check "hostile osrelease and root: text has no ESC byte" sh -c "! grep -q '$ESC' '$TMPD/out' '$TMPD/err'"
"$SOCKMEM" --root "$B" --json show > "$TMPD/out.json" 2>/dev/null
check "hostile osrelease and root: valid JSON" jq -e '.source.kernel_release | test("x1b")' "$TMPD/out.json"
printf 'TCP: inuse 1 mem 1\n\033]0;pwned\007: inuse 1\n' > "$B/proc/net/sockstat"
"$SOCKMEM" --root "$B" show > "$TMPD/out" 2> "$TMPD/err"
check "hostile sockstat line name: message escaped" sh -c "grep -q 'x1b' '$TMPD/err' && ! grep -q '$ESC' '$TMPD/err'"

if [ "$(id -u)" -ne 0 ] || [ ! -x "$FILL" ]; then
	skip "process names: needs root and tests/helpers/sockfill"
	skip "cgroup paths: needs root"
	done_testing
fi

# a process whose name is a terminal escape sequence
EVIL="$TMPD/$(printf '\033[2Jx\a')"
ln -s "$FILL" "$EVIL"
"$EVIL" -w -t 2 -b 1000 < /dev/null > "$TMPD/fill.out" 2>&1 &
FP=$!
trap 'kill $FP 2>/dev/null; [ -n "${CG:-}" ] && { kill ${CP:-0} 2>/dev/null; sleep 0.3; rmdir "$CG" 2>/dev/null; }; cleanup_tmp' EXIT
for i in $(seq 50); do grep -q ready "$TMPD/fill.out" && break; sleep 0.1; done
"$SOCKMEM" top --by process -n 50 > "$TMPD/top.txt" 2>&1
check "process name with escapes: found" grep -q "x1b" "$TMPD/top.txt"
check "process name with escapes: no ESC or BEL byte in text" sh -c "! grep -q '[$ESC$(printf '\007')]' '$TMPD/top.txt'"
"$SOCKMEM" top --by process -n 50 --json > "$TMPD/top.json"
check "process name with escapes: valid JSON, comm escaped" \
	jq -e --argjson p $FP '.top[] | select(.pid == $p) | .comm | test("^\\\\x1b")' "$TMPD/top.json"

# a cgroup whose path holds control characters
CG2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
if [ -n "$CG2" ] && [ -w "$CG2" ]; then
	CG="$CG2/sockmem-test-$(printf '\033[31m')-$$"
	mkdir "$CG"
	sh -c 'echo $$ > "$1/cgroup.procs" && exec "$2" -w -t 2 -b 1000' _ "$CG" "$FILL" < /dev/null > "$TMPD/fill2.out" 2>&1 &
	CP=$!
	for i in $(seq 50); do grep -q ready "$TMPD/fill2.out" && break; sleep 0.1; done
	"$SOCKMEM" top --by cgroup -n 50 > "$TMPD/cg.txt" 2>&1
	check "cgroup path with escapes: shown escaped" grep -q "sockmem-test-\\\\x1b" "$TMPD/cg.txt"
	check "cgroup path with escapes: no ESC byte in text" sh -c "! grep -q '$ESC' '$TMPD/cg.txt'"
	"$SOCKMEM" top --by cgroup -n 50 --json > "$TMPD/cg.json"
	check "cgroup path with escapes: valid JSON" jq -e '[.top[].path] | map(select(. != null and test("sockmem-test"))) | length == 1' "$TMPD/cg.json"
else
	skip "cgroup paths: no writable cgroup2 mount"
fi

# hostile dumps: bounded memory and time
head -c 20000000 /dev/urandom > "$TMPD/random.dump"
start=$(date +%s)
"$SOCKMEM" show --diag-file "$TMPD/random.dump" > /dev/null 2> "$TMPD/err"
check "20 MB of random bytes as a dump: a clear error (exit 3)" [ $? -eq 3 ]
check "... in seconds" [ $(( $(date +%s) - start )) -lt 20 ]
"$SOCKMEM" show --diag-file /dev/zero > /dev/null 2> "$TMPD/err"
check "/dev/zero as a dump: stops at once" grep -q "bad message length 0" "$TMPD/err"
done_testing
