/* charge.c - the charge decision of __sk_mem_raise_allocated() and the exit
 * from pressure on the free path (net/core/sock.c). */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "charge.h"

const char *model_branch_name(enum model_branch b)
{
	static const char *const n[] = {
		"bypass", "memcg-refused", "under-min", "over-max", "rmem0-guarantee",
		"wmem0-guarantee", "not-in-pressure", "fair-share", "no-pressure-protocol",
		"over-fair-share", "zero-allocated",
	};
	return (size_t)b < ARRAY_SIZE(n) ? n[b] : "?";
}

void model_charge(const struct model_charge_in *in, struct model_charge_out *out)
{
	bool v6_7 = model_kver_ge(in->kver_major, in->kver_minor, 6, 7);
	bool v6_19 = model_kver_ge(in->kver_major, in->kver_minor, 6, 19);
	bool bypass = in->bypass && v6_19;
	uint64_t allocated = bypass ? 0 : in->allocated_pages;
	uint64_t unit = model_mem_unit_bytes(in->kver_major, in->kver_minor, in->page_size_bytes);
	uint64_t lim[3];
	/* sk_under_global_memory_pressure() since 6.7; before, memcg pressure too */
	bool pressure = in->global_pressure || (!v6_7 && in->memcg_pressure);
	int i;

	*out = (struct model_charge_out){ 0 };
	out->sndbuf_after_bytes = in->sndbuf_bytes;
	/* sk_prot_mem_limits(): the sysctl in the unit memory_allocated counts */
	for (i = 0; i < 3; i++)
		lim[i] = model_limit_in_units(in->limit_pages[i], in->kver_major, in->kver_minor,
					      in->page_size_bytes);
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
		/* before the guarantees: none applies over the hard limit */
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
		/* fair share: limit[2] > sockets_allocated * sk_mem_pages(the socket's charge) */
		pages = model_pages_up(in->wmem_queued_bytes + in->rmem_alloc_bytes +
				       in->fwd_alloc_bytes, unit);
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
		/* sk_stream_moderate_sndbuf(): unless SO_SNDBUF locked it,
		 * sndbuf = max(min(sndbuf, wmem_queued / 2), SOCK_MIN_SNDBUF) */
		if (!in->sndbuf_locked) {
			uint64_t v = in->wmem_queued_bytes / 2;

			if (v > in->sndbuf_bytes)
				v = in->sndbuf_bytes;
			out->sndbuf_after_bytes = v > MODEL_SOCK_MIN_SNDBUF ? v : MODEL_SOCK_MIN_SNDBUF;
		}
		/* "Fail only if socket is _under_ its sndbuf." - against the
		 * moderated value, which is why a sender that has queued a
		 * few KiB nearly always keeps the charge (and then blocks) */
		if (in->wmem_queued_bytes + in->size_bytes >= out->sndbuf_after_bytes) {
			out->kept_over_sndbuf = true;
			out->accepted = true;
		}
	}
}

uint64_t model_udp_rmem_seen(unsigned kver_major, unsigned kver_minor, uint64_t rmem_before_bytes,
			     uint64_t truesize_bytes)
{
	return model_kver_ge(kver_major, kver_minor, 6, 18) ? rmem_before_bytes
							    : rmem_before_bytes + truesize_bytes;
}

bool model_free_leaves_pressure(uint64_t allocated_after_pages, uint64_t limit0_pages,
				bool global_pressure)
{
	return global_pressure && allocated_after_pages < limit0_pages;
}
