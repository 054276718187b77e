#!/bin/sh
# make-sos.sh - how the sosreport fixtures in this directory were made, and
# what tests/capture.sh runs: "sos report --batch" with the networking,
# kernel, memory and processor plugins (and date, host), with loopback
# sockets holding unread data (tests/helpers/sockfill), then pruned to the
# networking, kernel, memory and CPU files sockmem reads.  Read-only for the
# host: sos only reads, and no sysctl is written.
#   make-sos.sh OUT.tar.xz [NETNS [host]]
#     (as root; NETNS: the sockets and sos run inside that named network
#     namespace; with "host", only the sockets: sos runs on the host and
#     records the namespace's ss output beside its own)
#   make-sos.sh --prune FULL.tar.xz OUT.tar.xz
# SPDX-License-Identifier: GPL-2.0-or-later
set -eu

# The pruned archive keeps these (paths below the top directory).
prune() { # FULL OUT
	w=$(mktemp -d)
	tar -xf "$1" -C "$w"
	top=$(ls "$w")
	cd "$w/$top"
	keep=$(mktemp)
	{
		for f in proc/net proc/self proc/meminfo proc/cpuinfo \
			 sys/devices/system/cpu/possible sys/devices/system/cpu/present \
			 sys/devices/system/cpu/online \
			 sos_commands/kernel/uname_-a sos_commands/memory/free \
			 sos_commands/processor/lscpu sos_commands/date/date \
			 sos_commands/date/date_--utc sos_commands/host/hostname \
			 sos_commands/networking/netstat_-s sos_commands/networking/ip_netns \
			 sos_commands/networking/ss_-peaonmi sos_commands/networking/nstat_-zas; do
			[ -e "$f" ] || [ -L "$f" ] && echo "$f"
		done
		pid=$(readlink proc/self 2>/dev/null || true)
		for f in sockstat sockstat6 protocols netstat snmp snmp6; do
			[ -n "$pid" ] && [ -e "proc/$pid/net/$f" ] && echo "proc/$pid/net/$f"
		done
		find sos_commands/networking -name 'ip_netns_exec_*_ss_-peaonmi' 2>/dev/null
		find sos_commands/networking -name 'ip_netns_exec_*_netstat_-s' 2>/dev/null
	} > "$keep"
	# sysctl -a: the networking and kernel-identity keys only
	grep -E '^(net\.|kernel\.(osrelease|arch|hostname|ostype) )' sos_commands/kernel/sysctl_-a \
		> sysctl.pruned || true
	mv sysctl.pruned sos_commands/kernel/sysctl_-a
	echo sos_commands/kernel/sysctl_-a >> "$keep"
	cd "$w"
	sed "s|^|$top/|" "$keep" | tar -cJf "$2.tmp" --no-recursion --owner=0 --group=0 \
		--numeric-owner --mtime=@0 -T -
	mv "$2.tmp" "$2"
	rm -rf "$w" "$keep"
}

if [ "$1" = --prune ]; then
	case $3 in /*) out=$3 ;; *) out=$PWD/$3 ;; esac
	prune "$2" "$out"
	exit 0
fi

out=$1 ns=${2:-} where=${3:-}
case $out in /*) ;; *) out=$PWD/$out ;; esac
here=$(cd "$(dirname "$0")/../.." && pwd)
fill=${SOCKFILL:-$here/tests/helpers/sockfill}
tmp=$(mktemp -d)
run() { if [ -n "$ns" ]; then ip netns exec "$ns" "$@"; else "$@"; fi; }
# 4 connections with 256 KiB unread, 2 UDP sockets with 20 datagrams queued
[ -n "$ns" ] && ip netns exec "$ns" ip link set lo up
# started directly (not through run): $! must be sockfill itself, to end it
if [ -n "$ns" ]; then
	ip netns exec "$ns" "$fill" -t 4 -b 262144 -u 2 -d 20 -w > "$tmp/fill" 2>&1 &
else
	"$fill" -t 4 -b 262144 -u 2 -d 20 -w > "$tmp/fill" 2>&1 &
fi
fpid=$!
i=0
until grep -q ready "$tmp/fill" 2>/dev/null || [ $i -ge 50 ]; do sleep 0.1; i=$((i + 1)); done
[ "$where" = host ] && ns=
run sos report --batch --allow-system-changes -o networking,kernel,memory,processor,date,host \
	--tmp-dir "$tmp" --label capture > "$tmp/sos.log" 2>&1
kill "$fpid" 2>/dev/null || true
wait "$fpid" 2>/dev/null || true
full=$(ls "$tmp"/sosreport-*.tar.xz)
prune "$full" "$out"
rm -rf "$tmp"
