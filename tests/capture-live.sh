#!/bin/sh
# capture-live.sh - a sos report made now reads as the live system read
# just before and just after it: every setting, the release, page size, CPUs
# and RAM equal; the usage within the band of both reads; every counter
# between them; top and advise read its ss output.  Needs root, sos (Debian:
# sosreport) and a sockmem built with libarchive; sos only reads, and no
# sysctl is written.
# SPDX-License-Identifier: GPL-2.0-or-later
. "$(dirname "$0")/lib.sh"

command -v jq >/dev/null || skip_all "jq not installed"
[ "$(id -u)" -eq 0 ] || skip_all "needs root (sos report reads every file of its plugins as root)"
command -v sos >/dev/null || skip_all "sos not installed (Debian: apt-get install sosreport)"
"$SOCKMEM" --root "$SRCDIR/tests/captures/sosreport-vm-6.18-x86_64.tar.xz" show --no-sockets \
	> /dev/null 2>&1 || skip_all "this sockmem was built without libarchive (--root ARCHIVE)"
# --allow-system-changes lets sos run ss -peaonmi where it cannot see the
# diag modules loaded; it would also let iptables load modules, so only
# where the kernel loads none (no /proc/modules: everything built in).
if [ -e /proc/modules ]; then changes=; else changes=--allow-system-changes; fi
lock_live_shared
wait_quiet
"$SOCKMEM" --json show --no-sockets > "$TMPD/before.json" 2>/dev/null
# shellcheck disable=SC2086
sos report --batch $changes -o networking,kernel,memory,processor,date,host \
	--tmp-dir "$TMPD" --label live > "$TMPD/sos.log" 2>&1
"$SOCKMEM" --json show --no-sockets > "$TMPD/after.json" 2>/dev/null
A=$(ls "$TMPD"/sosreport-*.tar.xz 2>/dev/null | head -1)
if [ -z "$A" ]; then
	not_ok "live: sos report made no archive"
	diag "$(tail -5 "$TMPD/sos.log")"
	done_testing
fi
"$SOCKMEM" --root "$A" --json show --no-sockets > "$TMPD/cap.json" 2> "$TMPD/err"
st=$?
check "live: the sos report reads completely (exit 0)" [ $st -eq 0 ]
[ $st -eq 0 ] || diag "$(head -3 "$TMPD/err")"
check "live: every setting equals the live one" jq -e -n --slurpfile b "$TMPD/before.json" --slurpfile a "$TMPD/after.json" --slurpfile c "$TMPD/cap.json" \
	'$b[0].settings == $c[0].settings and $a[0].settings == $c[0].settings'
check "live: release, page size, CPUs and RAM equal" jq -e -n --slurpfile b "$TMPD/before.json" --slurpfile c "$TMPD/cap.json" \
	'[$b[0].source, $c[0].source] | map({kernel_release, page_size_bytes, possible_cpus, mem_total_bytes}) | .[0] == .[1]'
check "live: the page size is certain (uname -a: x86_64) or from the record" jq -e '.capture.page_size_confidence == "certain"' "$TMPD/cap.json"
check "live: every sysctl came from sos_commands/kernel/sysctl_-a" jq -e '[.capture.inputs[] | select(.input | startswith("net.")) | .file] | length > 10 and all(. == "sos_commands/kernel/sysctl_-a")' "$TMPD/cap.json"
check "live: usage within the band of the reads before and after" jq -e -n --slurpfile b "$TMPD/before.json" --slurpfile a "$TMPD/after.json" --slurpfile c "$TMPD/cap.json" '
	($c[0].source.per_cpu_reserve_pages * $c[0].source.possible_cpus) as $band |
	all("tcp", "udp"; . as $p |
		([$b[0].protocols[$p].usage_pages, $a[0].protocols[$p].usage_pages] | min - $band) <= $c[0].protocols[$p].usage_pages and
		$c[0].protocols[$p].usage_pages <= ([$b[0].protocols[$p].usage_pages, $a[0].protocols[$p].usage_pages] | max + $band))'
check "live: every counter between the reads before and after" jq -e -n --slurpfile b "$TMPD/before.json" --slurpfile a "$TMPD/after.json" --slurpfile c "$TMPD/cap.json" '
	[$c[0].counters | to_entries[] | select(.value != null) | .key as $k |
	 $b[0].counters[$k] <= .value and .value <= $a[0].counters[$k]] | length > 10 and all'
check "live: the limits are the live ones" jq -e -n --slurpfile b "$TMPD/before.json" --slurpfile c "$TMPD/cap.json" \
	'$b[0].protocols.tcp.limits_pages == $c[0].protocols.tcp.limits_pages and $b[0].protocols.udp.limits_pages == $c[0].protocols.udp.limits_pages'
if tar -tf "$A" 2>/dev/null | grep -q 'sos_commands/networking/ss_-peaonmi$'; then
	"$SOCKMEM" --root "$A" top -n 3 > "$TMPD/top" 2>&1
	check "live: top reads the sos report's ss output" grep -q "from ss -peaonmi text of the sosreport" "$TMPD/top"
else
	skip "live: top of the sos report: sos ran no ss -peaonmi (diag modules not loaded)"
fi
"$SOCKMEM" --root "$A" advise > "$TMPD/adv" 2>&1
check "live: advise reads the sos report (exit 0 or 1)" [ $? -le 1 ]
done_testing
