#!/bin/bash
# watch-tty.sh - watch's terminal view under tmux: in a 60x12 terminal every
# line is cut at the width (none wraps) and the header stays on the first
# line; q quits (exit 0, the screen restored); --json into head -1 ends with
# exit 0.
# SPDX-License-Identifier: GPL-2.0-or-later
. "$(dirname "$0")/lib.sh"

lock_live_shared
"$SOCKMEM" watch --json -i 0.2 2> "$TMPD/err" | head -1 > /dev/null
check "watch --json | head -1: exit 0" [ "${PIPESTATUS[0]}" -eq 0 ]
check "watch --json | head -1: nothing on stderr" [ ! -s "$TMPD/err" ]
command -v tmux > /dev/null || { skip "terminal view: tmux not installed"; done_testing; }
S=sockmem-watch-tty-$$
trap 'tmux -L "$S" kill-server 2>/dev/null; cleanup_tmp' EXIT
tmux -L "$S" new-session -d -x 60 -y 12 "NO_COLOR= TERM=xterm-256color '$SOCKMEM' watch --interval 0.3; echo WATCH-ENDED \$?; sleep 30"
for _ in $(seq 50); do tmux -L "$S" capture-pane -p | grep -q 'top holders\|counter rates' && break; sleep 0.1; done
sleep 0.7	# a few redraws
tmux -L "$S" capture-pane -p -J > "$TMPD/screen"
check "60x12: the header is the first line" grep -q '^sockmem watch ' "$TMPD/screen"
check "60x12: no line wraps (tmux joins none longer than 60)" awk 'length > 60 { exit 1 }' "$TMPD/screen"
check "60x12: the protocols are on the screen" grep -q '^TCP ' "$TMPD/screen"
tmux -L "$S" resize-window -x 120 -y 30 2> /dev/null
sleep 0.8
check "the header says q quits" sh -c "tmux -L '$S' capture-pane -p | grep -q '(q or Ctrl-C to quit)'"
tmux -L "$S" send-keys q
for _ in $(seq 30); do tmux -L "$S" capture-pane -p | grep -q WATCH-ENDED && break; sleep 0.1; done
check "q quits: exit 0" sh -c "tmux -L '$S' capture-pane -p | grep -q 'WATCH-ENDED 0'"
check "q quits: the alternate screen is left" sh -c "! tmux -L '$S' capture-pane -p | grep -q '^sockmem watch '"
done_testing
