/* output_prom.c - renders a report in the Prometheus text exposition format
 * (version 0.0.4) for a fleet: one family per quantity, the protocol, the
 * threshold and the state as labels (so that "usage / limit" is one PromQL
 * expression across TCP, UDP and SCTP), units in the names, kernel counters
 * as counters.  Protocols that share another's counter (MPTCP and UDP-Lite
 * are charged to tcp_memory_allocated and udp_memory_allocated) are not
 * repeated.  The numbers are the report's (report.h); nothing is computed
 * here but the layout. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <string.h>

#include "output.h"
#include "procscan.h"
#include "report_advise.h"

static void prom_family(FILE *f, const char *name, const char *type, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* label values: backslash, double quote and newline escaped */
static void prom_label_value(FILE *f, const char *v)
{
	for (; *v; v++) {
		if (*v == '\\' || *v == '"')
			fputc('\\', f);
		if (*v == '\n') {
			fputs("\\n", f);
			continue;
		}
		fputc(*v, f);
	}
}

static const char *const lim_names[3] = { "min", "pressure", "max" };

/* The protocols with a counter of their own, in the report's order. */
static bool prom_own_counter(const struct proto_report *p)
{
	return !p->def->shares_with;
}

static bool prom_has_pressure_flag(const struct proto_report *p)
{
	return p->def->kind == MODEL_PRESSURE && (p->press == PRESS_YES || p->press == PRESS_NO);
}

static void prom_protocols(FILE *f, const struct report *r)
{
	static const enum model_state states[] = { MS_NORMAL, MS_ELEVATED, MS_PRESSURE, MS_LIMITED,
						   MS_OVER_LIMIT, MS_UNKNOWN };
	const struct proto_report *p;
	bool any;
	int i;
	size_t j;

#define EACH_PROTO(cond) \
	for (i = 0, any = false; i < r->nproto; i++) \
		if ((p = &r->proto[i]), prom_own_counter(p) && (cond))
#define FAMILY_ONCE(name, type, help) \
	do { \
		if (!any) \
			prom_family(f, name, type, help); \
		any = true; \
	} while (0)

	EACH_PROTO(p->usage_bytes.ok) {
		FAMILY_ONCE("sockmem_usage_bytes", "gauge",
			    "Memory the kernel has charged to the protocol's counter (sockstat mem, or "
			    "/proc/net/protocols), in bytes; tcp includes TCPv6 and MPTCP, udp includes "
			    "UDPv6 and UDP-Lite (host-wide)");
		fprintf(f, "sockmem_usage_bytes{protocol=\"%s\"} %llu\n", p->def->key,
			(unsigned long long)p->usage_bytes.v);
	}
	EACH_PROTO(p->limits_ok) {
		FAMILY_ONCE("sockmem_limit_bytes", "gauge",
			    "The protocol's thresholds (net.ipv4.tcp_mem, udp_mem, net.sctp.sctp_mem: "
			    "min, pressure, max), in bytes; UDP is limited from min");
		for (j = 0; j < 3; j++)
			fprintf(f, "sockmem_limit_bytes{protocol=\"%s\",threshold=\"%s\"} %llu\n",
				p->def->key, lim_names[j], (unsigned long long)p->limit_bytes[j]);
	}
	EACH_PROTO(p->limits_ok && p->usage_pages.ok) {
		FAMILY_ONCE("sockmem_headroom_bytes", "gauge",
			    "Threshold minus usage, in bytes (negative above it)");
		for (j = 0; j < 3; j++)
			fprintf(f, "sockmem_headroom_bytes{protocol=\"%s\",threshold=\"%s\"} %lld\n",
				p->def->key, lim_names[j], (long long)p->headroom_bytes[j]);
	}
	EACH_PROTO(true) {
		FAMILY_ONCE("sockmem_state", "gauge",
			    "The protocol's state from the model, 1 for the current one: normal, "
			    "elevated (above min), pressure (the kernel's flag, with its hysteresis), "
			    "limited (UDP above min), over-limit (above max), unknown");
		for (j = 0; j < ARRAY_SIZE(states); j++) {
			if ((states[j] == MS_ELEVATED || states[j] == MS_PRESSURE) &&
			    p->def->kind != MODEL_PRESSURE)
				continue;
			if (states[j] == MS_LIMITED && p->def->kind == MODEL_PRESSURE)
				continue;
			fprintf(f, "sockmem_state{protocol=\"%s\",state=\"%s\"} %d\n", p->def->key,
				model_state_name(states[j]), p->m.state == states[j]);
		}
	}
	EACH_PROTO(prom_has_pressure_flag(p)) {
		FAMILY_ONCE("sockmem_kernel_pressure", "gauge",
			    "The kernel's memory pressure flag (/proc/net/protocols press): 1 in pressure");
		fprintf(f, "sockmem_kernel_pressure{protocol=\"%s\"} %d\n", p->def->key,
			p->press == PRESS_YES);
	}
	EACH_PROTO(p->trend_ok) {
		FAMILY_ONCE("sockmem_growth_pages_per_second", "gauge",
			    "Robust (Theil-Sen) growth rate of usage over the sampled interval");
		fprintf(f, "sockmem_growth_pages_per_second{protocol=\"%s\"} %.6g\n", p->def->key,
			p->trend.slope);
	}
	EACH_PROTO(p->trend_ok && (p->eta_ok[0] || p->eta_ok[1] || p->eta_ok[2])) {
		FAMILY_ONCE("sockmem_seconds_to_threshold", "gauge",
			    "Predicted seconds until usage crosses the threshold (absent when not "
			    "growing towards it)");
		for (j = 0; j < 3; j++)
			if (p->eta_ok[j])
				fprintf(f, "sockmem_seconds_to_threshold{protocol=\"%s\",threshold=\"%s\"} "
					"%.6g\n", p->def->key, lim_names[j], p->eta_s[j]);
	}
#undef EACH_PROTO
#undef FAMILY_ONCE
}

/* sockstat's counts as {protocol, family, kind}: one family for all of them,
 * so that orphans / their limit is one expression. */
static const struct {
	const char *key, *protocol, *family, *kind;
} count_labels[] = {
	{ "tcp_inuse", "tcp", "ipv4", "inuse" },
	{ "tcp6_inuse", "tcp", "ipv6", "inuse" },
	{ "tcp_alloc", "tcp", "all", "alloc" },
	{ "tcp_orphan", "tcp", "all", "orphan" },
	{ "tcp_tw", "tcp", "all", "timewait" },
	{ "udp_inuse", "udp", "ipv4", "inuse" },
	{ "udp6_inuse", "udp", "ipv6", "inuse" },
	{ "udplite_inuse", "udplite", "ipv4", "inuse" },
	{ "raw_inuse", "raw", "ipv4", "inuse" },
	{ "raw6_inuse", "raw", "ipv6", "inuse" },
};

static int prom_count_labels(const char *key)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(count_labels); i++)
		if (!strcmp(count_labels[i].key, key))
			return (int)i;
	return -1;
}

/* The counts (or their limits) as one family labelled by protocol, family
 * and kind; nothing when none is known. */
static void prom_count_family(FILE *f, const struct report *r, bool limits, const char *name,
			      const char *help)
{
	bool any = false;
	int i, l;

	for (i = 0; i < r->ncount; i++) {
		const struct count_report *c = &r->count[i];
		struct opt v = limits ? (c->limit_name ? c->limit : (struct opt){ 0, false }) : c->value;

		if (!v.ok || (l = prom_count_labels(c->key)) < 0)
			continue;
		if (!any)
			prom_family(f, name, "gauge", help);
		any = true;
		fprintf(f, "%s{protocol=\"%s\",family=\"%s\",kind=\"%s\"} %llu\n", name,
			count_labels[l].protocol, count_labels[l].family, count_labels[l].kind,
			(unsigned long long)v.v);
	}
}

static void prom_counts(FILE *f, const struct report *r)
{
	int i;

	for (i = 0; i < r->ncount; i++)
		if (!strcmp(r->count[i].key, "sockets_used") && r->count[i].value.ok) {
			prom_family(f, "sockmem_sockets_used", "gauge",
				    "Sockets in use of every kind (sockstat, this network namespace)");
			fprintf(f, "sockmem_sockets_used %llu\n", (unsigned long long)r->count[i].value.v);
		}
	prom_count_family(f, r, false, "sockmem_sockets",
			  "Socket counts from sockstat: inuse and timewait per network namespace, "
			  "tcp alloc and orphan host-wide");
	prom_count_family(f, r, true, "sockmem_sockets_limit",
			  "Limits of socket counts: orphan net.ipv4.tcp_max_orphans, timewait "
			  "net.ipv4.tcp_max_tw_buckets");
}

static void prom_counters(FILE *f, const struct report *r)
{
	bool any = false;
	int i;

	for (i = 0; i < r->ncounter; i++) {
		const struct counter_report *c = &r->counter[i];

		/* milliseconds: its own family, in seconds */
		if (!c->value.ok || !strcmp(c->key, "TCPMemoryPressuresChrono"))
			continue;
		if (!any)
			prom_family(f, "sockmem_kernel_events_total", "counter",
				    "Memory-pressure events the kernel counted since boot, by the "
				    "counter's name in /proc/net/netstat (TcpExt) and /proc/net/snmp "
				    "(Udp), this network namespace");
		any = true;
		fprintf(f, "sockmem_kernel_events_total{protocol=\"%s\",name=\"%s\"} %llu\n",
			!strcmp(c->group, "Udp") ? "udp" : "tcp", c->key,
			(unsigned long long)c->value.v);
	}
	for (i = 0; i < r->ncounter; i++)
		if (!strcmp(r->counter[i].key, "TCPMemoryPressuresChrono") && r->counter[i].value.ok) {
			prom_family(f, "sockmem_memory_pressure_seconds_total", "counter",
				    "Seconds spent in memory pressure (TCPMemoryPressuresChrono; added "
				    "when an episode ends)");
			fprintf(f, "sockmem_memory_pressure_seconds_total{protocol=\"tcp\"} %.3f\n",
				(double)r->counter[i].value.v / 1000.0);
		}
}

static void prom_sockets(FILE *f, const struct sockets_report *k)
{
	int p, i;
	unsigned s;

	prom_family(f, "sockmem_sockets_dumped", "gauge",
		    "Sockets sock_diag reported in this collection, per protocol and state");
	for (p = 0; p < DP_COUNT; p++)
		for (s = 0; s < DIAG_NSTATES; s++)
			if (k->agg->sum[p].by_state[s])
				fprintf(f, "sockmem_sockets_dumped{protocol=\"%s\",state=\"%s\"} %llu\n",
					diag_proto_name(p), diag_state_name(p, s),
					(unsigned long long)k->agg->sum[p].by_state[s]);
	prom_family(f, "sockmem_dump_complete", "gauge",
		    "1 if the protocol's sock_diag dump completed (the per-socket figures are whole)");
	for (p = 0; p < DP_COUNT; p++)
		fprintf(f, "sockmem_dump_complete{protocol=\"%s\"} %d\n", diag_proto_name(p),
			k->st->ok[p]);
	prom_family(f, "sockmem_socket_memory_bytes", "gauge",
		    "Sums of the SK_MEMINFO fields over the sockets dumped");
	for (p = 0; p < DP_COUNT; p++)
		for (i = 0; i < DM_COUNT; i++)
			if (i != DM_DROPS)
				fprintf(f, "sockmem_socket_memory_bytes{protocol=\"%s\",field=\"%s\"} %llu\n",
					diag_proto_name(p), diag_mem_name[i],
					(unsigned long long)k->agg->sum[p].mem[i]);
	prom_family(f, "sockmem_socket_drops", "gauge",
		    "Sum of the sockets' own drop counters (SK_MEMINFO drops) over the sockets dumped");
	for (p = 0; p < DP_COUNT; p++)
		fprintf(f, "sockmem_socket_drops{protocol=\"%s\"} %llu\n", diag_proto_name(p),
			(unsigned long long)k->agg->sum[p].mem[DM_DROPS]);
	prom_family(f, "sockmem_socket_charged_bytes", "gauge",
		    "What the sockets dumped have charged against tcp_mem/udp_mem");
	for (p = 0; p < DP_COUNT; p++)
		fprintf(f, "sockmem_socket_charged_bytes{protocol=\"%s\"} %llu\n", diag_proto_name(p),
			(unsigned long long)k->agg->sum[p].charged_bytes);
	for (p = 0, i = 0; p < DP_COUNT; p++) {
		if (!k->recon[p].ok)
			continue;
		if (!i++)
			prom_family(f, "sockmem_reconciliation_residual_pages", "gauge",
				    "sockstat mem minus the sockets' charged pages");
		fprintf(f, "sockmem_reconciliation_residual_pages{protocol=\"%s\"} %lld\n",
			diag_proto_name(p), (long long)k->recon[p].residual_pages);
	}
}

/* The report with the per-socket view sk (this collection's, or the last
 * pass's for a watch sample without one; NULL: none). */
static void prom_report(FILE *f, const struct report *r, const struct sockets_report *sk)
{
	const struct host *h = r->h;
	int i;

	prom_family(f, "sockmem_info", "gauge", "sockmem and the kernel it read");
	fputs("sockmem_info{version=\"" PACKAGE_VERSION "\",kernel_release=\"", f);
	prom_label_value(f, h->kver.ok ? h->kver.release : "");
	fputs("\"} 1\n", f);
	prom_family(f, "sockmem_partial", "gauge",
		    "1 if some input could not be used (the exit status was 3)");
	fprintf(f, "sockmem_partial %d\n", r->partial);
	prom_family(f, "sockmem_collection_problems", "gauge",
		    "Inputs that could not be used in this collection: files (procfs, sysfs) and "
		    "sock_diag");
	fprintf(f, "sockmem_collection_problems{input=\"files\"} %d\n", host_problem_count(h));
	if (sk)
		fprintf(f, "sockmem_collection_problems{input=\"sock_diag\"} %d\n",
			sk->st->nproblems);
	prom_family(f, "sockmem_page_size_bytes", "gauge", "Page size used to convert pages to bytes");
	fprintf(f, "sockmem_page_size_bytes %llu\n", (unsigned long long)h->page_size_bytes);
	if (r->band_bytes.ok) {
		prom_family(f, "sockmem_uncertainty_bytes", "gauge",
			    "Per-CPU reserve band: the published usage is within this of the true charge");
		fprintf(f, "sockmem_uncertainty_bytes %llu\n", (unsigned long long)r->band_bytes.v);
	}
	prom_protocols(f, r);

	prom_family(f, "sockmem_frag_usage_bytes", "gauge",
		    "IP fragment reassembly memory (this network namespace)");
	for (i = 0; i < 2; i++)
		if (r->frag[i].usage_bytes.ok)
			fprintf(f, "sockmem_frag_usage_bytes{family=\"%s\"} %llu\n", r->frag[i].key,
				(unsigned long long)r->frag[i].usage_bytes.v);
	prom_family(f, "sockmem_frag_limit_bytes", "gauge",
		    "ipfrag_high_thresh / ip6frag_high_thresh, in bytes");
	for (i = 0; i < 2; i++)
		if (r->frag[i].high_thresh_bytes.ok)
			fprintf(f, "sockmem_frag_limit_bytes{family=\"%s\"} %llu\n", r->frag[i].key,
				(unsigned long long)r->frag[i].high_thresh_bytes.v);

	prom_counts(f, r);
	prom_counters(f, r);
	if (sk)
		prom_sockets(f, sk);
}

void output_prom_show(FILE *f, const struct report *r)
{
	prom_report(f, r, r->sk.present ? &r->sk : NULL);
}

/* watch --events: the kernel's counts since watch began, bounded label sets */
void output_prom_events(FILE *f, const struct trace_events_report *e)
{
	static const char *const dir[2] = { "send", "receive" };
	int p, k;

	prom_family(f, "sockmem_events_traced", "gauge",
		    "1 when trace's BPF programs count the events below, 0 when they cannot run");
	fprintf(f, "sockmem_events_traced %d\n", e->bpf ? 1 : 0);
	if (!e->bpf)
		return;
	prom_family(f, "sockmem_refusals_total", "counter",
		    "Socket memory charges refused (sock:sock_exceed_buf_limit) since watch began, by "
		    "protocol and direction (unknown: counted in the kernel, its socket not kept)");
	for (p = 0; p < TRACE_P_COUNT; p++)
		for (k = 0; k < 2; k++)
			if (e->refusals[p][k] || p <= TRACE_P_UDP)
				fprintf(f, "sockmem_refusals_total{protocol=\"%s\",direction=\"%s\"} %llu\n",
					trace_proto_name[p], dir[k], (unsigned long long)e->refusals[p][k]);
	prom_family(f, "sockmem_memory_drops_total", "counter",
		    "Packets dropped for memory (skb:kfree_skb, memory reasons) since watch began, by "
		    "protocol and reason");
	for (p = 0; p < TRACE_P_COUNT; p++)
		for (k = 0; k < MEMTRACE_NREASONS; k++)
			/* always TCP's and UDP's own reasons: an alert has its series */
			if (e->drops[p][k] || p == TRACE_P_TCP ||
			    (p == TRACE_P_UDP && (k == MEMTRACE_R_PROTO_MEM || k == MEMTRACE_R_SOCKET_RCVBUFF)))
				fprintf(f, "sockmem_memory_drops_total{protocol=\"%s\",reason=\"%s\"} %llu\n",
					trace_proto_name[p], trace_event_defs[MEMTRACE_EV_DROP0 + k].reason,
					(unsigned long long)e->drops[p][k]);
	prom_family(f, "sockmem_tcp_memory_pressure_episodes_total", "counter",
		    "TCP memory pressure episodes entered since watch began (trace's pressure programs)");
	fprintf(f, "sockmem_tcp_memory_pressure_episodes_total %llu\n",
		(unsigned long long)e->press_enters);
	prom_family(f, "sockmem_tcp_aborts_on_memory_total", "counter",
		    "TCP connections reset for memory since watch began (tcp_check_oom)");
	fprintf(f, "sockmem_tcp_aborts_on_memory_total %llu\n", (unsigned long long)e->aborts);
	prom_family(f, "sockmem_events_top_cgroup_total", "gauge",
		    "The 5 cgroups with the most refusals and memory drops since watch began (a gauge: "
		    "the set changes)");
	for (k = 0; k < e->ncgroups; k++) {
		fprintf(f, "sockmem_events_top_cgroup_total{rank=\"%d\",cgroup=\"", k + 1);
		if (e->cgroup[k].found)
			prom_label_value(f, e->cgroup[k].cgroup);
		else
			fprintf(f, "id:%llu", (unsigned long long)e->cgroup[k].cgroup_id);
		fprintf(f, "\"} %llu\n", (unsigned long long)e->cgroup[k].events);
	}
	prom_family(f, "sockmem_events_top_process_total", "gauge",
		    "The 5 processes with the most refusals and memory drops since watch began (by "
		    "the socket's inode)");
	for (k = 0; k < e->nprocesses; k++) {
		fprintf(f, "sockmem_events_top_process_total{rank=\"%d\",pid=\"%u\",comm=\"", k + 1,
			e->process[k].pid);
		prom_label_value(f, e->process[k].comm);
		fprintf(f, "\"} %llu\n", (unsigned long long)e->process[k].events);
	}
	prom_family(f, "sockmem_events_lost_total", "counter",
		    "Events the programs could not keep whole: ring (a socket's first event unnamed), "
		    "map (counted without its socket), missed (the kernel did not run the program)");
	fprintf(f, "sockmem_events_lost_total{where=\"ring\"} %llu\n", (unsigned long long)e->ring_lost);
	fprintf(f, "sockmem_events_lost_total{where=\"map\"} %llu\n", (unsigned long long)e->map_full);
	fprintf(f, "sockmem_events_lost_total{where=\"missed\"} %llu\n", (unsigned long long)e->missed);
}

void output_prom_sample(FILE *f, const struct report_sample *s)
{
	int i;

	prom_report(f, s->r, s->r->sk.present ? &s->r->sk : s->sk_last);
	if (s->ntop > 0 && s->top[0].key.by == BY_PORT) {
		prom_family(f, "sockmem_top_port_charged_bytes", "gauge",
			    "The largest holders by local port (at most 5): bytes charged");
		for (i = 0; i < s->ntop; i++)
			fprintf(f, "sockmem_top_port_charged_bytes{protocol=\"%s\",port=\"%u\"} %llu\n",
				diag_proto_name(s->top[i].key.proto), s->top[i].key.port,
				(unsigned long long)s->top[i].e.charged_bytes);
		prom_family(f, "sockmem_top_port_sockets", "gauge",
			    "The largest holders by local port: their sockets");
		for (i = 0; i < s->ntop; i++)
			fprintf(f, "sockmem_top_port_sockets{protocol=\"%s\",port=\"%u\"} %llu\n",
				diag_proto_name(s->top[i].key.proto), s->top[i].key.port,
				(unsigned long long)s->top[i].e.count);
	}
	if (s->cost.measured) {
		prom_family(f, "sockmem_collection_duration_seconds", "gauge",
			    "Seconds this sample's collection took (the host's files, the exact charge "
			    "and, when it ran, the per-socket pass)");
		fprintf(f, "sockmem_collection_duration_seconds %.6f\n", s->cost.collect_seconds);
	}
	if (s->events)
		output_prom_events(f, s->events);
	prom_family(f, "sockmem_samples_total", "counter", "Samples taken by this sockmem watch");
	fprintf(f, "sockmem_samples_total %llu\n", (unsigned long long)s->n);
	prom_family(f, "sockmem_output_write_errors_total", "counter",
		    "Samples whose --output file could not be written (the previous file was kept)");
	fprintf(f, "sockmem_output_write_errors_total %llu\n", (unsigned long long)s->output_errors);
}

/* advise's findings: one series per finding (id and subject name it) and the
 * counts per severity, 0 included, so that "none" is a value, not an absence.
 * A file of its own beside show's or watch's: it repeats none of their
 * families (node_exporter refuses a series that two files define). */
void output_prom_findings(FILE *f, const struct report_advise *a)
{
	static const enum sev sevs[] = { SEV_CRIT, SEV_WARN, SEV_INFO };
	int i;
	size_t j;

	prom_family(f, "sockmem_findings", "gauge", "Findings of sockmem advise, per severity");
	for (j = 0; j < ARRAY_SIZE(sevs); j++)
		fprintf(f, "sockmem_findings{severity=\"%s\"} %d\n", rules_sev_name(sevs[j]),
			a->count[sevs[j]]);
	if (!a->n)
		return;
	prom_family(f, "sockmem_finding", "gauge",
		    "1 for each finding of sockmem advise (its id, severity, scope and what it is "
		    "about); 'sockmem advise' on the host has its evidence and fix");
	for (i = 0; i < a->n; i++) {
		const struct finding *x = &a->f[i];

		fprintf(f, "sockmem_finding{id=\"");
		prom_label_value(f, x->id);
		fprintf(f, "\",severity=\"%s\",scope=\"%s\",subject=\"", rules_sev_name(x->sev),
			rules_scope_name(x->scope));
		prom_label_value(f, x->subject ? x->subject : "");
		fputs("\"} 1\n", f);
	}
}

/* sockmem top --by cgroup|process: the -n largest holders as series.
 * Bounded cardinality: at most -n of each; cgroups carry the Kubernetes pod
 * UID and container their path names, and the memory controller's own
 * socket figure beside the sum. */
void output_prom_top(FILE *f, const struct report_top *t)
{
	static const struct {
		enum sockets_by by;
		const char *charged, *sockets, *unattributed, *what;
	} fam[] = {
		{ BY_CGROUP, "sockmem_top_cgroup_charged_bytes", "sockmem_top_cgroup_sockets",
		  "sockmem_top_cgroup_unattributed_bytes",
		  "by cgroup (sockmem top -n): bytes charged against tcp_mem/udp_mem, with the "
		  "Kubernetes pod and container the cgroup path names" },
		{ BY_PROCESS, "sockmem_top_process_charged_bytes", "sockmem_top_process_sockets",
		  "sockmem_top_process_unattributed_bytes",
		  "by process (sockmem top -n): bytes charged against tcp_mem/udp_mem" },
	};
	char help[256];
	size_t k;
	int i, pass;

	for (k = 0; k < ARRAY_SIZE(fam) && fam[k].by != t->by; k++)
		;
	if (k == ARRAY_SIZE(fam))
		return;	/* top refuses the others */
	for (pass = 0; pass < 2; pass++) {
		const char *name = pass ? fam[k].sockets : fam[k].charged;

		snprintf(help, sizeof(help), "The largest holders %s%s", fam[k].what,
			 pass ? ": their sockets" : "");
		prom_family(f, name, "gauge", help);
		for (i = 0; i < t->n; i++) {
			const struct top_row *w = &t->row[i];

			fprintf(f, "%s{", name);
			if (t->by == BY_CGROUP) {
				fputs("cgroup=\"", f);
				if (w->cg && w->cg->found)
					prom_label_value(f, w->cg->path);
				else
					fprintf(f, "id:%llu", (unsigned long long)w->key.id);
				fprintf(f, "\",pod_uid=\"%s\",container=\"%s\"", w->pod.uid, w->pod.container);
			} else {
				fprintf(f, "pid=\"%llu\",comm=\"", (unsigned long long)w->key.id);
				prom_label_value(f, w->comm);
				fputc('"', f);
			}
			fprintf(f, "} %llu\n", (unsigned long long)(pass ? w->e.count : w->e.charged_bytes));
		}
	}
	if (t->by == BY_CGROUP) {
		bool any = false;

		for (i = 0; i < t->n; i++) {
			const struct top_row *w = &t->row[i];

			if (!w->cg || !w->cg->found || !w->cg->sock_bytes.ok)
				continue;
			if (!any)
				prom_family(f, "sockmem_top_cgroup_memcg_sock_bytes", "gauge",
					    "The memory controller's own socket figure of those cgroups "
					    "(cgroup v2 memory.stat sock)");
			any = true;
			fputs("sockmem_top_cgroup_memcg_sock_bytes{cgroup=\"", f);
			prom_label_value(f, w->cg->path);
			fprintf(f, "\",pod_uid=\"%s\",container=\"%s\"} %llu\n", w->pod.uid, w->pod.container,
				(unsigned long long)w->cg->sock_bytes.v);
		}
	}
	if (t->attribution) {
		prom_family(f, fam[k].unattributed, "gauge",
			    "Charged bytes of the sockets no process or cgroup was found for");
		fprintf(f, "%s %llu\n", fam[k].unattributed, (unsigned long long)t->unattributed_bytes);
	}
}
