/* rules_config.c - rules on the shape of the configuration: tcp_mem/udp_mem
 * out of order, written in bytes, above RAM or far from the kernel's
 * default; rmem_max/wmem_max against tcp_rmem/tcp_wmem; bypass_prot_mem.
 * The first six are run again on every proposed value (fix_verify), on the
 * sysctls in c->sc, never on h->sysctl directly. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "rules_int.h"

/* The four tcp_mem/udp_mem rules emit one finding per sysctl that has the
 * problem, each with its own fix. */
static const enum sysctl_id mem_ids[] = { SC_TCP_MEM, SC_UDP_MEM };

static struct finding *emit_mem(struct rule_ctx *c, enum sysctl_id id, enum sev sev,
				const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static struct finding *emit_mem(struct rule_ctx *c, enum sysctl_id id, enum sev sev,
				const char *fmt, ...)
{
	struct finding *f;
	va_list ap;

	va_start(ap, fmt);
	f = rules_vemit(c, sev, fmt, ap);
	va_end(ap);
	f->subject = host_sysctl[id].name;
	return f;
}

void rule_not_ascending(struct rule_ctx *c)
{
	size_t k;

	for (k = 0; k < ARRAY_SIZE(mem_ids); k++) {
		const struct sysctl_val *v = &c->sc[mem_ids[k]];
		struct finding *f;
		uint64_t d[3];

		if (v->rc || (v->v[0] <= v->v[1] && v->v[1] <= v->v[2]))
			continue;
		f = emit_mem(c, mem_ids[k], SEV_CRIT, "%s is not ascending (%llu %llu %llu): min <= pressure <= max is "
			       "expected", host_sysctl[mem_ids[k]].name, (unsigned long long)v->v[0],
			       (unsigned long long)v->v[1], (unsigned long long)v->v[2]);
		f->mechanism = "__sk_mem_raise_allocated compares usage with min, then pressure, then "
			       "max; out of order, pressure can never be left or max comes before "
			       "pressure.";
		ev_u(f, "min_pages", v->v[0]);
		ev_u(f, "pressure_pages", v->v[1]);
		ev_u(f, "max_pages", v->v[2]);
		if (rules_default_mem(c->h, mem_ids[k], d))
			rules_fix(c, f, mem_ids[k], d);
	}
}

static bool looks_like_bytes(const struct rule_ctx *c, const uint64_t *v)
{
	static const uint64_t rmem_like[] = { 16384, 65536, 87380, 131072 };
	uint64_t ps = c->h->page_size_bytes, rp = rules_ram_pages(c->h);
	size_t i;
	int k;

	/* the same vector as tcp_rmem or tcp_wmem */
	for (k = SC_TCP_RMEM; k <= SC_TCP_WMEM; k++)
		if (!c->sc[k].rc && !memcmp(c->sc[k].v, v, 3 * sizeof(*v)))
			return true;
	/* the shape of a buffer vector: a page, a default buffer, megabytes */
	if (v[0] == 4096 || v[0] == ps)
		for (i = 0; i < ARRAY_SIZE(rmem_like); i++)
			if (v[1] == rmem_like[i] && v[2] % 1024 == 0 && v[2] >= (1u << 20))
				return true;
	/* as pages it exceeds RAM many times over, while as bytes it is below */
	return rp && v[2] > 2 * rp && v[2] / ps <= rp && v[0] % 1024 == 0;
}

void rule_bytes_in_pages(struct rule_ctx *c)
{
	size_t k;

	for (k = 0; k < ARRAY_SIZE(mem_ids); k++) {
		const struct sysctl_val *v = &c->sc[mem_ids[k]];
		struct finding *f;
		uint64_t d[3];
		int i;

		if (v->rc || !looks_like_bytes(c, v->v))
			continue;
		f = emit_mem(c, mem_ids[k], SEV_CRIT, "%s looks like bytes written into a sysctl counted in %llu-byte pages",
			       host_sysctl[mem_ids[k]].name, (unsigned long long)c->h->page_size_bytes);
		f->mechanism = "tcp_mem and udp_mem count pages; tcp_rmem and tcp_wmem count bytes. "
			       "Bytes written here make the limits page-size times too large: the "
			       "kernel never limits socket memory before RAM runs out.";
		for (i = 0; i < 3; i++)
			d[i] = v->v[i] / c->h->page_size_bytes;
		ev_u(f, "max_pages", v->v[2]);
		ev_u(f, "max_as_bytes_if_pages", v->v[2] * c->h->page_size_bytes);
		ev_u(f, "mem_total_bytes", c->h->mem_total_bytes.v);
		/* converted to pages it is tiny: the kernel default is the better
		 * start (rules_default_mem overwrites d, or leaves it when RAM is
		 * not known) */
		if (d[0] < 128)
			(void)rules_default_mem(c->h, mem_ids[k], d);
		rules_fix(c, f, mem_ids[k], d);
	}
}

void rule_above_ram(struct rule_ctx *c)
{
	uint64_t rp = rules_ram_pages(c->h);
	size_t k;

	for (k = 0; k < ARRAY_SIZE(mem_ids); k++) {
		const struct sysctl_val *v = &c->sc[mem_ids[k]];
		struct finding *f;
		uint64_t d[3];
		char g[32];

		if (v->rc || !rp || v->v[2] * 2 <= rp || looks_like_bytes(c, v->v))
			continue;
		util_group_digits(g, sizeof(g), v->v[2]);
		f = emit_mem(c, mem_ids[k], v->v[2] > rp ? SEV_CRIT : SEV_WARN, "%s max (%s pages) is %.0f%% of RAM",
			       host_sysctl[mem_ids[k]].name, g, 100.0 * (double)v->v[2] / (double)rp);
		f->mechanism = "Socket memory is unswappable kernel memory; a limit above what RAM "
			       "can give lets sockets drive the machine into OOM before the kernel "
			       "throttles them (the kernel default is about 9% of RAM).";
		ev_u(f, "max_pages", v->v[2]);
		ev_u(f, "ram_pages", rp);
		if (rules_default_mem(c->h, mem_ids[k], d))
			rules_fix(c, f, mem_ids[k], d);
	}
}

void rule_vs_default(struct rule_ctx *c)
{
	size_t k;

	for (k = 0; k < ARRAY_SIZE(mem_ids); k++) {
		const struct sysctl_val *v = &c->sc[mem_ids[k]];
		struct finding *f;
		uint64_t d[3];
		double ratio;
		char g[32];

		if (v->rc || !rules_default_mem(c->h, mem_ids[k], d) || !d[1] ||
		    looks_like_bytes(c, v->v) || v->v[2] * 2 > rules_ram_pages(c->h))
			continue;
		ratio = (double)v->v[1] / (double)d[1];
		if (ratio >= 0.5 && ratio <= 2.0)
			continue;
		util_group_digits(g, sizeof(g), d[1]);
		f = emit_mem(c, mem_ids[k], ratio < 0.25 || ratio > 4.0 ? SEV_WARN : SEV_INFO,
			       "%s pressure threshold is %.2f times the kernel's default for this RAM "
			       "(%s pages)", host_sysctl[mem_ids[k]].name, ratio, g);
		f->mechanism = "At boot the kernel sets limit = max(nr_free_buffer_pages / 16 (TCP) or "
			       "/ 8 (UDP), 128) and min/pressure/max = 3/4, 1, 3/2 of it.";
		ev_u(f, "pressure_pages", v->v[1]);
		ev_u(f, "default_pressure_pages", d[1]);
		ev_d(f, "ratio", ratio);
		if (ratio < 1.0)
			rules_fix(c, f, mem_ids[k], d);
	}
}

/* The kernel's defaults (kernel-model.md section 8): rmem_max/wmem_max
 * are SK_{R,W}MEM_MAX = 212992 on 64-bit builds before 6.18 and 4 MiB
 * since; tcp_rmem[2] = max(131072, min(X, free buffer pages << (PAGE_SHIFT
 * - 7))) with X = 6 MiB, 32 MiB since 6.16; tcp_wmem[2] = max(64 KiB,
 * min(4 MiB, the same)).  MemTotal stands in for the free buffer pages. */
static bool stock_core_max(uint64_t v)
{
	return v == 212992 || v == 4194304;
}

static bool stock_tcp_max(const struct rule_ctx *c, enum sysctl_id tcp, uint64_t v)
{
	uint64_t ram = c->h->mem_total_bytes.ok ? c->h->mem_total_bytes.v : 0;
	uint64_t lim = ram ? ram >> 7 : UINT64_MAX;
	static const uint64_t rmax[] = { 6u << 20, 32u << 20 };
	size_t i;

	if (tcp == SC_TCP_WMEM)
		return v == ((4u << 20) < lim ? (4u << 20) : lim > 65536 ? lim : 65536);
	for (i = 0; i < ARRAY_SIZE(rmax); i++)
		if (v == (rmax[i] < lim ? rmax[i] : lim > 131072 ? lim : 131072))
			return true;
	return false;
}

/* net.core.{r,w}mem_max below tcp_{r,w}mem[2]: SO_RCVBUF/SO_SNDBUF capped
 * below what autotuning reaches.  On the kernel's defaults the gap is by
 * design (first-user 12): no finding. */
static void core_max_below(struct rule_ctx *c, enum sysctl_id core, enum sysctl_id tcp,
			   const char *opt, const char *core_short, const char *mechanism)
{
	const struct sysctl_val *cv = &c->sc[core], *tv = &c->sc[tcp];
	struct finding *f;
	uint64_t v[1];

	if (cv->rc || tv->rc || cv->v[0] >= tv->v[2])
		return;
	if (stock_core_max(cv->v[0]) && stock_tcp_max(c, tcp, tv->v[2]))
		return;
	f = rules_emit(c, SEV_INFO, "%s (%llu) is below %s max (%llu), which is not the kernel's "
		       "default: applications that set %s get at most 2 x %s, less than autotuned "
		       "sockets reach", host_sysctl[core].name, (unsigned long long)cv->v[0],
		       host_sysctl[tcp].name, (unsigned long long)tv->v[2], opt, core_short);
	f->mechanism = mechanism;
	ev_u(f, host_sysctl[core].key, cv->v[0]);
	ev_u(f, tcp == SC_TCP_RMEM ? "tcp_rmem_max_bytes" : "tcp_wmem_max_bytes", tv->v[2]);
	v[0] = tv->v[2];
	rules_fix(c, f, core, v);
}

void rule_rmem_max(struct rule_ctx *c)
{
	core_max_below(c, SC_RMEM_MAX, SC_TCP_RMEM, "SO_RCVBUF", "rmem_max",
		       "tcp_rmem[2] bounds receive buffer autotuning; rmem_max bounds "
		       "setsockopt(SO_RCVBUF), which also locks the buffer and turns autotuning off "
		       "for that socket. A larger rmem_max does not give autotuning back: it lets "
		       "any application lock up to 2 x rmem_max per socket.");
}

void rule_wmem_max(struct rule_ctx *c)
{
	core_max_below(c, SC_WMEM_MAX, SC_TCP_WMEM, "SO_SNDBUF", "wmem_max",
		       "tcp_wmem[2] bounds send buffer autotuning; wmem_max bounds "
		       "setsockopt(SO_SNDBUF), which also locks the buffer and stops it growing or "
		       "being moderated. A larger wmem_max lets any application lock up to "
		       "2 x wmem_max per socket.");
}

void rule_bypass(struct rule_ctx *c)
{
	const struct sysctl_val *v = &c->sc[SC_BYPASS_PROT_MEM];
	struct finding *f;

	if (v->rc || !v->v[0])
		return;
	/* kernel-audit 10 (6.19 sk_alloc): the flag is set whenever the
	 * sysctl is on, memcg or not */
	f = rules_emit(c, SEV_WARN, "net.core.bypass_prot_mem=1: new sockets in this namespace are not "
		       "counted against tcp_mem/udp_mem, and those outside a limited memory cgroup "
		       "have no limit at all");
	f->mechanism = "Linux 6.19: sk_alloc() marks every socket created while it is set, in a "
		       "memory cgroup or not; such sockets skip the protocol counters (sockstat mem "
		       "undercounts them) and are limited only by their memory cgroup. A socket with "
		       "none (the root cgroup, cgroup v1 without kmem.tcp, kernel sockets) is limited "
		       "by nothing; tcp_out_of_memory() still resets them when TCP usage is above "
		       "tcp_mem[2].";
	ev_u(f, "bypass_prot_mem", v->v[0]);
}
