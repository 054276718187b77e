/* rules_cgroup.c - rules on memory cgroups, a second limit on socket memory
 * next to tcp_mem: cgroup v1 memory.kmem.tcp, cgroup v2 memory.max. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <stdio.h>

#include "rules_int.h"

void rule_kmem_tcp(struct rule_ctx *c)
{
	const struct advise_in *in = c->in;
	struct finding *f;

	if (!in->kmem_tcp_known || !in->kmem_tcp_limited_cgroups)
		return;
	f = rules_emit(c, SEV_WARN, "%llu cgroup v1 memory cgroup%s limit TCP memory with memory.kmem.tcp "
		       "(deprecated, inaccurate)", (unsigned long long)in->kmem_tcp_limited_cgroups,
		       in->kmem_tcp_limited_cgroups == 1 ? "" : "s");
	f->mechanism = "kmem.tcp only charges sockets created after the limit was written; forced "
		       "charges exceed it and failcnt may stay 0 on recent kernels; deprecated since "
		       "about 6.12. cgroup v2 charges socket memory to memory.current/memory.max.";
	ev_u(f, "limited_cgroups", in->kmem_tcp_limited_cgroups);
	ev_u(f, "kmem_tcp_usage_bytes", in->kmem_tcp_usage_bytes);
	snprintf(f->application, sizeof(f->application),
		 "Move to cgroup v2 (socket memory counts in memory.current, limited by memory.max)");
}

void rule_memcg(struct rule_ctx *c)
{
	const struct advise_memcg *m = c->in->memcg;
	struct finding *f;
	double pct;

	if (!c->in->nmemcg)
		return;
	pct = m->max_bytes ? 100.0 * (double)m->current_bytes / (double)m->max_bytes : 0;
	f = rules_emit(c, pct >= rules_thr.memcg_warn_pct || (m->sock_throttled.ok && m->sock_throttled.v)
		       ? SEV_WARN : SEV_INFO,
		       "cgroup %s is at %.1f%% of memory.max, and its sockets hold %.1f MiB: a "
		       "second limit on their memory, beside tcp_mem", m->path, pct,
		       (double)m->sock_bytes / 1048576.0);
	/* kernel-audit 5: since 5.15 gfp_memcg_charge() is GFP_ATOMIC in
	 * softirq and try_charge_memcg() forces such charges; 5.4/5.10 refused
	 * them (GFP_NOWAIT).  Unknown kernel: the current behaviour. */
	if (!c->h->kver.ok || sysinfo_kver_ge(&c->h->kver, 5, 15))
		f->mechanism = "In cgroup v2 socket memory is charged to memory.current and limited by "
			       "memory.max. Since 5.15 receive charges made in softirq are forced past "
			       "memory.max, not refused: the limit shows as reclaim, the memcg OOM killer "
			       "and vmpressure, which throttles the cgroup's sockets like global "
			       "pressure; only process-context charges (sendmsg, backlog) fail after "
			       "reclaim, like tcp_mem max (suppress_allocation). None of it shows in "
			       "sockstat or /proc/net/protocols (memory.events sock_throttled counts "
			       "the throttling, 6.19+).";
	else
		f->mechanism = "In cgroup v2 socket memory is charged to memory.current and limited by "
			       "memory.max; before 5.15 a charge that does not fit is refused and "
			       "handled like tcp_mem max (suppress_allocation), and reclaim pressure in "
			       "the cgroup (vmpressure) throttles its sockets like global pressure - "
			       "invisible in sockstat and /proc/net/protocols.";
	ev_s(f, "cgroup", m->path);
	ev_u(f, "memory_current_bytes", m->current_bytes);
	ev_u(f, "memory_max_bytes", m->max_bytes);
	ev_u(f, "sock_bytes", m->sock_bytes);
	ev_d(f, "percent_of_max", pct);
	if (m->sock_throttled.ok)
		ev_u(f, "sock_throttled", m->sock_throttled.v);
	/* a cgroup path is at most PATH_MAX: the room holds it whole */
	if (snprintf(f->application, sizeof(f->application),
		     "Raise memory.max of %s, or lower what its sockets hold (buffer sizes, "
		     "connections)", m->path) >= (int)sizeof(f->application))
		f->application[sizeof(f->application) - 1] = '\0';
}
