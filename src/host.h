/* host.h - everything sockmem reads about one machine (live or a --root
 * snapshot), as read: parsed files, sysctls, and what was missing or bad. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKMEM_HOST_H
#define SOCKMEM_HOST_H

#include <limits.h>

#include "netstat.h"
#include "protocols.h"
#include "sockstat.h"
#include "sysinfo.h"

enum unit { UNIT_PAGES, UNIT_BYTES, UNIT_COUNT, UNIT_BOOL };
enum scope { SCOPE_HOST, SCOPE_NETNS };

enum sysctl_id {
	SC_TCP_MEM, SC_UDP_MEM, SC_SCTP_MEM,
	SC_TCP_RMEM, SC_TCP_WMEM, SC_UDP_RMEM_MIN, SC_UDP_WMEM_MIN,
	SC_RMEM_DEFAULT, SC_RMEM_MAX, SC_WMEM_DEFAULT, SC_WMEM_MAX, SC_OPTMEM_MAX,
	SC_MEM_PCPU_RSV, SC_BYPASS_PROT_MEM,
	SC_TCP_MAX_ORPHANS, SC_TCP_MAX_TW_BUCKETS,
	SC_IPFRAG_HIGH_THRESH, SC_IP6FRAG_HIGH_THRESH,
	SC_COUNT
};

struct sysctl_def {
	const char *name;	/* net.ipv4.tcp_mem */
	const char *path;	/* proc/sys/net/ipv4/tcp_mem (relative to the root) */
	const char *key;	/* JSON key, unit suffixed: tcp_mem_pages */
	int n;			/* values in the vector */
	enum unit unit;
	enum scope scope;
	const char *field[3];	/* names of the vector's values */
	unsigned since_major, since_minor; /* 0: long-standing */
};
extern const struct sysctl_def host_sysctl[SC_COUNT];

struct sysctl_val {
	int rc;			/* 0, -ENOENT (absent), other -errno */
	uint64_t v[3];
};

struct host_problem {
	char path[PATH_MAX];
	int line;
	int rc;
	char msg[200];
};

#define HOST_MAX_PROBLEMS 32

struct host {
	char root[PATH_MAX];		/* "" when live */
	char collected_at[40];		/* ISO 8601 UTC */
	uint64_t page_size_bytes;
	const char *page_size_source;	/* "running kernel", "snapshot metadata", "--page-size", ... */
	struct opt possible_cpus;
	struct kversion kver;
	struct opt mem_total_bytes;
	bool netns_child;		/* host-only sysctls absent while per-netns ones exist */
	bool have_meta;
	struct snapmeta meta;

	int sockstat_rc, sockstat6_rc, protocols_rc, netstat_rc, snmp_rc;
	struct sockstat ss4, ss6;
	struct protocols protos;
	struct netstat netstat, snmp;
	struct sysctl_val sysctl[SC_COUNT];

	struct host_problem problem[HOST_MAX_PROBLEMS];
	int nproblems;
	bool partial;			/* some expected input could not be used */
};

/* Files of the host view relative to the root, for readers and snapshots. */
struct host_file {
	const char *path;
	bool expected;		/* absence makes the report partial */
};
extern const struct host_file host_files[];
extern const size_t host_nfiles;

#define HOST_META_FILE "sockmem-snapshot.meta"
/* Recorded sock_diag dumps in a snapshot: DIR/sock_diag/{tcp,udp}.dump */
#define SNAPSHOT_DIAG_DIR "sock_diag"

/* Read everything.  root: NULL or "" for the live system.  page_size_opt: 0
 * unless --page-size was given.  Returns 0, or -errno when the report cannot be
 * made at all (sockstat unusable); problems are recorded in h either way. */
int host_collect(struct host *h, const char *root, uint64_t page_size_opt);

/* Full path of a root-relative file, for messages: "/proc/net/sockstat". */
void host_path(const struct host *h, const char *rel, char *dst, size_t dstsz);

/* Read a root-relative file into a malloc'ed buffer (at most HOST_MAX_FILE). */
#define HOST_MAX_FILE (1u << 20)
int host_read_file(const char *root, const char *rel, char **buf, size_t *len);

#endif
