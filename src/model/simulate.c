/* simulate.c - the what-if simulator: more sockets charged one after the
 * other, skb by skb, through model_charge(), with each transition they cross
 * and the range the per-CPU band allows.  See simulate.h. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <string.h>

#include "simulate.h"

const char *simulate_event_name(enum sim_event e)
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

/* What one run needs besides the input: limits in the kernel's unit. */
struct sim_ctx {
	const struct simulate_in *in;
	uint64_t unit;			/* model_mem_unit_bytes */
	uint64_t lim[3];		/* model_limit_in_units */
	uint64_t skb;
	bool pressure;			/* tcp_memory_pressure */
	bool entered;			/* set by a charge of the current socket */
	uint64_t charges;
};

static uint64_t sim_add_sat(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* sk_forced_mem_schedule(): the shortfall charged with no limit check and
 * no pressure transition. */
static uint64_t sim_force(const struct sim_ctx *c, struct simulate_socket *k, uint64_t size,
			  uint64_t *u)
{
	uint64_t amt;

	if (size <= k->fwd_alloc_bytes)
		return 0;
	amt = model_pages_up(size - k->fwd_alloc_bytes, c->unit);
	*u += amt;
	k->fwd_alloc_bytes += amt * c->unit;
	k->charged_pages += amt;
	k->forced = true;
	return amt;
}

uint64_t simulate_forced_first_skb(const struct simulate_in *in, struct simulate_socket *k,
				   uint64_t size_bytes, uint64_t *usage_pages)
{
	struct sim_ctx c = { in, model_mem_unit_bytes(in->kver_major, in->kver_minor,
						      in->page_size_bytes), { 0 }, 0, false, false, 0 };

	if (in->kind != MODEL_PRESSURE)
		return 0;	/* UDP: __udp_enqueue_schedule_skb has no forced charge */
	if (in->dir == CHARGE_SEND && size_bytes > SIMULATE_SEND_HEAD_BYTES)
		size_bytes = SIMULATE_SEND_HEAD_BYTES;	/* tcp_stream_alloc_skb(..., true): the head */
	return sim_force(&c, k, size_bytes, usage_pages);
}

/* One charge of the shortfall of size bytes through model_charge().
 * rmem_seen: sk_rmem_alloc as the receive guarantee reads it. */
static bool sim_charge(struct sim_ctx *c, struct simulate_socket *k, uint64_t size,
		       uint64_t rmem_seen, uint64_t *u, uint64_t s, struct model_charge_out *o)
{
	const struct simulate_in *in = c->in;
	struct model_charge_in ci = { 0 };
	uint64_t delta = size - k->fwd_alloc_bytes;
	uint64_t amt = model_pages_up(delta, c->unit);

	ci.kind = in->kind;
	ci.dir = in->dir;
	ci.stream = in->kind == MODEL_PRESSURE;
	ci.kver_major = in->kver_major;
	ci.kver_minor = in->kver_minor;
	ci.allocated_pages = *u + amt;		/* sk_memory_allocated_add() first */
	memcpy(ci.limit_pages, in->limit_pages, sizeof(ci.limit_pages));
	ci.global_pressure = c->pressure;
	ci.amt_pages = amt;
	ci.size_bytes = delta;
	ci.rmem_alloc_bytes = rmem_seen;
	ci.wmem_queued_bytes = in->dir == CHARGE_SEND ? k->held_bytes : 0;
	ci.fwd_alloc_bytes = k->fwd_alloc_bytes + amt * c->unit;	/* __sk_mem_schedule adds first */
	ci.sndbuf_bytes = in->bytes_per_socket;
	ci.rmem0_bytes = ci.wmem0_bytes = in->guarantee_bytes;
	ci.sockets_allocated = s;
	ci.page_size_bytes = in->page_size_bytes;
	model_charge(&ci, o);
	c->charges++;
	if (o->enter_pressure) {
		c->pressure = true;
		c->entered = true;
	}
	if (o->leave_pressure)
		c->pressure = false;
	if (!o->accepted)
		return false;
	*u += amt;
	k->fwd_alloc_bytes += amt * c->unit;
	k->charged_pages += amt;
	return true;
}

/* After a charge model_charge() accepted with branch b, the following full
 * skbs are accepted by the same branch as long as what it compared stays in
 * range: allocated <= limit[0] (under min), <= limit[1] with the flag clear
 * (not in pressure), or <= limit[2] with the socket within its fair share
 * sockets_allocated * pages < limit[2].  Charge them at once: their
 * shortfalls add up to pages_up(n * skb - fwd_alloc). */
static void sim_fast_forward(struct sim_ctx *c, struct simulate_socket *k, enum model_branch b,
			     uint64_t *u, uint64_t s)
{
	const struct simulate_in *in = c->in;
	uint64_t bound, room, n, cap, need;

	if (b == MBR_UNDER_MIN)
		bound = c->lim[0];
	else if (b == MBR_NOT_IN_PRESSURE && !c->pressure)
		bound = c->lim[1];
	else if (b == MBR_FAIR_SHARE)
		bound = c->lim[2];
	else
		return;
	if (bound <= *u)
		return;
	room = bound - *u;			/* pages the next skbs may add */
	if (b == MBR_FAIR_SHARE) {
		uint64_t share = s ? (c->lim[2] - 1) / s : c->lim[2];

		if (share <= k->charged_pages)
			return;
		if (share - k->charged_pages < room)
			room = share - k->charged_pages;
	}
	n = (in->bytes_per_socket - k->held_bytes) / c->skb;
	cap = sim_add_sat(util_mul_sat(room, c->unit, NULL), k->fwd_alloc_bytes) / c->skb;
	if (cap < n)
		n = cap;
	if (!n)
		return;
	need = n * c->skb > k->fwd_alloc_bytes ? model_pages_up(n * c->skb - k->fwd_alloc_bytes, c->unit)
					      : 0;
	*u += need;
	k->charged_pages += need;
	k->fwd_alloc_bytes = k->fwd_alloc_bytes + need * c->unit - n * c->skb;
	k->held_bytes += n * c->skb;
}

/* Charges one new socket (the s-th allocated); returns its pages. */
static uint64_t sim_socket(struct sim_ctx *c, struct simulate_socket *k, uint64_t *u, uint64_t s)
{
	const struct simulate_in *in = c->in;
	bool v6_0 = model_kver_ge(in->kver_major, in->kver_minor, 6, 0);
	bool v6_6 = model_kver_ge(in->kver_major, in->kver_minor, 6, 6);
	uint64_t want = in->bytes_per_socket;
	enum model_branch last = MBR_OVER_MAX;
	bool first = true;

	memset(k, 0, sizeof(*k));
	while (k->held_bytes < want) {
		uint64_t size = want - k->held_bytes < c->skb ? want - k->held_bytes : c->skb;
		struct model_charge_out o;

		if (in->kind == MODEL_NO_PRESSURE) {
			/* __udp_enqueue_schedule_skb: a datagram that does not fit
			 * in fwd_alloc is charged, the guarantee reading rmem by
			 * version (model_udp_rmem_seen) */
			if (size > k->fwd_alloc_bytes) {
				uint64_t seen = model_udp_rmem_seen(in->kver_major, in->kver_minor,
								    k->held_bytes, size);

				if (!sim_charge(c, k, size, seen, u, s, &o))
					break;
				last = o.branch;
			}
		} else if (in->dir == CHARGE_RECV) {
			if (first) {
				/* tcp_data_queue(): the first skb into an empty queue
				 * is forced, on 6.6+ once the normal charge failed */
				if (v6_6 && sim_charge(c, k, size, k->held_bytes, u, s, &o))
					last = o.branch;
				else
					simulate_forced_first_skb(in, k, size, u);
				first = false;
			} else if (size > k->fwd_alloc_bytes) {
				if (!sim_charge(c, k, size, k->held_bytes, u, s, &o))
					break;	/* tcp_data_queue drops: TCPRcvQDrop */
				last = o.branch;
			}
		} else {
			if (first) {
				/* tcp_sendmsg_locked(): the first skb of an empty write queue */
				uint64_t head = size < SIMULATE_SEND_HEAD_BYTES ? size : SIMULATE_SEND_HEAD_BYTES;

				simulate_forced_first_skb(in, k, head, u);
				k->held_bytes += head;
				k->fwd_alloc_bytes -= head;
				first = false;
				continue;
			}
			if (size > k->fwd_alloc_bytes) {
				if (!sim_charge(c, k, size, 0, u, s, &o)) {
					/* 6.0+ tcp_wmem_schedule(): tcp_wmem[0] - wmem_queued
					 * is forced and what fwd_alloc holds is copied, then
					 * the sender waits for memory */
					if (v6_0) {
						uint64_t left = in->guarantee_bytes > k->held_bytes
								? in->guarantee_bytes - k->held_bytes : 0;

						if (left)
							sim_force(c, k, left < size ? left : size, u);
						size = size < k->fwd_alloc_bytes ? size : k->fwd_alloc_bytes;
						k->held_bytes += size;
						k->fwd_alloc_bytes -= size;
					}
					break;
				}
				if (o.kept_over_sndbuf) {
					/* kept, but sndbuf is now below wmem_queued:
					 * sk_stream_memory_free() is false, the sender blocks */
					k->held_bytes += size;
					k->fwd_alloc_bytes -= size;
					break;
				}
				last = o.branch;
			}
		}
		k->held_bytes += size;
		k->fwd_alloc_bytes -= size;
		sim_fast_forward(c, k, last, u, s);
	}
	return k->charged_pages;
}

static void sim_add(struct simulate_out *o, enum sim_event e, enum model_state st, uint64_t k,
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

static enum model_state sim_state(const struct sim_ctx *c, uint64_t u, bool pressure)
{
	const struct simulate_in *in = c->in;
	struct model_in mi = { in->kind, { u, true }, true, { c->lim[0], c->lim[1], c->lim[2] },
			       in->kind == MODEL_PRESSURE ? (pressure ? PRESS_YES : PRESS_NO) : PRESS_NI,
			       { in->band_pages, true }, 1 };
	struct model_out mo;

	model_classify(&mi, &mo);
	return mo.state;
}

void simulate_run(const struct simulate_in *in, struct simulate_out *out)
{
	struct sim_ctx c = { in, 0, { 0 }, 0, false, false, 0 };
	uint64_t u = in->usage_pages, k, n = in->add_sockets, p, ram = 0, prev = UINT64_MAX;
	bool prev_full = false;
	const uint64_t *thr = c.lim;
	/* per threshold: first k with u > thr - band, u > thr, u > thr + band */
	uint64_t cross[3][3] = { { 0 } };
	int i, j;

	*out = (struct simulate_out){ 0 };
	c.unit = model_mem_unit_bytes(in->kver_major, in->kver_minor, in->page_size_bytes);
	for (i = 0; i < 3; i++)
		c.lim[i] = model_limit_in_units(in->limit_pages[i], in->kver_major, in->kver_minor,
						in->page_size_bytes);
	c.skb = in->skb_bytes ? in->skb_bytes : SIMULATE_SKB_BYTES;
	c.pressure = in->kind == MODEL_PRESSURE && in->press == PRESS_YES;
	out->unit_bytes = c.unit;
	p = model_pages_up(in->bytes_per_socket, c.unit);
	out->pages_per_socket = p;
	if (n > SIM_MAX_ADD)
		n = SIM_MAX_ADD;
	if (!c.unit)
		n = 0;		/* no page size: nothing can be charged */
	if (in->mem_total_bytes.ok && c.unit)
		ram = in->mem_total_bytes.v / c.unit;

	/* Already past a threshold: acted on at the next charge (k = 0). */
	if (in->kind == MODEL_PRESSURE && !c.pressure && u > thr[1]) {
		c.pressure = true;
		sim_add(out, SIM_ENTER_PRESSURE, sim_state(&c, u, true), 0, u, 0);
	}
	if (u > thr[0])
		sim_add(out, SIM_ABOVE_MIN, sim_state(&c, u, c.pressure), 0, u, 0);
	if (u > thr[2])
		sim_add(out, SIM_OVER_MAX, MS_OVER_LIMIT, 0, u, 0);
	for (k = 1; k <= n; k++) {
		struct simulate_socket sk;
		uint64_t got;
		bool full;

		c.entered = false;
		got = sim_socket(&c, &sk, &u, in->sockets_now + k);
		full = sk.held_bytes >= in->bytes_per_socket;
		out->admitted_pages += got;
		out->wanted_pages += p;
		for (i = 0; i < 3; i++)
			for (j = 0; j < 3; j++) {
				uint64_t t = j == 0 ? (thr[i] > in->band_pages ? thr[i] - in->band_pages : 0)
					     : j == 1 ? thr[i] : sim_add_sat(thr[i], in->band_pages);

				if (!cross[i][j] && u > t)
					cross[i][j] = k;
			}
		if (c.entered)
			sim_add(out, SIM_ENTER_PRESSURE, sim_state(&c, u, true), k, u, 0);
		if (u > thr[0])
			sim_add(out, SIM_ABOVE_MIN, sim_state(&c, u, c.pressure), k, u, 0);
		if (!full) {
			out->sockets_capped++;
			sim_add(out, SIM_CAPPED, sim_state(&c, u, c.pressure), k, u, got);
		} else {
			out->sockets_full++;
		}
		if (u > thr[2])
			sim_add(out, SIM_OVER_MAX, MS_OVER_LIMIT, k, u, 0);
		if (ram && u > ram)
			sim_add(out, SIM_OVER_RAM, sim_state(&c, u, c.pressure), k, u, 0);
		if (got == prev && u > sim_add_sat(thr[2], in->band_pages) && k < n) {
			/* Steady state: above max every charge that is not
			 * forced fails, so each further socket gets what this
			 * one got; every crossing but RAM is behind. */
			uint64_t rest = n - k;

			if (full)
				out->sockets_full += rest;
			else
				out->sockets_capped += rest;
			out->wanted_pages += rest * p;
			out->admitted_pages += rest * got;
			if (ram && u <= ram && got && u + rest * got > ram)
				sim_add(out, SIM_OVER_RAM, sim_state(&c, ram + 1, c.pressure),
					k + (ram - u) / got + 1, u + ((ram - u) / got + 1) * got, 0);
			u += rest * got;
			break;
		}
		if (full && prev_full && got == prev && got && k < n) {
			/* Below the bound under which every charge is accepted
			 * whatever the socket (min; pressure while the TCP flag
			 * is clear; max under pressure while sockets_allocated x
			 * its pages stays below the fair share), each further
			 * socket gets what this one got: skip to just before the
			 * next bound or crossing. */
			uint64_t b = in->kind != MODEL_PRESSURE || (c.pressure && u <= thr[0]) ? thr[0]
				     : !c.pressure ? thr[1] : thr[2];
			uint64_t jump, fair = UINT64_MAX;

			if (in->kind == MODEL_PRESSURE && c.pressure && u > thr[0]) {
				uint64_t smax = (thr[2] - 1) / got, s = in->sockets_now + k;

				fair = smax > s ? smax - s : 0;
			}

			for (i = 0; i < 3; i++)
				for (j = 0; j < 3; j++) {
					uint64_t t = j == 0 ? (thr[i] > in->band_pages ? thr[i] - in->band_pages : 0)
						     : j == 1 ? thr[i] : sim_add_sat(thr[i], in->band_pages);

					if (!cross[i][j] && t < b)
						b = t;
				}
			if (ram && u <= ram && ram < b)
				b = ram;
			jump = b > u ? (b - u) / got : 0;
			if (jump > fair)
				jump = fair;
			if (jump > n - k)
				jump = n - k;
			if (jump) {
				k += jump;
				u += jump * got;
				out->sockets_full += jump;
				out->admitted_pages += jump * got;
				out->wanted_pages += jump * p;
			}
		}
		prev = got;
		prev_full = full;
	}
	out->charges = c.charges;
	/* The published figure is within the band of the sum: the crossing of a
	 * threshold falls between the sockets where the sum is band pages
	 * below and above it. */
	for (i = 0; i < out->n; i++) {
		struct simulate_transition *t = &out->t[i];
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
	out->final_pressure = in->kind == MODEL_PRESSURE && c.pressure;
	out->final_state = sim_state(&c, u, out->final_pressure);
}
