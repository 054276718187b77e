#!/bin/bash
# top-shared.sh - attribution in top on the live system, in a private network
# namespace: a socket open in two processes after fork is credited to the
# lower PID and marked "(+1 sharing)" (text, by process and by socket) and
# shared_with_processes (JSON), as ss -p lists both; by socket each row names
# its UID and PID; --by peer-port groups by the remote port.
# SPDX-License-Identifier: GPL-2.0-or-later
. "$(dirname "$0")/lib.sh"

command -v jq > /dev/null || skip_all "jq not installed"
PY3=$(command -v python3) || skip_all "python3 not installed"
[ "$(id -u)" -eq 0 ] || skip_all "needs root (unshare -n)"
unshare -n true 2> /dev/null || skip_all "unshare -n not permitted"
lock_live_shared

# a listener, one connection with unread data, then a fork: the child holds
# every socket of the parent; the parent prints both PIDs and the port
cat > "$TMPD/fork.py" <<'PYEOF'
import os, socket, sys
ls = socket.socket()
ls.bind(("127.0.0.1", 0))
ls.listen(8)
c = socket.create_connection(("127.0.0.1", ls.getsockname()[1]))
s, _ = ls.accept()
c.send(b"x" * 100000)
r, w = os.pipe()
pid = os.fork()
if pid == 0:
    os.read(r, 1)
    os._exit(0)
print(os.getpid(), pid, ls.getsockname()[1], flush=True)
sys.stdin.readline()
os.write(w, b"q")
os.waitpid(pid, 0)
PYEOF
cat > "$TMPD/run.sh" <<RUNEOF
ip link set lo up
exec 7<> '$TMPD/in'
'$PY3' '$TMPD/fork.py' < '$TMPD/in' > '$TMPD/pids' &
for i in \$(seq 50); do [ -s '$TMPD/pids' ] && break; sleep 0.1; done
'$SOCKMEM' top --by process > '$TMPD/proc.txt' 2>&1
'$SOCKMEM' --json top --by process > '$TMPD/proc.json' 2>&1
'$SOCKMEM' top --by socket > '$TMPD/sock.txt' 2>&1
'$SOCKMEM' --json top --by socket > '$TMPD/sock.json' 2>&1
'$SOCKMEM' --json top --by peer-port > '$TMPD/peer.json' 2>&1
ss -tnp > '$TMPD/ss.txt'
echo q >&7
wait
RUNEOF
mkfifo "$TMPD/in"
timeout 60 unshare -n bash "$TMPD/run.sh"
read -r parent child port < "$TMPD/pids"
diag "parent $parent child $child port $port"
check "ss -p lists both processes" grep -qE "pid=($child|$parent),.*pid=($child|$parent)," "$TMPD/ss.txt"
check "by process: the parent's row says +1 sharing" grep -qE "^ *$parent python3 \(\+1 sharing\) +3 " "$TMPD/proc.txt"
check "by process: the child has no row of its own (credited once)" sh -c "! grep -qE '^ *$child ' '$TMPD/proc.txt'"
check "by process: the PID column is right-aligned under PID" \
	sh -c "sed -n 2p '$TMPD/proc.txt' | grep -q '^    PID COMMAND '"
check "by process JSON: shared_sockets 3, shared_with_processes 1" \
	jq -e --argjson p "$parent" '.top[] | select(.pid == $p) | .shared_sockets == 3 and .shared_with_processes == 1' "$TMPD/proc.json"
check "by socket: the rows name UID 0, the parent's PID, +1 sharing" \
	grep -qE "127\.0\.0\.1:$port .* 0 +$parent python3 \(\+1 sharing\)" "$TMPD/sock.txt"
check "by socket: the listener's peer is '*', as ss" grep -qE "LISTEN +127\.0\.0\.1:$port +0\.0\.0\.0:\* " "$TMPD/sock.txt"
check "by socket JSON: pid, comm, shared_with_processes on its 3 sockets" \
	jq -e --argjson p "$parent" '[.top[] | select(.pid == $p and .comm == "python3" and .shared_with_processes == 1)] | length == 3' "$TMPD/sock.json"
check "by peer-port JSON: the connection to the listener's port is one row; the listener none" \
	jq -e --argjson port "$port" '.by == "peer-port" and ([.top[] | select(.port == $port)] | length == 1) and ([.top[].sockets] | add) == 2' "$TMPD/peer.json"
schema_init
for f in proc sock peer; do
	printf '%s\t%s\tvalid\n' "top JSON ($f) validates against the schema" "$TMPD/$f.json" >> "$schema_list"
done
schema_validate
done_testing
