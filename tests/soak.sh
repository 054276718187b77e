#!/bin/bash
# soak.sh - watch for a long time with sockets churning: the textfile
# (watch --format prometheus --output FILE) is never seen torn by a reader
# that parses every version it finds with the Prometheus client parser; the
# NDJSON stream (watch --json) loses no sample; both processes' RSS and
# open file descriptors stay flat: the maximum over the last window of
# samples against the maximum over the first, within 64 KiB and 0 fds.
#
# make check runs the short form (SOAK_SAMPLES=600, windows of 60 samples);
# make check-soak the long one (10,000 samples, windows of 1,000).
# SOAK_INTERVAL is the sampling interval (default 0.05 s, watch's minimum);
# SOAK_WINDOW the window (default a tenth of the samples, at most 1,000).
# The first window starts after SOAK_WARMUP samples (default 120): watch
# keeps that many samples of history for its growth rate, and the memory
# for their pairwise slopes grows until the history is full.
#
# As root it runs in a network namespace of its own (loopback only), so the
# sockets watch dumps are the test's, not whatever else the machine runs.
# SPDX-License-Identifier: GPL-2.0-or-later
if [ -z "${SOAK_NETNS:-}" ] && [ "$(id -u)" -eq 0 ] && command -v ip >/dev/null &&
	unshare -n true 2>/dev/null; then
	export SOAK_NETNS=1
	exec unshare -n sh -c 'ip link set lo up && exec bash "$0"' "$0"
fi
. "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3) || skip_all "python3 not installed"
"$PY" -c 'import prometheus_client.parser' 2>/dev/null ||
	skip_all "the Prometheus client parser (python3-prometheus-client) is not installed"
SOAK_SAMPLES=${SOAK_SAMPLES:-600}
SOAK_INTERVAL=${SOAK_INTERVAL:-0.05}
w=$((SOAK_SAMPLES / 10))
[ $w -gt 1000 ] && w=1000
SOAK_WINDOW=${SOAK_WINDOW:-$w}
SOAK_WARMUP=${SOAK_WARMUP:-120}
[ $((SOAK_WARMUP + 2 * SOAK_WINDOW)) -le "$SOAK_SAMPLES" ] ||
	skip_all "SOAK_SAMPLES=$SOAK_SAMPLES: fewer than the warm-up ($SOAK_WARMUP) and two windows ($SOAK_WINDOW)"
# A sanitizer keeps freed memory in quarantine: RSS says nothing then.
SANITIZED=0
{ ldd "$SOCKMEM" 2>/dev/null | grep -q libasan || grep -q AddressSanitizer "$SOCKMEM" 2>/dev/null; } && SANITIZED=1
# It loads the host: no test that compares host-wide figures meanwhile.
lock_live_exclusive

PIDS=
cleanup() {
	local p
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$TMPD"
}
trap cleanup EXIT

# loopback TCP connections with queued data and UDP sockets, opened and
# closed all the time
"$PY" "$SRCDIR/tests/helpers/sockchurn.py" "$TMPD/stop" 24 60000 9>&- &
PIDS="$PIDS $!"

mkdir -p "$TMPD/textfile"
F=$TMPD/textfile/sockmem.prom
"$SOCKMEM" watch --format prometheus --output "$F" --interval "$SOAK_INTERVAL" --count "$SOAK_SAMPLES" \
	> "$TMPD/wp.out" 2> "$TMPD/wp.err" 9>&- &
WP=$!
PIDS="$PIDS $WP"
"$SOCKMEM" watch --json --interval "$SOAK_INTERVAL" --count "$SOAK_SAMPLES" > "$TMPD/w.ndjson" 2> "$TMPD/wj.err" 9>&- &
WJ=$!
PIDS="$PIDS $WJ"

# The reader and the monitor, in one process until both watch processes end.
"$PY" - "$F" "$TMPD/w.ndjson" "$WP" "$WJ" "$SOAK_SAMPLES" "$SOAK_INTERVAL" "$SOAK_WINDOW" "$SANITIZED" "$SOAK_WARMUP" \
	> "$TMPD/results" 2> "$TMPD/reader.err" <<'PYEOF'
import json, os, sys, time
from prometheus_client.parser import text_string_to_metric_families
F, NDJ, WP, WJ = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
N, IV, W, SANITIZED = int(sys.argv[5]), float(sys.argv[6]), int(sys.argv[7]), sys.argv[8] == "1"
WARM = int(sys.argv[9])

def alive(pid):
    try:
        st = open("/proc/%d/stat" % pid).read()
        return st.rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False

def usage(pid):
    """(VmRSS in KiB, open fds) of a process, or None once it has gone."""
    try:
        rss = next(int(l.split()[1]) for l in open("/proc/%d/status" % pid) if l.startswith("VmRSS:"))
        return rss, len(os.listdir("/proc/%d/fd" % pid))
    except (OSError, StopIteration):
        return None

last_key, families0 = None, None
versions = torn = 0
torn_why = []
ndj_buf, ndj_off, lines, bad_lines = b"", 0, [], []
mon = {WP: [], WJ: []}         # (samples so far, rss, fds)
while True:
    done = not alive(WP) and not alive(WJ)
    # every new version of the textfile: read whole, parsed, complete
    try:
        st = os.stat(F)
        key = (st.st_ino, st.st_mtime_ns, st.st_size)
        if key != last_key:
            with open(F, "rb") as f:
                data = f.read()
                fst = os.fstat(f.fileno())
            last_key = (fst.st_ino, fst.st_mtime_ns, fst.st_size)
            versions += 1
            why = None
            if len(data) != fst.st_size:
                why = "read %d bytes of %d" % (len(data), fst.st_size)
            elif not data.endswith(b"\n"):
                why = "no final newline"
            else:
                try:
                    fams = {m.name for m in text_string_to_metric_families(data.decode())}
                    if families0 is None:
                        families0 = fams
                    missing = sorted(set(families0) - set(fams))
                    if missing:
                        why = "families of the first version missing: %s" % missing[:3]
                except Exception as e:  # the parser's errors are ValueError, TypeError...
                    why = "does not parse: %s" % e
            if why:
                torn += 1
                torn_why.append("version %d: %s" % (versions, why))
    except FileNotFoundError:
        pass
    # the NDJSON stream: every complete line
    try:
        with open(NDJ, "rb") as f:
            f.seek(ndj_off)
            chunk = f.read()
            ndj_off += len(chunk)
        ndj_buf += chunk
        while b"\n" in ndj_buf:
            l, ndj_buf = ndj_buf.split(b"\n", 1)
            try:
                d = json.loads(l)
                lines.append((d.get("sample"), d.get("sample_time_unix_s")))
            except ValueError:
                bad_lines.append(len(lines) + 1)
                lines.append((None, None))
    except FileNotFoundError:
        pass
    # measured at every turn (5 ms): a socket or file open only during a
    # sample is caught in both windows
    for pid, prog in ((WP, versions), (WJ, len(lines))):
        u = usage(pid)
        if u:
            mon[pid].append((prog, u[0], u[1]))
    if done:
        break
    time.sleep(0.005)

def emit(good, desc, dtext=""):
    print("\x1f".join(("ok" if good else "not ok", desc, "", dtext)))

emit(versions >= N // 2 and torn == 0,
     "textfile: %d versions read while %d were written, none torn (every one complete, parsed, "
     "all %d families)" % (versions, N, len(families0 or {})), "; ".join(torn_why[:5]))
nums = [s for s, t in lines]
times = [t for s, t in lines]
emit(nums == list(range(1, N + 1)) and not bad_lines,
     "NDJSON: %d lines, samples 1..%d consecutive, each one JSON object" % (len(lines), N),
     "bad lines %s; first numbers %s; last %s" % (bad_lines[:5], nums[:3], nums[-3:]))
emit(all(isinstance(t, (int, float)) for t in times) and all(b > a for a, b in zip(times, times[1:])),
     "NDJSON: sample_time_unix_s strictly increasing")
gaps = [b - a for a, b in zip(times, times[1:]) if isinstance(a, (int, float)) and isinstance(b, (int, float))]
if gaps:
    gaps.sort()
    print("\x1fdiag\x1f\x1fintervals between samples: median %.3f s, max %.3f s" % (gaps[len(gaps) // 2], gaps[-1]))

for pid, name, total in ((WP, "watch --format prometheus --output", versions), (WJ, "watch --json", N)):
    m = mon[pid]
    first = [x for x in m if WARM < x[0] <= WARM + W]
    last = [x for x in m if x[0] > total - W]
    if not first or not last:
        emit(False, "%s: RSS and fds sampled in the first and the last %d samples" % (name, W),
             "%d measurements" % len(m))
        continue
    r0, r1 = max(x[1] for x in first), max(x[1] for x in last)
    f0, f1 = max(x[2] for x in first), max(x[2] for x in last)
    if SANITIZED:
        print("ok\x1f%s: RSS flat: not measured, a sanitizer build (max %d KiB last, %d KiB first) # SKIP\x1f\x1f"
              % (name, r1, r0))
    else:
        emit(r1 - r0 <= 64, "%s: RSS flat: max %d KiB over the last %d samples, %d KiB over samples %d-%d "
             "(within 64 KiB)" % (name, r1, W, r0, WARM + 1, WARM + W))
    emit(f1 - f0 <= 0, "%s: open fds flat: max %d over the last %d samples, %d over samples %d-%d"
         % (name, f1, W, f0, WARM + 1, WARM + W))
PYEOF
rr=$?
wait "$WP"
st_p=$?
wait "$WJ"
st_j=$?
: > "$TMPD/stop"
check "watch --format prometheus --output: $SOAK_SAMPLES samples, exit 0 (got $st_p)" [ "$st_p" -eq 0 ]
check "watch --json: $SOAK_SAMPLES samples, exit 0 (got $st_j)" [ "$st_j" -eq 0 ]
check "nothing on stderr" sh -c "[ ! -s '$TMPD/wp.err' ] && [ ! -s '$TMPD/wj.err' ]"
check "no temporary file left beside the textfile" [ "$(ls -A "$TMPD/textfile")" = sockmem.prom ]
[ $rr -eq 0 ] || { not_ok "the reader ran"; diag "$(tail -5 "$TMPD/reader.err")"; }
while IFS=$'\x1f' read -r st desc todo dtext; do
	case $st in
	ok) ok "$desc" ;;
	"not ok") not_ok "$desc"; [ -n "$dtext" ] && diag "$dtext" ;;
	"") diag "$dtext" ;;
	esac
done < "$TMPD/results"
for f in wp.err wj.err; do [ -s "$TMPD/$f" ] && diag "$f: $(head -3 "$TMPD/$f")"; done
done_testing
