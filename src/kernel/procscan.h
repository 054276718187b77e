/* procscan.h - what /proc says about processes: socket inode -> PID (the
 * /proc/PID/fd scan "ss -p" does), process names, the network namespaces in
 * use, and cgroup v2 ids -> paths with the memory controller's socket
 * figures.  Degrades without privilege: counts what it could not read and
 * names it in the host's problems; what went away meanwhile is counted in
 * h->deleted. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKMEM_PROCSCAN_H
#define SOCKMEM_PROCSCAN_H

#include <limits.h>

#include "keymap.h"
#include "util.h"

struct host;

/* Every walk records what it could not read in the host's problems
 * (host_problem_add: the path and the -errno), and what went away between
 * the listing and the use in h->deleted (churn, not a problem). */

struct procscan_stats {
	uint64_t processes;		/* PIDs looked at */
	uint64_t denied;		/* whose fd table could not be read */
	uint64_t socket_fds;		/* socket fds found */
	uint64_t shared_sockets;	/* socket inodes open in more than one process */
};

/* A socket open in several processes (inherited across fork, passed with
 * SCM_RIGHTS) is credited to the lowest PID; the map also keeps, for those
 * inodes only, two more uint32_t entries under keys no inode reaches (socket
 * inodes are 32-bit): the number of other processes holding it, and the last
 * one counted (each process is counted once, however many fds it has). */
#define PROCSCAN_KEY_OTHERS (1ull << 63)
#define PROCSCAN_KEY_LAST_PID (1ull << 62)

/* Fills map (inode -> uint32_t pid; the lowest PID wins for shared sockets;
 * procscan_shared_others() tells how many other processes hold one).
 * A /proc/PID/fd that cannot be read is counted in st->denied and named,
 * except for EACCES and EPERM (another user's process) without name_denied;
 * with it, those are named in one line (the path of the one process, or a
 * count of them all).  Returns 0, or -errno (named) when /proc cannot be
 * listed in full or there is no memory. */
int procscan_socket_inodes(struct host *h, struct keymap *map, struct procscan_stats *st,
			   bool name_denied);
/* The same walk for the socket inodes already in map only (each with the
 * value 0; a few: top's rows by socket): memory bounded by them, not by the
 * socket fds of the host.  What it could not read is not named (the rows
 * say "-"); returns 0, or -errno when /proc cannot be listed or -ENOMEM. */
int procscan_socket_inodes_of(struct host *h, struct keymap *map, struct procscan_stats *st);
/* How many processes other than the credited one hold the socket inode, in
 * a map procscan_socket_inodes filled (0: one process, or not known). */
static inline uint32_t procscan_shared_others(const struct keymap *map, uint64_t inode)
{
	const uint32_t *o = map && inode && inode < PROCSCAN_KEY_LAST_PID
			    ? keymap_find(map, inode | PROCSCAN_KEY_OTHERS) : NULL;

	return o ? *o : 0;
}
/* /proc/PID/comm, escaped for a terminal; "?" if unreadable. */
void procscan_comm(uint32_t pid, char *dst, size_t dstsz);
/* Number of distinct network namespaces of running processes and of
 * /run/netns; *complete is false when some could not be read. */
uint64_t procscan_netns_count(struct host *h, bool *complete);

/* One network namespace in use: how to enter it and what to call it. */
struct netns_ent {
	uint64_t inode;
	char path[PATH_MAX];	/* /run/netns/NAME or /proc/PID/ns/net */
	char label[128];	/* "NAME" or "pid PID (COMM)" */
};
/* Every distinct network namespace of /run/netns and of running processes,
 * each once (named ones first).  *list is malloc'ed.  A directory that
 * cannot be listed is named and makes *complete false; returns -ENOMEM. */
int procscan_netns_list(struct host *h, struct netns_ent **list, size_t *n, bool *complete);

/* A v1 kmem.tcp limit at or above this is "unlimited" (PAGE_COUNTER_MAX
 * pages, near 2^63 bytes). */
#define PROCSCAN_KMEM_UNLIMITED_BYTES (1ull << 62)

struct cgroup_info {
	char path[PATH_MAX];		/* relative to the cgroup2 mount, "/" for the root */
	bool found;
	bool deleted;			/* not in a complete walk of the whole tree: removed */
	struct opt sock_bytes;		/* v2 memory.stat "sock" */
	struct opt current_bytes;	/* v2 memory.current */
	struct opt max_bytes;		/* v2 memory.max (absent: "max") */
	struct opt kmem_tcp_usage_bytes;	/* v1 memory.kmem.tcp.usage_in_bytes */
	struct opt kmem_tcp_limit_bytes;	/* v1 memory.kmem.tcp.limit_in_bytes */
};

/* cgroup v1: memory cgroups whose memory.kmem.tcp.limit_in_bytes is set,
 * and the kmem.tcp usage they report.  *known is false without a v1 memory
 * hierarchy. */
void procscan_kmem_tcp(struct host *h, uint64_t *limited, uint64_t *usage_bytes, bool *known);

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
int procscan_memcg_scan(struct host *h, struct memcg_entry *out, int max, double min_fraction);

/* Resolves cgroup v2 ids (INET_DIAG_CGROUP_ID = inode of the directory) in
 * one walk of the tree: ci[i] for ids[i] (zeroed first).  An id the walk did
 * not find, when it was complete and saw the whole hierarchy, is a cgroup
 * removed while its sockets live on: ci[i]->deleted, h->deleted.cgroups. */
void procscan_cgroups(struct host *h, const uint64_t *ids, struct cgroup_info *const *ci, int n);

/* The path of a memory cgroup by the kernfs id of its own cgroup (trace's
 * memcg_cgroup_id): in the cgroup v1 hierarchy with the memory controller
 * when there is one (*v1; ci->path relative to its mount), else as
 * procscan_cgroups() in the cgroup2 tree.  ci->found says whether. */
void procscan_memcg_path(struct host *h, uint64_t id, struct cgroup_info *ci, bool *v1);

#endif
