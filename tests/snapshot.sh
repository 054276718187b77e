#!/bin/sh
# snapshot.sh - "sockmem snapshot DIR" copies every input of show, so that
# "sockmem --root DIR show" reproduces the report; it writes nothing outside
# DIR and refuses a non-empty DIR without --force.  Offline: snapshots of the
# fixture trees (live.sh takes one of the live system).
# SPDX-License-Identifier: GPL-2.0-or-later
. "$(dirname "$0")/lib.sh"

command -v jq >/dev/null || skip_all "jq not installed"
S=$TMPD/snap
STABLE='del(.source.collected_at, .source.snapshot_time, .source.root, .problems)'
I=$SRCDIR/tests/trees/linux-6.18-idle

# 1. a snapshot of a snapshot reproduces the report exactly
for t in linux-6.18-idle tcp-pressure-hysteresis arm64-64k-6.1 container-netns; do
	T=$SRCDIR/tests/trees/$t
	rm -rf "$S"
	"$SOCKMEM" --root "$T" snapshot "$S" > /dev/null 2>&1
	a=$("$SOCKMEM" --root "$T" --json show 2>/dev/null | jq -S "$STABLE")
	b=$("$SOCKMEM" --root "$S" --json show 2>/dev/null | jq -S "$STABLE")
	check "$t: snapshot of the tree gives the same report" test -n "$a" -a "$a" = "$b"
done

rm -rf "$S"
"$SOCKMEM" --root "$SRCDIR/tests/trees/arm64-64k-6.1" snapshot "$S" >/dev/null 2>&1
check "64 KiB page size carried over" grep -qx "page_size_bytes=65536" "$S/sockmem-snapshot.meta"
check "kernel release carried over" grep -qx "kernel_release=6.1.0-18-arm64" "$S/sockmem-snapshot.meta"
check "metadata sockmem version" grep -q "^sockmem_version=[0-9]" "$S/sockmem-snapshot.meta"

# 2. a non-empty directory needs --force
"$SOCKMEM" --root "$I" snapshot "$S" > "$TMPD/out" 2>&1
check "non-empty directory refused (exit 2)" [ $? -eq 2 ]
check "non-empty directory: message" grep -q "^sockmem: $S: directory is not empty (use --force" "$TMPD/out"
check "non-empty directory: left as it was" grep -qx "page_size_bytes=65536" "$S/sockmem-snapshot.meta"
"$SOCKMEM" --root "$I" snapshot --force "$S" > "$TMPD/out" 2>&1
check "--force writes into it" [ $? -eq 0 ]
check "--force replaced the metadata" grep -qx "page_size_bytes=4096" "$S/sockmem-snapshot.meta"

# 3. it never follows a symlink out of DIR
echo "precious" > "$TMPD/target"
rm -f "$S/proc/net/sockstat"
ln -s "$TMPD/target" "$S/proc/net/sockstat"
"$SOCKMEM" --root "$I" snapshot --force "$S" > "$TMPD/out" 2>&1
st=$?
check "symlink in DIR: exit 3 (partial)" [ $st -eq 3 ]
check "symlink target untouched" grep -qx precious "$TMPD/target"
check "symlink: message names the file" grep -q "$S/proc/net/sockstat: cannot write" "$TMPD/out"

# 4. JSON summary
rm -rf "$S"
"$SOCKMEM" --root "$I" --json snapshot "$S" > "$TMPD/out"
check "--json snapshot lists the files" jq -e '.command == "snapshot" and (.files | index("proc/net/sockstat")) != null' "$TMPD/out"

# 5. an unwritable place
"$SOCKMEM" --root "$I" snapshot /proc/sockmem-test > "$TMPD/out" 2>&1
check "unwritable directory: exit 2" [ $? -eq 2 ]
check "unwritable directory: message" grep -q "^sockmem: /proc/sockmem-test: cannot create" "$TMPD/out"
done_testing
