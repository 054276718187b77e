# tap.sh - what tests/vm/guest.sh and tests/vm/trace-guest.sh share inside
# a kernel-matrix VM (busybox ash; run.sh copies it to the initramfs's /):
# the TAP helpers, and the kernel's own figures read without sockmem.
# SPDX-License-Identifier: GPL-2.0-or-later
tap_n=0
ok() { tap_n=$((tap_n + 1)); echo "ok $tap_n - $*"; }
not_ok() { tap_n=$((tap_n + 1)); echo "not ok $tap_n - $*"; }
skip() { tap_n=$((tap_n + 1)); echo "ok $tap_n - $* # SKIP"; }
diag() { printf '%s\n' "$@" | sed 's/^/# /'; }
# check DESC CMD...: one test point from a command's status
check() {
	_d=$1; shift
	if "$@" >/dev/null 2>&1; then ok "$_d"; else not_ok "$_d"; fi
}
# known DESC BUG CMD...: a check that a reported product bug fails: TAP TODO
known() {
	_d=$1 _b=$2; shift 2
	tap_n=$((tap_n + 1))
	if "$@" >/dev/null 2>&1; then echo "ok $tap_n - $_d # TODO $_b"; else echo "not ok $tap_n - $_d # TODO $_b"; fi
}
bail() { echo "Bail out! $*"; echo "1..$tap_n"; exit 1; }
finish() { echo "1..$tap_n"; exit 0; }

# ssmem PROTO: sockstat's mem (pages) of TCP or UDP
ssmem() { awk -v P="$1:" '$1 == P { for (i = 2; i < NF; i += 2) if ($i == "mem") print $(i+1) }' /proc/net/sockstat; }
# ctr NAME: a TcpExt counter of /proc/net/netstat
ctr() { awk -v N="$1" '$1 == "TcpExt:" && !h { for (i = 2; i <= NF; i++) if ($i == N) k = i; h = 1; next }
	$1 == "TcpExt:" && h { print $k }' /proc/net/netstat; }
