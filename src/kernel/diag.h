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

/* The dumps of a per-socket pass.  MPTCP and UDP-Lite sockets are charged
 * to TCP's and UDP's counters (mptcp_prot and udplite_prot .memory_allocated
 * = &tcp_memory_allocated / &udp_memory_allocated: net/mptcp/protocol.c,
 * net/ipv4/udplite.c in 5.10.223, 6.1.192, 6.12.117), so their sockets count
 * in that protocol's sums.  Neither is in a plain TCP or UDP dump: an MPTCP
 * connection (the msk; its subflows are TCP sockets and in the TCP dump) is
 * in the token table, dumped by mptcp_diag for IPPROTO_MPTCP (262, above
 * sdiag_protocol's u8: asked with INET_DIAG_REQ_PROTOCOL, which
 * inet_diag_get_protocol() reads; both in 5.10.223, the oldest tree read, and
 * came together, so an older kernel answers ENOENT); UDP-Lite sockets are in udplite_table, dumped by udp_diag's
 * udplite handler for IPPROTO_UDPLITE.  7.2 has no UDP-Lite (no udplite.c). */
enum diag_dump { DD_TCP, DD_UDP, DD_MPTCP, DD_UDPLITE, DD_COUNT };
struct diag_dump_def {
	const char *name;		/* "mptcp" */
	const char *label;		/* "MPTCP" */
	enum diag_proto counter;	/* whose counter it is charged to */
	int ipproto;			/* IPPROTO_MPTCP */
	bool shares;			/* a protocol sharing another's counter */
};
extern const struct diag_dump_def diag_dumps[DD_COUNT];
/* The dump sharing counter p's (MPTCP for TCP, UDP-Lite for UDP). */
enum diag_dump diag_sharing_dump(enum diag_proto p);

struct diag_sock {
	uint8_t family;		/* AF_INET, AF_INET6 */
	uint8_t state;		/* TCP_ESTABLISHED ... (UDP: 7 unconnected, 1 connected) */
	enum diag_proto proto;
	/* IPPROTO_TCP, IPPROTO_UDP, or IPPROTO_MPTCP / IPPROTO_UDPLITE of a
	 * socket sharing proto's counter; 0: proto's own (a BPF record) */
	uint16_t ipproto;
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

/* idiag_states of a TCP request, shared by both per-socket backends: every
 * state, or only those that can hold charged memory.  TIME-WAIT entries
 * hold none (their count is sockstat's "tw"), nor do bound-only sockets
 * (TCP_BOUND_INACTIVE, 6.8+, which the BPF iterator does not see).
 * Requests (NEW_SYN_RECV, no memory either) stay: the kernel adds them to
 * every request for SYN-RECV, which a full socket can be (a Fast Open
 * child holds the data of its SYN); the listen backlogs bound them. */
#define DIAG_STATES_ALL 0xffffffffu
#define DIAG_STATES_CHARGED (~((1u << 6) | (1u << 13)))

/* Request for SOCK_DIAG_BY_FAMILY: TCP in tcp_states (UDP: all states),
 * SKMEMINFO (+ INFO when want_info).  buf must hold DIAG_REQ_SIZE bytes. */
#define DIAG_REQ_SIZE 256
struct nlmsghdr *diag_build_request(void *buf, int family, enum diag_proto proto, bool want_info,
				    uint32_t tcp_states);
/* The same for any dump.  MPTCP: sdiag_protocol 0 (IPPROTO_IP, which has no
 * handler: a kernel that ignores the attribute answers ENOENT, never with
 * TCP, which 262 & 0xff would be) and INET_DIAG_REQ_PROTOCOL 262, tcp_states,
 * never INET_DIAG_INFO (mptcp_diag's is struct mptcp_info, not tcp_info).
 * UDP-Lite: sdiag_protocol 136, all states. */
struct nlmsghdr *diag_build_dump_request(void *buf, int family, enum diag_dump dump, bool want_info,
					 uint32_t tcp_states);

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
