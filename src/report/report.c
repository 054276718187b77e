/* report.c - builds the show report from a host view: usage, limits and
 * state per protocol, FRAG memory, socket counts, pressure counters. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "report.h"

/* Protocols with memory accounting (sk_has_account).  TCPv6 and MPTCP share
 * tcp_memory_allocated, UDPv6 and UDP-Lite share udp_memory_allocated. */
static const struct proto_def proto_defs[] = {
	{ "tcp", "TCP", "TCP", "TCP", SC_TCP_MEM, MODEL_PRESSURE, NULL, true },
	{ "udp", "UDP", "UDP", "UDP", SC_UDP_MEM, MODEL_NO_PRESSURE, NULL, true },
	{ "mptcp", "MPTCP", "MPTCP", NULL, SC_TCP_MEM, MODEL_PRESSURE, "tcp", false },
	{ "udplite", "UDPLITE", "UDP-Lite", NULL, SC_UDP_MEM, MODEL_NO_PRESSURE, "udp", false },
	{ "sctp", "SCTP", "SCTP", NULL, SC_SCTP_MEM, MODEL_PRESSURE, NULL, false },
};

static const struct {
	const char *key, *group, *unit, *meaning;
} counter_defs[] = {
	{ "TCPMemoryPressures", "TcpExt", "events", "times TCP entered memory pressure" },
	{ "TCPMemoryPressuresChrono", "TcpExt", "ms",
	  "time spent in pressure, added when an episode ends" },
	{ "PruneCalled", "TcpExt", "events", "receive queue prune attempts (memory)" },
	{ "RcvPruned", "TcpExt", "events", "prunes that failed to free enough: drops" },
	{ "OfoPruned", "TcpExt", "events", "out-of-order queues discarded" },
	{ "TCPRcvCollapsed", "TcpExt", "skbs", "skbs freed by collapsing queues" },
	{ "TCPRcvQDrop", "TcpExt", "packets", "dropped: receive queue could not be charged" },
	{ "TCPOFODrop", "TcpExt", "packets", "out-of-order packets dropped for lack of memory" },
	{ "TCPAbortOnMemory", "TcpExt", "sockets", "connections reset: above tcp_mem max or orphans" },
	{ "TCPBacklogDrop", "TcpExt", "packets", "dropped: socket backlog full" },
	/* net/ipv4/tcp_output.c, tcp_select_window(): "if (new_win < cur_win)
	 * {" ... "Never shrink the offered window" ... "if (new_win == 0)
	 * NET_INC_STATS(net, LINUX_MIB_TCPWANTZEROWINDOWADV);" (before 6.5
	 * sock_net(sk); since 6.5 only while tcp_shrink_window is 0 or the
	 * window is not scaled); __tcp_select_window() returns 0 when
	 * "free_space < (allowed_space >> 4) || free_space < mss": a receive
	 * buffer all but full, the application not reading */
	{ "TCPWantZeroWindowAdv", "TcpExt", "events",
	  "wanted a zero window but could not shrink it: full rcvbuf (slow reader)" },
	{ "UdpRcvbufErrors", "Udp", "packets", "dropped: receive buffer full" },
	{ "UdpSndbufErrors", "Udp", "packets", "send failed: send buffer full" },
	{ "UdpMemErrors", "Udp", "packets", "dropped: udp_mem charge failed (5.11+)" },
	{ "UdpInErrors", "Udp", "packets", "receive errors of any kind" },
};

const char *report_scope_name(enum scope s)
{
	return s == SCOPE_HOST ? "host" : "netns";
}

/* Signed pages to bytes, saturated at INT64_MIN/INT64_MAX. */
int64_t report_pages_to_bytes(int64_t pages, uint64_t page_size_bytes)
{
	uint64_t mag = pages < 0 ? (uint64_t)(-(pages + 1)) + 1 : (uint64_t)pages;
	bool ovf = false;

	mag = util_mul_sat(mag, page_size_bytes, &ovf);
	if (ovf || mag > (uint64_t)INT64_MAX)
		return pages < 0 ? INT64_MIN : INT64_MAX;
	return pages < 0 ? -(int64_t)mag : (int64_t)mag;
}

static struct opt mul_pages(const struct report *r, struct opt pages)
{
	struct opt o = { 0, false };
	bool ovf = false;

	if (!pages.ok)
		return o;
	o.v = util_mul_sat(pages.v, r->mem_unit_bytes, &ovf);
	o.ok = !ovf;
	return o;
}

static void report_unavailable(struct report *r, const char *what, const char *why)
{
	struct unavailable *u;
	int i;

	for (i = 0; i < r->nunavail; i++)
		if (!strcmp(r->unavail[i].what, what))
			return;
	if (r->nunavail == REPORT_MAX_UNAVAILABLE)
		return;
	u = &r->unavail[r->nunavail++];
	u->what = what;
	snprintf(u->why, sizeof(u->why), "%s", why);
}

static const char *report_unavailable_why(const struct report *r, const char *what)
{
	int i;

	for (i = 0; i < r->nunavail; i++)
		if (!strcmp(r->unavail[i].what, what))
			return r->unavail[i].why;
	return NULL;
}

/* The capture's sysctl -a that stands in for a sysctl's file: the one of
 * its layout (sos_commands/..., insights_commands/...). */
static const char *report_sysctl_a(const struct host *h, enum sysctl_id id)
{
	const char *marker = capture_layout_marker(h->layout);
	const struct host_alt *a;

	for (a = host_sysctl_input(id)->alt; marker && a && a->path; a++)
		if (!strncmp(a->path, marker, strlen(marker)))
			return a->path;
	return NULL;
}

/* Why a sysctl could not be read; also records it in r->unavail. */
static const char *report_sysctl_why(struct report *r, enum sysctl_id id)
{
	const struct sysctl_def *d = &host_sysctl[id];
	const struct host *h = r->h;
	int rc = h->sysctl[id].rc;

	if (rc == 0)
		return NULL;
	char why[160];

	if (rc != -ENOENT)
		snprintf(why, sizeof(why), "could not be read (see problems)");
	else if (d->since_major && h->kver.ok &&
		 !sysinfo_kver_ge(&h->kver, d->since_major, d->since_minor))
		snprintf(why, sizeof(why), "added in Linux %u.%u; this kernel is older",
			 d->since_major, d->since_minor);
	else if (d->scope == SCOPE_HOST && h->netns_child)
		snprintf(why, sizeof(why), "host-only sysctl: not visible from a network namespace "
			 "other than the initial one (a container); read it on the host");
	else if (id == SC_SCTP_MEM)
		snprintf(why, sizeof(why), "SCTP is not loaded");
	else if (id == SC_IP6FRAG_HIGH_THRESH)
		snprintf(why, sizeof(why), "IPv6 is disabled or absent");
	else if (h->layout != LAYOUT_PROC && report_sysctl_a(h, id))
		snprintf(why, sizeof(why), "in neither %s nor the capture's sysctl -a (%s)",
			 host_sysctl_input(id)->path, report_sysctl_a(h, id));
	else if (h->root[0])
		snprintf(why, sizeof(why), "not present in the input tree");
	else
		snprintf(why, sizeof(why), "not present on this kernel");
	report_unavailable(r, d->name, why);
	return report_unavailable_why(r, d->name);
}

static struct opt sysctl1(const struct host *h, enum sysctl_id id)
{
	struct opt o = { 0, false };

	if (h->sysctl[id].rc == 0)
		o = opt_some(h->sysctl[id].v[0]);
	return o;
}

static void report_headroom_sockets(struct report *r, struct proto_report *p)
{
	const struct host *h = r->h;
	uint64_t per_default = 0, per_full = 0;
	int i;

	if (p->def->kind == MODEL_PRESSURE && !strcmp(p->def->key, "tcp") &&
	    h->sysctl[SC_TCP_RMEM].rc == 0 && h->sysctl[SC_TCP_WMEM].rc == 0) {
		per_default = h->sysctl[SC_TCP_RMEM].v[1] + h->sysctl[SC_TCP_WMEM].v[1];
		per_full = h->sysctl[SC_TCP_RMEM].v[2] + h->sysctl[SC_TCP_WMEM].v[2];
	}
	if (!p->limits_ok)
		return;
	for (i = 0; i < 3; i++) {
		int64_t hp = p->m.headroom_pages[i];
		uint64_t hb = hp > 0 ? util_mul_sat((uint64_t)hp, r->mem_unit_bytes, NULL) : 0;

		if (per_default)
			p->headroom_sockets_default[i] = opt_some(hb / per_default);
		if (per_full)
			p->headroom_sockets_full[i] = opt_some(hb / per_full);
		if (p->avg_charge_bytes.ok && p->avg_charge_bytes.v)
			p->headroom_sockets_avg[i] = opt_some(hb / p->avg_charge_bytes.v);
	}
}

/* The state of protocol p at usage, the published figure or the exact one. */
static void report_classify(const struct report *r, const struct proto_report *p, struct opt usage,
			    struct opt band, struct model_out *out)
{
	struct model_in in = { 0 };

	in.kind = p->def->kind;
	in.usage_pages = usage;
	in.limits_ok = p->limits_ok;
	memcpy(in.limit_pages, p->limit_pages, sizeof(in.limit_pages));
	in.press = p->press;
	in.band_pages = band;
	in.units_per_page = r->units_per_page;
	model_classify(&in, out);
}

static void report_protocols(struct report *r)
{
	const struct host *h = r->h;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(proto_defs); i++) {
		const struct proto_def *d = &proto_defs[i];
		const struct protocols_row *row = h->protocols_rc == 0
						  ? protocols_find(&h->protos, d->protocols_row) : NULL;
		struct proto_report *p;
		int j;

		if (!d->always && (!row || !row->has_memory))
			continue;
		p = &r->proto[r->nproto++];
		p->def = d;
		if (d->sockstat_line && h->sockstat_rc == 0) {
			p->usage_pages = sockstat_get(&h->ss4, d->sockstat_line, "mem");
			p->usage_source = "/proc/net/sockstat";
		}
		if (!p->usage_pages.ok && row && row->has_memory) {
			p->usage_pages = opt_some(row->memory_pages);
			p->usage_source = "/proc/net/protocols";
		}
		p->usage_bytes = mul_pages(r, p->usage_pages);
		p->press = row ? row->press : PRESS_UNKNOWN;
		if (row)
			p->sockets_netns = row->sockets;
		if (d->sockstat_line && h->sockstat_rc == 0 && !strcmp(d->key, "tcp"))
			p->sockets_alloc = sockstat_get(&h->ss4, "TCP", "alloc");
		if (p->sockets_alloc.ok && p->sockets_alloc.v && p->usage_bytes.ok)
			p->avg_charge_bytes = opt_some(p->usage_bytes.v / p->sockets_alloc.v);

		p->limits_ok = h->sysctl[d->limits].rc == 0;
		if (p->limits_ok) {
			for (j = 0; j < 3; j++) {
				p->limit_pages[j] = h->sysctl[d->limits].v[j];
				p->limit_units[j] = util_mul_sat(p->limit_pages[j], r->units_per_page,
								 NULL);
				p->limit_bytes[j] = util_mul_sat(p->limit_pages[j], h->page_size_bytes,
								 NULL);
			}
		} else {
			p->limits_why = report_sysctl_why(r, d->limits);
		}

		report_classify(r, p, p->usage_pages, r->band_pages, &p->m);
		if (p->limits_ok && p->usage_pages.ok)
			for (j = 0; j < 3; j++)
				p->headroom_bytes[j] = report_pages_to_bytes(p->m.headroom_pages[j],
									     r->mem_unit_bytes);
		report_headroom_sockets(r, p);
	}
}

static void report_frag(struct report *r)
{
	const struct host *h = r->h;
	int i;

	for (i = 0; i < 2; i++) {
		struct frag_report *f = &r->frag[i];
		const struct sockstat *s = i ? &h->ss6 : &h->ss4;
		const char *line = i ? "FRAG6" : "FRAG";
		int rc = i ? h->sockstat6_rc : h->sockstat_rc;
		enum sysctl_id id = i ? SC_IP6FRAG_HIGH_THRESH : SC_IPFRAG_HIGH_THRESH;

		f->key = i ? "ipv6" : "ipv4";
		if (rc == 0) {
			f->inuse = sockstat_get(s, line, "inuse");
			f->usage_bytes = sockstat_get(s, line, "memory"); /* bytes, not pages */
		}
		f->high_thresh_bytes = sysctl1(h, id);
		if (!f->high_thresh_bytes.ok)
			report_sysctl_why(r, id);
		if (f->usage_bytes.ok && f->high_thresh_bytes.ok && f->high_thresh_bytes.v)
			f->pct = 100.0 * (double)f->usage_bytes.v / (double)f->high_thresh_bytes.v;
	}
}

static void report_count(struct report *r, const char *key, const char *label,
			 const struct sockstat *s, int rc, const char *line, const char *k,
			 enum scope scope, enum sysctl_id limit)
{
	struct count_report *c = &r->count[r->ncount++];

	c->key = key;
	c->label = label;
	c->scope = scope;
	if (rc == 0)
		c->value = sockstat_get(s, line, k);
	if ((int)limit >= 0) {
		c->limit = sysctl1(r->h, limit);
		c->limit_name = host_sysctl[limit].name;
		c->limit_scope = host_sysctl[limit].scope;
		if (!c->limit.ok)
			report_sysctl_why(r, limit);
	}
}

static void report_counts(struct report *r)
{
	const struct host *h = r->h;
	const struct sockstat *s4 = &h->ss4, *s6 = &h->ss6;
	int rc4 = h->sockstat_rc, rc6 = h->sockstat6_rc;

	/* Scopes from net/ipv4/proc.c: sockets/inuse/tw per netns; orphan/alloc global. */
	report_count(r, "sockets_used", "sockets in use", s4, rc4, "sockets", "used", SCOPE_NETNS, -1);
	report_count(r, "tcp_inuse", "TCP in use", s4, rc4, "TCP", "inuse", SCOPE_NETNS, -1);
	report_count(r, "tcp6_inuse", "TCP6 in use", s6, rc6, "TCP6", "inuse", SCOPE_NETNS, -1);
	report_count(r, "tcp_alloc", "TCP allocated", s4, rc4, "TCP", "alloc", SCOPE_HOST, -1);
	report_count(r, "tcp_orphan", "TCP orphans", s4, rc4, "TCP", "orphan", SCOPE_HOST,
		     SC_TCP_MAX_ORPHANS);
	report_count(r, "tcp_tw", "TCP TIME_WAIT", s4, rc4, "TCP", "tw", SCOPE_NETNS,
		     SC_TCP_MAX_TW_BUCKETS);
	report_count(r, "udp_inuse", "UDP in use", s4, rc4, "UDP", "inuse", SCOPE_NETNS, -1);
	report_count(r, "udp6_inuse", "UDP6 in use", s6, rc6, "UDP6", "inuse", SCOPE_NETNS, -1);
	report_count(r, "udplite_inuse", "UDP-Lite in use", s4, rc4, "UDPLITE", "inuse", SCOPE_NETNS,
		     -1);
	report_count(r, "raw_inuse", "RAW in use", s4, rc4, "RAW", "inuse", SCOPE_NETNS, -1);
	report_count(r, "raw6_inuse", "RAW6 in use", s6, rc6, "RAW6", "inuse", SCOPE_NETNS, -1);
}

static void report_counters(struct report *r)
{
	const struct host *h = r->h;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(counter_defs); i++) {
		struct counter_report *c = &r->counter[r->ncounter++];
		bool udp = !strcmp(counter_defs[i].group, "Udp");

		c->key = counter_defs[i].key;
		c->group = counter_defs[i].group;
		c->unit = counter_defs[i].unit;
		c->meaning = counter_defs[i].meaning;
		if (udp && h->snmp_rc == 0)
			c->value = netstat_get(&h->snmp, "Udp", c->key + 3);
		else if (!udp && h->netstat_rc == 0)
			c->value = netstat_get(&h->netstat, "TcpExt", c->key);
	}
}

/* Counters absent from a netstat -s (or nstat without -z) that stood in for
 * /proc/net/netstat or snmp: each is 0, or not counted by this kernel. */
static void report_zeros_omitted(struct report *r)
{
	char why[200];
	size_t n = 0;
	int i;

	for (i = 0; i < r->ncounter; i++) {
		const struct counter_report *c = &r->counter[i];
		bool udp = !strcmp(c->group, "Udp");

		if (c->value.ok || !(udp ? r->h->snmp_zeros_omitted : r->h->netstat_zeros_omitted) ||
		    (udp ? r->h->snmp_rc : r->h->netstat_rc))
			continue;
		n += (size_t)snprintf(why + n, n < sizeof(why) ? sizeof(why) - n : 0, "%s%s",
				      n ? ", " : "", c->key);
	}
	if (n && n < sizeof(why) - 70) {
		snprintf(why + n, sizeof(why) - n, ": 0, or not counted by this kernel (zero counters "
			 "are left out)");
		report_unavailable(r, "counters not in netstat -s or nstat", why);
	} else if (n) {
		report_unavailable(r, "counters not in netstat -s or nstat", "those shown as absent "
				   "are 0, or not counted by this kernel (zero counters are left out)");
	}
}

void report_origin(struct report_origin *o, const struct host *h)
{
	const char *c = h->page_size_confidence;

	o->root = h->root;
	o->capture = h->root[0] && h->layout != LAYOUT_PROC;
	o->kind = !h->root[0] ? "live" : o->capture ? capture_layout_name(h->layout) : "snapshot";
	o->taken = h->have_meta && h->meta.time[0] ? h->meta.time
		   : h->capture_time[0] ? h->capture_time : NULL;
	o->host = h->hostname[0] ? h->hostname : NULL;
	o->page_size_doubt = c && strcmp(c, "certain") && strcmp(c, "assumed") ? c : NULL;
}

void report_build(struct report *r, const struct host *h)
{
	int i;

	memset(r, 0, sizeof(*r));
	r->h = h;
	report_origin(&r->origin, h);
	r->partial = h->partial;
	r->mem_unit_bytes = h->kver.ok ? model_mem_unit_bytes(h->kver.major, h->kver.minor, h->page_size_bytes)
				       : h->page_size_bytes;
	r->units_per_page = h->kver.ok ? model_units_per_page(h->kver.major, h->kver.minor, h->page_size_bytes)
				       : 1;
	/* a release, or a capture taken before 6.0 (host_collect) */
	r->reserve = model_reserve(h->kver.ok || h->kernel_before_6_0,
				   sysinfo_kver_ge(&h->kver, 6, 0) && !h->kernel_before_6_0,
				   sysctl1(h, SC_MEM_PCPU_RSV), h->page_size_bytes);
	/* kernel-audit 7: mem_pcpu_rsv is registered in init_net only; in a
	 * child namespace the host's value is unknown but at least its
	 * default (its minimum), so the band is a lower bound */
	if (!r->reserve.exact && h->netns_child && h->sysctl[SC_MEM_PCPU_RSV].rc == -ENOENT &&
	    sysinfo_kver_ge(&h->kver, 6, 0)) {
		r->band_at_least = true;
		r->reserve.source = "net.core.mem_pcpu_rsv is not visible outside the initial network "
				    "namespace: its default and minimum, 1 MiB per CPU, so at least this";
	}
	r->band_pages = model_band_pages(&r->reserve, h->possible_cpus);
	r->band_bytes = mul_pages(r, r->band_pages);
	report_protocols(r);
	report_frag(r);
	report_counts(r);
	report_counters(r);
	/* Settings that are absent get a reason too. */
	for (i = 0; i < SC_COUNT; i++)
		if (h->sysctl[i].rc && i != SC_SCTP_MEM)
			report_sysctl_why(r, (enum sysctl_id)i);
	if (!h->kver.ok && h->kernel_before_6_0) {
		char why[160];

		snprintf(why, sizeof(why), "not in the capture, which was taken in %d: a kernel older "
			 "than Linux 6.0 (2022), whose counters are exact", h->capture_year);
		report_unavailable(r, "kernel release", why);
	} else if (!h->kver.ok) {
		report_unavailable(r, "kernel release", "/proc/sys/kernel/osrelease not readable: "
				   "version-dependent rules assume a current kernel");
	}
	/* before 6.0 the counters were exact: the CPUs do not matter */
	if (!h->possible_cpus.ok && !r->reserve.exact)
		report_unavailable(r, "possible CPUs", "/sys/devices/system/cpu/possible not "
				   "readable: the per-CPU uncertainty band is unknown");
	report_zeros_omitted(r);
}

static void recon_cause(struct recon_report *c, const char *why)
{
	if (c->ncause < (int)ARRAY_SIZE(c->cause))
		c->cause[c->ncause++] = why;
}

void report_add_sockets(struct report *r, const struct sockets *agg,
			const struct sockdump_status *st, const char *source, uint64_t netns_count,
			bool netns_complete)
{
	struct sockets_report *k = &r->sk;
	int p;

	k->present = true;
	r->partial |= st->partial;
	k->agg = agg;
	k->st = st;
	snprintf(k->source, sizeof(k->source), "%s", source);
	k->netns_known = netns_count > 0;
	k->netns_count = netns_count;
	k->netns_complete = netns_complete;
	for (p = 0; p < DP_COUNT; p++) {
		struct recon_report *c = &k->recon[p];
		const struct proto_report *pr = &r->proto[p]; /* tcp, udp come first */
		uint64_t a, b;

		if (!pr->usage_pages.ok || !st->ok[p])
			continue;
		c->ok = true;
		c->sockstat_pages = a = pr->usage_pages.v;
		c->sockets_pages = b = agg->sum[p].charged_pages;
		c->residual_pages = a >= b ? (int64_t)(a - b) : -(int64_t)(b - a);
		c->band_pages = r->band_pages;
		c->within_band = r->band_pages.ok &&
				 (uint64_t)(c->residual_pages < 0 ? -c->residual_pages
								  : c->residual_pages) <= r->band_pages.v;
		if (c->within_band || !r->band_pages.ok)
			continue;
		if (c->residual_pages > 0) {
			/* sockstat mem is global; a dump sees one network namespace */
			if (r->h->netns_child)
				recon_cause(c, "this is not the initial network namespace: sockstat mem "
					    "counts the whole host, the dump only this namespace");
			/* one cause, said once: inside a child namespace the line above */
			else if ((netns_count > 1 || !netns_count) && !(k->all_netns && netns_complete))
				recon_cause(c, "sockets in other network namespaces: sockstat mem is "
					    "host-wide, the dump covers this namespace only "
					    "(see the network namespaces line)");
			recon_cause(c, "sockets not visible to the dump: being created or closed "
				    "during it (a dump is not atomic), or kernel sockets");
		} else {
			if (r->h->sysctl[SC_BYPASS_PROT_MEM].rc == 0 && r->h->sysctl[SC_BYPASS_PROT_MEM].v[0])
				recon_cause(c, "net.core.bypass_prot_mem=1: sockets created since then "
					    "are charged to their memory cgroup, not to sockstat mem");
			else
				recon_cause(c, "sockets that bypass protocol accounting (6.19+: "
					    "net.core.bypass_prot_mem or a BPF sock_create program) "
					    "are in the dump but not in sockstat mem");
			recon_cause(c, "the two were read at different moments under load");
		}
	}
}

/* The counter a protocol row shows: TCP's or UDP's (MPTCP, UDP-Lite share
 * them), or none (SCTP). */
static int report_counter_of(const struct proto_def *d)
{
	const char *k = d->shares_with ? d->shares_with : d->key;

	return !strcmp(k, "tcp") ? DP_TCP : !strcmp(k, "udp") ? DP_UDP : -1;
}

/* Why the state of the true charge differs from the kernel's view. */
static void report_exact_note(struct proto_report *p)
{
	const char *pub = model_state_name(p->m.state), *ex = model_state_name(p->m_exact.state);
	char cached[32];

	p->exact_note[0] = '\0';
	if (p->m.state == p->m_exact.state || p->m.state == MS_UNKNOWN ||
	    p->m_exact.state == MS_UNKNOWN)
		return;
	snprintf(cached, sizeof(cached), "%+lld", (long long)p->exact_cached_pages);
	if (p->exact_cached_pages > 0)
		snprintf(p->exact_note, sizeof(p->exact_note),
			 "by the true charge %s, not %s: the CPUs' caches hold %s pages the kernel "
			 "has not published yet; it decides on the published figure, and turns %s "
			 "once a cache spills (net.core.mem_pcpu_rsv per CPU)", ex, pub, cached, ex);
	else
		snprintf(p->exact_note, sizeof(p->exact_note),
			 "by the true charge %s, not %s: %s pages freed into the CPUs' caches are "
			 "not yet returned to the published figure, which the kernel decides on; "
			 "it stays %s until a cache drains", ex, pub, cached, pub);
}

void report_add_exact(struct report *r, const struct report_exact_in *x)
{
	int i, p;

	snprintf(r->exact_why, sizeof(r->exact_why), "%s", x->why);
	for (i = 0; i < r->nproto; i++) {
		struct proto_report *pr = &r->proto[i];
		int64_t exact;

		p = report_counter_of(pr->def);
		if (p < 0 || !x->ok[p])
			continue;
		exact = x->global_pages[p] + x->cached_pages[p];
		/* a transient negative sum (a cache read before the free that
		 * fed it was published) is no charge */
		pr->usage_exact_pages = opt_some(exact > 0 ? (uint64_t)exact : 0);
		pr->usage_exact_bytes = mul_pages(r, pr->usage_exact_pages);
		pr->exact_cached_pages = pr->usage_pages.ok
					 ? (int64_t)pr->usage_exact_pages.v - (int64_t)pr->usage_pages.v
					 : x->cached_pages[p];
		report_classify(r, pr, pr->usage_exact_pages, opt_some(0), &pr->m_exact);
		report_exact_note(pr);
		r->exact_ok = true;
	}
	for (p = 0; p < DP_COUNT && r->sk.present; p++) {
		struct recon_report *c = &r->sk.recon[p];
		const struct proto_report *pr = &r->proto[p];	/* tcp, udp come first */

		if (!pr->usage_exact_pages.ok || !r->sk.st->ok[p])
			continue;
		c->exact_ok = true;
		c->exact_pages = pr->usage_exact_pages.v;
		c->exact_residual_pages = (int64_t)c->exact_pages -
					  (int64_t)r->sk.agg->sum[p].charged_pages;
	}
}

void report_add_trend(struct report *r, int p, const double *t, const double *u, int n)
{
	struct proto_report *pr = &r->proto[p];
	int i;

	if (p >= r->nproto || trend_fit(t, u, n, &pr->trend))
		return;
	pr->trend_ok = true;
	if (!pr->limits_ok || !pr->usage_pages.ok)
		return;
	for (i = 0; i < 3; i++)
		pr->eta_ok[i] = trend_seconds_to(&pr->trend, (double)pr->usage_pages.v,
						 (double)pr->limit_units[i],
						 r->band_pages.ok ? (double)r->band_pages.v : 0,
						 &pr->eta_s[i], &pr->eta_lo_s[i], &pr->eta_hi_s[i],
						 &pr->eta_unbounded[i]);
}
