#!/bin/bash
# trace.sh - sockmem trace on the live kernel, in a private network namespace
# (never a host sysctl): a UDP socket with a tiny SO_RCVBUF flooded over
# loopback; trace attributes the SOCKET_RCVBUFF drops to that socket, its
# process, port and cgroup, and its count equals the socket's own drop count
# (sock_diag) and the namespace's Udp RcvbufErrors delta, both read here
# independently.  A memory cgroup too small for a socket's receive charges
# (cgroup v1 kmem.tcp, made under the test's own and removed) gives refusals
# with their cause and socket.  Line mode names the process per event; --protocol and the
# namespace filter leave the flood out; every exit path (SIGINT, SIGTERM, a
# closed pipe, --duration, --count) leaves none of its programs loaded
# (bpftool prog list), and so does a bpf() call failing at any point
# (strace --inject), which trace says and reports the counters alone.
# Without BPF: the counters alone, exit 3, and why.
# SPDX-License-Identifier: GPL-2.0-or-later
. "$(dirname "$0")/lib.sh"

command -v jq >/dev/null || skip_all "jq not installed"
FILL=${BUILDDIR:-$SRCDIR}/tests/helpers/sockfill
[ -x "$FILL" ] || skip_all "tests/helpers/sockfill not built"
in_private_netns shared "$@"
pids=()
cleanup() {
	local p
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	[ -n "${FILL_PID:-}" ] && kill "$FILL_PID" 2>/dev/null
	[ -n "${MEMCG_FILL:-}" ] && kill "$MEMCG_FILL" 2>/dev/null
	wait 2>/dev/null
	[ -n "${MCG:-}" ] && [ -d "$MCG" ] && rmdir "$MCG" 2>/dev/null
	rm -rf "$TMPD"
}
trap cleanup EXIT

# all DESC CMD [&& CMD]...: one test point from a list of tests (a string)
all() {
	_d=$1; shift
	if eval "$*" >/dev/null 2>&1; then ok "$_d"; else not_ok "$_d"; fi
}

rcvbuf_errors() { awk '$1 == "Udp:" && !h { for (i = 2; i <= NF; i++) if ($i == "RcvbufErrors") k = i; h = 1; next }
		       $1 == "Udp:" && h { print $k }' /proc/net/snmp; }

# wait_for FILE REGEX: until a line of FILE matches (10 s at most)
wait_for() {
	local i
	for i in $(seq 100); do
		grep -q -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# Can trace load its programs here?  Without, the fallback is what to test.
"$SOCKMEM" trace --json --duration 0.3s > "$TMPD/probe.json" 2> "$TMPD/probe.err"
probe_rc=$?
level=$(jq -r 'select(.type == "start") | .attribution.level' "$TMPD/probe.json" 2>/dev/null)
if [ "$level" = counters ] || [ "$level" = counts ]; then
	check "without BPF: exit 3" [ "$probe_rc" -eq 3 ]
	check "without BPF: stderr says what is missing ($level)" grep -q "sockmem: trace: .*\(only the kernel's counters\|counted through perf_event_open\)" "$TMPD/probe.err"
	check "without BPF: the summary has the counters' deltas (and the counts with level counts)" \
		jq -e --arg l "$level" 'select(.type == "summary") | (.events == null) == ($l == "counters") and .top == null and (.counters.list | map(select(.name == "RcvbufErrors" and .delta != null)) | length) == 1' "$TMPD/probe.json"
	skip "attribution, agreement with sock_diag and RcvbufErrors, exit paths: $(jq -r 'select(.type == "start") | .attribution.reason' "$TMPD/probe.json")"
	done_testing
fi
all "trace starts with BPF (level process)" '[ "$level" = process ] && [ "$probe_rc" -eq 0 ]'

# The flood's receiver: one UDP socket of sockfill with the smallest rcvbuf.
coproc FILLER { exec "$FILL" -u 1 -s 200 -R 1; }
FILL_PID=$FILLER_PID
read -r -t 10 ready _ <&"${FILLER[0]}"
check "sockfill ready" [ "$ready" = ready ]
"$SOCKMEM" top --json --by socket > "$TMPD/top0.json"
port=$(jq -r '.top[] | select(.protocol == "udp") | .local | sub(".*:"; "")' "$TMPD/top0.json")
inode=$(jq -r '.top[] | select(.protocol == "udp") | .inode' "$TMPD/top0.json")
cgroup=$(awk -F: '$1 == "0" { print $3 }' "/proc/$FILL_PID/cgroup")
all "the receiver's port and inode known ($port, $inode)" '[ -n "$port" ] && [ -n "$inode" ]'

# 1. --summary over a flood: attribution and agreement
"$SOCKMEM" trace --summary --json > "$TMPD/sum.json" 2> "$TMPD/sum.err" &
tpid=$!; pids+=("$tpid")
wait_for "$TMPD/sum.json" '"type":"start"'
rb0=$(rcvbuf_errors)
echo "udp 20000" >&"${FILLER[1]}"
read -r -t 60 _ _ sent <&"${FILLER[0]}"
sleep 0.3	# the loopback's softirq has delivered (or dropped) everything
rb1=$(rcvbuf_errors)
kill -INT "$tpid"; wait "$tpid"; trc=$?
"$SOCKMEM" top --json --by socket > "$TMPD/top1.json"
diag_drops=$(jq -r --arg p "127.0.0.1:$port" '.top[] | select(.local == $p) | .drops' "$TMPD/top1.json")
S=$(jq -c 'select(.type == "summary")' "$TMPD/sum.json")
n=$(jq -r '.events.by_event["drop-SOCKET_RCVBUFF"]' <<< "$S")
all "trace --summary: exit 0, ended by sigint" '[ "$trc" -eq 0 ] && [ "$(jq -r .end_reason <<< "$S")" = sigint ]'
all "sent $sent datagrams, $n SOCKET_RCVBUFF drops traced" '[ "$sent" = 20000 ] && [ "$n" -gt 10000 ]'
check "drops traced ($n) = the socket's sock_diag drop count ($diag_drops)" [ "$n" = "$diag_drops" ]
check "drops traced ($n) = Udp RcvbufErrors delta read here ($((rb1 - rb0)))" [ "$n" -eq $((rb1 - rb0)) ]
check "the summary's RcvbufErrors: exact, comparable, agrees" \
	jq -e '.counters.list[] | select(.name == "RcvbufErrors") | .match == "exact" and .comparable and .agrees' <<< "$S"
check "every drop on one socket: 127.0.0.1:$port, inode $inode" \
	jq -e --arg l "127.0.0.1:$port" --argjson i "$inode" --argjson n "$n" \
	'.top.socket.groups == 1 and .top.socket.rows[0].events == $n and .top.socket.rows[0].socket.local == $l and .top.socket.rows[0].socket.inode == $i' <<< "$S"
check "... of process $FILL_PID (sockfill), from its inode" \
	jq -e --argjson p "$FILL_PID" '.top.process.rows[0] | .process.pid == $p and .process.comm == "sockfill" and .attributed == "process"' <<< "$S"
check "... on port $port" jq -e --argjson p "$port" '.top.port.rows[0] | .port == $p and .protocol == "udp"' <<< "$S"
check "... in its cgroup ($cgroup)" jq -e --arg c "$cgroup" '.top.cgroup.rows[0].cgroup.path == $c' <<< "$S"
check "nothing lost, nothing unattributed, level process" \
	jq -e '.lost == {"ring_buffer_full":0,"map_full":0,"no_socket":0,"not_attributed":0,"kernel_missed":0} and .attribution.level == "process"' <<< "$S"
check "the socket's figures: rcvbuf at its minimum, the drop count growing" \
	jq -e '.top.socket.rows[0].socket | .rcvbuf_bytes > 0 and .rcvbuf_bytes <= 4608 and .drops >= 1' <<< "$S"

# the live documents validate against the schema
if python3 -c 'import jsonschema' 2>/dev/null; then
	PY=$(command -v python3) SCHEMA=$SRCDIR/man/sockmem.schema.json schema_list=$TMPD/schema.list
	printf '%s\t%s\tvalid\n' "trace --summary --json (live) validates against the schema" "$TMPD/sum.json" > "$schema_list"
	schema_validate
else
	skip "the schema of the live documents: python3-jsonschema not installed"
fi

# 1b. the same flood with the programs loaded through libbpf (what a kernel
# before 5.17 gets, SOCKMEM_BPF_LOADER=libbpf on this one): the same counts,
# the same socket, and the loader said
SOCKMEM_BPF_LOADER=libbpf "$SOCKMEM" trace --summary --json > "$TMPD/lib.json" 2> "$TMPD/lib.err" &
tpid=$!; pids+=("$tpid")
wait_for "$TMPD/lib.json" '"type":"start"'
rb0=$(rcvbuf_errors)
echo "udp 5000" >&"${FILLER[1]}"
read -r -t 60 _ _ sent <&"${FILLER[0]}"
sleep 0.3
rb1=$(rcvbuf_errors)
kill -INT "$tpid"; wait "$tpid"; trc=$?
L=$(jq -c 'select(.type == "summary")' "$TMPD/lib.json")
n=$(jq -r '.events.by_event["drop-SOCKET_RCVBUFF"]' <<< "$L")
all "libbpf loader: exit $trc, loader $(jq -r .kernel.loader <<< "$L"), level process" \
	'[ "$trc" -eq 0 ] && jq -e ".kernel.loader | test(\"^libbpf v\")" <<< "$L" >/dev/null && [ "$(jq -r .attribution.level <<< "$L")" = process ]'
check "libbpf loader: the drops traced ($n) = Udp RcvbufErrors delta ($((rb1 - rb0))) > 0" \
	[ "$n" -gt 0 -a "$n" -eq $((rb1 - rb0)) ]
check "libbpf loader: every drop on 127.0.0.1:$port, process $FILL_PID, cgroup $cgroup" \
	jq -e --arg l "127.0.0.1:$port" --argjson p "$FILL_PID" --arg c "$cgroup" \
	'.top.socket.groups == 1 and .top.socket.rows[0].socket.local == $l and .top.process.rows[0].process.pid == $p and .top.cgroup.rows[0].cgroup.path == $c' <<< "$L"
check "libbpf loader: the reasons' values from the kernel's BTF, as the probe program has them" \
	jq -e -s '.[0].kernel.drop_reason_values == .[1].kernel.drop_reason_values' \
	<(jq -c 'select(.type == "summary")' "$TMPD/sum.json") <(echo "$L")
check "libbpf loader: said in the text (loaded through libbpf)" \
	sh -c "SOCKMEM_BPF_LOADER=libbpf '$SOCKMEM' trace --duration 0.2s 2>&1 | grep -q '^attribution: process: .*(loaded through libbpf v'"
# a libbpf that cannot be loaded, or lacks a function: --backend bpf fails
# with the library (and the function) named, exit 2; nothing is loaded
mkdir -p "$TMPD/nolib" "$TMPD/emptylib"
printf 'not a library\n' > "$TMPD/nolib/libbpf.so.1"
SOCKMEM_BPF_LOADER=libbpf LD_LIBRARY_PATH=$TMPD/nolib "$SOCKMEM" trace --backend bpf --duration 0.2s > /dev/null 2> "$TMPD/nolib.err"
check "a libbpf that cannot be loaded: named, exit 2" \
	sh -c "[ $? -eq 2 ] && grep -q '^sockmem: trace: SOCKMEM_BPF_LOADER=libbpf; before 5.17 the programs are loaded with libbpf.so.1 (Debian: libbpf1), which could not be loaded ($TMPD/nolib/libbpf.so.1: ' '$TMPD/nolib.err'"
if command -v cc > /dev/null && printf 'int sm_nothing(void) { return 0; }\n' > "$TMPD/n.c" &&
	cc -shared -fPIC -o "$TMPD/emptylib/libbpf.so.1" "$TMPD/n.c" 2> /dev/null; then
	SOCKMEM_BPF_LOADER=libbpf LD_LIBRARY_PATH=$TMPD/emptylib "$SOCKMEM" trace --backend bpf --duration 0.2s > /dev/null 2> "$TMPD/emptylib.err"
	check "a libbpf without its functions: the first one named, exit 2" \
		sh -c "[ $? -eq 2 ] && grep -q '^sockmem: trace: SOCKMEM_BPF_LOADER=libbpf; before 5.17 the programs are loaded with libbpf.so.1, and the one loaded lacks bpf_object__open_skeleton' '$TMPD/emptylib.err'"
else
	skip "a libbpf without its functions: no C compiler to make one"
fi

# 1c. a window that opens and closes in the middle of the flood: the
# counters are read on both sides of each edge, and the events traced lie
# between the inner and the outer deltas (they differ: events came while
# they were read)
echo "udp 400000" >&"${FILLER[1]}"
sleep 0.1
"$SOCKMEM" trace --summary --json --duration 0.3s > "$TMPD/edge.json" 2>/dev/null
read -r -t 120 _ _ sent <&"${FILLER[0]}"
E=$(jq -c 'select(.type == "summary") | .counters.list[] | select(.name == "RcvbufErrors")' "$TMPD/edge.json")
all "a window inside the flood: RcvbufErrors $(jq -r '"\(.delta_min) to \(.delta)"' <<< "$E") at the edges, $(jq -r .events <<< "$E") traced between: agrees" \
	'jq -e "(.delta_min | type) == \"number\" and .delta_min < .delta and .events > 0 and .delta_min <= .events and .events <= .delta and .agrees" <<< "$E" >/dev/null'

# 2. line mode: a line per event with its process, --count ends it
"$SOCKMEM" trace --json --count 5 > "$TMPD/lines.json" 2>/dev/null &
tpid=$!; pids+=("$tpid")
wait_for "$TMPD/lines.json" '"type":"start"'
echo "udp 200" >&"${FILLER[1]}"; read -r -t 60 _ <&"${FILLER[0]}"
wait "$tpid"; trc=$?
nev=$(jq -s 'map(select(.type == "event")) | length' "$TMPD/lines.json")
end=$(jq -r 'select(.type == "summary") | .end_reason' "$TMPD/lines.json")
all "trace --count 5: exit 0, five event lines ($nev), ended by count ($end)" \
	'[ "$trc" -eq 0 ] && [ "$nev" -eq 5 ] && [ "$end" = count ]'
check "each line: drop-SOCKET_RCVBUFF of sockfill ($FILL_PID) on port $port" \
	jq -s -e --argjson p "$FILL_PID" --arg l "127.0.0.1:$port" 'map(select(.type == "event")) | all(.event == "drop-SOCKET_RCVBUFF" and .process.pid == $p and .socket.local == $l and .memory.limit_bytes[2] > 0)' "$TMPD/lines.json"
"$SOCKMEM" trace --count 2 > "$TMPD/lines.txt" 2>/dev/null &
tpid=$!; pids+=("$tpid")
wait_for "$TMPD/lines.txt" '^TIME'
echo "udp 50" >&"${FILLER[1]}"; read -r -t 60 _ <&"${FILLER[0]}"
wait "$tpid"
[ -n "${schema_list:-}" ] && {
	printf '%s\t%s\tvalid\n' "trace --json (live lines) validates against the schema" "$TMPD/lines.json" > "$schema_list"
	schema_validate
}
check "text line: the event, the socket and 'pid $FILL_PID sockfill'" \
	grep -q "drop-SOCKET_RCVBUFF .*127.0.0.1:$port .*pid $FILL_PID sockfill" "$TMPD/lines.txt"

# 3. the filters: --protocol tcp and another namespace see none of it
"$SOCKMEM" trace --summary --json --protocol tcp > "$TMPD/tcp.json" 2>/dev/null &
tpid=$!; pids+=("$tpid")
wait_for "$TMPD/tcp.json" '"type":"start"'
echo "udp 500" >&"${FILLER[1]}"; read -r -t 60 _ <&"${FILLER[0]}"
sleep 0.2; kill -INT "$tpid"; wait "$tpid"
check "--protocol tcp: none of the UDP drops, the UDP counters not compared" \
	jq -e 'select(.type == "summary") | .events.total == 0 and (.counters.list[] | select(.name == "RcvbufErrors") | .delta > 0 and (.comparable | not))' "$TMPD/tcp.json"
unshare -n "$SOCKMEM" trace --summary --json > "$TMPD/other.json" 2>/dev/null &
tpid=$!; pids+=("$tpid")
wait_for "$TMPD/other.json" '"type":"start"'
"$SOCKMEM" trace --summary --json --all-netns > "$TMPD/all.json" 2>/dev/null &
apid=$!; pids+=("$apid")
wait_for "$TMPD/all.json" '"type":"start"'
echo "udp 500" >&"${FILLER[1]}"; read -r -t 60 _ <&"${FILLER[0]}"
sleep 0.2; kill -INT "$tpid" "$apid"; wait "$tpid" "$apid"
check "another network namespace's trace sees none of this one's drops" \
	jq -e 'select(.type == "summary") | .events.total == 0' "$TMPD/other.json"
check "--all-netns sees them, and does not compare this namespace's counters" \
	jq -e 'select(.type == "summary") | .events.by_event["drop-SOCKET_RCVBUFF"] > 0 and .filters.netns_inode == null and (.counters.list[] | select(.name == "RcvbufErrors") | .comparable | not)' "$TMPD/all.json"

# 4. refusals: a memory cgroup (v1, memory.kmem.tcp) too small for the
# socket's receive charges, made under this test's own memory cgroup and
# removed after (no sysctl is touched); the kernel refuses the charge
# (sock_exceed_buf_limit; since 6.18 also on receive) and drops the datagram
V1=/sys/fs/cgroup/memory
own=$(awk -F: '$2 == "memory" { print $3 }' /proc/self/cgroup)
MCG=$V1$own/sockmem-trace-test.$$
if [ -w "$V1$own" ] && [ -e "$V1$own/memory.kmem.tcp.limit_in_bytes" ] && mkdir "$MCG" 2>/dev/null &&
	echo 65536 > "$MCG/memory.kmem.tcp.limit_in_bytes" 2>/dev/null; then
	# its commands through two FIFOs (bash has one coproc at a time)
	mkfifo "$TMPD/mc.in" "$TMPD/mc.out"
	sh -c 'echo $$ > "$1/cgroup.procs" && exec "$2" -u 1 -s 1400 -R 1048576' _ "$MCG" "$FILL" \
		< "$TMPD/mc.in" > "$TMPD/mc.out" &
	exec 7> "$TMPD/mc.in" 8< "$TMPD/mc.out"
	read -r -t 10 _ MEMCG_FILL <&8
	"$SOCKMEM" trace --json > "$TMPD/memcg.json" 2>/dev/null &
	tpid=$!; pids+=("$tpid")
	wait_for "$TMPD/memcg.json" '"type":"start"'
	echo "udp 300" >&7; read -r -t 60 _ <&8
	sleep 0.3; kill -INT "$tpid"; wait "$tpid"
	"$SOCKMEM" top --json --by socket > "$TMPD/mtop.json"
	mport=$(jq -r '[.top[] | select(.protocol == "udp" and .drops > 0 and .rcvbuf_bytes > 1000000)][0].local' "$TMPD/mtop.json")
	mdrops=$(jq -r --arg l "$mport" '.top[] | select(.local == $l) | .drops' "$TMPD/mtop.json")
	nref=$(jq -s --arg l "$mport" --argjson p "$MEMCG_FILL" 'map(select(.type == "event" and .event == "refused-receive" and .cause == "memcg" and .socket.local == $l and .socket.memcg and .process.pid == $p)) | length' "$TMPD/memcg.json")
	# each of them on that memory cgroup's path, in the v1 hierarchy
	mrel=${MCG#"$V1"}
	nonpath=$(jq -s --arg l "$mport" --arg m "$mrel" 'map(select(.type == "event" and .socket.local == $l and (.memory_cgroup.path != $m or .memory_cgroup.hierarchy != "v1"))) | length' "$TMPD/memcg.json")
	ndrop=$(jq -s --arg l "$mport" 'map(select(.type == "event" and .event == "drop-PROTO_MEM" and .socket.local == $l)) | length' "$TMPD/memcg.json")
	lost=$(jq -r 'select(.type == "summary") | .lost.ring_buffer_full' "$TMPD/memcg.json")
	all "memcg: $nref refusals on $mport (refused-receive, cause memcg, sockfill $MEMCG_FILL)" '[ "$nref" -gt 0 ]'
	all "memcg: every event of $mport on the memory cgroup $mrel (v1): $nonpath elsewhere" '[ "$nref" -gt 0 ] && [ "$nonpath" = 0 ]'
	all "memcg: the PROTO_MEM drops traced on $mport ($ndrop, $lost lines lost) = its sock_diag drop count ($mdrops)" \
		'[ "$lost" = 0 ] && [ "$ndrop" = "$mdrops" ] && [ "$mdrops" -gt 0 ]'
	echo quit >&7; exec 7>&- 8<&-; wait "$MEMCG_FILL" 2>/dev/null
	rmdir "$MCG"
else
	rmdir "$MCG" 2>/dev/null
	skip "memcg refusals: no writable cgroup v1 memory controller with memory.kmem.tcp here"
fi

# 7. advise --trace: the flood's drops as evidence, naming the socket's
# application (one socket, its buffer full): SO_RCVBUF, not udp_mem
"$SOCKMEM" advise --json --no-sockets --trace 4s > "$TMPD/adv.json" 2> "$TMPD/adv.err" &
apid=$!; pids+=("$apid")
sleep 1.5	# the window is open (the programs load in well under a second)
echo "udp 5000" >&"${FILLER[1]}"
read -r -t 60 _ _ sent <&"${FILLER[0]}"
wait "$apid"; arc=$?
A=$(cat "$TMPD/adv.json")
all "advise --trace 4s: exit $arc (0 or 3: a container cannot see udp_mem), the window's UDP drops ($(jq -r .trace.udp_events <<< "$A")) on one socket" \
	'[ "$arc" -eq 0 -o "$arc" -eq 3 ] && jq -e ".trace.attribution.level == \"process\" and .trace.udp_events >= 1000 and .trace.udp_sockets == 1" <<< "$A"'
check "... trace-udp-socket names 127.0.0.1:$port, pid $FILL_PID (sockfill), and SO_RCVBUF, not udp_mem" \
	jq -e --arg l "127.0.0.1:$port" --argjson p "$FILL_PID" --argjson port "$port" \
	'.findings[] | select(.id == "trace-udp-socket") | .evidence.socket_local == $l and .evidence.socket_port == $port and .evidence.pid == $p and .evidence.process == "sockfill" and .evidence.socket_share_percent == 100 and (.fix.application | test("SO_RCVBUF.*port \($port).*not udp_mem")) and .fix.sysctl == []' <<< "$A"
check "... and no trace-udp-limit (nothing refused by udp_mem)" \
	jq -e '[.findings[] | select(.id == "trace-udp-limit")] == []' <<< "$A"
"$SOCKMEM" advise --trace 0.5s --no-sockets > "$TMPD/adv.txt" 2>&1
check "advise --trace, text: the window's line first" grep -q '^trace: 0.5 s, attribution process: ' "$TMPD/adv.txt"
[ -n "${schema_list:-}" ] && {
	printf '%s\t%s\tvalid\n' "advise --trace --json (live) validates against the schema" "$TMPD/adv.json" > "$schema_list"
	schema_validate
}

# 8. watch --events: the kernel's counts each sample, by protocol and
# reason, with the top cgroup and process; the exposition too; nothing
# left loaded once watch has ended
"$SOCKMEM" watch --events --json -i 1 -c 4 > "$TMPD/watch.json" 2> "$TMPD/watch.err" &
wpid=$!; pids+=("$wpid")
sleep 1.2
rb0=$(rcvbuf_errors)
echo "udp 3000" >&"${FILLER[1]}"
read -r -t 60 _ _ sent <&"${FILLER[0]}"
sleep 0.3
rb1=$(rcvbuf_errors)
wait "$wpid"; wrc=$?
W=$(tail -n 1 "$TMPD/watch.json")
wn=$(jq -r '[.events.memory_drops[] | select(.protocol == "udp" and .reason == "SOCKET_RCVBUFF") | .total] | add // 0' <<< "$W")
all "watch --events: exit $wrc, the last sample's udp SOCKET_RCVBUFF total ($wn) = RcvbufErrors delta ($((rb1 - rb0)))" \
	'[ "$wrc" -eq 0 ] && [ "$wn" -gt 0 ] && [ "$wn" -eq $((rb1 - rb0)) ]'
check "... top process: $FILL_PID (sockfill); top cgroup: $cgroup" \
	jq -e --argjson p "$FILL_PID" --arg c "$cgroup" '.events.top_processes[0].pid == $p and .events.top_processes[0].comm == "sockfill" and .events.top_cgroups[0].path == $c and .events.traced' <<< "$W"
check "... the counts only grow from sample to sample" \
	sh -c "jq -r '[.events.memory_drops[] | .total] | add // 0' '$TMPD/watch.json' | sort -n -c"
[ -n "${schema_list:-}" ] && {
	printf '%s\t%s\tvalid\n' "watch --events --json (live) validates against the schema" "$TMPD/watch.json" > "$schema_list"
	schema_validate
}
"$SOCKMEM" watch --events --format prometheus --output "$TMPD/w.prom" -i 0.3 -c 2 2> "$TMPD/wprom.err"
check "watch --events --format prometheus: the families, with UDP's SOCKET_RCVBUFF series" \
	sh -c "grep -q '^sockmem_events_traced 1\$' '$TMPD/w.prom' && grep -q '^sockmem_memory_drops_total{protocol=\"udp\",reason=\"SOCKET_RCVBUFF\"} [0-9]*\$' '$TMPD/w.prom' && grep -q '^# TYPE sockmem_refusals_total counter\$' '$TMPD/w.prom'"

# 9. Without BPF (--backend perf): the events counted through
# perf_event_open on the same tracepoints, without attribution.  The ids
# are in tracefs: mounted here in a private mount namespace (gone with it),
# never on the host's.  The counts are the host's (every namespace), so at
# least this namespace's RcvbufErrors delta.
if unshare -m true 2>/dev/null; then
	unshare -m sh -c 'mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null || mount -t tracefs nodev /sys/kernel/debug/tracing; exec "$0" trace --backend perf --summary --json --duration 3s' \
		"$SOCKMEM" > "$TMPD/perf.json" 2> "$TMPD/perf.err" &
	ppid_=$!; pids+=("$ppid_")
	sleep 1
	rb0=$(rcvbuf_errors)
	echo "udp 3000" >&"${FILLER[1]}"
	read -r -t 60 _ _ sent <&"${FILLER[0]}"
	sleep 0.3
	rb1=$(rcvbuf_errors)
	wait "$ppid_"; prc=$?
	PS=$(jq -c 'select(.type == "summary")' "$TMPD/perf.json")
	pn=$(jq -r '.events.by_event["drop-SOCKET_RCVBUFF"]' <<< "$PS")
	all "--backend perf: exit $prc (3), level counts, said on stderr" \
		'[ "$prc" -eq 3 ] && jq -e ".attribution.level == \"counts\" and .top == null" <<< "$PS" && grep -q "counted through perf_event_open, without attribution" "$TMPD/perf.err"'
	check "... SOCKET_RCVBUFF drops counted ($pn) >= this namespace's RcvbufErrors delta ($((rb1 - rb0)) > 0)" \
		[ "$pn" -ge $((rb1 - rb0)) -a $((rb1 - rb0)) -gt 0 ]
	check "... RcvbufErrors not compared (the counts are the host's), the coverage says so" \
		jq -e '(.counters.list[] | select(.name == "RcvbufErrors") | .comparable == false) and (.coverage[0] | test("perf_event_open.*whole host"))' <<< "$PS"
	[ -n "${schema_list:-}" ] && {
		printf '%s\t%s\tvalid\n' "trace --backend perf --json (live) validates against the schema" "$TMPD/perf.json" > "$schema_list"
		schema_validate
	}
else
	skip "--backend perf: no private mount namespace for tracefs"
fi
# without tracefs (this mount namespace's, when it has none): the counters, and why
if [ ! -e /sys/kernel/tracing/events/sock ] && [ ! -e /sys/kernel/debug/tracing/events/sock ]; then
	"$SOCKMEM" trace --backend perf --duration 0.2s > /dev/null 2> "$TMPD/perf2.err"; prc=$?
	all "--backend perf without tracefs: exit $prc (3), the counters alone, tracefs named" \
		'[ "$prc" -eq 3 ] && grep -q "tracefs is not mounted.*only the kernel'"'"'s counters" "$TMPD/perf2.err"'
fi
"$SOCKMEM" trace --backend counters --duration 0.2s --json > "$TMPD/ctr.json" 2>/dev/null; prc=$?
check "--backend counters: exit 3, level counters" \
	sh -c "[ $prc -eq 3 ] && jq -e 'select(.type == \"summary\") | .attribution.level == \"counters\"' '$TMPD/ctr.json'"

# 6. TCP memory pressure and aborts on memory.  The pressure state is the
# host's (tcp_mem is read-only in a child namespace): it is not forced
# here (tests/vm/trace-guest.sh does, in a VM).  What is checked: the
# programs attach, or trace says why and polls the flag instead; with them,
# a TCP connection closed in this namespace runs tcp_check_oom (its close
# path is seen: the function is not inlined away), and the aborts traced
# agree with TCPAbortOnMemory.
press=$(jq -r 'select(.type == "start") | .kernel.pressure_traced' "$TMPD/probe.json")
# the light skeleton has a probe program too; libbpf finds the reasons in
# the kernel's BTF without one
lskel=0; [ "$(jq -r 'select(.type == "start") | .kernel.loader' "$TMPD/probe.json")" = "light skeleton" ] && lskel=1
if [ "$press" = true ]; then
	NPROGS=$((6 + lskel))
	"$SOCKMEM" trace --summary --json --protocol tcp > "$TMPD/press.json" 2> "$TMPD/press.err" &
	tpid=$!; pids+=("$tpid")
	wait_for "$TMPD/press.json" '"type":"start"'
	python3 -c '
import socket
l = socket.socket(); l.bind(("127.0.0.1", 0)); l.listen()
for _ in range(3):
    c = socket.create_connection(l.getsockname()); a, _ = l.accept(); c.close(); a.close()
'
	kill -INT "$tpid"; wait "$tpid"; trc=$?
	P=$(jq -c 'select(.type == "summary")' "$TMPD/press.json")
	all "pressure programs: exit $trc, tcp_check_oom seen on close ($(jq -r .events.tcp_check_oom_calls <<< "$P") calls)" \
		'[ "$trc" -eq 0 ] && jq -e ".events.tcp_check_oom_calls >= 3" <<< "$P"'
	check "aborts on memory traced agree with TCPAbortOnMemory" \
		jq -e '.counters.list[] | select(.name == "TCPAbortOnMemory") | .match == "exact" and .comparable and .agrees' <<< "$P"
	check "coverage: pressure from fentry/fexit" jq -e '.coverage | map(select(test("fentry/fexit"))) | length == 1' <<< "$P"
else
	NPROGS=$((2 + lskel))
	"$SOCKMEM" trace --summary --json --duration 0.5s > "$TMPD/press.json" 2> "$TMPD/press.err"
	trc=$?
	P=$(jq -c 'select(.type == "summary")' "$TMPD/press.json")
	flag=$(awk 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "press") k = i } $1 == "TCP" { print $k }' /proc/net/protocols)
	all "pressure programs not attached ($(jq -r .kernel.pressure_why <<< "$P")): said, exit $trc" \
		'[ "$trc" -eq 0 ] && jq -e ".kernel.pressure_why | test(\"tcp_enter_memory_pressure\")" <<< "$P"'
	check "... the press flag polled instead (on now: $flag), said in the coverage" \
		jq -e --arg f "$flag" '.events.pressure_polled.polls >= 3 and .events.pressure_polled.on_at_start == ($f == "yes") and (.coverage | map(select(test("polled every 100 ms"))) | length == 1)' <<< "$P"
	check "... TCPMemoryPressures and TCPAbortOnMemory not compared" \
		jq -e '[.counters.list[] | select(.name == "TCPMemoryPressures" or .name == "TCPAbortOnMemory") | .events == null] == [true, true]' <<< "$P"
fi
[ -n "${schema_list:-}" ] && {
	printf '%s\t%s\tvalid\n' "trace --summary --json, pressure (live) validates against the schema" "$TMPD/press.json" > "$schema_list"
	schema_validate
}

# 5. every exit path leaves none of its programs: the memtrace programs
# that appeared with this trace are gone once it has ended (the kernel frees
# a program shortly after its last descriptor closes)
if command -v bpftool >/dev/null; then
	progs() { bpftool prog list 2>/dev/null | awk -F'[: ]+' '/ name memtrace_/ { print $1 }' | sort; }
	# new_progs STATE_BEFORE: the new memtrace programs, three, seven with
	# the pressure programs (waits for them)
	new_progs() {
		local i now
		for i in $(seq 100); do
			now=$(progs | comm -13 "$1" -)
			[ "$(echo "$now" | grep -c .)" -ge "$NPROGS" ] && break
			sleep 0.1
		done
		echo "$now"
	}
	gone() { # IDS...: none of them loaded (5 s at most)
		local i id left
		for i in $(seq 50); do
			left=
			for id in "$@"; do progs | grep -qx "$id" && left=1; done
			[ -z "$left" ] && return 0
			sleep 0.1
		done
		return 1
	}
	exit_path() { # NAME HOW
		progs > "$TMPD/before"
		case $2 in
		sigint|sigterm)
			"$SOCKMEM" trace > /dev/null 2>&1 & tpid=$! ;;
		pipe)
			# the reader goes a second after the first line (time to see
			# the programs loaded)
			{ "$SOCKMEM" trace 2> /dev/null | { head -1 > /dev/null; sleep 1; }; } & tpid=$! ;;
		duration)
			"$SOCKMEM" trace --duration 2s > /dev/null 2>&1 & tpid=$! ;;
		count)
			"$SOCKMEM" trace --count 1 > "$TMPD/count.txt" 2>&1 & tpid=$! ;;
		watch)
			"$SOCKMEM" watch --events --json -i 0.5 > /dev/null 2>&1 & tpid=$! ;;
		esac
		pids+=("$tpid")
		ids=$(new_progs "$TMPD/before")
		case $2 in
		sigint) kill -INT "$tpid" ;;
		sigterm|watch) kill -TERM "$tpid" ;;
		count)	# once the window is open (the header is printed after it)
			wait_for "$TMPD/count.txt" '^TIME'
			echo "udp 20" >&"${FILLER[1]}"; read -r -t 60 _ <&"${FILLER[0]}" ;;
		esac
		wait "$tpid"; rc=$?
		# shellcheck disable=SC2086
		all "$1: its programs were loaded ($(echo $ids)), exit $rc, none left after" \
			'[ "$(echo "$ids" | grep -c .)" -eq "$NPROGS" ] && [ "$rc" -eq 0 ] && gone $ids'
	}
	exit_path SIGINT sigint
	exit_path SIGTERM sigterm
	exit_path "a closed pipe (trace | head -1)" pipe
	exit_path --duration duration
	exit_path --count count
	exit_path "watch --events, SIGTERM" watch
	# and through libbpf (a kernel before 5.17): no probe program, the rest
	# the same, gone the same way
	nlight=$NPROGS; NPROGS=$((NPROGS - lskel))
	SOCKMEM_BPF_LOADER=libbpf exit_path "through libbpf, SIGTERM" sigterm
	SOCKMEM_BPF_LOADER=libbpf exit_path "through libbpf, a closed pipe" pipe
	NPROGS=$nlight
	# every bpf() call failing in turn (strace --inject): the failure said,
	# the counters alone (3) or the events (0), never a crash, nothing left
	if command -v strace >/dev/null && strace -qq -o /dev/null -e trace=getppid -e inject=getppid:retval=7 true 2>/dev/null; then
		progs > "$TMPD/before"
		bad=
		for n in $(seq 1 16); do
			strace -f -qq -o /dev/null -e trace=bpf -e inject=bpf:error=ENOMEM:when=$n \
				"$SOCKMEM" trace --summary --json --duration 0.2s > "$TMPD/inj.json" 2> "$TMPD/inj.err"
			rc=$?
			lvl=$(jq -r 'select(.type == "summary") | .attribution.level' "$TMPD/inj.json" 2>/dev/null)
			case $rc:$lvl in
			0:process) ;;
			3:counts) grep -q "Cannot allocate memory; the events counted through perf_event_open" "$TMPD/inj.err" || bad="$bad $n:unsaid" ;;
			# (through libbpf, a failed probe of mmapable maps is said as that)
			3:counters) grep -q -e "Cannot allocate memory; .*only the kernel's counters" \
				-e "no mmapable maps .*only the kernel's counters" "$TMPD/inj.err" || bad="$bad $n:unsaid" ;;
			*) bad="$bad $n:$rc:$lvl" ;;
			esac
		done
		sleep 1
		left=$(progs | comm -13 "$TMPD/before" - | tr '\n' ' ')
		all "bpf() failing at each of its first 16 calls: exit 0 with events or 3 with the reason (${bad:-all}), no program left (${left:-none})" \
			'[ -z "$bad" ] && [ -z "$left" ]'
	else
		skip "bpf() failing at each call: strace --inject does not work here"
	fi
	check "nothing pinned under /sys/fs/bpf" sh -c '! find /sys/fs/bpf -name "*memtrace*" 2>/dev/null | grep -q .'
else
	skip "exit paths: bpftool not installed (the kernel's program list)"
fi

echo quit >&"${FILLER[1]}"
done_testing
