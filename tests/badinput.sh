#!/bin/sh
# badinput.sh - every input missing, empty, truncated, garbage, with extra
# fields, overflowing, negative, with NUL bytes, huge, or a directory: each
# gives its documented outcome (sockmem(8) DIAGNOSTICS), never a crash and
# never a silent zero.  A newer kernel's longer keys, more keys, lines,
# columns and counters give the same full report.  The tree is links to a
# good snapshot under a Kubernetes-length path; a case corrupts a copy of one
# file (and every problem must name that path in full).
# SPDX-License-Identifier: GPL-2.0-or-later
. "$(dirname "$0")/lib.sh"

command -v jq >/dev/null || skip_all "jq not installed"
GOOD=$(cd "$SRCDIR/tests/trees/linux-6.18-idle" && pwd)
LISTINPUTS=${BUILDDIR:-$SRCDIR}/tests/helpers/listinputs
[ -x "$LISTINPUTS" ] || skip_all "tests/helpers/listinputs not built"
# where a snapshot taken in a pod may sit: 190 characters below $TMPD
K8S=kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod0b1c2d3e_4f50_6172_8394_a5b6c7d8e9f0.slice
K8S=$K8S/cri-containerd-$(printf '%064d' 0 | tr 0 e).scope
B=$TMPD/$K8S
mkdir -p "$B"
(cd "$GOOD" && find . -type d) | while read -r d; do mkdir -p "$B/$d"; done
(cd "$GOOD" && find . -type f) | while read -r f; do ln -s "$GOOD/${f#./}" "$B/${f#./}"; done

# own REL: a copy of the good file in place of its link, to change
own() { rm -rf "${B:?}/$1"; if [ -e "$GOOD/$1" ]; then cp "$GOOD/$1" "$B/$1"; fi; }
# restore REL: the link to the good file again
restore() { rm -rf "${B:?}/$1"; if [ -e "$GOOD/$1" ]; then ln -s "$GOOD/$1" "$B/$1"; fi; }

# corrupt REL KIND (never through the link: the file is replaced)
corrupt() {
	cf=$B/$1
	rm -rf "$cf"
	case $2 in
	missing) ;;
	empty) : > "$cf" ;;
	truncated) head -c "$(( $(wc -c < "$GOOD/$1") - 2 ))" "$GOOD/$1" > "$cf" ;;
	garbage) printf 'this is not a kernel file\n\001\002 garbage\n' > "$cf" ;;
	overflow) sed -E 's/[0-9]+/18446744073709551616/' "$GOOD/$1" > "$cf" ;;
	negative) sed -E 's/(^|[ :\t])([0-9]+)/\1-\2/' "$GOOD/$1" > "$cf" ;;
	nul) printf 'A\000B\n' | cat "$GOOD/$1" - > "$cf" ;;
	huge) { cat "$GOOD/$1"; head -c 2097152 /dev/zero | tr '\0' 'x'; echo; } > "$cf" ;;
	longline) { head -c 900000 /dev/zero | tr '\0' '7'; echo; } > "$cf" ;;
	directory) mkdir "$cf" ;;
	extra) extra_fields "$1" > "$cf" ;;
	esac
}

# A newer kernel's file: unknown keys, columns, groups or lines added.
extra_fields() {
	case $1 in
	proc/net/sockstat) sed 's/^TCP: \(.*\)$/TCP: \1 pressure 0 future 7/' "$GOOD/$1"; echo "NEWPROTO: inuse 3 mem 9" ;;
	proc/net/protocols) sed '1s/$/ zz/; 2,$s/$/ y/' "$GOOD/$1" ;;
	proc/net/netstat|proc/net/snmp) sed '1s/$/ FutureCounter/; 2s/$/ 5/' "$GOOD/$1"; printf 'NewExt: A B\nNewExt: 1 2\n' ;;
	proc/meminfo) cat "$GOOD/$1"; echo "FutureField:     1 kB" ;;
	*) cat "$GOOD/$1" ;;
	esac
}

# run REL KIND WANT_STATUS WANT_REGEX: status, stderr and stdout are checked
# now; the JSON of a report (exit 0 or 3) with the others' in one jq run by
# check_reports (a jq per case was most of this script's time).
mkdir "$TMPD/json"
: > "$TMPD/json.list"
run() {
	corrupt "$1" "$2"
	"$SOCKMEM" --root "$B" --json show > "$TMPD/out" 2> "$TMPD/err"
	st=$?
	restore "$1"
	what="$1 $2"
	if [ "$st" -ne "$3" ]; then
		not_ok "$what: exit $st, want $3"
		diag "$(head -3 "$TMPD/err")"
		return
	fi
	if [ -n "$4" ] && ! grep -Eq -- "^sockmem: $B/$1: .*$4" "$TMPD/err"; then
		not_ok "$what: stderr does not name the file with /$4/"
		diag "$(head -3 "$TMPD/err")"
		return
	fi
	case $st in
	0|3)
		k=$(($(wc -l < "$TMPD/json.list") + 1))
		mv "$TMPD/out" "$TMPD/json/$k"
		printf '%s\t%s\t%s\n' "$st" "$B/$1" "$what -> $st${4:+ /$4/}" >> "$TMPD/json.list" ;;
	2)
		if [ -s "$TMPD/out" ]; then
			not_ok "$what: exit 2 but stdout not empty"
			return
		fi
		ok "$what -> $st${4:+ /$4/}" ;;
	esac
}

# The reports of run: partial exactly when the exit status is 3, and then
# problems[] names the file.
check_reports() {
	k=$(wc -l < "$TMPD/json.list")
	[ "$k" -gt 0 ] || return 0
	# shellcheck disable=SC2046
	jq -r '[(.partial | tostring), (.problems | map(.file) | join("\u001f"))] | @tsv' \
		$(seq -f "$TMPD/json/%g" 1 "$k") > "$TMPD/json.got" 2>/dev/null
	paste "$TMPD/json.list" "$TMPD/json.got" | while IFS="$(printf '\t')" read -r st file what partial files; do
		want_partial=false; [ "$st" -eq 3 ] && want_partial=true
		if [ "$partial" != "$want_partial" ]; then
			echo "not ok $what: JSON partial=$partial, want $want_partial"
		elif [ "$st" -eq 3 ] && ! printf '%s\n' "$files" | tr '\037' '\n' | grep -qxF -- "$file"; then
			echo "not ok $what: problems[] does not name the file"
		else
			echo "ok $what"
		fi
	done > "$TMPD/json.tap"
	while read -r l; do
		case $l in
		"ok "*) ok "${l#ok }" ;;
		*) not_ok "${l#not ok }" ;;
		esac
	done < "$TMPD/json.tap"
	rm -f "$TMPD/json"/*
	: > "$TMPD/json.list"
}

# sockstat: without it there is no usage to report -> 2
S=proc/net/sockstat
run $S missing 2 "missing"
run $S empty 2 "empty file"
run $S truncated 2 "line 6: truncated"
run $S garbage 2 "line 1: expected 'NAME: key value"
run $S overflow 2 "line 1: sockets used: '18446744073709551616' is out of range"
run $S negative 2 "line 1: sockets used: '-[0-9]+' is negative"
run $S nul 2 "line 7: NUL byte"
run $S huge 2 "larger than 1 MiB"
run $S longline 2 "line 1: expected"
run $S directory 2 "is a directory"
run $S extra 0 ""

# Inputs the report can do without: partial report, exit 3
for f in proc/net/protocols proc/net/netstat proc/net/snmp proc/meminfo \
	 proc/sys/kernel/osrelease sys/devices/system/cpu/possible; do
	run $f missing 3 "missing"
	run $f empty 3 "empty file|no MemTotal"
	run $f garbage 3 "line 1|no MemTotal"
	run $f nul 3 "NUL byte"
	run $f huge 3 "larger than 1 MiB"
	run $f directory 3 "is a directory"
	run $f extra 0 ""
done
run proc/net/protocols truncated 3 "truncated"
run proc/net/netstat truncated 3 "truncated"
run proc/net/netstat overflow 3 "out of range"
run proc/net/snmp truncated 3 "truncated"
run proc/meminfo overflow 3 "out of range"
run sys/devices/system/cpu/possible negative 3 "bad CPU range"

# sockstat6 absent: IPv6 disabled, not a problem
run proc/net/sockstat6 missing 0 ""
run proc/net/sockstat6 garbage 3 "line 1"

# sysctls: absent is explained (unavailable[]), bad content is a problem
for f in proc/sys/net/ipv4/tcp_mem proc/sys/net/ipv4/udp_mem proc/sys/net/core/mem_pcpu_rsv \
	 proc/sys/net/ipv4/tcp_rmem proc/sys/net/core/rmem_max; do
	run $f missing 0 ""
	run $f empty 3 "empty file"
	run $f garbage 3 "line 1"
	run $f overflow 3 "out of range"
	run $f negative 3 "negative"
	run $f truncated 3 "truncated|values, expected|value '"
	run $f nul 3 "NUL byte"
done

check_reports

# Missing limits are explained, not zero.
rm "$B/proc/sys/net/ipv4/tcp_mem"
"$SOCKMEM" --root "$B" --json show > "$TMPD/out" 2>/dev/null
restore proc/sys/net/ipv4/tcp_mem
check "tcp_mem absent: limits null, state unknown" \
	jq -e '.protocols.tcp.limits_pages == null and .protocols.tcp.state == "unknown"' "$TMPD/out"
check "tcp_mem absent: reason given" \
	jq -e '.unavailable | map(select(.what == "net.ipv4.tcp_mem")) | length == 1' "$TMPD/out"

# A counter absent from netstat is null, not 0.
own proc/net/netstat
awk -v N=TCPMemoryPressuresChrono 'NR == 1 { for (i = 2; i <= NF; i++) if ($i == N) c = i } NR <= 2 { $c = ""; $0 = $0; gsub(/  +/, " ") } { print }' \
	"$GOOD/proc/net/netstat" > "$B/proc/net/netstat"
"$SOCKMEM" --root "$B" --json show > "$TMPD/out" 2>"$TMPD/err"
restore proc/net/netstat
check "absent counter is null" jq -e '.counters.TCPMemoryPressuresChrono == null and .counters.TCPMemoryPressures == 0' "$TMPD/out"

# A newer kernel's longer and more keys, lines, columns and counters: the
# full report (exit 0), the same as from the good tree.
STABLE='del(.source.collected_at)'
"$SOCKMEM" --root "$B" --json show 2>/dev/null | jq -S "$STABLE" > "$TMPD/good.json"
# newer REL DESC: REL is $TMPD/new, a newer kernel's (not a pipe: the test
# counter must stay in this shell)
newer() {
	rm -f "$B/$1"
	mv "$TMPD/new" "$B/$1"
	"$SOCKMEM" --root "$B" --json show > "$TMPD/out" 2> "$TMPD/err"
	st=$?
	restore "$1"
	if [ $st -ne 0 ]; then
		not_ok "$2: exit $st, want 0 (a full report)"
		diag "$(head -3 "$TMPD/err")"
	elif ! jq -S "$STABLE" "$TMPD/out" | cmp -s - "$TMPD/good.json"; then
		not_ok "$2: the report differs from the good tree's"
		jq -S "$STABLE" "$TMPD/out" | diff "$TMPD/good.json" - | head -5 | while read -r l; do diag "$l"; done
	else
		ok "$2: full report, the same values"
	fi
}
K30=a_sockstat_key_of_30_chars_xyz
sed "s/^TCP: inuse \([0-9]*\)/TCP: inuse \1 $K30 4/" "$GOOD/proc/net/sockstat" > "$TMPD/new"
newer proc/net/sockstat "sockstat key of 30 characters before mem"
sed 's/^TCP: \(.*\) mem \([0-9]*\)$/TCP: \1 k1 1 k2 2 k3 3 k4 4 k5 5 k6 6 k7 7 mem \2/' "$GOOD/proc/net/sockstat" > "$TMPD/new"
newer proc/net/sockstat "sockstat line of 12 keys, mem the twelfth"
{ cat "$GOOD/proc/net/sockstat"; i=0; while [ $i -lt 40 ]; do echo "NEW$i: inuse $i"; i=$((i + 1)); done; } > "$TMPD/new"
newer proc/net/sockstat "sockstat of 46 lines"
sed 's/^TCP6: \(.*\)$/TCP6: \1 k1 1 k2 2 k3 3 k4 4 k5 5 k6 6 k7 7 k8 8 k9 9 k10 10 k11 11/' "$GOOD/proc/net/sockstat6" > "$TMPD/new"
newer proc/net/sockstat6 "sockstat6 line of 12 keys"
N200=$(printf 'TCPAFutureCounterNamedAtLength%0170d' 0)
awk -v N="$N200" '$1 == "TcpExt:" { $1 = $1 " " (++k == 1 ? N : 7) } { print }' "$GOOD/proc/net/netstat" > "$TMPD/new"
newer proc/net/netstat "netstat counter name of 200 characters first"
awk -v N="$N200" '$1 == "Udp:" { $1 = $1 " " (++k == 1 ? N : 7) } { print }' "$GOOD/proc/net/snmp" > "$TMPD/new"
newer proc/net/snmp "snmp counter name of 200 characters first"
awk 'NR == 1 { for (i = 0; i < 60; i++) $0 = $0 " x" i } NR > 1 { for (i = 0; i < 60; i++) $0 = $0 " y" } { print }
	END { for (i = 0; i < 70; i++) { printf "A_FUTURE_PROTOCOL_OF_31_CHARS%02d 1 0 -1 NI 0 no kernel", i; for (j = 0; j < 79; j++) printf " n"; print "" } }' \
	"$GOOD/proc/net/protocols" > "$TMPD/new"
newer proc/net/protocols "protocols of 85 columns, 70 more rows, 31-character names"

# The metadata of sockmem 0.1.0 for a machine whose CPUs it did not know.
own sockmem-snapshot.meta
sed -i 's/^possible_cpus=.*/possible_cpus=#0/' "$B/sockmem-snapshot.meta"
"$SOCKMEM" --root "$B" --json show > "$TMPD/out" 2> "$TMPD/err"
st=$?
restore sockmem-snapshot.meta
check "0.1.0 metadata with possible_cpus=#0: exit 0" [ $st -eq 0 ]
check "0.1.0 metadata with possible_cpus=#0: its page size is used" \
	jq -e '.source.page_size_source == "snapshot metadata" and .source.possible_cpus == 2' "$TMPD/out"

# Every truncation of sockstat: exit 0 at a line end, 2 elsewhere, never a crash.
S=proc/net/sockstat
rm -f "$B/$S"
n=$(wc -c < "$GOOD/$S")
ends=" $(awk '{ e += length($0) + 1; printf "%d ", e }' "$GOOD/$S")"	# offsets after each newline
bad=0 i=0
while [ $i -lt "$n" ]; do
	head -c $i "$GOOD/$S" > "$B/$S"
	"$SOCKMEM" --root "$B" show > /dev/null 2>&1
	st=$?
	case $ends in *" $i "*) want=0 ;; *) want=2 ;; esac
	[ "$st" -eq "$want" ] || { bad=$((bad + 1)); diag "cut at $i: exit $st want $want"; }
	i=$((i + 1))
done
restore $S
check "sockstat cut at each of $n bytes" [ $bad -eq 0 ]

# Unreadable files (needs a non-root user: root reads anything), in a copy
# of the tree that the unprivileged user can walk.
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
	U=$TMPD/unreadable
	cp -R "$GOOD" "$U"
	chmod -R a+rX "$TMPD"
	chmod 000 "$U/proc/net/protocols"
	setpriv --reuid=65534 --regid=65534 --clear-groups "$SOCKMEM" --root "$U" --json show \
		> "$TMPD/out" 2> "$TMPD/err"
	st=$?
	check "unreadable protocols: exit 3" [ $st -eq 3 ]
	check "unreadable protocols: message" grep -q "protocols: Permission denied" "$TMPD/err"
	chmod 000 "$U/proc/net/sockstat"
	setpriv --reuid=65534 --regid=65534 --clear-groups "$SOCKMEM" --root "$U" show \
		> "$TMPD/out" 2> "$TMPD/err"
	check "unreadable sockstat: exit 2" [ $? -eq 2 ]
	check "unreadable sockstat: message" grep -q "sockstat: Permission denied" "$TMPD/err"
else
	skip "unreadable files: needs root to switch to an unprivileged user"
fi

# Snapshot metadata with a bad page size: named, and this machine's used.
own sockmem-snapshot.meta
sed -i 's/^page_size_bytes=.*/page_size_bytes=3000/' "$B/sockmem-snapshot.meta"
"$SOCKMEM" --root "$B" --json show > "$TMPD/out" 2> "$TMPD/err"
check "bad metadata page size: exit 3" [ $? -eq 3 ]
check "bad metadata page size: message" grep -q "^sockmem: $B/sockmem-snapshot.meta: page_size_bytes is not a power of two" "$TMPD/err"
restore sockmem-snapshot.meta
done_testing
