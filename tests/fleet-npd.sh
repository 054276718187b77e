#!/bin/bash
# fleet-npd.sh - sockmem check obeys node-problem-detector's custom plugin
# protocol in every state: exactly one line of at most 80 bytes on stdout,
# exit 0 (OK), 1 (the problem) or 2 (unknown) and nothing else - normal,
# elevated, pressure (hysteresis), over max, UDP limited, a container's
# namespace, partial reports with and without a crit, no sockstat, usage
# errors; TCPAbortOnMemory's state file across runs; the rules of
# contrib/node-problem-detector run as configured; the findings as series.
# SPDX-License-Identifier: GPL-2.0-or-later
. "$(dirname "$0")/lib.sh"

T=$SRCDIR/tests/trees
N=$SRCDIR/contrib/node-problem-detector

# protocol NAME WANT_EXIT ARGS...: the exit status and the one short line
protocol() {
	local name=$1 want=$2 rc lines bytes
	shift 2
	"$SOCKMEM" "$@" > "$TMPD/out" 2> "$TMPD/err"
	rc=$?
	lines=$(wc -l < "$TMPD/out")
	bytes=$(head -1 "$TMPD/out" | tr -d '\n' | wc -c)
	if [ "$rc" = "$want" ] && [ "$lines" -eq 1 ] && [ "$bytes" -le 80 ] && [ "$bytes" -gt 0 ]; then
		ok "$name: exit $rc, one line of $bytes bytes: $(cat "$TMPD/out")"
	else
		not_ok "$name: exit $rc (want $want), $lines lines, $bytes bytes"
		diag "$(cat "$TMPD/out" "$TMPD/err")"
	fi
}

#               tree                     findings pressure over-limit
while read -r tree f p o; do
	protocol "$tree findings" "$f" --root "$T/$tree" check
	protocol "$tree tcp-pressure" "$p" --root "$T/$tree" check --condition=tcp-pressure
	protocol "$tree tcp-over-limit" "$o" --root "$T/$tree" check --condition=tcp-over-limit
done <<'EOF2'
linux-6.18-loaded         0 0 0
linux-6.18-idle           0 0 0
tcp-elevated-near         0 0 0
tcp-pressure-hysteresis   0 1 0
tcp-over-limit            1 0 1
udp-limited               0 0 0
arm64-64k-6.1             1 1 0
container-netns           2 2 2
EOF2
protocol "warn findings fail with --fail-on warn" 1 --root "$T/udp-limited" check --fail-on warn

# partial reports: a crit still fails, no crit cannot tell
mkdir -p "$TMPD/p1" "$TMPD/p2" "$TMPD/p3"
cp -r "$T/tcp-over-limit/." "$TMPD/p1/"; rm -f "$TMPD/p1/proc/net/snmp"
cp -r "$T/linux-6.18-loaded/." "$TMPD/p2/"; rm -f "$TMPD/p2/proc/net/snmp"
"$SOCKMEM" --root "$TMPD/p1" show > /dev/null 2>&1
check "the over-limit tree without snmp is a partial report (show exits 3)" [ $? -eq 3 ]
protocol "partial report with a crit" 1 --root "$TMPD/p1" check
protocol "partial report with over max" 1 --root "$TMPD/p1" check --condition=tcp-over-limit
protocol "partial report without a crit: unknown" 2 --root "$TMPD/p2" check
protocol "partial report, TCP normal: the condition can tell" 0 --root "$TMPD/p2" check --condition=tcp-pressure
cp -r "$T/linux-6.18-loaded/." "$TMPD/p3/"; rm -f "$TMPD/p3/proc/net/sockstat"
protocol "no sockstat" 2 --root "$TMPD/p3" check
protocol "no such root" 2 --root "$TMPD/none" check --condition=tcp-pressure

# usage errors are unknown (2), not 64; argp says why on stderr (NPD logs it)
usage() { # NAME ARGS...
	local name=$1
	shift
	"$SOCKMEM" "$@" > "$TMPD/out" 2> "$TMPD/err"
	rc=$?
	if [ $rc -eq 2 ] && [ ! -s "$TMPD/out" ] && [ -s "$TMPD/err" ]; then
		ok "usage error, $name: exit 2 ($(head -1 "$TMPD/err"))"
	else
		not_ok "usage error, $name: exit $rc"; diag "$(cat "$TMPD/out" "$TMPD/err")"
	fi
}
usage "an unknown option" check --bogus
usage "an unknown condition" check --condition=nope
usage "--json" check --json
usage "tcp-abort-on-memory without --state-file" check --condition=tcp-abort-on-memory
usage "--format prometheus without --output" check --format prometheus

# TCPAbortOnMemory across runs
A=$TMPD/abort
mkdir -p "$A"; cp -r "$T/tcp-over-limit/." "$A/"; chmod -R u+w "$A"
S=$TMPD/state/npd-abort
mkdir -p "$TMPD/state"
protocol "aborts: first check stores the counter" 0 --root "$A" check --condition=tcp-abort-on-memory --state-file="$S"
check "aborts: state file written" grep -qx 'TCPAbortOnMemory 48' "$S"
protocol "aborts: none new" 0 --root "$A" check --condition=tcp-abort-on-memory --state-file="$S"
awk '$1 == "TcpExt:" && n++ { for (i = 2; i <= NF; i++) if (h[i] == "TCPAbortOnMemory") $i = 60 }
     $1 == "TcpExt:" && !m++ { for (i = 2; i <= NF; i++) h[i] = $i } { print }' \
	"$A/proc/net/netstat" > "$A/netstat.new" && mv "$A/netstat.new" "$A/proc/net/netstat"
protocol "aborts: +12 is a problem" 1 --root "$A" check --condition=tcp-abort-on-memory --state-file="$S"
protocol "aborts: then none new again" 0 --root "$A" check --condition=tcp-abort-on-memory --state-file="$S"
protocol "aborts: an unwritable state file is unknown" 2 --root "$A" check --condition=tcp-abort-on-memory --state-file="$TMPD/gone/x"

# the rules of the shipped config, run as NPD runs them (against a tree)
if command -v jq > /dev/null; then
	jq -r '.rules[] | [.reason] + .args | @tsv' "$N/sockmem-plugin-monitor.json" > "$TMPD/rules"
	while IFS=$'\t' read -r reason cmd args; do
		# shellcheck disable=SC2086
		set -- $args
		for a in "$@"; do case $a in --state-file=*) mkdir -p "$TMPD/npd" ;; esac; done
		set -- $(printf '%s\n' "$@" | sed "s|^--state-file=.*|--state-file=$TMPD/npd/state|")
		protocol "NPD rule $reason on an over-limit host" \
			"$(case $reason in TCPMemoryOverLimit) echo 1 ;; *) echo 0 ;; esac)" \
			--root "$T/tcp-over-limit" "$cmd" "$@"
	done < "$TMPD/rules"
else
	skip "NPD rules: jq not installed"
fi

# the live host: whatever its state, the protocol holds
"$SOCKMEM" check --condition=tcp-pressure > "$TMPD/live" 2> /dev/null
rc=$?
check "live: exit 0, 1 or 2 with one line ($(cat "$TMPD/live"))" sh -c "[ $rc -le 2 ] && [ \$(wc -l < '$TMPD/live') -eq 1 ]"

# the findings as series: beside watch's file, none of its families
"$SOCKMEM" --root "$T/tcp-over-limit" check --format prometheus --output "$TMPD/findings.prom"
check "findings file: exit 0 once written" [ $? -eq 0 ]
check "findings file: sockmem_finding for tcp-max (crit, host)" \
	grep -qx 'sockmem_finding{id="tcp-max",severity="crit",scope="host",subject=""} 1' "$TMPD/findings.prom"
check "findings file: counts per severity, 0 included" sh -c \
	"grep -qx 'sockmem_findings{severity=\"crit\"} 1' '$TMPD/findings.prom' && \"$SOCKMEM\" --root '$T/linux-6.18-idle' check --format prometheus --output '$TMPD/none.prom' && grep -qx 'sockmem_findings{severity=\"crit\"} 0' '$TMPD/none.prom'"
"$SOCKMEM" --root "$T/tcp-over-limit" show --format prometheus > "$TMPD/show.prom"
check "findings file: no family of show's" bash -c \
	"! comm -12 <(grep '^# TYPE' '$TMPD/findings.prom' | cut -d' ' -f3 | sort) <(grep '^# TYPE' '$TMPD/show.prom' | cut -d' ' -f3 | sort) | grep -q ."
if command -v promtool > /dev/null; then
	check "findings file: promtool check metrics" sh -c "promtool check metrics < '$TMPD/findings.prom'"
fi
done_testing
