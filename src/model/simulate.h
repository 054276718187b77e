/* simulate.h - what-if: N more sockets, each trying to hold B bytes, charged
 * skb by skb through model_charge() against the current usage and limits,
 * with each transition they cross.  Pure logic: no I/O.
 *
 * Each new socket is charged for its bytes in runs of one skb (skb_bytes),
 * as the kernel schedules them: the shortfall size - fwd_alloc rounded up to
 * pages (sk_rmem_schedule/sk_wmem_schedule -> __sk_mem_schedule), decided by
 * model_charge().  The first refused charge caps the socket: usage only
 * grows here (no frees), so a later charge of the same socket would be
 * refused too.  What the kernel admits outside __sk_mem_raise_allocated is
 * explicit (simulate_forced_first_skb):
 * - TCP receive: tcp_data_queue() forces the first in-order skb into an
 *   empty receive queue with sk_forced_mem_schedule(), whatever the limits
 *   (so usage goes past max, kernel-model.md 11.1): 4.19 to 6.1 without
 *   trying the normal charge, 6.6+ after it failed (6.6.63 and 6.12 read;
 *   the release in between is not known; kernel-audit, verified 11);
 * - TCP send: tcp_sendmsg_locked() forces the first skb of an empty write
 *   queue (its head, SIMULATE_SEND_HEAD_BYTES) and, since 6.0,
 *   tcp_wmem_schedule() forces up to tcp_wmem[0] - wmem_queued when the
 *   normal charge fails; a suppressed send keeps its charge when wmem_queued
 *   + size reaches the moderated sndbuf, and the sender then blocks;
 * - UDP has no forced path; its guarantee reads sk_rmem_alloc with the
 *   datagram (<= 6.17) or without it (6.18+): model_udp_rmem_seen().
 * The socket's sndbuf is taken as bytes_per_socket (it is trying to queue
 * that much).  Kernels before 6.0 charged the whole size rather than the
 * shortfall (and UDP up to 6.1 when size >= fwd_alloc): the simulator
 * charges the shortfall for every version, which differs by less than one
 * skb per socket.  "pages" are the kernel's accounting unit, unit_bytes
 * (model_mem_unit_bytes): 4096-byte quanta on 4.11-5.19 with large pages. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKMEM_SIMULATE_H
#define SOCKMEM_SIMULATE_H

#include "charge.h"

enum sim_event {
	SIM_ABOVE_MIN,		/* usage > min: elevated (TCP) / limited (UDP) */
	SIM_ENTER_PRESSURE,	/* TCP flag set */
	SIM_CAPPED,		/* new sockets can no longer reach their size: drops/blocking */
	SIM_OVER_MAX,		/* usage > max */
	SIM_OVER_RAM,		/* usage > MemTotal */
};

/* skb_bytes when none is given: a GRO/TSO skb (MSS-sized without offloads) */
#define SIMULATE_SKB_BYTES 65536u
/* the head of the first send skb that tcp_sendmsg_locked() forces: about the
 * truesize of an skb of MAX_TCP_HEADER (the exact size depends on the build) */
#define SIMULATE_SEND_HEAD_BYTES 1024u

struct simulate_in {
	enum model_kind kind;
	enum model_dir dir;
	unsigned kver_major, kver_minor;	/* 0.0: not known, the newest behaviour */
	uint64_t usage_pages;		/* sockstat mem, in the kernel's unit */
	uint64_t limit_pages[3];	/* tcp_mem / udp_mem as set (PAGE_SIZE pages) */
	enum press_flag press;
	uint64_t band_pages;
	uint64_t sockets_now;		/* sockets_allocated (TCP alloc) */
	uint64_t add_sockets;
	uint64_t bytes_per_socket;
	uint64_t page_size_bytes;
	uint64_t guarantee_bytes;	/* tcp_rmem[0] / tcp_wmem[0] / udp_rmem_min */
	uint64_t skb_bytes;		/* truesize of each skb or datagram; 0: SIMULATE_SKB_BYTES */
	struct opt mem_total_bytes;
};

struct simulate_transition {
	enum sim_event event;
	enum model_state to_state;
	uint64_t at_added_sockets;	/* first added socket at which it happens */
	uint64_t at_added_low, at_added_high;	/* the same with the published figure off by the band */
	uint64_t at_usage_pages;
	uint64_t capped_pages;		/* SIM_CAPPED: what a new socket could still get */
};

#define SIM_MAX_TRANSITIONS 6
#define SIM_MAX_ADD 100000000ull

struct simulate_out {
	uint64_t unit_bytes;		/* the unit of every *_pages below */
	uint64_t pages_per_socket;
	struct simulate_transition t[SIM_MAX_TRANSITIONS];
	int n;
	uint64_t final_usage_pages;
	bool final_pressure;
	enum model_state final_state;
	uint64_t sockets_full;		/* new sockets that got their whole size */
	uint64_t sockets_capped;	/* ... that did not */
	uint64_t admitted_pages;	/* pages the new sockets hold in the end */
	uint64_t wanted_pages;		/* pages they wanted */
	uint64_t charges;		/* model_charge() calls made */
};

/* One new socket as the simulator charges it. */
struct simulate_socket {
	uint64_t held_bytes;		/* rmem_alloc (receive) or wmem_queued (send) */
	uint64_t fwd_alloc_bytes;
	uint64_t charged_pages;
	bool forced;			/* got a forced charge (simulate_forced_first_skb) */
};

/* simulate_forced_first_skb() - the charge the kernel forces for the first
 * skb of socket k, of size bytes, with no limit check (sk_forced_mem_schedule):
 * TCP receive, the whole skb; TCP send, the skb head; UDP, none.  Adds it to
 * *usage_pages and to the socket.  Return: the pages forced. */
uint64_t simulate_forced_first_skb(const struct simulate_in *in, struct simulate_socket *k,
				   uint64_t size_bytes, uint64_t *usage_pages);

/* simulate_run() - add in->add_sockets sockets one after the other. */
void simulate_run(const struct simulate_in *in, struct simulate_out *out);
const char *simulate_event_name(enum sim_event e);

#endif
