#!/bin/sh
# trace-guest.sh - "sockmem trace" against TCP memory pressure and aborts on
# memory, inside a kernel-matrix VM (busybox ash; the VM's sysctls are its
# own, so tcp_mem is lowered freely, and restored).  guest.sh may call it
# after its own run ("sh /bin/trace-guest.sh"), with sockmem built WITH BPF
# (tests/vm/run.sh builds tracer_none.c today: then every point skips).
#   0. cgroup2 mounted (no controller enabled), both sockfills in a cgroup
#      of their own: every enter and abort must name it;
#   1. loopback connections from sockfill, their receivers not reading;
#      tcp_mem[1] set below the usage, one more write: TCP enters pressure
#      (press-enter, the socket of a sockfill connection, TCPMemoryPressures
#      +1 and agreeing);
#   2. tcp_mem restored, the queues drained: TCP leaves (press-leave with the
#      episode's length, TCPMemoryPressuresChrono's delta within 10 ms per
#      episode of it);
#   3. tcp_mem[2] set below the usage, the connections with queued data
#      closed: __tcp_close's tcp_check_oom resets them (abort-memory, cause
#      hard-limit, TCPAbortOnMemory's delta equal to the events);
#   4. a cgroup v1 memory cgroup whose memory.kmem.tcp limit is below what
#      sockfill's connections, made in it, queue (their SO_SNDBUF locked high,
#      so that the kernel cannot force the charge below it): v1 refuses the
#      charge, so the send charges are refused (sock_exceed_buf_limit,
#      cause memcg), each event on that memory cgroup's path and sockfill's
#      process, no more of them than the cgroup's failcnt counted; and, with
#      cgroup2 mounted beside it, on sockfill's cgroup v2 path too (before
#      5.15 the socket's cgroup is a pointer inside sock_cgroup_data's val).
# Where the pressure programs cannot attach, it checks the fallback: the
# episode seen by polling (press-enter/press-leave without a socket) and the
# reason said.  Prints TAP.
# SPDX-License-Identifier: GPL-2.0-or-later
SOCKMEM=${SOCKMEM:-/bin/sockmem}
FILL=${FILL:-/bin/sockfill}
JGET=${JGET:-/bin/jget}
T=/tmp/trace-guest
mkdir -p $T

# the TAP helpers, ssmem and ctr: tests/vm/tap.sh (beside it in the VM)
. "${TAP_SH:-/tap.sh}"
press() { awk 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "press") k = i } $1 == "TCP" { print $k }' /proc/net/protocols; }
# the summary's values at PATHs, one per line, into $T/v
sumv() { tail -n 1 $T/trace.json | "$JGET" "$@" > $T/v; }

"$SOCKMEM" trace --json --duration 0.3s > $T/probe.json 2> $T/probe.err
level=$(head -n 1 $T/probe.json | "$JGET" .attribution.level)
if [ "$level" != process ] && [ "$level" != socket ]; then
	skip "trace has no BPF here ($(head -n 1 $T/probe.json | "$JGET" .attribution.reason))"
	finish
fi
traced=$(head -n 1 $T/probe.json | "$JGET" .kernel.pressure_traced)
diag "pressure programs: $traced ($(head -n 1 $T/probe.json | "$JGET" .kernel.pressure_why))"

SAVED=$(cat /proc/sys/net/ipv4/tcp_mem)
restore() { echo "$SAVED" > /proc/sys/net/ipv4/tcp_mem; }
trap restore EXIT
PAIRS=20
mkfifo $T/fill.in $T/fill.out
# sockfill in a cgroup v2 cgroup of its own, its sockets' cgroup (5.10:
# a pointer inside sock_cgroup_data's val): cgroup2 beside the v1 memory
# hierarchy of step 4 (no controller enabled in it)
grep -q " /sys/fs/cgroup " /proc/mounts || mount -t tmpfs cgroup /sys/fs/cgroup 2> /dev/null
U2=/sys/fs/cgroup/unified CG2=none
if mkdir -p $U2 && { grep -q " $U2 cgroup2 " /proc/mounts || mount -t cgroup2 cgroup2 $U2; } &&
	mkdir -p $U2/tg; then
	CG2=/tg
fi
# in_cg2 CMD...: CMD in that cgroup (as it is without one)
in_cg2() { CG2=$CG2 sh -c '[ "$CG2" = none ] || echo $$ > /sys/fs/cgroup/unified$CG2/cgroup.procs; exec "$@"' _ "$@"; }
in_cg2 "$FILL" -t $PAIRS < $T/fill.in > $T/fill.out 2> $T/fill.err &
exec 3> $T/fill.in 4< $T/fill.out
read -r ready FILL_PID <&4
[ "$ready" = ready ] || { not_ok "sockfill did not start: $(cat $T/fill.err)"; finish; }
cmd() { echo "$*" >&3; read -r reply <&4; }
cmd fill 200000
sleep 1

P0=$(ctr TCPMemoryPressures) C0=$(ctr TCPMemoryPressuresChrono) A0=$(ctr TCPAbortOnMemory)
"$SOCKMEM" trace --json --protocol tcp > $T/trace.json 2> $T/trace.err &
TPID=$!
i=0; while [ $i -lt 100 ] && ! grep -q '"type":"start"' $T/trace.json; do sleep 0.1; i=$((i + 1)); done

# 1. enter: tcp_mem[1] below the usage, one more charge
U=$(ssmem TCP)
echo "1 2 $((U * 4 + 4096))" > /proc/sys/net/ipv4/tcp_mem
cmd fill 65536
sleep 0.5
f1=$(press)
# 2. leave: limits back, every queue drained (usage falls below tcp_mem[0])
restore
cmd drainall
sleep 1.5
f2=$(press)
# 3. aborts: tcp_mem[2] below the usage, connections closed while their
# senders still hold queued data: tcp_out_of_memory wants sk_wmem_queued >
# SOCK_MIN_SNDBUF, and step 1's pressure moderated the first connections'
# sndbuf down to about that (sk_stream_moderate_sndbuf), so fresh ones, whose
# receivers do not read, hold it; __tcp_close's tcp_check_oom resets them
mkfifo $T/fill2.in $T/fill2.out
in_cg2 "$FILL" -t 5 < $T/fill2.in > $T/fill2.out 2> $T/fill2.err &
exec 5> $T/fill2.in 6< $T/fill2.out
read -r ready2 _ <&6
cmd2() { echo "$*" >&5; read -r reply <&6; }
[ "$ready2" = ready ] && cmd2 fill 2000000
sleep 0.5
U=$(ssmem TCP)
echo "1 2 $((U / 2))" > /proc/sys/net/ipv4/tcp_mem
[ "$ready2" = ready ] && cmd2 close 5
sleep 0.5
restore
# ... and that episode ends too: a charge and its free below tcp_mem[0]
cmd fill 4096
cmd drainall
[ "$ready2" = ready ] && cmd2 quit
exec 5>&- 6<&-
sleep 1
f3=$(press)
kill -INT $TPID; wait $TPID; trc=$?
P1=$(ctr TCPMemoryPressures) C1=$(ctr TCPMemoryPressuresChrono) A1=$(ctr TCPAbortOnMemory)
diag "flag after enter: $f1, after leave: $f2; TCPMemoryPressures +$((P1 - P0)), Chrono +$((C1 - C0)) ms, TCPAbortOnMemory +$((A1 - A0))"
check "trace ended by sigint, exit 0 ($trc)" [ "$trc" -eq 0 ]
check "the kernel entered and left pressure (flag $f1 then $f2, at the end $f3)" [ "$f1" = yes -a "$f2" = no -a "$f3" = no ]

sumv '.events.by_event.press-enter' '.events.by_event.press-leave' '.events.by_event.abort-memory' \
	'.counters.list[name=TCPMemoryPressures].agrees' '.counters.list[name=TCPAbortOnMemory].agrees' \
	'.top.process.rows[0].process.pid'
{ read -r ne; read -r nl; read -r na; read -r pagree; read -r aagree; read -r tpid; } < $T/v
if [ "$traced" = true ]; then
	check "press-enter traced ($ne) = TCPMemoryPressures delta ($((P1 - P0))), agrees ($pagree)" \
		[ "$ne" = $((P1 - P0)) -a "$pagree" = true ]
	check "press-leave traced ($nl) for each enter" [ "$nl" = "$ne" ]
	# the leave's episode length against the kernel's own milliseconds
	# one event line at a time (the summary's top rows carry event fields too)
	grep '"type":"event"' $T/trace.json | grep '"event":"press-leave"' > $T/leaves
	ms=$(while IFS= read -r l; do printf '%s\n' "$l" | "$JGET" .episode.duration_s; done < $T/leaves |
		awk '{ s += $1 * 1000 } END { printf "%d", s }')
	# the kernel counts jiffies (4 ms at HZ=250), sockmem the monotonic clock
	# (bpf_ktime_get_ns): a vCPU the host stalls near either end keeps the
	# clock running and delays the tick; within 20 ms per episode and 10%
	# (CI: 0 to 13 ms apart on about 530 ms; a unit or event error is off by
	# far more)
	tol=$((20 * nl + (C1 - C0) / 10))
	check "episode lengths ($ms ms) within $tol ms (20 per episode + 10%) of TCPMemoryPressuresChrono (+$((C1 - C0)))" \
		[ $((ms - (C1 - C0))) -le $tol -a $(((C1 - C0) - ms)) -le $tol ]
	enterer=$(grep '"type":"event"' $T/trace.json | grep '"event":"press-enter"' | head -n 1 | "$JGET" .process.pid)
	check "the socket that entered is sockfill's ($enterer, sockfill $FILL_PID)" [ "$enterer" = "$FILL_PID" ]
	check "abort-memory traced ($na) = TCPAbortOnMemory delta ($((A1 - A0))) > 0, agrees ($aagree)" \
		[ "$na" = $((A1 - A0)) -a "$na" -gt 0 -a "$aagree" = true ]
	cause=$(grep '"type":"event"' $T/trace.json | grep '"event":"abort-memory"' | head -n 1 | "$JGET" .cause)
	# every enter and abort on sockfill's cgroup v2 path
	cgs=$(grep '"type":"event"' $T/trace.json | grep -e '"event":"press-enter"' -e '"event":"abort-memory"' |
		while IFS= read -r l; do printf '%s\n' "$l" | "$JGET" .cgroup.path; done | sort -u | tr '\n' ' ')
	if [ "$CG2" != none ]; then
		check "the enter and the aborts on sockfill's cgroup ($cgs; sockfill in $CG2)" [ "$cgs" = "$CG2 " ]
	else
		skip "the socket's cgroup v2 path: cgroup2 could not be mounted"
	fi
	check "an abort's cause: hard-limit ($cause)" [ "$cause" = hard-limit ]
else
	check "polled: the episode seen (press-enter $ne, press-leave $nl)" [ "$ne" -ge 1 -a "$nl" -ge 1 ]
	check "polled: no socket named for it" \
		sh -c "grep '\"event\":\"press-enter\"' $T/trace.json | head -n 1 | $JGET .attributed | grep -qx none"
	skip "aborts on memory: not traced without the pressure programs"
fi
cmd quit
exec 3>&- 4<&-

# 4. memcg refusals (cgroup v1 kmem.tcp), where the kernel has the v1
# memory controller (Debian's 6.12 and later may build it out)
MC=/sys/fs/cgroup/memory
if ! grep -q " $MC cgroup " /proc/mounts; then
	mkdir -p $MC && mount -t cgroup -o memory memory $MC 2> $T/mc.mount
fi
if [ -e $MC/memory.kmem.tcp.limit_in_bytes ] && mkdir $MC/smtrace 2> /dev/null &&
	echo 262144 > $MC/smtrace/memory.kmem.tcp.limit_in_bytes; then
	# cgroup2 beside it (the memory controller stays with v1)
	V2=none
	if mkdir -p $U2 && { grep -q " $U2 cgroup2 " /proc/mounts || mount -t cgroup2 cgroup2 $U2; } &&
		mkdir $U2/smtrace2; then
		V2=/smtrace2
	fi
	mkfifo $T/mc.in $T/mc.out
	V2=$V2 sh -c 'echo $$ > /sys/fs/cgroup/memory/smtrace/cgroup.procs &&
		{ [ "$V2" = none ] || echo $$ > /sys/fs/cgroup/unified/smtrace2/cgroup.procs; } && exec "$0" -t 2 -S 4194304' "$FILL" \
		< $T/mc.in > $T/mc.out 2> $T/mc.err &
	exec 7> $T/mc.in 8< $T/mc.out
	read -r ready3 MC_PID <&8
	F0=$(cat $MC/smtrace/memory.kmem.tcp.failcnt)
	"$SOCKMEM" trace --json --protocol tcp > $T/mc.json 2> $T/mc.err2 &
	MPID=$!
	i=0; while [ $i -lt 100 ] && ! grep -q '"type":"start"' $T/mc.json; do sleep 0.1; i=$((i + 1)); done
	echo "fill 2000000" >&7; read -r _ <&8
	sleep 0.5
	kill -INT $MPID; wait $MPID; mrc=$?
	F1=$(cat $MC/smtrace/memory.kmem.tcp.failcnt)
	U1=$(cat $MC/smtrace/memory.kmem.tcp.max_usage_in_bytes)
	grep '"type":"event"' $T/mc.json | grep '"cause":"memcg"' > $T/mcev
	# every event, by kind and cause (what else the window saw)
	grep '"type":"event"' $T/mc.json | while IFS= read -r l; do
		printf '%s\n' "$l" | "$JGET" .event .cause | tr '\n' ' '; echo
	done | sort | uniq -c | tr '\n' ';' > $T/mckinds
	n=$(grep -c . $T/mcev)
	# each event: its memory cgroup's path and hierarchy, its process
	while IFS= read -r l; do
		printf '%s\n' "$l" | "$JGET" .memory_cgroup.path .memory_cgroup.hierarchy .process.pid .socket.memcg \
			.cgroup.path | tr '\n' ' '
		echo
	done < $T/mcev | sort | uniq -c > $T/mcgroups
	diag "memcg: sockfill $MC_PID ($ready3) in $MC/smtrace (kmem.tcp limit 262144, max usage $U1): trace exit $mrc," \
		"$n refusals with cause memcg, failcnt +$((F1 - F0)); by (path, hierarchy, pid, memcg): $(cat $T/mcgroups | tr '\n' ';')" \
		"all events: $(cat $T/mckinds)" "stderr: $(head -c 200 $T/mc.err2)"
	check "memcg: trace ended by sigint, exit 0 ($mrc)" [ "$mrc" -eq 0 ]
	check "memcg: $n refused charges with cause memcg, no more than the cgroup's failcnt counted (+$((F1 - F0)))" \
		[ "$n" -gt 0 -a "$n" -le $((F1 - F0)) ]
	one=no
	[ "$(grep -c . $T/mcgroups)" = 1 ] && grep -q " /smtrace v1 $MC_PID true " $T/mcgroups && one=yes
	check "memcg: every one on /smtrace of the v1 memory hierarchy, of sockfill's process ($MC_PID)" [ $one = yes ]
	if [ "$V2" != none ]; then
		check "memcg: ... and on sockfill's cgroup v2 path ($V2)" grep -q " true $V2 \$" $T/mcgroups
	else
		skip "memcg: the socket's cgroup v2 path: cgroup2 could not be mounted beside v1"
	fi
	echo quit >&7; exec 7>&- 8<&-
	wait $MC_PID 2> /dev/null
	rmdir $MC/smtrace
	[ "$V2" = none ] || rmdir $U2/smtrace2
else
	skip "memcg refusals: no cgroup v1 memory controller with kmem.tcp on $(uname -r) ($(head -c 120 $T/mc.mount 2> /dev/null))"
fi
finish
