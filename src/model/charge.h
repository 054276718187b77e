/* charge.h - one charge as the kernel decides it: __sk_mem_raise_allocated()
 * (net/core/sock.c) branch by branch with its version differences, and the
 * free path's exit from pressure (__sk_mem_reduce_allocated).
 * The functions keep the model_ prefix: model_charge() is the name the README,
 * the reviews and kernel-model.md give to the model's central decision, and
 * the unit tests (tests/unit/test_model.c) exercise it under that name.
 * Pure logic: no I/O. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKMEM_CHARGE_H
#define SOCKMEM_CHARGE_H

#include "model.h"

/* ---- One charge, as __sk_mem_raise_allocated() decides it ---------------
 * net/core/sock.c, read in 4.19.0, 6.1.192 and 6.12.117 (and by
 * kernel-audit.md in 5.4 to 7.2; kernel-model.md 1.4), with the version
 * differences:
 * - before 6.7 the "not under pressure" and fair-share tests used
 *   sk_under_memory_pressure() (global OR memcg pressure); from 6.7 ("sock:
 *   Fix improper heuristic on raising memory") sk_under_global_memory_pressure()
 *   (absent in 6.6.63, present in 6.12; kernel-audit 8);
 * - 4.11 to 5.19 count memory_allocated in 4096-byte quanta (SK_MEM_QUANTUM)
 *   and scale tcp_mem/udp_mem to them in sk_prot_mem_limits(); 6.0 went back
 *   to pages (model_mem_unit_bytes, kernel-audit 1);
 * - 6.19 added the sk_bypass_prot_mem branches.
 * amt is already added to allocated_pages and to fwd_alloc_bytes (the
 * optimistic add of __sk_mem_schedule).  "pages" of allocated_pages and
 * amt_pages are the kernel's accounting unit (model_mem_unit_bytes);
 * limit_pages are the sysctl values, in PAGE_SIZE pages. */
enum model_dir { CHARGE_RECV, CHARGE_SEND };

/* SOCK_MIN_SNDBUF = 2 * TCP_SKB_MIN_TRUESIZE = 2 * (2048 + 256) on 64-bit
 * (include/net/sock.h): the floor of sk_stream_moderate_sndbuf(). */
#define MODEL_SOCK_MIN_SNDBUF 4608u

struct model_charge_in {
	enum model_kind kind;
	enum model_dir dir;
	bool stream;			/* SOCK_STREAM (TCP) */
	unsigned kver_major, kver_minor;	/* 0.0: not known, the newest behaviour */
	uint64_t allocated_pages;	/* sk_memory_allocated() after the add */
	uint64_t limit_pages[3];
	bool global_pressure;		/* tcp_memory_pressure set before this charge */
	bool memcg_enabled, memcg_charge_ok, memcg_pressure;
	bool bypass;			/* sk_bypass_prot_mem (6.19+) */
	uint64_t amt_pages, size_bytes;
	/* rmem_alloc as the guarantee test reads it: for UDP see model_udp_rmem_seen() */
	uint64_t rmem_alloc_bytes, wmem_queued_bytes, wmem_alloc_bytes, fwd_alloc_bytes;
	uint64_t sndbuf_bytes;		/* sk_sndbuf before this charge */
	bool sndbuf_locked;		/* SO_SNDBUF set (SOCK_SNDBUF_LOCK): never moderated */
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
	uint64_t sndbuf_after_bytes;	/* sk_sndbuf after sk_stream_moderate_sndbuf() */
	bool enter_pressure, leave_pressure;
	bool sndbuf_moderated;		/* sk_stream_moderate_sndbuf() ran */
	enum model_branch branch;
};

void model_charge(const struct model_charge_in *in, struct model_charge_out *out);
const char *model_branch_name(enum model_branch b);

/* model_udp_rmem_seen() - sk_rmem_alloc as the UDP receive guarantee
 * (rmem_alloc < udp_rmem_min) reads it when a datagram of truesize bytes
 * arrives at a socket holding rmem_before bytes.  Up to 6.17
 * __udp_enqueue_schedule_skb() adds the skb to sk_rmem_alloc before the charge
 * (4.19, 6.1: atomic_add_return; 6.12: atomic_add, then udp_rmem_schedule),
 * so a datagram is admitted above udp_mem[0] only if rmem_before + truesize <
 * udp_rmem_min: one page per socket, none for a datagram of udp_rmem_min or
 * more.  From 6.18 the per-NUMA producer queue charges before it adds the
 * batch: rmem_before (kernel-audit 2). */
uint64_t model_udp_rmem_seen(unsigned kver_major, unsigned kver_minor, uint64_t rmem_before_bytes,
			     uint64_t truesize_bytes);

/* Free path (__sk_mem_reduce_allocated): pressure is left only when the
 * global falls strictly below limit[0] (a charge leaves it at <= limit[0]). */
bool model_free_leaves_pressure(uint64_t allocated_after_pages, uint64_t limit0_pages,
				bool global_pressure);

#endif
