/* output_prom.c - renders a report in the Prometheus text exposition format
 * (version 0.0.4): one family per quantity, units in the names, thresholds
 * and states as labels, kernel counters as counters.  The numbers are the
 * same fields the JSON output carries. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <string.h>

#include "output.h"

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

static void prom_proto(FILE *f, const struct report *r, const struct proto_report *p)
{
	static const enum model_state states[] = { MS_NORMAL, MS_ELEVATED, MS_PRESSURE, MS_LIMITED,
						   MS_OVER_LIMIT, MS_UNKNOWN };
	const char *k = p->def->key;
	char name[96], help[200];
	size_t i;

	if (p->usage_pages.ok) {
		snprintf(name, sizeof(name), "sockmem_%s_usage_pages", k);
		snprintf(help, sizeof(help), "%s memory the kernel has charged, in pages (%s)",
			 p->def->label, p->usage_source);
		prom_family(f, name, "gauge", help);
		fprintf(f, "%s %llu\n", name, (unsigned long long)p->usage_pages.v);
	}
	if (p->usage_bytes.ok) {
		snprintf(name, sizeof(name), "sockmem_%s_usage_bytes", k);
		snprintf(help, sizeof(help), "%s memory the kernel has charged, in bytes", p->def->label);
		prom_family(f, name, "gauge", help);
		fprintf(f, "%s %llu\n", name, (unsigned long long)p->usage_bytes.v);
	}
	if (p->limits_ok) {
		snprintf(name, sizeof(name), "sockmem_%s_limit_pages", k);
		snprintf(help, sizeof(help), "%s thresholds (%s), in pages", p->def->label,
			 host_sysctl[p->def->limits].name);
		prom_family(f, name, "gauge", help);
		for (i = 0; i < 3; i++)
			fprintf(f, "%s{threshold=\"%s\"} %llu\n", name, lim_names[i],
				(unsigned long long)p->limit_pages[i]);
		snprintf(name, sizeof(name), "sockmem_%s_limit_bytes", k);
		snprintf(help, sizeof(help), "%s thresholds (%s), in bytes", p->def->label,
			 host_sysctl[p->def->limits].name);
		prom_family(f, name, "gauge", help);
		for (i = 0; i < 3; i++)
			fprintf(f, "%s{threshold=\"%s\"} %llu\n", name, lim_names[i],
				(unsigned long long)p->limit_bytes[i]);
		if (p->usage_pages.ok) {
			snprintf(name, sizeof(name), "sockmem_%s_headroom_bytes", k);
			snprintf(help, sizeof(help), "%s threshold minus usage, in bytes (negative above it)",
				 p->def->label);
			prom_family(f, name, "gauge", help);
			for (i = 0; i < 3; i++)
				fprintf(f, "%s{threshold=\"%s\"} %lld\n", name, lim_names[i],
					(long long)p->headroom_bytes[i]);
		}
	}
	snprintf(name, sizeof(name), "sockmem_%s_state", k);
	snprintf(help, sizeof(help), "%s state from the model: 1 for the current state", p->def->label);
	prom_family(f, name, "gauge", help);
	for (i = 0; i < ARRAY_SIZE(states); i++) {
		if ((states[i] == MS_ELEVATED || states[i] == MS_PRESSURE) && p->def->kind != MODEL_PRESSURE)
			continue;
		if (states[i] == MS_LIMITED && p->def->kind == MODEL_PRESSURE)
			continue;
		fprintf(f, "%s{state=\"%s\"} %d\n", name, model_state_name(states[i]),
			p->m.state == states[i]);
	}
	if (p->def->kind == MODEL_PRESSURE && (p->press == PRESS_YES || p->press == PRESS_NO)) {
		snprintf(name, sizeof(name), "sockmem_%s_kernel_pressure", k);
		snprintf(help, sizeof(help), "The kernel's %s memory pressure flag (/proc/net/protocols "
			 "press)", p->def->label);
		prom_family(f, name, "gauge", help);
		fprintf(f, "%s %d\n", name, p->press == PRESS_YES);
	}
	if (p->trend_ok) {
		snprintf(name, sizeof(name), "sockmem_%s_growth_pages_per_second", k);
		prom_family(f, name, "gauge", "Robust growth rate of usage over the sampled interval");
		fprintf(f, "%s %.6g\n", name, p->trend.slope);
		snprintf(name, sizeof(name), "sockmem_%s_seconds_to", k);
		prom_family(f, name, "gauge", "Predicted seconds until usage crosses the threshold "
			    "(absent when not growing)");
		for (i = 0; i < 3; i++)
			if (p->eta_ok[i])
				fprintf(f, "%s{threshold=\"%s\"} %.6g\n", name, lim_names[i], p->eta_s[i]);
	}
}

void output_prom_show(FILE *f, const struct report *r)
{
	const struct host *h = r->h;
	int i, p;

	prom_family(f, "sockmem_info", "gauge", "sockmem and the kernel it read");
	fputs("sockmem_info{version=\"" PACKAGE_VERSION "\",kernel_release=\"", f);
	prom_label_value(f, h->kver.ok ? h->kver.release : "");
	fputs("\"} 1\n", f);
	prom_family(f, "sockmem_page_size_bytes", "gauge", "Page size used to convert pages to bytes");
	fprintf(f, "sockmem_page_size_bytes %llu\n", (unsigned long long)h->page_size_bytes);
	prom_family(f, "sockmem_partial", "gauge", "1 if some input could not be used");
	fprintf(f, "sockmem_partial %d\n", r->partial);
	if (r->band_pages.ok) {
		prom_family(f, "sockmem_uncertainty_pages", "gauge",
			    "Per-CPU reserve band: published usage is within this of the true charge");
		fprintf(f, "sockmem_uncertainty_pages %llu\n", (unsigned long long)r->band_pages.v);
		prom_family(f, "sockmem_uncertainty_bytes", "gauge", "The per-CPU band in bytes");
		fprintf(f, "sockmem_uncertainty_bytes %llu\n", (unsigned long long)r->band_bytes.v);
	}
	for (i = 0; i < r->nproto; i++)
		prom_proto(f, r, &r->proto[i]);

	prom_family(f, "sockmem_frag_usage_bytes", "gauge", "IP fragment reassembly memory (this namespace)");
	for (i = 0; i < 2; i++)
		if (r->frag[i].usage_bytes.ok)
			fprintf(f, "sockmem_frag_usage_bytes{family=\"%s\"} %llu\n", r->frag[i].key,
				(unsigned long long)r->frag[i].usage_bytes.v);
	prom_family(f, "sockmem_frag_high_thresh_bytes", "gauge", "ipfrag_high_thresh / ip6frag_high_thresh");
	for (i = 0; i < 2; i++)
		if (r->frag[i].high_thresh_bytes.ok)
			fprintf(f, "sockmem_frag_high_thresh_bytes{family=\"%s\"} %llu\n", r->frag[i].key,
				(unsigned long long)r->frag[i].high_thresh_bytes.v);

	prom_family(f, "sockmem_sockets", "gauge", "Socket counts from sockstat, with their scope");
	for (i = 0; i < r->ncount; i++)
		if (r->count[i].value.ok)
			fprintf(f, "sockmem_sockets{kind=\"%s\",scope=\"%s\"} %llu\n", r->count[i].key,
				report_scope_name(r->count[i].scope),
				(unsigned long long)r->count[i].value.v);
	prom_family(f, "sockmem_sockets_max", "gauge", "Limits of socket counts (tcp_max_orphans, tcp_max_tw_buckets)");
	for (i = 0; i < r->ncount; i++)
		if (r->count[i].limit_name && r->count[i].limit.ok)
			fprintf(f, "sockmem_sockets_max{kind=\"%s\",sysctl=\"%s\"} %llu\n",
				r->count[i].key, r->count[i].limit_name,
				(unsigned long long)r->count[i].limit.v);

	prom_family(f, "sockmem_kernel_counter_total", "counter",
		    "Memory-pressure counters since boot from /proc/net/netstat and /proc/net/snmp (this namespace)");
	for (i = 0; i < r->ncounter; i++)
		if (r->counter[i].value.ok)
			fprintf(f, "sockmem_kernel_counter_total{group=\"%s\",name=\"%s\"} %llu\n",
				r->counter[i].group, r->counter[i].key,
				(unsigned long long)r->counter[i].value.v);
	for (i = 0; i < r->ncounter; i++)
		if (!strcmp(r->counter[i].key, "TCPMemoryPressuresChrono") && r->counter[i].value.ok) {
			prom_family(f, "sockmem_tcp_memory_pressure_seconds_total", "counter",
				    "Seconds TCP spent in memory pressure (added when an episode ends)");
			fprintf(f, "sockmem_tcp_memory_pressure_seconds_total %.3f\n",
				(double)r->counter[i].value.v / 1000.0);
		}

	if (!r->sk.present)
		return;
	prom_family(f, "sockmem_sockets_seen", "gauge", "Sockets seen by sock_diag, per protocol and state");
	for (p = 0; p < DP_COUNT; p++) {
		unsigned s;

		for (s = 0; s < DIAG_NSTATES; s++)
			if (r->sk.agg->sum[p].by_state[s])
				fprintf(f, "sockmem_sockets_seen{protocol=\"%s\",state=\"%s\"} %llu\n",
					diag_proto_name(p), diag_state_name(p, s),
					(unsigned long long)r->sk.agg->sum[p].by_state[s]);
	}
	prom_family(f, "sockmem_socket_memory_bytes", "gauge", "Sums of the SK_MEMINFO fields over the sockets seen");
	for (p = 0; p < DP_COUNT; p++)
		for (i = 0; i < DM_COUNT; i++)
			if (i != DM_DROPS)
				fprintf(f, "sockmem_socket_memory_bytes{protocol=\"%s\",field=\"%s\"} %llu\n",
					diag_proto_name(p), diag_mem_name[i],
					(unsigned long long)r->sk.agg->sum[p].mem[i]);
	prom_family(f, "sockmem_socket_charged_bytes", "gauge",
		    "What the sockets seen have charged against tcp_mem/udp_mem");
	for (p = 0; p < DP_COUNT; p++)
		fprintf(f, "sockmem_socket_charged_bytes{protocol=\"%s\"} %llu\n", diag_proto_name(p),
			(unsigned long long)r->sk.agg->sum[p].charged_bytes);
	prom_family(f, "sockmem_reconciliation_residual_pages", "gauge",
		    "sockstat mem minus the sockets' charged pages");
	for (p = 0; p < DP_COUNT; p++)
		if (r->sk.recon[p].ok)
			fprintf(f, "sockmem_reconciliation_residual_pages{protocol=\"%s\"} %lld\n",
				diag_proto_name(p), (long long)r->sk.recon[p].residual_pages);
}

void output_prom_sample(FILE *f, const struct report_sample *s)
{
	output_prom_show(f, s->r);
	prom_family(f, "sockmem_samples_total", "counter", "Samples taken by this sockmem watch");
	fprintf(f, "sockmem_samples_total %llu\n", (unsigned long long)s->n);
	prom_family(f, "sockmem_output_write_errors_total", "counter",
		    "Samples whose --output file could not be written (the previous file was kept)");
	fprintf(f, "sockmem_output_write_errors_total %llu\n", (unsigned long long)s->output_errors);
}
