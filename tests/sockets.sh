#!/bin/bash
# sockets.sh - the per-socket view against ss -m on the same sockets, in a
# private network namespace: loopback TCP connections and UDP sockets with
# known unread data; sums, counts, charged bytes, reconciliation, top by
# process, replay of an "ss -D" recording, and the unprivileged view.
# SPDX-License-Identifier: GPL-2.0-or-later
. "$(dirname "$0")/lib.sh"

command -v jq >/dev/null || skip_all "jq not installed"
command -v ss >/dev/null || skip_all "ss (iproute2) not installed"
FILL=${BUILDDIR:-$SRCDIR}/tests/helpers/sockfill
[ -x "$FILL" ] || skip_all "tests/helpers/sockfill not built"
# the exact charge and sockstat are host-wide: no other test may move them meanwhile
in_private_netns exclusive "$@"

coproc FILLER { "$FILL" -t 24 -b 150000 -u 4 -d 20 -p 2; }
read -r ready pid <&"${FILLER[0]}"
[ "$ready" = ready ] || { echo "1..0 # SKIP sockfill did not start"; exit 0; }
# 150000 bytes do not fit the receivers' initial 128 KiB rcvbuf: the rest
# waits in the senders' write queues (w > 0) and zero-window probes are
# dropped (d grows).  Wait until the queues stop moving.
prev=
for i in $(seq 50); do
	cur=$(ss -tamnH | grep -o 'skmem:([^)]*)' | sed 's/,d[0-9]*//' | md5sum)
	[ "$cur" = "$prev" ] && break
	prev=$cur
	sleep 0.2
done

# ss -m sums: field NAME of skmem over the sockets ss lists
ss_sum() { # PROTO(-t|-u) FIELD
	ss "$1" -amnH | grep -o 'skmem:([^)]*)' | tr -d 'skmem:()' | tr ',' '\n' |
		awk -v F="$2" '{ k = $0; sub(/[0-9]+$/, "", k); v = substr($0, length(k) + 1); if (k == F) s += v } END { print s + 0 }'
}
ss_count() { ss "$1" -amnH | grep -c 'skmem:'; }

# ss before and after sockmem: each sum must equal ss (counters that move,
# like drops, must lie between the two readings).
FIELDS="r:rmem_alloc_bytes rb:rcvbuf_bytes t:wmem_alloc_bytes tb:sndbuf_bytes f:fwd_alloc_bytes w:wmem_queued_bytes o:optmem_bytes bl:backlog_bytes d:drops"
for f in t u; do for m in $FIELDS; do echo "$f ${m%%:*} $(ss_sum -$f "${m%%:*}")"; done; done > "$TMPD/ss.before"
"$SOCKMEM" --json show > "$TMPD/show.json" 2> "$TMPD/err"
st=$?
for f in t u; do for m in $FIELDS; do echo "$f ${m%%:*} $(ss_sum -$f "${m%%:*}")"; done; done > "$TMPD/ss.after"
check "show exits 0 in the namespace" [ $st -eq 0 ]
between() { # VALUE A B
	[ "$1" -ge "$2" ] && [ "$1" -le "$3" ] || { [ "$1" -ge "$3" ] && [ "$1" -le "$2" ]; }
}
for p in t:tcp u:udp; do
	f=${p%%:*} k=${p#*:}
	j() { jq ".sockets.$k.$1" "$TMPD/show.json"; }
	check "$k: sockets with meminfo = ss ($(ss_count -$f))" [ "$(j count_with_meminfo)" = "$(ss_count -$f)" ]
	for m in $FIELDS; do
		a=$(awk -v F=$f -v K="${m%%:*}" '$1 == F && $2 == K { print $3 }' "$TMPD/ss.before")
		b=$(awk -v F=$f -v K="${m%%:*}" '$1 == F && $2 == K { print $3 }' "$TMPD/ss.after")
		check "$k: ${m#*:} = ss -m sum of ${m%%:*} ($a..$b)" between "$(j "${m#*:}")" "$a" "$b"
	done
	r=$(ss_sum -$f r) fw=$(ss_sum -$f f) w=$(ss_sum -$f w)
	if [ $k = tcp ]; then want=$((r + w + fw)); else want=$((r + fw)); fi
	check "$k: charged_bytes = r + ${k/udp/}${k/tcp/w + }f = $want" [ "$(j charged_bytes)" = "$want" ]
done
check "tcp: 24 pairs + 2 listeners seen" [ "$(jq '.sockets.tcp.by_state.ESTAB' "$TMPD/show.json")" = 48 ]
check "tcp: the unread data fills the 24 receive queues" [ "$(jq '.sockets.tcp.rmem_alloc_bytes >= 24 * 100000' "$TMPD/show.json")" = true ]
check "tcp: and the rest waits in the write queues" [ "$(jq '.sockets.tcp.wmem_queued_bytes > 0' "$TMPD/show.json")" = true ]
# sockstat mem is host-wide: this namespace's sockets alone leave the host's
# other sockets in the residual, so the band is checked over every
# namespace (--all-netns); this one alone may not be below it by more than
# the band.
"$SOCKMEM" --json show --all-netns > "$TMPD/all.json" 2>/dev/null
for k in tcp udp; do
	diag "$k: residual $(jq .reconciliation.$k.residual_pages "$TMPD/show.json") pages in this namespace, $(jq .reconciliation.$k.residual_pages "$TMPD/all.json") over all, band $(jq .reconciliation.$k.band_pages "$TMPD/all.json")"
	check "$k: reconciliation over every namespace within the per-CPU band" [ "$(jq .reconciliation.$k.within_band "$TMPD/all.json")" = true ]
	check "$k: this namespace alone is not below sockstat by more than the band" \
		[ "$(jq ".reconciliation.$k.residual_pages >= -.reconciliation.$k.band_pages" "$TMPD/show.json")" = true ]
done
check "reconciliation band = CPUs x (rsv - 1)" [ "$(jq '.reconciliation.tcp.band_pages == .protocols.tcp.uncertainty_pages' "$TMPD/show.json")" = true ]
check "protocols.tcp.worst_case_bytes = sockets.tcp.worst_case_bytes" [ "$(jq '.protocols.tcp.worst_case_bytes == .sockets.tcp.worst_case_bytes and .sockets.tcp.worst_case_bytes > 0' "$TMPD/show.json")" = true ]

# top by socket: the largest is one of the receivers, charged = its r+w+f
"$SOCKMEM" top -n 3 --json > "$TMPD/top.json"
check "top: 3 entries, largest first" [ "$(jq '[.top[].charged_bytes] | . == (sort | reverse) and length == 3' "$TMPD/top.json")" = true ]
check "top: charged = rmem + wmem_queued + fwd" [ "$(jq '.top[0] | .charged_bytes == .rmem_alloc_bytes + .wmem_queued_bytes + .fwd_alloc_bytes' "$TMPD/top.json")" = true ]

# by process: all of it is sockfill's
"$SOCKMEM" top --by process --json > "$TMPD/proc.json"
check "top --by process: pid is sockfill's ($pid)" [ "$(jq '.top[0].pid' "$TMPD/proc.json")" = "$pid" ]
check "top --by process: comm sockfill" [ "$(jq -r '.top[0].comm' "$TMPD/proc.json")" = sockfill ]
check "top --by process: its charge = all TCP + UDP charged" [ "$(jq '.top[0].charged_bytes' "$TMPD/proc.json")" = "$(jq '.sockets.tcp.charged_bytes + .sockets.udp.charged_bytes' "$TMPD/show.json")" ]
check "top --by process: attribution complete as root" [ "$(jq '.attribution.partial' "$TMPD/proc.json")" = false ]
"$SOCKMEM" top --by port -n 1000 --json > "$TMPD/port.json"
check "top --by port: the ports add up to the TCP charge" [ "$(jq '[.top[] | select(.protocol == "tcp") | .charged_bytes] | add' "$TMPD/port.json")" = "$(jq '.sockets.tcp.charged_bytes' "$TMPD/show.json")" ]
check "top --by port: a listener port holds 12 receive queues + itself" [ "$(jq '[.top[] | select(.protocol == "tcp")][0].sockets' "$TMPD/port.json")" = 13 ]
"$SOCKMEM" top --by state > "$TMPD/state.txt"
check "top --by state text lists ESTAB" grep -q "^tcp ESTAB" "$TMPD/state.txt"
"$SOCKMEM" top --by cgroup --json > "$TMPD/cg.json"
check "top --by cgroup: cgroup ids resolved" [ "$(jq '[.top[] | select(.path != null)] | length > 0' "$TMPD/cg.json")" = true ]

# replay of what ss records with -D equals the live view (TCP)
ss -atmni -D "$TMPD/tcp.dump" > /dev/null
"$SOCKMEM" show --diag-file "$TMPD/tcp.dump" --json > "$TMPD/replay.json" 2> "$TMPD/err"
check "replay: exit 0 (a TCP recording is what was asked for, not a partial report)" [ $? -eq 0 ]
for k in count_with_meminfo rmem_alloc_bytes wmem_queued_bytes fwd_alloc_bytes charged_bytes; do
	check "replay of ss -D: tcp.$k = live" [ "$(jq .sockets.tcp.$k "$TMPD/replay.json")" = "$(jq .sockets.tcp.$k "$TMPD/show.json")" ]
done
check "replay: says UDP is not in it" [ "$(jq -r '.sockets.udp.complete, .sockets.source' "$TMPD/replay.json" | tr '\n' ' ')" = "false replay of $TMPD/tcp.dump (TCP, ss -D format) " ]
check "replay: no message on stderr" [ ! -s "$TMPD/err" ]

# snapshot records the dumps and replays them
"$SOCKMEM" snapshot "$TMPD/snap" > /dev/null
check "snapshot records sock_diag/tcp.dump" [ -s "$TMPD/snap/sock_diag/tcp.dump" ]
check "snapshot records sock_diag/udp.dump" [ -s "$TMPD/snap/sock_diag/udp.dump" ]
"$SOCKMEM" --root "$TMPD/snap" --json show > "$TMPD/snapshow.json"
for k in tcp.charged_bytes udp.charged_bytes tcp.count udp.count; do
	check "snapshot replay: sockets.$k = live" [ "$(jq .sockets.$k "$TMPD/snapshow.json")" = "$(jq .sockets.$k "$TMPD/show.json")" ]
done

# malformed recordings: a clear error naming the file, never a crash
head -c $(( $(stat -c %s "$TMPD/tcp.dump") - 9 )) "$TMPD/tcp.dump" > "$TMPD/cut.dump"
"$SOCKMEM" show --diag-file "$TMPD/cut.dump" > /dev/null 2> "$TMPD/err"
st=$?
check "truncated dump: partial report (exit 3)" [ $st -eq 3 ]
check "truncated dump: message names file and offset" grep -q "cut.dump: offset [0-9]*: truncated" "$TMPD/err"
printf 'garbage garbage garbage\n' > "$TMPD/garbage.dump"
"$SOCKMEM" show --diag-file "$TMPD/garbage.dump" > /dev/null 2> "$TMPD/err"
check "garbage dump: exit 3 with 'bad message length'" grep -q "garbage.dump: offset 0: bad message length" "$TMPD/err"
"$SOCKMEM" show --diag-file "$TMPD/nonexistent.dump" > /dev/null 2> "$TMPD/err"
check "missing dump file: exit 2" [ $? -eq 2 ]
check "missing dump file: message" grep -q "nonexistent.dump: No such file" "$TMPD/err"
check "missing dump file: said once, nothing else" [ "$(wc -l < "$TMPD/err")" -eq 1 ]
# an NLMSG_ERROR (ENOENT) appended, as a kernel without tcp_diag answers
printf '\x24\x00\x00\x00\x02\x00\x00\x00\x40\xe2\x01\x00\x00\x00\x00\x00\xfe\xff\xff\xff\x14\x00\x00\x00\x14\x00\x01\x03\x40\xe2\x01\x00\x00\x00\x00\x00' > "$TMPD/err.dump"
"$SOCKMEM" show --diag-file "$TMPD/err.dump" > /dev/null 2> "$TMPD/err"
check "NLMSG_ERROR in the dump: reported" grep -q "err.dump: offset 0: the recorded dump ends in an error: No such file or directory" "$TMPD/err"
# DUMP_INTR flag set on the first message
cp "$TMPD/tcp.dump" "$TMPD/intr.dump"
printf '\x12\x00' | dd of="$TMPD/intr.dump" bs=1 seek=6 conv=notrunc 2>/dev/null
"$SOCKMEM" show --diag-file "$TMPD/intr.dump" > /dev/null 2> "$TMPD/err"
check "DUMP_INTR in the dump: reported as inconsistent" grep -q "interrupted (NLM_F_DUMP_INTR)" "$TMPD/err"

# the peer fixture: iproute2's ss1.dump: an IPv4 dump (4 sockets) and an
# IPv6 dump (3 sockets), each ended by NLMSG_DONE, no SKMEMINFO
if have_peers; then
	"$SOCKMEM" show --diag-file "$PEER_FIXTURES/iproute2_testsuite_ss1.dump" --json > "$TMPD/ss1.json" 2>/dev/null
	check "iproute2 ss1.dump: 7 TCP sockets" [ "$(jq .sockets.tcp.count "$TMPD/ss1.json")" = 7 ]
	check "iproute2 ss1.dump: none with meminfo" [ "$(jq .sockets.tcp.count_with_meminfo "$TMPD/ss1.json")" = 0 ]
	check "iproute2 ss1.dump: 2 LISTEN, 5 ESTAB" [ "$(jq -c .sockets.tcp.by_state "$TMPD/ss1.json")" = '{"ESTAB":5,"LISTEN":2}' ]
else
	skip "iproute2 ss1.dump: peer fixtures not found"
fi

# unprivileged: totals as root sees them, attribution partial
if command -v setpriv >/dev/null; then
	chmod 755 "$TMPD"
	setpriv --reuid=65534 --regid=65534 --clear-groups "$SOCKMEM" --json show > "$TMPD/nobody.json" 2>/dev/null
	check "unprivileged: same TCP charged bytes" [ "$(jq .sockets.tcp.charged_bytes "$TMPD/nobody.json")" = "$(jq .sockets.tcp.charged_bytes "$TMPD/show.json")" ]
	setpriv --reuid=65534 --regid=65534 --clear-groups "$SOCKMEM" top --by process --json > "$TMPD/nobody-top.json" 2>/dev/null
	check "unprivileged top --by process: exit 3" [ $? -eq 3 ]
	check "unprivileged: attribution marked partial" [ "$(jq .attribution.partial "$TMPD/nobody-top.json")" = true ]
	check "unprivileged: sockets counted as not attributed" [ "$(jq '.attribution.unattributed_sockets > 0' "$TMPD/nobody-top.json")" = true ]
else
	skip "unprivileged: setpriv missing"
fi
echo quit >&"${FILLER[1]}"
wait
done_testing
