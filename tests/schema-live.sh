#!/bin/sh
# schema-live.sh - the JSON documents of the live system validate against the
# shipped JSON Schema: show (also --all-netns and --interval), top by every
# key, advise, snapshot and watch's NDJSON.  All in one python3 process.
# SPDX-License-Identifier: GPL-2.0-or-later
. "$(dirname "$0")/lib.sh"

[ -r /proc/net/sockstat ] || skip_all "no /proc/net/sockstat (not Linux, or /proc not mounted)"
schema_init
lock_live_shared

schema_doc "show live" --json show
if [ "$(id -u)" -eq 0 ]; then
	schema_doc "show live, --all-netns" --json show --all-netns
else
	skip "show live, --all-netns: needs root (setns into other network namespaces)"
fi
schema_doc "show live, --interval" --json show --interval 0.1 --count 3
for by in socket process cgroup port state; do schema_doc "top --by $by (live)" --json top --by $by; done
schema_doc "advise live" --json advise
schema_doc "snapshot live" --json snapshot "$TMPD/snap"
schema_doc "watch (NDJSON, 3 lines)" watch --json --interval 0.1 --count 3
schema_validate
done_testing
