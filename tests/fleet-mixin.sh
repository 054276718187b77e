#!/bin/bash
# fleet-mixin.sh - the monitoring mixin (contrib/mixin): the committed YAML
# and dashboard are what the jsonnet renders, promtool accepts the rules and
# passes the unit tests, every alert follows the monitoring-mixins
# conventions (CamelCase, severity, summary, description, a runbook section)
# and is tested firing and not firing, and every sockmem metric the rules and
# the dashboard use is one sockmem writes.
# SPDX-License-Identifier: GPL-2.0-or-later
. "$(dirname "$0")/lib.sh"

M=$SRCDIR/contrib/mixin
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3)

# --- rendered files up to date
if command -v jsonnet > /dev/null; then
	mkdir -p "$TMPD/mixin/dashboards_out"
	cp "$M"/*.libsonnet "$M"/*.jsonnet "$TMPD/mixin/"
	if (cd "$TMPD/mixin" && jsonnet -S -m . render.jsonnet > "$TMPD/rendered.list" 2> "$TMPD/err"); then
		ok "jsonnet renders the mixin"
		while read -r f; do
			f=${f#./}
			if diff -u "$M/$f" "$TMPD/mixin/$f" > "$TMPD/diff"; then
				ok "$f is up to date"
			else
				not_ok "$f differs from what render.jsonnet makes (cd contrib/mixin && jsonnet -S -m . render.jsonnet)"
				diag "$(head -20 "$TMPD/diff")"
			fi
		done < "$TMPD/rendered.list"
	else
		not_ok "jsonnet renders the mixin"; diag "$(cat "$TMPD/err")"
	fi
else
	skip "rendered files: jsonnet (Debian's jsonnet) not installed"
fi

# --- promtool
if command -v promtool > /dev/null; then
	check "promtool check rules: alerts and recording rules" \
		promtool check rules "$M/prometheus_alerts.yaml" "$M/prometheus_rules.yaml"
	if out=$(cd "$M" && promtool test rules tests.yaml 2>&1); then
		ok "promtool test rules: every alert's unit tests pass"
	else
		not_ok "promtool test rules"; diag "$out"
	fi
else
	skip "promtool check rules: promtool (Debian's prometheus) not installed"
	skip "promtool test rules"
fi

# --- conventions, coverage, metric names
if [ -x "$PY" ] && "$PY" -c 'import yaml' 2> /dev/null; then
	for t in "$SRCDIR"/tests/trees/*/; do
		"$SOCKMEM" --root "$t" show --format prometheus 2> /dev/null
	done > "$TMPD/all.prom"
	if out=$("$PY" - "$M" "$TMPD/all.prom" "$SRCDIR/src/render/output_prom.c" <<'PYEOF' 2>&1
import json, re, sys, yaml
m, prom, src = sys.argv[1:4]
alerts = [r for g in yaml.safe_load(open(m + "/prometheus_alerts.yaml"))["groups"] for r in g["rules"]]
rules = [r for g in yaml.safe_load(open(m + "/prometheus_rules.yaml"))["groups"] for r in g["rules"]]
tests = yaml.safe_load(open(m + "/tests.yaml"))["tests"]
runbook = open(m + "/runbook.md").read()
dash = json.load(open(m + "/dashboards_out/sockmem-overview.json"))
errs = []
sections = re.findall(r"^## (\S+)$", runbook, re.M)
names = [a["alert"] for a in alerts]
for a in alerts:
    n = a["alert"]
    if not re.fullmatch(r"Sockmem([A-Z][a-z]*|[A-Z]+(?=[A-Z][a-z]|$))+", n):
        errs.append(n + ": not CamelCase with the Sockmem prefix")
    if a.get("labels", {}).get("severity") not in ("warning", "critical", "info"):
        errs.append(n + ": no severity label")
    for k in ("summary", "description", "runbook_url"):
        if not a.get("annotations", {}).get(k):
            errs.append(n + ": no " + k)
    if not a["annotations"].get("runbook_url", "").endswith("runbook.md#" + n.lower()):
        errs.append(n + ": runbook_url does not point at its section")
    if n not in sections:
        errs.append(n + ": no '## " + n + "' section in runbook.md")
    cases = [c for t in tests for c in t.get("alert_rule_test", []) if c["alertname"] == n]
    if not any(c.get("exp_alerts") for c in cases):
        errs.append(n + ": no unit test where it fires")
    if not any(not c.get("exp_alerts") for c in cases):
        errs.append(n + ": no unit test where it does not fire")
for s in sections:
    if s not in names:
        errs.append("runbook section " + s + " is no alert")
if len(set(names)) != len(names):
    errs.append("alert names repeat")
recorded = {r["record"] for r in rules}
for r in rules:
    if not any(r["record"] in (c.get("expr") or "") for t in tests for c in t.get("promql_expr_test", [])):
        errs.append(r["record"] + ": no unit test")
# the sockmem metrics in the rules and the dashboard are sockmem's
written = set(re.findall(r"^(sockmem_[a-z_]+?)(?:\{| )", open(prom).read(), re.M))
written |= set(re.findall(r"^# TYPE (sockmem_[a-z_]+) ", open(prom).read(), re.M))
# the renderer's family names (those of top and watch only exist live)
written |= set(re.findall(r'"(sockmem_[a-z_]+)"', open(src).read()))
exprs = [a["expr"] for a in alerts] + [r["expr"] for r in rules]
ids = []
for p in dash["panels"]:
    ids.append(p["id"])
    for t in p.get("targets", []):
        if not t.get("expr"):
            errs.append("panel %s: a target without expr" % p["title"])
        exprs.append(t.get("expr", ""))
        if t.get("datasource", {}).get("uid") != "${datasource}":
            errs.append("panel %s: not on the datasource variable" % p["title"])
if len(set(ids)) != len(ids):
    errs.append("dashboard panel ids repeat")
used = set()
for e in exprs:
    for n in re.findall(r"\b(sockmem_[a-z_]+)\b", e):
        used.add(n)
        if n not in written:
            errs.append("uses %s, which sockmem does not write" % n)
if errs:
    sys.exit("\n".join(errs))
print("%d alerts, %d recording rules, %d panels, %d sockmem metrics used" % (len(alerts), len(rules), len(ids), len(used)))
PYEOF
); then ok "conventions, unit-test coverage and metric names ($out)"; else not_ok "mixin conventions"; diag "$out"; fi
else
	skip "mixin conventions: python3-yaml not installed"
fi
done_testing
