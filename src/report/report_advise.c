/* report_advise.c - the report of "sockmem advise" (report_advise.h). */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "report_advise.h"

static uint64_t report_advise_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

static bool report_advise_udp(const struct memtrace_event *e)
{
	return (e->flags & MEMTRACE_F_SOCK) &&
	       (e->protocol == IPPROTO_UDP || e->protocol == IPPROTO_UDPLITE);
}

void report_advise_trace(struct advise_in *in, const struct report_trace *t,
			 const struct trace_window *w)
{
	struct advise_trace *a = &in->trace;
	const int ev_rcvbuf = MEMTRACE_EV_DROP0 + MEMTRACE_R_SOCKET_RCVBUFF;
	const int ev_protomem = MEMTRACE_EV_DROP0 + MEMTRACE_R_PROTO_MEM;
	bool limit_seen = false, above_min = false;
	size_t i;

	memset(a, 0, sizeof(*a));
	a->ran = true;
	a->bpf = t->bpf;
	a->level = trace_level_name[t->level];
	a->why = t->level_why;
	a->window_s = t->window_s;
	if (!t->bpf)
		return;
	for (i = 0; i < w->nentries; i++) {
		const struct tracer_entry *en = &w->entries[i];
		const struct memtrace_event *e = &en->val.first;
		int ev = (int)en->key.event;
		bool limit = ev == MEMTRACE_EV_REFUSE_RECV || ev == MEMTRACE_EV_REFUSE_SEND ||
			     ev == ev_protomem;

		if (!report_advise_udp(e) || (!limit && ev != ev_rcvbuf))
			continue;
		a->udp_events = report_advise_add(a->udp_events, en->val.count);
		if (!limit)
			continue;
		a->udp_limit_events = report_advise_add(a->udp_limit_events, en->val.count);
		if (!(e->flags & MEMTRACE_F_LIMITS) || e->allocated_pages < 0)
			continue;
		limit_seen = true;
		if (e->allocated_pages > e->sysctl_mem_pages[0])
			above_min = true;
		if (!a->peak_ok || (uint64_t)e->allocated_pages > a->peak_usage_pages) {
			a->peak_ok = true;
			a->peak_usage_pages = (uint64_t)e->allocated_pages;
			for (int k = 0; k < 3; k++)
				a->udp_mem_pages[k] = e->sysctl_mem_pages[k] > 0
						      ? (uint64_t)e->sysctl_mem_pages[k] : 0;
		}
	}
	/* below udp_mem[0] the protocol admits everything: the memory cgroup refused */
	a->memcg_only = limit_seen && !above_min;
	a->udp_sockets = t->groups[TRACE_BY_SOCKET];
	a->udp_cgroups = t->groups[TRACE_BY_CGROUP];
	if (t->ntop[TRACE_BY_CGROUP]) {
		const struct trace_row *r = &t->top[TRACE_BY_CGROUP][0];

		a->top_cgroup_share_pct = r->share_pct;
		if (r->line.names && r->line.names->cgroup_found)
			snprintf(a->top_cgroup, sizeof(a->top_cgroup), "%s", r->line.names->cgroup);
	}
	if (t->ntop[TRACE_BY_SOCKET]) {
		const struct trace_row *r = &t->top[TRACE_BY_SOCKET][0];
		const struct memtrace_event *e = &r->first;
		const struct trace_names *nm = r->line.names;
		struct advise_trace_socket *s = &a->top;

		snprintf(s->local, sizeof(s->local), "%s", r->line.local);
		s->port = e->sport;
		s->events = r->events;
		s->share_pct = a->udp_events ? 100.0 * (double)r->events / (double)a->udp_events : 0;
		if (s->share_pct > 100.0)
			s->share_pct = 100.0;
		s->rcvbuf_drops = r->by_event[ev_rcvbuf];
		s->rmem_alloc_bytes = e->rmem_alloc;
		s->rcvbuf_bytes = e->rcvbuf;
		/* SOCKET_RCVBUFF is the kernel saying so; or the figures at its first event */
		s->buffer_full = s->rcvbuf_drops * 2 >= s->events ||
				 (int64_t)e->rmem_alloc + (int64_t)e->skb_truesize > (int64_t)e->rcvbuf;
		if (nm && nm->pid_found) {
			s->pid_found = true;
			s->pid = nm->pid;
			snprintf(s->comm, sizeof(s->comm), "%s", nm->comm);
		}
		if (nm && nm->cgroup_found) {
			s->cgroup_found = true;
			snprintf(s->cgroup, sizeof(s->cgroup), "%s", nm->cgroup);
		}
		if (r->line.pod.found) {
			s->pod_found = true;
			snprintf(s->pod_uid, sizeof(s->pod_uid), "%s", r->line.pod.uid);
			snprintf(s->container, sizeof(s->container), "%s", r->line.pod.container);
		}
	}
}

void report_advise_slow(struct advise_in *in, const struct report_top *t)
{
	int k;

	in->nslow = 0;
	for (k = 0; k < t->n && in->nslow < (int)ARRAY_SIZE(in->slow); k++) {
		const struct top_row *w = &t->row[k];
		struct advise_slow *s;

		if (!w->e.slow_readers)
			continue;
		s = &in->slow[in->nslow++];
		if (t->by == BY_PROCESS)
			snprintf(s->who, sizeof(s->who), "pid %llu (%s)", (unsigned long long)w->key.id,
				 w->comm);
		else
			snprintf(s->who, sizeof(s->who), "%s port %u", diag_proto_name(w->key.proto),
				 w->key.port);
		s->sockets = w->e.count;
		s->slow = w->e.slow_readers;
		s->drops = w->e.mem[DM_DROPS];
		s->charged_bytes = w->e.charged_bytes;
	}
}

void report_advise_rates(struct advise_in *in, const struct report *first,
			 const struct report *last, double seconds)
{
	struct report_rates rt;
	int i;

	report_rates(&rt, first, last, seconds);
	in->rates.ok = true;
	in->rates.seconds = seconds;
	for (i = 0; i < first->nproto; i++)
		if (!strcmp(first->proto[i].def->key, "tcp"))
			in->rates.tcp_usage_first_pages = first->proto[i].usage_pages;
	for (i = 0; i < last->ncounter && i < (int)ARRAY_SIZE(in->rates.per_s); i++)
		in->rates.per_s[i] = rt.known[i] ? rt.per_s[i] : 0;
}

/* The fix j of finding i proposed by a more urgent finding before it
 * (findings are sorted): the earlier one, or NULL. */
static const struct sysctl_change *report_advise_earlier(const struct finding *f, int i, int j)
{
	int k, l;

	for (k = 0; k <= i; k++)
		for (l = 0; f[k].sev != SEV_INFO && l < (k == i ? j : f[k].nfix); l++)
			if (f[k].fix[l].id == f[i].fix[j].id)
				return &f[k].fix[l];
	return NULL;
}

void report_advise_build(struct report_advise *a, const struct advise_in *in, struct finding *f,
			 bool partial, int fail_on)
{
	int i, j;

	memset(a, 0, sizeof(*a));
	a->h = in->h;
	a->r = in->r;
	a->f = f;
	a->partial = partial;
	a->trace = in->trace.ran ? &in->trace : NULL;
	a->n = rules_run(in, f, RULES_MAX_FINDINGS);
	for (i = 0; i < a->n; i++) {
		a->count[f[i].sev]++;
		if (fail_on >= 0 && (int)f[i].sev >= fail_on)
			a->check_failed = true;
		for (j = 0; j < f[i].nfix; j++) {
			const struct sysctl_change *e;

			if (f[i].sev == SEV_INFO) {
				/* information, not a change to make on every host */
				a->line[i][j] = ADVISE_LINE_INFO;
				a->sysctl_info_skipped++;
			} else if (in->h->netns_child && host_sysctl[f[i].fix[j].id].scope == SCOPE_HOST) {
				/* a file for this namespace must not set what only
				 * the initial one can (first-user 29) */
				a->line[i][j] = ADVISE_LINE_HOST_ONLY;
				a->sysctl_host_only++;
			} else if ((e = report_advise_earlier(f, i, j))) {
				/* one line per sysctl: the most urgent finding's */
				a->line[i][j] = memcmp(e->v, f[i].fix[j].v, sizeof(e->v))
						? ADVISE_LINE_OTHER_ABOVE : ADVISE_LINE_SET_ABOVE;
			} else {
				a->line[i][j] = ADVISE_LINE_SET;
				a->sysctl_lines++;
			}
		}
	}
}
