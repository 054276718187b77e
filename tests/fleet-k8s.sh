#!/bin/bash
# fleet-k8s.sh - the Kubernetes and node-problem-detector files in contrib/:
# the DaemonSet runs sockmem beside node_exporter as the notes say (host
# network and PIDs, read-only roots, no capabilities, one textfile directory
# that sockmem writes into and node_exporter reads), the image recipe builds
# what the DaemonSet runs, and NPD's configs are what NPD accepts (a default
# for every permanent condition, 80-byte messages, rules that name sockmem's
# check) with kernel-log patterns that match the kernel's own lines.
# SPDX-License-Identifier: GPL-2.0-or-later
. "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3)
[ -x "$PY" ] && "$PY" -c 'import yaml' 2> /dev/null || skip_all "python3-yaml not installed"
K=$SRCDIR/contrib/kubernetes
N=$SRCDIR/contrib/node-problem-detector

out=$("$PY" - "$K/sockmem-daemonset.yaml" <<'PYEOF' 2>&1
import sys, yaml
docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
ds = [d for d in docs if d["kind"] == "DaemonSet"][0]
spec = ds["spec"]["template"]["spec"]
errs = []
if not spec.get("hostNetwork"): errs.append("no hostNetwork: tcp_mem is invisible in a pod's netns")
if not spec.get("hostPID"): errs.append("no hostPID")
if not spec.get("securityContext", {}).get("runAsNonRoot"): errs.append("runs as root")
cs = {c["name"]: c for c in spec["containers"]}
for n, c in cs.items():
    sc = c.get("securityContext", {})
    if not sc.get("readOnlyRootFilesystem"): errs.append(n + ": root filesystem writable")
    if sc.get("allowPrivilegeEscalation") is not False: errs.append(n + ": privilege escalation allowed")
    if sc.get("capabilities", {}).get("drop") != ["ALL"]: errs.append(n + ": capabilities not dropped")
    if "limits" not in c.get("resources", {}): errs.append(n + ": no resource limits")
sm, ne = cs.get("sockmem"), cs.get("node-exporter")
if not sm or not ne:
    sys.exit("containers: " + ", ".join(cs))
out = [a.split("=", 1)[1] for a in sm["args"] if a.startswith("--output=")]
tdir = [a.split("=", 1)[1] for a in ne["args"] if a.startswith("--collector.textfile.directory=")]
if sm["args"][0] != "watch" or "--format=prometheus" not in sm["args"]: errs.append("sockmem does not run watch --format=prometheus")
if not out or not tdir or out[0].rsplit("/", 1)[0] != tdir[0]:
    errs.append("sockmem writes %s, node_exporter reads %s" % (out, tdir))
def vol(c, path):
    return [m["name"] for m in c["volumeMounts"] if m["mountPath"] == path]
if not out or vol(sm, out[0].rsplit("/", 1)[0]) != vol(ne, tdir[0]) or not vol(ne, tdir[0]):
    errs.append("the textfile directory is not one volume mounted in both")
if errs: sys.exit("\n".join(errs))
print("%d containers" % len(cs))
PYEOF
) && ok "DaemonSet: sockmem beside node_exporter, host network and PIDs, read-only, one textfile directory ($out)" \
  || { not_ok "DaemonSet"; diag "$out"; }

# the image is built from this tree the way the README builds it, and holds
# what the DaemonSet's sockmem container and NPD's image use
check "Containerfile: builds with autoreconf, configure and make, runs as nobody" \
	sh -c "grep -q 'autoreconf -fi' '$K/Containerfile' && grep -q 'make install' '$K/Containerfile' && grep -q '^USER 65534' '$K/Containerfile' && grep -q 'ENTRYPOINT \\[\"/usr/sbin/sockmem\"\\]' '$K/Containerfile'"
check "NPD Containerfile: sockmem and both configs in /config" \
	sh -c "grep -q 'COPY --from=sockmem /usr/sbin/sockmem' '$N/Containerfile' && grep -q 'sockmem-plugin-monitor.json sockmem-kernel-monitor.json /config/' '$N/Containerfile'"

out=$("$PY" - "$N/sockmem-plugin-monitor.json" "$N/sockmem-kernel-monitor.json" <<'PYEOF' 2>&1
import json, re, sys
p = json.load(open(sys.argv[1]))
k = json.load(open(sys.argv[2]))
errs = []
def secs(d):
    return float(d[:-1]) * {"s": 1, "m": 60, "h": 3600}[d[-1]]
if p["plugin"] != "custom": errs.append("plugin monitor: plugin is not custom")
if p["pluginConfig"].get("max_output_length") != 80: errs.append("max_output_length is not 80")
conds = {c["type"] for c in p["conditions"]}
reasons = {}
for r in p["rules"]:
    if r["type"] == "permanent":
        if r["condition"] not in conds: errs.append(r["reason"] + ": no default condition")
        reasons.setdefault(r["condition"], []).append(r["reason"])
    if r["path"] != "/usr/sbin/sockmem" or r["args"][0] != "check": errs.append(r["reason"] + ": not sockmem check")
    if r.get("timeout") and secs(r["timeout"]) > secs(p["pluginConfig"]["timeout"]): errs.append(r["reason"] + ": timeout above the global one")
if sorted(reasons.get("TCPMemoryPressure", [])) != ["TCPMemoryOverLimit", "TCPMemoryPressure"]:
    errs.append("TCPMemoryPressure reasons: %s" % reasons.get("TCPMemoryPressure"))
if not any(r["type"] == "temporary" and r["reason"] == "TCPAbortOnMemory" for r in p["rules"]):
    errs.append("no temporary TCPAbortOnMemory rule")
if k["plugin"] != "kmsg": errs.append("kernel monitor: plugin is not kmsg")
# the kernel's lines as dmesg shows them (net/ipv4/tcp.c tcp_check_oom, pr_fmt "TCP: ")
lines = {"TCPOutOfMemory": "TCP: out of memory -- consider tuning tcp_mem",
         "TCPTooManyOrphans": "TCP: too many orphaned sockets"}
for reason, line in lines.items():
    if not any(r["reason"] == reason and re.search(r["pattern"], line) for r in k["rules"]):
        errs.append("no rule %s matches %r" % (reason, line))
for r in k["rules"]:
    if re.search(r["pattern"], "TCP: request_sock_TCP: Possible SYN flooding on port 80"):
        errs.append(r["reason"] + " matches an unrelated kernel line")
if errs: sys.exit("\n".join(errs))
print("%d plugin rules, %d kernel-log rules" % (len(p["rules"]), len(k["rules"])))
PYEOF
) && ok "node-problem-detector configs: what NPD accepts, patterns that match the kernel's lines ($out)" \
  || { not_ok "node-problem-detector configs"; diag "$out"; }
done_testing
