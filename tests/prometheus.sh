#!/bin/sh
# prometheus.sh - the Prometheus exposition of the fixture trees, offline:
# it parses, its numbers equal the JSON's in every state a fleet alerts on,
# there is one name per quantity (the protocol a label, MPTCP and UDP-Lite
# not repeated), every family has HELP and TYPE, names carry units, and
# promtool's linter accepts it; --output writes the file atomically.  (watch.sh
# checks the live exposition and the textfile rewritten by watch.)
# SPDX-License-Identifier: GPL-2.0-or-later
. "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3)
[ -n "$PY" ] && "$PY" -c 'import prometheus_client.parser' 2>/dev/null ||
	skip_all "python3-prometheus-client not installed"
L=$SRCDIR/tests/trees/linux-6.18-loaded

cat > "$TMPD/cmp.py" <<'PYEOF'
import json, sys
from prometheus_client.parser import text_string_to_metric_families
text = open(sys.argv[1]).read()
j = json.load(open(sys.argv[2]))
s = {}
types = {}
for fam in text_string_to_metric_families(text):
    types[fam.name] = fam.type
    for m in fam.samples:
        s[(m.name, tuple(sorted(m.labels.items())))] = m.value
def get(metric, **labels):
    return s.get((metric, tuple(sorted(labels.items()))))
errs = []
def eq(a, b, what):
    if a is None or b is None or abs(float(a) - float(b)) > 1e-9 * max(1, abs(float(b))):
        errs.append("%s: prometheus %s, json %s" % (what, a, b))
for p in ("tcp", "udp"):
    pj = j["protocols"][p]
    eq(get("sockmem_usage_bytes", protocol=p), pj["usage_bytes"], p + " usage_bytes")
    for t in ("min", "pressure", "max"):
        if pj.get("limits_bytes") is None:
            if get("sockmem_limit_bytes", protocol=p, threshold=t) is not None:
                errs.append(p + ": a limit series for an unknown limit")
            continue
        eq(get("sockmem_limit_bytes", protocol=p, threshold=t), pj["limits_bytes"][t], p + " limit " + t)
        eq(get("sockmem_headroom_bytes", protocol=p, threshold=t), pj["headroom_bytes"][t], p + " headroom " + t)
    eq(get("sockmem_state", protocol=p, state=pj["state"]), 1, p + " state")
    if sum(v for (n, l), v in s.items() if n == "sockmem_state" and dict(l)["protocol"] == p) != 1:
        errs.append(p + ": not exactly one state is 1")
    if j.get("sockets"):
        eq(get("sockmem_socket_charged_bytes", protocol=p), j["sockets"][p]["charged_bytes"], p + " charged")
        eq(sum(v for (n, l), v in s.items() if n == "sockmem_sockets_dumped" and dict(l)["protocol"] == p),
           j["sockets"][p]["count"], p + " sockets dumped")
    if (j.get("reconciliation") or {}).get(p) and j["reconciliation"][p].get("residual_pages") is not None:
        eq(get("sockmem_reconciliation_residual_pages", protocol=p), j["reconciliation"][p]["residual_pages"], p + " residual")
# protocols that share TCP's or UDP's counter are not repeated
for p, pj in j["protocols"].items():
    shared = pj.get("shares_counter_with")
    if shared and any(dict(l).get("protocol") == p for (n, l) in s if n != "sockmem_sockets"):
        errs.append(p + " shares " + shared + "'s counter but has series of its own")
eq(get("sockmem_kernel_pressure", protocol="tcp"), 1 if j["protocols"]["tcp"]["kernel_pressure"] else 0, "kernel pressure")
eq(get("sockmem_uncertainty_bytes"), j["protocols"]["tcp"]["uncertainty_bytes"], "band")
eq(get("sockmem_partial"), 1 if j.get("partial") else 0, "partial")
for k, v in j["counters"].items():
    if v is None:
        continue
    if k == "TCPMemoryPressuresChrono":
        eq(get("sockmem_memory_pressure_seconds_total", protocol="tcp"), v / 1000.0, "pressure seconds")
        continue
    eq(get("sockmem_kernel_events_total", protocol="udp" if k.startswith("Udp") else "tcp", name=k), v, "counter " + k)
labels = {"tcp_inuse": ("tcp", "ipv4", "inuse"), "tcp6_inuse": ("tcp", "ipv6", "inuse"),
          "tcp_alloc": ("tcp", "all", "alloc"), "tcp_orphan": ("tcp", "all", "orphan"),
          "tcp_tw": ("tcp", "all", "timewait"), "udp_inuse": ("udp", "ipv4", "inuse"),
          "udp6_inuse": ("udp", "ipv6", "inuse"), "udplite_inuse": ("udplite", "ipv4", "inuse"),
          "raw_inuse": ("raw", "ipv4", "inuse"), "raw6_inuse": ("raw", "ipv6", "inuse")}
for k, c in j["counts"].items():
    if c["value"] is None:
        continue
    if k == "sockets_used":
        eq(get("sockmem_sockets_used"), c["value"], "count " + k)
    elif k not in labels:
        errs.append("count %s has no series" % k)
    else:
        pr, fa, ki = labels[k]
        eq(get("sockmem_sockets", protocol=pr, family=fa, kind=ki), c["value"], "count " + k)
        if c.get("limit") is not None:
            eq(get("sockmem_sockets_limit", protocol=pr, family=fa, kind=ki), c["limit"], "limit " + k)
if types.get("sockmem_kernel_events") != "counter":
    errs.append("kernel counters are not of type counter: %s" % types.get("sockmem_kernel_events"))
# one name per quantity: no protocol in a metric name
for (n, l) in s:
    if any(n.startswith("sockmem_" + p + "_") for p in ("tcp", "udp", "mptcp", "udplite", "sctp")):
        errs.append("protocol in the name: " + n)
if errs:
    sys.exit("\n".join(errs))
print(len(s), "samples compared")
PYEOF
# every state a fleet alerts on: normal, elevated, pressure (and its
# hysteresis), over max, UDP limited, a container, 64 KiB pages
for t in linux-6.18-loaded tcp-elevated-near tcp-pressure-hysteresis tcp-over-limit \
	 udp-limited container-netns arm64-64k-6.1; do
	"$SOCKMEM" --root "$SRCDIR/tests/trees/$t" show --format prometheus > "$TMPD/$t.prom"
	"$SOCKMEM" --root "$SRCDIR/tests/trees/$t" show --json > "$TMPD/$t.json"
	if out=$("$PY" "$TMPD/cmp.py" "$TMPD/$t.prom" "$TMPD/$t.json" 2>&1); then
		ok "$t: the exposition parses; its numbers equal the JSON's ($out)"
	else
		not_ok "$t: prometheus vs JSON"; diag "$out"
	fi
done

"$SOCKMEM" --root "$L" show --format prometheus > "$TMPD/m.prom"
check "every family has HELP and TYPE" sh -c "[ \$(grep -c '^# HELP' '$TMPD/m.prom') -eq \$(grep -c '^# TYPE' '$TMPD/m.prom') ]"
# (a count of sockets and its limit have no unit)
check "metric names carry units" sh -c "! grep -v '^#' '$TMPD/m.prom' | grep -v '^sockmem_sockets_limit' | grep -E '^sockmem_[a-z_]+(usage|limit|headroom)[ {]'"
# promtool's linter (naming, units, counters): what Prometheus' own tools expect
if command -v promtool > /dev/null; then
	for t in linux-6.18-loaded tcp-over-limit container-netns; do
		"$SOCKMEM" --root "$SRCDIR/tests/trees/$t" show --format prometheus > "$TMPD/lint.prom"
		check "promtool check metrics: $t" sh -c "promtool check metrics < '$TMPD/lint.prom' > '$TMPD/lint.out' 2>&1 || { cat '$TMPD/lint.out' >&2; false; }"
	done
else
	skip "promtool check metrics: promtool (Debian's prometheus) not installed"
fi

mkdir -p "$TMPD/textfile"
"$SOCKMEM" --root "$L" show --format prometheus --output "$TMPD/textfile/show.prom" > "$TMPD/out"
check "show --output writes the file, not stdout" sh -c "[ -s '$TMPD/textfile/show.prom' ] && [ ! -s '$TMPD/out' ]"
check "show --output: the same exposition" cmp -s "$TMPD/m.prom" "$TMPD/textfile/show.prom"
check "show --output: no temporary file left" [ "$(ls "$TMPD/textfile" | wc -l)" -eq 1 ]
"$SOCKMEM" watch --format prometheus > /dev/null 2> "$TMPD/err"
check "watch --format prometheus without --output: usage error" [ $? -eq 64 ]
done_testing
