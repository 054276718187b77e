/* sockets.h - streaming aggregation of per-socket meminfo: totals per
 * protocol and state, the charged bytes the kernel counts against
 * tcp_mem/udp_mem, worst-case commitment, slow readers, and a bounded top-N
 * by socket or by process, cgroup, port or state.  Memory does not grow with
 * the number of sockets (only with the number of groups).  Pure: no I/O. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKMEM_SOCKETS_H
#define SOCKMEM_SOCKETS_H

#include "diag.h"
#include "keymap.h"

/* The BDP histogram: bucket 0 holds BDPs below 2^10 bytes, then 2^3
 * buckets per power of two from 2^10 to 2^40 (each 1/8 of its octave's
 * lower edge wide), and the last one 2^40 bytes and above. */
#define SOCKETS_BDP_MIN_SHIFT 10
#define SOCKETS_BDP_MAX_SHIFT 40
#define SOCKETS_BDP_SUB_SHIFT 3
#define SOCKETS_BDP_BUCKETS \
	(((SOCKETS_BDP_MAX_SHIFT - SOCKETS_BDP_MIN_SHIFT) << SOCKETS_BDP_SUB_SHIFT) + 2)

/* Why an established connection's tcp_info does not measure the path. */
enum sockets_bdp_use {
	SOCKETS_BDP_LOOPBACK,		/* over lo: rate and rtt are the host's, not a path's */
	SOCKETS_BDP_APP_LIMITED,	/* the rate sample was application-limited */
	SOCKETS_BDP_RWND_LIMITED,	/* limited by the peer's receive window most of the time */
	SOCKETS_BDP_NSKIP,
	SOCKETS_BDP_USED = SOCKETS_BDP_NSKIP,	/* a path measurement */
	SOCKETS_BDP_NONE,		/* no rate or rtt: not established, no tcp_info */
};

struct sock_sums {
	uint64_t count;			/* sockets seen */
	uint64_t with_mem;		/* ... that carried SK_MEMINFO */
	uint64_t with_drops_field;	/* ... whose SK_MEMINFO had the drops field */
	uint64_t by_state[DIAG_NSTATES];
	uint64_t mem[DM_COUNT];		/* sums of SK_MEMINFO fields (bytes; drops: packets) */
	uint64_t charged_bytes;		/* TCP r + w + f, UDP r + f */
	uint64_t charged_pages;		/* sum over sockets of ceil(charged / mem unit) */
	uint64_t worst_case_bytes;	/* TCP: min(rb, tcp_rmem[2]) + min(tb, tcp_wmem[2]) */
	uint64_t slow_readers;		/* r >= 90% of rb, or drops, or backlog */
	uint64_t sndbuf_small;		/* TCP tb below tcp_wmem[1]: moderated or SO_SNDBUF */
	uint64_t with_drops, with_backlog;
	/* established TCP connections whose tcp_info measures the path:
	 * bandwidth-delay product (delivery_rate x rtt) in log-linear
	 * buckets of bytes (sockets_bdp_bucket), and those left out */
	uint32_t bdp_hist[SOCKETS_BDP_BUCKETS];
	uint64_t bdp_n;
	uint64_t bdp_skipped[SOCKETS_BDP_NSKIP];
};

/* How d counts in the BDP histogram; *bdp_bytes (if used) gets its BDP. */
enum sockets_bdp_use sockets_bdp_sample(const struct diag_sock *d, uint64_t *bdp_bytes);
/* A connection over the loopback device (127/8, ::1, ::ffff:127/104, or
 * source address == destination address). */
bool sockets_loopback(const struct diag_sock *d);
/* The q-quantile (0..1) of the BDP histogram, interpolated within its
 * bucket (no bucket is wider than an eighth of its lower edge); 0 when
 * empty. */
uint64_t sockets_bdp_quantile(const struct sock_sums *t, double q);
/* The bucket of a BDP, and a bucket's range [*lo, *lo + *width). */
int sockets_bdp_bucket(uint64_t bdp_bytes);
void sockets_bdp_bucket_range(int b, uint64_t *lo, uint64_t *width);

struct sockets_params {
	/* the unit charged_pages counts (model_mem_unit_bytes): the page, or
	 * 4096-byte quanta on 4.11-5.19 with larger pages */
	uint64_t mem_unit_bytes;
	bool tcp_limits_ok;
	uint64_t tcp_rmem_max_bytes, tcp_wmem_max_bytes, tcp_wmem_default_bytes;
};

/* BY_PORT: the local port; BY_PEER_PORT: the remote one (outgoing
 * connections to one service, whatever their ephemeral local ports). */
enum sockets_by { BY_SOCKET, BY_PROCESS, BY_CGROUP, BY_PORT, BY_STATE, BY_PEER_PORT, BY_COUNT };
extern const char *const sockets_by_name[BY_COUNT];

/* A group key decoded: what a sock_entry's key means for each grouping. */
struct sock_group_key {
	enum sockets_by by;
	enum diag_proto proto;		/* BY_PORT, BY_PEER_PORT, BY_STATE */
	uint16_t port;			/* BY_PORT: local port; BY_PEER_PORT: remote port */
	uint8_t state;			/* BY_STATE: TCP_* / UDP state */
	uint64_t id;			/* BY_PROCESS: pid; BY_CGROUP: cgroup id */
};
struct sock_group_key sockets_group_key(enum sockets_by by, uint64_t key);

/* One socket, or one group of sockets. */
struct sock_entry {
	uint64_t key;			/* encoded group key: sockets_group_key() decodes it */
	uint64_t charged_bytes;
	uint64_t count;
	uint64_t mem[DM_COUNT];
	uint64_t slow_readers, sndbuf_small;
	/* BY_PROCESS: its sockets other processes also hold, and the most other
	 * processes holding one of them (procscan_shared_others) */
	uint64_t shared_sockets;
	uint32_t shared_others_max;
	bool drops_known;
	struct diag_sock s;		/* BY_SOCKET: the socket; groups: the largest one */
};

struct sockets {
	struct sockets_params par;
	struct sock_sums sum[DP_COUNT];
	enum sockets_by by;
	int topn;
	struct sock_entry *heap;	/* BY_SOCKET: min-heap of the topn largest */
	int nheap;
	struct keymap groups;		/* other BY_*: key -> struct sock_entry */
	/* BY_PROCESS: socket inode -> uint32_t pid, with procscan's entries
	 * for the shared ones (procscan_shared_others) */
	const struct keymap *inode_pid;
	uint64_t unattributed, unattributed_bytes;
	/* holders_one_proto: only holders_proto's sockets become holders (the
	 * heap, the groups, the unattributed figures); the sums count every one */
	bool holders_one_proto;
	enum diag_proto holders_proto;
};

int sockets_init(struct sockets *s, const struct sockets_params *par, enum sockets_by by, int topn,
		 const struct keymap *inode_pid);
void sockets_reset(struct sockets *s);
void sockets_free(struct sockets *s);
/* Adds one socket.  Returns 0 or -ENOMEM. */
int sockets_add(struct sockets *s, const struct diag_sock *d);
/* Adds src's protocol sums into dst (for several network namespaces). */
void sockets_merge_sums(struct sockets *dst, const struct sockets *src);
/* Adds everything of src (same grouping) into dst: sums, top entries,
 * groups.  Returns 0, -EINVAL (different grouping) or -ENOMEM. */
int sockets_merge(struct sockets *dst, const struct sockets *src);
/* Charged bytes of one socket (TCP r+w+f, UDP r+f). */
uint64_t sockets_charged(const struct diag_sock *d);
bool sockets_slow_reader(const struct diag_sock *d);
bool sockets_sndbuf_small(const struct sockets_params *par, const struct diag_sock *d);
/* The top entries, largest first, into out[max]; returns how many. */
int sockets_top(const struct sockets *s, struct sock_entry *out, int max);

#endif
