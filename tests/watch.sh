#!/bin/bash
# watch.sh - monitoring the live system: NDJSON lines parse, carry increasing
# timestamps and rates equal to counter differences over time, and every key
# is documented in sockmem-json(5); the live Prometheus exposition parses and
# passes promtool, the textfile is written atomically with watch's own
# metrics, top's series by cgroup and process are bounded, check speaks the
# plugin protocol on the live host; the terminal view renders under tmux, and
# ends cleanly.  (prometheus.sh checks the exposition's numbers offline.)
# SPDX-License-Identifier: GPL-2.0-or-later
. "$(dirname "$0")/lib.sh"

command -v jq >/dev/null || skip_all "jq not installed"
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3)
lock_live_shared

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
# every key of watch's documents is in sockmem-json(5) (manlint.sh checks
# those of the other commands on the fixture trees)
jq -r '[paths | select(index("evidence") | not) | .[-1] | select(type == "string")] | unique | .[]' \
	"$TMPD/w.ndjson" | grep -v '^[A-Z]' | sort -u > "$TMPD/keys"
missing=""
while read -r k; do
	grep -q -- "$(printf '%s' "$k" | sed 's/-/\\\\-/g')" "${BUILDDIR:-$SRCDIR}/man/sockmem-json.5" || missing="$missing $k"
done < "$TMPD/keys"
check "every JSON key of watch documented in sockmem-json.5" [ -z "$missing" ]
[ -z "$missing" ] || diag "undocumented:$missing"

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

# --- Prometheus: the live exposition parses (tests/prometheus.sh compares
# its numbers with the JSON's on a fixture tree)
"$SOCKMEM" show --format prometheus > "$TMPD/live.prom"
if [ -x "$PY" ] && "$PY" -c 'import prometheus_client.parser' 2>/dev/null; then
	check "live exposition parses" "$PY" -c "
import sys
from prometheus_client.parser import text_string_to_metric_families
list(text_string_to_metric_families(open('$TMPD/live.prom').read()))"
else
	skip "live exposition parses: python3-prometheus-client not installed"
fi
check "live exposition: every family has HELP and TYPE" sh -c "[ \$(grep -c '^# HELP' '$TMPD/live.prom') -eq \$(grep -c '^# TYPE' '$TMPD/live.prom') ]"
check "live exposition: metric names carry units" sh -c "! grep -v '^#' '$TMPD/live.prom' | grep -v '^sockmem_sockets_limit' | grep -E '^sockmem_[a-z_]+(usage|limit|headroom)[ {]'"
mkdir -p "$TMPD/textfile"
"$SOCKMEM" watch --interval 0.1 --count 3 --format prometheus --output "$TMPD/textfile/sockmem.prom"
check "textfile written" [ -s "$TMPD/textfile/sockmem.prom" ]
check "textfile: no temporary file left" [ "$(ls "$TMPD/textfile" | wc -l)" -eq 1 ]
check "textfile: the third sample's self-metrics" grep -qx 'sockmem_samples_total 3' "$TMPD/textfile/sockmem.prom"
if command -v promtool > /dev/null; then
	check "promtool check metrics: the live exposition and watch's textfile" sh -c \
		"promtool check metrics < '$TMPD/live.prom' && promtool check metrics < '$TMPD/textfile/sockmem.prom'"
else
	skip "promtool check metrics: promtool (Debian's prometheus) not installed"
fi
# the largest holders by cgroup and by process, bounded by -n (live: the
# names come from /proc and the cgroup hierarchy)
"$SOCKMEM" top --by cgroup -n 3 --format prometheus --output "$TMPD/top-cgroup.prom" 2> "$TMPD/err"
rc=$?
check "top --by cgroup --format prometheus --output: exit 0 or 3" [ $rc -eq 0 -o $rc -eq 3 ]
check "top by cgroup: at most -n series, each with cgroup, pod_uid and container" sh -c \
	"n=\$(grep -c '^sockmem_top_cgroup_charged_bytes{cgroup=\"[^\"]*\",pod_uid=\"[^\"]*\",container=\"[^\"]*\"} [0-9]' '$TMPD/top-cgroup.prom'); [ \$n -ge 1 ] && [ \$n -le 3 ]"
"$SOCKMEM" top --by process -n 2 --format prometheus > "$TMPD/top-process.prom" 2> /dev/null
check "top by process: at most -n series with pid and comm" sh -c \
	"n=\$(grep -c '^sockmem_top_process_charged_bytes{pid=\"[0-9]*\",comm=\"' '$TMPD/top-process.prom'); [ \$n -le 2 ]"
if command -v promtool > /dev/null; then
	check "promtool check metrics: top by cgroup and by process" sh -c \
		"promtool check metrics < '$TMPD/top-cgroup.prom' && promtool check metrics < '$TMPD/top-process.prom'"
fi
# sockmem check on the live host: whatever its state, the plugin protocol
"$SOCKMEM" check --condition=tcp-pressure > "$TMPD/check" 2> /dev/null
rc=$?
check "check on the live host: exit 0, 1 or 2 with one line ($(cat "$TMPD/check"))" \
	sh -c "[ $rc -le 2 ] && [ \$(wc -l < '$TMPD/check') -eq 1 ]"

# --- the CPU budget: the per-socket pass at the first sample, then every N
# (--sockets-every) or as the budget allows; a sample without it says so and
# reports its own cost; the exposition keeps the last pass's series
"$SOCKMEM" --json watch --count 4 --interval 0.1 --sockets-every 2 > "$TMPD/every.ndjson" 2> "$TMPD/every.err"
check "--sockets-every 2: exit 0, 4 lines" sh -c "[ $? -eq 0 ] && [ \$(wc -l < '$TMPD/every.ndjson') -eq 4 ]"
check "--sockets-every 2: the pass at samples 1 and 3, sockets null at 2 and 4" \
	jq -s -e '[.[] | [.collect.per_socket_pass, (.sockets | type)]] ==
		[[true, "object"], [false, "null"], [true, "object"], [false, "null"]]' "$TMPD/every.ndjson"
check "--sockets-every 2: a sample without the pass says why and which pass it shows" \
	jq -s -e '.[1].sockets_unavailable_reason | test("--sockets-every.*sample 1")' "$TMPD/every.ndjson"
check "--sockets-every 2: collect names the view's sample, the cadence, no budget share" \
	jq -s -e '[.[].collect | [.per_socket_view_sample, .per_socket_every_samples, .cpu_budget_share]] ==
		[[1, 2, null], [1, 2, null], [3, 2, null], [3, 2, null]]' "$TMPD/every.ndjson"
check "--sockets-every 2: sockets walked only with the pass" \
	jq -s -e '[.[].collect | (.sockets_walked > 0) == .per_socket_pass] | all' "$TMPD/every.ndjson"
"$SOCKMEM" --json watch --count 2 --interval 0.1 > "$TMPD/budget.ndjson" 2>/dev/null
check "default cadence: the pass at the first sample, a budget of 10% of one CPU, its cost measured" \
	jq -s -e '.[0].collect.per_socket_pass and (.[] | .collect.cpu_budget_share == 0.1 and
		.collect.seconds >= 0 and .collect.cpu_seconds >= 0 and .collect.cpu_share >= 0)' "$TMPD/budget.ndjson"
"$SOCKMEM" watch --sockets-every 0 > /dev/null 2>&1
check "--sockets-every 0: usage error (exit 64)" [ $? -eq 64 ]
"$SOCKMEM" watch --format prometheus --output "$TMPD/every.prom" --count 2 --interval 0.1 --sockets-every 5 \
	2> "$TMPD/everyprom.err"
check "exposition between passes: the last pass's per-socket series are kept" \
	sh -c "grep -q '^sockmem_dump_complete{protocol=\"tcp\"} 1' '$TMPD/every.prom' &&
		grep -q '^sockmem_socket_charged_bytes{protocol=\"tcp\"}' '$TMPD/every.prom' &&
		grep -q '^sockmem_samples_total 2' '$TMPD/every.prom'"

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
