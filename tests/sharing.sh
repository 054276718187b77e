#!/bin/bash
# sharing.sh - MPTCP connections and UDP-Lite sockets, charged to TCP's and
# UDP's counters (kernel-audit 11), are dumped (INET_DIAG_REQ_PROTOCOL for
# IPPROTO_MPTCP, IPPROTO_UDPLITE) into those protocols' sums, with either
# backend, and agree with ss -M -m and /proc/net/udplite{,6}; in a private
# network namespace, no sysctl changed.
# SPDX-License-Identifier: GPL-2.0-or-later
. "$(dirname "$0")/lib.sh"

command -v jq >/dev/null || skip_all "jq not installed"
command -v ss >/dev/null || skip_all "ss (iproute2) not installed"
PY=$(command -v python3) || skip_all "python3 not installed"
in_private_netns shared "$@"

coproc HOLDER { "$PY" "$SRCDIR/tests/helpers/sockshare.py"; }
read -r ready udplite mptcp <&"${HOLDER[0]}"
[ "$ready" = ready ] || skip_all "sockshare.py did not start"
udplite=${udplite#udplite=} mptcp=${mptcp#mptcp=}
# read-only: does this kernel have them at all (no sysctl is written)
[ -r /proc/sys/net/mptcp/enabled ] && diag "net.mptcp.enabled (this namespace): $(cat /proc/sys/net/mptcp/enabled)"
diag "UDP-Lite sockets: $udplite, MPTCP connection: $mptcp"
sleep 0.3

# ss -M: the MPTCP sockets and their r + w + f
ss_mptcp() {
	ss -M -a -m -n -H | grep -o 'skmem:([^)]*)' | tr -d 'skmem:()' |
		awk -F, '{ for (i = 1; i <= NF; i++) { k = $i; sub(/[0-9]+$/, "", k); v = substr($i, length(k) + 1);
			if (k == "r" || k == "w" || k == "f") s += v } n++ } END { print n + 0, s + 0 }'
}
# /proc/net/udplite{,6}: sockets and their rx_queue (sk_rmem_alloc)
udplite_proc() {
	local n=0 r=0 sl loc rem st q rest
	while read -r sl loc rem st q rest; do
		case $sl in [0-9]*:) ;; *) continue ;; esac
		n=$((n + 1)) r=$((r + 16#${q#*:}))
	done < <(cat /proc/net/udplite /proc/net/udplite6 2>/dev/null)
	echo "$n $r"
}

backends="netlink"
"$SOCKMEM" show --backend bpf --json > /dev/null 2> "$TMPD/bpf.err" && backends="netlink bpf" ||
	diag "no BPF backend: $(head -c 200 "$TMPD/bpf.err")"
for b in $backends; do
	"$SOCKMEM" show --backend "$b" --json > "$TMPD/$b.json" 2> "$TMPD/$b.err"
	st=$?
	check "$b: show exits 0" [ $st -eq 0 ]
	j() { jq -r "$1" "$TMPD/$b.json"; }
	if [ "$mptcp" = yes ]; then
		read -r n bytes < <(ss_mptcp)
		check "$b: MPTCP dumped" [ "$(j .reconciliation.tcp.sharing_not_dumped_reason)" = null ]
		check "$b: MPTCP sockets in TCP's sums = ss -M ($n)" [ "$(j .reconciliation.tcp.sharing_sockets)" = "$n" ]
		check "$b: their charge = ss -M r+w+f ($bytes)" [ "$(j .reconciliation.tcp.sharing_charged_bytes)" = "$bytes" ]
		check "$b: = MPTCP in use (/proc/net/protocols)" \
			[ "$(j .reconciliation.tcp.sharing_in_use)" = "$n" ]
		check "$b: TCP's count includes them" [ "$(j .sockets.tcp.count)" -ge "$n" ]
	else
		skip "$b: MPTCP (this kernel has none)"
	fi
	if [ "$udplite" = yes ]; then
		read -r n rmem < <(udplite_proc)
		check "$b: UDP-Lite dumped" [ "$(j .reconciliation.udp.sharing_not_dumped_reason)" = null ]
		check "$b: UDP-Lite sockets in UDP's sums = /proc/net/udplite{,6} ($n)" \
			[ "$(j .reconciliation.udp.sharing_sockets)" = "$n" ]
		check "$b: their charge covers their rx_queue ($rmem) to the page" \
			[ "$(j .reconciliation.udp.sharing_charged_bytes)" -ge "$rmem" ] &&
			[ "$(j .reconciliation.udp.sharing_charged_bytes)" -le $((rmem + n * 4096)) ]
		check "$b: UDP's count = their number (no plain UDP socket here)" [ "$(j .sockets.udp.count)" = "$n" ]
	else
		skip "$b: UDP-Lite (this kernel has none)"
	fi
	# the text says it where it counts them
	"$SOCKMEM" show --backend "$b" > "$TMPD/$b.txt" 2>&1
	if [ "$mptcp" = yes ]; then
		check "$b: text names the MPTCP sockets" grep -q "MPTCP sockets, .* charged (sharing TCP's counter)" "$TMPD/$b.txt"
	fi
done
kill "$HOLDER_PID" 2>/dev/null
done_testing
