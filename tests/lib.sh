# lib.sh - shared helpers for the shell tests: TAP output, temp dirs,
# fixture trees assembled from the public peer fixtures (never copied
# into this repository: see shared/fixtures/peers/README.md).
# SPDX-License-Identifier: GPL-2.0-or-later

: "${SOCKMEM:=$(cd "$(dirname "$0")/.." && pwd)/src/sockmem}"
: "${SRCDIR:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${PEER_FIXTURES:=$SRCDIR/../shared/fixtures/peers}"
export NO_COLOR=1 LC_ALL=C

tap_n=0
tap_failed=0
ok() { tap_n=$((tap_n + 1)); echo "ok $tap_n - $*"; }
not_ok() { tap_n=$((tap_n + 1)); tap_failed=$((tap_failed + 1)); echo "not ok $tap_n - $*"; }
skip() { tap_n=$((tap_n + 1)); echo "ok $tap_n - $* # SKIP"; }
diag() { printf '%s\n' "$@" | sed 's/^/# /'; }
# check DESC CMD...: one test point from a command's status
check() {
	_d=$1; shift
	if "$@" >/dev/null 2>&1; then ok "$_d"; else not_ok "$_d"; fi
}
done_testing() { echo "1..$tap_n"; exit 0; }
# Skip the whole script.  Under automake's TAP driver that is a "1..0 # SKIP"
# plan; run by hand, the conventional exit status 77.
skip_all() {
	echo "1..0 # SKIP $*"
	if [ -n "${SOCKMEM_TAP_DRIVER:-}" ]; then exit 0; fi
	exit 77
}

TMPD=$(mktemp -d "${TMPDIR:-/tmp}/sockmem-test.XXXXXX")
cleanup_tmp() { rm -rf "$TMPD"; }
trap cleanup_tmp EXIT
trap 'exit 130' INT TERM

# Tests that read or load the live system take this lock shared; oracle.sh
# (which lowers the host-wide tcp_mem) takes it exclusive.  The lock file is
# opened for reading (flock needs no more), so that a user other than the
# one who created it can take it too.
lock_open() {
	command -v flock >/dev/null || return 1
	_lock=${TMPDIR:-/tmp}/sockmem-test.lock
	[ -e "$_lock" ] || { : > "$_lock" && chmod 0644 "$_lock"; } 2>/dev/null
	[ -r "$_lock" ] || return 1
	exec 9< "$_lock"
}
lock_live_shared() {
	lock_open && flock -s 9
	return 0
}

# Tests that load the host and check host-wide figures take it exclusive.
lock_live_exclusive() {
	lock_open && flock -x 9
	return 0
}

# Wait (at most 15 s) until sockstat TCP and UDP mem stop moving: sockets of
# earlier tests (network namespaces are destroyed asynchronously) must not
# free memory while a test compares host-wide figures.
wait_quiet() {
	local prev= cur same=0 i
	for i in $(seq 60); do
		cur=$(awk '$1 == "TCP:" || $1 == "UDP:" { printf "%s ", $NF }' /proc/net/sockstat)
		if [ "$cur" = "$prev" ]; then same=$((same + 1)); else same=0; fi
		[ $same -ge 4 ] && return 0
		prev=$cur
		sleep 0.25
	done
}

# in_private_netns shared|exclusive "$@": re-run the calling test inside
# "unshare -n" (its own loopback, nothing else), holding the live lock
# shared, or exclusive (after wait_quiet) when it compares host-wide
# figures; skips without root.  Returns inside the namespace, lo up.
in_private_netns() {
	local mode=$1
	shift
	if [ "$(id -u)" -ne 0 ] || ! unshare -n true 2>/dev/null; then
		skip_all "needs root to create a private network namespace"
	fi
	if [ -z "${SOCKMEM_IN_NETNS:-}" ]; then
		if [ "$mode" = exclusive ]; then
			lock_live_exclusive
			wait_quiet
		else
			lock_live_shared
		fi
		SOCKMEM_IN_NETNS=1 TMPD=$TMPD exec unshare -n bash "$0" "$@"
	fi
	ip link set lo up
}

have_peers() { [ -r "$PEER_FIXTURES/README.md" ]; }

# Extract "    path: |" blocks of a hotsos scenario YAML into a tree.
# The YAML holds proc/net/sockstat and sos_commands/kernel/sysctl_-a; the
# sysctl lines become proc/sys files.
hotsos_tree() { # YAML DEST
	mkdir -p "$2/proc/net" "$2/proc/sys/net/ipv4"
	awk -v dest="$2" '
		/^    [^ ].*: [|]/ { f = $1; sub(/:$/, "", f); out = dest "/" f; next }
		/^    [^ ].*: ""/ { f = $1; sub(/:$/, "", f); out = ""; next }
		/^[^ ]/ { out = "" }
		out != "" && /^      / {
			line = substr($0, 7)
			if (f == "sos_commands/kernel/sysctl_-a") {
				split(line, kv, " = "); p = kv[1]; gsub(/[.]/, "/", p)
				print kv[2] > (dest "/proc/sys/" p)
			} else {
				print line > out
			}
		}' "$1"
}

# The same YAML as a sosreport: sos_commands/kernel/sysctl_-a kept as it is
# (the way hotsos reads it), the kernel files under proc/.
hotsos_sos_tree() { # YAML DEST
	mkdir -p "$2/sos_commands/kernel"
	awk -v dest="$2" '
		/^    [^ ].*: [|]/ { f = $1; sub(/:$/, "", f); out = dest "/" f; next }
		/^    [^ ].*: ""/ { f = $1; sub(/:$/, "", f); out = ""; next }
		/^[^ ]/ { out = "" }
		out != "" && /^      / {
			p = out; sub(/\/[^\/]*$/, "", p); system("mkdir -p \"" p "\"")
			print substr($0, 7) > out
		}' "$1"
}

# A sysctl -a text of the hotsos kubernetes root's proc/sys files.
hotsos_k8s_sysctl_a() { # DIR
	for f in "$1"/proc_sys_net_*; do
		r=${f#"$1"/proc_sys_net_}
		printf 'net.%s.%s = %s\n' "${r%%_*}" "${r#*_}" "$(tr ' ' '\t' < "$f")"
	done
}

# Build a --root tree named NAME from the peer fixtures into DEST.
peer_tree() { # NAME DEST
	_p=$PEER_FIXTURES
	_d=$2
	mkdir -p "$_d/proc/net" "$_d/proc/sys/net/ipv4" "$_d/proc/sys/net/core"
	case $1 in
	procfs)
		cp "$_p/prometheus_procfs__proc_net_sockstat" "$_d/proc/net/sockstat"
		cp "$_p/prometheus_procfs__proc_net_sockstat6" "$_d/proc/net/sockstat6"
		cp "$_p/prometheus_procfs__proc_net_protocols" "$_d/proc/net/protocols"
		cp "$_p/prometheus_procfs__proc_26231_net_netstat" "$_d/proc/net/netstat"
		cp "$_p/prometheus_procfs__proc_26231_net_snmp" "$_d/proc/net/snmp" ;;
	procfs-testcase)
		cp "$_p/prometheus_procfs__net_sockstat_test.go_IPv4_case" "$_d/proc/net/sockstat"
		cp "$_p/prometheus_procfs__net_sockstat_test.go_IPv6_case" "$_d/proc/net/sockstat6" ;;
	node_exporter)
		cp "$_p/node_exporter__collector_fixtures_proc_net_sockstat" "$_d/proc/net/sockstat"
		cp "$_p/node_exporter__collector_fixtures_proc_net_sockstat6" "$_d/proc/net/sockstat6"
		cp "$_p/node_exporter__collector_fixtures_proc_net_netstat" "$_d/proc/net/netstat"
		cp "$_p/node_exporter__collector_fixtures_proc_net_snmp" "$_d/proc/net/snmp" ;;
	sysstat)
		cp "$_p/sysstat__tests_root1_proc_net_sockstat" "$_d/proc/net/sockstat"
		cp "$_p/sysstat__tests_root1_proc_net_sockstat6" "$_d/proc/net/sockstat6"
		cp "$_p/sysstat__tests_root1_proc_net_snmp" "$_d/proc/net/snmp" ;;
	insights)
		cp "$_p/insights-core__test_sockstat.py_SOCK_STATS" "$_d/proc/net/sockstat"
		cp "$_p/insights-core__test_netstat.py_PROC_NETSTAT" "$_d/proc/net/netstat" ;;
	insights-doc)
		cp "$_p/insights-core__test_sockstat.py_SOCK_STATS_DOC" "$_d/proc/net/sockstat" ;;
	hotsos-kubernetes)
		_k=$_p/hotsos_fake_data_root_kubernetes
		cp "$_k/proc_96008_net_sockstat" "$_d/proc/net/sockstat"
		cp "$_k/proc_96008_net_sockstat6" "$_d/proc/net/sockstat6"
		cp "$_k/proc_96008_net_netstat" "$_d/proc/net/netstat"
		cp "$_k/proc_96008_net_snmp" "$_d/proc/net/snmp"
		for f in "$_k"/proc_sys_net_*; do
			_r=${f#"$_k"/proc_sys_net_}
			_dir=${_r%%_*}
			cp "$f" "$_d/proc/sys/net/$_dir/${_r#*_}"
		done ;;
	hotsos-sos-*)
		rm -rf "$_d/proc/sys"
		hotsos_sos_tree "$_p/hotsos_scenario_tests/${1#hotsos-sos-}.yaml" "$_d" ;;
	hotsos-k8s-sos)
		# the kubernetes root as its sosreport has it: counters from nstat -zas
		_k=$_p/hotsos_fake_data_root_kubernetes
		rm -rf "$_d/proc/sys"
		mkdir -p "$_d/sos_commands/kernel" "$_d/sos_commands/networking"
		cp "$_k/proc_96008_net_sockstat" "$_d/proc/net/sockstat"
		cp "$_k/proc_96008_net_sockstat6" "$_d/proc/net/sockstat6"
		cp "$_k/sos_commands_networking_nstat_-zas" "$_d/sos_commands/networking/nstat_-zas"
		hotsos_k8s_sysctl_a "$_k" > "$_d/sos_commands/kernel/sysctl_-a" ;;
	hotsos-vault-sos)
		# netstat -s of the vault root beside the kubernetes root's files
		_k=$_p/hotsos_fake_data_root_kubernetes
		rm -rf "$_d/proc/sys"
		mkdir -p "$_d/sos_commands/kernel" "$_d/sos_commands/networking"
		cp "$_k/proc_96008_net_sockstat" "$_d/proc/net/sockstat"
		cp "$_p/hotsos_fake_data_root_vault__sos_commands_networking_netstat_-s" \
			"$_d/sos_commands/networking/netstat_-s"
		hotsos_k8s_sysctl_a "$_k" > "$_d/sos_commands/kernel/sysctl_-a" ;;
	insights-netstat-s)
		# insights-core's sockstat and netstat -s test inputs as an insights archive
		rm -rf "$_d/proc/sys"
		mkdir -p "$_d/insights_commands"
		cp "$_p/insights-core__test_sockstat.py_SOCK_STATS" "$_d/proc/net/sockstat"
		cp "$_p/insights-core__test_netstat.py_NETSTAT_S" "$_d/insights_commands/netstat_-s" ;;
	tcpmon-ss)
		# an idle snapshot beside zperf/tcpmon's ss -ntipmona text and the
		# older inline ss output of its tests
		rm -rf "$_d/proc"
		cp -R "$SRCDIR/tests/trees/linux-6.18-idle/." "$_d/"
		cp "$_p/zperf_tcpmon__test_parsing_ss.txt" "$_d/ss-ntipmona.txt"
		cp "$_p/zperf_tcpmon__older_ss_test.go_TestParseSS_inline.txt" "$_d/ss-older.txt" ;;
	hotsos-*)
		hotsos_tree "$_p/hotsos_scenario_tests/${1#hotsos-}.yaml" "$_d" ;;
	*)
		echo "peer_tree: unknown tree $1" >&2; return 1 ;;
	esac
}

PEER_TREES="procfs procfs-testcase node_exporter sysstat insights insights-doc hotsos-kubernetes
hotsos-tcp_mem_high hotsos-tcp_mem_exhausted hotsos-tcp_mem_sysctl_absent
hotsos-tcp_mem_sockstat_sysctl_absent hotsos-udp_mem_high hotsos-udp_mem_exhausted
hotsos-udp_mem_sysctl_exhausted hotsos-udp_mem_sockstat_sysctl_exhausted hotsos-tcp hotsos-udp"

# jq filter that removes what changes from run to run.
JQ_STABLE='if (.source | type) == "object" then del(.source.collected_at) else . end'

# JSON Schema validation of many documents in one python3 process
# (tests/schema-validate.py): schema_init, then schema_doc/schema_bad per test
# point, then schema_validate prints them all.
schema_init() {
	PY=/usr/bin/python3
	[ -x "$PY" ] || PY=$(command -v python3)
	[ -n "$PY" ] && "$PY" -c 'import jsonschema' 2>/dev/null ||
		skip_all "python3-jsonschema not installed"
	SCHEMA=${SOCKMEM_SCHEMA:-$SRCDIR/man/sockmem.schema.json}
	schema_list=$TMPD/schema.list schema_docs=0
	: > "$schema_list"
}
# schema_doc NAME ARGS...: the document sockmem ARGS prints must validate
schema_doc() {
	_n=$1; shift
	schema_docs=$((schema_docs + 1))
	"$SOCKMEM" "$@" > "$TMPD/doc-$schema_docs.json" 2>/dev/null
	printf '%s\t%s\tvalid\n' "$_n" "$TMPD/doc-$schema_docs.json" >> "$schema_list"
}
# schema_bad NAME FILE: the document in FILE must be rejected
schema_bad() {
	printf '%s\t%s\tinvalid\n' "$1" "$2" >> "$schema_list"
}
# schema_validate [--lint]: one test point per document (and the lint)
schema_validate() {
	"$PY" "$SRCDIR/tests/schema-validate.py" "$SCHEMA" "$schema_list" "$@" > "$TMPD/schema.out" 2>&1
	_answered=0
	while IFS='	' read -r _res _name _why; do
		case $_res in
		ok) ok "$_name"; _answered=$((_answered + 1)) ;;
		'not ok') not_ok "$_name"; diag "$_why"; _answered=$((_answered + 1)) ;;
		*) diag "$_res $_name $_why" ;;
		esac
	done < "$TMPD/schema.out"
	_want=$(wc -l < "$schema_list")
	[ "${1:-}" = --lint ] && _want=$((_want + 1))
	[ "$_answered" -eq "$_want" ] || not_ok "the validator answered $_answered of $_want documents"
}
