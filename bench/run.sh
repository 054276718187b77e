#!/bin/bash
# bench/run.sh - times sockmem against ss on the same sockets in the same run.
#
#   bench/run.sh [SOCKETS...]          (default: 1000 10000 100000)
#
# For each count it opens SOCKETS/2 loopback TCP connections with unread data
# (tests/helpers/sockfill, several processes when the open-file limit is
# low) in a private network namespace, then times, alternating, over several
# runs each:
#   sockmem show --json        against  ss -tmnH
#   sockmem top --by process   against  ss -tmpnH
# and prints the mean wall times, the ratio (ss time / sockmem time: above 1
# means sockmem is faster), sockmem's peak RSS, and the user-space CPU time of
# each (the rest is the kernel's dump, the same for both).  Needs root (network
# namespace, open-file limit).  Run from a built tree: make && make check
# builds tests/helpers/sockfill.
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
	SOCKMEM_BENCH_NETNS=1 exec unshare -n "$0" "$@"
fi
ip link set lo up
tmp=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$tmp"; }
trap cleanup EXIT
"$CC" -O2 -o "$tmp/maxrss" "$here/maxrss.c"

ulimit -n 1048576 2>/dev/null || ulimit -n "$(ulimit -Hn)"
per_proc=$(( ($(ulimit -n) - 64) / 2 ))
[ $per_proc -gt 40000 ] && per_proc=40000

# mean wall and user time in microseconds of RUNS runs of a command
# (stdout discarded): "WALL USER"
mean_us() {
	local runs=$1 total=0 utotal=0 i line; shift
	for ((i = 0; i < runs; i++)); do
		line=$( { "$tmp/maxrss" "$@" > /dev/null; } 2>&1)
		total=$((total + $(sed -n 's/.*wall_us=\([0-9]*\).*/\1/p' <<< "$line")))
		utotal=$((utotal + $(sed -n 's/.*user_us=\([0-9]*\).*/\1/p' <<< "$line")))
	done
	echo "$((total / runs)) $((utotal / runs))"
}
rss_kib() { { "$tmp/maxrss" "$@" > /dev/null; } 2>&1 | sed -n 's/.*maxrss_kib=\([0-9]*\).*/\1/p'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
ms() { awk -v a="$1" 'BEGIN { printf "%.1f", a / 1000 }'; }

printf '%-9s %-28s %10s %10s %8s %12s %13s\n' sockets comparison "ss ms" "sockmem ms" "ss/sm" "sm peak RSS" "user ms ss/sm"
for n in "${@:-1000 10000 100000}"; do
	for n1 in $n; do
		pairs=$((n1 / 2)) left=$((n1 / 2))
		while [ $left -gt 0 ]; do
			k=$(( left < per_proc ? left : per_proc ))
			"$FILL" -w -t $k -b 3000 -p $(( (k + 19999) / 20000 )) < /dev/null > "$tmp/fill.$left" 2>&1 &
			pids+=($!)
			for i in $(seq 600); do grep -q ready "$tmp/fill.$left" 2>/dev/null && break; sleep 0.1; done
			left=$((left - k))
		done
		seen=$(ss -tanH | wc -l)
		runs=$(( n1 >= 100000 ? 5 : n1 >= 10000 ? 10 : 30 ))
		read -r a au < <(mean_us $runs ss -tmnH); read -r b bu < <(mean_us $runs "$SOCKMEM" show --json)
		r=$(rss_kib "$SOCKMEM" show --json)
		printf '%-9s %-28s %10s %10s %8s %9s KiB %6s/%-6s\n' "$seen" "ss -tmnH / show" "$(ms $a)" "$(ms $b)" \
			"$(ratio $a $b)" "$r" "$(ms $au)" "$(ms $bu)"
		read -r a au < <(mean_us $runs ss -tmpnH); read -r b bu < <(mean_us $runs "$SOCKMEM" top --by process)
		r=$(rss_kib "$SOCKMEM" top --by process)
		printf '%-9s %-28s %10s %10s %8s %9s KiB %6s/%-6s\n' "$seen" "ss -tmpnH / top --by process" "$(ms $a)" \
			"$(ms $b)" "$(ratio $a $b)" "$r" "$(ms $au)" "$(ms $bu)"
		for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
		pids=()
		sleep 1
	done
done
