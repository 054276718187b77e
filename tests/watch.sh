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
	"$SOCKMEM" show --format prometheus > "$TMPD/live.prom"
	check "live exposition parses" "$PY" -c "
import sys
from prometheus_client.parser import text_string_to_metric_families
list(text_string_to_metric_families(open('$TMPD/live.prom').read()))"
	check "every family has HELP and TYPE" sh -c "[ \$(grep -c '^# HELP' '$TMPD/live.prom') -eq \$(grep -c '^# TYPE' '$TMPD/live.prom') ]"
	# (a count of sockets and its limit have no unit)
	check "metric names carry units" sh -c "! grep -v '^#' '$TMPD/live.prom' | grep -v '^sockmem_sockets_limit' | grep -E '^sockmem_[a-z_]+(usage|limit|headroom)[ {]'"
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
check "textfile: the third sample's self-metrics" grep -qx 'sockmem_samples_total 3' "$TMPD/textfile/sockmem.prom"
# promtool's linter (naming, units, counters): what Prometheus' own tools expect
if command -v promtool > /dev/null; then
	for t in linux-6.18-loaded tcp-over-limit container-netns; do
		"$SOCKMEM" --root "$SRCDIR/tests/trees/$t" show --format prometheus > "$TMPD/lint.prom"
		check "promtool check metrics: $t" sh -c "promtool check metrics < '$TMPD/lint.prom' > '$TMPD/lint.out' 2>&1 || { cat '$TMPD/lint.out' >&2; false; }"
	done
	check "promtool check metrics: watch's textfile" sh -c "promtool check metrics < '$TMPD/textfile/sockmem.prom' >&2"
else
	skip "promtool check metrics: promtool (Debian's prometheus) not installed"
fi
"$SOCKMEM" show --format prometheus --output "$TMPD/textfile/show.prom"
check "show --output writes the file, not stdout" [ -s "$TMPD/textfile/show.prom" ]
# the largest holders by cgroup and by process, bounded by -n (live: the
# names come from /proc and the cgroup hierarchy)
"$SOCKMEM" top --by cgroup -n 3 --format prometheus --output "$TMPD/textfile/top-cgroup.prom" 2> "$TMPD/err"
rc=$?
check "top --by cgroup --format prometheus --output: exit 0 or 3" [ $rc -eq 0 -o $rc -eq 3 ]
check "top by cgroup: at most -n series, each with cgroup, pod_uid and container" sh -c \
	"n=\$(grep -c '^sockmem_top_cgroup_charged_bytes{cgroup=\"[^\"]*\",pod_uid=\"[^\"]*\",container=\"[^\"]*\"} [0-9]' '$TMPD/textfile/top-cgroup.prom'); [ \$n -ge 1 ] && [ \$n -le 3 ]"
"$SOCKMEM" top --by process -n 2 --format prometheus > "$TMPD/top-process.prom" 2> /dev/null
check "top by process: at most -n series with pid and comm" sh -c \
	"n=\$(grep -c '^sockmem_top_process_charged_bytes{pid=\"[0-9]*\",comm=\"' '$TMPD/top-process.prom'); [ \$n -le 2 ]"
if command -v promtool > /dev/null; then
	check "promtool check metrics: top by cgroup and by process" sh -c \
		"promtool check metrics < '$TMPD/textfile/top-cgroup.prom' && promtool check metrics < '$TMPD/top-process.prom'"
fi
"$SOCKMEM" top --by socket --format prometheus > /dev/null 2>&1
check "top --by socket --format prometheus: usage error (unbounded labels)" [ $? -eq 64 ]
rm -f "$TMPD/textfile/top-cgroup.prom"
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
