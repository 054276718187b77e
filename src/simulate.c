/* simulate.c - the what-if simulator: more sockets charged one after the
 * other, with each transition they cross and the range the band allows. */
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

/* Pages a new socket can hold, wanting p, with usage u before it, s sockets
 * allocated and the flag pressure.  *enters: one of its charges (the last,
 * possibly refused, attempt included) saw allocated > limit[1] (TCP). */
static uint64_t sim_socket_pages(const struct simulate_in *in, uint64_t u, uint64_t s, bool pressure,
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

static enum model_state sim_state(const struct simulate_in *in, uint64_t u, bool pressure)
{
	struct model_in mi = { in->kind, { u, true }, true, { 0, 0, 0 },
			       in->kind == MODEL_PRESSURE ? (pressure ? PRESS_YES : PRESS_NO) : PRESS_NI,
			       { in->band_pages, true }, 1 };
	struct model_out mo;

	memcpy(mi.limit_pages, in->limit_pages, sizeof(mi.limit_pages));
	model_classify(&mi, &mo);
	return mo.state;
}

void simulate_run(const struct simulate_in *in, struct simulate_out *out)
{
	uint64_t u = in->usage_pages, k, n = in->add_sockets;
	uint64_t p, ram_pages = 0;
	const uint64_t *thr = in->limit_pages;
	bool pressure = in->press == PRESS_YES;
	/* per threshold: first k with u > thr - band, u > thr, u > thr + band */
	uint64_t cross[3][3] = { { 0 } };
	int i, j;

	*out = (struct simulate_out){ 0 };
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
	out->final_pressure = in->kind == MODEL_PRESSURE && pressure;
	out->final_state = sim_state(in, u, out->final_pressure);
}
