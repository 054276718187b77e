/* output_text.c - renders a report as aligned text for a terminal. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <limits.h>
#include <string.h>

#include "output.h"
#include "procscan.h"
#include "report_advise.h"

#define C_RESET "\033[0m"
#define C_BOLD "\033[1m"
#define C_GREEN "\033[32m"
#define C_YELLOW "\033[33m"
#define C_RED "\033[31m"

static const char *state_color(enum model_state s)
{
	switch (s) {
	case MS_NORMAL: return C_GREEN;
	case MS_ELEVATED:
	case MS_LIMITED: return C_YELLOW;
	case MS_PRESSURE:
	case MS_OVER_LIMIT: return C_RED;
	default: return "";
	}
}

static void fmt_bytes(char *dst, size_t n, uint64_t b, const struct output_opts *o)
{
	char g[28];

	if (o->exact_bytes) {
		util_group_digits(g, sizeof(g), b);	/* "1,179,242,496 B" */
		snprintf(dst, n, "%s B", g);
	} else
		util_human_bytes(dst, n, b);
}

void output_text_column_bytes(char *dst, size_t n, uint64_t b, bool exact)
{
	if (exact)
		snprintf(dst, n, "%llu", (unsigned long long)b);
	else
		util_human_bytes(dst, n, b);
}

void output_text_change_bytes(char *dst, size_t n, int64_t b, bool exact)
{
	char a[32];

	if (!b) {
		snprintf(dst, n, exact ? "0" : "0 B");
		return;
	}
	output_text_column_bytes(a, sizeof(a), b < 0 ? (uint64_t)(-(b + 1)) + 1 : (uint64_t)b, exact);
	snprintf(dst, n, "%c%s", b < 0 ? '-' : '+', a);
}

void output_text_duration(char *dst, size_t n, double s)
{
	if (s < 1)
		snprintf(dst, n, "%.0f ms", s * 1e3);
	else if (s < 120)
		snprintf(dst, n, "%.0f s", s);
	else if (s < 7200)
		snprintf(dst, n, "%.1f min", s / 60);
	else if (s < 172800)
		snprintf(dst, n, "%.1f h", s / 3600);
	else
		snprintf(dst, n, "%.1f days", s / 86400);
}

/* In a table column: a bare byte count with --bytes, else KiB/MiB/GiB. */
static void fmt_column_bytes(char *dst, size_t n, uint64_t b, const struct output_opts *o)
{
	output_text_column_bytes(dst, n, b, o->exact_bytes);
}

static void fmt_opt_bytes(char *dst, size_t n, struct opt b, const struct output_opts *o)
{
	if (b.ok)
		fmt_bytes(dst, n, b.v, o);
	else
		snprintf(dst, n, "-");
}

/* A count with thousands separators and its sign ("-1,234"). */
static void text_signed_count(char *dst, size_t n, int64_t v)
{
	char a[32];

	util_group_digits(a, sizeof(a), v < 0 ? (uint64_t)(-(v + 1)) + 1 : (uint64_t)v);
	snprintf(dst, n, "%s%s", v < 0 ? "-" : "", a);
}

static void fmt_count(char *dst, size_t n, struct opt v)
{
	if (v.ok)
		util_group_digits(dst, n, v.v);
	else
		snprintf(dst, n, "-");
}

/* What went away while the host was walked, when anything did: churn, said
 * so that a figure that moved is not taken for a fault. */
static void text_deleted(FILE *f, const struct host *h)
{
	const struct host_deleted *d = &h->deleted;

	if (!d->network_namespaces && !d->processes && !d->cgroups)
		return;
	fprintf(f, "deleted during the walk (churn, not a fault): %llu network namespace%s, "
		"%llu process%s, %llu cgroup%s\n", (unsigned long long)d->network_namespaces,
		d->network_namespaces == 1 ? "" : "s", (unsigned long long)d->processes,
		d->processes == 1 ? "" : "es", (unsigned long long)d->cgroups,
		d->cgroups == 1 ? "" : "s");
}

/* "sosreport PATH (taken T, host H)" of a --root: which input it is. */
static void text_origin_root(FILE *f, const struct report_origin *g)
{
	char safe[512];

	util_safe_token(safe, sizeof(safe), g->root, strlen(g->root));
	fprintf(f, " %s", safe);
	if (g->taken || g->host)
		fprintf(f, " (%s%s%s%s)", g->taken ? "taken " : "", g->taken ? g->taken : "",
			g->taken && g->host ? ", host " : g->host ? "host " : "", g->host ? g->host : "");
}

/* "sosreport PATH (taken T, host H), Linux R, page size P (SOURCE), N
 * possible CPUs, RAM M": what the figures are of, first in every header. */
static void text_origin(FILE *f, const struct report *r, const struct output_opts *o)
{
	const struct report_origin *g = &r->origin;
	const struct host *h = r->h;
	char ps[80], ram[32], cpus[16];

	if (r->units_per_page > 1)	/* 4.11-5.19: SK_MEM_QUANTUM */
		snprintf(ps, sizeof(ps), "%llu bytes, usage in %llu-byte quanta",
			 (unsigned long long)h->page_size_bytes, (unsigned long long)r->mem_unit_bytes);
	else
		snprintf(ps, sizeof(ps), "%llu bytes", (unsigned long long)h->page_size_bytes);
	fmt_opt_bytes(ram, sizeof(ram), h->mem_total_bytes, o);
	fmt_count(cpus, sizeof(cpus), h->possible_cpus);
	fprintf(f, "%s%s%s%s", o->color ? C_BOLD : "", g->kind, g->root[0] ? "" : " ",
		o->color ? C_RESET : "");
	if (!g->root[0] && h->collected_at[0])
		fprintf(f, "at %s, ", h->collected_at);	/* for a paste into a ticket */
	if (!g->root[0] && g->host)
		fprintf(f, "host %s, ", g->host);
	if (g->root[0]) {
		text_origin_root(f, g);
		fputs(", ", f);
	}
	fprintf(f, "Linux %s, page size %s (%s%s%s), %s possible CPUs, RAM %s\n",
		h->kver.ok ? h->kver.release : "(unknown)", ps, h->page_size_source,
		g->page_size_doubt ? "; " : "", g->page_size_doubt ? g->page_size_doubt : "", cpus,
		ram);
}

static void text_header(FILE *f, const struct report *r, const struct output_opts *o)
{
	const struct host *h = r->h;
	char band[32], bandp[32], cpus[16];

	fmt_count(cpus, sizeof(cpus), h->possible_cpus);
	text_origin(f, r, o);
	if (h->netns_child)
		fputs("network namespace: not the initial one (container): host-only limits are "
		      "not visible here\n", f);
	fmt_opt_bytes(band, sizeof(band), r->band_bytes, o);
	fmt_count(bandp, sizeof(bandp), r->band_pages);
	if (r->reserve.exact)
		fprintf(f, "usage figures are exact (%s)\n", r->reserve.source);
	else if (!r->band_pages.ok)
		fprintf(f, "usage figures may differ from the true charge by possible CPUs x (%llu - 1) "
			"pages (%s); the number of possible CPUs is unknown\n",
			(unsigned long long)r->reserve.rsv_pages, r->reserve.source);
	else
		fprintf(f, "usage figures are within +/-%s pages (%s)%s of the true charge: "
			"%s CPUs x (%llu - 1) pages, %s\n", bandp, band,
			r->band_at_least ? " or more" : "", cpus,
			(unsigned long long)r->reserve.rsv_pages, r->reserve.source);
	/* the band of the CPUs online now: a second figure, not the bound */
	if (!r->reserve.exact && r->band_online_pages.ok) {
		fmt_count(cpus, sizeof(cpus), h->online_cpus);
		fmt_opt_bytes(band, sizeof(band), r->band_online_bytes, o);
		fmt_count(bandp, sizeof(bandp), r->band_online_pages);
		fprintf(f, "  for the %s CPUs online now +/-%s pages (%s)%s; CPUs offlined since boot may "
			"still hold a reserve, so the possible CPUs' band is the one used\n", cpus, bandp,
			band, r->band_at_least ? " or more" : "");
	} else if (!r->reserve.exact) {
		fputs("  online CPUs unknown (no /sys/devices/system/cpu/online): only the possible "
		      "CPUs' band is known\n", f);
	}
	if (h->partial)
		fprintf(f, "%sPARTIAL REPORT%s: %d input%s could not be used (listed on stderr and "
			"under PROBLEMS)\n", o->color ? C_RED : "", o->color ? C_RESET : "",
			h->nproblems, h->nproblems == 1 ? "" : "s");
	text_deleted(f, h);
}


static void text_trend(FILE *f, const struct proto_report *p)
{
	static const char *const lim_label[3] = { "min", "pressure", "max" };
	int i;

	fprintf(f, "  trend: %+.2f pages/s over %.0f s (%d samples; quartiles %+.2f to %+.2f)",
		p->trend.slope, p->trend.duration_s, p->trend.samples, p->trend.slope_lo,
		p->trend.slope_hi);
	if (!p->trend.growing) {
		fputs(": not growing\n", f);
		return;
	}
	fputc('\n', f);
	for (i = 0; i < 3; i++) {
		char a[32], b[32], c[32];

		/* the thresholds that act: pressure and max for TCP, min and max
		 * for UDP (udp_mem[1] is not used by the kernel) */
		if (!p->eta_ok[i] || i == (p->def->kind == MODEL_PRESSURE ? 0 : 1))
			continue;
		if (p->eta_s[i] == 0) {
			fprintf(f, "    %s: already above\n", lim_label[i]);
			continue;
		}
		output_text_duration(a, sizeof(a), p->eta_s[i]);
		output_text_duration(b, sizeof(b), p->eta_lo_s[i]);
		if (p->eta_unbounded[i])
			snprintf(c, sizeof(c), "never");
		else
			output_text_duration(c, sizeof(c), p->eta_hi_s[i]);
		fprintf(f, "    %s in about %s (%s to %s)\n", lim_label[i], a, b, c);
	}
}

static void text_proto(FILE *f, const struct report *r, const struct proto_report *p,
		       const struct output_opts *o)
{
	static const char *const lim_label[3] = { "min", "pressure", "max" };
	char a[40], b[40], c[40];
	int i, k, bw;

	fprintf(f, "\n%s%-8s%s %s%-10s%s", o->color ? C_BOLD : "", p->def->label,
		o->color ? C_RESET : "", o->color ? state_color(p->m.state) : "",
		model_state_name(p->m.state), o->color ? C_RESET : "");
	if (p->exact_note[0] && !p->def->shares_with)
		fprintf(f, " (exact: %s%s%s)", o->color ? state_color(p->m_exact.state) : "",
			model_state_name(p->m_exact.state), o->color ? C_RESET : "");
	if (p->def->kind == MODEL_PRESSURE)
		fprintf(f, "  kernel pressure flag: %s", protocols_press_name(p->press));
	else
		fputs("  no pressure state in the kernel (NI)", f);
	if (p->def->shares_with) {
		char u[40];

		fmt_count(a, sizeof(a), p->usage_pages);
		fmt_opt_bytes(u, sizeof(u), p->usage_bytes, o);
		/* Same kernel counter and limits as the protocol it shares with:
		 * one line, the figures are in that protocol's block. */
		fprintf(f, "\n  same counter and limits as %s (%s %s, %s, from %s)\n",
			p->def->shares_with, a, r->units_per_page > 1 ? "quanta" : "pages", u,
			p->usage_source ? p->usage_source : "-");
		return;
	}
	fputc('\n', f);
	if (p->m.note)
		fprintf(f, "  note: %s\n", p->m.note);
	/* --bytes: "1,179,242,496 B" needs a wider column than "1.10 GiB" */
	bw = o->exact_bytes ? 17 : 12;
	fprintf(f, "  %-9s %14s %*s %9s %*s\n", "", "pages", bw, "size", "usage %", bw,
		"headroom");
	fmt_count(a, sizeof(a), p->usage_pages);
	fmt_opt_bytes(b, sizeof(b), p->usage_bytes, o);
	/* 4.11-5.19 on large pages: usage counts 4096-byte quanta, the
	 * limits stay pages */
	fprintf(f, "  %-9s %14s %*s %9s %*s  from %s%s\n", "usage", a, bw, b, "", bw, "",
		p->usage_source ? p->usage_source : "-",
		r->units_per_page > 1 ? " (4096-byte quanta, not pages)" : "");
	if (p->usage_exact_pages.ok) {
		fmt_count(a, sizeof(a), p->usage_exact_pages);
		fmt_opt_bytes(b, sizeof(b), p->usage_exact_bytes, o);
		fprintf(f, "  %-9s %14s %*s %9s %*s  true charge, BPF: memory_allocated + every "
			"CPU's cache (%+lld against usage)\n", "exact", a, bw, b, "", bw, "",
			(long long)p->exact_cached_pages);
	}
	if (p->exact_note[0])
		fprintf(f, "  note: %s\n", p->exact_note);
	if (!p->limits_ok) {
		fprintf(f, "  %s: %s\n", host_sysctl[p->def->limits].name,
			p->limits_why ? p->limits_why : "not available");
		if (p->trend_ok)
			text_trend(f, p);	/* the growth, even without limits */
		return;
	}
	for (i = 0; i < 3; i++) {
		char pct[48] = "-", head[48] = "-";
		bool unused = i == 1 && p->def->kind != MODEL_PRESSURE;

		fmt_count(a, sizeof(a), opt_some(p->limit_pages[i]));
		fmt_bytes(b, sizeof(b), p->limit_bytes[i], o);
		if (unused) {
			/* udp_mem[1]: read by no code path of the kernel */
			fprintf(f, "  %-9s %14s %*s %9s %*s  (not used by the kernel)\n", "[1]", a, bw,
				b, "-", bw, "-");
			continue;
		}
		if (p->usage_pages.ok) {
			int64_t hb = p->headroom_bytes[i];

			if (p->m.pct_ok)
				snprintf(pct, sizeof(pct), "%.2f%s", p->m.pct[i],
					 p->m.near[i] ? "~" : "");
			fmt_bytes(c, sizeof(c), hb < 0 ? (uint64_t)(-(hb + 1)) + 1 : (uint64_t)hb, o);
			snprintf(head, sizeof(head), "%s%.30s", hb < 0 ? "-" : "", c);
		}
		fprintf(f, "  %-9s %14s %*s %9s %*s\n", lim_label[i], a, bw, b, pct, bw, head);
	}
	/* TCP: sockets until pressure; UDP: until min, where it is limited */
	k = p->def->kind == MODEL_PRESSURE ? 1 : 0;
	if (p->usage_pages.ok && p->m.state == MS_PRESSURE) {
		fputs("  sockets until pressure: already in pressure (the kernel leaves it when usage "
		      "falls to min or below)\n", f);
	} else if (p->usage_pages.ok && p->m.headroom_pages[k] > 0 &&
		   (p->headroom_sockets_default[k].ok || p->headroom_sockets_avg[k].ok)) {
		fprintf(f, "  sockets until %s:", k ? "pressure" : "min (limited)");
		if (p->headroom_sockets_avg[k].ok) {
			fmt_count(a, sizeof(a), p->headroom_sockets_avg[k]);
			fmt_opt_bytes(b, sizeof(b), p->avg_charge_bytes, o);
			fprintf(f, " %s at the average charge (%s)", a, b);
		}
		if (p->headroom_sockets_default[k].ok) {
			fmt_count(a, sizeof(a), p->headroom_sockets_default[k]);
			fmt_count(c, sizeof(c), p->headroom_sockets_full[k]);
			fprintf(f, "%s %s at default buffers, %s at full buffers",
				p->headroom_sockets_avg[k].ok ? ";" : "", a, c);
		}
		fputc('\n', f);
	}
	if (p->trend_ok)
		text_trend(f, p);
	if (p->m.near[0] || (p->m.near[1] && k) || p->m.near[2]) {
		const char *sep = "";

		fmt_count(a, sizeof(a), r->band_pages);
		fprintf(f, "  ~ within the per-CPU band (+/-%s pages) of", a);
		for (i = 0; i < 3; i++)
			if (p->m.near[i] && (i != 1 || k)) {
				fprintf(f, "%s %s", sep, lim_label[i]);
				sep = ",";
			}
		fputs(": the sockets' true charge may be on either side\n", f);
	}
}

static void text_frag(FILE *f, const struct report *r, const struct output_opts *o)
{
	int i;

	fprintf(f, "\n%sFRAG%s reassembly memory (bytes, per network namespace)\n",
		o->color ? C_BOLD : "", o->color ? C_RESET : "");
	fprintf(f, "  %-9s %14s %12s %12s %9s\n", "", "queues", "memory", "high_thresh", "usage %");
	for (i = 0; i < 2; i++) {
		const struct frag_report *fr = &r->frag[i];
		char a[32], b[32], c[32], d[16] = "-";

		fmt_count(a, sizeof(a), fr->inuse);
		fmt_opt_bytes(b, sizeof(b), fr->usage_bytes, o);
		fmt_opt_bytes(c, sizeof(c), fr->high_thresh_bytes, o);
		if (fr->usage_bytes.ok && fr->high_thresh_bytes.ok)
			snprintf(d, sizeof(d), "%.2f", fr->pct);
		fprintf(f, "  %-9s %14s %12s %12s %9s\n", i ? "IPv6" : "IPv4", a, b, c, d);
	}
}

static void text_counts(FILE *f, const struct report *r, const struct output_opts *o)
{
	int i;

	fprintf(f, "\n%sSOCKETS%s%*s %14s  %s\n", o->color ? C_BOLD : "", o->color ? C_RESET : "",
		35, "count", "limit", "scope");
	for (i = 0; i < r->ncount; i++) {
		const struct count_report *c = &r->count[i];
		char a[32], b[32] = "";

		fmt_count(a, sizeof(a), c->value);
		if (c->limit_name)
			fmt_count(b, sizeof(b), c->limit);
		fprintf(f, "  %-26s %14s %14s  %s", c->label, a, b, report_scope_name(c->scope));
		if (c->limit_name)
			fprintf(f, " (limit %s, %s)", c->limit_name, report_scope_name(c->limit_scope));
		fputc('\n', f);
	}
}

static void text_counters(FILE *f, const struct report *r, const struct output_opts *o)
{
	int i;

	fprintf(f, "\n%sPRESSURE EVIDENCE%s since boot (this network namespace)\n",
		o->color ? C_BOLD : "", o->color ? C_RESET : "");
	for (i = 0; i < r->ncounter; i++) {
		const struct counter_report *c = &r->counter[i];
		char a[32];

		fmt_count(a, sizeof(a), c->value);
		if (!c->value.ok)
			snprintf(a, sizeof(a), "absent");
		fprintf(f, "  %-26s %14s %-8s %s\n", c->key, a, c->unit, c->meaning);
	}
}

static void text_settings(FILE *f, const struct report *r, const struct output_opts *o)
{
	static const char *const unit_name[] = { "pages", "bytes", "", "" };
	const struct host *h = r->h;
	int i, j;

	fprintf(f, "\n%sSETTINGS%s\n", o->color ? C_BOLD : "", o->color ? C_RESET : "");
	for (i = 0; i < SC_COUNT; i++) {
		const struct sysctl_def *d = &host_sysctl[i];
		char line[128] = "", *p = line;

		if (h->sysctl[i].rc)
			continue;
		for (j = 0; j < d->n; j++)
			p += snprintf(p, sizeof(line) - (size_t)(p - line), "%s%llu", j ? " " : "",
				      (unsigned long long)h->sysctl[i].v[j]);
		fprintf(f, "  %-30s %-28s %-5s %s\n", d->name, line, unit_name[d->unit],
			report_scope_name(d->scope));
	}
}

/* A capture: where each input came from, and where its files disagree. */
static void text_inputs(FILE *f, const struct report *r, const struct output_opts *o)
{
	const struct host *h = r->h;
	size_t i;

	if (h->layout == LAYOUT_PROC && !h->nconflicts)
		return;
	fprintf(f, "\n%sINPUTS%s of the %s%s\n", o->color ? C_BOLD : "", o->color ? C_RESET : "",
		capture_layout_name(h->layout), h->archive ? ", read in place from its archive" : "");
	for (i = 0; i < host_ninputs; i++) {
		const struct host_from *w = &h->from[i];
		char line[24] = "";

		if (!w->path || host_inputs[i].origin == HOST_SNAPSHOT)
			continue;
		if (w->line)
			snprintf(line, sizeof(line), " line %d", w->line);
		fprintf(f, "  %-36s from %s%s%s%s%s\n", host_input_label(&host_inputs[i]), w->path, line,
			w->how ? " (" : "", w->how ? w->how : "", w->how ? ")" : "");
	}
	for (i = 0; i < host_ninputs; i++) {
		const struct host_input *in = &host_inputs[i];
		char v[sizeof(h->kver.release) + 8] = "";
		int j, n = 0;

		if (!h->from[i].conflict)
			continue;
		if (in->sysctl >= 0)
			for (j = 0; j < host_sysctl[in->sysctl].n; j++)
				n += snprintf(v + n, sizeof(v) - (size_t)n, "%s%llu", j ? " " : "",
					      (unsigned long long)h->sysctl[in->sysctl].v[j]);
		else
			snprintf(v, sizeof(v), "%s", h->kver.release);
		fprintf(f, "  DISAGREE: %s: %s says '%s' (used), %s\n", host_input_label(in), in->path,
			v, h->from[i].conflict);
	}
	/* the per-namespace sysctls of the other namespaces, against these */
	for (i = 0; i < (size_t)h->nnetns_sysctl; i++) {
		const struct host_netns_sysctl *e = &h->netns_sysctl[i];
		int k, j, ndiff = 0;

		if (!e->ok)
			continue;
		fprintf(f, "  network namespace %s: per-namespace sysctls from %s\n", e->name, e->path);
		for (k = 0; k < SC_COUNT; k++) {
			const struct sysctl_def *d = &host_sysctl[k];

			if (e->v[k].rc || (h->sysctl[k].rc == 0 &&
					   !memcmp(e->v[k].v, h->sysctl[k].v, sizeof(e->v[k].v))))
				continue;
			fprintf(f, "    %s =", d->name);
			for (j = 0; j < d->n; j++)
				fprintf(f, " %llu", (unsigned long long)e->v[k].v[j]);
			if (h->sysctl[k].rc == 0) {
				fputs(" (here:", f);
				for (j = 0; j < d->n; j++)
					fprintf(f, " %llu", (unsigned long long)h->sysctl[k].v[j]);
				fputc(')', f);
			}
			fputc('\n', f);
			ndiff++;
		}
		if (!ndiff)
			fputs("    the same as here\n", f);
	}
}

static void text_sockets(FILE *f, const struct report *r, const struct output_opts *o)
{
	const struct sockets_report *k = &r->sk;
	static const int cols[] = { DM_RMEM_ALLOC, DM_RCVBUF, DM_WMEM_ALLOC, DM_SNDBUF, DM_FWD_ALLOC,
				    DM_WMEM_QUEUED, DM_OPTMEM, DM_BACKLOG };
	char a[40];
	int p, i;

	fprintf(f, "\n%sSOCKETS SEEN%s via %s\n", o->color ? C_BOLD : "", o->color ? C_RESET : "",
		k->source);
	for (i = 0; i < k->st->nproblems; i++)
		fprintf(f, "  problem: %s\n", k->st->problem[i]);
	fprintf(f, "  %-9s %14s", "", "sockets");
	for (i = 0; i < (int)ARRAY_SIZE(cols); i++)
		fprintf(f, " %11s", diag_mem_name[cols[i]]);
	fprintf(f, " %8s %11s\n", "drops", "charged");
	for (p = 0; p < DP_COUNT; p++) {
		const struct sock_sums *t = &k->agg->sum[p];

		if (!k->st->ok[p] && !t->count) {
			fprintf(f, "  %-9s %14s\n", diag_proto_label((enum diag_proto)p), "not dumped");
			continue;
		}
		fmt_count(a, sizeof(a), opt_some(t->count));
		fprintf(f, "  %-9s %14s", diag_proto_label((enum diag_proto)p), a);
		for (i = 0; i < (int)ARRAY_SIZE(cols); i++) {
			fmt_bytes(a, sizeof(a), t->mem[cols[i]], o);
			fprintf(f, " %11s", a);
		}
		if (t->with_drops_field)
			fmt_count(a, sizeof(a), opt_some(t->mem[DM_DROPS]));
		else
			snprintf(a, sizeof(a), "absent");
		fprintf(f, " %8s", a);
		fmt_bytes(a, sizeof(a), t->charged_bytes, o);
		fprintf(f, " %11s\n", a);
	}
	fprintf(f, "  charged = %s (what counts against tcp_mem/udp_mem)\n",
		"TCP rmem_alloc + wmem_queued + fwd_alloc, UDP rmem_alloc + fwd_alloc");
	for (p = 0; p < DP_COUNT; p++) {
		const struct sock_sums *t = &k->agg->sum[p];
		const char *sep = "";
		unsigned st;

		if (!t->count)
			continue;
		fprintf(f, "  %s states:", diag_proto_label((enum diag_proto)p));
		for (st = 0; st < DIAG_NSTATES; st++)
			if (t->by_state[st]) {
				fmt_count(a, sizeof(a), opt_some(t->by_state[st]));
				fprintf(f, "%s %s %s", sep, diag_state_name((enum diag_proto)p, st), a);
				sep = ",";
			}
		fputc('\n', f);
		if (t->slow_readers || t->sndbuf_small)
			fprintf(f, "  %s: %llu slow reader%s (queue at 90%% of rcvbuf, drops or backlog)%s",
				diag_proto_label((enum diag_proto)p), (unsigned long long)t->slow_readers,
				t->slow_readers == 1 ? "" : "s", p ? "\n" : "");
		if (!p && (t->slow_readers || t->sndbuf_small))
			fprintf(f, "; %llu with sndbuf below tcp_wmem default (shrunk under pressure "
				"or set by SO_SNDBUF)\n", (unsigned long long)t->sndbuf_small);
	}
	if (k->agg->sum[DP_TCP].worst_case_bytes) {
		char b[40], c[40];
		const struct proto_report *tcp = &r->proto[0];

		fmt_bytes(a, sizeof(a), k->agg->sum[DP_TCP].worst_case_bytes, o);
		if (tcp->limits_ok)
			fmt_bytes(b, sizeof(b), tcp->limit_bytes[2], o);
		else
			snprintf(b, sizeof(b), "not visible");
		fmt_opt_bytes(c, sizeof(c), r->h->mem_total_bytes, o);
		fprintf(f, "  worst case: if every TCP connection filled its buffers (rcvbuf + sndbuf, "
			"capped at tcp_rmem/tcp_wmem max), TCP would need %s; tcp_mem max is %s, "
			"RAM %s\n", a, b, c);
	}

	if (k->per_ns) {
		size_t j;

		fprintf(f, "  per network namespace:\n  %-40s %12s %10s %12s %10s\n", "", "TCP sockets",
			"charged", "UDP sockets", "charged");
		for (j = 0; j < k->nper_ns; j++) {
			const struct netns_sums *ns = &k->per_ns[j];
			char b1[32], b2[32], c1[32], c2[32];

			fmt_count(c1, sizeof(c1), opt_some(ns->sum[DP_TCP].count));
			fmt_count(c2, sizeof(c2), opt_some(ns->sum[DP_UDP].count));
			fmt_bytes(b1, sizeof(b1), ns->sum[DP_TCP].charged_bytes, o);
			fmt_bytes(b2, sizeof(b2), ns->sum[DP_UDP].charged_bytes, o);
			fprintf(f, "  %-40.40s %12s %10s %12s %10s\n", ns->label, c1, b1, c2, b2);
		}
	}

	fprintf(f, "\n%sRECONCILIATION%s sockstat mem against the sockets' charged pages\n",
		o->color ? C_BOLD : "", o->color ? C_RESET : "");
	for (p = 0; p < DP_COUNT; p++) {
		const struct recon_report *c = &k->recon[p];
		char b[40], d[40], e[40];

		if (!c->ok) {
			fprintf(f, "  %-4s not possible (usage or dump missing)\n", diag_proto_label((enum diag_proto)p));
			continue;
		}
		fmt_count(a, sizeof(a), opt_some(c->sockstat_pages));
		fmt_count(b, sizeof(b), opt_some(c->sockets_pages));
		fmt_count(d, sizeof(d), c->band_pages);
		util_group_digits(e, sizeof(e), c->residual_pages < 0 ? (uint64_t)(-(c->residual_pages + 1)) + 1
							     : (uint64_t)c->residual_pages);
		fprintf(f, "  %-4s sockstat %s pages, sockets %s pages, residual %s%s pages, band +/-%s: %s\n",
			diag_proto_label((enum diag_proto)p), a, b, c->residual_pages < 0 ? "-" : "+", e, d,
			!c->band_pages.ok ? "band unknown"
			: c->within_band ? "within the per-CPU band" : "OUTSIDE the per-CPU band");
		/* online <= possible: only this case tells something */
		if (c->band_online_pages.ok && c->within_band && !c->within_online_band) {
			fmt_count(d, sizeof(d), c->band_online_pages);
			fprintf(f, "       outside the band of the CPUs online now (+/-%s): CPUs offlined "
				"since boot may hold the rest\n", d);
		}
		if (c->exact_ok) {
			fmt_count(a, sizeof(a), opt_some(c->exact_pages));
			text_signed_count(e, sizeof(e), c->exact_residual_pages);
			fprintf(f, "       exact %s pages against the sockets: residual %s%s pages%s\n", a,
				c->exact_residual_pages < 0 ? "" : "+", e,
				c->exact_residual_pages == 0 ? " (the sockets hold all of it)" : "");
		}
		/* MPTCP, UDP-Lite: in the sum, or why not */
		if (c->sharing_dumped && c->sharing_sockets) {
			fmt_bytes(e, sizeof(e), c->sharing_charged_bytes, o);
			fmt_count(d, sizeof(d), opt_some(c->sharing_sockets));
			fprintf(f, "       of them %s %s socket%s, %s charged (sharing %s's counter)\n", d,
				diag_dumps[diag_sharing_dump((enum diag_proto)p)].label,
				c->sharing_sockets == 1 ? "" : "s", e, diag_proto_label((enum diag_proto)p));
		} else if (!c->sharing_dumped && c->sharing_why && c->sharing_in_use.ok &&
			   c->sharing_in_use.v) {
			fmt_count(d, sizeof(d), c->sharing_in_use);
			fprintf(f, "       %s sockets (%s in use): %s\n",
				diag_dumps[diag_sharing_dump((enum diag_proto)p)].label, d, c->sharing_why);
		}
		for (i = 0; i < c->ncause; i++)
			fprintf(f, "       - %s\n", c->cause[i]);
	}
	if (k->netns_known)
		fprintf(f, "  network namespaces in use on this host: %llu%s\n",
			(unsigned long long)k->netns_count,
			k->netns_complete ? "" : " or more (some processes could not be inspected)");
}

void output_text_show(FILE *f, const struct report *r, const struct output_opts *o)
{
	int i;

	text_header(f, r, o);
	for (i = 0; i < r->nproto; i++)
		text_proto(f, r, &r->proto[i], o);
	if (r->sk.present)
		text_sockets(f, r, o);
	else if (r->sk.absent_reason)
		fprintf(f, "\n%sSOCKETS SEEN%s: no per-socket view (%s)\n", o->color ? C_BOLD : "",
			o->color ? C_RESET : "", r->sk.absent_reason);
	text_frag(f, r, o);
	text_counts(f, r, o);
	text_counters(f, r, o);
	text_settings(f, r, o);
	text_inputs(f, r, o);
	if (r->nunavail) {
		fprintf(f, "\n%sNOT AVAILABLE%s\n", o->color ? C_BOLD : "", o->color ? C_RESET : "");
		for (i = 0; i < r->nunavail; i++)
			fprintf(f, "  %s: %s\n", r->unavail[i].what, r->unavail[i].why);
	}
	if (host_problem_count(r->h)) {
		const struct host_problem *p;

		fprintf(f, "\n%sPROBLEMS%s\n", o->color ? C_BOLD : "", o->color ? C_RESET : "");
		host_foreach_problem(p, r->h) {
			if (p->line)
				fprintf(f, "  %s: line %d: %s\n", p->path_safe, p->line, p->msg);
			else
				fprintf(f, "  %s: %s\n", p->path_safe, p->msg);
		}
	}
}

/* An escaped name cut to width bytes at an escape's boundary, '~' marking
 * the cut. */
static void text_cut_name(char *dst, size_t n, const char *name, size_t width)
{
	size_t len = strlen(name), k = 0;

	if (len <= width || width < 2) {
		snprintf(dst, n, "%s", name);
		return;
	}
	while (k < len) {
		size_t step = name[k] == '\\' && name[k + 1] == 'x' ? 4 : 1;

		if (k + step > width - 1)
			break;
		k += step;
	}
	snprintf(dst, n, "%.*s~", (int)k, name);
}

void output_text_process_name(char *dst, size_t n, const char *comm, uint32_t others, int width)
{
	char suffix[40] = "", cut[96];
	int w;

	if (others)
		snprintf(suffix, sizeof(suffix), " (+%u sharing)", others);
	w = width - (int)strlen(suffix);
	text_cut_name(cut, sizeof(cut), comm, w > 2 ? (size_t)w : 2);
	snprintf(dst, n, "%s%s", cut, suffix);
}

void output_text_group_name(char *dst, size_t n, enum sockets_by by, const struct top_row *w)
{
	switch (by) {
	case BY_PROCESS:
		snprintf(dst, n, "%7llu %s", (unsigned long long)w->key.id, w->comm);
		break;
	case BY_PORT:
	case BY_PEER_PORT:
		snprintf(dst, n, "%s %u", diag_proto_name(w->key.proto), w->key.port);
		break;
	case BY_STATE:
		snprintf(dst, n, "%s %s", diag_proto_name(w->key.proto),
			 diag_state_name(w->key.proto, w->key.state));
		break;
	default:
		dst[0] = '\0';
	}
}

/* A group's name in top's first column (TEXT_TOP_NAME wide). */
#define TEXT_TOP_COMM 30
static void text_top_name(char *dst, size_t n, const struct report_top *t, const struct top_row *w)
{
	char comm[96];

	switch (t->by) {
	case BY_PROCESS:
		output_text_process_name(comm, sizeof(comm), w->comm, w->e.shared_others_max,
					 TEXT_TOP_COMM);
		snprintf(dst, n, "%7llu %s", (unsigned long long)w->key.id, comm);
		break;
	case BY_CGROUP:
		if (w->cg && w->cg->found)
			util_safe_token(dst, n, w->cg->path, strlen(w->cg->path));
		else
			snprintf(dst, n, "id %llu%s", (unsigned long long)w->key.id,
				 w->cg && w->cg->deleted ? " (deleted)" : "");
		break;
	default:
		output_text_group_name(dst, n, t->by, w);
	}
}

/* The memory controller's own figures under a cgroup row. */
static void text_top_cgroup(FILE *f, const struct top_row *w)
{
	const struct cgroup_info *ci = w->cg;
	char a[32], b[32];

	if (!ci)
		return;
	if (ci->sock_bytes.ok) {
		util_human_bytes(a, sizeof(a), ci->sock_bytes.v);
		fprintf(f, "%32s memory.stat sock %s", "", a);
		if (ci->max_bytes.ok) {
			util_human_bytes(b, sizeof(b), ci->max_bytes.v);
			fprintf(f, ", memory.max %s", b);
		}
		fputc('\n', f);
	}
	if (ci->kmem_tcp_usage_bytes.ok) {
		util_human_bytes(a, sizeof(a), ci->kmem_tcp_usage_bytes.v);
		fprintf(f, "%32s v1 kmem.tcp usage %s", "", a);
		if (w->kmem_tcp_unlimited) {
			fprintf(f, ", no limit");
		} else if (ci->kmem_tcp_limit_bytes.ok) {
			util_human_bytes(b, sizeof(b), ci->kmem_tcp_limit_bytes.v);
			fprintf(f, ", limit %s", b);
		}
		fputc('\n', f);
	}
}

void output_text_top(FILE *f, const struct report_top *t, const struct output_opts *o)
{
	int i;

	fprintf(f, "top %d by %s, charged bytes, from %s\n", t->requested, sockets_by_name[t->by],
		t->source);
	if (t->by == BY_SOCKET)
		fprintf(f, "%-5s %-11s %-26s %-26s %11s %21s %21s %9s %6s %6s %7s %-30s %s\n",
			"PROTO", "STATE", "LOCAL", "PEER", "CHARGED", "RECV-Q/RCVBUF", "SEND-Q/SNDBUF",
			"FWD", "DROPS", "UID", "PID", "COMMAND", "FLAGS");
	else if (t->by == BY_PROCESS)
		fprintf(f, "%7s %-*s %9s %11s %21s %21s %9s %8s %s\n", "PID", TEXT_TOP_COMM,
			"COMMAND", "SOCKETS", "CHARGED", "RECV-Q/RCVBUF", "SEND-Q/SNDBUF", "FWD",
			"DROPS", "FLAGS");
	else
		fprintf(f, "%-32s %9s %11s %21s %21s %9s %8s %s\n",
			t->by == BY_CGROUP ? "CGROUP" : t->by == BY_PORT ? "PROTO PORT"
			: t->by == BY_PEER_PORT ? "PROTO PEER-PORT" : "PROTO STATE",
			"SOCKETS", "CHARGED", "RECV-Q/RCVBUF", "SEND-Q/SNDBUF", "FWD", "DROPS", "FLAGS");
	for (i = 0; i < t->n; i++) {
		const struct top_row *w = &t->row[i];
		const struct sock_entry *e = &w->e;
		char ch[32], r[32], rb[32], wq[32], tb[32], fw[32], rq[72], sq[72], dr[24];

		fmt_column_bytes(ch, sizeof(ch), e->charged_bytes, o);
		fmt_column_bytes(r, sizeof(r), e->mem[DM_RMEM_ALLOC], o);
		fmt_column_bytes(rb, sizeof(rb), e->mem[DM_RCVBUF], o);
		fmt_column_bytes(wq, sizeof(wq), e->mem[DM_WMEM_QUEUED], o);
		fmt_column_bytes(tb, sizeof(tb), e->mem[DM_SNDBUF], o);
		fmt_column_bytes(fw, sizeof(fw), e->mem[DM_FWD_ALLOC], o);
		snprintf(rq, sizeof(rq), "%s/%s", r, rb);
		snprintf(sq, sizeof(sq), "%s/%s", wq, tb);
		if (e->drops_known)
			snprintf(dr, sizeof(dr), "%llu", (unsigned long long)e->mem[DM_DROPS]);
		else
			snprintf(dr, sizeof(dr), "-");
		if (t->by == BY_SOCKET) {
			char pid[16] = "-", comm[96] = "-";

			if (w->pid) {
				snprintf(pid, sizeof(pid), "%u", w->pid);
				output_text_process_name(comm, sizeof(comm), w->comm, w->shared_others,
							 30);
			}
			fprintf(f, "%-5s %-11s %-26s %-26s %11s %21s %21s %9s %6s %6u %7s %-30s %s\n",
				diag_proto_name(e->s.proto), diag_state_name(e->s.proto, e->s.state),
				w->local, w->peer, ch, rq, sq, fw, dr, e->s.uid, pid, comm, w->flags);
		} else {
			char name[PATH_MAX];

			text_top_name(name, sizeof(name), t, w);
			fprintf(f, t->by == BY_PROCESS ? "%-38s %9llu %11s %21s %21s %9s %8s %s\n"
				: "%-32s %9llu %11s %21s %21s %9s %8s %s\n", name,
				(unsigned long long)e->count, ch, rq, sq, fw, dr, w->flags);
			if (t->by == BY_CGROUP)
				text_top_cgroup(f, w);
		}
	}
	if (t->attribution) {
		char b[32];

		util_human_bytes(b, sizeof(b), t->unattributed_bytes);
		fprintf(f, "not attributed: %llu sockets, %s charged",
			(unsigned long long)t->unattributed_sockets, b);
		if (t->by == BY_PROCESS)
			fprintf(f, " (no process: TIME-WAIT, orphans, kernel sockets%s)",
				t->processes_denied ? "; or owned by processes whose fds could not be read"
				: "");
		else
			fprintf(f, " (TIME-WAIT and SYN-RECV entries carry no cgroup id)");
		fputc('\n', f);
		if (t->attribution_partial)
			fprintf(f, "attribution is partial: %llu of %llu processes could not be inspected "
				"(named on stderr; reading another user's /proc/PID/fd needs root)\n",
				(unsigned long long)t->processes_denied,
				(unsigned long long)t->processes_scanned);
	}
	if (t->h)
		text_deleted(f, t->h);
}

void output_text_fit(FILE *f, const char *buf, size_t len, int cols, int rows)
{
	const char *p = buf, *end = buf + len;
	int row = 0;

	while (p < end && (!rows || row < rows)) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *le = nl ? nl : end, *q = p;
		int col = 0;
		bool cut = false, esc = false;

		while (q < le) {
			if (*q == '\033') {
				/* CSI: ESC [ parameters final byte (0x40-0x7e) */
				const char *s = q + 1;

				if (s < le && *s == '[')
					for (s++; s < le && !(*s >= 0x40 && *s <= 0x7e); s++)
						;
				q = s < le ? s + 1 : le;
				esc = true;
				continue;
			}
			if (((unsigned char)*q & 0xc0) != 0x80) {	/* not a continuation byte */
				if (cols && col == cols) {
					cut = true;
					break;
				}
				col++;
			}
			q++;
		}
		fwrite(p, 1, (size_t)(q - p), f);
		if (cut && esc)
			fputs("\033[0m", f);	/* a colour cut off before its reset */
		row++;
		p = nl ? nl + 1 : end;
		if (nl && p < end && (!rows || row < rows))
			fputc('\n', f);
	}
}

void output_text_screen(FILE *f, enum screen_op op)
{
	static const char *const seq[] = {
		[SCREEN_ENTER] = "\033[?1049h\033[?25l",	/* alternate screen, hide cursor */
		[SCREEN_CLEAR] = "\033[H\033[2J",
		[SCREEN_LEAVE] = "\033[?25h\033[?1049l",	/* cursor back, main screen */
	};

	fputs(seq[op], f);
}

/* Usage against max as a bar; '|' marks min and pressure. */
static void text_watch_bar(char *dst, size_t n, const struct proto_report *p, int width)
{
	int i, u, m0, m1;
	double max;

	if (!p->limits_ok || !p->usage_pages.ok || !p->limit_units[2] || (size_t)width + 3 > n) {
		snprintf(dst, n, "%*s", width + 2, "(limits not visible)");
		return;
	}
	max = (double)p->limit_units[2];
	u = (int)((double)p->usage_pages.v / max * width + 0.5);
	m0 = (int)((double)p->limit_units[0] / max * width + 0.5);
	m1 = (int)((double)p->limit_units[1] / max * width + 0.5);
	dst[0] = '[';
	for (i = 0; i < width; i++)
		dst[i + 1] = i < u ? '#' : (i == m0 || i == m1) ? '|' : '.';
	dst[width + 1] = u > width ? '>' : ']';
	dst[width + 2] = '\0';
}

void output_text_watch(FILE *f, const struct report_sample *s, double every_s, bool color,
		       bool q_quits)
{
	const struct report *r = s->r;
	char a[40], b[40], bar[80];
	int i;

	fprintf(f, "sockmem watch  %s  every %.3gs  sample %llu  (%sCtrl-C to quit)\n\n", s->time_local,
		every_s, (unsigned long long)s->n, q_quits ? "q or " : "");
	for (i = 0; i < r->nproto; i++) {
		const struct proto_report *p = &r->proto[i];

		if (p->def->shares_with)
			continue;
		text_watch_bar(bar, sizeof(bar), p, 40);
		util_human_bytes(a, sizeof(a), p->usage_bytes.ok ? p->usage_bytes.v : 0);
		if (p->m.pct_ok && p->limits_ok)
			snprintf(b, sizeof(b), "%6.2f%% of max", p->m.pct[2]);
		else
			snprintf(b, sizeof(b), "max not visible");
		fprintf(f, "%-4s %s%-10s%s %s %9s %s", p->def->label, color ? state_color(p->m.state) : "",
			model_state_name(p->m.state), color ? C_RESET : "", bar, a, b);
		if (p->def->kind == MODEL_PRESSURE)
			fprintf(f, "  press=%s", protocols_press_name(p->press));
		fputc('\n', f);
		if (p->trend_ok) {
			fprintf(f, "     growth %+.2f pages/s", p->trend.slope);
			if (!p->trend.growing)
				fputs(", not growing", f);
			else if (p->eta_ok[1] && p->eta_s[1] > 0)
				fprintf(f, ", pressure in ~%.0f s", p->eta_s[1]);
			else if (p->eta_ok[1])
				fputs(", above pressure", f);
			fputc('\n', f);
		}
	}
	fputs("\ncounter rates per second:", f);
	if (!s->rates.ok) {
		fputs(" (after the next sample)\n", f);
	} else {
		int shown = 0;

		for (i = 0; i < r->ncounter; i++)
			if (s->rates.known[i] && s->rates.per_s[i] > 0) {
				fprintf(f, "%s %s %.2f", shown % 3 ? "," : "\n ", r->counter[i].key,
					s->rates.per_s[i]);
				shown++;
			}
		fputs(shown ? "\n" : " all 0\n", f);
	}
	if (s->ntop) {
		if (s->cost.sockets_pass_sample && s->cost.sockets_pass_sample != s->n)
			fprintf(f, "\ntop holders (by port, from sample %llu):\n",
				(unsigned long long)s->cost.sockets_pass_sample);
		else
			fputs("\ntop holders (by port):\n", f);
		for (i = 0; i < s->ntop; i++) {
			const struct top_row *w = &s->top[i];

			util_human_bytes(a, sizeof(a), w->e.charged_bytes);
			util_human_bytes(b, sizeof(b), w->e.mem[DM_RMEM_ALLOC]);
			fprintf(f, "  %-4s %-6u %6llu socket%s %10s charged, recv-q %s%s\n",
				diag_proto_name(w->key.proto), w->key.port, (unsigned long long)w->e.count,
				w->e.count == 1 ? " " : "s", a, b, w->e.slow_readers ? ", slow readers" : "");
		}
	}
	fprintf(f, "\ncollect %.1f ms (CPU %.1f ms)%s; per-socket pass every %llu sample%s; watch "
		"uses %.1f%% of a CPU\n", s->cost.collect_seconds * 1e3, s->cost.collect_cpu_seconds * 1e3,
		s->cost.sockets_pass ? ", with the per-socket pass" : "",
		(unsigned long long)s->cost.sockets_every, s->cost.sockets_every == 1 ? "" : "s",
		s->cost.cpu_share * 100);
	if (s->output_errors)
		fprintf(f, "\noutput: %llu write error%s, the last: %s\n",
			(unsigned long long)s->output_errors, s->output_errors == 1 ? "" : "s",
			strerror(s->output_last_errno));
}

void output_text_simulate(FILE *f, const struct report_sim *s, const struct output_opts *o)
{
	const struct simulate_in *in = &s->in;
	const char *label = s->pr->def->label;
	/* usage's unit: 4096-byte quanta on 4.11-5.19 with larger pages */
	bool quanta = s->out.unit_bytes && s->out.unit_bytes < in->page_size_bytes;
	const char *uw = quanta ? "quanta" : "pages";
	char a[40], b[40], c[40];
	int i, j;

	fmt_bytes(a, sizeof(a), in->bytes_per_socket, o);
	util_group_digits(b, sizeof(b), in->add_sockets);
	fprintf(f, "simulate: +%s %s socket%s of %s (%llu %s each, %s) from %s\n", b, label,
		in->add_sockets == 1 ? "" : "s", a, (unsigned long long)s->out.pages_per_socket,
		quanta ? "quanta" : s->out.pages_per_socket == 1 ? "page" : "pages", in->dir == CHARGE_RECV ? "receive" : "send",
		s->from_snapshot ? "the snapshot" : "the live state");
	for (i = 0; i < s->nset; i++) {
		const struct report_sim_set *st = &s->set[i];
		const struct sysctl_def *d = &host_sysctl[st->id];

		fprintf(f, "  with %s =", d->name);
		for (j = 0; j < d->n; j++)
			fprintf(f, " %llu", (unsigned long long)st->to[j]);
		if (st->from_ok) {
			fprintf(f, " (now");
			for (j = 0; j < d->n; j++)
				fprintf(f, " %llu", (unsigned long long)st->from[j]);
			fprintf(f, ")\n");
		} else {
			fprintf(f, " (now not visible)\n");
		}
	}
	util_group_digits(a, sizeof(a), in->usage_pages);
	fmt_bytes(b, sizeof(b), s->usage_bytes_now, o);
	fprintf(f, "now: %s %s, usage %s %s (%s); min/pressure/max %llu/%llu/%llu pages%s; "
		"per-CPU band +/-%llu %s\n", label, model_state_name(s->pr->m.state), a, uw, b,
		(unsigned long long)in->limit_pages[0], (unsigned long long)in->limit_pages[1],
		(unsigned long long)in->limit_pages[2],
		quanta ? " (the kernel compares usage with them in quanta)" : "",
		(unsigned long long)in->band_pages, uw);
	if (!s->nstep)
		fprintf(f, "no transition\n");
	for (i = 0; i < s->nstep; i++) {
		const struct report_sim_step *st = &s->step[i];

		util_group_digits(a, sizeof(a), st->t.at_added_sockets);
		util_group_digits(b, sizeof(b), st->t.at_usage_pages);
		if (st->when == SIM_WHEN_ALREADY) {
			fprintf(f, "  already (usage %s %s): ", b, uw);
		} else if (st->when == SIM_WHEN_NEXT_CHARGE) {
			fprintf(f, "  at the next charge (usage %s %s): ", b, uw);
		} else if (st->ranged) {
			char lo[32], hi[32];

			util_group_digits(lo, sizeof(lo), st->t.at_added_low);
			util_group_digits(hi, sizeof(hi), st->t.at_added_high);
			fprintf(f, "  at +%s sockets (%s to %s with the band; usage %s %s): ", a, lo, hi,
				b, uw);
		} else {
			fprintf(f, "  at +%s sockets (usage %s %s): ", a, b, uw);
		}
		fprintf(f, "%s\n", st->description);
	}
	util_group_digits(a, sizeof(a), s->out.final_usage_pages);
	fmt_bytes(b, sizeof(b), s->final_usage_bytes, o);
	util_group_digits(c, sizeof(c), s->out.sockets_capped);
	fprintf(f, "final: %s %s, usage %s %s (%s)%s; %s of the new sockets could not reach "
		"their size\n", label, model_state_name(s->out.final_state), a, uw, b,
		in->kind == MODEL_PRESSURE ? (s->out.final_pressure ? ", kernel flag set"
					      : ", kernel flag clear") : "", c);
	if (s->forced_skb_carries) {
		util_human_bytes(c, sizeof(c), in->skb_bytes);
		fprintf(f, "  note: over max every charge but a forced one fails; the new sockets reach "
			"their size only through the charge the kernel forces for each one's first "
			"skb, assumed here to be %s (with smaller skbs they hold less)\n", c);
	}
}

/* ---- sockmem advise */

/* advise's lines are wrapped at this width */
#define TEXT_ADVISE_WIDTH 100

/* Words of text from column col on, wrapped at TEXT_ADVISE_WIDTH with
 * indent spaces before each continuation line (whole: text is one word,
 * never split); sep: a space before the first word.  A word longer than a
 * line stays whole.  Returns the column after it. */
static int text_wrap(FILE *f, int col, int indent, const char *text, bool whole, bool sep)
{
	const char *p = text;

	while (*p) {
		const char *w = p;
		int len;

		while (*w == ' ' && !whole)
			w++;
		if (!*w)
			break;
		len = whole ? (int)strlen(w) : 0;
		while (!whole && w[len] && w[len] != ' ')
			len++;
		if (col > indent && col + sep + len > TEXT_ADVISE_WIDTH) {
			fprintf(f, "\n%*s", indent, "");
			col = indent;
		} else if (sep) {
			fputc(' ', f);
			col++;
		}
		fwrite(w, 1, (size_t)len, f);
		col += len;
		p = w + len;
		sep = true;
	}
	return col;
}

static void text_evidence(const struct evidence *e, char *buf, size_t n)
{
	char v[48];

	switch (e->t) {
	case EV_U64:
		util_group_digits(v, sizeof(v), e->u);
		snprintf(buf, n, "%s=%s", e->key, v);
		break;
	case EV_I64:
		text_signed_count(v, sizeof(v), e->i);
		snprintf(buf, n, "%s=%s", e->key, v);
		break;
	case EV_DBL:
		/* a large figure as a whole number with separators, never 1.25e+09 */
		if (e->d >= 1e4 && e->d < 1.8e19) {
			util_group_digits(v, sizeof(v), (uint64_t)(e->d + 0.5));
			snprintf(buf, n, "%s=%s", e->key, v);
		} else if (e->d <= -1e4 && e->d > -9.2e18) {
			text_signed_count(v, sizeof(v), (int64_t)(e->d - 0.5));
			snprintf(buf, n, "%s=%s", e->key, v);
		} else {
			snprintf(buf, n, "%s=%.4g", e->key, e->d);
		}
		break;
	case EV_BOOL: snprintf(buf, n, "%s=%s", e->key, e->u ? "true" : "false"); break;
	default: snprintf(buf, n, "%s=%s", e->key, e->s); break;
	}
}

static void text_signed_bytes(char *dst, size_t n, int64_t b, const struct output_opts *o)
{
	char a[40];

	fmt_bytes(a, sizeof(a), b < 0 ? (uint64_t)(-(b + 1)) + 1 : (uint64_t)b, o);
	snprintf(dst, n, "%s%s", b < 0 ? "-" : "", a);
}

static void text_advise_fix(FILE *f, const struct sysctl_change *c, const struct output_opts *o)
{
	char vals[80];

	fix_values(c, vals, sizeof(vals));
	fprintf(f, "      fix: sysctl -w %s=\"%s\"\n", fix_name(c), vals);
	if (c->predicted) {
		char a[48], b[48];

		text_signed_bytes(a, sizeof(a), c->headroom_before_bytes, o);
		text_signed_bytes(b, sizeof(b), c->headroom_after_bytes, o);
		fprintf(f, "           predicted: %s -> %s, headroom %s -> %s\n",
			model_state_name(c->state_before), model_state_name(c->state_after), a, b);
	}
}

void output_text_advise(FILE *f, const struct report_advise *a, const struct output_opts *o)
{
	static const char *const colour[] = { "\033[36m", C_YELLOW, C_RED };
	int i, j, col;

	/* advice on a capture says which one, as show's header does */
	if (a->r->origin.capture) {
		text_origin(f, a->r, o);
		fputc('\n', f);
	}
	/* advise --trace: what the window saw, the evidence of the trace-* findings */
	if (a->trace && a->trace->bpf)
		fprintf(f, "trace: %.1f s, attribution %s: %llu UDP refusals and memory drops on %llu "
			"sockets in %llu cgroups\n\n", a->trace->window_s, a->trace->level,
			(unsigned long long)a->trace->udp_events, (unsigned long long)a->trace->udp_sockets,
			(unsigned long long)a->trace->udp_cgroups);
	else if (a->trace)
		fprintf(f, "trace: %.1f s, attribution %s: no events (%s)\n\n", a->trace->window_s,
			a->trace->level, a->trace->why ? a->trace->why : "no BPF");
	if (!a->n) {
		fprintf(f, "no findings: socket memory looks healthy\n");
		return;
	}
	for (i = 0; i < a->n; i++) {
		const struct finding *x = &a->f[i];
		char buf[sizeof(x->ev[0].s) + 64];

		fprintf(f, "%s%-4s%s  %s  [%s%s]\n", o->color ? colour[x->sev] : "",
			rules_sev_name(x->sev), o->color ? C_RESET : "", x->id,
			rules_scope_name(x->scope),
			x->nfix && !x->container_can_apply ? "; host-only: a container cannot apply it"
			: "");
		fprintf(f, "      ");
		text_wrap(f, 6, 6, x->summary, false, false);
		fprintf(f, "\n      evidence:");
		for (j = 0, col = 15; j < x->nev; j++) {
			text_evidence(&x->ev[j], buf, sizeof(buf));
			/* one item on one line, unless it is longer than a line */
			col = text_wrap(f, col, 16, buf, strlen(buf) <= TEXT_ADVISE_WIDTH - 16, true);
		}
		fprintf(f, "\n      why: ");
		text_wrap(f, 11, 11, x->mechanism, false, false);
		fputc('\n', f);
		for (j = 0; j < x->nfix; j++)
			text_advise_fix(f, &x->fix[j], o);
		if (x->application[0]) {
			col = fprintf(f, "      %s ", x->nfix ? "also:" : "fix:");
			text_wrap(f, col, col, x->application, false, false);
			fputc('\n', f);
		}
		fputc('\n', f);
	}
}

void output_text_advise_sysctl(FILE *f, const struct report_advise *a)
{
	const struct report_origin *g = &a->r->origin;
	const struct host *h = a->h;
	int i, j;

	fprintf(f, "# sysctl settings proposed by sockmem %s for ", PACKAGE_VERSION);
	if (g->capture) {
		fprintf(f, "the %s", g->kind);	/* which one, taken when, on which host */
		text_origin_root(f, g);
	} else {
		fputs(h->root[0] ? "a snapshot" : h->netns_child
		      ? "this network namespace (a container)" : "this host", f);
	}
	fprintf(f, " (Linux %s, %llu-byte pages)\n", h->kver.ok ? h->kver.release : "unknown",
		(unsigned long long)h->page_size_bytes);
	fprintf(f, "# Review, then install as /etc/sysctl.d/60-sockmem.conf; sockmem applies "
		"nothing.\n");
	if (h->netns_child)
		fprintf(f, "# A child network namespace: host-only sysctls (tcp_mem, udp_mem, "
			"tcp_max_orphans, net.core.rmem_max, ...) are absent or read-only here, so "
			"their fixes are comments below - set them on the host.\n");
	for (i = 0; i < a->n; i++)
		for (j = 0; j < a->f[i].nfix; j++) {
			const struct finding *x = &a->f[i];
			const struct sysctl_change *c = &x->fix[j];
			char vals[80];

			if (a->line[i][j] == ADVISE_LINE_INFO)
				continue;
			fix_values(c, vals, sizeof(vals));
			fprintf(f, "\n# %s (%s): %s\n", x->id, rules_sev_name(x->sev), x->summary);
			if (a->line[i][j] == ADVISE_LINE_OTHER_ABOVE) {
				fprintf(f, "#   (%s is set above; this finding would set %s)\n",
					fix_name(c), vals);
				continue;
			}
			if (a->line[i][j] == ADVISE_LINE_SET_ABOVE) {
				fprintf(f, "#   (%s = %s is set above)\n", fix_name(c), vals);
				continue;
			}
			if (a->line[i][j] == ADVISE_LINE_HOST_ONLY) {
				fprintf(f, "#   (%s = %s is host-only: set it in the initial network "
					"namespace, not in this one)\n", fix_name(c), vals);
				continue;
			}
			if (c->predicted)
				fprintf(f, "# predicted: %s -> %s\n", model_state_name(c->state_before),
					model_state_name(c->state_after));
			fprintf(f, "%s = %s\n", fix_name(c), vals);
		}
	if (!a->sysctl_lines)
		fprintf(f, "\n# nothing to change\n");
	if (a->sysctl_host_only)
		fprintf(f, "\n# %d fix%s of host-only sysctls left as comments (a container cannot "
			"set them)\n", a->sysctl_host_only, a->sysctl_host_only == 1 ? "" : "es");
	if (a->sysctl_info_skipped)
		fprintf(f, "\n# %d fix%s of info findings left out (see sockmem advise)\n",
			a->sysctl_info_skipped, a->sysctl_info_skipped == 1 ? "" : "es");
}

void output_text_snapshot(FILE *f, const struct report_snapshot *s)
{
	char dir[PATH_MAX * 4 + 1];

	util_safe_token(dir, sizeof(dir), s->directory, strlen(s->directory));
	fprintf(f, "snapshot %s: %d files copied, %d absent on this system, %d failed; page size "
		"%llu bytes\n", dir, s->copied, s->absent, s->failed,
		(unsigned long long)s->page_size_bytes);
}

/* ---- sockmem trace ---- */

static const char *text_trace_limit_name(const char *protocol)
{
	return !strcmp(protocol, "udp") || !strcmp(protocol, "udplite") ? "udp_mem"
	       : !strcmp(protocol, "sctp") ? "sctp_mem" : "tcp_mem";
}

static void text_trace_scope(FILE *f, const struct report_trace *t)
{
	if (t->counted)
		fprintf(f, "the whole host (counted: no namespace, the counters this one's)");
	else if (t->netns_ino)
		fprintf(f, "this network namespace (net:[%u])", t->netns_ino);
	else
		fprintf(f, "every network namespace");
	fprintf(f, ", %s", t->protocol ? t->protocol : "every protocol");
}

static void text_trace_level(FILE *f, const struct report_trace *t)
{
	static const char *const what[TRACE_LEVEL_COUNT] = {
		"socket, process and cgroup of every event (BPF; processes from /proc)",
		"socket and cgroup of every event; processes only where /proc could be read (BPF)",
		"every event counted, none attributed (perf_event_open, no BPF)",
		"none: the kernel's counters over the window only",
	};

	fprintf(f, "attribution: %s: %s", trace_level_name[t->level], what[t->level]);
	if (t->bpf && !strncmp(t->loader, "libbpf", 6))
		fprintf(f, " (loaded through %s)", t->loader);
	if (t->level_why)
		fprintf(f, " (%s)", t->level_why);
	fputc('\n', f);
}

void output_text_trace_start(FILE *f, const struct report_trace *t, const struct output_opts *o)
{
	int i;

	(void)o;
	fprintf(f, "sockmem trace: %s on ", t->bpf ? (t->summary_only ? "counting refusals and memory "
						 "drops in the kernel" : "refusals and memory drops")
					  : t->counted ? "counting refusals and memory drops (perf_event_open)"
					  : "the kernel's counters");
	text_trace_scope(f, t);
	fprintf(f, "; Ctrl-C ends with the summary\n");
	text_trace_level(f, t);
	for (i = 0; i < t->ncoverage; i++)
		fprintf(f, "coverage: %s\n", t->coverage[i]);
	if (t->bpf && !t->summary_only)
		fprintf(f, "%-15s %-24s %-7s %s\n", "TIME", "EVENT", "PROTO",
			"SOCKET, BUFFER, USAGE, PROCESS, CGROUP");
}

void output_text_trace_line(FILE *f, const struct trace_line *l, const struct output_opts *o)
{
	const struct memtrace_event *e = l->e;
	char a[32], b[32], c[32];

	fprintf(f, "%-15s %-24s %-7s", l->time_local, l->def->name, l->protocol);
	if (e->xflags & MEMTRACE_X_POLLED) {
		fprintf(f, " the press flag of /proc/net/protocols (polled: no socket)");
		if (e->event == MEMTRACE_EV_PRESS_LEAVE)
			fprintf(f, (e->flags & MEMTRACE_F_EPISODE) ? " episode %.1f s\n"
				: " episode began before the trace\n", (double)e->episode_ms / 1000.0);
		else
			fprintf(f, "\n");
		return;
	}
	if (!(e->flags & MEMTRACE_F_SOCK)) {
		fprintf(f, " no socket (not attributed) netns %u\n", e->netns_ino);
		return;
	}
	fprintf(f, " %s peer %s %s", l->local, l->peer, l->state);
	if (e->event == MEMTRACE_EV_PRESS_LEAVE) {
		if (l->episode_known)
			fprintf(f, " episode %.3f s", l->episode_s);
		else
			fprintf(f, " episode began before the trace");
	}
	if (!strcmp(l->def->direction, "any")) {
		fmt_bytes(a, sizeof(a), e->rmem_alloc > 0 ? (uint64_t)e->rmem_alloc : 0, o);
		fmt_bytes(b, sizeof(b), e->wmem_queued > 0 ? (uint64_t)e->wmem_queued : 0, o);
		fprintf(f, " rmem %s wmem %s", a, b);
	} else if (!strcmp(l->def->direction, "send")) {
		fmt_bytes(a, sizeof(a), e->wmem_queued > 0 ? (uint64_t)e->wmem_queued : 0, o);
		fmt_bytes(b, sizeof(b), e->sndbuf > 0 ? (uint64_t)e->sndbuf : 0, o);
		fprintf(f, " wmem %s/%s", a, b);
	} else {
		fmt_bytes(a, sizeof(a), e->rmem_alloc > 0 ? (uint64_t)e->rmem_alloc : 0, o);
		fmt_bytes(b, sizeof(b), e->rcvbuf > 0 ? (uint64_t)e->rcvbuf : 0, o);
		fprintf(f, " rmem %s/%s", a, b);
	}
	if (l->limits_ok) {
		fmt_bytes(a, sizeof(a), l->allocated_bytes > 0 ? (uint64_t)l->allocated_bytes : 0, o);
		fmt_bytes(b, sizeof(b), l->limit_bytes[0], o);
		fmt_bytes(c, sizeof(c), l->limit_bytes[2], o);
		fprintf(f, " %s %s (min %s, max %s: %.1f%%)%s", text_trace_limit_name(l->protocol), a, b,
			c, l->usage_pct_of_max, l->pressure ? " pressure" : "");
	}
	if (l->cause)
		fprintf(f, " cause %s", l->cause);
	if (l->names && l->names->pid_found)
		fprintf(f, " pid %u %s", l->names->pid, l->names->comm);
	else
		fprintf(f, " pid ?");
	if (l->names && l->names->cgroup_found) {
		char cg[PATH_MAX];

		util_safe_token(cg, sizeof(cg), l->names->cgroup, strlen(l->names->cgroup));
		fprintf(f, " cgroup %s", cg);
	} else if (e->cgroup_id) {
		fprintf(f, " cgroup id %llu", (unsigned long long)e->cgroup_id);
	}
	if (l->pod.found)
		fprintf(f, " pod %s%s%.12s", l->pod.uid, l->pod.container[0] ? " container " : "",
			l->pod.container);
	/* the memory cgroup, where it is not the cgroup above (v1, or a v2
	 * ancestor) or where the memcg refused */
	if (e->memcg_cgroup_id && (e->memcg_cgroup_id != e->cgroup_id || (l->cause && !strcmp(l->cause, "memcg")))) {
		const struct trace_names *nm = l->names;

		if (nm && nm->memcg_id == e->memcg_cgroup_id && nm->memcg_found) {
			char mc[PATH_MAX];

			util_safe_token(mc, sizeof(mc), nm->memcg, strlen(nm->memcg));
			fprintf(f, " memcg %s%s", mc, nm->memcg_v1 ? " (v1)" : "");
		} else {
			fprintf(f, " memcg id %llu", (unsigned long long)e->memcg_cgroup_id);
		}
	}
	fprintf(f, " netns %u\n", e->netns_ino);
}

static void text_trace_group(FILE *f, const struct report_trace *t, enum trace_by by)
{
	static const char *const title[TRACE_BY_COUNT] = { "sockets", "processes", "cgroups", "ports" };
	int i;

	if (!t->ntop[by])
		return;
	fprintf(f, "\ntop %s (%llu in all):\n", title[by], (unsigned long long)t->groups[by]);
	switch (by) {
	case TRACE_BY_SOCKET:
		fprintf(f, "  %12s %6s %-7s %-26s %-26s %-8s %s\n", "EVENTS", "SHARE", "PROTO", "LOCAL",
			"PEER", "STATE", "PROCESS, CGROUP");
		break;
	case TRACE_BY_PROCESS:
		fprintf(f, "  %12s %6s %8s %s\n", "EVENTS", "SHARE", "SOCKETS", "PID COMMAND");
		break;
	case TRACE_BY_CGROUP:
		fprintf(f, "  %12s %6s %8s %s\n", "EVENTS", "SHARE", "SOCKETS", "CGROUP (POD)");
		break;
	default:
		fprintf(f, "  %12s %6s %8s %s\n", "EVENTS", "SHARE", "SOCKETS", "PROTO PORT");
		break;
	}
	for (i = 0; i < t->ntop[by]; i++) {
		const struct trace_row *r = &t->top[by][i];
		const struct trace_line *l = &r->line;
		const struct trace_names *nm = l->names;
		char ev[32], sh[16], cg[PATH_MAX];

		util_group_digits(ev, sizeof(ev), r->events);
		snprintf(sh, sizeof(sh), "%.1f%%", r->share_pct);
		if (nm && nm->cgroup_found)
			util_safe_token(cg, sizeof(cg), nm->cgroup, strlen(nm->cgroup));
		else if (r->first.cgroup_id)
			snprintf(cg, sizeof(cg), "id %llu", (unsigned long long)r->first.cgroup_id);
		else
			snprintf(cg, sizeof(cg), "-");
		if (!(r->first.flags & MEMTRACE_F_SOCK) && by != TRACE_BY_CGROUP) {
			fprintf(f, "  %12s %6s %s\n", ev, sh, "(no socket: not attributed)");
			continue;
		}
		switch (by) {
		case TRACE_BY_SOCKET:
			fprintf(f, "  %12s %6s %-7s %-26s %-26s %-8s ", ev, sh, l->protocol, l->local,
				l->peer, l->state);
			if (nm && nm->pid_found)
				fprintf(f, "%u %s", nm->pid, nm->comm);
			else
				fprintf(f, "?");
			fprintf(f, ", %s\n", cg);
			break;
		case TRACE_BY_PROCESS:
			if (nm && nm->pid_found)
				fprintf(f, "  %12s %6s %8llu %u %s\n", ev, sh, (unsigned long long)r->sockets,
					nm->pid, nm->comm);
			else
				fprintf(f, "  %12s %6s %8llu %s\n", ev, sh, (unsigned long long)r->sockets,
					"(no process found: gone, or its fds could not be read)");
			break;
		case TRACE_BY_CGROUP:
			fprintf(f, "  %12s %6s %8llu %s", ev, sh, (unsigned long long)r->sockets, cg);
			if (l->pod.found)
				fprintf(f, " (pod %s%s%.12s)", l->pod.uid,
					l->pod.container[0] ? " container " : "", l->pod.container);
			fputc('\n', f);
			break;
		default:
			fprintf(f, "  %12s %6s %8llu %s %u\n", ev, sh, (unsigned long long)r->sockets,
				l->protocol, r->first.sport);
			break;
		}
	}
}

/* The summary's events by kind, one line each that happened. */
static void text_trace_by_event(FILE *f, const struct report_trace *t)
{
	char b[32];
	int i;

	for (i = 0; i < MEMTRACE_NEVENTS; i++) {
		if (!t->events[i])
			continue;
		util_group_digits(b, sizeof(b), t->events[i]);
		fprintf(f, "  %-26s %12s  %s\n", trace_event_defs[i].name, b, trace_event_defs[i].meaning);
	}
}

void output_text_trace_summary(FILE *f, const struct report_trace *t, const struct output_opts *o)
{
	char a[32];
	int i;

	(void)o;
	util_group_digits(a, sizeof(a), t->total_events);
	fprintf(f, "\nsummary: %.1f s on ", t->window_s);
	text_trace_scope(f, t);
	fprintf(f, ", ended by %s\n", t->end_reason ? t->end_reason : "?");
	text_trace_level(f, t);
	if (t->bpf) {
		fprintf(f, "events: %s (%.1f/s)\n", a, t->events_per_s);
		text_trace_by_event(f, t);
		fprintf(f, "not attributed: %llu events (%llu without a socket)\n",
			(unsigned long long)t->unattributed_events, (unsigned long long)t->no_sock);
		if (t->paired)
			fprintf(f, "given the socket refused just before: %llu drops (no rx_sk before 6.11)\n",
				(unsigned long long)t->paired);
		if (!t->summary_only)
			fprintf(f, "lines: %llu printed, %llu lost (the ring buffer was full)\n",
				(unsigned long long)t->lines_printed, (unsigned long long)t->ring_lost);
		if (t->agg_full)
			fprintf(f, "aggregation map full: %llu events counted without their socket\n",
				(unsigned long long)t->agg_full);
		if (t->missed)
			fprintf(f, "missed: the kernel did not run the programs for %llu events (nested in "
				"another on the same CPU)\n", (unsigned long long)t->missed);
		if (t->press_polled)
			fprintf(f, "pressure: TCP's flag read %llu times in /proc/net/protocols%s\n",
				(unsigned long long)t->press_polls,
				t->press_before_trace ? ", on when the trace began" : "");
		for (i = 0; i < TRACE_BY_COUNT; i++)
			text_trace_group(f, t, (enum trace_by)i);
	} else if (t->counted) {
		fprintf(f, "events counted: %s (%.1f/s), the whole host's, none attributed\n", a,
			t->events_per_s);
		text_trace_by_event(f, t);
	}
	fprintf(f, "\nkernel counters over the window (%s):\n", t->counters_scope);
	fprintf(f, "  %-34s %12s %12s  %s\n", "COUNTER", "DELTA", "EVENTS", "MATCH");
	for (i = 0; i < t->ncounter; i++) {
		const struct trace_counter *c = &t->counter[i];
		char name[64], ev[32];

		snprintf(name, sizeof(name), "%s %s", c->group, c->name);
		fmt_count(a, sizeof(a), c->delta);
		if (c->has_events)
			util_group_digits(ev, sizeof(ev), c->events_seen);
		else
			snprintf(ev, sizeof(ev), "-");
		fprintf(f, "  %-34s %12s %12s  %s", name, a, ev, trace_match_name[c->match]);
		if (c->match == TRACE_MATCH_EXACT)
			fprintf(f, "%s", !c->has_events ? " (not traced)"
				: !c->comparable ? " (not comparable)"
				: !c->delta.ok ? " (counter unreadable)" : c->agrees ? ": agrees"
				: ": DIFFERS");
		/* events came while the counters were read at the edges */
		if (c->match == TRACE_MATCH_EXACT && c->has_events && c->comparable && c->delta.ok &&
		    c->delta_min.ok && c->delta_min.v != c->delta.v) {
			char lo[32], hi[32];

			util_group_digits(lo, sizeof(lo), c->delta_min.v);
			util_group_digits(hi, sizeof(hi), c->delta.v);
			fprintf(f, " (%s to %s at the edges)", lo, hi);
		}
		fprintf(f, "  %s\n", c->meaning);
	}
	if (t->ncoverage) {
		fprintf(f, "\ncoverage of this kernel (%s):\n", t->kver.ok ? t->kver.release : "?");
		for (i = 0; i < t->ncoverage; i++)
			fprintf(f, "  - %s\n", t->coverage[i]);
	}
}
