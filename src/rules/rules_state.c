/* rules_state.c - rules on the present state: TCP and UDP usage against
 * tcp_mem/udp_mem (as the model classifies it), orphans and TIME_WAIT
 * against their limits, and limits a container cannot see. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "rules_int.h"

/* Proposes tcp_mem/udp_mem (id) that leave the state pr is in: min at least
 * usage + band + a margin (fix_limits_for_usage), never below today's
 * values, the kernel's default for this RAM when today's limits are far
 * below it and the default covers the need.  fix_verify() checks it. */
void rules_propose_mem(struct rule_ctx *c, struct finding *f, enum sysctl_id id,
		       const struct proto_report *pr)
{
	uint64_t v[3], d[3];
	int i;

	if (c->verifying || !pr->limits_ok || !pr->usage_pages.ok)
		return;
	fix_limits_for_usage(pr->usage_pages.v, c->r->band_pages.ok ? c->r->band_pages.v : 0,
			     c->r->units_per_page, v);
	if (rules_default_mem(c->h, id, d) && pr->limit_pages[1] * 2 < d[1] && d[0] >= v[0] &&
	    d[1] >= v[1])
		memcpy(v, d, sizeof(v));
	for (i = 0; i < 3; i++)
		if (v[i] < pr->limit_pages[i])
			v[i] = pr->limit_pages[i];
	if (rules_fix(c, f, id, v) == FIX_ABOVE_RAM)
		snprintf(f->application, sizeof(f->application),
			 "RAM cannot give more: the %s that would cover this usage needs more than "
			 "a quarter of RAM. Find the holders (sockmem top --by process) and lower "
			 "per-socket buffers (tcp_rmem/tcp_wmem max) or the number of connections",
			 host_sysctl[id].name);
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
	if (r->units_per_page > 1)	/* usage, uncertainty: 4096-byte quanta */
		ev_u(f, "mem_unit_bytes", r->mem_unit_bytes);
}

void rule_tcp_max(struct rule_ctx *c)
{
	const struct proto_report *p = rules_proto(c->r, "tcp");
	struct finding *f;

	if (!p->limits_ok || !p->usage_pages.ok || p->usage_pages.v < p->limit_units[2])
		return;
	/* The kernel's test is strict, allocated > tcp_mem[2], but allocated
	 * already holds the charge being made (sk_memory_allocated_add() comes
	 * first; since 6.0 once the per-CPU reserve drains into it): at usage
	 * == tcp_mem[2] the next charge is refused, above it every one is. */
	if (p->usage_pages.v > p->limit_units[2])
		f = rules_emit(c, SEV_CRIT, "TCP memory is over its hard limit: %llu of %llu %s "
			       "(%.2f%%)", (unsigned long long)p->usage_pages.v,
			       (unsigned long long)p->limit_units[2], rules_mem_unit(c->r), p->m.pct[2]);
	else
		f = rules_emit(c, SEV_CRIT, "TCP memory is at its hard limit: %llu of %llu %s: the "
			       "kernel refuses every charge that would take usage above it",
			       (unsigned long long)p->usage_pages.v, (unsigned long long)p->limit_units[2],
			       rules_mem_unit(c->r));
	f->mechanism = "__sk_mem_raise_allocated() adds the charge, then fails it if usage is above "
		       "tcp_mem[2] (allocated > tcp_mem[2]), so at or over the limit every charge "
		       "that is not forced fails: receive queues drop (TCPRcvQDrop, PruneCalled), "
		       "senders block, and close() resets connections that still hold unsent data "
		       "(TCPAbortOnMemory, 'TCP: out of memory -- consider tuning tcp_mem').";
	common_mem_evidence(f, p, c->r);
	rules_propose_mem(c, f, SC_TCP_MEM, p);
}

void rule_tcp_near_max(struct rule_ctx *c)
{
	const struct proto_report *p = rules_proto(c->r, "tcp");
	struct finding *f;

	if (!p->limits_ok || !p->usage_pages.ok || p->usage_pages.v >= p->limit_units[2] ||
	    p->m.pct[2] < rules_thr.near_max_pct)
		return;
	f = rules_emit(c, SEV_WARN, "TCP memory usage is high: %.2f%% of the hard limit (%llu of %llu %s)",
		       p->m.pct[2], (unsigned long long)p->usage_pages.v,
		       (unsigned long long)p->limit_units[2], rules_mem_unit(c->r));
	f->mechanism = "Close to tcp_mem[2]: once above it, non-forced charges fail and TCP drops "
		       "received segments and aborts closing connections.";
	common_mem_evidence(f, p, c->r);
	rules_propose_mem(c, f, SC_TCP_MEM, p);
}

void rule_tcp_pressure(struct rule_ctx *c)
{
	const struct proto_report *p = rules_proto(c->r, "tcp");
	const struct advise_rates *rt = &c->in->rates;
	bool known = p->usage_pages.ok && p->limits_ok, crossed;
	enum sev sev;
	struct finding *f;

	if (p->m.state != MS_PRESSURE || (known && p->m.pct[2] >= rules_thr.near_max_pct))
		return;	/* near or over max: tcp-near-max and tcp-max carry it */
	/* usage seen above the pressure threshold: now, or at the first sample */
	crossed = known && (p->usage_pages.v > p->limit_units[1] ||
			    (rt->ok && rt->tcp_usage_first_pages.ok &&
			     rt->tcp_usage_first_pages.v > p->limit_units[1]));
	sev = known && p->usage_pages.v <= p->limit_units[1] ? SEV_WARN : SEV_CRIT;
	f = rules_emit(c, sev, "TCP is under memory pressure%s", sev == SEV_WARN
		       ? " although usage is below the pressure threshold: hysteresis (it ends at a "
			 "charge with usage <= min), or a page or skb allocation failure (system memory "
			 "shortage)" : "");
	f->mechanism = "Under tcp_memory_pressure the kernel clamps receive windows to about 4 MSS, "
		       "stops growing and shrinks send buffers, prunes out-of-order queues and admits "
		       "a socket's charge only below its fair share tcp_mem[2] / sockets. It is entered "
		       "at a charge above tcp_mem[1] and also when a page or skb allocation fails "
		       "(sk_page_frag_refill, tcp_stream_alloc_skb), and left at a charge with usage "
		       "<= tcp_mem[0] or a free below it.";
	ev_s(f, "kernel_press_flag", protocols_press_name(p->press));
	ev_s(f, "state_basis", model_basis_name(p->m.basis));
	if (!known)
		return;
	common_mem_evidence(f, p, c->r);
	if (rt->ok && rt->tcp_usage_first_pages.ok)
		ev_u(f, "usage_at_first_sample_pages", rt->tcp_usage_first_pages.v);
	if (crossed) {
		rules_propose_mem(c, f, SC_TCP_MEM, p);
		return;
	}
	/* a larger tcp_mem does not fix an allocation failure */
	snprintf(f->application, sizeof(f->application),
		 "Look for 'page allocation failure' in the kernel log and check free memory: tcp_mem "
		 "does not fix an allocation failure, and usage was not seen above tcp_mem[1], so no "
		 "larger tcp_mem is proposed ('sockmem advise --interval 10' or 'sockmem watch' shows "
		 "whether usage crosses it)");
}

void rule_tcp_elevated(struct rule_ctx *c)
{
	const struct proto_report *p = rules_proto(c->r, "tcp");
	struct finding *f;

	if (p->m.state != MS_ELEVATED)
		return;
	f = rules_emit(c, p->m.near[1] || p->m.pct[1] >= rules_thr.elevated_warn_pct ? SEV_WARN : SEV_INFO,
		       "TCP usage is above tcp_mem[0] (%.2f%% of the pressure threshold)", p->m.pct[1]);
	f->mechanism = "Above tcp_mem[0] send buffers no longer grow (tcp_should_expand_sndbuf); "
		       "pressure begins at the first charge above tcp_mem[1].";
	common_mem_evidence(f, p, c->r);
	if (f->sev == SEV_WARN)
		rules_propose_mem(c, f, SC_TCP_MEM, p);
}

void rule_udp_max(struct rule_ctx *c)
{
	const struct proto_report *p = rules_proto(c->r, "udp");
	struct finding *f;

	if (!p->limits_ok || !p->usage_pages.ok || p->usage_pages.v < p->limit_units[2])
		return;
	f = rules_emit(c, SEV_CRIT, "UDP memory is %s its hard limit: %llu of %llu %s: every datagram "
		       "that needs a charge is dropped", p->usage_pages.v > p->limit_units[2] ? "over" : "at",
		       (unsigned long long)p->usage_pages.v, (unsigned long long)p->limit_units[2],
		       rules_mem_unit(c->r));
	f->mechanism = "UDP has no pressure state; above udp_mem[2] every receive charge fails.";
	common_mem_evidence(f, p, c->r);
	rules_propose_mem(c, f, SC_UDP_MEM, p);
}

void rule_udp_limited(struct rule_ctx *c)
{
	const struct proto_report *p = rules_proto(c->r, "udp");
	struct opt mem = rules_snmp(c->in, "Udp", "MemErrors");
	struct finding *f;

	if (p->m.state != MS_LIMITED || p->usage_pages.v >= p->limit_units[2])
		return;	/* at max: udp-max */
	f = rules_emit(c, p->m.pct[2] >= rules_thr.near_max_pct || (mem.ok && mem.v) ? SEV_CRIT : SEV_WARN,
		       "UDP memory is above udp_mem[0], its real limit (%.2f%% of udp_mem[2])", p->m.pct[2]);
	/* kernel-audit 2 (model_udp_rmem_seen): up to 6.17 the datagram is in
	 * sk_rmem_alloc when the guarantee reads it; 6.18's per-NUMA producer
	 * queue charges a batch before adding it */
	if (!c->h->kver.ok)
		f->mechanism = "UDP has no pressure state: above udp_mem[0] a datagram is admitted "
			       "only while the socket holds less than udp_rmem_min: up to 6.17 counting "
			       "the datagram itself (about one page per socket, none for a datagram of "
			       "udp_rmem_min or more), from 6.18 before its batch (about two pages). "
			       "The rest is dropped (sk_drops; MemErrors on kernels that count it). "
			       "udp_mem[2] only matters for sockets holding less.";
	else if (model_kver_ge(c->h->kver.major, c->h->kver.minor, 6, 18))
		f->mechanism = "UDP has no pressure state: above udp_mem[0] a socket is charged only "
			       "while it holds less than udp_rmem_min before the batch of datagrams "
			       "(the per-NUMA producer queue charges a batch before adding it), so each "
			       "socket keeps about two pages and drops the rest (sk_drops; MemErrors on "
			       "kernels that count it). udp_mem[2] only matters for sockets holding less.";
	else
		f->mechanism = "UDP has no pressure state: above udp_mem[0] a datagram is admitted only "
			       "if the socket's rmem_alloc with it stays below udp_rmem_min "
			       "(__udp_enqueue_schedule_skb adds it before the charge), so each socket "
			       "keeps about one page, none for a datagram of udp_rmem_min or more, and "
			       "drops the rest (sk_drops; MemErrors on kernels that count it). udp_mem[2] "
			       "only matters for sockets holding less.";
	common_mem_evidence(f, p, c->r);
	if (mem.ok)
		ev_u(f, "UdpMemErrors", mem.v);
	if (c->r->sk.present)
		ev_u(f, "socket_drops", c->r->sk.agg->sum[DP_UDP].mem[DM_DROPS]);
	rules_propose_mem(c, f, SC_UDP_MEM, p);
}

/* A count at warn_pct or more of its limit: the count and the percentage,
 * else NULL. */
static const struct count_report *count_over(const struct rule_ctx *c, const char *key,
					     double warn_pct, double *pct)
{
	const struct count_report *n = rules_count_find(c->r, key);

	if (!n || !n->value.ok || !n->limit.ok || !n->limit.v)
		return NULL;
	*pct = 100.0 * (double)n->value.v / (double)n->limit.v;
	return *pct < warn_pct ? NULL : n;
}

void rule_orphans(struct rule_ctx *c)
{
	const struct count_report *n;
	struct finding *f;
	double pct;
	uint64_t v[1], room;

	if (!(n = count_over(c, "tcp_orphan", rules_thr.orphans_warn_pct, &pct)))
		return;
	f = rules_emit(c, pct >= rules_thr.orphans_crit_pct ? SEV_CRIT : SEV_WARN,
		       "%llu orphaned TCP sockets: %.1f%% of tcp_max_orphans",
		       (unsigned long long)n->value.v, pct);
	f->mechanism = "Orphans (closed by the application, not yet by the peer) beyond "
		       "tcp_max_orphans are reset; the kernel penalises slow ones 2x or 4x, so "
		       "trouble starts at a quarter of the limit ('too many orphaned sockets').";
	ev_u(f, "orphans", n->value.v);
	ev_u(f, "tcp_max_orphans", n->limit.v);
	/* twice the limit, but only as many more orphans as TCP's headroom to
	 * the pressure threshold holds at ~64 KiB each */
	room = fix_orphans_room(c->in);
	ev_u(f, "more_orphans_fit_at_64k", room);
	snprintf(f->application, sizeof(f->application),
		 "Find why peers do not finish closing (FIN-WAIT/LAST-ACK sockets in 'sockmem top --by state')%s",
		 room ? "" : "; tcp_mem has no room for more orphans at up to 64 KiB each, so a larger "
		 "tcp_max_orphans is not proposed");
	if (room) {
		v[0] = n->limit.v + (room < n->limit.v ? room : n->limit.v);
		rules_fix(c, f, SC_TCP_MAX_ORPHANS, v);
	}
}

void rule_timewait(struct rule_ctx *c)
{
	const struct count_report *n;
	struct finding *f;
	double pct;

	if (!(n = count_over(c, "tcp_tw", rules_thr.tw_warn_pct, &pct)))
		return;
	f = rules_emit(c, pct >= rules_thr.tw_crit_pct ? SEV_CRIT : SEV_WARN,
		       "%llu TIME_WAIT sockets: %.1f%% of tcp_max_tw_buckets",
		       (unsigned long long)n->value.v, pct);
	f->mechanism = "Beyond tcp_max_tw_buckets connections close without TIME_WAIT "
		       "(TCPTimeWaitOverflow); TIME_WAIT sockets hold no buffer memory.";
	ev_u(f, "time_wait", n->value.v);
	ev_u(f, "tcp_max_tw_buckets", n->limit.v);
}

void rule_limits_hidden(struct rule_ctx *c)
{
	struct finding *f;

	if (!c->h->netns_child)
		return;
	f = rules_emit(c, SEV_INFO, "tcp_mem and udp_mem are not visible from this network namespace (a "
		       "container): the state against them is judged on the host");
	f->mechanism = "tcp_mem, udp_mem, tcp_max_orphans and mem_pcpu_rsv exist only in the "
		       "initial network namespace; usage and the pressure flag are global and "
		       "visible everywhere.";
	ev_s(f, "kernel_press_flag", protocols_press_name(rules_proto(c->r, "tcp")->press));
}
