#!/bin/sh
# corpus.sh - builds the seed corpus of a fuzz harness from the test fixtures
# (tests/trees, the peers' fixtures when present, recorded sock_diag dumps).
#   corpus.sh NAME DIR
# LISTINPUTS: the tests/helpers/listinputs program (default: in the source tree).
# SPDX-License-Identifier: GPL-2.0-or-later
set -eu
name=$1 dir=$2
src=$(cd "$(dirname "$0")/../.." && pwd)
T=$src/tests/trees
P=${PEER_FIXTURES:-$src/../shared/fixtures/peers}
mkdir -p "$dir"
n=0
if [ "$name" = report ]; then
	# the sysctls in the harness's order (enum sysctl_id), from host_inputs[]
	LISTINPUTS=${LISTINPUTS:-$src/tests/helpers/listinputs}
	sysctls=$("$LISTINPUTS" --sysctl) || { echo "corpus.sh: cannot run $LISTINPUTS" >&2; exit 1; }
fi
add() { [ -f "$1" ] || return 0; n=$((n + 1)); cp "$1" "$dir/seed-$n"; }
addp() { n=$((n + 1)); printf "$1" > "$dir/seed-$n"; }
for t in "$T"/*/; do
	case $name in
	sockstat) add "$t/proc/net/sockstat"; add "$t/proc/net/sockstat6" ;;
	protocols) add "$t/proc/net/protocols" ;;
	netstat) add "$t/proc/net/netstat"; add "$t/proc/net/snmp" ;;
	diag) add "$t/sock_diag/tcp.dump"; add "$t/sock_diag/udp.dump" ;;
	sysinfo)
		for f in "$t"/proc/sys/net/ipv4/tcp_mem "$t"/proc/sys/net/core/rmem_max; do
			[ -f "$f" ] && { n=$((n + 1)); { printf '\000'; cat "$f"; } > "$dir/seed-$n"; }
		done
		[ -f "$t/proc/meminfo" ] && { n=$((n + 1)); { printf '\002'; cat "$t/proc/meminfo"; } > "$dir/seed-$n"; }
		[ -f "$t/sys/devices/system/cpu/possible" ] && { n=$((n + 1)); { printf '\003'; cat "$t/sys/devices/system/cpu/possible"; } > "$dir/seed-$n"; }
		[ -f "$t/proc/sys/kernel/osrelease" ] && { n=$((n + 1)); { printf '\004'; cat "$t/proc/sys/kernel/osrelease"; } > "$dir/seed-$n"; }
		[ -f "$t/sockmem-snapshot.meta" ] && { n=$((n + 1)); { printf '\005'; cat "$t/sockmem-snapshot.meta"; } > "$dir/seed-$n"; }
		;;
	report)
		[ -f "$t/proc/net/sockstat" ] || continue
		n=$((n + 1))
		{
			cat "$t/proc/net/sockstat"; echo %%
			cat "$t/proc/net/protocols" 2>/dev/null; echo %%
			cat "$t/proc/net/netstat" 2>/dev/null; echo %%
			cat "$t/proc/net/snmp" 2>/dev/null; echo %%
			for f in $sysctls; do
				cat "$t/$f" 2>/dev/null || echo; echo %%
			done
		} > "$dir/seed-$n" ;;
	esac
done
# addb BYTE FILE: FILE behind a selector byte (octal)
addb() { [ -f "$2" ] || return 0; n=$((n + 1)); { printf "\\$1"; cat "$2"; } > "$dir/seed-$n"; }
C=$src/tests/captures
case $name in
sysctltext)
	for d in "$C"/*/; do
		addb 000 "$d/sos_commands/kernel/sysctl_-a"; addb 000 "$d/insights_commands/sysctl_-a"
		addb 001 "$d/sos_commands/kernel/uname_-a"; addb 001 "$d/insights_commands/uname_-a"
		addb 002 "$d/sos_commands/processor/lscpu"; addb 003 "$d/proc/cpuinfo"
		addb 004 "$d/sos_commands/memory/free"; addb 005 "$d/sos_commands/date/date"
	done
	addp '\000net.ipv4.tcp_mem = 1\t2\t3\nnet.ipv4.udp_mem = 4 5 6\nsysctl: permission denied\n'
	addp '\001Linux h 5.14.0-284.el9.aarch64+64k #1 SMP aarch64 aarch64 aarch64 GNU/Linux\n'
	addp '\005Tue Dec  1 08:39:33 UTC 2026\n' ;;
sstext)
	for f in "$P"/zperf_tcpmon__*ss*; do [ -f "$f" ] && { n=$((n + 1)); head -c 60000 "$f" > "$dir/seed-$n"; }; done
	for d in "$C"/*/; do add "$d/sos_commands/networking/ss_-peaonmi"; done ;;
nstattext)
	addb 000 "$P/hotsos_fake_data_root_kubernetes/sos_commands_networking_nstat_-zas"
	addb 001 "$P/hotsos_fake_data_root_vault__sos_commands_networking_netstat_-s"
	addb 001 "$P/insights-core__test_netstat.py_NETSTAT_S"
	for d in "$C"/*/; do
		addb 001 "$d/sos_commands/networking/netstat_-s"; addb 001 "$d/insights_commands/netstat_-s"
	done ;;
sockstat) for f in "$P"/*sockstat*; do [ -f "$f" ] && add "$f"; done ;;
netstat) for f in "$P"/*netstat* "$P"/*snmp*; do [ -f "$f" ] && add "$f"; done ;;
protocols) add "$P/prometheus_procfs__proc_net_protocols" ;;
diag) add "$P/iproute2_testsuite_ss1.dump" ;;
sysinfo) addp '\006anon 1\nsock 4096\nshmem 0\n'; addp '\007max\n'; addp '\0070-3,8\n' ;;
esac
echo "$n"
