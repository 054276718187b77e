/* report.h - the one data structure "show" renders: the host view run
 * through the model, with every figure in pages and bytes.  Text and JSON
 * are two views of it (output_text.c, output_json.c).  Pure: no I/O. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKMEM_REPORT_H
#define SOCKMEM_REPORT_H

#include "host.h"
#include "model.h"
#include "trend.h"
#include "sockdump.h"
#include "sockets.h"

#define REPORT_SCHEMA_VERSION "1.0"

struct proto_def {
	const char *key;		/* JSON key: "tcp" */
	const char *label;		/* "TCP" */
	const char *protocols_row;	/* row in /proc/net/protocols */
	const char *sockstat_line;	/* line carrying "mem" in sockstat, or NULL */
	enum sysctl_id limits;
	enum model_kind kind;
	const char *shares_with;	/* same kernel counter as this protocol */
	bool always;			/* shown even when protocols does not list it */
};

struct proto_report {
	const struct proto_def *def;
	struct opt usage_pages;
	const char *usage_source;	/* "/proc/net/sockstat", "/proc/net/protocols" */
	struct opt usage_bytes;
	bool limits_ok;
	uint64_t limit_pages[3];
	uint64_t limit_bytes[3];
	const char *limits_why;		/* when !limits_ok */
	enum press_flag press;
	struct opt sockets_netns;	/* protocols "sockets" (per netns) */
	struct opt sockets_alloc;	/* sockstat alloc (global, TCP only) */
	struct opt avg_charge_bytes;	/* usage / sockets_alloc */
	struct model_out m;
	/* headroom in sockets at default buffers ([1]) and full buffers ([2]) */
	struct opt headroom_sockets_default[3], headroom_sockets_full[3];
	struct opt headroom_sockets_avg[3];
	/* with show --interval */
	bool trend_ok;
	struct trend trend;
	bool eta_ok[3], eta_unbounded[3];
	double eta_s[3], eta_lo_s[3], eta_hi_s[3];
};

struct frag_report {
	const char *key;		/* "ipv4" */
	struct opt inuse, usage_bytes, high_thresh_bytes;
	double pct;
};

struct count_report {
	const char *key, *label;
	struct opt value;
	enum scope scope;
	struct opt limit;
	const char *limit_name;
	enum scope limit_scope;
};

struct counter_report {
	const char *key;	/* JSON key (kernel name) */
	const char *group;	/* TcpExt, Udp */
	const char *unit;	/* "events", "ms", "packets" */
	const char *meaning;
	struct opt value;
};

struct unavailable {
	const char *what;
	char why[200];
};

/* sockstat mem against the sum of the sockets' charged pages. */
struct recon_report {
	bool ok;			/* both sides known */
	uint64_t sockstat_pages, sockets_pages;
	int64_t residual_pages;		/* sockstat - sockets */
	struct opt band_pages;
	bool within_band;
	const char *cause[4];		/* likely causes when outside the band */
	int ncause;
};

/* One network namespace's share, with --all-netns. */
struct netns_sums {
	uint64_t inode;
	char label[128];
	bool ok;
	struct sock_sums sum[DP_COUNT];
};

struct sockets_report {
	bool present;			/* a per-socket view was made */
	const char *absent_reason;	/* when not: why */
	char source[300];		/* "sock_diag (this network namespace)", "replay of FILE" */
	const struct sockets *agg;
	const struct sockdump_status *st;
	struct recon_report recon[DP_COUNT];
	bool netns_known, netns_complete;
	uint64_t netns_count;		/* network namespaces in use on the host */
	bool all_netns;			/* every namespace was dumped (--all-netns) */
	const struct netns_sums *per_ns;
	size_t nper_ns;
};

#define REPORT_MAX_PROTOS 5
#define REPORT_MAX_COUNTS 12
#define REPORT_MAX_COUNTERS 16
#define REPORT_MAX_UNAVAILABLE (SC_COUNT + 4)

struct report {
	const struct host *h;
	struct model_reserve reserve;
	struct opt band_pages, band_bytes;
	struct proto_report proto[REPORT_MAX_PROTOS];
	int nproto;
	struct frag_report frag[2];
	struct count_report count[REPORT_MAX_COUNTS];
	int ncount;
	struct counter_report counter[REPORT_MAX_COUNTERS];
	int ncounter;
	struct unavailable unavail[REPORT_MAX_UNAVAILABLE];
	int nunavail;
	struct sockets_report sk;
};

void report_build(struct report *r, const struct host *h);
/* Time to each threshold of protocol index p from samples (t in s, pages). */
void report_add_trend(struct report *r, int p, const double *t, const double *u, int n);
/* Adds the per-socket view and reconciles it with sockstat.  netns_count: 0
 * when unknown. */
void report_add_sockets(struct report *r, const struct sockets *agg,
			const struct sockdump_status *st, const char *source, uint64_t netns_count,
			bool netns_complete);
const char *report_scope_name(enum scope s);

#endif
