#!/bin/sh
# live.sh - the running machine: sockmem's figures equal what /proc,
# /sys and sysctl say at the same moment; inside a fresh network namespace
# (a container) the host-only limits are reported as not visible; a snapshot
# of the live system reproduces its report.
# SPDX-License-Identifier: GPL-2.0-or-later
. "$(dirname "$0")/lib.sh"

command -v jq >/dev/null || skip_all "jq not installed"
[ -r /proc/net/sockstat ] || skip_all "no /proc/net/sockstat"
lock_live_shared
PS=$(getconf PAGESIZE)

ssmem() { awk -v P="$1:" '$1 == P { for (i = 2; i < NF; i += 2) if ($i == "mem") print $(i+1) }' /proc/net/sockstat; }
press() { awk -v P="$1" '$1 == P { print $5 }' /proc/net/protocols; }

# usage = sockstat mem x page size, read at the same moment (re-read until
# sockstat did not move during the run)
for proto in TCP UDP; do
	key=$(echo "$proto" | tr 'A-Z' 'a-z')
	done_ok=
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		a=$(ssmem $proto)
		"$SOCKMEM" --json show > "$TMPD/j" 2>/dev/null
		b=$(ssmem $proto)
		[ "$a" = "$b" ] || continue
		p=$(jq ".protocols.$key.usage_pages" "$TMPD/j")
		by=$(jq ".protocols.$key.usage_bytes" "$TMPD/j")
		if [ "$p" = "$a" ] && [ "$by" = $((a * PS)) ]; then done_ok=1; fi
		break
	done
	check "$proto usage_bytes = sockstat mem ($a) x $PS" [ -n "$done_ok" ]
done

# the kernel's flag, limits and settings as sysctl and /proc say
"$SOCKMEM" --json show > "$TMPD/j"
f=$(press TCP)
want=null; [ "$f" = yes ] && want=true; [ "$f" = no ] && want=false
check "kernel_pressure = /proc/net/protocols press ($f)" [ "$(jq .protocols.tcp.kernel_pressure "$TMPD/j")" = "$want" ]
if [ -r /proc/sys/net/ipv4/tcp_mem ]; then
	check "tcp_mem limits = sysctl" [ "$(jq -r '.protocols.tcp.limits_pages | "\(.min) \(.pressure) \(.max)"' "$TMPD/j")" = "$(cat /proc/sys/net/ipv4/tcp_mem | tr -s '\t ' '  ')" ]
	check "udp_mem limits = sysctl" [ "$(jq -r '.protocols.udp.limits_pages | "\(.min) \(.pressure) \(.max)"' "$TMPD/j")" = "$(cat /proc/sys/net/ipv4/udp_mem | tr -s '\t ' '  ')" ]
	check "tcp_mem bytes = pages x page size" jq -e ".protocols.tcp.limits_bytes.max == .protocols.tcp.limits_pages.max * $PS" "$TMPD/j"
fi
check "tcp_rmem = sysctl" [ "$(jq -r '.settings.tcp_rmem_bytes | "\(.min) \(.default) \(.max)"' "$TMPD/j")" = "$(cat /proc/sys/net/ipv4/tcp_rmem | tr -s '\t ' '  ')" ]
check "rmem_max = sysctl" [ "$(jq .settings.rmem_max_bytes "$TMPD/j")" = "$(cat /proc/sys/net/core/rmem_max)" ]
check "page size = getconf PAGESIZE" [ "$(jq .source.page_size_bytes "$TMPD/j")" = "$PS" ]
check "kernel release = uname -r" [ "$(jq -r .source.kernel_release "$TMPD/j")" = "$(uname -r)" ]
ncpu=$(awk -F, '{ for (i = 1; i <= NF; i++) { n = split($i, r, "-"); c += (n == 2 ? r[2] - r[1] + 1 : 1) } } END { print c }' /sys/devices/system/cpu/possible)
check "possible CPUs = /sys ($ncpu)" [ "$(jq .source.possible_cpus "$TMPD/j")" = "$ncpu" ]
if [ -r /proc/sys/net/core/mem_pcpu_rsv ]; then
	rsv=$(cat /proc/sys/net/core/mem_pcpu_rsv)
	check "band = CPUs x (mem_pcpu_rsv - 1) = $((ncpu * (rsv - 1)))" [ "$(jq .protocols.tcp.uncertainty_pages "$TMPD/j")" = $((ncpu * (rsv - 1))) ]
fi
mt=$(( $(awk '/^MemTotal:/ { print $2 }' /proc/meminfo) * 1024 ))
check "MemTotal bytes" [ "$(jq .source.mem_total_bytes "$TMPD/j")" = "$mt" ]
for c in TCPMemoryPressures TCPMemoryPressuresChrono TCPAbortOnMemory; do
	v=$(awk -v N=$c '$1 == "TcpExt:" && !h { for (i = 2; i <= NF; i++) if ($i == N) k = i; h = 1; next } $1 == "TcpExt:" && h { print $k }' /proc/net/netstat)
	check "counter $c = /proc/net/netstat ($v)" [ "$(jq ".counters.$c" "$TMPD/j")" = "${v:-null}" ]
done
check "live report complete (exit 0, partial false)" jq -e '.partial == false' "$TMPD/j"
"$SOCKMEM" show > "$TMPD/t" 2>&1
check "text report says it is of the live system" grep -q "^live " "$TMPD/t"
hn=$(cat /proc/sys/kernel/hostname)
check "text header carries the time of the reading and the host (for a ticket)" \
	grep -Eq "^live at [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z, host $hn, Linux " "$TMPD/t"
check "hostname = /proc/sys/kernel/hostname ($hn)" [ "$(jq -r .source.hostname "$TMPD/j")" = "$hn" ]

# A snapshot of the live system reproduces its report.
S=$TMPD/snap
"$SOCKMEM" snapshot "$S" > "$TMPD/out" 2>&1
check "snapshot of the live system: exit 0" [ $? -eq 0 ]
check "snapshot has sockstat" [ -s "$S/proc/net/sockstat" ]
check "snapshot keeps the host name" [ "$(cat "$S/proc/sys/kernel/hostname" 2>/dev/null)" = "$hn" ]
check "snapshot has tcp_mem (when this namespace has it)" \
	sh -c '[ -s "$1" ] || [ ! -e /proc/sys/net/ipv4/tcp_mem ]' _ "$S/proc/sys/net/ipv4/tcp_mem"
check "snapshot metadata: page size = getconf PAGESIZE" grep -qx "page_size_bytes=$PS" "$S/sockmem-snapshot.meta"
check "snapshot metadata: kernel release = uname -r" grep -qx "kernel_release=$(uname -r)" "$S/sockmem-snapshot.meta"
"$SOCKMEM" --json show > "$TMPD/live.json"
"$SOCKMEM" --root "$S" --json show > "$TMPD/snap.json"
check "--root SNAP show exit 0" [ $? -eq 0 ]
for k in .settings .protocols.tcp.limits_pages .protocols.udp.limits_pages .source.kernel_release \
	 .source.page_size_bytes .source.possible_cpus .source.mem_total_bytes \
	 .source.per_cpu_reserve_pages .protocols.tcp.uncertainty_pages; do
	a=$(jq -c "$k" "$TMPD/live.json"); b=$(jq -c "$k" "$TMPD/snap.json")
	check "snapshot reproduces $k ($a)" [ "$a" = "$b" ]
done

# A container: a fresh network namespace has no tcp_mem, but the flag and
# the global usage are visible.  Needs root (or user namespaces).
if unshare -n true 2>/dev/null; then
	unshare -n "$SOCKMEM" --json show > "$TMPD/ns" 2> "$TMPD/nserr"
	st=$?
	check "netns: exit 0" [ $st -eq 0 ]
	check "netns: detected as a child namespace" jq -e '.source.network_namespace == "child"' "$TMPD/ns"
	check "netns: tcp limits not visible" jq -e '.protocols.tcp.limits_pages == null' "$TMPD/ns"
	check "netns: reason says host-only" jq -e '.protocols.tcp.limits_unavailable_reason | test("host-only")' "$TMPD/ns"
	check "netns: kernel flag still visible" jq -e '.protocols.tcp.kernel_press_flag == "no" or .protocols.tcp.kernel_press_flag == "yes"' "$TMPD/ns"
	check "netns: usage still visible" jq -e '.protocols.tcp.usage_pages != null' "$TMPD/ns"
	check "netns: nothing on stderr" [ ! -s "$TMPD/nserr" ]
	unshare -n "$SOCKMEM" show > "$TMPD/ns.txt" 2>&1
	check "netns text: says why" grep -q "host-only sysctl" "$TMPD/ns.txt"
else
	skip "netns: cannot create a network namespace (needs root)"
fi
done_testing
