/* rules_trace.c - the events of "advise --trace" as evidence (issue 17):
 * when one socket with a full receive buffer holds 95 % of a window's UDP
 * refusals and memory drops, the answer is that application's SO_RCVBUF
 * (named by pod, cgroup, process and port), not a larger udp_mem for
 * everyone; when the refusals by udp_mem spread across cgroups, the answer
 * is the host's limit, proposed from the highest usage the events saw. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "rules_int.h"

/* The socket's names into its finding, and "pid 123 (app), pod U" into who. */
static void trace_socket_evidence(struct finding *f, const struct advise_trace_socket *s, char *who,
				  size_t whosz)
{
	size_t n = 0;

	ev_s(f, "socket_local", s->local);
	ev_u(f, "socket_port", s->port);
	ev_u(f, "socket_events", s->events);
	ev_d(f, "socket_share_percent", s->share_pct);
	ev_u(f, "socket_rcvbuf_drops", s->rcvbuf_drops);
	ev_i(f, "socket_rmem_alloc_bytes", s->rmem_alloc_bytes);
	ev_i(f, "socket_rcvbuf_bytes", s->rcvbuf_bytes);
	if (s->pid_found) {
		ev_u(f, "pid", s->pid);
		ev_s(f, "process", s->comm);
		n += (size_t)snprintf(who + n, whosz - n, "pid %u (%s)", s->pid, s->comm);
	} else {
		n += (size_t)snprintf(who + n, whosz - n, "an unknown process");
	}
	if (n >= whosz)
		n = whosz - 1;
	if (s->pod_found) {
		ev_s(f, "pod_uid", s->pod_uid);
		n += (size_t)snprintf(who + n, whosz - n, ", pod %s", s->pod_uid);
	} else if (s->cgroup_found) {
		n += (size_t)snprintf(who + n, whosz - n, ", cgroup %s", s->cgroup);
	}
	if (s->cgroup_found)
		ev_s(f, "cgroup", s->cgroup);
}

void rule_trace_udp_socket(struct rule_ctx *c)
{
	const struct advise_trace *t = &c->in->trace;
	const struct advise_trace_socket *s = &t->top;
	const struct sysctl_val *rmax = &c->sc[SC_RMEM_MAX];
	char who[PATH_MAX + 200], cap[64];
	struct finding *f;

	if (!t->ran || !t->bpf || t->udp_events < rules_thr.trace_min_events ||
	    s->share_pct < rules_thr.trace_one_pct || !s->buffer_full)
		return;
	f = rules_emit(c, SEV_WARN, "%.1f%% of the UDP drops traced in %.1f s came from one socket, "
		       "%s, its receive buffer full", s->share_pct, t->window_s, s->local);
	f->mechanism = "A datagram that does not fit the socket's receive buffer (sk_rcvbuf, set by "
		       "SO_RCVBUF or net.core.rmem_default) is dropped with SOCKET_RCVBUFF, whatever "
		       "udp_mem allows: the reader is slower than its senders. A larger udp_mem would "
		       "change nothing for this socket, and let every other socket hold more.";
	trace_socket_evidence(f, s, who, sizeof(who));
	rules_summary_add(f, " (%s, port %u)", who, s->port);
	ev_u(f, "trace_udp_events", t->udp_events);
	ev_d(f, "trace_window_s", t->window_s);
	if (rmax->rc)
		snprintf(cap, sizeof(cap), "net.core.rmem_max");
	else
		snprintf(cap, sizeof(cap), "net.core.rmem_max = %llu bytes", (unsigned long long)rmax->v[0]);
	snprintf(f->application, sizeof(f->application),
		 "Give that socket a larger receive buffer: setsockopt(SO_RCVBUF) in %s on port %u "
		 "(the kernel doubles it, up to %s), or read faster; not udp_mem", who, s->port, cap);
}

void rule_trace_udp_global(struct rule_ctx *c)
{
	const struct advise_trace *t = &c->in->trace;
	const struct proto_report *p = rules_proto(c->r, "udp");
	struct proto_report peak;
	struct finding *f;

	if (!t->ran || !t->bpf || t->udp_limit_events < rules_thr.trace_min_events || t->memcg_only)
		return;
	/* one socket's, or one cgroup's: the application's, not everyone's */
	if (t->top.share_pct >= rules_thr.trace_one_pct || t->udp_cgroups < 2 ||
	    t->top_cgroup_share_pct >= rules_thr.trace_one_pct)
		return;
	f = rules_emit(c, SEV_CRIT, "UDP charges refused by udp_mem in the traced %.1f s across %llu "
		       "cgroups and %llu sockets (the largest cgroup %.1f%%): the host's limit",
		       t->window_s, (unsigned long long)t->udp_cgroups,
		       (unsigned long long)t->udp_sockets, t->top_cgroup_share_pct);
	f->mechanism = "Above udp_mem[0] UDP admits a datagram only while its socket holds less "
		       "than udp_rmem_min, above udp_mem[2] none: every socket of the host shares the "
		       "limit, so refusals spread over every workload point at udp_mem, not at one "
		       "application's buffer.";
	ev_u(f, "trace_limit_events", t->udp_limit_events);
	ev_u(f, "trace_udp_events", t->udp_events);
	ev_u(f, "trace_cgroups", t->udp_cgroups);
	ev_u(f, "trace_sockets", t->udp_sockets);
	ev_d(f, "trace_top_cgroup_share_percent", t->top_cgroup_share_pct);
	ev_s(f, "trace_top_cgroup", t->top_cgroup);
	ev_d(f, "trace_window_s", t->window_s);
	if (t->peak_ok) {
		ev_u(f, "trace_peak_usage_pages", t->peak_usage_pages);
		ev_u(f, "udp_mem_min_pages", t->udp_mem_pages[0]);
		ev_u(f, "udp_mem_max_pages", t->udp_mem_pages[2]);
	}
	/* the limits that cover the highest usage the events saw */
	peak = *p;
	if (t->peak_ok && (!peak.usage_pages.ok || peak.usage_pages.v < t->peak_usage_pages)) {
		peak.usage_pages.ok = true;
		peak.usage_pages.v = t->peak_usage_pages;
	}
	rules_propose_mem(c, f, SC_UDP_MEM, &peak);
}
