/* diag.h - INET_DIAG (sock_diag) requests and replies: builds the dump
 * request for one family and protocol and parses one reply message into a
 * struct diag_sock, length-checking every attribute (SK_MEMINFO has 8 fields
 * on older kernels, 9 with drops, maybe more later).  Pure: no I/O. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKMEM_DIAG_H
#define SOCKMEM_DIAG_H

#include <linux/netlink.h>
#include <stdbool.h>
#include <stdint.h>

#include "util.h"

/* SK_MEMINFO_* indexes (include/uapi/linux/sock_diag.h) */
enum diag_mem {
	DM_RMEM_ALLOC, DM_RCVBUF, DM_WMEM_ALLOC, DM_SNDBUF, DM_FWD_ALLOC, DM_WMEM_QUEUED,
	DM_OPTMEM, DM_BACKLOG, DM_DROPS, DM_COUNT
};
extern const char *const diag_mem_name[DM_COUNT];	/* "rmem_alloc", ... */

enum diag_proto { DP_TCP, DP_UDP, DP_COUNT };

struct diag_sock {
	uint8_t family;		/* AF_INET, AF_INET6 */
	uint8_t state;		/* TCP_ESTABLISHED ... (UDP: 7 unconnected, 1 connected) */
	enum diag_proto proto;
	uint16_t sport, dport;	/* host order */
	uint8_t src[16], dst[16];
	uint32_t uid, inode;
	uint64_t cookie;
	uint32_t rqueue, wqueue;	/* payload bytes (not truesize) */
	int nmem;			/* SK_MEMINFO fields present (0: none) */
	bool mem_legacy;		/* only INET_DIAG_MEMINFO: r, w(queued), f, t */
	uint32_t mem[DM_COUNT];
	bool has_cgroup;
	uint64_t cgroup_id;
	/* tcp_info (INET_DIAG_INFO), as long as the sending kernel's is */
	bool has_tcp_info;
	uint32_t rtt_us;		/* tcpi_rtt */
	uint64_t delivery_rate;		/* tcpi_delivery_rate, bytes/s (4.9+); 0 if absent */
	bool delivery_rate_app_limited;	/* tcpi_delivery_rate_app_limited (4.9+): the rate
					 * sample was limited by the application */
	bool has_chrono;		/* the sender-limit chronographs (4.10+): */
	uint64_t busy_time_us;		/* tcpi_busy_time: sending (all of the below included) */
	uint64_t rwnd_limited_us;	/* tcpi_rwnd_limited: limited by the peer's window */
};

/* Request for SOCK_DIAG_BY_FAMILY: all states, SKMEMINFO (+ INFO when
 * want_info).  buf must hold DIAG_REQ_SIZE bytes. */
#define DIAG_REQ_SIZE 256
struct nlmsghdr *diag_build_request(void *buf, int family, enum diag_proto proto, bool want_info);

/* Parses a SOCK_DIAG_BY_FAMILY reply.  Returns 0, or -EBADMSG with err set
 * (too short, bad attribute lengths). */
int diag_parse(const struct nlmsghdr *nlh, enum diag_proto proto, struct diag_sock *s,
	       struct parse_err *err);

/* "ESTAB", "LISTEN", ... as ss prints them; "UNCONN" for unconnected UDP. */
const char *diag_state_name(enum diag_proto proto, unsigned state);
#define DIAG_NSTATES 14
const char *diag_proto_name(enum diag_proto p);
/* "TCP", "UDP": as text output names them */
const char *diag_proto_label(enum diag_proto p);

#endif
