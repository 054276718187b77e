#!/bin/bash
# backend.sh - the two per-socket backends on the same sockets, in a private
# network namespace: sock_diag (--backend netlink) and the BPF socket
# iterators (--backend bpf) give the same sums, top entries and states; the
# exact charge (memory_allocated + every CPU's cache) equals the sum of the
# sockets' charged pages, to the page, at 100k sockets, where show's sums
# are made in the kernel (no record read); TIME-WAIT entries are
# left out of show's sums and kept for top --by state; without the
# privileges (or without BPF in the build) auto falls back to sock_diag and
# says why.  The exact checks skip, with the reason, where the exact charge
# cannot be read.
# SPDX-License-Identifier: GPL-2.0-or-later
. "$(dirname "$0")/lib.sh"

command -v jq >/dev/null || skip_all "jq not installed"
FILL=${BUILDDIR:-$SRCDIR}/tests/helpers/sockfill
[ -x "$FILL" ] || skip_all "tests/helpers/sockfill not built"
# the exact charge and sockstat are host-wide: no other test may move them meanwhile
in_private_netns exclusive "$@"
pids=()
cleanup() {
	local p
	[ -n "${FILLER_PID:-}" ] && { echo quit >&"${FILLER[1]}"; } 2>/dev/null
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$TMPD"
}
trap cleanup EXIT

# Without BPF in the build (or without the privileges): auto is sock_diag,
# and --backend bpf is an error that says why.
"$SOCKMEM" --json show --backend bpf > /dev/null 2> "$TMPD/bpf.err"
bpf_st=$?
if [ $bpf_st -ne 0 ]; then
	check "--backend bpf that cannot run: exit 2" [ $bpf_st -eq 2 ]
	check "--backend bpf that cannot run: the reason" grep -q "sockets: --backend bpf: " "$TMPD/bpf.err"
	"$SOCKMEM" --json show > "$TMPD/auto.json"
	check "auto falls back to sock_diag" [ "$(jq -r .sockets.backend "$TMPD/auto.json")" = netlink ]
	check "auto says why" jq -e '.sockets.backend_fallback_reason | length > 0' "$TMPD/auto.json"
	check "no exact charge, with the reason" jq -e '.protocols.tcp.usage_exact_pages == null and (.exact_unavailable_reason | length > 0)' "$TMPD/auto.json"
	diag "BPF backend not available: $(cat "$TMPD/bpf.err")"
	done_testing
fi

# settle: every queue still (no zero-window probes: the data fits rcvbuf)
settle() {
	local prev= cur i
	for i in $(seq 50); do
		cur=$(ss -tuamnH | grep -o 'skmem:([^)]*)' | md5sum)
		[ "$cur" = "$prev" ] && return 0
		prev=$cur
		sleep 0.2
	done
}

# What both backends must agree on: the sums, without the source line.
SUMS='.sockets | del(.source, .backend, .backend_fallback_reason, .dump_restarts)'

coproc FILLER { "$FILL" -t 300 -b 3000 -u 40 -d 3 -s 700 -p 3; }
read -r ready pid <&"${FILLER[0]}"
[ "$ready" = ready ] || { echo "1..0 # SKIP sockfill did not start"; exit 0; }
settle

# show through both backends, alternately, until one pair agrees (a few
# tries: a socket may still move): one test point, DESC
same_sums() {
	local i
	for i in 1 2 3; do
		"$SOCKMEM" --json show --backend netlink > "$TMPD/nl.json"
		"$SOCKMEM" --json show --backend bpf > "$TMPD/bpf.json"
		if [ "$(jq -S "$SUMS" "$TMPD/nl.json")" = "$(jq -S "$SUMS" "$TMPD/bpf.json")" ]; then
			ok "$1"
			return
		fi
		sleep 0.5
	done
	not_ok "$1"
	diag "$(diff <(jq -S "$SUMS" "$TMPD/nl.json") <(jq -S "$SUMS" "$TMPD/bpf.json") | head -20)"
}
same_sums "show: the backends give identical sums (counts, states, every SK_MEMINFO field, charged)"
check "show --backend bpf: names its source" jq -e '.sockets.backend == "bpf" and (.sockets.source | test("BPF socket iterator"))' "$TMPD/bpf.json"
check "show --backend netlink: today's source" jq -e '.sockets.backend == "netlink" and (.sockets.source | startswith("sock_diag"))' "$TMPD/nl.json"
check "tcp: 300 pairs + 3 listeners" [ "$(jq .sockets.tcp.count "$TMPD/bpf.json")" = 603 ]
check "udp: 40 receivers + the sender" [ "$(jq .sockets.udp.count "$TMPD/bpf.json")" = 41 ]
check "tcp: the unread data is in rmem_alloc" jq -e '.sockets.tcp.rmem_alloc_bytes >= 300 * 3000' "$TMPD/bpf.json"
check "udp: the unread datagrams are in rmem_alloc" jq -e '.sockets.udp.rmem_alloc_bytes >= 40 * 3 * 700' "$TMPD/bpf.json"
check "--backend netlink reads no exact charge" jq -e '.protocols.tcp.usage_exact_pages == null and (.exact_unavailable_reason | test("--backend netlink"))' "$TMPD/nl.json"
# every socket (-n above their number: ties in size are kept whatever the
# order of the walk), rows in a fixed order; what the walk of /proc met
# (processes scanned, gone during it) is the host's, not the backend's
T='del(.source, .attribution.processes_scanned, .attribution.processes_denied, .deleted_during_walk) | .top |= sort_by(tostring)'
for by in socket port state process; do
	same=no
	for i in 1 2 3; do
		"$SOCKMEM" --json top --by $by -n 1000 --backend netlink | jq -S "$T" > "$TMPD/t.nl"
		"$SOCKMEM" --json top --by $by -n 1000 --backend bpf | jq -S "$T" > "$TMPD/t.bpf"
		cmp -s "$TMPD/t.nl" "$TMPD/t.bpf" && { same=yes; break; }
		sleep 0.5
	done
	check "top --by $by: the backends give the same rows" [ $same = yes ]
	[ $same = yes ] || diag "$(diff "$TMPD/t.nl" "$TMPD/t.bpf" | head -10)"
done

# TIME-WAIT: left out of show's sums, kept (by both) for top --by state
"$FILL" -t 50 -p 1 < /dev/null > /dev/null 2>&1	# 50 connections, closed at once
"$SOCKMEM" --json show --backend bpf > "$TMPD/tw.json"
"$SOCKMEM" --json top --by state --backend netlink -n 50 > "$TMPD/tw.nl"
"$SOCKMEM" --json top --by state --backend bpf -n 50 > "$TMPD/tw.bpf"
tw_nl=$(jq '[.top[] | select(.state == "TIME-WAIT") | .sockets] | add // 0' "$TMPD/tw.nl")
tw_bpf=$(jq '[.top[] | select(.state == "TIME-WAIT") | .sockets] | add // 0' "$TMPD/tw.bpf")
check "top --by state: TIME-WAIT entries listed ($tw_nl)" [ "$tw_nl" -ge 50 ]
check "top --by state: both backends see them ($tw_nl, $tw_bpf)" [ "$tw_nl" = "$tw_bpf" ]
check "show: TIME-WAIT left out of the sums, and said so" jq -e '(.sockets.tcp.by_state["TIME-WAIT"] == null) and (.sockets.source | test("TIME-WAIT left out"))' "$TMPD/tw.json"

# the exact charge: memory_allocated + every CPU's cache
if ! jq -e '.protocols.tcp.usage_exact_pages != null' "$TMPD/bpf.json" > /dev/null; then
	why=$(jq -r .exact_unavailable_reason "$TMPD/bpf.json")
	skip "exact charge at 100k sockets: $why"
	skip "exact charge (UDP): $why"
	done_testing
fi
check "exact and published side by side" jq -e '.protocols.tcp | (.usage_exact_pages - .usage_pages) == .exact_cached_pages' "$TMPD/bpf.json"

# 100k sockets (50k connections with 3000 unread bytes each): the exact
# charge equals the sum over every namespace's sockets of their charged
# pages.  The counters are host-wide, so every namespace is walked; the
# host's other sockets may move between the walk and the read: a few tries.
# sockfill processes of at most PER pairs: the open-file limit (which a
# test may raise only up to its hard limit) bounds each
ulimit -n "$(ulimit -Hn)" 2>/dev/null
per=$(( ($(ulimit -n) - 64) / 2 ))
[ $per -gt 20000 ] && per=20000
if [ $per -lt 1000 ]; then
	skip "exact charge at 100k sockets: open-file limit $(ulimit -n)"
	done_testing
fi
left=50000 k=0
while [ $left -gt 0 ]; do
	n=$(( left < per ? left : per ))
	"$FILL" -w -t $n -b 3000 -p $(( (n + 9999) / 10000 )) < /dev/null > "$TMPD/big.$k" 2>&1 &
	pids+=($!)
	for i in $(seq 600); do grep -q ready "$TMPD/big.$k" 2>/dev/null && break; sleep 0.1; done
	grep -q ready "$TMPD/big.$k" 2>/dev/null || break
	left=$((left - n)) k=$((k + 1))
done
settle
ok_tcp=no ok_udp=no
for i in 1 2 3 4 5; do
	"$SOCKMEM" --json show --all-netns --backend bpf > "$TMPD/all.json" 2>/dev/null
	r_tcp=$(jq .reconciliation.tcp.exact_residual_pages "$TMPD/all.json")
	r_udp=$(jq .reconciliation.udp.exact_residual_pages "$TMPD/all.json")
	[ "$r_tcp" = 0 ] && ok_tcp=yes
	[ "$r_udp" = 0 ] && ok_udp=yes
	[ $ok_tcp = yes ] && [ $ok_udp = yes ] && break
	sleep 0.5
done
n=$(jq '.sockets.tcp.count' "$TMPD/all.json")
diag "$n TCP sockets in every namespace; exact $(jq .reconciliation.tcp.exact_pages "$TMPD/all.json") pages, sockets $(jq .reconciliation.tcp.sockets_charged_pages "$TMPD/all.json"), sockstat $(jq .reconciliation.tcp.sockstat_pages "$TMPD/all.json")"
check "the walk saw the 100k sockets ($n)" [ "$n" -ge 100000 ]
check "TCP: exact charge = the sockets' charged pages, to the page, at 100k (residual $r_tcp)" [ $ok_tcp = yes ]
check "UDP: exact charge = the sockets' charged pages (residual $r_udp)" [ $ok_udp = yes ]
same_sums "100k: the backends give identical sums in this namespace"
# show needs sums only: the program sums in the kernel and writes no
# record, so the walk of 100k sockets costs no read() beyond those of the
# host's files that --no-sockets reads too (a record stream: ~350 more)
if command -v strace > /dev/null; then
	strace -f -e trace=read -o "$TMPD/st.walk" "$SOCKMEM" --json show --backend bpf > /dev/null 2>&1
	strace -f -e trace=read -o "$TMPD/st.none" "$SOCKMEM" --json show --no-sockets --backend bpf > /dev/null 2>&1
	rw=$(grep -c 'read(' "$TMPD/st.walk") rn=$(grep -c 'read(' "$TMPD/st.none")
	check "show --backend bpf at 100k: summed in the kernel, no record read ($rw reads, $rn without the walk)" [ $((rw - rn)) -le 10 ]
else
	skip "show summed in the kernel: strace missing"
fi
"$SOCKMEM" --json show --no-sockets > "$TMPD/nosock.json"
check "--no-sockets: the exact charge without a pass" jq -e '.protocols.tcp.usage_exact_pages != null and .sockets == null' "$TMPD/nosock.json"

# unprivileged: auto falls back to sock_diag, with the reason; the sums stay
if command -v setpriv >/dev/null; then
	setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$SOCKMEM" --json show > "$TMPD/nobody.json" 2> "$TMPD/nobody.err"
	st=$?
	check "unprivileged: exit 0" [ $st -eq 0 ]
	check "unprivileged: nothing on stderr" [ ! -s "$TMPD/nobody.err" ]
	check "unprivileged: auto fell back to sock_diag" [ "$(jq -r .sockets.backend "$TMPD/nobody.json")" = netlink ]
	check "unprivileged: the reason names the capabilities" jq -e '.sockets.backend_fallback_reason | test("CAP_BPF")' "$TMPD/nobody.json"
	check "unprivileged: no exact charge" jq -e '.protocols.tcp.usage_exact_pages == null' "$TMPD/nobody.json"
else
	skip "unprivileged fallback: setpriv missing"
fi
done_testing
