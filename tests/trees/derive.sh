#!/bin/sh
# derive.sh - rebuilds the hand-made fixture trees from linux-6.18-idle (a
# real snapshot taken with "sockmem snapshot" on Linux 6.18.44, 2 CPUs).
# Each tree changes only what its name says; the values come from the
# experiments in shared/reference/kernel-model.md section 11.
# Usage: sh derive.sh   (run from tests/trees)
set -eu
base=linux-6.18-idle

fresh() { rm -rf "$1"; cp -R "$base" "$1"; }
put() { printf '%s\n' "$2" > "$1"; }
# set KEY's value on LINE of a sockstat file: setss FILE LINE KEY VALUE
setss() {
	awk -v L="$2:" -v K="$3" -v V="$4" '$1 == L { for (i = 2; i < NF; i += 2) if ($i == K) $(i+1) = V } { print }' "$1" > "$1.tmp"
	mv "$1.tmp" "$1"
}
# set memory and press of protocols rows: setproto FILE "TCP TCPv6 MPTCP" MEM PRESS
setproto() {
	awk -v R=" $2 " -v M="$3" -v P="$4" 'NR > 1 && index(R, " " $1 " ") { $4 = M; $5 = P } { print }' "$1" > "$1.tmp"
	mv "$1.tmp" "$1"
}
# set a netstat/snmp counter: setctr FILE GROUP NAME VALUE
setctr() {
	awk -v G="$2:" -v N="$3" -v V="$4" '
		$1 == G && !hdr { for (i = 2; i <= NF; i++) if ($i == N) col = i; hdr = 1; print; next }
		$1 == G && hdr && col { $col = V } { print }' "$1" > "$1.tmp"
	mv "$1.tmp" "$1"
}
# the net.core buffer limits of older kernels (the base tree's 6.18 has
# rmem_max/wmem_max 4194304, optmem_max 131072)
core_defaults() {
	put $1/proc/sys/net/core/rmem_max 212992
	put $1/proc/sys/net/core/wmem_max 212992
	put $1/proc/sys/net/core/optmem_max 20480
}
# drop a counter column: dropctr FILE GROUP NAME
dropctr() {
	awk -v G="$2:" -v N="$3" '
		$1 == G && !hdr { for (i = 2; i <= NF; i++) if ($i == N) col = i; hdr = 1 }
		$1 == G && col { $col = ""; $0 = $0; gsub(/  +/, " ") } { print }' "$1" > "$1.tmp"
	mv "$1.tmp" "$1"
}

# TCP in the hysteresis band: flag set at 3005 earlier, usage back at 2500.
t=tcp-pressure-hysteresis; fresh $t
put $t/proc/sys/net/ipv4/tcp_mem "2000	3000	4000"
setss $t/proc/net/sockstat TCP mem 2500
setproto $t/proc/net/protocols "TCP TCPv6 MPTCP MPTCPv6" 2500 yes
setctr $t/proc/net/netstat TcpExt TCPMemoryPressures 3
setctr $t/proc/net/netstat TcpExt TCPMemoryPressuresChrono 3592

# Above tcp_mem max after forced charges (observed 4526 with max 4000).
t=tcp-over-limit; fresh $t
put $t/proc/sys/net/ipv4/tcp_mem "2000	3000	4000"
setss $t/proc/net/sockstat TCP mem 4526
setproto $t/proc/net/protocols "TCP TCPv6 MPTCP MPTCPv6" 4526 yes
setctr $t/proc/net/netstat TcpExt TCPMemoryPressures 1
setctr $t/proc/net/netstat TcpExt PruneCalled 93
setctr $t/proc/net/netstat TcpExt TCPRcvQDrop 93
setctr $t/proc/net/netstat TcpExt TCPAbortOnMemory 48

# Above min, flag clear, within the per-CPU band (510 pages) of pressure.
t=tcp-elevated-near; fresh $t
put $t/proc/sys/net/ipv4/tcp_mem "2000	3000	4000"
setss $t/proc/net/sockstat TCP mem 2800
setproto $t/proc/net/protocols "TCP TCPv6 MPTCP MPTCPv6" 2800 no

# UDP above udp_mem[0]: the effective limit (observed 1793 -> 2049).
t=udp-limited; fresh $t
put $t/proc/sys/net/ipv4/udp_mem "2048	4096	8192"
setss $t/proc/net/sockstat UDP mem 2049
setss $t/proc/net/sockstat UDP inuse 2
setproto $t/proc/net/protocols "UDP UDPv6 UDP-Lite UDPLITEv6" 2049 NI

# A container's network namespace: host-only sysctls are absent,
# usage (global) and the flag are still visible.
t=container-netns; fresh $t
rm $t/proc/sys/net/ipv4/tcp_mem $t/proc/sys/net/ipv4/udp_mem \
   $t/proc/sys/net/core/mem_pcpu_rsv $t/proc/sys/net/ipv4/tcp_max_orphans
setss $t/proc/net/sockstat sockets used 0
setss $t/proc/net/sockstat TCP inuse 0
setss $t/proc/net/sockstat TCP mem 40

# arm64 with 64 KiB pages on 6.1: no mem_pcpu_rsv sysctl (R = 16 pages),
# old rmem_max default, 64 possible CPUs, in pressure.
t=arm64-64k-6.1; fresh $t
rm $t/proc/sys/net/core/mem_pcpu_rsv
put $t/proc/sys/kernel/osrelease "6.1.0-18-arm64"
put $t/sys/devices/system/cpu/possible "0-63"
put $t/proc/sys/net/ipv4/tcp_mem "17994	23992	35988"
put $t/proc/sys/net/ipv4/udp_mem "35988	47984	71976"
put $t/proc/sys/net/ipv4/tcp_rmem "65536	131072	6291456"
put $t/proc/sys/net/ipv4/tcp_wmem "65536	16384	4194304"
core_defaults $t
setss $t/proc/net/sockstat TCP mem 24100
setproto $t/proc/net/protocols "TCP TCPv6 MPTCP MPTCPv6" 24100 yes
sed -i 's/^page_size_bytes=.*/page_size_bytes=65536/; s/^kernel_release=.*/kernel_release=6.1.0-18-arm64/; s/^possible_cpus=.*/possible_cpus=64/' $t/sockmem-snapshot.meta

# An old kernel (4.14): exact counters, no TCPRcvQDrop, no Udp MemErrors.
t=linux-4.14-old; fresh $t
rm $t/proc/sys/net/core/mem_pcpu_rsv
put $t/proc/sys/kernel/osrelease "4.14.336"
sed -i 's/^kernel_release=.*/kernel_release=4.14.336/' $t/sockmem-snapshot.meta
core_defaults $t
put $t/proc/sys/net/ipv4/tcp_rmem "4096	87380	6291456"
dropctr $t/proc/net/netstat TcpExt TCPRcvQDrop
dropctr $t/proc/net/netstat TcpExt TCPZeroWindowDrop
dropctr $t/proc/net/snmp Udp MemErrors

# RHEL 8 on aarch64 with 64 KiB pages (4.18): memory_allocated counts
# 4096-byte quanta (SK_MEM_QUANTUM, 4.11-5.19) while tcp_mem stays in pages,
# scaled by 16 in sk_prot_mem_limits(): usage 600000 quanta (2.29 GiB) is
# above tcp_mem[0] x 16 = 589824 and below tcp_mem[1] x 16 = 786432, so
# elevated (read as pages it would be 8x over tcp_mem[2]).  Exact counters
# (before 6.0), no mem_pcpu_rsv.  The limits are the boot defaults for this
# RAM in 64 KiB pages (kernel-audit 1).
t=rhel8-aarch64-64k-4.18; fresh $t
rm $t/proc/sys/net/core/mem_pcpu_rsv
put $t/proc/sys/kernel/osrelease "4.18.0-553.el8_10.aarch64"
put $t/sys/devices/system/cpu/possible "0-63"
put $t/proc/sys/net/ipv4/tcp_mem "36864	49152	73728"
put $t/proc/sys/net/ipv4/udp_mem "73728	98304	147456"
core_defaults $t
put $t/proc/sys/net/ipv4/tcp_rmem "4096	87380	6291456"
setss $t/proc/net/sockstat TCP mem 600000
setproto $t/proc/net/protocols "TCP TCPv6 MPTCP MPTCPv6" 600000 no
setss $t/proc/net/sockstat UDP mem 1200
setproto $t/proc/net/protocols "UDP UDPv6 UDP-Lite UDPLITEv6" 1200 NI
dropctr $t/proc/net/netstat TcpExt TCPZeroWindowDrop
sed -i 's/^page_size_bytes=.*/page_size_bytes=65536/; s/^kernel_release=.*/kernel_release=4.18.0-553.el8_10.aarch64/; s/^possible_cpus=.*/possible_cpus=64/' $t/sockmem-snapshot.meta

# IPv6 disabled: no sockstat6, no ip6frag sysctl.
t=no-ipv6; fresh $t
rm $t/proc/net/sockstat6 $t/proc/sys/net/ipv6/ip6frag_high_thresh
rmdir $t/proc/sys/net/ipv6

# sockstat far above what the recorded sockets hold: outside the per-CPU band
# (as when other network namespaces hold sockets).  Base: linux-6.18-loaded,
# a snapshot taken with 8 loopback connections holding unread data.
t=tcp-recon-outside; rm -rf $t; cp -R linux-6.18-loaded $t
setss $t/proc/net/sockstat TCP mem 2443
setproto $t/proc/net/protocols "TCP TCPv6 MPTCP MPTCPv6" 2443 no

# A virtual machine with 240 CPU hotplug slots and 4 CPUs online: the band
# of the possible CPUs (240 x 255 pages) is 60 times the online one, and the
# residual of tcp-recon-outside (2131 pages) lies within the first only
# (kernel-audit 10: a CPU offlined since boot keeps its cache).
t=cpu-hotplug-slots; rm -rf $t; cp -R tcp-recon-outside $t
put $t/sys/devices/system/cpu/possible 0-239
put $t/sys/devices/system/cpu/online 0-3
sed 's/^possible_cpus=.*/possible_cpus=240/' $t/sockmem-snapshot.meta > $t/m.tmp && mv $t/m.tmp $t/sockmem-snapshot.meta

# Limits near 2^63 pages (a sysctl written by hand or by a bad tool): every
# byte figure derived from them must saturate, never overflow (headroom
# bytes once overflowed in the JSON and Prometheus renderers).
t=tcp-mem-huge; fresh $t
put $t/proc/sys/net/ipv4/tcp_mem "1	2	9223372036854775000"
put $t/proc/sys/net/ipv4/udp_mem "1	2	9223372036854775807"

# tcp_mem and udp_mem both at 160% of RAM (6171021 pages): one finding and
# one fix each.
t=mem-above-ram; fresh $t
put $t/proc/sys/net/ipv4/tcp_mem "4936816	6582422	9873633"
put $t/proc/sys/net/ipv4/udp_mem "4936816	6582422	9873633"

# tcp_rmem max raised to 64 MiB (not the kernel's default) with the stock
# rmem_max: rmem-max-below-tcp-rmem fires (info, so it stays out of the
# sysctl file).
t=rmem-raised; fresh $t
put $t/proc/sys/net/ipv4/tcp_rmem "4096	131072	67108864"

# The loaded snapshot (its sockets recorded) with TCP elevated: 2800 pages
# against 2000 3000 4000, between min and pressure with the band across
# pressure; top's live view is checked against its known bar (tests/top.sh).
t=tcp-elevated-loaded; rm -rf $t; cp -R linux-6.18-loaded $t
put $t/proc/sys/net/ipv4/tcp_mem "2000	3000	4000"
setss $t/proc/net/sockstat TCP mem 2800
setproto $t/proc/net/protocols "TCP TCPv6 MPTCP MPTCPv6" 2800 no
