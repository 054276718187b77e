#!/bin/sh
# snapshot.sh - "sockmem snapshot DIR" copies every input of show, so that
# "sockmem --root DIR show" reproduces the report; it writes nothing outside
# DIR, refuses a non-empty DIR without --force, and with --force replaces an
# earlier snapshot whole (none of its files stays to be read with the new).
# Offline: snapshots of the fixture trees (live.sh takes one of the live system).
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

# 3b. --force over an older snapshot keeps none of its files: a capture
# without tcp_mem (a container's) over one with it reads as the container's
# alone, and the old sock_diag dumps are gone with the rest.
T=$SRCDIR/tests/trees
rm -rf "$S"
"$SOCKMEM" --root "$T/linux-6.18-loaded" snapshot "$S" > /dev/null 2>&1
check "first capture has tcp_mem and dumps" test -f "$S/proc/sys/net/ipv4/tcp_mem" -a -f "$S/sock_diag/tcp.dump"
echo "a note of the user's" > "$S/NOTES"
find "$S" -type f -exec touch -d 2000-01-01 {} +	# to tell the old files from the new
"$SOCKMEM" --root "$T/container-netns" snapshot --force "$S" > "$TMPD/out" 2>&1
check "--force over an older snapshot: exit 0" [ $? -eq 0 ]
check "--force: the old tcp_mem is gone" [ ! -e "$S/proc/sys/net/ipv4/tcp_mem" ]
check "--force: the old dumps are gone" test ! -e "$S/sock_diag/tcp.dump" -a ! -e "$S/sock_diag/udp.dump"
check "--force: a file that is not a snapshot's stays" grep -qx "a note of the user's" "$S/NOTES"
a=$("$SOCKMEM" --root "$T/container-netns" --json show 2>/dev/null | jq -S "$STABLE")
b=$("$SOCKMEM" --root "$S" --json show 2>/dev/null | jq -S "$STABLE")
check "--force: the report is the second capture's alone" test -n "$a" -a "$a" = "$b"
"$SOCKMEM" --root "$S" show 2>/dev/null | grep -q "not the initial one"
check "--force: it still says network namespace: not the initial one" [ $? -eq 0 ]
# every file a snapshot holds was removed or written anew
for f in $("${BUILDDIR:-$SRCDIR}/tests/helpers/listinputs" --snapshot); do
	[ -n "$(find "$S/$f" ! -newermt 2001-01-01 2>/dev/null)" ] && echo "$f"
done > "$TMPD/stale"
check "--force: no file of the old capture is left" [ ! -s "$TMPD/stale" ]
[ -s "$TMPD/stale" ] && diag "$(cat "$TMPD/stale")"

# 3c. --force refuses a directory that is not a snapshot, and removes nothing
D=$TMPD/notsnap
mkdir -p "$D/proc/net"
echo precious > "$D/proc/net/sockstat"
"$SOCKMEM" --root "$I" snapshot --force "$D" > "$TMPD/out" 2>&1
check "--force on a non-snapshot: exit 2" [ $? -eq 2 ]
check "--force on a non-snapshot: message" grep -q "^sockmem: $D: not a snapshot" "$TMPD/out"
check "--force on a non-snapshot: nothing removed" grep -qx precious "$D/proc/net/sockstat"

# 4. it never follows a symlink out of DIR: a link in the place of a file is
# replaced by the file (its target untouched), one in the place of a
# directory stops --force before anything is removed
echo "precious" > "$TMPD/target"
rm -f "$S/proc/net/sockstat"
ln -s "$TMPD/target" "$S/proc/net/sockstat"
"$SOCKMEM" --root "$I" snapshot --force "$S" > "$TMPD/out" 2>&1
check "symlink to a file in DIR: exit 0" [ $? -eq 0 ]
check "symlink target untouched" grep -qx precious "$TMPD/target"
check "symlink replaced by a regular file" test -f "$S/proc/net/sockstat" -a ! -L "$S/proc/net/sockstat"
mkdir -p "$TMPD/elsewhere"
echo precious > "$TMPD/elsewhere/snmp"
rm -rf "$S/proc/net"
ln -s "$TMPD/elsewhere" "$S/proc/net"
"$SOCKMEM" --root "$I" snapshot --force "$S" > "$TMPD/out" 2>&1
check "symlink to a directory in DIR: refused (exit 2)" [ $? -eq 2 ]
check "symlink to a directory: message names it" grep -q "^sockmem: $S: cannot remove the earlier snapshot's proc/net/.*symbolic link" "$TMPD/out"
check "symlink to a directory: its files untouched" grep -qx precious "$TMPD/elsewhere/snmp"
check "symlink to a directory: nothing removed" test -f "$S/sockmem-snapshot.meta" -a -f "$S/proc/meminfo"

# 4. JSON summary
rm -rf "$S"
"$SOCKMEM" --root "$I" --json snapshot "$S" > "$TMPD/out"
check "--json snapshot lists the files" jq -e '.command == "snapshot" and (.files | index("proc/net/sockstat")) != null' "$TMPD/out"
check "--json snapshot: an empty problems list" jq -e '.problems == []' "$TMPD/out"
# a file that cannot be read: named under problems (first-user 30)
B="$TMPD/badsrc"
cp -R "$I" "$B"
rm -f "$B/proc/net/netstat"
mkdir "$B/proc/net/netstat"
rm -rf "$S"
"$SOCKMEM" --root "$B" --json snapshot "$S" > "$TMPD/out" 2> /dev/null
check "a file that cannot be read: exit 3" [ $? -eq 3 ]
check "a file that cannot be read: JSON problems names it" \
	jq -e '.partial and ([.problems[].file] | map(select(endswith("proc/net/netstat"))) | length) >= 1' "$TMPD/out"

# 5. an unwritable place
"$SOCKMEM" --root "$I" snapshot /proc/sockmem-test > "$TMPD/out" 2>&1
check "unwritable directory: exit 2" [ $? -eq 2 ]
check "unwritable directory: message" grep -q "^sockmem: /proc/sockmem-test: cannot create" "$TMPD/out"
done_testing
