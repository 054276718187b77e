/* model.c - state classification, hysteresis and per-CPU uncertainty band.
 * Every branch cites the kernel code it reproduces (v6.18/v6.19 trees). */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <string.h>

#include "model.h"

const char *model_state_name(enum model_state s)
{
	switch (s) {
	case MS_NORMAL: return "normal";
	case MS_ELEVATED: return "elevated";
	case MS_PRESSURE: return "pressure";
	case MS_LIMITED: return "limited";
	case MS_OVER_LIMIT: return "over-limit";
	default: return "unknown";
	}
}

const char *model_basis_name(enum model_basis b)
{
	switch (b) {
	case MB_KERNEL: return "kernel-flag";
	case MB_USAGE: return "usage";
	case MB_INFERRED: return "inferred";
	default: return "none";
	}
}

static void model_classify_pressure(const struct model_in *in, struct model_out *out)
{
	uint64_t u = in->usage_pages.v;
	const uint64_t *lim = in->limit_pages;

	if (!in->limits_ok) {
		/* The flag alone still tells pressure (it is global, visible in any netns). */
		if (in->press == PRESS_YES) {
			out->state = MS_PRESSURE;
			out->basis = MB_KERNEL;
		} else {
			out->state = MS_UNKNOWN;
			out->basis = MB_NONE;
			out->note = "limits not visible: state cannot be placed against them";
		}
		return;
	}
	/* __sk_mem_raise_allocated: "Over hard limit" is allocated > limit[2]. */
	if (u > lim[2]) {
		out->state = MS_OVER_LIMIT;
		out->basis = MB_USAGE;
		out->note = "above max: non-forced charges fail, close() aborts sockets with unsent data";
		return;
	}
	switch (in->press) {
	case PRESS_YES:
		out->state = MS_PRESSURE;
		out->basis = MB_KERNEL;
		if (u <= lim[0])
			out->note = "flag still set at or below min: it clears at the next charge or free";
		else if (u <= lim[1])
			out->note = "hysteresis: pressure persists until usage falls below min";
		return;
	case PRESS_NO:
	case PRESS_NI:
		out->basis = MB_KERNEL;
		if (u <= lim[0]) {
			out->state = MS_NORMAL;
			out->basis = MB_USAGE;
		} else {
			out->state = MS_ELEVATED;
			if (u > lim[1])
				out->note = "above the pressure threshold with the flag clear: "
					    "the kernel sets it at the next charge";
		}
		return;
	default:
		/* No flag: /proc/net/protocols unreadable.  Infer without hysteresis. */
		out->basis = MB_INFERRED;
		if (u <= lim[0]) {
			out->state = MS_NORMAL;
		} else if (u > lim[1]) {
			out->state = MS_PRESSURE;
			out->note = "kernel flag not available: pressure inferred from usage";
		} else {
			out->state = MS_ELEVATED;
			out->note = "kernel flag not available: pressure from hysteresis cannot be seen";
		}
		return;
	}
}

static void model_classify_no_pressure(const struct model_in *in, struct model_out *out)
{
	uint64_t u = in->usage_pages.v;

	if (!in->limits_ok) {
		out->state = MS_UNKNOWN;
		out->basis = MB_NONE;
		out->note = "limits not visible: state cannot be placed against them";
		return;
	}
	out->basis = MB_USAGE;
	if (u > in->limit_pages[2]) {
		out->state = MS_OVER_LIMIT;
		out->note = "above max: every charge that is not a minimum guarantee fails";
	} else if (u > in->limit_pages[0]) {
		/* No memory_pressure: above limit[0] only sockets under the
		 * udp_rmem_min guarantee may grow (sock.c suppress_allocation). */
		out->state = MS_LIMITED;
		out->note = "above min: a socket holding udp_rmem_min or more can no longer grow";
	} else {
		out->state = MS_NORMAL;
	}
}

void model_classify(const struct model_in *in, struct model_out *out)
{
	int i;

	*out = (struct model_out){ 0 };
	if (!in->usage_pages.ok) {
		out->state = in->kind == MODEL_PRESSURE && in->press == PRESS_YES ? MS_PRESSURE
										   : MS_UNKNOWN;
		out->basis = out->state == MS_PRESSURE ? MB_KERNEL : MB_NONE;
		out->note = "usage not available";
		return;
	}
	if (in->kind == MODEL_PRESSURE)
		model_classify_pressure(in, out);
	else
		model_classify_no_pressure(in, out);
	if (!in->limits_ok)
		return;
	out->pct_ok = true;
	for (i = 0; i < 3; i++) {
		uint64_t l = in->limit_pages[i], u = in->usage_pages.v;
		uint64_t d = u > l ? u - l : l - u;

		out->pct[i] = l ? 100.0 * (double)u / (double)l : 0.0;
		if (!l)
			out->pct_ok = false;
		out->near[i] = in->band_pages.ok && d <= in->band_pages.v;
		out->headroom_pages[i] = u > l ? -(int64_t)(d > INT64_MAX ? INT64_MAX : d)
					       : (int64_t)(d > INT64_MAX ? INT64_MAX : d);
	}
}

struct model_reserve model_reserve(bool kver_known, bool kver_ge_6_0, struct opt rsv_sysctl,
				   uint64_t page_size_bytes)
{
	struct model_reserve r = { 0 };

	if (rsv_sysctl.ok) {
		/* v6.9+ (12a686c2e761), also 6.6.y/6.8.y stable */
		r.rsv_pages = rsv_sysctl.v;
		r.source = "net.core.mem_pcpu_rsv";
	} else if (kver_known && !kver_ge_6_0) {
		/* before 3cd3399dd7a8 (v6.0) memory_allocated was updated exactly */
		r.exact = true;
		r.source = "exact counter (kernel before 6.0)";
	} else {
		/* v6.0-v6.8 hard-coded SK_MEMORY_PCPU_RESERVE = 1 << (20 - PAGE_SHIFT);
		 * also the default (and minimum) of mem_pcpu_rsv when it is not visible. */
		r.rsv_pages = page_size_bytes ? (1u << 20) / page_size_bytes : 0;
		if (!r.rsv_pages)
			r.rsv_pages = 1;
		r.source = "SK_MEMORY_PCPU_RESERVE default (1 MiB per CPU)";
	}
	return r;
}

struct opt model_band_pages(const struct model_reserve *r, struct opt possible_cpus)
{
	struct opt none = { 0, false };

	if (r->exact)
		return opt_some(0);
	if (!possible_cpus.ok)
		return none;
	return opt_some(possible_cpus.v * (r->rsv_pages ? r->rsv_pages - 1 : 0));
}

void model_default_mem(uint64_t free_buffer_pages, unsigned div, uint64_t out[3])
{
	uint64_t limit = free_buffer_pages / div;

	if (limit < 128)
		limit = 128;
	out[0] = limit / 4 * 3;
	out[1] = limit;
	out[2] = out[0] * 2;
}

const char *model_branch_name(enum model_branch b)
{
	static const char *const n[] = {
		"bypass", "memcg-refused", "under-min", "over-max", "rmem0-guarantee",
		"wmem0-guarantee", "not-in-pressure", "fair-share", "no-pressure-protocol",
		"over-fair-share", "zero-allocated",
	};
	return (size_t)b < ARRAY_SIZE(n) ? n[b] : "?";
}

static uint64_t model_pages_up(uint64_t bytes, uint64_t page)
{
	return page ? (bytes + page - 1) / page : 0;
}

void model_charge(const struct model_charge_in *in, struct model_charge_out *out)
{
	bool v6_5 = in->kver_major > 6 || (in->kver_major == 6 && in->kver_minor >= 5) || !in->kver_major;
	bool v6_19 = in->kver_major > 6 || (in->kver_major == 6 && in->kver_minor >= 19) || !in->kver_major;
	bool bypass = in->bypass && v6_19;
	uint64_t allocated = bypass ? 0 : in->allocated_pages;
	const uint64_t *lim = in->limit_pages;
	/* sk_under_global_memory_pressure() since 6.5; before, memcg pressure too */
	bool pressure = in->global_pressure || (!v6_5 && in->memcg_pressure);

	*out = (struct model_charge_out){ 0 };
	if (in->memcg_enabled && !in->memcg_charge_ok) {
		out->branch = MBR_MEMCG_REFUSED;
		goto suppress;
	}
	if (!allocated && v6_19) {
		/* 6.19: "if (!allocated) return 1" - bypass sockets, or a global
		 * clamped to 0 by proto_memory_allocated().  Older kernels go on
		 * to the "under limit" branch with the same result. */
		out->branch = bypass ? MBR_BYPASS : MBR_ZERO_ALLOCATED;
		out->accepted = true;
		return;
	}
	if (allocated <= lim[0]) {
		out->branch = MBR_UNDER_MIN;
		out->accepted = true;
		out->leave_pressure = in->kind == MODEL_PRESSURE && in->global_pressure;
		return;
	}
	if (allocated > lim[1] && in->kind == MODEL_PRESSURE && !in->global_pressure)
		out->enter_pressure = true;	/* sk_enter_memory_pressure(); UDP: none */
	if (allocated > lim[2]) {
		out->branch = MBR_OVER_MAX;
		goto suppress;
	}
	if (in->dir == CHARGE_RECV) {
		if (in->rmem_alloc_bytes < in->rmem0_bytes) {
			out->branch = MBR_RMEM0;
			out->accepted = true;
			return;
		}
	} else if (in->stream ? in->wmem_queued_bytes < in->wmem0_bytes
			      : in->wmem_alloc_bytes < in->wmem0_bytes) {
		out->branch = MBR_WMEM0;
		out->accepted = true;
		return;
	}
	if (in->kind == MODEL_PRESSURE) {
		uint64_t pages;

		if (!(pressure || out->enter_pressure)) {
			out->branch = MBR_NOT_IN_PRESSURE;
			out->accepted = true;
			return;
		}
		/* fair share: limit[2] > sockets_allocated * the socket's pages */
		pages = model_pages_up(in->wmem_queued_bytes + in->rmem_alloc_bytes +
				       in->fwd_alloc_bytes, in->page_size_bytes);
		if (lim[2] > in->sockets_allocated * pages) {
			out->branch = MBR_FAIR_SHARE;
			out->accepted = true;
			return;
		}
		out->branch = MBR_OVER_FAIR_SHARE;
	} else {
		out->branch = MBR_NO_PRESSURE_PROTO;
	}
suppress:
	if (in->dir == CHARGE_SEND && in->stream) {
		out->sndbuf_moderated = true;
		/* "Fail only if socket is _under_ its sndbuf." */
		if (in->wmem_queued_bytes + in->size_bytes >= in->sndbuf_bytes) {
			out->kept_over_sndbuf = true;
			out->accepted = true;
		}
	}
}

bool model_free_leaves_pressure(uint64_t allocated_after_pages, uint64_t limit0_pages,
				bool global_pressure)
{
	return global_pressure && allocated_after_pages < limit0_pages;
}

const char *model_sim_event_name(enum sim_event e)
{
	switch (e) {
	case SIM_ABOVE_MIN: return "above-min";
	case SIM_ENTER_PRESSURE: return "enter-pressure";
	case SIM_CAPPED: return "new-sockets-capped";
	case SIM_OVER_MAX: return "over-max";
	case SIM_OVER_RAM: return "over-ram";
	}
	return "?";
}

/* Pages a new socket can hold, wanting p, with usage u before it, s sockets
 * allocated and the flag pressure.  *enters: one of its charges (the last,
 * possibly refused, attempt included) saw allocated > limit[1] (TCP). */
static uint64_t sim_socket_pages(const struct sim_in *in, uint64_t u, uint64_t s, bool pressure,
				 uint64_t p, bool *enters)
{
	const uint64_t *lim = in->limit_pages;
	uint64_t g = in->page_size_bytes ? (in->guarantee_bytes + in->page_size_bytes - 1) /
					   in->page_size_bytes : 1;
	uint64_t room_max = u < lim[2] ? lim[2] - u : 0;
	uint64_t a, b, ok;

	*enters = false;
	if (!g)
		g = 1;
	a = u < lim[0] ? lim[0] - u : 0;	/* "under limit": always */
	if (in->kind == MODEL_NO_PRESSURE) {
		/* above min only while rmem < udp_rmem_min: the skb that starts
		 * below it is admitted, about g + 1 pages (experiment 11.2) */
		b = a > g + 1 ? a : g + 1;
		if (b > room_max)
			b = room_max;
		return p < b ? p : b;
	}
	if (!pressure && u < lim[1] && lim[1] - u > a)
		a = lim[1] - u;			/* above min, flag clear: success */
	if (a >= p)
		return p;
	/* The next step goes above min with the flag set, or above limit[1]
	 * (which sets it): from there only the fair share is admitted. */
	b = s ? (lim[2] - 1) / s : lim[2];	/* sockets_allocated * pages < limit[2] */
	if (a > b)
		b = a;
	if (g > b)
		b = g;				/* tcp_rmem[0] / tcp_wmem[0] guarantee */
	if (b > room_max)
		b = room_max;			/* over max: suppressed */
	if (in->dir == CHARGE_RECV) {
		/* one skb is forced into an empty receive queue */
		uint64_t f = in->page_size_bytes ? (in->first_skb_bytes + in->page_size_bytes - 1) /
						   in->page_size_bytes : 1;

		if (!f)
			f = 1;
		if (f > b)
			b = f;
	}
	ok = b < p ? b : p;
	/* the last charge tried (admitted or not) compares u + ok (+1) with limit[1] */
	*enters = u + ok + (ok < p) > lim[1];
	return ok;
}

static void sim_add(struct sim_out *o, enum sim_event e, enum model_state st, uint64_t k,
		    uint64_t u, uint64_t capped)
{
	int i;

	for (i = 0; i < o->n; i++)
		if (o->t[i].event == e)
			return;
	if (o->n == SIM_MAX_TRANSITIONS)
		return;
	o->t[o->n].event = e;
	o->t[o->n].to_state = st;
	o->t[o->n].at_added_sockets = k;
	o->t[o->n].at_added_low = k;
	o->t[o->n].at_added_high = k;
	o->t[o->n].at_usage_pages = u;
	o->t[o->n].capped_pages = capped;
	o->n++;
}

static enum model_state sim_state(const struct sim_in *in, uint64_t u, bool pressure)
{
	struct model_in mi = { in->kind, { u, true }, true, { 0, 0, 0 },
			       in->kind == MODEL_PRESSURE ? (pressure ? PRESS_YES : PRESS_NO) : PRESS_NI,
			       { in->band_pages, true } };
	struct model_out mo;

	memcpy(mi.limit_pages, in->limit_pages, sizeof(mi.limit_pages));
	model_classify(&mi, &mo);
	return mo.state;
}

void model_simulate(const struct sim_in *in, struct sim_out *out)
{
	uint64_t u = in->usage_pages, k, n = in->add_sockets;
	uint64_t p, ram_pages = 0;
	const uint64_t *thr = in->limit_pages;
	bool pressure = in->press == PRESS_YES;
	/* per threshold: first k with u > thr - band, u > thr, u > thr + band */
	uint64_t cross[3][3] = { { 0 } };
	int i, j;

	*out = (struct sim_out){ 0 };
	p = in->page_size_bytes ? (in->bytes_per_socket + in->page_size_bytes - 1) / in->page_size_bytes
				: 0;
	out->pages_per_socket = p;
	if (n > SIM_MAX_ADD)
		n = SIM_MAX_ADD;
	if (in->mem_total_bytes.ok && in->page_size_bytes)
		ram_pages = in->mem_total_bytes.v / in->page_size_bytes;

	/* Already past a threshold: acted on at the next charge (k = 0). */
	if (in->kind == MODEL_PRESSURE && !pressure && u > thr[1]) {
		pressure = true;
		sim_add(out, SIM_ENTER_PRESSURE, sim_state(in, u, true), 0, u, 0);
	}
	if (u > thr[0])
		sim_add(out, SIM_ABOVE_MIN, sim_state(in, u, pressure), 0, u, 0);
	if (u > thr[2])
		sim_add(out, SIM_OVER_MAX, MS_OVER_LIMIT, 0, u, 0);
	for (k = 1; k <= n; k++) {
		bool enters;
		uint64_t got = sim_socket_pages(in, u, in->sockets_now + k, pressure, p, &enters);

		u += got;
		out->admitted_pages += got;
		out->wanted_pages += p;
		for (i = 0; i < 3; i++)
			for (j = 0; j < 3; j++) {
				uint64_t t = j == 0 ? (thr[i] > in->band_pages ? thr[i] - in->band_pages : 0)
					     : j == 1 ? thr[i] : thr[i] + in->band_pages;

				if (!cross[i][j] && u > t)
					cross[i][j] = k;
			}
		if (enters && !pressure && in->kind == MODEL_PRESSURE) {
			pressure = true;
			sim_add(out, SIM_ENTER_PRESSURE, sim_state(in, u, true), k, u, 0);
		}
		if (u > thr[0])
			sim_add(out, SIM_ABOVE_MIN, sim_state(in, u, pressure), k, u, 0);
		if (got < p) {
			out->sockets_capped++;
			sim_add(out, SIM_CAPPED, sim_state(in, u, pressure), k, u, got);
		} else {
			out->sockets_full++;
		}
		if (u > thr[2])
			sim_add(out, SIM_OVER_MAX, MS_OVER_LIMIT, k, u, 0);
		if (ram_pages && u > ram_pages)
			sim_add(out, SIM_OVER_RAM, sim_state(in, u, pressure), k, u, 0);
		if (got <= 1 && out->sockets_capped > 1000 && k < n) {
			/* steady state: every further socket gets the same */
			uint64_t rest = n - k;

			out->sockets_capped += rest;
			out->wanted_pages += rest * p;
			out->admitted_pages += rest * got;
			u += rest * got;
			if (u > thr[2])
				sim_add(out, SIM_OVER_MAX, MS_OVER_LIMIT, k + 1, u, 0);
			break;
		}
	}
	/* The published figure is within the band of the sum: the crossing of a
	 * threshold falls between the sockets where the sum is band pages
	 * below and above it. */
	for (i = 0; i < out->n; i++) {
		struct sim_transition *t = &out->t[i];
		int th = t->event == SIM_ABOVE_MIN ? 0 : t->event == SIM_ENTER_PRESSURE ? 1
			 : t->event == SIM_OVER_MAX ? 2 : -1;

		if (th < 0 || !t->at_added_sockets)
			continue;
		t->at_added_low = cross[th][0] ? cross[th][0] : t->at_added_sockets;
		t->at_added_high = cross[th][2] ? cross[th][2] : n;
		if (t->at_added_low > t->at_added_sockets)
			t->at_added_low = t->at_added_sockets;
		if (t->at_added_high < t->at_added_sockets)
			t->at_added_high = t->at_added_sockets;
	}
	out->final_usage_pages = u;
	out->final_pressure = in->kind == MODEL_PRESSURE && pressure;
	out->final_state = sim_state(in, u, out->final_pressure);
}
