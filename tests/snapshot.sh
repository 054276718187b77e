#!/bin/sh
# snapshot.sh - "sockmem snapshot DIR" copies every input of show, so that
# "sockmem --root DIR show" reproduces the report; it writes nothing outside
# DIR and refuses a non-empty DIR without --force.
# SPDX-License-Identifier: GPL-2.0-or-later
. "$(dirname "$0")/lib.sh"

command -v jq >/dev/null || skip_all "jq not installed"
lock_live_shared
S=$TMPD/snap
STABLE='del(.source.collected_at, .source.snapshot_time, .source.root, .problems)'

# 1. live machine
"$SOCKMEM" snapshot "$S" > "$TMPD/out" 2>&1
check "snapshot of the live system: exit 0" [ $? -eq 0 ]
check "snapshot has sockstat" [ -s "$S/proc/net/sockstat" ]
check "snapshot has tcp_mem" [ -s "$S/proc/sys/net/ipv4/tcp_mem" ] || [ ! -e /proc/sys/net/ipv4/tcp_mem ]
check "metadata page size = getconf PAGESIZE" grep -qx "page_size_bytes=$(getconf PAGESIZE)" "$S/sockmem-snapshot.meta"
check "metadata kernel release = uname -r" grep -qx "kernel_release=$(uname -r)" "$S/sockmem-snapshot.meta"
check "metadata sockmem version" grep -q "^sockmem_version=[0-9]" "$S/sockmem-snapshot.meta"
"$SOCKMEM" --json show > "$TMPD/live.json"
"$SOCKMEM" --root "$S" --json show > "$TMPD/snap.json"
check "--root SNAP show exit 0" [ $? -eq 0 ]
for k in .settings .protocols.tcp.limits_pages .protocols.udp.limits_pages .source.kernel_release \
	 .source.page_size_bytes .source.possible_cpus .source.mem_total_bytes \
	 .source.per_cpu_reserve_pages .protocols.tcp.uncertainty_pages; do
	a=$(jq -c "$k" "$TMPD/live.json"); b=$(jq -c "$k" "$TMPD/snap.json")
	check "snapshot reproduces $k ($a)" [ "$a" = "$b" ]
done

# 2. a snapshot of a snapshot reproduces the report exactly
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

# 3. a non-empty directory needs --force
"$SOCKMEM" snapshot "$S" > "$TMPD/out" 2>&1
check "non-empty directory refused (exit 2)" [ $? -eq 2 ]
check "non-empty directory: message" grep -q "^sockmem: $S: directory is not empty (use --force" "$TMPD/out"
"$SOCKMEM" snapshot --force "$S" > "$TMPD/out" 2>&1
check "--force writes into it" [ $? -eq 0 ]
check "--force replaced the metadata" grep -qx "page_size_bytes=$(getconf PAGESIZE)" "$S/sockmem-snapshot.meta"

# 4. it never follows a symlink out of DIR
echo "precious" > "$TMPD/target"
rm -f "$S/proc/net/sockstat"
ln -s "$TMPD/target" "$S/proc/net/sockstat"
"$SOCKMEM" snapshot --force "$S" > "$TMPD/out" 2>&1
st=$?
check "symlink in DIR: exit 3 (partial)" [ $st -eq 3 ]
check "symlink target untouched" grep -qx precious "$TMPD/target"
check "symlink: message names the file" grep -q "$S/proc/net/sockstat: cannot write" "$TMPD/out"

# 5. JSON summary
rm -rf "$S"
"$SOCKMEM" --json snapshot "$S" > "$TMPD/out"
check "--json snapshot lists the files" jq -e '.command == "snapshot" and (.files | index("proc/net/sockstat")) != null' "$TMPD/out"

# 6. an unwritable place
"$SOCKMEM" snapshot /proc/sockmem-test > "$TMPD/out" 2>&1
check "unwritable directory: exit 2" [ $? -eq 2 ]
check "unwritable directory: message" grep -q "^sockmem: /proc/sockmem-test: cannot create" "$TMPD/out"
done_testing
