/* model.c - state classification, hysteresis, per-CPU uncertainty band, the
 * kernel's default limits and their ratios, page rounding.  Every branch
 * cites the kernel code it reproduces. */
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
		/* the hard-limit test comes before the udp_rmem_min guarantee
		 * in every version, and UDP has no forced charge */
		out->note = "above max: no guarantee applies, every datagram that needs a charge "
			    "is dropped";
	} else if (u >= in->limit_pages[0]) {
		/* No memory_pressure: above limit[0] only sockets under the
		 * udp_rmem_min guarantee may grow (sock.c suppress_allocation).
		 * __sk_mem_raise_allocated() adds the charge first and passes
		 * it only while allocated <= limit[0], so at usage == limit[0]
		 * every further charge is above it (an exact counter, 4.19-5.19,
		 * stops right there: the kernel matrix's 5.10). */
		out->state = MS_LIMITED;
		out->note = u > in->limit_pages[0]
			    ? "above min: a socket holding udp_rmem_min or more can no longer grow"
			    : "at min: every further charge takes usage above it, so a socket holding "
			      "udp_rmem_min or more can no longer grow";
	} else {
		out->state = MS_NORMAL;
	}
}

void model_classify(const struct model_in *in, struct model_out *out)
{
	struct model_in scaled;
	int i;

	*out = (struct model_out){ 0 };
	if (in->units_per_page > 1) {
		/* 4.11-5.19 on large pages: usage counts quanta, and
		 * sk_prot_mem_limits() scales the sysctl to them */
		scaled = *in;
		for (i = 0; i < 3; i++)
			scaled.limit_pages[i] = util_mul_sat(in->limit_pages[i], in->units_per_page, NULL);
		scaled.units_per_page = 1;
		model_classify(&scaled, out);
		return;
	}
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

void model_limits_for_pressure(enum model_kind kind, uint64_t pages, uint64_t out[3])
{
	if (kind == MODEL_PRESSURE) {
		out[0] = pages / 4 * 3;
		out[1] = pages;
	} else {
		out[0] = pages;
		out[1] = pages / 3 * 4;
	}
	out[2] = out[0] * 2;
}

enum model_state model_state_after(enum model_state classified, uint64_t usage_pages,
				   uint64_t limit0_pages)
{
	/* the raise path leaves at allocated <= limit[0] (sock.c "Under limit") */
	if (usage_pages <= limit0_pages)
		return MS_NORMAL;
	return classified;
}

bool model_default_mem(enum model_mem_sysctl which, struct opt mem_total_bytes,
		       uint64_t page_size_bytes, uint64_t out[3])
{
	uint64_t pages = mem_total_bytes.ok && page_size_bytes ? mem_total_bytes.v / page_size_bytes : 0;
	uint64_t limit;

	if (!pages)
		return false;
	limit = pages / (which == MODEL_TCP_MEM ? 16 : 8);
	if (limit < 128)
		limit = 128;
	model_limits_for_pressure(MODEL_PRESSURE, limit, out);
	return true;
}

uint64_t model_pages_up(uint64_t bytes, uint64_t unit_bytes)
{
	return unit_bytes ? bytes / unit_bytes + (bytes % unit_bytes != 0) : 0;
}

bool model_kver_ge(unsigned major, unsigned minor, unsigned want_major, unsigned want_minor)
{
	if (!major && !minor)
		return true;
	return major > want_major || (major == want_major && minor >= want_minor);
}

uint64_t model_mem_unit_bytes(unsigned major, unsigned minor, uint64_t page_size_bytes)
{
	/* include/net/sock.h 4.19-5.19: "#define SK_MEM_QUANTUM 4096" - "We used
	 * to have PAGE_SIZE here, but systems with 64KB pages do not
	 * necessarily have 16x time more memory than 4KB ones." */
	if (page_size_bytes > 4096 && model_kver_ge(major, minor, 4, 11) &&
	    !model_kver_ge(major, minor, 6, 0))
		return 4096;
	return page_size_bytes;
}

unsigned model_units_per_page(unsigned major, unsigned minor, uint64_t page_size_bytes)
{
	uint64_t unit = model_mem_unit_bytes(major, minor, page_size_bytes);

	return unit && page_size_bytes > unit ? (unsigned)(page_size_bytes / unit) : 1;
}

uint64_t model_limit_in_units(uint64_t limit_pages, unsigned major, unsigned minor,
			      uint64_t page_size_bytes)
{
	return util_mul_sat(limit_pages, model_units_per_page(major, minor, page_size_bytes), NULL);
}
