/* host.h - everything sockmem reads about one machine (live or a --root
 * snapshot), as read: parsed files, sysctls, and what was missing or bad. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKMEM_HOST_H
#define SOCKMEM_HOST_H

#include <limits.h>

#include "archive_tree.h"
#include "capture.h"
#include "netstat.h"
#include "protocols.h"
#include "snapshot.h"
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

struct host;

struct sysctl_def {
	const char *name;	/* net.ipv4.tcp_mem (its file: host_sysctl_input()) */
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

/* An input that could not be used.  The strings belong to the struct host
 * (host_free()); nothing is truncated. */
struct host_problem {
	const char *path;	/* as opened: "/proc/net/sockstat", "ROOT/proc/net/sockstat" */
	const char *path_safe;	/* path, control and non-ASCII bytes as \xNN: for a terminal */
	int line;		/* 1-based; 0: the file as a whole */
	int rc;			/* -errno */
	const char *msg;	/* what is wrong (without the line number) */
};

struct host_store;

/* A capture's sysctl -a of another network namespace (sos: ip netns exec NS
 * sysctl -a): the per-namespace sysctls there. */
struct host_netns_sysctl {
	const char *name;		/* the namespace, escaped */
	const char *path;		/* root-relative file */
	bool ok;			/* read; else a problem says why */
	struct sysctl_val v[SC_COUNT];	/* SCOPE_NETNS ones; rc -ENOENT for the others */
};

/* Where an input was read from. */
struct host_from {
	const char *path;	/* root-relative file it came from; NULL: not read */
	int line;		/* its line in that file (sysctl -a); 0: the whole file */
	const char *how;	/* NULL: the kernel's file itself; "sysctl -a", "uname -a", ... */
	const char *conflict;	/* the kernel's file and a command output disagree: how */
};
#define HOST_MAX_INPUTS 40

/* What went away between being listed and being used while the host was
 * walked (a container host's churn, not a problem: the report stays
 * complete): a network namespace gone when opened or entered, a /proc/PID
 * gone, a cgroup directory gone or a socket's cgroup no longer in the tree. */
struct host_deleted {
	uint64_t network_namespaces;
	uint64_t processes;
	uint64_t cgroups;
};

struct host {
	char root[PATH_MAX];		/* "" when live */
	char collected_at[40];		/* ISO 8601 UTC */
	uint64_t page_size_bytes;
	const char *page_size_source;	/* "running kernel", "snapshot metadata", "--page-size", ... */
	struct opt possible_cpus;
	/* /sys/devices/system/cpu/online (a capture: its /proc/cpuinfo): the
	 * CPUs online when read; unknown when absent (no problem) */
	struct opt online_cpus;
	struct kversion kver;
	struct opt mem_total_bytes;
	bool netns_child;		/* host-only sysctls absent while per-netns ones exist */
	bool have_meta;
	struct snapshot_meta meta;

	int sockstat_rc, sockstat6_rc, protocols_rc, netstat_rc, snmp_rc;
	struct sockstat ss4, ss6;
	struct protocols protos;
	struct netstat netstat, snmp;
	/* /proc/net/tls_stat: the kTLS sockets of this network namespace
	 * (absent, ok false: the tls module is not loaded, or an older
	 * snapshot) */
	struct tls_stat tls;
	struct sysctl_val sysctl[SC_COUNT];

	/* What could not be used, in the order read: host_foreach_problem(). */
	struct host_problem *problem;
	int nproblems;
	bool partial;			/* some expected input could not be used */
	struct host_deleted deleted;	/* counted by the walks after host_collect() */

	/* --root a capture: a sosreport or insights archive, a directory or read
	 * in place from its archive file */
	enum capture_layout layout;
	bool root_file;			/* --root names a file: an archive, or no tree */
	struct archive_tree *archive;	/* --root names an archive file */
	const char *base;		/* "" or "data/": where the tree starts inside */
	struct host_from from[HOST_MAX_INPUTS];	/* by index of host_inputs[] */
	int nconflicts;
	char machine[64];		/* uname -m, kernel.arch; "" */
	const char *machine_from;
	char capture_time[300];		/* date: ISO 8601 UTC, or as printed; "" */
	char hostname[300];		/* proc/sys/kernel/hostname, or a capture's hostname output; "" */
	struct opt getconf_page_size_bytes;
	const char *page_size_confidence;	/* "certain", "likely", "guess", "assumed" */
	char page_size_why[300];
	bool netstat_zeros_omitted, snmp_zeros_omitted;	/* from netstat -s or nstat without -z */
	/* the release unknown, but the capture's time puts it before Linux 6.0
	 * (2022-10-02): the protocol counters were exact then */
	bool kernel_before_6_0;
	int capture_year;		/* of capture_time; 0 when not known */
	struct host_netns_sysctl *netns_sysctl;	/* a sosreport's per-namespace sysctl -a */
	int nnetns_sysctl;

	struct host_store *store;	/* what host_collect() allocated: host_free() */
};

/* Number of problems, and a loop over them:
 *	const struct host_problem *p;
 *	host_foreach_problem(p, h)
 *		report(p->path_safe, p->line, p->msg); */
static inline int host_problem_count(const struct host *h)
{
	return h->nproblems;
}
#define host_foreach_problem(p, h) \
	for ((p) = (h)->problem; (p) && (p) < (h)->problem + (h)->nproblems; (p)++)

/* Where an input comes from. */
enum host_origin {
	HOST_KERNEL,		/* the running kernel's: read live, copied by "sockmem snapshot" */
	HOST_SNAPSHOT,		/* written by "sockmem snapshot": read only under a root */
	HOST_CAPTURE,		/* a command's output in a capture: read only under a root,
				 * never copied */
};

/* Another source of an input in a capture (a sosreport, an insights
 * archive), in a format of its own: its text is turned into what the
 * input's file would hold and read by the input's parser.  It is read when
 * the input's own file is absent. */
enum host_alt_kind {
	ALT_FILE,		/* the same format under another path */
	ALT_SYSCTL_A,		/* "name = value" of sysctl -a (key: the sysctl) */
	ALT_UNAME_RELEASE,	/* uname -a: the release */
	ALT_UNAME_MACHINE,	/* uname -a: the machine */
	ALT_LSCPU,		/* lscpu: CPU(s) */
	ALT_CPUINFO,		/* /proc/cpuinfo: processor entries */
	ALT_FREE,		/* free: Mem total */
	ALT_NSTAT,		/* nstat -az */
	ALT_NETSTAT_S,		/* netstat -s */
};
struct host_alt {
	enum host_alt_kind kind;
	const char *path;	/* root-relative; NULL ends a list */
	const char *key;	/* ALT_SYSCTL_A: the sysctl, NULL for the input's own */
};

#define HOST_NO_RC ((size_t)-1)

/* One file of the host view.  host_inputs[] is the one list of them: what
 * host_collect() reads, what "sockmem snapshot" copies, and what the tests
 * are generated from (tests/helpers/listinputs prints it). */
struct host_input {
	const char *path;	/* relative to the root: "proc/net/sockstat" */
	bool expected;		/* its absence is a problem: the report is partial */
	enum host_origin origin;
	/* Parses the file's text into dest (h + .dest); 0 or -errno with err set. */
	int (*parse)(struct host *h, const struct host_input *in, void *dest, const char *text,
		     size_t len, struct parse_err *err);
	size_t dest;		/* offsetof(struct host, ...) of what parse fills */
	size_t rc;		/* offsetof(struct host, ...) of the int that gets the result,
				 * or HOST_NO_RC */
	bool keeps_text;	/* what parse fills points into the text: keep it */
	int sysctl;		/* enum sysctl_id of a sysctl, -1 for other files */
	const struct host_alt *alt;	/* other sources in a capture, or NULL */
};
extern const struct host_input host_inputs[];
extern const size_t host_ninputs;

/* The input of a sysctl: host_sysctl_input(SC_TCP_MEM)->path is
 * "proc/sys/net/ipv4/tcp_mem". */
const struct host_input *host_sysctl_input(enum sysctl_id id);

/**
 * host_collect() - read everything sockmem reads about one machine
 * @h: filled; its earlier contents are not looked at
 * @root: NULL or "" for the live system, else a snapshot or capture directory, or a
 *        capture's archive file (read in place)
 * @page_size_opt: 0 unless --page-size was given
 *
 * Problems are recorded in @h either way.  The parsed files, texts and problems
 * belong to @h until host_free(@h) or the next host_collect(@h), which releases
 * them first (a struct that is only free()d keeps them reachable until then).
 * Return: 0, or -errno when the report cannot be made at all (sockstat unusable).
 */
int host_collect(struct host *h, const char *root, uint64_t page_size_opt);

/**
 * host_free() - release what host_collect() allocated for @h
 * @h: a collected host, or a zeroed one; not the struct itself (the caller's)
 *
 * @h is empty afterwards: collect again before reading it.
 */
void host_free(struct host *h);

/* Records a problem met after host_collect() by a walk of the live system
 * (/proc, a cgroup tree, /run/netns): path absolute, rc -errno, msg NULL for
 * strerror(-rc).  Marks h partial; the same path and rc is recorded once. */
void host_problem_add(struct host *h, const char *path, int rc, const char *msg);

/* Read a root-relative file into a malloc'ed buffer (at most HOST_MAX_FILE).
 * Returns 0 or -errno (-ENAMETOOLONG: ROOT/REL longer than PATH_MAX). */
#define HOST_MAX_FILE (1u << 20)
int host_read_file(const char *root, const char *rel, char **buf, size_t *len);

/* A root-relative file of the collected tree (directory or archive), malloc'ed:
 * what collect.c reads beside host_inputs[] (ss output).  0 or -errno. */
int host_read_input(const struct host *h, const char *rel, char **buf, size_t *len);
/* The entries of a root-relative directory of the tree; fn's non-zero stops.
 * Returns 0, what fn returned, or -errno. */
int host_list_dir(const struct host *h, const char *rel, int (*fn)(const char *name, void *arg),
		  void *arg);
/* "ROOT/rel" as a problem names it (the archive's path for an archive). */
void host_path(const struct host *h, const char *rel, char *buf, size_t size);
/* Whether the collected --root is a capture (a sosreport or insights archive,
 * a directory or read in place) rather than a /proc-shaped tree. */
static inline bool host_is_capture(const struct host *h)
{
	return h->root[0] && (h->archive || h->layout != LAYOUT_PROC);
}

/* What an input is called in the report: the sysctl's name, else its path. */
const char *host_input_label(const struct host_input *in);

#endif
