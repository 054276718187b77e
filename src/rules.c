/* rules.c - the advice rules (table at the end) and the fixes they propose.
 * Thresholds on since-boot totals follow hotsos (500 events or 1% of the
 * traffic) so that sockmem raises what that tool raises on the same input;
 * states follow the model.  Every sysctl value proposed is run through the
 * model (report_build on the changed host) and checked against the
 * configuration rules before it is shown. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"

const char *rules_sev_name(enum sev s)
{
	return s == SEV_CRIT ? "crit" : s == SEV_WARN ? "warn" : "info";
}

const char *rules_scope_name(enum fscope s)
{
	static const char *const n[] = { "host", "netns", "cgroup", "socket", "application" };
	return n[s];
}

/* ------------------------------------------------------------- helpers */

static void f_summary(struct finding *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void f_summary(struct finding *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(f->summary, sizeof(f->summary), fmt, ap);
	va_end(ap);
}

static struct evidence *ev_new(struct finding *f, const char *key)
{
	struct evidence *e;

	if (f->nev == FINDING_MAX_EV)
		return NULL;
	e = &f->ev[f->nev++];
	memset(e, 0, sizeof(*e));
	e->key = key;
	return e;
}

static void ev_u(struct finding *f, const char *key, uint64_t v)
{
	struct evidence *e = ev_new(f, key);

	if (e) {
		e->t = EV_U64;
		e->u = v;
	}
}

static void ev_i(struct finding *f, const char *key, int64_t v)
{
	struct evidence *e = ev_new(f, key);

	if (e) {
		e->t = EV_I64;
		e->i = v;
	}
}

static void ev_d(struct finding *f, const char *key, double v)
{
	struct evidence *e = ev_new(f, key);

	if (e) {
		e->t = EV_DBL;
		e->d = v;
	}
}

static void ev_s(struct finding *f, const char *key, const char *v)
{
	struct evidence *e = ev_new(f, key);

	if (e) {
		e->t = EV_STR;
		snprintf(e->s, sizeof(e->s), "%.119s", v);
	}
}

static void f_sysctl(struct finding *f, const char *name, const uint64_t *v, int n)
{
	char *p;
	int i;

	if (f->nsysctl == FINDING_MAX_SYSCTL)
		return;
	p = f->sysctl[f->nsysctl++];
	p += sprintf(p, "%s =", name);
	for (i = 0; i < n; i++)
		p += sprintf(p, " %llu", (unsigned long long)v[i]);
}

static const struct proto_report *pr_tcp(const struct advise_in *in) { return &in->r->proto[0]; }
static const struct proto_report *pr_udp(const struct advise_in *in) { return &in->r->proto[1]; }

static struct opt counter(const struct advise_in *in, const char *key, int *idx)
{
	struct opt none = { 0, false };
	int i;

	for (i = 0; i < in->r->ncounter; i++)
		if (!strcmp(in->r->counter[i].key, key)) {
			if (idx)
				*idx = i;
			return in->r->counter[i].value;
		}
	return none;
}

static struct opt snmp(const struct advise_in *in, const char *group, const char *name)
{
	struct opt none = { 0, false };

	if (in->h->snmp_rc)
		return none;
	return netstat_get(&in->h->snmp, group, name);
}

static uint64_t ram_pages(const struct host *h)
{
	return h->mem_total_bytes.ok && h->page_size_bytes ? h->mem_total_bytes.v / h->page_size_bytes : 0;
}

/* The kernel's default tcp_mem/udp_mem for this RAM (model_default_mem). */
static bool default_mem(const struct host *h, enum sysctl_id id, uint64_t out[3])
{
	return (id == SC_TCP_MEM || id == SC_UDP_MEM) &&
	       model_default_mem(id == SC_TCP_MEM ? MODEL_TCP_MEM : MODEL_UDP_MEM, h->mem_total_bytes,
				 h->page_size_bytes, out);
}

/* Runs the configuration rules on a changed host: true when none of them
 * is worse than on the current one. */
static int rules_run_class(const struct advise_in *in, struct finding *out, int max, bool config_only);

static bool fix_is_safe(const struct advise_in *in, const struct host *changed,
			const struct report *changed_r)
{
	struct advise_in c = *in;
	struct finding *before = calloc(RULES_MAX_FINDINGS, sizeof(*before));
	struct finding *after = calloc(RULES_MAX_FINDINGS, sizeof(*after));
	int nb, na, i, j;
	bool ok = true;

	if (!before || !after) {
		free(before);
		free(after);
		return false;
	}
	nb = rules_run_class(in, before, RULES_MAX_FINDINGS, true);
	c.h = changed;
	c.r = changed_r;
	na = rules_run_class(&c, after, RULES_MAX_FINDINGS, true);
	for (i = 0; i < na && ok; i++) {
		enum sev was = SEV_INFO;
		bool seen = false;

		for (j = 0; j < nb; j++)
			if (!strcmp(before[j].id, after[i].id)) {
				was = before[j].sev;
				seen = true;
			}
		if (after[i].sev > (seen ? was : SEV_INFO) && after[i].sev >= SEV_WARN)
			ok = false;
	}
	free(before);
	free(after);
	return ok;
}

/* Proposes new limits for sysctl id so that the usage sits at about 75% of
 * the pressure threshold (kernel ratios 3/4, 1, 3/2), never lower than now,
 * with max at most a quarter of RAM; runs it through the model and the
 * configuration rules.  Returns false (with f->application set) if RAM
 * cannot give more. */
static bool propose_mem(const struct advise_in *in, struct finding *f, enum sysctl_id id,
			const struct proto_report *pr)
{
	const struct host *h = in->h;
	uint64_t v[3], band = in->r->band_pages.ok ? in->r->band_pages.v : 0, cap = ram_pages(h) / 4;
	uint64_t need = pr->usage_pages.v + pr->usage_pages.v / 3 + band;
	struct host *c;
	struct report *cr;
	const struct proto_report *cp;
	bool ok;
	int i;

	if (!pr->limits_ok || !pr->usage_pages.ok)
		return false;
	if (!cap) {
		snprintf(f->application, sizeof(f->application),
			 "RAM is not known (no /proc/meminfo in the input): a larger %s cannot be "
			 "checked against it, so none is proposed", host_sysctl[id].name);
		return false;
	}
	/* TCP: usage at about 75% of the pressure threshold; UDP: min is the
	 * effective limit, so it is min that needs room */
	i = pr->def->kind == MODEL_PRESSURE ? 1 : 0;
	model_limits_for_pressure(pr->def->kind, need > pr->limit_pages[i] ? need : pr->limit_pages[i], v);
	{
		/* limits far below the kernel's default for this RAM: the default
		 * is the better proposal if it covers the need */
		uint64_t d[3];

		if (default_mem(h, id, d) && pr->limit_pages[1] * 2 < d[1] && d[1] >= v[1])
			memcpy(v, d, sizeof(v));
	}
	for (i = 0; i < 3; i++)
		if (v[i] < pr->limit_pages[i])
			v[i] = pr->limit_pages[i];
	if (cap && v[2] > cap) {
		/* limits that would let sockets take more than a quarter of RAM
		 * are not proposed (bpftune caps tcp_mem[2] the same way) */
		snprintf(f->application, sizeof(f->application),
			 "RAM cannot give more: the %s that would cover this usage needs more than "
			 "a quarter of RAM. Find the holders (sockmem top --by process) and lower "
			 "per-socket buffers (tcp_rmem/tcp_wmem max) or the number of connections",
			 host_sysctl[id].name);
		return false;
	}
	c = malloc(sizeof(*c));
	cr = malloc(sizeof(*cr));
	if (!c || !cr) {
		free(c);
		free(cr);
		return false;
	}
	*c = *h;
	memcpy(c->sysctl[id].v, v, sizeof(v));
	report_build(cr, c);
	cp = &cr->proto[pr == pr_tcp(in) ? 0 : 1];
	ok = fix_is_safe(in, c, cr);
	if (ok) {
		f_sysctl(f, host_sysctl[id].name, v, 3);
		f->predicted = true;
		snprintf(f->state_before, sizeof(f->state_before), "%s", model_state_name(pr->m.state));
		/* the flag clears only below min: a state read after the change */
		snprintf(f->state_after, sizeof(f->state_after), "%s",
			 model_state_name(model_state_after(cp->m.state, cp->usage_pages.v,
							    cp->limit_pages[0])));
		f->headroom_before_bytes = pr->m.headroom_pages[pr->def->kind == MODEL_PRESSURE ? 1 : 0] *
					   (int64_t)h->page_size_bytes;
		f->headroom_after_bytes = cp->m.headroom_pages[pr->def->kind == MODEL_PRESSURE ? 1 : 0] *
					  (int64_t)h->page_size_bytes;
	}
	free(c);
	free(cr);
	return ok;
}

static void common_mem_evidence(struct finding *f, const struct proto_report *pr, const struct report *r)
{
	ev_u(f, "usage_pages", pr->usage_pages.v);
	ev_u(f, "min_pages", pr->limit_pages[0]);
	ev_u(f, "pressure_pages", pr->limit_pages[1]);
	ev_u(f, "max_pages", pr->limit_pages[2]);
	ev_d(f, "percent_of_max", pr->m.pct[2]);
	if (r->band_pages.ok)
		ev_u(f, "uncertainty_pages", r->band_pages.v);
}

/* --------------------------------------------------------------- rules */

static bool r_tcp_max(const struct advise_in *in, struct finding *f)
{
	const struct proto_report *p = pr_tcp(in);

	if (!p->limits_ok || !p->usage_pages.ok || p->usage_pages.v < p->limit_pages[2])
		return false;
	f->sev = SEV_CRIT;
	f_summary(f, "TCP memory is %s its hard limit: %llu of %llu pages (%.2f%%)",
		  p->usage_pages.v > p->limit_pages[2] ? "over" : "at",
		  (unsigned long long)p->usage_pages.v, (unsigned long long)p->limit_pages[2],
		  p->m.pct[2]);
	f->mechanism = "Above tcp_mem[2] every charge that is not forced fails: receive queues drop "
		       "(TCPRcvQDrop, PruneCalled), senders block, and close() resets connections that "
		       "still hold unsent data (TCPAbortOnMemory, 'TCP: out of memory -- consider tuning "
		       "tcp_mem').";
	common_mem_evidence(f, p, in->r);
	propose_mem(in, f, SC_TCP_MEM, p);
	return true;
}

static bool r_tcp_near_max(const struct advise_in *in, struct finding *f)
{
	const struct proto_report *p = pr_tcp(in);

	if (!p->limits_ok || !p->usage_pages.ok || p->usage_pages.v >= p->limit_pages[2] ||
	    p->m.pct[2] < 85.0)
		return false;
	f->sev = SEV_WARN;
	f_summary(f, "TCP memory usage is high: %.2f%% of the hard limit (%llu of %llu pages)",
		  p->m.pct[2], (unsigned long long)p->usage_pages.v,
		  (unsigned long long)p->limit_pages[2]);
	f->mechanism = "Close to tcp_mem[2]: once above it, non-forced charges fail and TCP drops "
		       "received segments and aborts closing connections.";
	common_mem_evidence(f, p, in->r);
	propose_mem(in, f, SC_TCP_MEM, p);
	return true;
}

static bool r_tcp_pressure(const struct advise_in *in, struct finding *f)
{
	const struct proto_report *p = pr_tcp(in);

	if (p->m.state != MS_PRESSURE || (p->usage_pages.ok && p->limits_ok && p->m.pct[2] >= 85.0))
		return false;
	f->sev = p->usage_pages.ok && p->limits_ok && p->usage_pages.v <= p->limit_pages[1]
		 ? SEV_WARN : SEV_CRIT;
	f_summary(f, "TCP is under memory pressure%s", f->sev == SEV_WARN
		  ? " although usage is back under the pressure threshold (hysteresis: it ends below min)"
		  : "");
	f->mechanism = "Under tcp_memory_pressure the kernel clamps receive windows to about 4 MSS, "
		       "stops growing and shrinks send buffers, prunes out-of-order queues and admits "
		       "a socket's charge only below its fair share tcp_mem[2] / sockets. Pressure "
		       "is left only when usage falls below tcp_mem[0].";
	ev_s(f, "kernel_press_flag", protocols_press_name(p->press));
	ev_s(f, "state_basis", model_basis_name(p->m.basis));
	if (p->limits_ok && p->usage_pages.ok)
		common_mem_evidence(f, p, in->r);
	if (p->limits_ok && p->usage_pages.ok)
		propose_mem(in, f, SC_TCP_MEM, p);
	return true;
}

static bool r_tcp_elevated(const struct advise_in *in, struct finding *f)
{
	const struct proto_report *p = pr_tcp(in);

	if (p->m.state != MS_ELEVATED)
		return false;
	f->sev = p->m.near[1] || p->m.pct[1] >= 90.0 ? SEV_WARN : SEV_INFO;
	f_summary(f, "TCP usage is above tcp_mem[0] (%.2f%% of the pressure threshold)", p->m.pct[1]);
	f->mechanism = "Above tcp_mem[0] send buffers no longer grow (tcp_should_expand_sndbuf); "
		       "pressure begins at the first charge above tcp_mem[1].";
	common_mem_evidence(f, p, in->r);
	if (f->sev == SEV_WARN)
		propose_mem(in, f, SC_TCP_MEM, p);
	return true;
}

static bool r_udp_max(const struct advise_in *in, struct finding *f)
{
	const struct proto_report *p = pr_udp(in);

	if (!p->limits_ok || !p->usage_pages.ok || p->usage_pages.v < p->limit_pages[2])
		return false;
	f->sev = SEV_CRIT;
	f_summary(f, "UDP memory is %s its hard limit: %llu of %llu pages: every datagram that "
		  "needs a charge is dropped", p->usage_pages.v > p->limit_pages[2] ? "over" : "at",
		  (unsigned long long)p->usage_pages.v, (unsigned long long)p->limit_pages[2]);
	f->mechanism = "UDP has no pressure state; above udp_mem[2] every receive charge fails.";
	common_mem_evidence(f, p, in->r);
	propose_mem(in, f, SC_UDP_MEM, p);
	return true;
}

static bool r_udp_limited(const struct advise_in *in, struct finding *f)
{
	const struct proto_report *p = pr_udp(in);
	struct opt mem = snmp(in, "Udp", "MemErrors");

	if (p->m.state != MS_LIMITED || p->usage_pages.v >= p->limit_pages[2])
		return false;	/* at max: udp-max */
	f->sev = p->m.pct[2] >= 85.0 || (mem.ok && mem.v) ? SEV_CRIT : SEV_WARN;
	f_summary(f, "UDP memory is above udp_mem[0], its real limit (%.2f%% of udp_mem[2])",
		  p->m.pct[2]);
	f->mechanism = "UDP has no pressure state: above udp_mem[0] a socket that already holds "
		       "udp_rmem_min bytes cannot grow, so each socket keeps about two pages and "
		       "drops the rest (sk_drops; MemErrors on kernels that count it). udp_mem[2] only "
		       "matters for sockets holding less.";
	common_mem_evidence(f, p, in->r);
	if (mem.ok)
		ev_u(f, "UdpMemErrors", mem.v);
	if (in->r->sk.present)
		ev_u(f, "socket_drops", in->r->sk.agg->sum[DP_UDP].mem[DM_DROPS]);
	propose_mem(in, f, SC_UDP_MEM, p);
	return true;
}

static bool r_pressure_history(const struct advise_in *in, struct finding *f)
{
	int i = -1, j = -1;
	struct opt n = counter(in, "TCPMemoryPressures", &i);
	struct opt ms = counter(in, "TCPMemoryPressuresChrono", &j);

	if (!n.ok || !n.v)
		return false;
	f->sev = SEV_WARN;
	f->scope = FS_NETNS;
	f_summary(f, "TCP has entered memory pressure %llu time%s since boot%s%.1f s in pressure",
		  (unsigned long long)n.v, n.v == 1 ? "" : "s", ms.ok ? ", " : "",
		  ms.ok ? (double)ms.v / 1000.0 : 0.0);
	f->mechanism = "TCPMemoryPressures counts entries into pressure; TCPMemoryPressuresChrono adds "
		       "each episode's length in ms when it ends. Both count in the network "
		       "namespace of the socket that caused the transition.";
	ev_u(f, "TCPMemoryPressures", n.v);
	if (ms.ok)
		ev_u(f, "TCPMemoryPressuresChrono_ms", ms.v);
	if (in->rates.ok && i >= 0) {
		ev_d(f, "episodes_per_s", in->rates.per_s[i]);
		if (j >= 0)
			ev_d(f, "fraction_of_time_in_pressure", in->rates.per_s[j] / 1000.0);
		if (in->rates.per_s[i] > 0 || (j >= 0 && in->rates.per_s[j] > 0))
			f->sev = SEV_CRIT;
	}
	return true;
}

static bool r_abort_on_memory(const struct advise_in *in, struct finding *f)
{
	struct opt n = counter(in, "TCPAbortOnMemory", NULL);

	if (!n.ok || !n.v)
		return false;
	f->sev = SEV_CRIT;
	f->scope = FS_NETNS;
	f_summary(f, "%llu connection%s reset for lack of memory (TCPAbortOnMemory)",
		  (unsigned long long)n.v, n.v == 1 ? " was" : "s were");
	f->mechanism = "tcp_check_oom(): on close, or for orphans, a socket with unsent data is "
		       "reset when TCP usage is above tcp_mem[2] or there are more orphans than "
		       "tcp_max_orphans (penalised orphans at a half or a quarter of it).";
	ev_u(f, "TCPAbortOnMemory", n.v);
	return true;
}

static bool r_receive_pruning(const struct advise_in *in, struct finding *f)
{
	static const char *const keys[] = { "PruneCalled", "RcvPruned", "TCPRcvQDrop", "TCPOFODrop",
					    "OfoPruned", "TCPRcvCollapsed", "TCPWantZeroWindowAdv" };
	uint64_t worst = 0;
	bool rate = false;
	size_t k;

	for (k = 0; k < ARRAY_SIZE(keys); k++) {
		int i = -1;
		struct opt v = counter(in, keys[k], &i);

		if (!v.ok || !v.v)
			continue;
		ev_u(f, keys[k], v.v);
		if (v.v > worst && strcmp(keys[k], "TCPRcvCollapsed") && strcmp(keys[k], "TCPWantZeroWindowAdv"))
			worst = v.v;
		if (in->rates.ok && i >= 0 && in->rates.per_s[i] > 0)
			rate = true;
	}
	if (!worst) {
		f->nev = 0;	/* zero-window advertisements alone are not drops */
		return false;
	}
	/* hotsos: PruneCalled or TCPRcvQDrop above 500 since boot */
	f->sev = worst > 500 || rate ? SEV_WARN : SEV_INFO;
	f->scope = FS_NETNS;
	f_summary(f, "TCP has pruned or dropped received data for lack of memory%s",
		  rate ? " during the sample" : " since boot");
	f->mechanism = "PruneCalled: a receive charge failed (rcvbuf full, or the global/memcg "
		       "limit). PruneCalled == TCPRcvQDrop with RcvPruned 0 means the global limit "
		       "refused it; RcvPruned means rcvbuf was exhausted even after collapsing "
		       "(TCPRcvCollapsed). TCPOFODrop/OfoPruned: out-of-order data dropped.";
	return true;
}

static bool r_udp_buffer_errors(const struct advise_in *in, struct finding *f)
{
	struct opt rb = snmp(in, "Udp", "RcvbufErrors"), sb = snmp(in, "Udp", "SndbufErrors");
	struct opt dg = snmp(in, "Udp", "InDatagrams");
	uint64_t worst = (rb.ok ? rb.v : 0) > (sb.ok ? sb.v : 0) ? rb.v : sb.v;
	double pct = dg.ok && dg.v ? 100.0 * (double)worst / (double)dg.v : 0;

	if (!worst || (worst <= 500 && pct <= 1.0))
		return false;
	f->sev = SEV_WARN;
	f->scope = FS_APPLICATION;
	f->container_can_apply = true;
	f_summary(f, "UDP socket buffer errors: %llu receive, %llu send (%.2f%% of datagrams)",
		  (unsigned long long)(rb.ok ? rb.v : 0), (unsigned long long)(sb.ok ? sb.v : 0), pct);
	f->mechanism = "RcvbufErrors: a datagram did not fit the socket's rcvbuf (the reader is "
		       "slower than the sender); SndbufErrors: sendmsg found sndbuf full.";
	if (rb.ok)
		ev_u(f, "UdpRcvbufErrors", rb.v);
	if (sb.ok)
		ev_u(f, "UdpSndbufErrors", sb.v);
	if (dg.ok)
		ev_u(f, "UdpInDatagrams", dg.v);
	snprintf(f->application, sizeof(f->application),
		 "Read faster, or give the socket a larger buffer (SO_RCVBUF up to net.core.rmem_max); "
		 "find it with 'sockmem top --by port'");
	return true;
}

static bool r_udp_in_errors(const struct advise_in *in, struct finding *f)
{
	struct opt e = snmp(in, "Udp", "InErrors"), dg = snmp(in, "Udp", "InDatagrams");
	struct opt cs = snmp(in, "Udp", "InCsumErrors");
	double pct = e.ok && dg.ok && dg.v ? 100.0 * (double)e.v / (double)dg.v : 0;
	double cpct = cs.ok && dg.ok && dg.v ? 100.0 * (double)cs.v / (double)dg.v : 0;

	if (!e.ok || !e.v || (e.v <= 500 && pct <= 1.0))
		return false;
	f->sev = SEV_WARN;
	f->scope = FS_NETNS;
	f_summary(f, "UDP ingress errors are at %llu (%.2f%% of datagrams)%s",
		  (unsigned long long)e.v, pct, cs.ok && cs.v && cpct > 1.0
		  ? "; checksum errors among them (hardware or a middlebox?)" : "");
	f->mechanism = "InErrors counts every received datagram dropped: buffer or memory drops "
		       "(RcvbufErrors, MemErrors), checksum errors (InCsumErrors), and others.";
	ev_u(f, "UdpInErrors", e.v);
	if (dg.ok)
		ev_u(f, "UdpInDatagrams", dg.v);
	if (cs.ok) {
		ev_u(f, "UdpInCsumErrors", cs.v);
		ev_d(f, "csum_errors_percent", cpct);
	}
	ev_d(f, "in_errors_percent", pct);
	return true;
}

static bool r_rp_filter(const struct advise_in *in, struct finding *f)
{
	struct opt v = in->h->netstat_rc ? (struct opt){ 0, false }
			 : netstat_get(&in->h->netstat, "TcpExt", "IPReversePathFilter");

	if (!v.ok || !v.v)
		return false;
	f->sev = SEV_WARN;
	f->scope = FS_NETNS;
	f->container_can_apply = true;
	f_summary(f, "Packets failed the reverse path filter test (drops=%llu): not a memory "
		  "problem, but drops the memory counters will not explain", (unsigned long long)v.v);
	f->mechanism = "rp_filter drops packets whose source would not be routed back through the "
		       "interface they arrived on (TcpExt IPReversePathFilter).";
	ev_u(f, "IPReversePathFilter", v.v);
	snprintf(f->application, sizeof(f->application),
		 "Check routing and net.ipv4.conf.*.rp_filter for asymmetric paths");
	return true;
}

static bool r_not_ascending(const struct advise_in *in, struct finding *f)
{
	static const enum sysctl_id ids[] = { SC_TCP_MEM, SC_UDP_MEM };
	size_t k;

	for (k = 0; k < ARRAY_SIZE(ids); k++) {
		const struct sysctl_val *v = &in->h->sysctl[ids[k]];
		uint64_t d[3];

		if (v->rc || (v->v[0] <= v->v[1] && v->v[1] <= v->v[2]))
			continue;
		f->sev = SEV_CRIT;
		f_summary(f, "%s is not ascending (%llu %llu %llu): min <= pressure <= max is expected",
			  host_sysctl[ids[k]].name, (unsigned long long)v->v[0],
			  (unsigned long long)v->v[1], (unsigned long long)v->v[2]);
		f->mechanism = "__sk_mem_raise_allocated compares usage with min, then pressure, then "
			       "max; out of order, pressure can never be left or max comes before "
			       "pressure.";
		ev_u(f, "min_pages", v->v[0]);
		ev_u(f, "pressure_pages", v->v[1]);
		ev_u(f, "max_pages", v->v[2]);
		if (default_mem(in->h, ids[k], d))
			f_sysctl(f, host_sysctl[ids[k]].name, d, 3);
		return true;
	}
	return false;
}

static bool looks_like_bytes(const struct host *h, const uint64_t *v)
{
	static const uint64_t rmem_like[] = { 16384, 65536, 87380, 131072 };
	uint64_t ps = h->page_size_bytes, rp = ram_pages(h);
	size_t i;
	int k;

	/* the same vector as tcp_rmem or tcp_wmem */
	for (k = SC_TCP_RMEM; k <= SC_TCP_WMEM; k++)
		if (!h->sysctl[k].rc && !memcmp(h->sysctl[k].v, v, 3 * sizeof(*v)))
			return true;
	/* the shape of a buffer vector: a page, a default buffer, megabytes */
	if (v[0] == 4096 || v[0] == ps)
		for (i = 0; i < ARRAY_SIZE(rmem_like); i++)
			if (v[1] == rmem_like[i] && v[2] % 1024 == 0 && v[2] >= (1u << 20))
				return true;
	/* as pages it exceeds RAM many times over, while as bytes it is below */
	return rp && v[2] > 2 * rp && v[2] / ps <= rp && v[0] % 1024 == 0;
}

static bool r_bytes_in_pages(const struct advise_in *in, struct finding *f)
{
	static const enum sysctl_id ids[] = { SC_TCP_MEM, SC_UDP_MEM };
	size_t k;

	for (k = 0; k < ARRAY_SIZE(ids); k++) {
		const struct sysctl_val *v = &in->h->sysctl[ids[k]];
		uint64_t d[3];
		int i;

		if (v->rc || !looks_like_bytes(in->h, v->v))
			continue;
		f->sev = SEV_CRIT;
		f_summary(f, "%s looks like bytes written into a sysctl counted in %llu-byte pages",
			  host_sysctl[ids[k]].name, (unsigned long long)in->h->page_size_bytes);
		f->mechanism = "tcp_mem and udp_mem count pages; tcp_rmem and tcp_wmem count bytes. "
			       "Bytes written here make the limits page-size times too large: the "
			       "kernel never limits socket memory before RAM runs out.";
		for (i = 0; i < 3; i++)
			d[i] = v->v[i] / in->h->page_size_bytes;
		ev_u(f, "max_pages", v->v[2]);
		ev_u(f, "max_as_bytes_if_pages", v->v[2] * in->h->page_size_bytes);
		ev_u(f, "mem_total_bytes", in->h->mem_total_bytes.v);
		if (d[0] < 128 && default_mem(in->h, ids[k], d)) {
			/* tiny once converted: the kernel default is the better start */
		}
		f_sysctl(f, host_sysctl[ids[k]].name, d, 3);
		return true;
	}
	return false;
}

static bool r_above_ram(const struct advise_in *in, struct finding *f)
{
	static const enum sysctl_id ids[] = { SC_TCP_MEM, SC_UDP_MEM };
	uint64_t rp = ram_pages(in->h);
	size_t k;

	for (k = 0; k < ARRAY_SIZE(ids); k++) {
		const struct sysctl_val *v = &in->h->sysctl[ids[k]];
		uint64_t d[3];

		if (v->rc || !rp || v->v[2] * 2 <= rp || looks_like_bytes(in->h, v->v))
			continue;
		f->sev = v->v[2] > rp ? SEV_CRIT : SEV_WARN;
		f_summary(f, "%s max (%llu pages) is %.0f%% of RAM", host_sysctl[ids[k]].name,
			  (unsigned long long)v->v[2], 100.0 * (double)v->v[2] / (double)rp);
		f->mechanism = "Socket memory is unswappable kernel memory; a limit above what RAM "
			       "can give lets sockets drive the machine into OOM before the kernel "
			       "throttles them (the kernel default is about 9% of RAM).";
		ev_u(f, "max_pages", v->v[2]);
		ev_u(f, "ram_pages", rp);
		if (default_mem(in->h, ids[k], d))
			f_sysctl(f, host_sysctl[ids[k]].name, d, 3);
		return true;
	}
	return false;
}

static bool r_vs_default(const struct advise_in *in, struct finding *f)
{
	static const enum sysctl_id ids[] = { SC_TCP_MEM, SC_UDP_MEM };
	size_t k;

	for (k = 0; k < ARRAY_SIZE(ids); k++) {
		const struct sysctl_val *v = &in->h->sysctl[ids[k]];
		uint64_t d[3];
		double ratio;

		if (v->rc || !default_mem(in->h, ids[k], d) || !d[1] ||
		    looks_like_bytes(in->h, v->v) || v->v[2] * 2 > ram_pages(in->h))
			continue;
		ratio = (double)v->v[1] / (double)d[1];
		if (ratio >= 0.5 && ratio <= 2.0)
			continue;
		f->sev = ratio < 0.25 || ratio > 4.0 ? SEV_WARN : SEV_INFO;
		f_summary(f, "%s pressure threshold is %.2f times the kernel's default for this RAM "
			  "(%llu pages)", host_sysctl[ids[k]].name, ratio, (unsigned long long)d[1]);
		f->mechanism = "At boot the kernel sets limit = max(nr_free_buffer_pages / 16 (TCP) or "
			       "/ 8 (UDP), 128) and min/pressure/max = 3/4, 1, 3/2 of it.";
		ev_u(f, "pressure_pages", v->v[1]);
		ev_u(f, "default_pressure_pages", d[1]);
		ev_d(f, "ratio", ratio);
		if (ratio < 1.0)
			f_sysctl(f, host_sysctl[ids[k]].name, d, 3);
		return true;
	}
	return false;
}

/* net.core.{r,w}mem_max below tcp_{r,w}mem[2]: SO_RCVBUF/SO_SNDBUF capped
 * below what autotuning reaches. */
static bool core_max_below(const struct advise_in *in, struct finding *f, enum sysctl_id core,
			   enum sysctl_id tcp, const char *opt)
{
	const struct host *h = in->h;
	uint64_t v[1];

	if (h->sysctl[core].rc || h->sysctl[tcp].rc || h->sysctl[core].v[0] >= h->sysctl[tcp].v[2])
		return false;
	f->sev = SEV_INFO;
	f_summary(f, "%s (%llu) is below %s max (%llu): applications that set %s get at most "
		  "2 x %s and lose autotuning", host_sysctl[core].name,
		  (unsigned long long)h->sysctl[core].v[0], host_sysctl[tcp].name,
		  (unsigned long long)h->sysctl[tcp].v[2], opt, host_sysctl[core].name + 9);
	f->mechanism = "tcp_rmem[2]/tcp_wmem[2] bound buffer autotuning; rmem_max/wmem_max bound "
		       "setsockopt(SO_RCVBUF/SO_SNDBUF), which also locks the buffer and disables "
		       "autotuning. The two are independent.";
	ev_u(f, host_sysctl[core].key, h->sysctl[core].v[0]);
	ev_u(f, tcp == SC_TCP_RMEM ? "tcp_rmem_max_bytes" : "tcp_wmem_max_bytes", h->sysctl[tcp].v[2]);
	v[0] = h->sysctl[tcp].v[2];
	f_sysctl(f, host_sysctl[core].name, v, 1);
	return true;
}

static bool r_rmem_max(const struct advise_in *in, struct finding *f)
{
	return core_max_below(in, f, SC_RMEM_MAX, SC_TCP_RMEM, "SO_RCVBUF");
}

static bool r_wmem_max(const struct advise_in *in, struct finding *f)
{
	return core_max_below(in, f, SC_WMEM_MAX, SC_TCP_WMEM, "SO_SNDBUF");
}

static const struct count_report *count_find(const struct report *r, const char *key)
{
	int i;

	for (i = 0; i < r->ncount; i++)
		if (!strcmp(r->count[i].key, key))
			return &r->count[i];
	return NULL;
}

static bool r_orphans(const struct advise_in *in, struct finding *f)
{
	const struct count_report *c = count_find(in->r, "tcp_orphan");
	double pct;
	uint64_t v[1];

	if (!c || !c->value.ok || !c->limit.ok || !c->limit.v)
		return false;
	pct = 100.0 * (double)c->value.v / (double)c->limit.v;
	if (pct < 25.0)
		return false;
	f->sev = pct >= 50.0 ? SEV_CRIT : SEV_WARN;
	f_summary(f, "%llu orphaned TCP sockets: %.1f%% of tcp_max_orphans",
		  (unsigned long long)c->value.v, pct);
	f->mechanism = "Orphans (closed by the application, not yet by the peer) beyond "
		       "tcp_max_orphans are reset; the kernel penalises slow ones 2x or 4x, so "
		       "trouble starts at a quarter of the limit ('too many orphaned sockets').";
	ev_u(f, "orphans", c->value.v);
	ev_u(f, "tcp_max_orphans", c->limit.v);
	v[0] = c->limit.v * 2;
	f_sysctl(f, "net.ipv4.tcp_max_orphans", v, 1);
	snprintf(f->application, sizeof(f->application),
		 "Find why peers do not finish closing (FIN-WAIT/LAST-ACK sockets in 'sockmem top --by state')");
	return true;
}

static bool r_timewait(const struct advise_in *in, struct finding *f)
{
	const struct count_report *c = count_find(in->r, "tcp_tw");
	double pct;

	if (!c || !c->value.ok || !c->limit.ok || !c->limit.v)
		return false;
	pct = 100.0 * (double)c->value.v / (double)c->limit.v;
	if (pct < 80.0)
		return false;
	f->sev = pct >= 100.0 ? SEV_CRIT : SEV_WARN;
	f->scope = FS_NETNS;
	f->container_can_apply = true;
	f_summary(f, "%llu TIME_WAIT sockets: %.1f%% of tcp_max_tw_buckets",
		  (unsigned long long)c->value.v, pct);
	f->mechanism = "Beyond tcp_max_tw_buckets connections close without TIME_WAIT "
		       "(TCPTimeWaitOverflow); TIME_WAIT sockets hold no buffer memory.";
	ev_u(f, "time_wait", c->value.v);
	ev_u(f, "tcp_max_tw_buckets", c->limit.v);
	return true;
}

static bool r_kmem_tcp(const struct advise_in *in, struct finding *f)
{
	if (!in->kmem_tcp_known || !in->kmem_tcp_limited_cgroups)
		return false;
	f->sev = SEV_WARN;
	f->scope = FS_CGROUP;
	f_summary(f, "%llu cgroup v1 memory cgroup%s limit TCP memory with memory.kmem.tcp "
		  "(deprecated, inaccurate)", (unsigned long long)in->kmem_tcp_limited_cgroups,
		  in->kmem_tcp_limited_cgroups == 1 ? "" : "s");
	f->mechanism = "kmem.tcp only charges sockets created after the limit was written; forced "
		       "charges exceed it and failcnt may stay 0 on recent kernels; deprecated since "
		       "about 6.12. cgroup v2 charges socket memory to memory.current/memory.max.";
	ev_u(f, "limited_cgroups", in->kmem_tcp_limited_cgroups);
	ev_u(f, "kmem_tcp_usage_bytes", in->kmem_tcp_usage_bytes);
	snprintf(f->application, sizeof(f->application),
		 "Move to cgroup v2 (socket memory counts in memory.current, limited by memory.max)");
	return true;
}

static bool r_memcg(const struct advise_in *in, struct finding *f)
{
	const struct advise_memcg *m = in->memcg;
	double pct;

	if (!in->nmemcg)
		return false;
	pct = m->max_bytes ? 100.0 * (double)m->current_bytes / (double)m->max_bytes : 0;
	f->sev = pct >= 95.0 || (m->sock_throttled.ok && m->sock_throttled.v) ? SEV_WARN : SEV_INFO;
	f_summary(f, "cgroup %.120s is at %.1f%% of memory.max, and its sockets hold %.1f MiB: their "
		  "charges fail there before tcp_mem", m->path, pct, (double)m->sock_bytes / 1048576.0);
	f->mechanism = "In cgroup v2 socket memory is charged to memory.current and limited by "
		       "memory.max; a refused memcg charge is handled like tcp_mem max "
		       "(suppress_allocation), and reclaim pressure in the cgroup (vmpressure) "
		       "throttles its sockets like global pressure - invisible in sockstat and "
		       "/proc/net/protocols (memory.events sock_throttled counts it, 6.19+).";
	ev_s(f, "cgroup", m->path);
	ev_u(f, "memory_current_bytes", m->current_bytes);
	ev_u(f, "memory_max_bytes", m->max_bytes);
	ev_u(f, "sock_bytes", m->sock_bytes);
	ev_d(f, "percent_of_max", pct);
	if (m->sock_throttled.ok)
		ev_u(f, "sock_throttled", m->sock_throttled.v);
	snprintf(f->application, sizeof(f->application),
		 "Raise memory.max of %.160s, or lower what its sockets hold (buffer sizes, connections)",
		 m->path);
	return true;
}

static bool r_worst_case(const struct advise_in *in, struct finding *f)
{
	const struct proto_report *p = pr_tcp(in);
	uint64_t wc;

	if (!in->r->sk.present || !in->r->sk.st->ok[DP_TCP] || !p->limits_ok)
		return false;
	wc = in->r->sk.agg->sum[DP_TCP].worst_case_bytes;
	if (wc <= p->limit_bytes[2])
		return false;
	f->sev = in->h->mem_total_bytes.ok && wc > in->h->mem_total_bytes.v ? SEV_WARN : SEV_INFO;
	f_summary(f, "If every TCP connection filled its buffers, TCP would need %.1f MiB; tcp_mem "
		  "max is %.1f MiB", (double)wc / 1048576.0, (double)p->limit_bytes[2] / 1048576.0);
	f->mechanism = "Buffers are a commitment, not an allocation: the sum of rcvbuf + sndbuf "
		       "(capped at tcp_rmem/tcp_wmem max) is what the connections may grow to; past "
		       "tcp_mem the kernel throttles them instead.";
	ev_u(f, "worst_case_bytes", wc);
	ev_u(f, "tcp_mem_max_bytes", p->limit_bytes[2]);
	if (in->h->mem_total_bytes.ok)
		ev_u(f, "mem_total_bytes", in->h->mem_total_bytes.v);
	if (p->headroom_sockets_full[1].ok)
		ev_u(f, "sockets_until_pressure_at_full_buffers", p->headroom_sockets_full[1].v);
	return true;
}

static bool r_bdp(const struct advise_in *in, struct finding *f)
{
	const struct host *h = in->h;
	const struct advise_bdp *b = &in->bdp;
	uint64_t bdp, need_r, need_w, v[3], conns, need_pages, rp = ram_pages(h);

	if (!b->given && !b->measured)
		return false;
	if (h->sysctl[SC_TCP_RMEM].rc || h->sysctl[SC_TCP_WMEM].rc)
		return false;
	bdp = b->given ? (uint64_t)(b->bandwidth_bytes_per_s * b->rtt_s) : b->measured_bdp_bytes;
	/* The window is about half of rcvbuf (scaling_ratio 50% initially since
	 * 6.10, adv_win_scale 1 before 6.6), so rcvbuf needs 2 x BDP; the send
	 * side keeps a BDP in flight plus what the application queues. */
	need_r = bdp * 2;
	need_w = bdp * 2;
	conns = b->connections ? b->connections : 1;
	need_pages = h->page_size_bytes ? conns * (need_r + need_w) / h->page_size_bytes : 0;
	f->sev = h->sysctl[SC_TCP_RMEM].v[2] < need_r || h->sysctl[SC_TCP_WMEM].v[2] < need_w
		 ? SEV_WARN : SEV_INFO;
	f->scope = FS_NETNS;
	f->container_can_apply = true;
	f_summary(f, "Bandwidth-delay product %llu bytes (%s): a connection needs tcp_rmem max >= %llu "
		  "and tcp_wmem max >= %llu", (unsigned long long)bdp,
		  b->given ? "given" : "90th percentile of the live connections",
		  (unsigned long long)need_r, (unsigned long long)need_w);
	f->mechanism = "A sender can keep at most a window in flight; the window is about half of "
		       "the receive buffer, so a full-rate connection needs rcvbuf of twice the BDP. "
		       "Autotuning grows buffers only up to tcp_rmem[2]/tcp_wmem[2].";
	ev_u(f, "bdp_bytes", bdp);
	if (b->given) {
		ev_d(f, "bandwidth_bytes_per_s", b->bandwidth_bytes_per_s);
		ev_d(f, "rtt_s", b->rtt_s);
	} else {
		ev_u(f, "connections_measured", b->measured_connections);
	}
	ev_u(f, "tcp_rmem_max_bytes", h->sysctl[SC_TCP_RMEM].v[2]);
	ev_u(f, "tcp_wmem_max_bytes", h->sysctl[SC_TCP_WMEM].v[2]);
	ev_u(f, "connections", conns);
	ev_u(f, "tcp_mem_needed_pages", need_pages);
	if (h->sysctl[SC_TCP_RMEM].v[2] < need_r) {
		memcpy(v, h->sysctl[SC_TCP_RMEM].v, sizeof(v));
		v[2] = need_r;
		f_sysctl(f, "net.ipv4.tcp_rmem", v, 3);
	}
	if (h->sysctl[SC_TCP_WMEM].v[2] < need_w) {
		memcpy(v, h->sysctl[SC_TCP_WMEM].v, sizeof(v));
		v[2] = need_w;
		f_sysctl(f, "net.ipv4.tcp_wmem", v, 3);
	}
	/* tcp_mem for that many connections at that size, within RAM */
	if (h->sysctl[SC_TCP_MEM].rc == 0 && need_pages > h->sysctl[SC_TCP_MEM].v[1]) {
		model_limits_for_pressure(MODEL_PRESSURE, need_pages, v);
		if (rp && v[2] > rp / 4) {
			snprintf(f->application, sizeof(f->application),
				 "%llu connections at full buffers need %llu pages, more than a quarter "
				 "of RAM: fewer connections per host, or accept that they share",
				 (unsigned long long)conns, (unsigned long long)need_pages);
		} else {
			f_sysctl(f, "net.ipv4.tcp_mem", v, 3);
		}
	}
	return true;
}

static bool r_slow_readers(const struct advise_in *in, struct finding *f)
{
	const struct sockets_report *k = &in->r->sk;
	uint64_t slow, drops;
	int i;
	char *p;

	if (!k->present)
		return false;
	slow = k->agg->sum[DP_TCP].slow_readers + k->agg->sum[DP_UDP].slow_readers;
	drops = k->agg->sum[DP_TCP].with_drops + k->agg->sum[DP_UDP].with_drops;
	if (!slow)
		return false;
	f->sev = drops ? SEV_WARN : SEV_INFO;
	f->scope = FS_APPLICATION;
	f->container_can_apply = true;
	f_summary(f, "%llu socket%s read%s slowly: receive queue near rcvbuf, drops or backlog "
		  "(%llu with drops)", (unsigned long long)slow, slow == 1 ? "" : "s",
		  slow == 1 ? "s" : "", (unsigned long long)drops);
	f->mechanism = "Data waits in the receive queue because the application does not read it; "
		       "when the queue reaches rcvbuf the kernel drops (UDP) or closes the window and "
		       "prunes (TCP). No sysctl fixes a slow reader.";
	ev_u(f, "slow_readers", slow);
	ev_u(f, "sockets_with_drops", drops);
	p = f->application;
	p += snprintf(p, sizeof(f->application), "Make the application read faster (or give it "
		      "SO_RCVBUF if bursts are the cause)");
	for (i = 0; i < in->nslow; i++) {
		char key[24];

		snprintf(key, sizeof(key), "holder_%d", i + 1);
		ev_s(f, i == 0 ? "holder_1" : i == 1 ? "holder_2" : "holder_3", in->slow[i].who);
		(void)key;
	}
	if (in->nslow)
		snprintf(p, sizeof(f->application) - (size_t)(p - f->application), ": first %s",
			 in->slow[0].who);
	return true;
}

static bool r_recon(const struct advise_in *in, struct finding *f)
{
	const struct recon_report *c = &in->r->sk.recon[DP_TCP];

	if (!in->r->sk.present || !c->ok || !c->band_pages.ok || c->within_band)
		return false;
	f->sev = SEV_INFO;
	f_summary(f, "sockstat TCP mem and the sockets seen differ by %lld pages, more than the "
		  "per-CPU band (%llu)", (long long)c->residual_pages,
		  (unsigned long long)c->band_pages.v);
	f->mechanism = "sockstat mem is host-wide; a sock_diag dump sees one network namespace and "
		       "not the sockets that bypass protocol accounting (6.19+).";
	ev_u(f, "sockstat_pages", c->sockstat_pages);
	ev_u(f, "sockets_charged_pages", c->sockets_pages);
	ev_i(f, "residual_pages", c->residual_pages);
	ev_u(f, "band_pages", c->band_pages.v);
	if (c->ncause)
		ev_s(f, "likely_cause", c->cause[0]);
	snprintf(f->application, sizeof(f->application),
		 "Run 'sockmem show --all-netns' as root to see every network namespace");
	return true;
}

static bool r_bypass(const struct advise_in *in, struct finding *f)
{
	const struct sysctl_val *v = &in->h->sysctl[SC_BYPASS_PROT_MEM];

	if (v->rc || !v->v[0])
		return false;
	f->sev = SEV_INFO;
	f->scope = FS_NETNS;
	f_summary(f, "net.core.bypass_prot_mem=1: new sockets in this namespace are not counted "
		  "against tcp_mem/udp_mem");
	f->mechanism = "Linux 6.19: sockets created while it is set skip the protocol counters and "
		       "are limited only by their memory cgroup; sockstat mem undercounts them.";
	ev_u(f, "bypass_prot_mem", v->v[0]);
	return true;
}

static bool r_limits_hidden(const struct advise_in *in, struct finding *f)
{
	if (!in->h->netns_child)
		return false;
	f->sev = SEV_INFO;
	f->scope = FS_HOST;
	f_summary(f, "tcp_mem and udp_mem are not visible from this network namespace (a "
		  "container): the state against them is judged on the host");
	f->mechanism = "tcp_mem, udp_mem, tcp_max_orphans and mem_pcpu_rsv exist only in the "
		       "initial network namespace; usage and the pressure flag are global and "
		       "visible everywhere.";
	ev_s(f, "kernel_press_flag", protocols_press_name(pr_tcp(in)->press));
	return true;
}

/* --------------------------------------------------------------- table */

struct rule {
	const char *id;
	enum fscope scope;
	bool container_can_apply;
	bool config;		/* a configuration rule: checked again on proposed values */
	bool (*check)(const struct advise_in *in, struct finding *f);
};

static const struct rule rules[] = {
	{ "tcp-max", FS_HOST, false, false, r_tcp_max },
	{ "tcp-near-max", FS_HOST, false, false, r_tcp_near_max },
	{ "tcp-pressure", FS_HOST, false, false, r_tcp_pressure },
	{ "tcp-elevated", FS_HOST, false, false, r_tcp_elevated },
	{ "udp-max", FS_HOST, false, false, r_udp_max },
	{ "udp-limited", FS_HOST, false, false, r_udp_limited },
	{ "tcp-pressure-history", FS_NETNS, false, false, r_pressure_history },
	{ "tcp-abort-on-memory", FS_NETNS, false, false, r_abort_on_memory },
	{ "tcp-receive-pruning", FS_NETNS, false, false, r_receive_pruning },
	{ "udp-buffer-errors", FS_APPLICATION, true, false, r_udp_buffer_errors },
	{ "udp-in-errors", FS_NETNS, false, false, r_udp_in_errors },
	{ "ip-reverse-path-filter", FS_NETNS, true, false, r_rp_filter },
	{ "mem-not-ascending", FS_HOST, false, true, r_not_ascending },
	{ "mem-in-bytes", FS_HOST, false, true, r_bytes_in_pages },
	{ "mem-above-ram", FS_HOST, false, true, r_above_ram },
	{ "mem-vs-default", FS_HOST, false, true, r_vs_default },
	{ "rmem-max-below-tcp-rmem", FS_HOST, false, true, r_rmem_max },
	{ "wmem-max-below-tcp-wmem", FS_HOST, false, true, r_wmem_max },
	{ "tcp-orphans", FS_HOST, false, false, r_orphans },
	{ "tcp-time-wait", FS_NETNS, true, false, r_timewait },
	{ "cgroup-v1-kmem-tcp", FS_CGROUP, false, false, r_kmem_tcp },
	{ "memcg-near-limit", FS_CGROUP, true, false, r_memcg },
	{ "tcp-worst-case", FS_HOST, false, false, r_worst_case },
	{ "bdp-buffers", FS_NETNS, true, false, r_bdp },
	{ "slow-readers", FS_APPLICATION, true, false, r_slow_readers },
	{ "reconciliation", FS_HOST, false, false, r_recon },
	{ "bypass-prot-mem", FS_NETNS, true, false, r_bypass },
	{ "limits-not-visible", FS_HOST, false, false, r_limits_hidden },
};

int rules_count(void)
{
	return (int)ARRAY_SIZE(rules);
}

const char *rules_id(int i)
{
	return i >= 0 && i < (int)ARRAY_SIZE(rules) ? rules[i].id : NULL;
}

static int finding_cmp(const void *a, const void *b)
{
	const struct finding *x = a, *y = b;

	return x->sev != y->sev ? (int)y->sev - (int)x->sev : 0;
}

static int rules_run_class(const struct advise_in *in, struct finding *out, int max, bool config_only)
{
	size_t i;
	int n = 0;

	for (i = 0; i < ARRAY_SIZE(rules) && n < max; i++) {
		struct finding *f = &out[n];

		if (config_only && !rules[i].config)
			continue;
		memset(f, 0, sizeof(*f));
		f->id = rules[i].id;
		f->scope = rules[i].scope;
		f->container_can_apply = rules[i].container_can_apply;
		if (config_only) {
			/* no proposals while checking a proposal */
			struct advise_in c = *in;

			if (rules[i].check(&c, f))
				n++;
			continue;
		}
		if (rules[i].check(in, f))
			n++;
	}
	return n;
}

int rules_run(const struct advise_in *in, struct finding *out, int max)
{
	int n = rules_run_class(in, out, max, false);

	/* stable: most urgent first, table order within a severity */
	{
		int i, j;

		for (i = 1; i < n; i++)
			for (j = i; j > 0 && finding_cmp(&out[j - 1], &out[j]) > 0; j--) {
				struct finding t = out[j];

				out[j] = out[j - 1];
				out[j - 1] = t;
			}
	}
	return n;
}
