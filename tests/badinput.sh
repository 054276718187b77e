#!/bin/sh
# badinput.sh - every input missing, empty, truncated, garbage, with extra
# fields, overflowing, negative, with NUL bytes, huge, or a directory: each
# gives its documented outcome (sockmem(8) DIAGNOSTICS), never a crash and
# never a silent zero.
# SPDX-License-Identifier: GPL-2.0-or-later
. "$(dirname "$0")/lib.sh"

command -v jq >/dev/null || skip_all "jq not installed"
GOOD=$SRCDIR/tests/trees/linux-6.18-idle
B=$TMPD/tree

reset_tree() { rm -rf "$B"; cp -R "$GOOD" "$B"; chmod -R u+w "$B"; }

# corrupt REL KIND
corrupt() {
	cf=$B/$1
	case $2 in
	missing) rm -f "$cf" ;;
	empty) : > "$cf" ;;
	truncated) head -c "$(( $(wc -c < "$cf") - 2 ))" "$GOOD/$1" > "$cf" ;;
	garbage) printf 'this is not a kernel file\n\001\002 garbage\n' > "$cf" ;;
	overflow) sed -E 's/[0-9]+/18446744073709551616/' "$GOOD/$1" > "$cf" ;;
	negative) sed -E 's/(^|[ :\t])([0-9]+)/\1-\2/' "$GOOD/$1" > "$cf" ;;
	nul) printf 'A\000B\n' | cat "$GOOD/$1" - > "$cf" ;;
	huge) { cat "$GOOD/$1"; head -c 2097152 /dev/zero | tr '\0' 'x'; echo; } > "$cf" ;;
	longline) { head -c 900000 /dev/zero | tr '\0' '7'; echo; } > "$cf" ;;
	directory) rm -f "$cf"; mkdir "$cf" ;;
	extra) extra_fields "$1" > "$cf" ;;
	esac
}

# A newer kernel's file: unknown keys, columns, groups or lines added.
extra_fields() {
	case $1 in
	proc/net/sockstat) sed 's/^TCP: \(.*\)$/TCP: \1 pressure 0 future 7/' "$GOOD/$1"; echo "NEWPROTO: inuse 3 mem 9" ;;
	proc/net/protocols) sed '1s/$/ zz/; 2,$s/$/ y/' "$GOOD/$1" ;;
	proc/net/netstat|proc/net/snmp) sed '1s/$/ FutureCounter/; 2s/$/ 5/' "$GOOD/$1"; printf 'NewExt: A B\nNewExt: 1 2\n' ;;
	proc/meminfo) cat "$GOOD/$1"; echo "FutureField:     1 kB" ;;
	*) cat "$GOOD/$1" ;;
	esac
}

# run REL KIND WANT_STATUS WANT_REGEX
run() {
	reset_tree
	corrupt "$1" "$2"
	"$SOCKMEM" --root "$B" --json show > "$TMPD/out" 2> "$TMPD/err"
	st=$?
	what="$1 $2"
	if [ "$st" -ne "$3" ]; then
		not_ok "$what: exit $st, want $3"
		diag "$(head -3 "$TMPD/err")"
		return
	fi
	if [ -n "$4" ] && ! grep -Eq -- "^sockmem: $B/$1: .*$4" "$TMPD/err"; then
		not_ok "$what: stderr does not name the file with /$4/"
		diag "$(head -3 "$TMPD/err")"
		return
	fi
	case $st in
	0|3)
		partial=$(jq -r .partial "$TMPD/out" 2>/dev/null)
		want_partial=false; [ "$st" -eq 3 ] && want_partial=true
		if [ "$partial" != "$want_partial" ]; then
			not_ok "$what: JSON partial=$partial, want $want_partial"
			return
		fi
		if [ "$st" -eq 3 ] && ! jq -e --arg f "$B/$1" '.problems | map(.file) | index($f)' "$TMPD/out" >/dev/null; then
			not_ok "$what: problems[] does not name the file"
			return
		fi ;;
	2)
		if [ -s "$TMPD/out" ]; then
			not_ok "$what: exit 2 but stdout not empty"
			return
		fi ;;
	esac
	ok "$what -> $st${4:+ /$4/}"
}

# sockstat: without it there is no usage to report -> 2
S=proc/net/sockstat
run $S missing 2 "missing"
run $S empty 2 "empty file"
run $S truncated 2 "line 6: truncated"
run $S garbage 2 "line 1: expected 'NAME: key value"
run $S overflow 2 "line 1: sockets used: '18446744073709551616' is out of range"
run $S negative 2 "line 1: sockets used: '-[0-9]+' is negative"
run $S nul 2 "line 7: NUL byte"
run $S huge 2 "larger than 1 MiB"
run $S longline 2 "line 1: expected"
run $S directory 2 "is a directory"
run $S extra 0 ""

# Inputs the report can do without: partial report, exit 3
for f in proc/net/protocols proc/net/netstat proc/net/snmp proc/meminfo \
	 proc/sys/kernel/osrelease sys/devices/system/cpu/possible; do
	run $f missing 3 "missing"
	run $f empty 3 "empty file|no MemTotal"
	run $f garbage 3 "line 1|no MemTotal"
	run $f nul 3 "NUL byte"
	run $f huge 3 "larger than 1 MiB"
	run $f directory 3 "is a directory"
	run $f extra 0 ""
done
run proc/net/protocols truncated 3 "truncated"
run proc/net/netstat truncated 3 "truncated"
run proc/net/netstat overflow 3 "out of range"
run proc/net/snmp truncated 3 "truncated"
run proc/meminfo overflow 3 "out of range"
run sys/devices/system/cpu/possible negative 3 "bad CPU range"

# sockstat6 absent: IPv6 disabled, not a problem
run proc/net/sockstat6 missing 0 ""
run proc/net/sockstat6 garbage 3 "line 1"

# sysctls: absent is explained (unavailable[]), bad content is a problem
for f in proc/sys/net/ipv4/tcp_mem proc/sys/net/ipv4/udp_mem proc/sys/net/core/mem_pcpu_rsv \
	 proc/sys/net/ipv4/tcp_rmem proc/sys/net/core/rmem_max; do
	run $f missing 0 ""
	run $f empty 3 "empty file"
	run $f garbage 3 "line 1"
	run $f overflow 3 "out of range"
	run $f negative 3 "negative"
	run $f truncated 3 "truncated|values, expected|value '"
	run $f nul 3 "NUL byte"
done

# Missing limits are explained, not zero.
reset_tree; rm "$B/proc/sys/net/ipv4/tcp_mem"
"$SOCKMEM" --root "$B" --json show > "$TMPD/out" 2>/dev/null
check "tcp_mem absent: limits null, state unknown" \
	jq -e '.protocols.tcp.limits_pages == null and .protocols.tcp.state == "unknown"' "$TMPD/out"
check "tcp_mem absent: reason given" \
	jq -e '.unavailable | map(select(.what == "net.ipv4.tcp_mem")) | length == 1' "$TMPD/out"

# A counter absent from netstat is null, not 0.
reset_tree
awk -v N=TCPMemoryPressuresChrono 'NR == 1 { for (i = 2; i <= NF; i++) if ($i == N) c = i } NR <= 2 { $c = ""; $0 = $0; gsub(/  +/, " ") } { print }' \
	"$GOOD/proc/net/netstat" > "$B/proc/net/netstat"
"$SOCKMEM" --root "$B" --json show > "$TMPD/out" 2>"$TMPD/err"
check "absent counter is null" jq -e '.counters.TCPMemoryPressuresChrono == null and .counters.TCPMemoryPressures == 0' "$TMPD/out"

# Every truncation of sockstat: exit 0 at a line end, 2 elsewhere, never a crash.
reset_tree
n=$(wc -c < "$GOOD/proc/net/sockstat")
bad=0 i=0
while [ $i -lt "$n" ]; do
	head -c $i "$GOOD/proc/net/sockstat" > "$B/proc/net/sockstat"
	"$SOCKMEM" --root "$B" show > /dev/null 2>&1
	st=$?
	last=$(tail -c 1 "$B/proc/net/sockstat" | od -An -c | tr -d ' ')
	if [ $i -gt 0 ] && [ "$last" = '\n' ]; then want=0; else want=2; fi
	[ "$st" -eq "$want" ] || { bad=$((bad + 1)); diag "cut at $i: exit $st want $want"; }
	i=$((i + 1))
done
check "sockstat cut at each of $n bytes" [ $bad -eq 0 ]

# Unreadable files (needs a non-root user: root reads anything).
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
	reset_tree
	chmod -R a+rX "$TMPD"
	chmod 000 "$B/proc/net/protocols"
	setpriv --reuid=65534 --regid=65534 --clear-groups "$SOCKMEM" --root "$B" --json show \
		> "$TMPD/out" 2> "$TMPD/err"
	st=$?
	check "unreadable protocols: exit 3" [ $st -eq 3 ]
	check "unreadable protocols: message" grep -q "protocols: Permission denied" "$TMPD/err"
	chmod 000 "$B/proc/net/sockstat"
	setpriv --reuid=65534 --regid=65534 --clear-groups "$SOCKMEM" --root "$B" show \
		> "$TMPD/out" 2> "$TMPD/err"
	check "unreadable sockstat: exit 2" [ $? -eq 2 ]
	check "unreadable sockstat: message" grep -q "sockstat: Permission denied" "$TMPD/err"
else
	skip "unreadable files: needs root to switch to an unprivileged user"
fi

# Snapshot metadata with a bad page size: named, and this machine's used.
reset_tree
sed -i 's/^page_size_bytes=.*/page_size_bytes=3000/' "$B/sockmem-snapshot.meta"
"$SOCKMEM" --root "$B" --json show > "$TMPD/out" 2> "$TMPD/err"
check "bad metadata page size: exit 3" [ $? -eq 3 ]
check "bad metadata page size: message" grep -q "sockmem-snapshot.meta: page_size_bytes is not a power of two" "$TMPD/err"
done_testing
