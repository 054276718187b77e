#!/bin/bash
# watch.sh - monitoring: NDJSON lines parse, carry increasing timestamps and
# rates equal to counter differences over time; the Prometheus exposition
# parses and its numbers equal the JSON's; the textfile is written
# atomically; the terminal view renders under tmux, and ends cleanly.
# SPDX-License-Identifier: GPL-2.0-or-later
. "$(dirname "$0")/lib.sh"

command -v jq >/dev/null || skip_all "jq not installed"
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3)
lock_live_shared
L=$SRCDIR/tests/trees/linux-6.18-loaded

# --- NDJSON
"$SOCKMEM" watch --interval 0.2 --count 5 > "$TMPD/w.ndjson" 2> "$TMPD/err"
check "watch --count 5: exit 0" [ $? -eq 0 ]
check "5 lines" [ "$(wc -l < "$TMPD/w.ndjson")" -eq 5 ]
check "every line is one JSON object" [ "$(jq -c . "$TMPD/w.ndjson" | wc -l)" -eq 5 ]
check "not a terminal: no escape sequences" sh -c "! grep -q \"$(printf '\033')\" '$TMPD/w.ndjson'"
check "sample numbers 1..5" [ "$(jq -s -c '[.[].sample]' "$TMPD/w.ndjson")" = "[1,2,3,4,5]" ]
check "timestamps increase" jq -s -e '[.[].sample_time_unix_s] | . == sort and (. | unique | length) == 5' "$TMPD/w.ndjson"
check "first sample has no rates" jq -s -e '.[0].counter_rates_per_s == null' "$TMPD/w.ndjson"
# rate = (counter now - counter before) / the interval between the samples
bad=$(jq -s '[range(1; length) as $i | .[$i] as $b | .[$i - 1] as $a |
	($b.counter_rates_per_s | to_entries[]) | select(.value != null) |
	(($b.counters[.key] - $a.counters[.key]) / $b.sample_interval_s) as $want |
	select((.value - $want) | fabs > 1e-6 * ($want | fabs + 1))] | length' "$TMPD/w.ndjson")
check "rates equal counter differences over time" [ "$bad" = 0 ]
check "same schema as show, plus the sample fields" jq -s -e '.[0] | has("protocols") and has("counters") and .schema_version == "1.0" and .command == "watch"' "$TMPD/w.ndjson"

# a closed pipe ends it quietly; so does SIGTERM
start=$(date +%s)
"$SOCKMEM" watch --interval 0.1 2> "$TMPD/err" | head -2 > /dev/null
check "closed pipe: ends within seconds" [ $(( $(date +%s) - start )) -lt 10 ]
check "closed pipe: no message" [ ! -s "$TMPD/err" ]
"$SOCKMEM" watch --interval 0.1 > "$TMPD/term.ndjson" 2>&1 &
pid=$!
sleep 0.5
kill -TERM $pid
wait $pid
check "SIGTERM: exit 0" [ $? -eq 0 ]
check "SIGTERM: the last line is complete JSON" sh -c "tail -1 '$TMPD/term.ndjson' | jq -e . > /dev/null"

# --- Prometheus
if [ -x "$PY" ] && "$PY" -c 'import prometheus_client.parser' 2>/dev/null; then
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
	"$SOCKMEM" show --format prometheus > "$TMPD/live.prom"
	check "live exposition parses" "$PY" -c "
import sys
from prometheus_client.parser import text_string_to_metric_families
list(text_string_to_metric_families(open('$TMPD/live.prom').read()))"
	check "every family has HELP and TYPE" sh -c "[ \$(grep -c '^# HELP' '$TMPD/live.prom') -eq \$(grep -c '^# TYPE' '$TMPD/live.prom') ]"
	check "metric names carry units" sh -c "! grep -v '^#' '$TMPD/live.prom' | grep -E '^sockmem_[a-z_]+(usage|limit|headroom)[ {]'"
else
	skip "prometheus parser (python3-prometheus-client) not installed"
	skip "live exposition parses"
	skip "every family has HELP and TYPE"
	skip "metric names carry units"
fi
mkdir -p "$TMPD/textfile"
"$SOCKMEM" watch --interval 0.1 --count 3 --format prometheus --output "$TMPD/textfile/sockmem.prom"
check "textfile written" [ -s "$TMPD/textfile/sockmem.prom" ]
check "textfile: no temporary file left" [ "$(ls "$TMPD/textfile" | wc -l)" -eq 1 ]
"$SOCKMEM" show --format prometheus --output "$TMPD/textfile/show.prom"
check "show --output writes the file, not stdout" [ -s "$TMPD/textfile/show.prom" ]
"$SOCKMEM" watch --format prometheus > /dev/null 2> "$TMPD/err"
check "watch --format prometheus without --output: usage error" [ $? -eq 64 ]

# --- the terminal view
if command -v tmux >/dev/null; then
	S=sockmem-test-$$
	tmux -L "$S" new-session -d -x 120 -y 40 "NO_COLOR= TERM=xterm-256color '$SOCKMEM' watch --interval 0.2; echo WATCH-ENDED \$?; sleep 5"
	sleep 1.5
	tmux -L "$S" capture-pane -p > "$TMPD/screen1"
	sleep 0.5
	tmux -L "$S" capture-pane -p > "$TMPD/screen2"
	check "terminal: header drawn" grep -q "^sockmem watch" "$TMPD/screen1"
	check "terminal: TCP bar drawn" grep -qE "^TCP .*\[[#.|]+[]>]" "$TMPD/screen1"
	check "terminal: redrawn in place (one header, not scrolled)" [ "$(grep -c '^sockmem watch' "$TMPD/screen2")" -eq 1 ]
	check "terminal: sample counter advances" sh -c "! cmp -s '$TMPD/screen1' '$TMPD/screen2'"
	check "terminal: no escape garbage on screen" sh -c "! grep -qE '\\[\\?|\\[H|\\[2J' '$TMPD/screen1'"
	tmux -L "$S" send-keys C-c
	sleep 0.7
	tmux -L "$S" capture-pane -p > "$TMPD/screen3"
	check "Ctrl-C: ends with exit 0" grep -q "WATCH-ENDED 0" "$TMPD/screen3"
	check "Ctrl-C: the terminal is restored (the view is gone)" sh -c "! grep -q '^sockmem watch' '$TMPD/screen3'"
	tmux -L "$S" kill-server 2>/dev/null
else
	skip "terminal view: tmux not installed"
fi
done_testing
