/* model.h - the embedded model of the kernel's socket-memory accounting
 * (net/core/sock.c __sk_mem_raise_allocated, __sk_mem_reduce_allocated;
 * net/ipv4/tcp.c tcp_{enter,leave}_memory_pressure; include/net/proto_memory.h).
 * Pure logic: no I/O.  All quantities are pages unless the name says bytes. */
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

/* ---- One charge, as __sk_mem_raise_allocated() decides it ---------------
 * net/core/sock.c, v6.19 structure (kernel-model.md 1.4) with the version
 * differences: before 6.5 the fair-share test and the leave test used
 * sk_under_memory_pressure() (global OR memcg pressure); 6.19 added the
 * sk_bypass_prot_mem branches.  amt is already added to allocated_pages and
 * to fwd_alloc_bytes (the optimistic add of __sk_mem_schedule). */
enum model_dir { CHARGE_RECV, CHARGE_SEND };

struct model_charge_in {
	enum model_kind kind;
	enum model_dir dir;
	bool stream;			/* SOCK_STREAM (TCP) */
	unsigned kver_major, kver_minor;
	uint64_t allocated_pages;	/* sk_memory_allocated() after the add */
	uint64_t limit_pages[3];
	bool global_pressure;		/* tcp_memory_pressure set before this charge */
	bool memcg_enabled, memcg_charge_ok, memcg_pressure;
	bool bypass;			/* sk_bypass_prot_mem (6.19+) */
	uint64_t amt_pages, size_bytes;
	uint64_t rmem_alloc_bytes, wmem_queued_bytes, wmem_alloc_bytes, fwd_alloc_bytes;
	uint64_t sndbuf_bytes;
	uint64_t rmem0_bytes, wmem0_bytes;	/* tcp_rmem[0]/udp_rmem_min, tcp_wmem[0]/udp_wmem_min */
	uint64_t sockets_allocated;
	uint64_t page_size_bytes;
};

enum model_branch {
	MBR_BYPASS,		/* 6.19 bypass socket: only memcg decides */
	MBR_MEMCG_REFUSED,	/* memcg charge failed -> suppress */
	MBR_UNDER_MIN,		/* allocated <= limit[0]: success, leave pressure */
	MBR_OVER_MAX,		/* allocated > limit[2] -> suppress */
	MBR_RMEM0,		/* receive minimum guarantee */
	MBR_WMEM0,		/* send minimum guarantee */
	MBR_NOT_IN_PRESSURE,	/* above min, flag not set: success */
	MBR_FAIR_SHARE,		/* under pressure, socket below its fair share: success */
	MBR_NO_PRESSURE_PROTO,	/* UDP above min, no guarantee: suppress */
	MBR_OVER_FAIR_SHARE,	/* under pressure, above fair share: suppress */
	MBR_ZERO_ALLOCATED,	/* allocated read as 0 (clamped): success */
};

struct model_charge_out {
	bool accepted;			/* the charge stays */
	bool kept_over_sndbuf;		/* suppressed, but kept: wmem_queued + size >= sndbuf */
	bool enter_pressure, leave_pressure;
	bool sndbuf_moderated;		/* sk_stream_moderate_sndbuf() ran */
	enum model_branch branch;
};

void model_charge(const struct model_charge_in *in, struct model_charge_out *out);
const char *model_branch_name(enum model_branch b);

/* Free path (__sk_mem_reduce_allocated): pressure is left only when the
 * global falls strictly below limit[0]. */
bool model_free_leaves_pressure(uint64_t allocated_after_pages, uint64_t limit0_pages,
				bool global_pressure);

/* ---- What-if: N more sockets, each trying to hold B bytes -----------------
 * Each new socket charges page by page (sk_mem_pages rounds up) and is
 * admitted per model_charge(): fully under min or out of pressure; under
 * pressure only up to its fair share tcp_mem[2] / sockets_allocated; above
 * max only the minimum guarantee (tcp_rmem[0]) and, for TCP receive, the one
 * skb forced into an empty queue (tcp_data_queue: sk_forced_mem_schedule),
 * whatever the limits: a new connection always gets its first skb (up to
 * 64 KiB with GRO/loopback), so usage goes past max (kernel-model.md 11.1).  UDP above udp_mem[0]:
 * only while the socket holds less than udp_rmem_min.  Usage only grows here
 * (no frees), so pressure is never left once entered. */
enum sim_event {
	SIM_ABOVE_MIN,		/* usage > min: elevated (TCP) / limited (UDP) */
	SIM_ENTER_PRESSURE,	/* TCP flag set */
	SIM_CAPPED,		/* new sockets can no longer reach their size: drops/blocking */
	SIM_OVER_MAX,		/* usage > max */
	SIM_OVER_RAM,		/* usage > MemTotal */
};

struct sim_in {
	enum model_kind kind;
	enum model_dir dir;
	uint64_t usage_pages;
	uint64_t limit_pages[3];
	enum press_flag press;
	uint64_t band_pages;
	uint64_t sockets_now;		/* sockets_allocated (TCP alloc) */
	uint64_t add_sockets;
	uint64_t bytes_per_socket;
	uint64_t page_size_bytes;
	uint64_t guarantee_bytes;	/* tcp_rmem[0] / tcp_wmem[0] / udp_rmem_min */
	uint64_t first_skb_bytes;	/* TCP receive: the skb forced into an empty queue */
	struct opt mem_total_bytes;
};

struct sim_transition {
	enum sim_event event;
	enum model_state to_state;
	uint64_t at_added_sockets;	/* first added socket at which it happens */
	uint64_t at_added_low, at_added_high;	/* the same with the published figure off by the band */
	uint64_t at_usage_pages;
	uint64_t capped_pages;		/* SIM_CAPPED: what a new socket could still get */
};

#define SIM_MAX_TRANSITIONS 6
#define SIM_MAX_ADD 100000000ull

struct sim_out {
	uint64_t pages_per_socket;
	struct sim_transition t[SIM_MAX_TRANSITIONS];
	int n;
	uint64_t final_usage_pages;
	bool final_pressure;
	enum model_state final_state;
	uint64_t sockets_full;		/* new sockets that got their whole size */
	uint64_t sockets_capped;	/* ... that did not */
	uint64_t admitted_pages;	/* pages the new sockets hold in the end */
	uint64_t wanted_pages;		/* pages they wanted */
};

void model_simulate(const struct sim_in *in, struct sim_out *out);
const char *model_sim_event_name(enum sim_event e);

/* Kernel boot-time defaults (net/ipv4/tcp.c tcp_init_mem, udp.c udp_init):
 * limit = max(nr_free_buffer_pages / div, 128); {limit/4*3, limit, 2*(limit/4*3)}. */
void model_default_mem(uint64_t free_buffer_pages, unsigned div, uint64_t out[3]);

#endif
