#!/bin/sh
# cli.sh - the command line: a table of arguments -> exit status -> message,
# and options that must mean the same before and after the command word.
# Offline: every case either fails in parsing or reads a fixture tree.
# SPDX-License-Identifier: GPL-2.0-or-later
. "$(dirname "$0")/lib.sh"

T=$SRCDIR/tests/trees/linux-6.18-idle

# expect STATUS REGEX ARGS...: exit status and a regex on stdout+stderr
expect() {
	want=$1 re=$2; shift 2
	"$SOCKMEM" "$@" > "$TMPD/out" 2>&1
	got=$?
	if [ "$got" -eq "$want" ] && grep -Eq -- "$re" "$TMPD/out"; then
		ok "sockmem $* -> $want /$re/"
	else
		not_ok "sockmem $* -> $got (want $want /$re/)"
		diag "$(head -5 "$TMPD/out")"
	fi
}

expect 0 "^TCP " --root "$T"
expect 0 "Usage: sockmem top" help top
expect 0 "Commands" -h
expect 64 "'frob' is not a sockmem command" help frob
expect 64 "'frob' is not a sockmem command" frob
expect 64 "Try .sockmem --help" frob
expect 0 "Commands" --help
expect 0 "show +how much memory" --help
expect 0 "Exit status: 0 complete" --help
expect 0 "^sockmem [0-9]+\.[0-9]+" --version
expect 0 "Usage: sockmem show" show --help
expect 0 "Usage: sockmem snapshot" snapshot --help
# every command's help, exit 0 (under the sanitizers too: glibc's argp leaks
# for a command whose own option array is empty)
for c in top simulate advise watch check trace; do
	expect 0 "Usage: sockmem $c" $c --help
done
expect 0 "--root=DIR" show --help
expect 64 "sockmem show: unexpected argument 'extra'" show extra
expect 64 "not a power of two" --page-size 3000 show
expect 64 "not a power of two" show --page-size 0
expect 64 "not a power of two" show --page-size 99999999999999999999999
expect 64 "'purple' is not auto, always or never" --color=purple show
expect 64 "unrecognized option" show --frobnicate
expect 64 "sockmem snapshot: no directory given" snapshot
expect 2 "^sockmem: /nonexistent/dir: No such file or directory" --root /nonexistent/dir show
expect 2 "not a directory, nor an archive sockmem reads|built without libarchive" --root "$T/proc/meminfo" show
expect 0 "^snapshot .*linux-6.18-idle" --root "$T" show
expect 0 "^snapshot .*linux-6.18-idle" show --root "$T"
expect 0 "\"schema_version\"" --root "$T" show --json
expect 0 "1,179,230,208 B" --root "$T" show --bytes
expect 64 "not a sysctl the model uses" simulate --set net.ipv4.frob=1
expect 64 "3 values expected, got 2" simulate --set net.ipv4.tcp_mem="1 2"
expect 64 "min <= pressure <= max" simulate --set net.ipv4.tcp_mem="3 2 1"
expect 64 "not a non-negative integer" simulate --set net.ipv4.tcp_mem="1 2 x"
expect 64 "is not a size" simulate --bytes-per-socket 12Q
expect 64 "not tcp or udp" simulate --protocol sctp
expect 64 "not a number from 0" simulate --add-sockets -5
expect 0 "^simulate: \+10 TCP sockets of 64.0 KiB" --root "$T" simulate --add-sockets 10 --bytes-per-socket 64K
expect 64 "--count needs --interval" show --count 3
expect 64 "not a number of seconds" show --interval 0
expect 64 "samples the live system" --root "$T" show --interval 1
expect 64 "not socket, process, cgroup, port, peer-port or state" top --by frob
expect 64 "needs the live system" --root "$T" top --by process
# trace: the live kernel's events only; its own values checked before it runs
expect 64 "trace follows the live kernel" --root "$T" trace
expect 64 "--duration: '5' is not a duration" trace --duration 5
expect 64 "--duration: '0s' is not a duration" trace --duration 0s
expect 64 "--protocol: 'icmp' is not tcp, udp, udplite, sctp or mptcp" trace --protocol icmp
expect 64 "--count: '0' is not a number of events" trace --count 0
expect 64 "-n: '1001' is not a number from 1 to 1000" trace -n 1001
expect 64 "unexpected argument 'x'" trace x
expect 64 "unrecognized option '--format'" trace --format prometheus
# top refreshed (-d/--interval, --count): the usage errors and a snapshot's
# one frame; the live view and the live samples are tests/top.sh's
expect 64 "--count is the number of samples and needs --interval" top --count 3
expect 64 "not a number of seconds" top -d 0
expect 64 "one exposition: run it from a timer" top --by cgroup --format prometheus -d 5
"$SOCKMEM" --root "$SRCDIR/tests/trees/linux-6.18-loaded" top -d 0.2 -c 5 > "$TMPD/frames" 2>&1
check "top -d on a snapshot: exit 0" [ $? -eq 0 ]
check "top -d on a snapshot: one frame" [ "$(grep -c '^top 10 by socket' "$TMPD/frames")" -eq 1 ]
"$SOCKMEM" --root "$SRCDIR/tests/trees/linux-6.18-loaded" --json top --delay 0.2 -c 2 > "$TMPD/frames.json" 2>&1
check "top --delay --json on a snapshot: one document on one line" \
	[ "$(jq -c 'select(.command == "top")' "$TMPD/frames.json" | wc -l)" -eq 1 -a "$(wc -l < "$TMPD/frames.json")" -eq 1 ]
# an input missing: named once, the report partial (exit 3), as top once
cp -R "$SRCDIR/tests/trees/linux-6.18-loaded" "$TMPD/nosnmp" && rm "$TMPD/nosnmp/proc/net/snmp"
"$SOCKMEM" --root "$TMPD/nosnmp" top -d 0.2 -c 3 > /dev/null 2> "$TMPD/nosnmp.err"
check "top -d, an input missing: exit 3" [ $? -eq 3 ]
check "top -d, an input missing: named once" [ "$(grep -c 'nosnmp/proc/net/snmp: missing' "$TMPD/nosnmp.err")" -eq 1 ]
O=$SRCDIR/tests/trees/tcp-over-limit
expect 1 "tcp-max" --root "$O" advise --check
expect 0 "tcp-max" --root "$O" advise
expect 0 "no findings" --root "$T" advise --check --fail-on warn
expect 1 "tcp-pressure" --root "$SRCDIR/tests/trees/tcp-pressure-hysteresis" advise --check --fail-on warn
expect 0 "tcp-pressure" --root "$SRCDIR/tests/trees/tcp-pressure-hysteresis" advise --check --fail-on crit
expect 0 "^net.ipv4.tcp_mem = 289266 385688 578532$" --root "$O" advise --format sysctl
expect 64 "not a rate" advise --bandwidth 10furlongs --rtt 1ms
expect 64 "not a time" advise --bandwidth 1Gbit --rtt 80
expect 64 "go together" advise --bandwidth 1Gbit
expect 64 "not warn or crit" advise --fail-on info
expect 64 "not one of text, json, sysctl$" advise --format yaml

# Common options before and after the command word give the same output.
a=$("$SOCKMEM" --json --root "$T" show | jq "$JQ_STABLE")
b=$("$SOCKMEM" show --json --root "$T" | jq "$JQ_STABLE")
c=$("$SOCKMEM" --root "$T" show -j | jq "$JQ_STABLE")
check "--json show == show --json" test -n "$a" -a "$a" = "$b"
check "-j == --json" [ "$a" = "$c" ]

# SOCKMEM_ROOT stands for --root; --root wins over it.
d=$(SOCKMEM_ROOT=$T "$SOCKMEM" --json show | jq "$JQ_STABLE")
check "SOCKMEM_ROOT = --root" [ "$a" = "$d" ]
e=$(SOCKMEM_ROOT=/nonexistent "$SOCKMEM" --root "$T" --json show | jq "$JQ_STABLE")
check "--root overrides SOCKMEM_ROOT" [ "$a" = "$e" ]

# Colour: never with NO_COLOR or off a terminal; always on request.
"$SOCKMEM" --root "$T" show --color=always > "$TMPD/c" 2>&1
check "--color=always colours" grep -q "$(printf '\033')\[" "$TMPD/c"
"$SOCKMEM" --root "$T" show > "$TMPD/c" 2>&1
check "no colour off a terminal" sh -c "! grep -q '$(printf '\033')' '$TMPD/c'"
if command -v script >/dev/null; then
	NO_COLOR=1 script -qec "$SOCKMEM --root $T show" /dev/null > "$TMPD/c" 2>&1
	check "no colour with NO_COLOR on a terminal" sh -c "! grep -q '$(printf '\033')\[3' '$TMPD/c'"
	env -u NO_COLOR script -qec "$SOCKMEM --root $T show" /dev/null > "$TMPD/c" 2>&1
	check "colour on a terminal" grep -q "$(printf '\033')\[3" "$TMPD/c"
else
	skip "no colour with NO_COLOR on a terminal: script(1) missing"
	skip "colour on a terminal: script(1) missing"
fi

# A closed pipe is not an error worth a message.
"$SOCKMEM" --root "$T" show 2>"$TMPD/err" | head -1 >/dev/null
check "closed pipe: no message" [ ! -s "$TMPD/err" ]
# One meaning per option in every command; conflicts are refused, not
# resolved silently (first-user review items 23, 24, 27, 29).
expect 64 "--json conflicts with --format prometheus" --root "$T" --json show --format prometheus
expect 64 "conflicts with --format" --root "$T" show --format json --format text
expect 64 "not one of text, json$" --root "$T" simulate --format prometheus
expect 64 "--by process or cgroup" --root "$T" top --format prometheus
expect 64 "watch samples the live system" --root "$T" watch
expect 64 "--all-netns needs the live system" --root "$T" show --all-netns
expect 64 "give one of them" show --all-netns --diag-file /nonexistent
expect 64 "contradict" show --no-sockets --diag-file /nonexistent
expect 64 "from 0.01 to 86400" watch --interval 0.001
expect 64 "from 0.01 to 86400" show --interval 100000
if [ "$(getconf PAGESIZE)" != 65536 ]; then
	expect 64 "this kernel's pages are $(getconf PAGESIZE) bytes" show --page-size 65536
fi
expect 0 "^TCP " --root "$T" show --page-size 4096 --no-sockets
"$SOCKMEM" snapshot --help > "$TMPD/snaphelp" 2>&1
check "snapshot offers no per-socket option it ignores" sh -c "! grep -q -e '--diag-file' -e '--all-netns' '$TMPD/snaphelp'"
"$SOCKMEM" top --help > "$TMPD/tophelp" 2>&1
check "top offers no --no-sockets" sh -c "! grep -q -e '--no-sockets' '$TMPD/tophelp'"
# a closed pipe ends watch cleanly (exit 0), as the man page says
{ "$SOCKMEM" watch --json --interval 0.05 --count 100 --no-sockets 2>"$TMPD/pipe.err"; echo $? > "$TMPD/pipe.st"; } | head -c 1 > /dev/null
check "watch --json | head: exit 0" [ "$(cat "$TMPD/pipe.st")" = 0 ]
check "watch --json | head: no message" [ ! -s "$TMPD/pipe.err" ]
expect 64 "--direction send is for TCP" --root "$T" simulate --protocol udp --direction send
done_testing
