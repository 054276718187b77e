#!/bin/bash
# bench/trace.sh - what "sockmem trace" costs the workload it traces, and
# itself, in the same run.
#
#   bench/trace.sh [SECONDS] [RUNS]      (default: 5 s, 5 runs)
#
# In a private network namespace, bench/udpflood floods a UDP socket with the
# smallest receive buffer over loopback (each datagram past the first few a
# SOCKET_RCVBUFF drop, delivered in the sender's own softirq), SECONDS per
# flood, alternating RUNS times:
#   none     the flood alone
#   summary  the flood under 'sockmem trace --summary' (counted in the kernel)
#   lines    the flood under 'sockmem trace --json > /dev/null' (a line per event)
# (the order turning each round) and prints the median drop rate of each, the ratio to the flood alone (1.00:
# no cost), sockmem's own CPU share of one core over its window (user + system
# time / wall, from wait4), the events it counted against the socket's own drop
# count, and in line mode the lines per second and those the ring buffer lost.
# Needs root (network namespace) and BPF.  Holds the test suite's exclusive
# lock; leaves no process or namespace behind.  Run from a built tree.
# SPDX-License-Identifier: GPL-2.0-or-later
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
SOCKMEM=${SOCKMEM:-$top/src/sockmem}
CC=${CC:-cc}
SECS=${1:-5}
RUNS=${2:-5}

[ "$(id -u)" -eq 0 ] || { echo "bench/trace.sh: needs root" >&2; exit 77; }
[ -x "$SOCKMEM" ] || { echo "bench/trace.sh: build sockmem first (make)" >&2; exit 2; }
command -v jq >/dev/null || { echo "bench/trace.sh: jq missing" >&2; exit 2; }
if [ -z "${SOCKMEM_BENCH_NETNS:-}" ]; then
	exec 9> "${TMPDIR:-/tmp}/sockmem-test.lock"
	flock -x 9
	SOCKMEM_BENCH_NETNS=1 exec unshare -n "$0" "$@"
fi
ip link set lo up
tmp=$(mktemp -d)
pids=()
cleanup() {
	local p
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
"$CC" -O2 -o "$tmp/maxrss" "$here/maxrss.c"
"$CC" -O2 -o "$tmp/udpflood" "$here/udpflood.c"
level=$("$SOCKMEM" trace --json --duration 0.1s 2>/dev/null | jq -r 'select(.type == "start") | .attribution.level')
[ "$level" = process ] || { echo "bench/trace.sh: trace cannot load its programs here ($level)" >&2; exit 77; }

# flood MODE RUN: one flood of SECS seconds, under trace in MODE; appends
# "MODE rate drops events cpu_share lines lost" to $tmp/results
flood() {
	local mode=$1 fl tpid=
	coproc FL { exec "$tmp/udpflood" "$SECS" 64; }
	read -r _ <&"${FL[0]}"
	if [ "$mode" != none ]; then
		local args="--summary"
		[ "$mode" = lines ] && args=""
		# shellcheck disable=SC2086
		"$tmp/maxrss" "$SOCKMEM" trace --json $args > "$tmp/out.json" 2> "$tmp/rusage" &
		tpid=$!; pids+=("$tpid")	# maxrss; its only child is sockmem
		for _ in $(seq 100); do grep -q '"type":"start"' "$tmp/out.json" 2>/dev/null && break; sleep 0.05; done
	fi
	echo go >&"${FL[1]}"
	read -r fl <&"${FL[0]}"
	wait "$FL_PID" 2>/dev/null || true
	set -- $fl	# sent N rate R drops D cpu_rate C
	local rate=$4 drops=$6 cpurate=$8 events=- cpu=- lines=- lost=-
	if [ -n "$tpid" ]; then
		kill -INT "$(pgrep -P "$tpid")" 2>/dev/null || true
		wait "$tpid" || true
		local ru wall us sy
		ru=$(sed -n 's/.*wall_us=\([0-9]*\) user_us=\([0-9]*\) sys_us=\([0-9]*\).*/\1 \2 \3/p' "$tmp/rusage")
		read -r wall us sy <<< "$ru"
		cpu=$(awk -v w="$wall" -v u="$us" -v s="$sy" 'BEGIN { printf "%.2f", (u + s) * 100 / w }')
		events=$(jq -r 'select(.type == "summary") | .events.by_event["drop-SOCKET_RCVBUFF"]' "$tmp/out.json")
		if [ "$mode" = lines ]; then
			lines=$(jq -r 'select(.type == "summary") | "\(.lines) \(.window_s)"' "$tmp/out.json" |
				awk '{ printf "%.0f", $1 / $2 }')
			lost=$(jq -r 'select(.type == "summary") | .lost.ring_buffer_full' "$tmp/out.json")
		fi
	fi
	echo "$mode $rate $drops $events $cpu $lines $lost $cpurate" >> "$tmp/results"
}

: > "$tmp/results"
# the order turns each round, so that no mode always follows another
for ((r = 0; r < RUNS; r++)); do
	case $((r % 3)) in
	0) order="none summary lines" ;;
	1) order="summary lines none" ;;
	*) order="lines none summary" ;;
	esac
	for mode in $order; do flood "$mode"; done
	echo round >> "$tmp/results"
done

median() { grep -v '^-$' | sort -g | awk '{ a[NR] = $1 } END { if (!NR) print "-"; else print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
col() { awk -v m="$1" -v c="$2" '$1 == m { print $c }' "$tmp/results" | median; }
# the ratio of each round to the flood alone of the same round (column C:
# 2 per second of wall time, 8 per second of the sender's CPU time, which
# other load on the machine moves less)
ratios() {
	awk -v m="$1" -v c="$2" '$1 == "round" { if (base && v) printf "%.4f\n", v / base; base = v = 0; next }
		$1 == "none" { base = $c } $1 == m { v = $c }' "$tmp/results"
}
exact() { awk -v m="$1" '$1 == m { n++; if ($3 == $4) k++ } END { printf "%d/%d", k, n }' "$tmp/results"; }
range() { sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%s-%s", lo, hi }'; }
echo "sockmem trace on a loopback UDP flood: $SECS s x $RUNS runs per mode, alternating, medians ($(uname -r), $(nproc) CPUs, load $(cut -d' ' -f1 /proc/loadavg))"
printf '%-8s %10s %7s %13s %10s %7s %13s %7s %7s %9s %10s\n' MODE "DROPS/S" RATIO "RANGE" "PER CPU-S" RATIO "RANGE" EXACT "CPU %" "LINES/S" "LINES LOST"
for mode in none summary lines; do
	printf '%-8s %10.0f %7s %13s %10.0f %7s %13s %7s %7s %9s %10s\n' "$mode" "$(col "$mode" 2)" \
		"$(ratios "$mode" 2 | median)" "$(ratios "$mode" 2 | range)" "$(col "$mode" 8)" \
		"$(ratios "$mode" 8 | median)" "$(ratios "$mode" 8 | range)" \
		"$([ "$mode" = none ] && echo - || exact "$mode")" "$(col "$mode" 5)" "$(col "$mode" 6)" "$(col "$mode" 7)"
done
echo "(DROPS/S: per second of wall time; PER CPU-S: per second of the sender's CPU time, where the loopback's softirq and the programs run; RATIO: against the flood alone of the same round, median and range; EXACT: rounds whose SOCKET_RCVBUFF events equal the socket's own drop count (SO_MEMINFO); CPU %: sockmem's user + system time over its window, of one core)"
