#!/bin/sh
# schema.sh - every JSON document of every command on the fixture trees (and
# of every golden case) validates against the shipped JSON Schema
# (man/sockmem.schema.json), which defines each object once; the schema
# rejects incomplete and unknown documents.  All in one python3 process.
# The documents of the live system: schema-live.sh.
# SPDX-License-Identifier: GPL-2.0-or-later
. "$(dirname "$0")/lib.sh"

schema_init
T=$SRCDIR/tests/trees

for t in linux-6.18-idle linux-6.18-loaded tcp-pressure-hysteresis tcp-over-limit tcp-elevated-near \
	 udp-limited container-netns arm64-64k-6.1 linux-4.14-old no-ipv6 tcp-recon-outside; do
	schema_doc "show $t" --root "$T/$t" --json show
done
schema_doc "show --no-sockets" --root "$T/linux-6.18-loaded" --json show --no-sockets
for by in socket port state; do
	schema_doc "top --by $by (snapshot)" --root "$T/linux-6.18-loaded" --json top --by $by
done
for t in linux-6.18-idle tcp-over-limit udp-limited container-netns arm64-64k-6.1 linux-6.18-loaded; do
	schema_doc "advise $t" --root "$T/$t" --json advise
done
schema_doc "advise --bandwidth" --root "$T/linux-6.18-idle" --json advise --bandwidth 10Gbit --rtt 80ms
schema_doc "simulate tcp" --root "$T/linux-6.18-loaded" --json simulate --set net.ipv4.tcp_mem="2000 3000 4000" --add-sockets 500 --bytes-per-socket 64K
schema_doc "simulate udp" --root "$T/udp-limited" --json simulate --protocol udp --add-sockets 100
schema_doc "simulate container" --root "$T/container-netns" --json simulate --set net.ipv4.tcp_mem="20000 30000 40000" --add-sockets 10
schema_doc "snapshot of a tree" --root "$T/linux-6.18-loaded" --json snapshot "$TMPD/snap"
if have_peers; then
	for p in procfs node_exporter hotsos-kubernetes hotsos-tcp_mem_high; do
		mkdir -p "$TMPD/$p"; peer_tree "$p" "$TMPD/$p"
		schema_doc "show peer $p" --root "$TMPD/$p" --json show --page-size 4096
	done
else
	skip "show of the peer trees: peer fixtures not found at $PEER_FIXTURES"
fi

# The --json run of every golden case that prints a document (partial
# documents of broken inputs included).
while read -r name tree args; do
	case $name in ''|'#'*) continue ;; esac
	case $tree in
	peer:*)
		have_peers || continue
		t=$TMPD/trees/${tree#peer:}
		[ -d "$t" ] || { mkdir -p "$t"; peer_tree "${tree#peer:}" "$t"; }
		tree=$t ;;
	untar:*)
		# a capture's archive extracted (as golden.sh does)
		t=$TMPD/untar/$name
		mkdir -p "$t" && tar -xf "$SRCDIR/tests/${tree#untar:}" -C "$t"
		tree=$(echo "$t"/*) ;;
	*) tree=$SRCDIR/tests/$tree ;;
	esac
	# @TREE@ in the arguments: a file inside the tree
	args=$(printf '%s' "$args" | sed "s|@TREE@|$tree|g")
	eval "set -- $args"
	"$SOCKMEM" --root "$tree" --json "$@" > "$TMPD/g.json" 2>/dev/null
	[ -s "$TMPD/g.json" ] && jq -e . "$TMPD/g.json" > /dev/null 2>&1 || continue
	schema_doc "golden case $name" --root "$tree" --json "$@"
done < "$SRCDIR/tests/golden/cases"

# trace's NDJSON (start, events, summary; and a run without BPF) for
# synthetic events, through its report and renderers: its live documents
# need BPF (trace.sh checks those)
if "$BUILDDIR/tests/helpers/tracedocs" > "$TMPD/trace.json"; then
	printf '%s\t%s\tvalid\n' "trace NDJSON of synthetic events" "$TMPD/trace.json" >> "$schema_list"
	head -2 "$TMPD/trace.json" | tail -1 | jq -c '.socket.frobs = 1' > "$TMPD/trace-bad.json"
	schema_bad "schema rejects an unknown key in a trace event's socket" "$TMPD/trace-bad.json"
	tail -1 "$TMPD/trace.json" | jq -c 'del(.counters)' > "$TMPD/trace-bad2.json"
	schema_bad "schema rejects a trace summary without counters" "$TMPD/trace-bad2.json"
else
	not_ok "tests/helpers/tracedocs prints trace's documents"
fi

# It rejects what it should: a missing key, an unknown key, a wrong type.
printf '{"schema_version":"1.0","sockmem_version":"x","command":"show"}\n' > "$TMPD/bad1.json"
schema_bad "schema rejects an incomplete show document" "$TMPD/bad1.json"
"$SOCKMEM" --root "$T/linux-6.18-idle" --json show 2>/dev/null | jq '.protocols.udp.frobs = 1' > "$TMPD/bad2.json"
schema_bad "schema rejects an unknown key in a protocol object" "$TMPD/bad2.json"
"$SOCKMEM" --root "$T/linux-6.18-idle" --json show 2>/dev/null | jq '.protocols.tcp.usage_pages = -1' > "$TMPD/bad3.json"
schema_bad "schema rejects a negative page count" "$TMPD/bad3.json"
"$SOCKMEM" --root "$T/linux-6.18-idle" --json show 2>/dev/null | jq '.command = "watch"' > "$TMPD/bad4.json"
schema_bad "schema rejects a watch document without its sample fields" "$TMPD/bad4.json"
C=$SRCDIR/tests/captures/sosreport-oldhost-2014-03-03-el6
"$SOCKMEM" --root "$C" --json show 2>/dev/null | jq '.capture.frobs = 1' > "$TMPD/bad5.json"
schema_bad "schema rejects an unknown key in the capture object" "$TMPD/bad5.json"
"$SOCKMEM" --root "$C" --json show 2>/dev/null | jq '.capture.inputs[0].line = "7"' > "$TMPD/bad6.json"
schema_bad "schema rejects a capture input whose line is not a number" "$TMPD/bad6.json"

schema_validate --lint
done_testing
