/* report_sim.c - the report of "sockmem simulate": the host with the
 * proposed sysctls applied, the simulator's input from it, and every
 * transition in the order the workload meets it, with its description and
 * byte figures computed once for the text and JSON renderers.  Pure. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

static void report_sim_describe(struct report_sim_step *st, enum diag_proto proto,
				enum model_dir dir, uint64_t unit_bytes)
{
	const struct simulate_transition *t = &st->t;
	char a[32];

	switch (t->event) {
	case SIM_ABOVE_MIN:
		snprintf(st->description, sizeof(st->description), "%s",
			 proto == DP_TCP ? "TCP usage above min (tcp_mem[0]): send buffers no longer "
					   "grow, pressure is left only below it"
			 : "UDP usage above min (udp_mem[0]): limited, sockets holding udp_rmem_min "
			   "or more stop growing and drop");
		break;
	case SIM_ENTER_PRESSURE:
		snprintf(st->description, sizeof(st->description), "TCP enters memory pressure "
			 "(TCPMemoryPressures +1; windows shrink to 4 MSS, send buffers are moderated)");
		break;
	case SIM_CAPPED:
		util_human_bytes(a, sizeof(a), util_mul_sat(t->capped_pages, unit_bytes, NULL));
		snprintf(st->description, sizeof(st->description),
			 "new sockets can hold only %llu page%s (%s) each: %s",
			 (unsigned long long)t->capped_pages, t->capped_pages == 1 ? "" : "s", a,
			 proto == DP_UDP ? "datagrams are dropped (RcvbufErrors/MemErrors, socket drops)"
			 : dir == CHARGE_RECV ? "receive queues start dropping (PruneCalled, TCPRcvQDrop)"
			 : "senders block or get EAGAIN; send buffers shrink");
		break;
	case SIM_OVER_MAX:
		snprintf(st->description, sizeof(st->description), "usage goes over max: every charge "
			 "that is not forced fails; close() resets connections with unsent data "
			 "(TCPAbortOnMemory)");
		break;
	case SIM_OVER_RAM:
		snprintf(st->description, sizeof(st->description),
			 "usage exceeds MemTotal: the machine cannot provide it");
		break;
	}
}

/* Already true first, then at the next charge, then by the socket count. */
static int report_sim_step_cmp(const void *a, const void *b)
{
	const struct report_sim_step *x = a, *y = b;

	if (x->when != y->when)
		return (int)x->when - (int)y->when;
	if (x->t.at_added_sockets != y->t.at_added_sockets)
		return x->t.at_added_sockets < y->t.at_added_sockets ? -1 : 1;
	return (int)x->t.event - (int)y->t.event;
}

int report_sim_build(struct report_sim *s, struct report *r, struct host *h,
		     const struct report_sim_set *sets, int nset, enum diag_proto proto,
		     enum model_dir dir, uint64_t add_sockets, uint64_t bytes_per_socket)
{
	struct simulate_in *in = &s->in;
	const struct proto_report *pr;
	uint64_t unit;
	int i, j;

	memset(s, 0, sizeof(*s));
	s->r = r;
	s->proto = proto;
	s->from_snapshot = h->root[0] != '\0';
	for (i = 0; i < nset && i < REPORT_SIM_MAX_SETS; i++) {
		struct sysctl_val *v = &h->sysctl[sets[i].id];

		s->set[i] = sets[i];
		s->set[i].from_ok = v->rc == 0;
		for (j = 0; j < 3; j++)
			s->set[i].from[j] = v->rc ? 0 : v->v[j];
		memcpy(v->v, sets[i].to, sizeof(v->v));
		v->rc = 0;
	}
	s->nset = i;
	report_build(r, h);
	s->partial = r->partial;
	s->pr = pr = &r->proto[proto];
	if (!pr->usage_pages.ok || !pr->limits_ok) {
		if (!pr->usage_pages.ok)
			snprintf(s->unknown_why, sizeof(s->unknown_why), "usage is not known");
		else
			snprintf(s->unknown_why, sizeof(s->unknown_why), "limits are not known: %s",
				 pr->limits_why ? pr->limits_why : "see above");
		return -ENODATA;
	}
	in->kind = pr->def->kind;
	in->dir = proto == DP_UDP ? CHARGE_RECV : dir;
	in->usage_pages = pr->usage_pages.v;
	memcpy(in->limit_pages, pr->limit_pages, sizeof(in->limit_pages));
	in->press = pr->press == PRESS_UNKNOWN && pr->m.state == MS_PRESSURE ? PRESS_YES : pr->press;
	in->band_pages = r->band_pages.ok ? r->band_pages.v : 0;
	in->sockets_now = pr->sockets_alloc.ok ? pr->sockets_alloc.v : 0;
	in->add_sockets = add_sockets;
	in->page_size_bytes = h->page_size_bytes;
	in->mem_total_bytes = h->mem_total_bytes;
	if (h->kver.ok) {
		in->kver_major = h->kver.major;
		in->kver_minor = h->kver.minor;
	}
	/* TCP receive: a GRO/TSO skb; send: one page-frag refill (32 KiB,
	 * SKB_FRAG_PAGE_ORDER); UDP: a 1000-byte datagram (truesize 2304,
	 * kernel-model.md 11.2) */
	in->skb_bytes = proto == DP_UDP ? 2304 : in->dir == CHARGE_RECV ? SIMULATE_SKB_BYTES : 32768;
	if (proto == DP_TCP) {
		enum sysctl_id b = in->dir == CHARGE_RECV ? SC_TCP_RMEM : SC_TCP_WMEM;

		in->guarantee_bytes = h->sysctl[b].rc == 0 ? h->sysctl[b].v[0] : h->page_size_bytes;
		in->bytes_per_socket = bytes_per_socket ? bytes_per_socket
				       : h->sysctl[b].rc == 0 ? h->sysctl[b].v[1] : 131072;
	} else {
		in->guarantee_bytes = h->sysctl[SC_UDP_RMEM_MIN].rc == 0
				      ? h->sysctl[SC_UDP_RMEM_MIN].v[0] : h->page_size_bytes;
		in->bytes_per_socket = bytes_per_socket ? bytes_per_socket
				       : h->sysctl[SC_RMEM_DEFAULT].rc == 0
				       ? h->sysctl[SC_RMEM_DEFAULT].v[0] : 212992;
	}
	simulate_run(in, &s->out);
	unit = s->out.unit_bytes ? s->out.unit_bytes : h->page_size_bytes;
	s->usage_bytes_now = util_mul_sat(in->usage_pages, unit, NULL);
	s->final_usage_bytes = util_mul_sat(s->out.final_usage_pages, unit, NULL);
	for (i = 0; i < s->out.n; i++) {
		struct report_sim_step *st = &s->step[i];

		st->t = s->out.t[i];
		st->when = st->t.at_added_sockets ? SIM_WHEN_AT_SOCKETS
			   : st->t.event == SIM_ENTER_PRESSURE ? SIM_WHEN_NEXT_CHARGE
			   : SIM_WHEN_ALREADY;
		st->ranged = st->t.at_added_low != st->t.at_added_high;
		st->at_usage_bytes = util_mul_sat(st->t.at_usage_pages, unit, NULL);
		report_sim_describe(st, proto, in->dir, unit);
	}
	s->nstep = s->out.n;
	qsort(s->step, (size_t)s->nstep, sizeof(s->step[0]), report_sim_step_cmp);
	s->forced_skb_carries = s->out.final_state == MS_OVER_LIMIT && add_sockets &&
				!s->out.sockets_capped;
	return 0;
}
