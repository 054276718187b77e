#!/bin/sh
# schema.sh - every JSON document of every command validates against the
# shipped JSON Schema (man/sockmem.schema.json), live and on fixture trees.
# SPDX-License-Identifier: GPL-2.0-or-later
. "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3)
[ -n "$PY" ] && "$PY" -c 'import jsonschema' 2>/dev/null || skip_all "python3-jsonschema not installed"
lock_live_shared
SCHEMA=$SRCDIR/man/sockmem.schema.json
T=$SRCDIR/tests/trees

validate() { # NAME FILE (one document, or NDJSON)
	if out=$("$PY" - "$SCHEMA" "$2" <<'PYEOF' 2>&1
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
v = jsonschema.Draft202012Validator(schema)
text = open(sys.argv[2]).read()
docs = [json.loads(l) for l in text.splitlines() if l.strip()] if text.lstrip().startswith('{"') else [json.loads(text)]
if not docs:
    sys.exit("no document")
for d in docs:
    errs = sorted(v.iter_errors(d), key=lambda e: e.path)
    if errs:
        best = jsonschema.exceptions.best_match(errs)
        sys.exit("%s: %s" % ("/".join(map(str, best.absolute_path)), best.message[:300]))
PYEOF
); then ok "$1"; else not_ok "$1"; diag "$out"; fi
}

run() { # NAME ARGS...
	n=$1; shift
	"$SOCKMEM" "$@" > "$TMPD/out.json" 2>/dev/null
	validate "$n" "$TMPD/out.json"
}

run "show live" --json show
run "show live, --all-netns" --json show --all-netns
run "show live, --interval" --json show --interval 0.1 --count 3
for t in linux-6.18-idle linux-6.18-loaded tcp-pressure-hysteresis tcp-over-limit udp-limited \
	 container-netns arm64-64k-6.1 linux-4.14-old no-ipv6 tcp-recon-outside; do
	run "show $t" --root "$T/$t" --json show
done
for by in socket port state; do run "top --by $by (snapshot)" --root "$T/linux-6.18-loaded" --json top --by $by; done
for by in socket process cgroup port state; do run "top --by $by (live)" --json top --by $by; done
for t in linux-6.18-idle tcp-over-limit udp-limited container-netns arm64-64k-6.1 linux-6.18-loaded; do
	run "advise $t" --root "$T/$t" --json advise
done
run "advise live" --json advise
run "advise --bandwidth" --root "$T/linux-6.18-idle" --json advise --bandwidth 10Gbit --rtt 80ms
run "simulate tcp" --root "$T/linux-6.18-loaded" --json simulate --set net.ipv4.tcp_mem="2000 3000 4000" --add-sockets 500 --bytes-per-socket 64K
run "simulate udp" --root "$T/udp-limited" --json simulate --protocol udp --add-sockets 100
run "simulate container" --root "$T/container-netns" --json simulate --set net.ipv4.tcp_mem="20000 30000 40000" --add-sockets 10
run "snapshot" --json snapshot "$TMPD/snap"
run "watch (NDJSON, 3 lines)" watch --json --interval 0.1 --count 3
if have_peers; then
	for p in procfs node_exporter hotsos-kubernetes hotsos-tcp_mem_high; do
		mkdir -p "$TMPD/$p"; peer_tree "$p" "$TMPD/$p"
		run "show peer $p" --root "$TMPD/$p" --json show --page-size 4096
	done
fi
# the schema rejects what it should: a wrong type, a missing key
printf '{"schema_version":"1.0","sockmem_version":"x","command":"show"}\n' > "$TMPD/bad.json"
if "$PY" -c "import json,sys,jsonschema; jsonschema.validate(json.load(open('$TMPD/bad.json')), json.load(open('$SCHEMA')))" 2>/dev/null; then
	not_ok "schema rejects an incomplete show document"
else
	ok "schema rejects an incomplete show document"
fi
done_testing
