/* simulate.h - what-if: N more sockets, each trying to hold B bytes, charged
 * against the current usage and limits.  Pure logic: no I/O. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKMEM_SIMULATE_H
#define SOCKMEM_SIMULATE_H

#include "charge.h"

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

struct simulate_in {
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
};

void simulate_run(const struct simulate_in *in, struct simulate_out *out);
const char *simulate_event_name(enum sim_event e);

#endif
