#!/bin/bash
# churn.sh - network namespaces (ip netns add/del, unshare'd processes),
# processes, cgroups and loopback sockets appearing and vanishing while
# show --all-netns, top --by process and top --by cgroup run in a loop: no
# run may crash, every run's figures must add up, and churn is not a fault:
# a namespace, process or cgroup that goes away during the walk is counted
# in deleted_during_walk, and the report is not partial for it (exit 0).
#
# Random churn rarely lands in the window between listing and opening, so
# the loop also forces each race once, deterministically: strace delays
# sockmem's open of a namespace or of a process's /proc/PID/fd, and the test
# deletes it meanwhile; and a cgroup is removed while its sockets live on.
#
# Only namespaces, processes and cgroups this test creates (named
# sockmem-churn-PID-*) are touched; all are removed on every exit path.
# CHURN_SECONDS (default 20) is how long the loop runs.
# SPDX-License-Identifier: GPL-2.0-or-later
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" -eq 0 ] || skip_all "needs root (ip netns, unshare, cgroups, setns)"
command -v ip >/dev/null || skip_all "ip (iproute2) not installed"
command -v unshare >/dev/null || skip_all "unshare (util-linux) not installed"
command -v strace >/dev/null || skip_all "strace not installed (it forces the deletion races)"
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3) || skip_all "python3 not installed"
FILL=${BUILDDIR:-$SRCDIR}/tests/helpers/sockfill
[ -x "$FILL" ] || skip_all "tests/helpers/sockfill not built"
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
CHURN_SECONDS=${CHURN_SECONDS:-20}
# Other tests compare namespace lists and host-wide figures: none meanwhile.
lock_live_exclusive

PFX=sockmem-churn-$$
CG2=$(awk '$9 == "cgroup2" { print $5; exit }' /proc/self/mountinfo)
CG1=$(awk '$9 == "cgroup" && $NF ~ /(^|,)memory(,|$)/ { print $5; exit }' /proc/self/mountinfo)
CGS=
for m in "$CG2" "$CG1"; do
	[ -n "$m" ] && mkdir "$m/$PFX-probe" 2>/dev/null && rmdir "$m/$PFX-probe" && CGS="$CGS $m"
done
R=$TMPD/runs
mkdir -p "$R"
mkfifo "$TMPD/never"
exec 6<> "$TMPD/never"
nap() { read -r -t "$1" -u 6 _; }

# Every process this test started, by id: its descendants.
descendants() {
	local c
	for c in $(ps -o pid= --ppid "$1" 2>/dev/null); do
		descendants "$c"
		echo "$c"
	done
}
# Stop them all: the churn loops end at the stop file; what is left is
# frozen first (so nothing new is forked), then killed, by id.
stop_all() {
	local p i
	[ -d "$TMPD" ] && : > "$TMPD/stop"
	for i in $(seq 50); do
		[ -z "$(for p in $CHURNERS; do kill -0 "$p" 2>/dev/null && echo "$p"; done)" ] && break
		nap 0.1
	done
	for p in $(descendants $$); do kill -STOP "$p" 2>/dev/null; done
	for p in $(descendants $$); do kill -KILL "$p" 2>/dev/null; done
	wait 2>/dev/null
}
CHURNERS=
cleanup() {
	local p m d n
	stop_all
	for n in $(ip netns list 2>/dev/null | awk '{ print $1 }'); do
		case $n in "$PFX"-*) ip netns del "$n" 2>/dev/null ;; esac
	done
	for f in /run/netns/"$PFX"-*; do [ -e "$f" ] && { umount "$f" 2>/dev/null; rm -f "$f"; }; done
	for m in $CGS; do
		for d in "$m/$PFX"-*; do
			[ -d "$d" ] || continue
			for p in $(cat "$d/cgroup.procs" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done
			for p in $(seq 50); do rmdir "$d" 2>/dev/null && break; nap 0.05; done
		done
	done
	rm -rf "$TMPD"
}
trap cleanup EXIT

# --- the churn, each in its own loop
churn_netns() {	# named namespaces, each with sockets for a moment
	local i=0
	while [ ! -e "$TMPD/stop" ]; do
		i=$((i + 1))
		ip netns add "$PFX-ns$i" 2>/dev/null && ip -n "$PFX-ns$i" link set lo up 2>/dev/null &&
			ip netns exec "$PFX-ns$i" "$FILL" -t 2 -b 2000 -u 1 -d 1 < /dev/null > /dev/null 2>&1 &
		[ $i -gt 4 ] && ip netns del "$PFX-ns$((i - 4))" 2>/dev/null
		nap 0.03
	done
}
churn_unshare() {	# processes in namespaces of their own
	while [ ! -e "$TMPD/stop" ]; do
		unshare -n sh -c 'ip link set lo up && exec "$0" -t 2 -b 2000 -u 1 -d 1' "$FILL" \
			< /dev/null > /dev/null 2>&1 &
		unshare -n sleep 0.2 &
		nap 0.05
		wait
	done
}
churn_procs() {	# processes holding sockets, started and killed
	local p
	while [ ! -e "$TMPD/stop" ]; do
		"$FILL" -w -t 3 -b 5000 -u 1 -d 2 > /dev/null 2>&1 &
		p=$!
		nap 0.08
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
}
churn_cgroups() {	# cgroups with a socket-holding process; every other one removed under its sockets
	local j=0 p m
	[ -n "$CGS" ] || return 0
	while [ ! -e "$TMPD/stop" ]; do
		j=$((j + 1))
		for m in $CGS; do mkdir "$m/$PFX-cg$j" 2>/dev/null; done
		(
			for m in $CGS; do echo "$BASHPID" > "$m/$PFX-cg$j/cgroup.procs"; done
			exec "$FILL" -w -t 2 -b 5000
		) > /dev/null 2>&1 &
		p=$!
		nap 0.12
		if [ $((j % 2)) -eq 0 ]; then
			for m in $CGS; do echo "$p" > "$m/cgroup.procs" 2>/dev/null; rmdir "$m/$PFX-cg$j" 2>/dev/null; done
			nap 0.05
			kill "$p" 2>/dev/null
			wait "$p" 2>/dev/null
		else
			kill "$p" 2>/dev/null
			wait "$p" 2>/dev/null
			for m in $CGS; do rmdir "$m/$PFX-cg$j" 2>/dev/null; done
		fi
	done
}
churn_sockets() {	# loopback TCP connections and UDP sockets opened and closed
	exec "$PY" "$SRCDIR/tests/helpers/sockchurn.py" "$TMPD/stop" 16 30000
}

# --- the readers
declare -A CMD=(
	[allnetns]="show --all-netns --json"
	[topproc]="top --by process --json -n 100000"
	[topcg]="top --by cgroup --json -n 100000"
)
run() { # ID KIND
	# shellcheck disable=SC2086
	timeout 60 "$SOCKMEM" ${CMD[$2]} > "$R/$1.$2.out" 2> "$R/$1.$2.err"
	echo $? > "$R/$1.$2.rc"
}

# A run that meets a deletion between its listing and its open: strace
# delays the open of PATH until the test has run DELETE.
in_open() { # PID PATH: wait (5 s at most) until PID is stopped entering open(PATH)
	"$PY" - "$1" "$2" <<'PYEOF'
import sys, time
pid, want = sys.argv[1], sys.argv[2].encode()
end = time.time() + 5
while time.time() < end:
    try:
        f = open("/proc/%s/syscall" % pid).read().split()
        if f and f[0] == "257":        # openat, stopped by strace's delay
            with open("/proc/%s/mem" % pid, "rb") as m:
                m.seek(int(f[2], 16))
                if m.read(len(want) + 1) == want + b"\0":
                    sys.exit(0)
    except (OSError, ValueError, IndexError):
        pass
    time.sleep(0.005)
sys.exit(1)
PYEOF
}
race_run() { # ID KIND PATH DELETE...
	local id=$1 kind=$2 path=$3 p sp i t
	shift 3
	# shellcheck disable=SC2086
	bash -c 'kill -STOP $$; exec "$@"' _ "$SOCKMEM" ${CMD[$kind]} > "$R/$id.$kind.out" 2> "$R/$id.$kind.err" &
	p=$!
	for i in $(seq 1000); do [ "$(cut -d' ' -f3 "/proc/$p/stat" 2>/dev/null)" = T ] && break; nap 0.005; done
	strace -qq -o "$R/$id.trace" -p "$p" -P "$path" -e trace=openat -e inject=openat:delay_enter=1500000 &
	sp=$!
	for i in $(seq 1000); do
		t=$(awk '/^TracerPid/ { print $2 }' "/proc/$p/status" 2>/dev/null)
		[ -n "$t" ] && [ "$t" != 0 ] && break
		nap 0.005
	done
	kill -CONT "$p"
	if in_open "$p" "$path"; then "$@"; echo yes > "$R/$id.raced"; fi
	wait "$p"
	echo $? > "$R/$id.$kind.rc"
	wait "$sp"
}

# The forced races, run in the middle of the churn.
forced_races() {
	local x u v m cg cgid
	# a named namespace unmounted (the first half of ip netns del) while
	# sockmem is about to enter it: setns sees a plain file
	x=$PFX-race-umount
	ip netns add "$x"
	race_run race1 allnetns "/run/netns/$x" umount "/run/netns/$x"
	rm -f "/run/netns/$x"
	echo "namespace $x unmounted during the walk" > "$R/race1.what"
	# a named namespace deleted outright: its name is gone when opened
	x=$PFX-race-del
	ip netns add "$x"
	race_run race2 allnetns "/run/netns/$x" ip netns del "$x"
	echo "namespace $x deleted during the walk" > "$R/race2.what"
	# a process in a namespace of its own exits before its namespace is opened
	mkfifo "$TMPD/race3"
	unshare -n sh -c 'ip link set lo up && exec "$0" -w -t 1 -b 1000' "$FILL" > "$TMPD/race3" 2>&1 &
	u=$!
	read -r _ < "$TMPD/race3"
	race_run race3 allnetns "/proc/$u/ns/net" sh -c "kill $u; while kill -0 $u 2>/dev/null; do sleep 0.01; done"
	wait "$u" 2>/dev/null
	echo "process $u (own namespace) exited during the walk" > "$R/race3.what"
	# a process with sockets exits before its /proc/PID/fd is read
	mkfifo "$TMPD/race4"
	"$FILL" -w -t 2 -b 1000 > "$TMPD/race4" 2>&1 &
	v=$!
	read -r _ < "$TMPD/race4"
	race_run race4 topproc "/proc/$v/fd" sh -c "kill $v; while kill -0 $v 2>/dev/null; do sleep 0.01; done"
	wait "$v" 2>/dev/null
	echo "process $v exited during the walk" > "$R/race4.what"
	# a cgroup removed while its sockets live on (their cgroup id points
	# nowhere): what the walk finds of a cgroup deleted under it
	[ -n "$CG2" ] || return 0
	case " $CGS " in *" $CG2 "*) ;; *) return 0 ;; esac
	cg=$CG2/$PFX-race-cg
	mkdir "$cg"
	cgid=$(stat -c %i "$cg")
	mkfifo "$TMPD/race5"
	( echo "$BASHPID" > "$cg/cgroup.procs"; exec "$FILL" -w -t 2 -b 20000 ) > "$TMPD/race5" 2>&1 &
	v=$!
	read -r _ < "$TMPD/race5"
	echo "$v" > "$CG2/cgroup.procs"
	rmdir "$cg"
	run race5 topcg
	echo "$cgid" > "$R/race5.cgid"
	echo "cgroup $cg removed under its sockets" > "$R/race5.what"
	kill "$v"
	wait "$v" 2>/dev/null
}

# --- go
# (disowned: the shell would report each one killed at the end)
for f in churn_netns churn_unshare churn_procs churn_cgroups churn_sockets; do
	"$f" 9>&- &	# no copy of the live lock (fd 9): a leaked one would hold it
	CHURNERS="$CHURNERS $!"
	disown $!
done
nap 0.5
t0=$SECONDS
n=0
forced=0
while [ $((SECONDS - t0)) -lt "$CHURN_SECONDS" ]; do
	for k in allnetns topproc topcg; do
		n=$((n + 1))
		run "$n" "$k"
	done
	# the forced races once, halfway
	if [ $forced -eq 0 ] && [ $((SECONDS - t0)) -ge $((CHURN_SECONDS / 2)) ]; then
		forced_races
		forced=1
	fi
done
[ $forced -eq 0 ] && forced_races
stop_all

# --- every run, checked
"$PY" - "$R" > "$TMPD/results" 2> "$TMPD/check.err" <<'PYEOF'
import glob, json, os, re, sys
R = sys.argv[1]

def read(p):
    try:
        return open(p, errors="replace").read()
    except OSError:
        return ""

# What each forced race makes go away, in the document's deleted_during_walk
# (sockmem-json(5)): the counter it must raise.
RACE_KEY = {"race1": "network_namespaces", "race2": "network_namespaces",
            "race3": "network_namespaces", "race4": "processes", "race5": "cgroups"}

runs = []
for rcf in sorted(glob.glob(R + "/*.rc")):
    base = os.path.basename(rcf)[:-3]
    rid, kind = base.rsplit(".", 1)
    runs.append((rid, kind, int(read(rcf).strip() or -1), read(R + "/%s.out" % base), read(R + "/%s.err" % base)))

crash, incons, disagree, partial = [], [], [], []
for rid, kind, rc, out, err in runs:
    tag = "%s %s (exit %d)" % (rid, kind, rc)
    try:
        d = json.loads(out)
    except ValueError:
        d = None
    if rc not in (0, 3) or d is None or re.search(r"Sanitizer|runtime error|Segmentation", err):
        crash.append("%s: %s" % (tag, err.strip()[:200] or out[:100]))
        continue
    bad = []
    def nonneg(v, what):
        if not isinstance(v, int) or v < 0:
            bad.append("%s = %r" % (what, v))
    if kind == "allnetns":
        s = d["sockets"]
        per = s.get("per_netns") or []
        if not per:
            bad.append("no namespace listed")
        inos = [p["netns_inode"] for p in per]
        if len(inos) != len(set(inos)):
            bad.append("a namespace listed twice")
        for p in ("tcp", "udp"):
            for f in ("count", "charged_bytes", "charged_pages"):
                nonneg(s[p][f], "%s.%s" % (p, f))
                tot = sum(x[p][f] for x in per)
                if s[p][f] != tot:
                    bad.append("%s.%s %s != %s, the sum of the namespaces" % (p, f, s[p][f], tot))
                for x in per:
                    nonneg(x[p][f], "%s %s.%s" % (x["label"], p, f))
        nn = d["reconciliation"].get("network_namespaces")
        if nn != len(per):
            bad.append("reconciliation.network_namespaces %s != %d listed" % (nn, len(per)))
    else:
        top = d.get("top") or []
        key = "pid" if kind == "topproc" else "cgroup_id"
        keys = [e.get(key) for e in top]
        if len(keys) != len(set(keys)):
            bad.append("a %s listed twice" % key)
        for e in top:
            for f in ("sockets", "charged_bytes", "rmem_alloc_bytes", "fwd_alloc_bytes", "wmem_queued_bytes"):
                nonneg(e.get(f), "%s %s.%s" % (key, e.get(key), f))
            if e.get("sockets", 0) < 1:
                bad.append("%s %s with no socket" % (key, e.get(key)))
            lo = e.get("rmem_alloc_bytes", 0) + e.get("fwd_alloc_bytes", 0)
            hi = lo + e.get("wmem_queued_bytes", 0)
            if not lo <= e.get("charged_bytes", -1) <= hi:
                bad.append("%s %s charged %s outside r+f %d .. r+w+f %d" % (key, e.get(key), e.get("charged_bytes"), lo, hi))
        a = d.get("attribution") or {}
        for f in ("unattributed_sockets", "unattributed_charged_bytes", "processes_scanned", "processes_denied"):
            nonneg(a.get(f), f)
        if isinstance(a.get("processes_denied"), int) and a.get("processes_denied", 0) > a.get("processes_scanned", 0):
            bad.append("more processes denied than scanned")
    if bad:
        incons.append("%s: %s" % (tag, "; ".join(bad[:4])))
    if (rc == 3) != (d.get("partial") is True):
        disagree.append("%s: partial=%s" % (tag, json.dumps(d.get("partial"))))
    if rc != 0 or d.get("partial") is not False:
        probs = (d.get("sockets") or {}).get("problems") or d.get("problems") or []
        partial.append("%s: %s" % (tag, "; ".join(map(str, probs))[:200] or err.strip()[:200]))

loops = sum(1 for r in runs if not r[0].startswith("race"))
print("ok\x1f%d runs (%d in the loop, %d forced races): none crashed, every one printed one JSON document\x1f\x1f%s"
      % (len(runs), loops, len(runs) - loops, " | ".join(crash[:5])) if not crash else
      "not ok\x1fno run crashed or printed no JSON (%d of %d did)\x1f\x1f%s" % (len(crash), len(runs), " | ".join(crash[:5])))
print("%s\x1fevery run's figures add up (sums of the namespaces, counts non-negative, charged within its parts)\x1f\x1f%s"
      % ("not ok" if incons else "ok", " | ".join(incons[:5])))
# Issue 19 a: the top-level partial agrees with the exit status, churn is
# not partial, and what went away is counted in deleted_during_walk.
print("%s\x1fevery run's exit status agrees with its top-level partial (%d disagree)\x1f\x1f%s"
      % ("not ok" if disagree else "ok", len(disagree), " | ".join(disagree[:5])))
print("%s\x1fno run calls its report partial for churn (%d did)\x1f\x1f%s"
      % ("not ok" if partial else "ok", len(partial), " | ".join(partial[:5])))

for rid in ("race1", "race2", "race3", "race4", "race5"):
    what = read(R + "/%s.what" % rid).strip()
    if not what:
        continue
    f = glob.glob(R + "/%s.*.rc" % rid)
    if not f:
        continue
    base = f[0][:-3]
    kind = base.rsplit(".", 1)[1]
    rc = int(read(f[0]).strip() or -1)
    raced = rid == "race5" or os.path.exists(R + "/%s.raced" % rid)
    if not raced:
        print("ok\x1f%s: the race could not be set up\x1fSKIP\x1f" % what)
        continue
    try:
        d = json.loads(read(base + ".out"))
    except ValueError:
        d = {}
    err = read(base + ".err").strip()
    print("%s\x1f%s: exit 0, not partial\x1f%s\x1fexit %d, partial %s; %s" % ("ok" if rc == 0 and d.get("partial") is False else "not ok",
          what, "", rc, json.dumps(d.get("partial")), err[:200]))
    dw = d.get("deleted_during_walk") or {}
    n = dw.get(RACE_KEY[rid])
    if rid == "race5":
        cgid = int(read(R + "/race5.cgid").strip() or 0)
        e = [x for x in d.get("top") or [] if x.get("cgroup_id") == cgid]
        print("%s\x1f%s: its sockets are listed under its cgroup id\x1f\x1f%s" % ("ok" if e else "not ok", what,
              "cgroup id %d not among %d entries" % (cgid, len(d.get("top") or []))))
        print("%s\x1f%s: its entry has no path (the cgroup is gone)\x1f\x1f%s" % (
              "ok" if e and all(x.get("path") is None for x in e) else "not ok", what,
              "paths %s" % [x.get("path") for x in e]))
    print("%s\x1f%s: counted in deleted_during_walk.%s\x1f\x1f%s" % (
          "ok" if isinstance(n, int) and n >= 1 else "not ok", what, RACE_KEY[rid], json.dumps(dw)))
PYEOF
if [ -s "$TMPD/check.err" ]; then not_ok "checking the runs"; diag "$(cat "$TMPD/check.err")"; fi
while IFS=$'\x1f' read -r st desc todo dtext; do
	if [ "$todo" = SKIP ]; then skip "$desc"; continue; fi
	if [ "$st" = ok ]; then
		ok "$desc${todo:+ # TODO $todo}"
	else
		not_ok "$desc${todo:+ # TODO $todo}"
		[ -n "$dtext" ] && diag "$dtext"
	fi
done < "$TMPD/results"
done_testing
