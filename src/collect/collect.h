/* collect.h - the per-socket pass for a host: a struct sockets filled from
 * the kernel (this network namespace, or every one in use) through
 * sock_diag or the BPF socket iterators, from a replayed `ss -D` dump, from
 * a snapshot's recorded dumps, or from ss -m text (a capture's ss -peaonmi
 * and its per-namespace copies, --ss-file); with the choice of source and
 * backend, the IPv6 skip, the states left out, the per-namespace sums and
 * the exact charge in one place.  Returns -errno and a problem list; never
 * prints. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKMEM_COLLECT_H
#define SOCKMEM_COLLECT_H

#include "host.h"
#include "report.h"
#include "sockdump.h"
#include "sockets.h"

/* Where a live per-socket pass comes from (--backend). */
enum collect_backend {
	COLLECT_AUTO,		/* the BPF iterators when they load, else sock_diag */
	COLLECT_NETLINK,	/* sock_diag only: no BPF, no exact charge */
	COLLECT_BPF,		/* the BPF iterators, or an error */
	COLLECT_BACKENDS
};
extern const char *const collect_backend_name[COLLECT_BACKENDS];	/* "auto", ... */
/* The backend named s, or -1. */
int collect_backend_parse(const char *s);

struct collect_req {
	const char *diag_file;		/* replay this recorded TCP dump (ss -D), or read this
					 * ss -m text output (told apart by its content) */
	bool all_netns;			/* live: every network namespace in use */
	enum sockets_by by;
	int topn;
	const struct keymap *inode_pid;	/* BY_PROCESS */
	bool want_info;			/* ask the kernel for tcp_info too */
	bool count_netns;		/* live: count the namespaces in use */
};

/* The live backend of every later pass of this process (--backend; the
 * command layer sets it once, before the first pass).  Default: auto.
 * A request for sums only (BY_SOCKET with no top entries: show) leaves out
 * the TCP states that hold no charged memory (DIAG_STATES_CHARGED); top,
 * watch, advise and snapshot see every state. */
void collect_set_backend(enum collect_backend b);

struct collect_out {
	bool present;			/* a per-socket view was made */
	const char *absent_reason;	/* when not */
	char source[PATH_MAX + 64];	/* "sock_diag (this network namespace)", ... */
	struct sockdump_status st;
	/* with all_netns */
	struct netns_sums *per_ns;
	size_t nper_ns;
	/* namespaces in use (count_netns or all_netns); 0 = unknown */
	uint64_t netns_count;
	bool netns_complete;
	/* live: the backend that made the pass (COLLECT_NETLINK or _BPF), and
	 * why not BPF when auto fell back to sock_diag */
	enum collect_backend used;
	char backend_why[320];
	bool backend_unavailable;	/* --backend bpf could not load: the -errno returned */
	uint64_t sockets_walked;	/* sockets the pass read (all namespaces) */
	struct report_exact_in exact;	/* the exact charge, or why not */
	/* from ss text (--ss-file, a capture): the processes ss -p named */
	bool from_text;
	struct keymap ss_pids;		/* socket inode (or a stand-in) -> uint32_t pid */
	struct keymap ss_comms;		/* pid -> char[64] name */
	/* with a -errno return that is not about the request's source: the
	 * file or call that failed ("/proc/self/ns/net", "setns ..."); NULL */
	const char *failed;
	bool stranded;			/* left in another network namespace: stop */
};

/* The aggregator's parameters from the host (page size, tcp_rmem/wmem). */
struct sockets_params collect_params(const struct host *h);
/* --diag-file ARG: the protocol of the recording ("udp:FILE", "tcp:FILE",
 * a snapshot's udp.dump; TCP otherwise) and the file's path. */
enum diag_proto collect_replay_proto(const char *arg);
const char *collect_replay_path(const char *arg);

/* Fills agg (initialised here; sockets_free it) for host h.  Returns 0 with
 * out->present telling whether a view was made, or -errno when the
 * requested source cannot be read at all (out->st.problem says why, or
 * out->failed names what failed).  What the walks of /proc and /run/netns
 * could not read is added to h's problems, what went away meanwhile to
 * h->deleted. */
int collect_sockets(struct host *h, const struct collect_req *q, struct sockets *agg,
		    struct collect_out *out);
/* The same with only one protocol's sockets as holders (top's table of one
 * protocol): holders_proto DP_TCP or DP_UDP, or -1 for every one. */
int collect_sockets_of(struct host *h, const struct collect_req *q, int holders_proto,
		       struct sockets *agg, struct collect_out *out);
void collect_free(struct collect_out *out);

/* Reads only the exact charge (no per-socket pass: show --no-sockets,
 * watch's samples between passes) into out->exact; out->present stays
 * false.  Returns 0, or -errno for --backend bpf that cannot load. */
int collect_exact(const struct host *h, const struct collect_req *q, struct collect_out *out);

/* Releases what the live backends keep loaded between calls (the BPF
 * iterators); the next call loads them again. */
void collect_release(void);

/* Hands the view to the report (report_add_sockets) when one was made,
 * and the exact charge when it was read (report_add_exact). */
void collect_to_report(struct report *r, const struct sockets *agg, const struct collect_out *out);

/* Whether the per-socket view of these options comes from ss text (which
 * names processes by its users:(...), never this machine's /proc): a
 * --diag-file/--ss-file of ss output, or a capture (an archive, or a
 * directory with sos_commands/).  Reads the file's first bytes. */
bool collect_from_text(const char *diag_file, const char *root);

/* Names of top's groups: from /proc for the live system (process names,
 * cgroup paths and their memory controller figures: one walk of the cgroup
 * tree; what it could not read is in h's problems, cgroups gone in
 * h->deleted); from the ss text's users:(...) for a view read from text
 * (co->from_text: never this machine's /proc). */
void collect_top_names(struct host *h, struct report_top *t, const struct collect_out *co);

/* snapshot: dumps this namespace's TCP and UDP sockets into DIR's
 * sock_diag/ files (the ss -D format), following no symbolic link.
 * recorded[p]: that protocol's file is complete.  Returns 0 or -errno
 * (out->st.problem says why). */
int collect_record(const struct host *h, const char *dir, struct collect_out *out,
		   bool recorded[DP_COUNT]);

/* What advise reads from the live system besides the report: uptime (the
 * age of since-boot totals), cgroup v1 kmem.tcp limits, cgroup v2 memory
 * controllers near memory.max.  What could not be read is in h's problems.
 * Returns 0, or the -errno of /proc/uptime (the age of since-boot totals
 * then unknown). */
struct advise_in;
int collect_advise_extras(struct host *h, struct advise_in *in);

#endif
