#!/bin/sh
# capture.sh - captures as support engineers receive them: every reader of a
# sosreport's or insights archive's command output given bad input (cut,
# garbage, NUL bytes, a sysctl twice, an ss line cut in skmem:(...)) gives a
# clear message naming the file and line, never a crash; archives with a
# member that climbs out, an absolute member, a link loop, a huge member, or
# cut in half are refused by name; a /proc file and a command output that
# disagree are said.  Offline: the fixtures of tests/captures/ and copies of
# them, never the live system (a sos report made now: capture-live.sh).
# SPDX-License-Identifier: GPL-2.0-or-later
. "$(dirname "$0")/lib.sh"

command -v jq >/dev/null || skip_all "jq not installed"
command -v python3 >/dev/null || skip_all "python3 not installed"
C=$SRCDIR/tests/captures
ARCH=$C/sosreport-vm-6.18-x86_64.tar.xz
HAVE_ARCHIVE=yes
"$SOCKMEM" --root "$ARCH" show --no-sockets > /dev/null 2>&1 || HAVE_ARCHIVE=
GOOD=$TMPD/good
mkdir -p "$GOOD"
tar -xf "$ARCH" -C "$GOOD"
GOOD=$(echo "$GOOD"/sosreport-*)
K=sos_commands/kernel/sysctl_-a
N=sos_commands/networking

# A fresh copy of the good capture in $B for each case.
fresh() { rm -rf "$TMPD/b"; cp -a "$GOOD" "$TMPD/b"; B=$TMPD/b; }

# run DESC WANT_STATUS REL REGEX [ARGS...]: sockmem --root $B show; the
# status and that stderr names $B/REL with REGEX (REL "": the root itself)
run() {
	desc=$1 want=$2 rel=$3 re=$4; shift 4
	"$SOCKMEM" --root "$B" show "$@" > "$TMPD/out" 2> "$TMPD/err"
	st=$?
	if [ "$st" -ne "$want" ]; then
		not_ok "$desc: exit $st, want $want"
		diag "$(head -3 "$TMPD/err")"
	elif [ -n "$re" ] && ! grep -Eq -- "^sockmem: ($B/$rel|sockets): .*$re" "$TMPD/err"; then
		not_ok "$desc: stderr does not name $rel with /$re/"
		diag "$(head -3 "$TMPD/err")"
	else
		ok "$desc -> $st${re:+ /$re/}"
	fi
}

# The fixtures' paths fit the tar format of make dist (99 characters with
# "sockmem-VERSION/" before them): a longer one is left out of the tarball.
long=$(cd "$SRCDIR" && find tests/captures | awk 'length($0) > 99 - 16')
check "fixture paths fit make dist's tar format" [ -z "$long" ]
[ -z "$long" ] || diag "$long"

# ---------------------------------------------------------------- sysctl -a
fresh
head -c "$(( $(wc -c < "$GOOD/$K") - 3 ))" "$GOOD/$K" > "$B/$K"
run "sysctl -a cut mid-line" 3 "$K" "truncated"
fresh
sed -i 's/^\(net.ipv4.tcp_mem = [0-9]*\t[0-9]*\).*/\1/' "$B/$K"
run "sysctl -a: tcp_mem line of 2 values" 3 "$K" "line [0-9]+: 2 values, expected 3"
fresh
sed -i 's/^net.ipv4.tcp_mem = .*/net.ipv4.tcp_mem = 1 x 3/' "$B/$K"
run "sysctl -a: tcp_mem not a number" 3 "$K" "line [0-9]+: value 'x' is not a number"
fresh
echo "net.ipv4.tcp_mem = 1	2	3" >> "$B/$K"
run "sysctl -a: tcp_mem twice, two values" 3 "$K" "given twice with different values"
fresh
printf 'A\000B\n' >> "$B/$K"
run "sysctl -a: NUL byte" 3 "$K" "NUL byte"
fresh
: > "$B/$K"
run "sysctl -a: empty" 3 "$K" "empty file"
fresh
printf 'garbage\nmore garbage\n' > "$B/$K"
run "sysctl -a: garbage" 3 "$K" "not the output of sysctl -a"
fresh
{ echo "sysctl: permission denied on key 'fs.protected_regular'"; cat "$GOOD/$K"; echo "net.future.knob = 1"; } > "$B/$K"
run "sysctl -a: messages and unknown keys skipped" 0 "" ""
fresh
sed -i '/^net.ipv4.tcp_wmem /d' "$B/$K"
"$SOCKMEM" --root "$B" --json show > "$TMPD/out" 2>/dev/null
check "sysctl -a without tcp_wmem: null, the reason names both places" \
	jq -e '.settings.tcp_wmem_bytes == null and (.unavailable | map(select(.what == "net.ipv4.tcp_wmem"))[0].why | test("neither proc/sys/net/ipv4/tcp_wmem nor .*sysctl_-a"))' "$TMPD/out"
sed -i '/^net.ipv4.tcp_mem /d' "$B/$K"
"$SOCKMEM" --root "$B" --json show > "$TMPD/out" 2>/dev/null
check "sysctl -a without tcp_mem (but tcp_rmem): read as a container's" \
	jq -e '.protocols.tcp.limits_pages == null and .source.network_namespace == "child"' "$TMPD/out"

# The kernel's file and sysctl -a disagree: the file is used, the other named.
fresh
mkdir -p "$B/proc/sys/net/ipv4"
echo "1000	2000	3000" > "$B/proc/sys/net/ipv4/tcp_mem"
"$SOCKMEM" --root "$B" show > "$TMPD/txt" 2>&1
st=$?
"$SOCKMEM" --root "$B" --json show > "$TMPD/out" 2>/dev/null
check "disagreeing tcp_mem: exit 0" [ $st -eq 0 ]
check "disagreeing tcp_mem: the kernel's file is used" jq -e '.protocols.tcp.limits_pages.max == 3000' "$TMPD/out"
check "disagreeing tcp_mem: said in text" grep -q "DISAGREE: net.ipv4.tcp_mem: proc/sys/net/ipv4/tcp_mem says '1000 2000 3000' (used), $K line [0-9]* says '287898 383867 575796'" "$TMPD/txt"
check "disagreeing tcp_mem: said in JSON" jq -e '.capture.inputs | map(select(.input == "net.ipv4.tcp_mem"))[0] | .file == "proc/sys/net/ipv4/tcp_mem" and (.conflict | test("sysctl_-a line"))' "$TMPD/out"

# ---------------------------------------------------------------- uname, lscpu, free, date
fresh
echo "garbage" > "$B/sos_commands/kernel/uname_-a"
sed -i '/^kernel.osrelease /d' "$B/$K"
run "uname -a garbage, no kernel.osrelease" 3 "sos_commands/kernel/uname_-a" "not the output of uname -a"
fresh
sed -i '/^kernel.osrelease /d' "$B/$K"
rm "$B/sos_commands/kernel/uname_-a"
run "no release anywhere: partial, every place named" 3 "proc/sys/kernel/osrelease" "missing, and no command output of the capture carries it \(sos_commands/kernel/uname_-a, .*sysctl_-a"
fresh
rm "$B/sys/devices/system/cpu/possible"
"$SOCKMEM" --root "$B" --json show > "$TMPD/out" 2>/dev/null
check "no cpu/possible: CPUs from lscpu, said" jq -e '.source.possible_cpus == 2 and (.capture.inputs | map(select(.input == "possible CPUs"))[0].file == "sos_commands/processor/lscpu")' "$TMPD/out"
echo "garbage" > "$B/sos_commands/processor/lscpu"
"$SOCKMEM" --root "$B" --json show > "$TMPD/out" 2>/dev/null
check "no cpu/possible, lscpu without CPU(s): from /proc/cpuinfo" jq -e '.source.possible_cpus == 2 and (.capture.inputs | map(select(.input == "possible CPUs"))[0].file == "proc/cpuinfo")' "$TMPD/out"
rm "$B/proc/cpuinfo"
run "no cpu/possible, nothing else: partial, every place named" 3 "sys/devices/system/cpu/possible" "missing, and no command output of the capture carries it \(sos_commands/processor/lscpu, insights_commands/lscpu, proc/cpuinfo\)"
echo "CPU(s): many" > "$B/sos_commands/processor/lscpu"
run "lscpu CPU(s) not a number" 3 "sos_commands/processor/lscpu" "CPU\(s\): is not followed by a number"
fresh
rm "$B/proc/meminfo"
echo "garbage" > "$B/sos_commands/memory/free"
run "no meminfo, free garbage" 3 "sos_commands/memory/free" "not the output of free"
fresh
printf 'Tue Dec  1 08:39' > "$B/sos_commands/date/date_--utc"
run "date cut" 3 "sos_commands/date/date_--utc" "truncated"

# ---------------------------------------------------------------- netstat -s, nstat
fresh
P=$(readlink "$B/proc/self")
rm "$B/proc/$P/net/netstat" "$B/proc/$P/net/snmp"
"$SOCKMEM" --root "$B" --json show > "$TMPD/out" 2>/dev/null
check "no proc/net/netstat: counters from netstat -s" jq -e '.counters.TCPMemoryPressures != null and (.capture.inputs | map(select(.input == "proc/net/netstat"))[0].via == "netstat -s")' "$TMPD/out"
check "netstat -s: a zero counter left out is said to be 0 or not counted" jq -e '.unavailable | map(select(.what | test("counters not in netstat -s"))) | length == 1' "$TMPD/out"
head -c "$(( $(wc -c < "$GOOD/$N/netstat_-s") - 2 ))" "$GOOD/$N/netstat_-s" > "$B/$N/netstat_-s"
run "netstat -s cut" 3 "$N/netstat_-s" "truncated"
printf 'this is\nnot netstat\n' > "$B/$N/netstat_-s"
run "netstat -s garbage" 3 "$N/netstat_-s" "line 1: expected a group line"
printf 'TcpExt:\n    TCPRcvQDrop: 99999999999999999999\n' > "$B/$N/netstat_-s"
run "netstat -s counter over 64 bits" 3 "$N/netstat_-s" "line 2: .*out of range"
printf '#kernel\nTcpExtPruneCalled  x  0.0\n' > "$B/$N/nstat_-zas"
run "nstat value not a number (nstat wins over netstat -s)" 3 "$N/nstat_-zas" "line 2: value 'x' is not a counter"

# ---------------------------------------------------------------- ss text
fresh
SS=$N/ss_-peaonmi
awk '/^\t.*skmem:\(/ && !done { sub(/skmem:\(r[0-9]*,rb[0-9]*.*/, "skmem:(r0,rb13"); done = 1 } { print }' "$GOOD/$SS" > "$B/$SS"
run "ss cut mid-skmem" 3 "$SS" "line [0-9]+: skmem:\( is not closed"
"$SOCKMEM" --root "$B" --json show > "$TMPD/out" 2>/dev/null
check "ss cut mid-skmem: the view is partial, not made up" jq -e '.partial == true' "$TMPD/out"
fresh
head -c "$(( $(wc -c < "$GOOD/$SS") / 2 ))" "$GOOD/$SS" > "$B/$SS"
run "ss cut mid-line" 3 "$SS" "truncated"
fresh
printf 'tcp ESTAB 0\n' > "$B/$SS"
run "ss socket line of too few columns" 3 "$SS" "line 1: expected 'STATE RECV-Q SEND-Q LOCAL PEER'"
fresh
printf 'Netid State Recv-Q Send-Q Local Address:Port Peer Address:Port\ntcp ESTAB 0 0 127.0.0.1:1 127.0.0.1:2\n' > "$B/$SS"
run "ss without -m: no socket memory, said" 3 "$SS" "ss was run without -m"
fresh
rm "$B/$SS"
"$SOCKMEM" --root "$B" --json show > "$TMPD/out" 2>"$TMPD/err"
check "no ss output: exit 0, the reason given" jq -e '.sockets_unavailable_reason | test("no ss -peaonmi output")' "$TMPD/out"
# --ss-file and --diag-file with text, --ss-file with a recording
printf 'State Recv-Q Send-Q Local Address:Port Peer Address:Port\nESTAB 0 0 127.0.0.1:1 127.0.0.1:2\n\tskmem:(r0,rb1' > "$TMPD/cut.txt"
"$SOCKMEM" --root "$SRCDIR/tests/trees/linux-6.18-idle" show --ss-file "$TMPD/cut.txt" > /dev/null 2> "$TMPD/err"
check "--ss-file cut: exit 3, file and line named" sh -c "[ $? -eq 3 ] && grep -q '^sockmem: sockets: $TMPD/cut.txt: line 3: truncated' '$TMPD/err'"
"$SOCKMEM" --root "$SRCDIR/tests/trees/linux-6.18-loaded" --json show --ss-file "$SRCDIR/tests/trees/linux-6.18-loaded/sock_diag/tcp.dump" 2>/dev/null | jq -S 'del(.source.collected_at)' > "$TMPD/j1"
"$SOCKMEM" --root "$SRCDIR/tests/trees/linux-6.18-loaded" --json show --diag-file "$SRCDIR/tests/trees/linux-6.18-loaded/sock_diag/tcp.dump" 2>/dev/null | jq -S 'del(.source.collected_at)' > "$TMPD/j2"
check "--ss-file given a recording reads it as --diag-file does" cmp -s "$TMPD/j1" "$TMPD/j2"
"$SOCKMEM" show --diag-file /nonexistent --ss-file /nonexistent > /dev/null 2> "$TMPD/err"
check "--diag-file with --ss-file: usage error" sh -c "[ $? -eq 64 ] && grep -q 'give one of --diag-file and --ss-file' '$TMPD/err'"

# A 2014 capture without its release is not given the newest kernel: its
# counters are exact (no per-CPU band), and its CPUs are not needed.
rm -rf "$TMPD/el6"
cp -a "$C/sosreport-oldhost-2014-03-03-el6" "$TMPD/el6"
rm "$TMPD/el6/sos_commands/kernel/uname_-a"
sed -i '/^kernel.osrelease /d' "$TMPD/el6/$K"
"$SOCKMEM" --root "$TMPD/el6" --json show > "$TMPD/out" 2> "$TMPD/err"
st=$?
check "2014 capture, no release: partial only for the release" sh -c "[ $st -eq 3 ] && [ \$(wc -l < '$TMPD/err') -eq 1 ] && grep -q 'proc/sys/kernel/osrelease: missing' '$TMPD/err'"
check "2014 capture, no release: exact counters, no per-CPU band" jq -e '.source.per_cpu_reserve_pages == 0 and (.unavailable | map(select(.what == "kernel release"))[0].why | test("taken in 2014: a kernel older than Linux 6.0"))' "$TMPD/out"

# A namespace's sysctl -a (sos 4.5+ layout): its per-namespace sysctls are
# shown against the host's; a bad one is a problem naming it.
NS=$C/s45
"$SOCKMEM" --root "$NS" --json show > "$TMPD/out" 2>/dev/null
check "namespace sysctl -a: read, tcp_rmem of the namespace" jq -e '.capture.namespaces[0].name == "x" and .capture.namespaces[0].settings.tcp_rmem_bytes.max == 6291456 and .settings.tcp_rmem_bytes.max == 33554432' "$TMPD/out"
rm -rf "$TMPD/ns"
cp -a "$NS" "$TMPD/ns"
F=sos_commands/networking/namespaces/x/ip_netns_exec_x_sysctl_-a
sed -i 's/^net.ipv4.tcp_rmem = .*/net.ipv4.tcp_rmem = 4096 x/' "$TMPD/ns/$F"
"$SOCKMEM" --root "$TMPD/ns" show > /dev/null 2> "$TMPD/err"
check "namespace sysctl -a with a bad value: partial, file and line named" sh -c "[ $? -eq 3 ] && grep -q '^sockmem: $TMPD/ns/$F: line [0-9]*: value .x. is not a number' '$TMPD/err'"

# The directory a sosreport was extracted into reads as the sosreport.
"$SOCKMEM" --root "$GOOD" --json show --no-sockets 2>/dev/null | jq -S 'del(.source.collected_at, .source.root)' > "$TMPD/j1"
"$SOCKMEM" --root "$(dirname "$GOOD")" --json show --no-sockets 2>/dev/null | jq -S 'del(.source.collected_at, .source.root)' > "$TMPD/j2"
check "the directory holding an extracted sosreport reads as the sosreport" cmp -s "$TMPD/j1" "$TMPD/j2"

# What a capture cannot answer is refused by name.
"$SOCKMEM" --root "$GOOD" snapshot "$TMPD/snap" > /dev/null 2> "$TMPD/err"
check "snapshot of a capture: refused (exit 2), nothing made" sh -c "[ $? -eq 2 ] && [ ! -e '$TMPD/snap' ] && grep -q 'a capture (sosreport, insights archive) is read with --root' '$TMPD/err'"
if [ -n "$HAVE_ARCHIVE" ]; then
	"$SOCKMEM" --root "$ARCH" snapshot "$TMPD/snap" > /dev/null 2> "$TMPD/err"
	check "snapshot of a capture's archive: refused (exit 2), nothing made" sh -c "[ $? -eq 2 ] && [ ! -e '$TMPD/snap' ] && grep -q 'a capture (sosreport, insights archive) is read with --root' '$TMPD/err'"
else
	skip "snapshot of a capture's archive: this sockmem was built without libarchive"
fi
"$SOCKMEM" --root "$(dirname "$GOOD")" snapshot "$TMPD/snap" > /dev/null 2> "$TMPD/err"
check "snapshot of the directory holding an extracted sosreport: refused, nothing made" sh -c "[ $? -eq 2 ] && [ ! -e '$TMPD/snap' ] && grep -q 'a capture (sosreport, insights archive) is read with --root' '$TMPD/err'"
"$SOCKMEM" --root "$SRCDIR/tests/trees/linux-6.18-idle/proc/meminfo" snapshot "$TMPD/snap" > /dev/null 2> "$TMPD/err"
check "snapshot of a file that is no archive: refused, nothing made" sh -c "[ $? -eq 2 ] && [ ! -e '$TMPD/snap' ] && grep -q 'not a directory: a snapshot copies a directory tree' '$TMPD/err'"
"$SOCKMEM" --root "$ARCH" top --by cgroup > /dev/null 2> "$TMPD/err"
check "top --by cgroup of a capture: usage error" sh -c "[ $? -eq 64 ] && grep -q 'cgroups are not in a snapshot, a recorded dump or ss text' '$TMPD/err'"
if [ -n "$HAVE_ARCHIVE" ]; then
	"$SOCKMEM" --root "$C/insights-vm-20261201091500.tar.gz" top > /dev/null 2> "$TMPD/err"
	check "top of an insights archive (ss -tupna): why there is no view" sh -c "[ $? -eq 2 ] && grep -q 'ss -tupna only (no -m: no socket memory)' '$TMPD/err'"
else
	skip "top of an insights archive: this sockmem was built without libarchive"
fi

# ---------------------------------------------------------------- archives
if [ -z "$HAVE_ARCHIVE" ]; then
	skip "archives: this sockmem was built without libarchive"
else
	# mk NAME KIND: a tar.gz of the good capture with one hostile member
	mk() {
		python3 - "$GOOD" "$TMPD/$1.tar.gz" "$2" <<'PYEOF'
import io, os, sys, tarfile
src, out, kind = sys.argv[1:4]
top = os.path.basename(src)
with tarfile.open(out, "w:gz") as t:
    for d, _, files in os.walk(src):
        for f in files + [x for x in os.listdir(d) if os.path.islink(os.path.join(d, x)) and x not in files]:
            p = os.path.join(d, f)
            arc = top + "/" + os.path.relpath(p, src)
            if kind == "loop" and arc.endswith("/proc/net"):
                continue
            t.add(p, arc, recursive=False)
    def member(name, data=b"x\n", link=None):
        i = tarfile.TarInfo(name)
        if link is not None:
            i.type, i.linkname = tarfile.SYMTYPE, link
            t.addfile(i)
        else:
            i.size = len(data)
            t.addfile(i, io.BytesIO(data))
    if kind == "traversal":
        member(top + "/../../etc/evil")
    elif kind == "absolute":
        member("/etc/evil")
    elif kind == "loop":
        member(top + "/proc/net", link="net2")
        member(top + "/proc/net2", link="net")
    elif kind == "escape":
        # a link out of the archive's root stays inside it
        pid = os.readlink(os.path.join(src, "proc/self"))
        member(top + "/proc/self", link="../../../../../../proc/" + pid)
    elif kind == "huge":
        pid = os.readlink(os.path.join(src, "proc/self"))
        member(top + "/proc/" + pid + "/net/sockstat", b"sockets: used 1\n" + b"x" * (2 << 20) + b"\n")
    elif kind == "hugess":
        member(top + "/sos_commands/networking/ss_-peaonmi", b"\n" * (65 << 20))
PYEOF
	}
	arun() { # DESC WANT NAME REGEX
		"$SOCKMEM" --root "$TMPD/$3.tar.gz" show > "$TMPD/out" 2> "$TMPD/err"
		st=$?
		if [ $st -ne "$2" ]; then
			not_ok "$1: exit $st, want $2"; diag "$(head -3 "$TMPD/err")"
		elif ! grep -Eq -- "^sockmem: (sockets: )?$TMPD/$3.tar.gz(/[^:]*)?: .*$4" "$TMPD/err"; then
			not_ok "$1: stderr does not say /$4/"; diag "$(head -3 "$TMPD/err")"
		else
			ok "$1 -> $st /$4/"
		fi
	}
	mk plain none
	"$SOCKMEM" --root "$TMPD/plain.tar.gz" --json show --no-sockets 2>/dev/null | jq -S 'del(.source.collected_at, .source.root, .capture.archive)' > "$TMPD/j1"
	"$SOCKMEM" --root "$GOOD" --json show --no-sockets 2>/dev/null | jq -S 'del(.source.collected_at, .source.root, .capture.archive)' > "$TMPD/j2"
	check "a .tar.gz reads as its directory does" cmp -s "$TMPD/j1" "$TMPD/j2"
	mk traversal traversal
	arun "member with '..'" 2 traversal "member '.*\.\./\.\./etc/evil': its path climbs out of the archive"
	mk absolute absolute
	arun "absolute member" 2 absolute "member '/etc/evil': its path climbs out of the archive"
	mk loop loop
	arun "symbolic link loop" 2 loop "Too many levels of symbolic links"
	mk escape escape
	"$SOCKMEM" --root "$TMPD/escape.tar.gz" --json show --no-sockets 2>/dev/null | jq -S 'del(.source.collected_at, .source.root, .capture.archive)' > "$TMPD/j1"
	check "a link climbing out of the root stays in the archive" cmp -s "$TMPD/j1" "$TMPD/j2"
	mk huge huge
	arun "kernel file of 2 MiB" 2 huge "larger than 1 MiB"
	mk hugess hugess
	arun "ss output of 65 MiB" 3 hugess "larger than 64 MiB"
	head -c 6000 "$ARCH" > "$TMPD/cut.tar.gz"
	arun "archive cut" 2 cut "damaged or cut"
	printf 'not an archive\n' > "$TMPD/text.tar.gz"
	arun "text file" 2 text "not a directory, nor an archive sockmem reads"
	: > "$TMPD/empty.tar.gz"
	arun "empty file" 2 empty "not a directory, nor an archive|empty"

	# libarchive (and its 20 libraries) is loaded when an archive is read,
	# never at start: a missing or broken one fails that archive by name.
	if command -v readelf > /dev/null && readelf -d "$SOCKMEM" > "$TMPD/dyn" 2>/dev/null; then
		check "libarchive is not linked at start (dlopen when an archive is read)" sh -c "! grep -q 'NEEDED.*libarchive' '$TMPD/dyn'"
	else
		skip "libarchive not linked: $SOCKMEM is not an ELF program readelf reads"
	fi
	mkdir -p "$TMPD/nolib" "$TMPD/emptylib"
	printf 'not a library\n' > "$TMPD/nolib/libarchive.so.13"
	LD_LIBRARY_PATH=$TMPD/nolib "$SOCKMEM" --root "$GOOD" --json show --no-sockets 2>/dev/null | jq -S 'del(.source.collected_at, .source.root, .capture.archive)' > "$TMPD/j1"
	check "a directory reads without libarchive" cmp -s "$TMPD/j1" "$TMPD/j2"
	LD_LIBRARY_PATH=$TMPD/nolib "$SOCKMEM" --root "$TMPD/plain.tar.gz" show > "$TMPD/out" 2> "$TMPD/err"
	check "libarchive that cannot be loaded: the archive and the library named (exit 2)" sh -c "[ $? -eq 2 ] && grep -q '^sockmem: $TMPD/plain.tar.gz: reading an archive needs libarchive.so.13 (Debian: libarchive13), which could not be loaded' '$TMPD/err'"
	if command -v cc > /dev/null && printf 'int sm_nothing(void) { return 0; }\n' > "$TMPD/n.c" &&
		cc -shared -fPIC -o "$TMPD/emptylib/libarchive.so.13" "$TMPD/n.c" 2>/dev/null; then
		LD_LIBRARY_PATH=$TMPD/emptylib "$SOCKMEM" --root "$TMPD/plain.tar.gz" show > "$TMPD/out" 2> "$TMPD/err"
		check "a libarchive without its functions: the function named (exit 2)" sh -c "[ $? -eq 2 ] && grep -q '^sockmem: $TMPD/plain.tar.gz: reading an archive needs libarchive.so.13 with archive_read_new, which the one loaded lacks' '$TMPD/err'"
	else
		skip "a libarchive without its functions: no C compiler to make one"
	fi
fi

done_testing
