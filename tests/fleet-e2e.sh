#!/bin/bash
# fleet-e2e.sh - the mixin's alerts end to end with the real components from
# Debian's packages: sockmem writes its exposition into a textfile directory,
# prometheus-node-exporter (--collector.textfile.directory) serves it, and a
# prometheus server scrapes that on loopback every second and evaluates the
# mixin's rules (rendered from its jsonnet with short windows and "for"s: the
# expressions are the committed ones, the durations are test-sized).  A
# scripted --root tree walks the host through normal -> rising -> pressure ->
# over max -> drained -> an unreadable input -> a stale textfile -> no
# textfile, with advise's findings (sockmem check --format prometheus) in a
# second file beside show's; after each step the alerts that must fire fire and the ones that
# must not do not, as Prometheus' HTTP API reports them.  The dashboard's
# queries and the recording rules are run against the same server.  Both
# servers listen on 127.0.0.1 only and are stopped on every exit path.
# SPDX-License-Identifier: GPL-2.0-or-later
. "$(dirname "$0")/lib.sh"

PROMETHEUS=${PROMETHEUS:-prometheus}
NODE_EXPORTER=${NODE_EXPORTER:-prometheus-node-exporter}
for t in "$PROMETHEUS" "$NODE_EXPORTER" jsonnet curl jq; do
	command -v "$t" > /dev/null || skip_all "$t not installed (Debian: prometheus, prometheus-node-exporter, jsonnet, curl, jq)"
done

M=$SRCDIR/contrib/mixin
PIDS=
stop_servers() {
	local p
	for p in $PIDS; do
		kill "$p" 2> /dev/null
	done
	for p in $PIDS; do
		wait "$p" 2> /dev/null
	done
	PIDS=
}
trap 'stop_servers; cleanup_tmp' EXIT
trap 'exit 130' INT TERM

# A free loopback port: bind to port 0 and let the kernel choose.
free_port() {
	local py
	py=$(command -v python3) || { echo $((20000 + RANDOM % 20000)); return; }
	"$py" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start=$(date +%s)
TEXT=$TMPD/textfile
TREE=$TMPD/tree
mkdir -p "$TEXT" "$TMPD/data" "$TMPD/rules"
cp -r "$SRCDIR/tests/trees/linux-6.18-loaded/." "$TREE/"
chmod -R u+w "$TREE"

# --- the rules: the mixin with test-sized windows and durations
if ! jsonnet -S -J "$M" -m "$TMPD/rules" - > /dev/null 2> "$TMPD/err" <<'EOF'
local mixin = (import 'mixin.libsonnet') + { _config+:: {
  sockmemSelector: 'job="node"',
  tcpPredictWindow: '15s', tcpPressureEpisodesWindow: '20s', rateWindow: '15s',
  textfileStaleSeconds: 10,
  forPressure: '3s', forOverLimit: '3s', forPredict: '3s', forUDP: '3s', forOrphans: '3s',
  forStale: '3s', forFailing: '3s', forFinding: '3s',
} };
{
  'alerts.yaml': std.manifestYamlDoc(mixin.prometheusAlerts, quote_keys=false),
  'rules.yaml': std.manifestYamlDoc(mixin.prometheusRules, quote_keys=false),
  'dashboard.json': std.manifestJson(mixin.grafanaDashboards['sockmem-overview.json']),
}
EOF
then
	not_ok "the mixin renders with the test config"; diag "$(cat "$TMPD/err")"; done_testing
fi
check "promtool accepts the test-sized rules" promtool check rules "$TMPD/rules/alerts.yaml" "$TMPD/rules/rules.yaml"
ALL=$(grep -o 'alert: "[A-Za-z]*"' "$TMPD/rules/alerts.yaml" | cut -d'"' -f2 | sort)
check "the test-sized rules have the committed alerts" \
	[ "$ALL" = "$(grep -o 'alert: "[A-Za-z]*"' "$M/prometheus_alerts.yaml" | cut -d'"' -f2 | sort)" ]
[ -n "$ALL" ] || { not_ok "no alert in the rendered rules"; done_testing; }

# --- the servers
NE_PORT=$(free_port)
PROM_PORT=$(free_port)
"$NODE_EXPORTER" --web.listen-address="127.0.0.1:$NE_PORT" --collector.disable-defaults \
	--collector.textfile --collector.textfile.directory="$TEXT" > "$TMPD/node_exporter.log" 2>&1 &
PIDS="$PIDS $!"
cat > "$TMPD/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files: ["$TMPD/rules/alerts.yaml", "$TMPD/rules/rules.yaml"]
scrape_configs:
  - job_name: node
    static_configs: [{ targets: ["127.0.0.1:$NE_PORT"] }]
EOF
"$PROMETHEUS" --config.file="$TMPD/prometheus.yml" --storage.tsdb.path="$TMPD/data" \
	--web.listen-address="127.0.0.1:$PROM_PORT" --log.level=warn > "$TMPD/prometheus.log" 2>&1 &
PIDS="$PIDS $!"
API=http://127.0.0.1:$PROM_PORT/api/v1
up=no
for i in $(seq 100); do
	if curl -sf "http://127.0.0.1:$PROM_PORT/-/ready" > /dev/null &&
	   curl -sf "http://127.0.0.1:$NE_PORT/metrics" > /dev/null; then
		up=yes; break
	fi
	sleep 0.2
done
if [ $up != yes ]; then
	not_ok "prometheus and node_exporter start on loopback"
	diag "$(tail -5 "$TMPD/prometheus.log" "$TMPD/node_exporter.log")"
	done_testing
fi
ok "prometheus (127.0.0.1:$PROM_PORT) and node_exporter (127.0.0.1:$NE_PORT) are up"

query() { # PROMQL -> the API's JSON
	curl -sf --get --data-urlencode "query=$1" "$API/query"
}
firing() { # the names of the firing alerts, one a line, sorted
	curl -sf "$API/alerts" | jq -r '.data.alerts[] | select(.state == "firing") | .labels.alertname' | sort -u
}

# --- the scripted host
# counter GROUP NAME VALUE FILE: sets one counter of a netstat/snmp file
counter() {
	awk -v g="$1:" -v n="$2" -v v="$3" '
		$1 == g && !seen[g]++ { for (i = 2; i <= NF; i++) if ($i == n) c = i; print; next }
		$1 == g && c { $c = v } { print }' "$4" > "$4.new" && mv "$4.new" "$4"
}
# host TCP_PAGES PRESS UDP_PAGES ORPHANS: sockstat and the kernel's flag
host() {
	sed -i "s/^TCP: .*/TCP: inuse 18 orphan $4 tw 0 alloc 18 mem $1/; s/^UDP: .*/UDP: inuse 3 mem $3/" \
		"$TREE/proc/net/sockstat"
	sed -i -E "s/^(TCP +[0-9]+ +[0-9]+ +)[0-9]+ +(yes|no)/\1$1   $2/; s/^(MPTCP +[0-9]+ +[0-9]+ +)[0-9]+ +(yes|no)/\1$1   $2/" \
		"$TREE/proc/net/protocols"
}
echo "2000 3000 4000" > "$TREE/proc/sys/net/ipv4/tcp_mem"
echo "1000 2000 3000" > "$TREE/proc/sys/net/ipv4/udp_mem"
pressures=0 aborts=0 udperr=0
write() {
	counter TcpExt TCPMemoryPressures $pressures "$TREE/proc/net/netstat"
	counter TcpExt TCPAbortOnMemory $aborts "$TREE/proc/net/netstat"
	[ -f "$TREE/proc/net/snmp" ] && counter Udp RcvbufErrors $udperr "$TREE/proc/net/snmp"
	"$SOCKMEM" --root "$TREE" show --format prometheus --output "$TEXT/sockmem.prom" 2>> "$TMPD/sockmem.err"
	# advise's findings in a file of their own beside it (sockmem-findings.timer)
	"$SOCKMEM" --root "$TREE" check --format prometheus --output "$TEXT/sockmem-findings.prom" 2>> "$TMPD/sockmem.err"
}

# phase NAME "MUST FIRE" "MUST NOT FIRE" MAX_SECONDS STEP: runs STEP (which
# moves the host and writes the textfile) every second until the alerts are
# as required, or the time is up.
phase() {
	local name=$1 must=$2 mustnot=$3 max=$4 step=$5 t0 now f a bad
	t0=$(date +%s)
	while :; do
		$step
		sleep 1
		f=$(firing)
		bad=
		for a in $must; do
			grep -qx "$a" <<< "$f" || bad="$bad missing:$a"
		done
		for a in $mustnot; do
			grep -qx "$a" <<< "$f" && bad="$bad unexpected:$a"
		done
		now=$(date +%s)
		if [ -z "$bad" ]; then
			ok "$name: firing {$(echo $must)} and none of {$(echo $mustnot)} after $((now - t0)) s"
			return 0
		fi
		if [ $((now - t0)) -ge "$max" ]; then
			not_ok "$name: after $max s:$bad"
			diag "firing: $(echo $f)"
			return 1
		fi
	done
}
others() { # ALL minus the arguments
	local a x keep
	for a in $ALL; do
		keep=1
		for x in "$@"; do [ "$a" = "$x" ] && keep=0; done
		[ $keep = 1 ] && echo "$a"
	done
}

# --- 0. the real sockmem watch into the textfile directory (the live
# system: not while oracle.sh lowers the host's tcp_mem)
lock_live_shared
"$SOCKMEM" watch --interval 1 --format prometheus --output "$TEXT/sockmem.prom" 2> "$TMPD/watch.err" &
WATCH=$!
PIDS="$PIDS $WATCH"
got=
for i in $(seq 30); do
	sleep 1
	got=$(query 'sockmem_samples_total{job="node"}' | jq -r '.data.result[0].value[1] // empty')
	[ -n "$got" ] && [ "$got" -ge 2 ] && break
done
kill "$WATCH" 2> /dev/null
wait "$WATCH"
rc=$?
PIDS=$(for p in $PIDS; do [ "$p" != "$WATCH" ] && echo "$p"; done)
exec 9>&-	# the rest reads only the scripted tree
check "live: sockmem watch's samples reach Prometheus through node_exporter (sockmem_samples_total $got)" [ -n "$got" ]
check "live: watch ends with 0 on SIGTERM" [ $rc -eq 0 ]

# --- 1. normal: 500 pages, flat
step_normal() { host 500 no 0 0; write; }
phase "normal" "" "$ALL" 60 step_normal

# --- 2. rising: from half of tcp_mem[1] towards it, 60 pages a second
tcp=1600
step_rising() { host $tcp no 0 0; tcp=$((tcp + 60)); write; }
phase "rising" "SockmemTCPMemoryPressurePredicted" \
	"$(others SockmemTCPMemoryPressurePredicted SockmemTCPMemoryPressureEpisodes)" 60 step_rising

# --- 3. pressure: above tcp_mem[1], the kernel's flag set, entering it again and again
step_pressure() { host 3100 yes 0 0; pressures=$((pressures + 1)); write; }
# (advise's tcp-pressure finding is crit: SockmemCriticalFinding too)
phase "pressure" "SockmemTCPMemoryPressure SockmemTCPMemoryPressureEpisodes SockmemCriticalFinding" \
	"$(others SockmemTCPMemoryPressure SockmemTCPMemoryPressureEpisodes SockmemCriticalFinding)" 60 step_pressure

# --- 4. over max: TCP above tcp_mem[2] and resetting, UDP above udp_mem[0]
# and dropping, orphans at 30% of tcp_max_orphans
step_over() { host 4500 yes 1500 40000; aborts=$((aborts + 3)); udperr=$((udperr + 50)); write; }
phase "over max" "SockmemTCPMemoryPressure SockmemTCPMemoryOverLimit SockmemTCPAbortOnMemory SockmemUDPMemoryLimited SockmemTCPOrphansNearLimit SockmemCriticalFinding" \
	"SockmemTCPMemoryPressurePredicted SockmemCollectionFailing SockmemTextfileStale SockmemMetricsMissing" 60 step_over
r=$(query 'instance_protocol_threshold:sockmem_usage_bytes:ratio_limit{protocol="tcp",threshold="max"}' | jq -r '.data.result[0].value[1]')
check "recording rule: TCP usage / tcp_mem[2] = 4500/4000 ($r)" [ "$r" = "1.125" ]
# every dashboard query runs on the real server and, but for watch's own
# series, returns data
bad=
n=0
while IFS= read -r e; do
	n=$((n + 1))
	q=$(sed 's/\$instance/.+/g; s/\$__rate_interval/15s/g' <<< "$e")
	res=$(query "$q") || { bad="$bad [error: $q]"; continue; }
	case $q in *sockmem_top_*) continue ;; esac	# watch's and top's: live only
	[ "$(jq '.data.result | length' <<< "$res")" -gt 0 ] || bad="$bad [empty: $q]"
done < <(jq -r '.panels[].targets[]?.expr' "$TMPD/rules/dashboard.json")
if [ -z "$bad" ]; then ok "the dashboard's $n queries run and return data"; else not_ok "dashboard queries:$bad"; fi

# --- 5. drained: back to 300 pages, the flag clear, the counters still
step_drained() { host 300 no 0 0; write; }
phase "drained: every alert resolves" "" "$ALL" 60 step_drained

# --- 6. an input that cannot be read: a partial report
rm "$TREE/proc/net/snmp"
phase "unreadable input" "SockmemCollectionFailing" "$(others SockmemCollectionFailing)" 60 step_drained

# --- 7. the textfile is no longer written
step_none() { :; }
phase "stale textfile" "SockmemTextfileStale" "$(others SockmemTextfileStale SockmemCollectionFailing SockmemCriticalFinding)" 60 step_none

# --- 8. and then is gone
rm -f "$TEXT/sockmem.prom" "$TEXT/sockmem-findings.prom"
phase "no textfile" "SockmemMetricsMissing" "$(others SockmemMetricsMissing SockmemCollectionFailing SockmemCriticalFinding)" 60 step_none

check "node_exporter read every file sockmem wrote (no textfile errors)" \
	sh -c "! grep -qi 'error' '$TMPD/node_exporter.log'"
diag "end to end in $(( $(date +%s) - start )) s"
done_testing
