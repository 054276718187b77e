#!/bin/bash
# bench/run.sh - times sockmem against ss on the same sockets in the same run.
#
#   bench/run.sh [SOCKETS...]          (default: 1000 10000 100000)
#
# For each count it opens SOCKETS/2 loopback TCP connections (with 3000
# unread bytes each while their charge stays under half of tcp_mem min, else
# none: the charge is host-wide) in a private network namespace, from as many
# tests/helpers/sockfill processes as the open-file limit needs, then times,
# alternating, over several runs each:
#   ss -tmnH                    against  sockmem show --json --backend netlink
#                                        sockmem show --json --backend bpf
#                                        sockmem show --json --no-sockets (the exact charge alone)
#   ss -tmpnH                   against  sockmem top --by process (up to 100k)
# and prints the mean wall, user and system times, the ratio (ss time /
# sockmem time: above 1 means sockmem is faster) and sockmem's peak RSS;
# with BENCH_WATCH=SECONDS also the CPU share of 'sockmem watch' at its
# default interval over that long; with BENCH_ALT="LABEL=PROGRAM ..." also
# 'PROGRAM show --json --backend bpf' of each other build (e.g. one whose
# iterator programs return at once: the walk alone), in the same rotation.  Needs root (network namespace).  Holds
# the test suite's exclusive lock (no live test runs meanwhile) and leaves
# no socket or namespace behind on any exit.  Run from a built tree, under
# nice on a shared machine.
# SPDX-License-Identifier: GPL-2.0-or-later
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
SOCKMEM=${SOCKMEM:-$top/src/sockmem}
FILL=${FILL:-$top/tests/helpers/sockfill}
CC=${CC:-cc}

[ "$(id -u)" -eq 0 ] || { echo "bench/run.sh: needs root" >&2; exit 77; }
[ -x "$SOCKMEM" ] || { echo "bench/run.sh: build sockmem first (make)" >&2; exit 2; }
[ -x "$FILL" ] || make -C "$top" tests/helpers/sockfill >/dev/null
command -v ss >/dev/null || { echo "bench/run.sh: ss (iproute2) missing" >&2; exit 2; }

if [ -z "${SOCKMEM_BENCH_NETNS:-}" ]; then
	exec 9> "${TMPDIR:-/tmp}/sockmem-test.lock"
	flock -x 9
	# tcp_mem is host-only: not visible from the namespace
	SOCKMEM_BENCH_TCP_MIN=$(awk '{ print $1 }' /proc/sys/net/ipv4/tcp_mem) \
		SOCKMEM_BENCH_NETNS=1 exec unshare -n "$0" "$@"
fi
ip link set lo up
tmp=$(mktemp -d)
pids=()
stop_fill() {
	local p
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
	pids=()
}
cleanup() { stop_fill; rm -rf "$tmp"; }
trap cleanup EXIT
trap 'exit 130' INT TERM
"$CC" -O2 -o "$tmp/maxrss" "$here/maxrss.c"

ulimit -n "$(ulimit -Hn)"
per_proc=$(( ($(ulimit -n) - 64) / 2 ))
[ $per_proc -gt 40000 ] && per_proc=40000
tcp_min=$SOCKMEM_BENCH_TCP_MIN

# Runs the commands named in the array CMDS (each a string), alternating,
# RUNS times; sets W[i], U[i], S[i]: mean wall, user and system time (us).
declare -a W U S
alternate() {
	local runs=$1 r i line
	for i in "${!CMDS[@]}"; do W[i]=0 U[i]=0 S[i]=0; done
	for ((r = 0; r < runs; r++)); do
		for i in "${!CMDS[@]}"; do
			# shellcheck disable=SC2086
			line=$( { "$tmp/maxrss" ${CMDS[i]} > /dev/null; } 2>&1)
			W[i]=$((W[i] + $(sed -n 's/.*wall_us=\([0-9]*\).*/\1/p' <<< "$line")))
			U[i]=$((U[i] + $(sed -n 's/.*user_us=\([0-9]*\).*/\1/p' <<< "$line")))
			S[i]=$((S[i] + $(sed -n 's/.*sys_us=\([0-9]*\).*/\1/p' <<< "$line")))
		done
	done
	for i in "${!CMDS[@]}"; do
		W[i]=$((W[i] / runs)) U[i]=$((U[i] / runs)) S[i]=$((S[i] / runs))
	done
}
rss_kib() { { "$tmp/maxrss" "$@" > /dev/null; } 2>&1 | sed -n 's/.*maxrss_kib=\([0-9]*\).*/\1/p'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
ms() { awk -v a="$1" 'BEGIN { printf "%.1f", a / 1000 }'; }

row() { # SOCKETS WHAT SS_WALL WALL USER SYS RSS
	printf '%-9s %-36s %10s %10s %8s %8s %10s %s\n' "$1" "$2" "$(ms $4)" "$(ms $5)" \
		"$(ms $6)" "$(ratio $3 $4)" "$7" "${7:+KiB}"
}

printf '%-9s %-36s %10s %10s %8s %8s %14s\n' sockets command "wall ms" "user ms" "sys ms" \
	"ss/this" "peak RSS"
for n1 in ${@:-1000 10000 100000}; do
	pairs=$((n1 / 2)) left=$((n1 / 2)) k=0
	bytes=3000
	[ $((pairs * 2)) -gt $((tcp_min / 2)) ] && bytes=0	# stay far below tcp_mem min
	while [ $left -gt 0 ]; do
		c=$(( left < per_proc ? left : per_proc ))
		"$FILL" -w -t $c -b $bytes -p $(( (c + 19999) / 20000 )) < /dev/null > "$tmp/fill.$k" 2>&1 &
		pids+=($!)
		for i in $(seq 1200); do grep -q ready "$tmp/fill.$k" 2>/dev/null && break; sleep 0.1; done
		grep -q ready "$tmp/fill.$k" || { echo "sockfill did not start: $(cat "$tmp/fill.$k")" >&2; exit 2; }
		left=$((left - c)) k=$((k + 1))
	done
	seen=$(ss -tanH | wc -l)
	runs=$(( n1 >= 1000000 ? 3 : n1 >= 100000 ? 5 : n1 >= 10000 ? 10 : 30 ))
	echo "# $seen TCP sockets ($pairs connections, $bytes unread bytes each, $k sockfill processes), $runs runs each"
	CMDS=("ss -tmnH" "$SOCKMEM show --json --backend netlink" "$SOCKMEM show --json --backend bpf"
	      "$SOCKMEM show --json --no-sockets --backend bpf")
	names=("ss -tmnH" "sockmem show --backend netlink" "sockmem show --backend bpf"
	       "sockmem show --no-sockets (exact)")
	for alt in ${BENCH_ALT:-}; do
		CMDS+=("${alt#*=} show --json --backend bpf")
		names+=("show --backend bpf (${alt%%=*})")
	done
	alternate $runs
	for i in "${!CMDS[@]}"; do
		# shellcheck disable=SC2086
		rss=$([ $i -eq 0 ] || rss_kib ${CMDS[i]})
		row "$seen" "${names[i]}" "${W[0]}" "${W[i]}" "${U[i]}" "${S[i]}" "$rss"
	done
	"$SOCKMEM" show --json --backend bpf | jq -c '{sockets: .sockets.tcp.count, exact_pages: .protocols.tcp.usage_exact_pages, published_pages: .protocols.tcp.usage_pages, sockets_charged_pages: .sockets.tcp.charged_pages}' | sed 's/^/# /'
	if [ "$n1" -le 100000 ]; then
		CMDS=("ss -tmpnH" "$SOCKMEM top --by process")
		alternate $runs
		row "$seen" "ss -tmpnH" "${W[0]}" "${W[0]}" "${U[0]}" "${S[0]}" ""
		row "$seen" "sockmem top --by process" "${W[0]}" "${W[1]}" "${U[1]}" "${S[1]}" \
			"$(rss_kib "$SOCKMEM" top --by process)"
	fi
	if [ -n "${BENCH_WATCH:-}" ]; then
		# watch at its default interval: its CPU time over its wall time
		cnt=$(( BENCH_WATCH / 2 ))
		line=$( { "$tmp/maxrss" "$SOCKMEM" watch --json --count $cnt > "$tmp/watch.ndjson"; } 2>&1)
		wall=$(sed -n 's/.*wall_us=\([0-9]*\).*/\1/p' <<< "$line")
		cpu=$(( $(sed -n 's/.*user_us=\([0-9]*\).*/\1/p' <<< "$line") + $(sed -n 's/.*sys_us=\([0-9]*\).*/\1/p' <<< "$line") ))
		passes=$(jq -s '[.[] | select(.collect.per_socket_pass)] | length' "$tmp/watch.ndjson")
		echo "# watch --interval 2 --count $cnt: $(awk -v c=$cpu -v w=$wall 'BEGIN { printf "%.1f", 100 * c / w }')% of one CPU over $(ms $wall) ms, $passes per-socket passes in $cnt samples, peak RSS $(sed -n 's/.*maxrss_kib=\([0-9]*\).*/\1/p' <<< "$line") KiB"
	fi
	stop_fill
	sleep 1
done
