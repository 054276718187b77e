/* rules.h - the advice rules: one table (rules.c), each rule a small pure
 * function over the report (and, when there is one, the per-socket view)
 * emitting findings with their evidence, the kernel mechanism and a fix
 * computed for this host. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKMEM_RULES_H
#define SOCKMEM_RULES_H

#include <limits.h>

#include "fix.h"
#include "report.h"

enum sev { SEV_INFO, SEV_WARN, SEV_CRIT };
enum fscope { FS_HOST, FS_NETNS, FS_CGROUP, FS_SOCKET, FS_APPLICATION };

#define FINDING_MAX_EV 12
#define FINDING_MAX_SYSCTL 4

struct evidence {
	const char *key;		/* with its unit: usage_pages, rate_per_s */
	enum { EV_U64, EV_I64, EV_DBL, EV_STR, EV_BOOL } t;
	uint64_t u;
	int64_t i;
	double d;
	char s[1024];			/* sized for a Kubernetes cgroup path or a cause, never cut */
};

struct finding {
	const char *id;
	const char *subject;		/* what a per-protocol finding is about: "net.ipv4.udp_mem" */
	enum sev sev;
	enum fscope scope;
	bool container_can_apply;	/* can a container (child netns) apply the fix */
	char summary[PATH_MAX + 512];
	const char *mechanism;		/* the kernel behaviour behind it */
	struct evidence ev[FINDING_MAX_EV];
	int nev;
	struct sysctl_change fix[FINDING_MAX_SYSCTL];	/* each passed fix_verify() */
	int nfix;
	char application[PATH_MAX + 512];		/* a fix that is not a sysctl, or why none is proposed */
};

/* The first of f's fixes that the model made a prediction for, or NULL. */
const struct sysctl_change *rules_prediction(const struct finding *f);

/* Counter rates when the advice was sampled over time. */
struct advise_rates {
	bool ok;
	double seconds;
	double per_s[16];		/* indexed like report.counter[] */
	struct opt tcp_usage_first_pages;	/* TCP usage at the first sample */
};

/* Buffer sizing from the bandwidth-delay product. */
struct advise_bdp {
	bool given;			/* --bandwidth/--rtt */
	double bandwidth_bytes_per_s, rtt_s;
	bool measured;			/* from live tcp_info */
	uint64_t measured_bdp_bytes;	/* 90th percentile over connections */
	uint64_t measured_connections;
	uint64_t connections;		/* for the tcp_mem need: --connections or ESTAB count */
};

struct advise_slow {		/* the largest holders with slow readers */
	char who[160];		/* "pid 123 (nginx)" or "tcp port 443" */
	uint64_t sockets, slow, drops, charged_bytes;
};

/* A cgroup v2 memory controller near its memory.max (a second, independent
 * limit on socket memory: the charge fails there before tcp_mem). */
struct advise_memcg {
	char path[PATH_MAX];
	uint64_t current_bytes, max_bytes, sock_bytes;
	struct opt sock_throttled;	/* memory.events, 6.19+ */
};

/* Evidence from "advise --trace": the UDP refusals and memory drops of a
 * traced window, condensed (report_advise_trace). */
struct advise_trace_socket {
	char local[64];			/* "addr:port" */
	uint16_t port;
	uint64_t events;		/* its UDP refusals and memory drops */
	double share_pct;		/* of every UDP one in the window */
	uint64_t rcvbuf_drops;		/* of them SOCKET_RCVBUFF: its own buffer full */
	int64_t rmem_alloc_bytes, rcvbuf_bytes;	/* at its first event */
	bool buffer_full;		/* the events say the receive buffer was full */
	bool pid_found;
	uint32_t pid;
	char comm[64];
	bool cgroup_found;
	char cgroup[PATH_MAX];
	bool pod_found;
	char pod_uid[64], container[80];
};

struct advise_trace {
	bool ran;			/* advise --trace was given */
	bool bpf;			/* the events were traced (else the counters alone) */
	const char *level;		/* trace's attribution level */
	const char *why;		/* what is missing for events, or NULL */
	double window_s;
	uint64_t udp_events;		/* refusals, PROTO_MEM and SOCKET_RCVBUFF drops */
	uint64_t udp_limit_events;	/* of them refused by a limit (refusals, PROTO_MEM) */
	uint64_t udp_sockets, udp_cgroups;	/* distinct ones with events */
	double top_cgroup_share_pct;	/* the cgroup with the most events */
	char top_cgroup[PATH_MAX];
	struct advise_trace_socket top;	/* the socket with the most events */
	bool peak_ok;			/* a limit event carried the usage */
	uint64_t peak_usage_pages;	/* the highest udp usage a limit event saw */
	uint64_t udp_mem_pages[3];	/* udp_mem then */
	bool memcg_only;		/* every limit event was below udp_mem[0]: the memory cgroup's */
};

struct advise_in {
	const struct host *h;
	const struct report *r;
	struct advise_rates rates;
	struct advise_bdp bdp;
	struct advise_slow slow[3];
	int nslow;
	struct advise_memcg memcg[3];
	int nmemcg;
	struct opt uptime_s;		/* seconds since boot (live only): the age of since-boot totals */
	bool kmem_tcp_known;
	uint64_t kmem_tcp_limited_cgroups;	/* v1 memory cgroups with a kmem.tcp limit */
	uint64_t kmem_tcp_usage_bytes;
	struct advise_trace trace;	/* advise --trace */
};

#define RULES_MAX_FINDINGS 48

/* Runs every rule; findings sorted most urgent first.  Returns how many. */
int rules_run(const struct advise_in *in, struct finding *out, int max);
const char *rules_sev_name(enum sev s);
const char *rules_scope_name(enum fscope s);
/* Number of rules and their ids, for documentation and tests. */
int rules_count(void);
const char *rules_id(int i);

#endif
