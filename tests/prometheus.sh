#!/bin/sh
# prometheus.sh - the Prometheus exposition of a fixture tree parses, its
# numbers equal the JSON's, every family has HELP and TYPE and metric names
# carry units; --output writes the file atomically.  Offline (watch.sh checks
# the live exposition and the textfile rewritten by watch).
# SPDX-License-Identifier: GPL-2.0-or-later
. "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3)
[ -n "$PY" ] && "$PY" -c 'import prometheus_client.parser' 2>/dev/null ||
	skip_all "python3-prometheus-client not installed"
L=$SRCDIR/tests/trees/linux-6.18-loaded

"$SOCKMEM" --root "$L" show --format prometheus > "$TMPD/m.prom"
"$SOCKMEM" --root "$L" show --json > "$TMPD/m.json"
if out=$("$PY" - "$TMPD/m.prom" "$TMPD/m.json" <<'PYEOF' 2>&1
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
    eq(get("sockmem_%s_usage_bytes" % p), pj["usage_bytes"], p + " usage_bytes")
    eq(get("sockmem_%s_usage_pages" % p), pj["usage_pages"], p + " usage_pages")
    for t in ("min", "pressure", "max"):
        eq(get("sockmem_%s_limit_bytes" % p, threshold=t), pj["limits_bytes"][t], p + " limit " + t)
        eq(get("sockmem_%s_headroom_bytes" % p, threshold=t), pj["headroom_bytes"][t], p + " headroom " + t)
    eq(get("sockmem_%s_state" % p, state=pj["state"]), 1, p + " state")
    eq(get("sockmem_socket_charged_bytes", protocol=p), j["sockets"][p]["charged_bytes"], p + " charged")
    eq(get("sockmem_reconciliation_residual_pages", protocol=p), j["reconciliation"][p]["residual_pages"], p + " residual")
eq(get("sockmem_tcp_kernel_pressure"), 1 if j["protocols"]["tcp"]["kernel_pressure"] else 0, "kernel pressure")
eq(get("sockmem_uncertainty_pages"), j["protocols"]["tcp"]["uncertainty_pages"], "band")
for k, v in j["counters"].items():
    if v is not None:
        g = "Udp" if k.startswith("Udp") else "TcpExt"
        eq(get("sockmem_kernel_counter_total", group=g, name=k), v, "counter " + k)
for k, c in j["counts"].items():
    if c["value"] is not None:
        eq(get("sockmem_sockets", kind=k, scope=c["scope"]), c["value"], "count " + k)
if types.get("sockmem_kernel_counter") != "counter":
    errs.append("kernel counters are not of type counter: %s" % types.get("sockmem_kernel_counter"))
if errs:
    sys.exit("\n".join(errs))
print(len(s), "samples compared")
PYEOF
); then ok "prometheus exposition parses; its numbers equal the JSON's ($out)"; else not_ok "prometheus vs JSON"; diag "$out"; fi
check "every family has HELP and TYPE" sh -c "[ \$(grep -c '^# HELP' '$TMPD/m.prom') -eq \$(grep -c '^# TYPE' '$TMPD/m.prom') ]"
check "metric names carry units" sh -c "! grep -v '^#' '$TMPD/m.prom' | grep -E '^sockmem_[a-z_]+(usage|limit|headroom)[ {]'"

mkdir -p "$TMPD/textfile"
"$SOCKMEM" --root "$L" show --format prometheus --output "$TMPD/textfile/show.prom" > "$TMPD/out"
check "show --output writes the file, not stdout" sh -c "[ -s '$TMPD/textfile/show.prom' ] && [ ! -s '$TMPD/out' ]"
check "show --output: the same exposition" cmp -s "$TMPD/m.prom" "$TMPD/textfile/show.prom"
check "show --output: no temporary file left" [ "$(ls "$TMPD/textfile" | wc -l)" -eq 1 ]
"$SOCKMEM" watch --format prometheus > /dev/null 2> "$TMPD/err"
check "watch --format prometheus without --output: usage error" [ $? -eq 64 ]
done_testing
