#!/bin/bash
# safety.sh - hostile file contents never reach the terminal raw and stay
# valid JSON; hostile dumps are bounded in memory and time.  Offline (names
# chosen by other users, process names and cgroup paths: safety-live.sh).
# SPDX-License-Identifier: GPL-2.0-or-later
. "$(dirname "$0")/lib.sh"

command -v jq >/dev/null || skip_all "jq not installed"
ESC=$(printf '\033')

# a hostile kernel release and a --root path with control characters
B="$TMPD/bad$(printf '\033[2J\007')root"
cp -R "$SRCDIR/tests/trees/linux-6.18-idle" "$B"
printf '6.1\033[31m-evil\n' > "$B/proc/sys/kernel/osrelease"
"$SOCKMEM" --root "$B" show > "$TMPD/out" 2> "$TMPD/err"
check "hostile osrelease and root: text has no ESC byte" sh -c "! grep -q '$ESC' '$TMPD/out' '$TMPD/err'"
"$SOCKMEM" --root "$B" --json show > "$TMPD/out.json" 2>/dev/null
check "hostile osrelease and root: JSON carries the real string" \
	jq -e '.source.kernel_release == "6.1\u001b[31m-evil"' "$TMPD/out.json"
check "hostile root: JSON carries the real path" jq -e '.source.root | endswith("bad\u001b[2J\u0007root")' "$TMPD/out.json"
printf '6.1\377\303-x\n' > "$B/proc/sys/kernel/osrelease"
"$SOCKMEM" --root "$B" --json show > "$TMPD/out.json" 2>/dev/null
check "osrelease not UTF-8: each bad byte is U+FFFD, valid JSON" \
	jq -e '.source.kernel_release == "6.1\ufffd\ufffd-x"' "$TMPD/out.json"
printf '6.1\303\251\n' > "$B/proc/sys/kernel/osrelease"
"$SOCKMEM" --root "$B" --json show > "$TMPD/out.json" 2>/dev/null
check "osrelease in UTF-8: as it is" jq -e '.source.kernel_release == "6.1\u00e9"' "$TMPD/out.json"
printf 'TCP: inuse 1 mem 1\n\033]0;pwned\007: inuse 1\n' > "$B/proc/net/sockstat"
"$SOCKMEM" --root "$B" show > "$TMPD/out" 2> "$TMPD/err"
check "hostile sockstat line name: message escaped" sh -c "grep -q 'x1b' '$TMPD/err' && ! grep -q '$ESC' '$TMPD/err'"

# hostile dumps: bounded memory and time
head -c 20000000 /dev/urandom > "$TMPD/random.dump"
start=$(date +%s)
"$SOCKMEM" --root "$SRCDIR/tests/trees/linux-6.18-idle" show --diag-file "$TMPD/random.dump" > /dev/null 2> "$TMPD/err"
check "20 MB of random bytes as a dump: a clear error (exit 3)" [ $? -eq 3 ]
check "... in seconds" [ $(( $(date +%s) - start )) -lt 20 ]
"$SOCKMEM" --root "$SRCDIR/tests/trees/linux-6.18-idle" show --diag-file /dev/zero > /dev/null 2> "$TMPD/err"
check "/dev/zero as a dump: stops at once" grep -q "bad message length 0" "$TMPD/err"
done_testing
