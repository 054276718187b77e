#!/bin/bash
# top.sh - top refreshed: off a terminal one report per sample (text
# without escape sequences, one JSON document per line), --count, a snapshot
# as one frame; on a terminal (under tmux) the live view: the header's state
# and the bar's marks at the columns the numbers give, sockets opened in a
# private network namespace growing between two captures, every key, the
# exit paths (q, Ctrl-C, SIGTERM, --count, the input vanishing) with the
# alternate screen off after each, and a resize to 80x24 without wrapping.
# SPDX-License-Identifier: GPL-2.0-or-later
. "$(dirname "$0")/lib.sh"

lock_live_shared
L=$SRCDIR/tests/trees/linux-6.18-loaded
ESC=$(printf '\033')

# --- off a terminal
"$SOCKMEM" top -d 1 -c 2 2> "$TMPD/err" | cat > "$TMPD/piped"
check "top -d 1 -c 2 | cat: exit 0" [ "${PIPESTATUS[0]}" -eq 0 ]
check "two frames" [ "$(grep -c '^top 10 by socket' "$TMPD/piped")" -eq 2 ]
check "no escape sequences" sh -c "! grep -q '$ESC' '$TMPD/piped'"
check "nothing on stderr" [ ! -s "$TMPD/err" ]
"$SOCKMEM" --json top -d 0.2 -c 3 > "$TMPD/top.ndjson"
check "--json: exit 0" [ $? -eq 0 ]
check "--json: one document per line, 3 lines" [ "$(jq -c 'select(.command == "top")' "$TMPD/top.ndjson" | wc -l)" -eq 3 ]
check "--json: 3 lines in the file" [ "$(wc -l < "$TMPD/top.ndjson")" -eq 3 ]
"$SOCKMEM" top --diag-file "$L/sock_diag/tcp.dump" -n 2 -d 0.1 -c 2 > "$TMPD/n2"
check "-n 2 -c 2: two frames of two rows" [ "$(grep -c '^tcp ' "$TMPD/n2")" -eq 4 ]
"$SOCKMEM" --root "$L" top -d 0.2 -c 5 > "$TMPD/snap" 2>&1
check "a snapshot with --interval: exit 0" [ $? -eq 0 ]
check "a snapshot is one frame" [ "$(grep -c '^top 10 by' "$TMPD/snap")" -eq 1 ]
"$SOCKMEM" --root "$L" show -i 1 > /dev/null 2>&1
check "show --interval on a snapshot is still refused" [ $? -eq 64 ]
"$SOCKMEM" top --count 3 > "$TMPD/out" 2>&1
check "--count without --interval: usage error" [ $? -eq 64 ]
check "--count: the message names -n for rows" grep -q -- "-n/--number" "$TMPD/out"
"$SOCKMEM" top -d 0 > /dev/null 2>&1
check "-d 0: usage error" [ $? -eq 64 ]
"$SOCKMEM" top --delay 0.5 -c 1 > /dev/null 2>&1
check "--delay is --interval" [ $? -eq 0 ]
start=$(date +%s)
"$SOCKMEM" top -d 0.1 2> "$TMPD/err" | head -1 > /dev/null
check "closed pipe: ends within seconds" [ $(( $(date +%s) - start )) -lt 10 ]
check "closed pipe: no message" [ ! -s "$TMPD/err" ]
"$SOCKMEM" --json top -d 0.1 > "$TMPD/term.ndjson" 2>&1 &
pid=$!
sleep 0.5
kill -TERM $pid
wait $pid
check "SIGTERM: exit 0" [ $? -eq 0 ]
check "SIGTERM: the last line is complete JSON" sh -c "tail -1 '$TMPD/term.ndjson' | jq -e . > /dev/null"

# --- on a terminal
if ! command -v tmux > /dev/null; then
	skip "live view: tmux not installed"
	done_testing
fi
if ! grep -q '^#define HAVE_NCURSES 1' "${BUILDDIR:-$SRCDIR}/config.h" 2>/dev/null; then
	skip "live view: built without ncurses"
	done_testing
fi

TM="tmux -L sockmem-top-$$-0"
nsession=0
trap '$TM kill-server 2>/dev/null; cleanup_tmp' EXIT
# start WIDTH HEIGHT COMMAND: the command in a fresh server of its own; the
# shell says how it ended and stays
start() {
	$TM kill-server 2> /dev/null
	nsession=$((nsession + 1))
	TM="tmux -L sockmem-top-$$-$nsession"
	$TM new-session -d -x "$1" -y "$2" "$3; echo TOP-ENDED \$?; sleep 120"
}
screen() { $TM capture-pane -p; }
# wait_for REGEX: until the screen shows it (5 s at most)
wait_for() {
	local _
	for _ in $(seq 50); do
		screen | grep -qE -- "$1" && return 0
		sleep 0.1
	done
	return 1
}
key() { $TM send-keys "$@"; }
alt() { $TM display -p '#{alternate_on}'; }
# shows DESC REGEX: a test point on the screen
shows() {
	if wait_for "$2"; then ok "$1"; else not_ok "$1"; diag "$(screen | head -40)"; fi
}

# A snapshot whose numbers are known: TCP 2800 pages against 2000 3000
# 4000, 2 CPUs x (256 - 1) pages of band, UDP 0 against its own limits.
K=$SRCDIR/tests/trees/tcp-elevated-loaded

start 100 30 "'$SOCKMEM' --root '$K' top -d 2"
shows "snapshot: the view is drawn" "^sockmem top +static: one frame .* snapshot "
check "the alternate screen is on" [ "$(alt)" = 1 ]
screen > "$TMPD/known.screen"
check "TCP's state: elevated" grep -qE '^TCP +elevated +10\.9 MiB \[' "$TMPD/known.screen"
check "UDP's state: normal" grep -qE '^UDP +normal ' "$TMPD/known.screen"
check "the limits and the kernel's flag" grep -qE 'min 7\.81 MiB \| pressure 11\.7 MiB \| max 15\.6 MiB +band \+/-1\.99 MiB +flag no' "$TMPD/known.screen"
check "next threshold: pressure, 784 KiB away" grep -q 'next pressure 800 KiB away' "$TMPD/known.screen"
check "static input: no growth, one frame" grep -q 'static: one frame' "$TMPD/known.screen"
# the bar: column i covers [i, i+1)/width of max; a mark stands where its
# limit falls; usage - band certain (#), usage + band possible (~)
bar=$(awk '/^TCP / { a = index($0, "["); b = index($0, "]"); print a, b, substr($0, a + 1, b - a - 1); exit }' "$TMPD/known.screen")
set -- $bar
bw=$(( $2 - $1 - 1 ))
cells=$3
marks=$(printf '%s' "$cells" | awk '{ for (i = 1; i <= length($0); i++) if (substr($0, i, 1) == "|") printf "%d ", i - 1 }')
want=$(awk -v w=$bw 'BEGIN { printf "%d %d %d ", int(2000 / 4000 * w), int(3000 / 4000 * w), w - 1 }')
if [ "$marks" = "$want" ]; then ok "marks at min, pressure and max: cells $want of $bw"; else not_ok "marks at cells '$marks', want '$want' (bar '$cells')"; fi
used=$(awk -v w=$bw 'BEGIN { print int((2800 - 510) / 4000 * w + 0.5) }')
band=$(awk -v w=$bw 'BEGIN { print int((2800 + 510) / 4000 * w + 0.5) }')
got_used=$(printf '%s' "$cells" | tr -cd '#' | wc -c)
got_band=$(printf '%s' "$cells" | tr -cd '~' | wc -c)
# min lies in the certain part, pressure in the band: one cell each is a mark
check "usage - band: $((used - 1)) cells of # (and the min mark)" [ "$got_used" -eq $((used - 1)) ]
check "the band: $((band - used - 1)) cells of ~ (and the pressure mark)" [ "$got_band" -eq $((band - used - 1)) ]
check "the table lists the snapshot's sockets" grep -qE '127\.0\.0\.1:34137' "$TMPD/known.screen"

# every key says what it did
key t; shows "t: TCP only" "by socket +TCP only"
key u; shows "u: UDP only" "by socket +UDP only"
key u; shows "u again: both" "by socket +TCP\+UDP"
key '>'; shows "> sorts by the next column" "sort change"
key '<'; shows "< back" "sort charged"
key '<'; shows "< wraps to the last column" "sort drops"
key '>'; shows "> wraps to the first" "sort charged"
key o; shows "o: by port" "PROTO PORT +SOCKETS"
key '>'; key '<'; key '<'; shows "by port: a sockets column to sort by" "sort sockets"
key s; shows "s: by socket" "PROTO +STATE +LOCAL +PEER"
key p; shows "p on a snapshot: needs the live system" "by process needs the live system"
key c; shows "c on a snapshot: needs the live system" "by cgroup needs the live system"
key a; shows "a: the other protocols" "^MPTCP +[a-z-]+ +same counter and limits as tcp"
key a; sleep 0.3
check "a again: only TCP and UDP" sh -c "! $TM capture-pane -p | grep -q '^MPTCP'"
key Space; shows "space: paused" "PAUSED"
key Space; sleep 0.3
check "space again: going on" sh -c "! $TM capture-pane -p | grep -q 'PAUSED'"
key '?'; shows "?: the help" "sockmem top: keys"
key x; sleep 0.3
check "any key closes the help" sh -c "! $TM capture-pane -p | grep -q 'sockmem top: keys'"
key x; shows "an unknown key points to the help" "no such key: \? for help"
# a resize to 80x24 draws again, nothing wraps
$TM resize-window -x 80 -y 24 2> /dev/null || $TM resize-pane -x 80 -y 24
sleep 0.5
screen > "$TMPD/small"
check "80x24: 24 lines" [ "$(wc -l < "$TMPD/small")" -eq 24 ]
check "80x24: the title on the first line" sh -c "head -1 '$TMPD/small' | grep -q '^sockmem top '"
check "80x24: TCP's bar whole on the second" sh -c "sed -n 2p '$TMPD/small' | grep -qE '^TCP .*\[[#~.|]+\] +[0-9.]+%$'"
check "80x24: the keys on the last" sh -c "tail -1 '$TMPD/small' | grep -q '^s/p/c/o group'"
check "80x24: no line longer than 80" [ "$(awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }' "$TMPD/small")" -le 80 ]
key q
shows "q: back to the shell, exit 0" "TOP-ENDED 0"
check "q: the alternate screen is off" [ "$(alt)" = 0 ]

# an input missing: named in the status line, the exit status 3 (partial)
cp -R "$K" "$TMPD/nosnmp" && rm "$TMPD/nosnmp/proc/net/snmp"
start 100 30 "'$SOCKMEM' --root '$TMPD/nosnmp' top -d 2"
shows "an input missing: named in the status line" "nosnmp/proc/net/snmp: missing +by socket"
key q
shows "an input missing: q, exit 3" "TOP-ENDED 3"

# Ctrl-C, SIGTERM and --count end it cleanly too
start 100 30 "'$SOCKMEM' --root '$K' top -d 2"
wait_for "^sockmem top" > /dev/null
key C-c
shows "Ctrl-C: exit 0" "TOP-ENDED 0"
check "Ctrl-C: the alternate screen is off" [ "$(alt)" = 0 ]
start 100 30 "'$SOCKMEM' --root '$K' top -d 2"
wait_for "^sockmem top" > /dev/null
kill -TERM $(pgrep -P "$($TM display -p '#{pane_pid}')" -x sockmem)
shows "SIGTERM: exit 0" "TOP-ENDED 0"
check "SIGTERM: the alternate screen is off" [ "$(alt)" = 0 ]
start 100 30 "'$SOCKMEM' top --diag-file '$L/sock_diag/tcp.dump' -d 0.2 -c 3"
shows "--count 3: ends by itself, exit 0" "TOP-ENDED 0"
check "--count: the alternate screen is off" [ "$(alt)" = 0 ]
# the input vanishing: the error once the terminal is back, exit 2
cp "$L/sock_diag/tcp.dump" "$TMPD/vanish.dump"
start 100 30 "'$SOCKMEM' top --diag-file '$TMPD/vanish.dump' -d 0.2"
shows "a recording: drawn" "replay|127\.0\.0\.1:34137"
rm "$TMPD/vanish.dump"
shows "the input vanished: exit 2" "TOP-ENDED 2"
check "the input vanished: the alternate screen is off" [ "$(alt)" = 0 ]
check "the input vanished: the error is on the restored screen" sh -c "$TM capture-pane -p | grep -q 'sockmem: $TMPD/vanish.dump: No such file or directory'"

# ncurses is loaded when the view starts, never at start: a missing or
# broken one gives one report per sample, named, the command going on
if command -v readelf > /dev/null && readelf -d "$SOCKMEM" > "$TMPD/dyn" 2> /dev/null; then
	check "ncurses is not linked at start (dlopen when the view starts)" sh -c "! grep -q 'NEEDED.*curses' '$TMPD/dyn'"
else
	skip "ncurses not linked: $SOCKMEM is not an ELF program readelf reads"
fi
nclib=$(sed -n 's/^#define SM_NCURSES_SONAME "\(.*\)"$/\1/p' "${BUILDDIR:-$SRCDIR}/config.h")
mkdir -p "$TMPD/nolib"
printf 'not a library\n' > "$TMPD/nolib/$nclib"
start 100 30 "LD_LIBRARY_PATH='$TMPD/nolib' '$SOCKMEM' --root '$K' top -d 0.2 -c 2 2> '$TMPD/nc.err'"
shows "no ncurses: top -c 2 ends, exit 0" "TOP-ENDED 0"
check "no ncurses: the library named, reports instead" grep -q "^sockmem: top: the live view needs $nclib, which could not be loaded (.*): one report per sample instead" "$TMPD/nc.err"
# (the history too: two reports of wide by-socket rows scroll past 30 lines)
check "no ncurses: a report on the terminal, not the view" sh -c "$TM capture-pane -p -S - | grep -q '^top 10 by socket' && [ \"\$($TM display -p '#{alternate_on}')\" = 0 ]"

# live, in a private network namespace: sockfill's queues grow between two
# captures; +/- change the interval
FILL=${BUILDDIR:-$SRCDIR}/tests/helpers/sockfill
if [ "$(id -u)" -ne 0 ] || ! unshare -n true 2> /dev/null || [ ! -x "$FILL" ]; then
	skip "live: needs root, unshare -n and tests/helpers/sockfill"
	done_testing
fi
mkfifo "$TMPD/fill.in"
cat > "$TMPD/live.sh" <<EOF
ip link set lo up
exec 7<> '$TMPD/fill.in'
'$FILL' -t 2 -b 1000 < '$TMPD/fill.in' > '$TMPD/fill.out' &
for i in \$(seq 50); do grep -q ready '$TMPD/fill.out' && break; sleep 0.1; done
'$SOCKMEM' --bytes top -d 0.5 --by process
EOF
start 100 30 "unshare -n bash '$TMPD/live.sh'"
shows "live: sockfill's row" "^. [0-9]+ sockfill "
charged() { screen | awk '{ for (i = 1; i < NF; i++) if ($i == "sockfill") { print $(i + 2); exit } }'; }
before=$(charged)
echo "fill 60000" > "$TMPD/fill.in"
sleep 1.5
after=$(charged)
if [ -n "$before" ] && [ -n "$after" ] && [ "$after" -gt "$before" ]; then
	ok "live: the charge grew between two captures ($before -> $after bytes)"
else
	not_ok "live: the charge did not grow ($before -> $after)"; diag "$(screen)"
fi
echo "fill 60000" > "$TMPD/fill.in"
shows "live: the row that grew is marked and its change shown" "^\^ [0-9]+ sockfill +[0-9]+ +[0-9]+ +\+[0-9]+"
shows "live: the title says the interval" "every 0\.5 s"
key +; shows "+: less often" "every 1 s"
key -- -; shows "-: more often" "every 0\.5 s"
shows "live: the pass's cost in the status line" "pass [0-9.]+ ms \([0-9.]+%\)"
key Space; shows "live: paused" "PAUSED"
p1=$(screen | grep -o 'refresh [0-9]*')
sleep 1.2
p2=$(screen | grep -o 'refresh [0-9]*')
check "live: paused, no refresh ($p1)" [ "$p1" = "$p2" ]
key Space
sleep 1.2
p3=$(screen | grep -o 'refresh [0-9]*')
check "live: going on, refreshed ($p3)" [ "$p1" != "$p3" ]
key q
shows "live: q, exit 0" "TOP-ENDED 0"
check "live: the alternate screen is off" [ "$(alt)" = 0 ]
done_testing
