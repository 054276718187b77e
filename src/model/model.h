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
	/* usage units per limit page (model_units_per_page): 16 on a 64 KiB
	 * page 4.11-5.19 kernel, whose usage counts 4096-byte quanta; 0 or 1:
	 * usage and limits are both pages */
	unsigned units_per_page;
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

/* model_kver_ge() - kernel major.minor >= want.  0.0 (not known) counts as
 * the newest kernel. */
bool model_kver_ge(unsigned major, unsigned minor, unsigned want_major, unsigned want_minor);

/* model_mem_unit_bytes() - the unit memory_allocated counts in, and with it
 * sockstat and /proc/net/protocols "mem", sk_mem_pages() and every charge:
 * SK_MEM_QUANTUM = 4096 bytes from 4.11 (bd68a2a854ad "net: set SK_MEM_QUANTUM
 * to 4096"; present in 4.19.0, the exact release unverified) to 5.19, PAGE_SIZE
 * before and since 6.0 (e70f3c701276, 100fdd1faf50).  The same on 4 KiB pages;
 * page_size_bytes on a kernel not known. */
uint64_t model_mem_unit_bytes(unsigned major, unsigned minor, uint64_t page_size_bytes);
/* PAGE_SIZE / model_mem_unit_bytes(): 1 except on 4.11-5.19 with pages above 4 KiB. */
unsigned model_units_per_page(unsigned major, unsigned minor, uint64_t page_size_bytes);
/* model_limit_in_units() - a tcp_mem/udp_mem value (pages) as
 * sk_prot_mem_limits() compares it with memory_allocated: shifted by
 * PAGE_SHIFT - SK_MEM_QUANTUM_SHIFT on 4.11-5.19 (saturated). */
uint64_t model_limit_in_units(uint64_t limit_pages, unsigned major, unsigned minor,
			      uint64_t page_size_bytes);

/* sk_mem_pages(): bytes rounded up to whole pages (or quanta) of unit bytes;
 * 0 when unit is 0. */
uint64_t model_pages_up(uint64_t bytes, uint64_t unit_bytes);

/* model_limits_for_pressure() - min/pressure/max in the kernel's shape
 * (tcp_init_mem, udp_init: {limit/4*3, limit, 2*(limit/4*3)}, ratios
 * 3/4 : 1 : 3/2) around the threshold that limits this kind: the pressure
 * threshold (tcp_mem[1]) for MODEL_PRESSURE, min (udp_mem[0], the effective
 * limit without a pressure state) for MODEL_NO_PRESSURE, which gives
 * {pages, pages/3*4, 2*pages}. */
void model_limits_for_pressure(enum model_kind kind, uint64_t pages, uint64_t out[3]);

/* model_state_after() - the state once the kernel has acted on changed
 * limits at its next charge.  classified: model_classify() of the usage
 * against the new limits with the flag as it is now.  At or below the new
 * min a charge leaves pressure (__sk_mem_raise_allocated "Under limit",
 * allocated <= limit[0]); above it a set flag stays (hysteresis). */
enum model_state model_state_after(enum model_state classified, uint64_t usage_pages,
				   uint64_t limit0_pages);

/* The limits whose boot-time default model_default_mem() gives. */
enum model_mem_sysctl { MODEL_TCP_MEM, MODEL_UDP_MEM };

/* model_default_mem() - the kernel's boot-time tcp_mem/udp_mem for this RAM
 * (net/ipv4/tcp.c tcp_init_mem, net/ipv4/udp.c udp_init, identical from 4.19
 * to 7.2): limit = max(nr_free_buffer_pages() / 16 (TCP) or / 8 (UDP), 128),
 * then model_limits_for_pressure(limit).  nr_free_buffer_pages() is
 * approximated by MemTotal in pages (within 1% on the machines of
 * kernel-model.md section 8; it excludes ZONE_MOVABLE and memory added after
 * boot, kernel-audit 13j).  Return: false when RAM or the page size is not
 * known. */
bool model_default_mem(enum model_mem_sysctl which, struct opt mem_total_bytes,
		       uint64_t page_size_bytes, uint64_t out[3]);

#endif
