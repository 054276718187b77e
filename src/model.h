/* model.h - the embedded model of the kernel's socket-memory accounting:
 * the state of a protocol against its limits (hysteresis of
 * tcp_{enter,leave}_memory_pressure), the per-CPU band
 * (include/net/proto_memory.h) and the kernel's limits and units.
 * The charge decision is in charge.h, the what-if simulator in simulate.h,
 * growth in trend.h.  Pure logic: no I/O.  All quantities are pages unless
 * the name says bytes. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKMEM_MODEL_H
#define SOCKMEM_MODEL_H

#include "protocols.h"
#include "util.h"

enum model_kind {
	MODEL_PRESSURE,	/* has memory_pressure: TCP, MPTCP (shares TCP), SCTP */
	MODEL_NO_PRESSURE, /* memory_pressure == NULL: UDP, UDP-Lite */
};

enum model_state {
	MS_UNKNOWN,
	MS_NORMAL,	/* usage <= min */
	MS_ELEVATED,	/* pressure kind: above min, kernel flag clear */
	MS_PRESSURE,	/* pressure kind: kernel flag set (includes hysteresis) */
	MS_LIMITED,	/* no-pressure kind: above min, the effective limit */
	MS_OVER_LIMIT,	/* usage > max: non-forced charges fail */
};

enum model_basis {
	MB_NONE,	/* not enough input */
	MB_KERNEL,	/* the kernel's own press flag decided */
	MB_USAGE,	/* usage against the thresholds decided */
	MB_INFERRED,	/* flag unavailable: inferred from usage alone */
};

struct model_in {
	enum model_kind kind;
	struct opt usage_pages;
	bool limits_ok;
	uint64_t limit_pages[3];	/* min, pressure, max */
	enum press_flag press;
	struct opt band_pages;		/* per-CPU reserve uncertainty */
};

struct model_out {
	enum model_state state;
	enum model_basis basis;
	const char *note;		/* why, when not obvious; NULL otherwise */
	bool near[3];			/* usage within the band of limit i */
	bool pct_ok;
	double pct[3];			/* usage as % of limit i */
	int64_t headroom_pages[3];	/* limit i - usage (negative: above) */
};

void model_classify(const struct model_in *in, struct model_out *out);
const char *model_state_name(enum model_state s);
const char *model_basis_name(enum model_basis b);

/* Per-CPU reserve, in pages, that the kernel batches before publishing
 * (SK_MEMORY_PCPU_RESERVE = 1 MiB per CPU, or net.core.mem_pcpu_rsv). */
struct model_reserve {
	bool exact;		/* kernel < 6.0: no per-CPU batching */
	uint64_t rsv_pages;	/* R */
	const char *source;
};
/* kver_known/kver_ge_6_0: what is known of the kernel; rsv: the sysctl if read. */
struct model_reserve model_reserve(bool kver_known, bool kver_ge_6_0, struct opt rsv_sysctl,
				   uint64_t page_size_bytes);
/* possible_cpus x (R - 1): how far sockstat mem may be from the true charge. */
struct opt model_band_pages(const struct model_reserve *r, struct opt possible_cpus);

/* sk_mem_pages(): bytes rounded up to whole pages (or quanta) of unit bytes;
 * 0 when unit is 0. */
uint64_t model_pages_up(uint64_t bytes, uint64_t unit_bytes);

/* Kernel boot-time defaults (net/ipv4/tcp.c tcp_init_mem, udp.c udp_init):
 * limit = max(nr_free_buffer_pages / div, 128); {limit/4*3, limit, 2*(limit/4*3)}. */
void model_default_mem(uint64_t free_buffer_pages, unsigned div, uint64_t out[3]);

#endif
