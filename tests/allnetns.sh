#!/bin/bash
# allnetns.sh - show --all-netns visits every network namespace once and
# attributes memory per namespace, so sockstat's host-wide figure reconciles.
# Creates two named namespaces (removed on every exit path).
# SPDX-License-Identifier: GPL-2.0-or-later
. "$(dirname "$0")/lib.sh"

command -v jq >/dev/null || skip_all "jq not installed"
command -v ip >/dev/null || skip_all "ip (iproute2) not installed"
FILL=${BUILDDIR:-$SRCDIR}/tests/helpers/sockfill
[ -x "$FILL" ] || skip_all "tests/helpers/sockfill not built"
[ "$(id -u)" -eq 0 ] || skip_all "needs root (ip netns add, setns)"
lock_live_exclusive
wait_quiet
A=sockmem-test-a-$$ B=sockmem-test-b-$$
cleanup() {
	[ -n "${PA:-}" ] && kill "$PA" 2>/dev/null
	[ -n "${PB:-}" ] && kill "$PB" 2>/dev/null
	ip netns del "$A" 2>/dev/null
	ip netns del "$B" 2>/dev/null
	rm -rf "$TMPD"
}
trap cleanup EXIT
ip netns add "$A" 2>/dev/null && ip netns add "$B" 2>/dev/null || skip_all "cannot create network namespaces"
ip -n "$A" link set lo up
ip -n "$B" link set lo up

mkfifo "$TMPD/a" "$TMPD/b"
ip netns exec "$A" "$FILL" -t 10 -b 100000 -u 2 -d 5 < "$TMPD/a" > "$TMPD/a.out" & PA=$!
exec 7> "$TMPD/a"
ip netns exec "$B" "$FILL" -t 5 -b 100000 < "$TMPD/b" > "$TMPD/b.out" & PB=$!
exec 8> "$TMPD/b"
for i in $(seq 50); do grep -q ready "$TMPD/a.out" && grep -q ready "$TMPD/b.out" && break; sleep 0.1; done
sleep 0.5

ip netns exec "$A" "$SOCKMEM" --json show > "$TMPD/a.json"
ip netns exec "$B" "$SOCKMEM" --json show > "$TMPD/b.json"
"$SOCKMEM" --json show --all-netns > "$TMPD/all.json" 2> "$TMPD/err"
st=$?
check "show --all-netns: exit 0 or 3" test $st -eq 0 -o $st -eq 3
per() { jq --arg n "$1" ".sockets.per_netns[] | select(.label == \$n) | .$2" "$TMPD/all.json"; }
check "namespace A listed once" [ "$(jq --arg n "$A" '[.sockets.per_netns[] | select(.label == $n)] | length' "$TMPD/all.json")" = 1 ]
check "namespace B listed once" [ "$(jq --arg n "$B" '[.sockets.per_netns[] | select(.label == $n)] | length' "$TMPD/all.json")" = 1 ]
check "no namespace twice" [ "$(jq '[.sockets.per_netns[].netns_inode] | length == (unique | length)' "$TMPD/all.json")" = true ]
check "A: TCP charged = show inside A" [ "$(per "$A" tcp.charged_bytes)" = "$(jq .sockets.tcp.charged_bytes "$TMPD/a.json")" ]
check "B: TCP charged = show inside B" [ "$(per "$B" tcp.charged_bytes)" = "$(jq .sockets.tcp.charged_bytes "$TMPD/b.json")" ]
check "A: UDP charged = show inside A" [ "$(per "$A" udp.charged_bytes)" = "$(jq .sockets.udp.charged_bytes "$TMPD/a.json")" ]
check "A: 20 + 1 TCP sockets" [ "$(per "$A" tcp.count)" = 21 ]
check "total = sum of the namespaces" [ "$(jq '.sockets.tcp.charged_bytes == ([.sockets.per_netns[].tcp.charged_bytes] | add)' "$TMPD/all.json")" = true ]
check "all namespaces: TCP residual within the band" [ "$(jq .reconciliation.tcp.within_band "$TMPD/all.json")" = true ]
check "inside A alone the dump misses B's sockets" [ "$(jq '.reconciliation.tcp.residual_pages' "$TMPD/a.json")" -ge "$(jq '.reconciliation.tcp.residual_pages' "$TMPD/all.json")" ]
"$SOCKMEM" show --all-netns > "$TMPD/all.txt" 2>&1
check "text lists the namespaces" grep -q "^  $A " "$TMPD/all.txt"
"$SOCKMEM" --root "$SRCDIR/tests/trees/linux-6.18-idle" show --all-netns > /dev/null 2> "$TMPD/err"
check "--all-netns with --root: a usage error (64)" [ $? -eq 64 ]

# from inside a namespace, the host's is named as such (not "pid 2 (kthreadd)")
ip netns exec "$A" "$SOCKMEM" --json show --all-netns > "$TMPD/in-a.json" 2>/dev/null
check "inside A: the initial namespace is labelled 'initial (host)'" \
	[ "$(jq '[.sockets.per_netns[].label] | index("initial (host)") != null' "$TMPD/in-a.json")" = true ]

# in a container the limits are hidden, the growth rate is not (first-user #17)
ip netns exec "$A" "$SOCKMEM" show --no-sockets --interval 0.05 --count 3 > "$TMPD/in-a-trend.txt" 2>&1
check "inside A: show --interval prints the trend without limits" grep -q "^  trend: " "$TMPD/in-a-trend.txt"

# top across namespaces: A's and B's connections are the largest holders
"$SOCKMEM" --json top --all-netns -n 3 > "$TMPD/top.json"
check "top --all-netns: exit 0 or 3" test $? -le 3
check "top --all-netns: the largest holder is one of A's (100000 unread bytes)" \
	[ "$(jq '.top[0].rmem_alloc_bytes >= 100000' "$TMPD/top.json")" = true ]
"$SOCKMEM" --json top --all-netns --by port -n 50 > "$TMPD/topp.json"
check "top --all-netns --by port: sums every namespace" \
	[ "$(jq '[.top[].charged_bytes] | add' "$TMPD/topp.json")" -ge "$(( $(per "$A" tcp.charged_bytes) + $(per "$B" tcp.charged_bytes) ))" ]

# Without CAP_SYS_ADMIN: its own namespace is dumped, the others are named,
# and the report is partial (exit 3), never "no report" (first-user item 1).
if command -v setpriv >/dev/null; then
	setpriv --reuid=nobody --regid=nogroup --clear-groups "$SOCKMEM" --json show --all-netns \
		> "$TMPD/np.json" 2> "$TMPD/np.err"
	st=$?
	check "unprivileged --all-netns: partial report (exit 3)" [ $st -eq 3 ]
	check "unprivileged --all-netns: top-level partial agrees" [ "$(jq .partial "$TMPD/np.json")" = true ]
	check "unprivileged --all-netns: its own namespace dumped" \
		[ "$(jq '[.sockets.per_netns[] | select(.label | test("sockmem"))] | length' "$TMPD/np.json")" = 1 ]
	check "unprivileged --all-netns: the others named" grep -q "cannot enter network namespace $A" "$TMPD/np.err"
else
	skip "unprivileged --all-netns: setpriv not installed"
	skip "unprivileged --all-netns: top-level partial"
	skip "unprivileged --all-netns: own namespace"
	skip "unprivileged --all-netns: others named"
fi
echo quit >&7
echo quit >&8
done_testing
