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
case $name in
sockstat) for f in "$P"/*sockstat*; do [ -f "$f" ] && add "$f"; done ;;
netstat) for f in "$P"/*netstat* "$P"/*snmp*; do [ -f "$f" ] && add "$f"; done ;;
protocols) add "$P/prometheus_procfs__proc_net_protocols" ;;
diag) add "$P/iproute2_testsuite_ss1.dump" ;;
sysinfo) addp '\006anon 1\nsock 4096\nshmem 0\n'; addp '\007max\n'; addp '\0070-3,8\n' ;;
esac
echo "$n"
