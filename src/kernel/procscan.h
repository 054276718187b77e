/* procscan.h - what /proc says about processes: socket inode -> PID (the
 * /proc/PID/fd scan "ss -p" does), process names, the network namespaces in
 * use, and cgroup v2 ids -> paths with the memory controller's socket
 * figures.  Degrades without privilege: counts what it could not read. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKMEM_PROCSCAN_H
#define SOCKMEM_PROCSCAN_H

#include <limits.h>

#include "keymap.h"
#include "util.h"

struct procscan_stats {
	uint64_t processes;		/* PIDs looked at */
	uint64_t denied;		/* whose fd table could not be read */
	uint64_t socket_fds;		/* socket fds found */
};

/* Fills map (inode -> uint32_t pid; the lowest PID wins for shared sockets). */
int procscan_socket_inodes(struct keymap *map, struct procscan_stats *st);
/* /proc/PID/comm, escaped for a terminal; "?" if unreadable. */
void procscan_comm(uint32_t pid, char *dst, size_t dstsz);
/* Number of distinct network namespaces of running processes and of
 * /run/netns; *complete is false when some could not be read. */
uint64_t procscan_netns_count(bool *complete);

/* One network namespace in use: how to enter it and what to call it. */
struct netns_ent {
	uint64_t inode;
	char path[PATH_MAX];	/* /run/netns/NAME or /proc/PID/ns/net */
	char label[128];	/* "NAME" or "pid PID (COMM)" */
};
/* Every distinct network namespace of /run/netns and of running processes,
 * each once (named ones first).  *list is malloc'ed. */
int procscan_netns_list(struct netns_ent **list, size_t *n, bool *complete);

/* A v1 kmem.tcp limit at or above this is "unlimited" (PAGE_COUNTER_MAX
 * pages, near 2^63 bytes). */
#define PROCSCAN_KMEM_UNLIMITED_BYTES (1ull << 62)

struct cgroup_info {
	char path[PATH_MAX];		/* relative to the cgroup2 mount, "/" for the root */
	bool found;
	struct opt sock_bytes;		/* v2 memory.stat "sock" */
	struct opt current_bytes;	/* v2 memory.current */
	struct opt max_bytes;		/* v2 memory.max (absent: "max") */
	struct opt kmem_tcp_usage_bytes;	/* v1 memory.kmem.tcp.usage_in_bytes */
	struct opt kmem_tcp_limit_bytes;	/* v1 memory.kmem.tcp.limit_in_bytes */
};

/* cgroup v1: memory cgroups whose memory.kmem.tcp.limit_in_bytes is set,
 * and the kmem.tcp usage they report.  *known is false without a v1 memory
 * hierarchy. */
void procscan_kmem_tcp(uint64_t *limited, uint64_t *usage_bytes, bool *known);

/* Pure: the first number of buf (key NULL), or of the line "KEY N" (as in
 * memory.stat).  "max" and anything else is absent. */
struct opt procscan_parse_u64(const char *buf, size_t len, const char *key);

/* cgroup v2: the cgroups with a memory.max whose sockets hold memory, the
 * fullest first (current / max).  Returns how many were put in out[max]. */
struct memcg_entry {
	char path[PATH_MAX];
	uint64_t current_bytes, max_bytes, sock_bytes;
	struct opt sock_throttled;
};
int procscan_memcg_scan(struct memcg_entry *out, int max, double min_fraction);

/* Resolves a cgroup v2 id (INET_DIAG_CGROUP_ID = inode of the directory). */
int procscan_cgroup(uint64_t id, struct cgroup_info *ci);

#endif
