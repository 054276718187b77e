/* report.h - the one data structure "show" renders: the host view run
 * through the model, with every figure in pages and bytes.  Text and JSON
 * are two views of it (output_text.c, output_json.c).  Pure: no I/O. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKMEM_REPORT_H
#define SOCKMEM_REPORT_H

#include <time.h>

#include "host.h"
#include "simulate.h"
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
	/* memory_allocated as sockstat publishes it, in the kernel's unit:
	 * report.mem_unit_bytes each */
	struct opt usage_pages;
	const char *usage_source;	/* "/proc/net/sockstat", "/proc/net/protocols" */
	struct opt usage_bytes;
	bool limits_ok;
	uint64_t limit_pages[3];	/* the sysctl: pages */
	/* limit_pages in usage's unit (model_limit_in_units): what usage_pages
	 * is compared with; differs from limit_pages only on 4.11-5.19 with
	 * pages above 4 KiB, where usage counts 4096-byte quanta */
	uint64_t limit_units[3];
	uint64_t limit_bytes[3];
	const char *limits_why;		/* when !limits_ok */
	/* limit i - usage in bytes (negative: above), saturated; with limits
	 * and usage known */
	int64_t headroom_bytes[3];
	enum press_flag press;
	struct opt sockets_netns;	/* protocols "sockets" (per netns) */
	struct opt sockets_alloc;	/* sockstat alloc (global, TCP only) */
	struct opt avg_charge_bytes;	/* usage / sockets_alloc */
	struct model_out m;
	/* The true charge, with the BPF backend: memory_allocated plus every
	 * CPU's per_cpu_fw_alloc cache (6.0+), in the unit of usage_pages.
	 * Its band is 0.  m_exact classifies it against the same limits and
	 * flag; the kernel itself compares the published figure (usage_pages),
	 * so exact_note says what follows when the two states differ. */
	struct opt usage_exact_pages;
	struct opt usage_exact_bytes;
	int64_t exact_cached_pages;	/* exact - published: held in the CPUs' caches */
	struct model_out m_exact;
	char exact_note[240];		/* "" when the states agree */
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
	/* with the exact charge: exact - sockets, which is 0 when the dump saw
	 * every charged socket (every namespace) at one moment */
	bool exact_ok;
	uint64_t exact_pages;
	int64_t exact_residual_pages;
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
	const struct sockdump_status *st;	/* the dump's; without a view too (its
						 * problems), NULL without a dump */
	struct recon_report recon[DP_COUNT];
	bool netns_known, netns_complete;
	uint64_t netns_count;		/* network namespaces in use on the host */
	bool all_netns;			/* every namespace was dumped (--all-netns) */
	/* live: "bpf" or "netlink" (NULL for a recording), and why not BPF
	 * when auto fell back to sock_diag ("" otherwise) */
	const char *backend;
	char backend_why[320];
	uint64_t sockets_walked;	/* sockets the pass read */
	const struct netns_sums *per_ns;
	size_t nper_ns;
};

/* Where the figures come from, as each command's header names it: the live
 * system, a snapshot or a capture (which one, taken when, on which host). */
struct report_origin {
	const char *kind;		/* "live", "snapshot", "sosreport", "insights archive" */
	bool capture;			/* a sosreport or an insights archive */
	const char *root;		/* --root as given (unescaped); "" live */
	const char *taken;		/* the snapshot's or the capture's time; NULL */
	const char *host;		/* the capture's host name (its hostname output); NULL */
	/* how sure the page size is when a rule rather than the kernel or a
	 * record gave it ("likely", "guess"); NULL */
	const char *page_size_doubt;
};
/* Fills o from h (kept by reference: h must outlive it). */
void report_origin(struct report_origin *o, const struct host *h);

#define REPORT_MAX_PROTOS 5
#define REPORT_MAX_COUNTS 12
#define REPORT_MAX_COUNTERS 16
#define REPORT_MAX_UNAVAILABLE (SC_COUNT + 4)

/* The exact charge of TCP and UDP as the BPF backend read it (collect.c
 * fills it; report_add_exact puts it beside the published figures). */
struct report_exact_in {
	bool ok[DP_COUNT];
	int64_t global_pages[DP_COUNT];	/* memory_allocated when the caches were read */
	int64_t cached_pages[DP_COUNT];	/* the sum of every CPU's cache */
	uint32_t cpus[DP_COUNT];	/* CPUs read */
	char why[320];			/* when a protocol is not ok: why */
};

struct report {
	const struct host *h;
	struct report_origin origin;
	/* the unit of every usage, headroom and band figure in pages
	 * (model_mem_unit_bytes): the page, or SK_MEM_QUANTUM (4096 bytes) on
	 * 4.11-5.19 with larger pages; units_per_page = page size / it */
	uint64_t mem_unit_bytes;
	unsigned units_per_page;
	struct model_reserve reserve;
	struct opt band_pages, band_bytes;
	bool band_at_least;		/* the reserve is a lower bound (child netns) */
	/* the exact charge is known for some protocol (report_add_exact) */
	bool exact_ok;
	char exact_why[320];		/* why not, or what was missing */
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
	/* some input could not be used: the host's files or the per-socket
	 * view; the command's exit status is SM_EXIT_PARTIAL exactly when set */
	bool partial;
};

void report_build(struct report *r, const struct host *h);

/* ---- samples over time: show --interval, watch, advise --interval ---- */

/* Usage of TCP and UDP (protocol indexes 0 and 1) over the last cap
 * samples, for the growth rate and the time to each threshold. */
struct report_history {
	int cap, n;
	double *t_s;			/* sample times, seconds from the first */
	double *usage_pages[2];
};
int report_history_init(struct report_history *hi, int cap);
void report_history_free(struct report_history *hi);
/* Adds r's usage at t_s (the oldest sample goes when full). */
void report_history_add(struct report_history *hi, const struct report *r, double t_s);
/* The growth and time to each threshold of r from the history. */
void report_history_trend(const struct report_history *hi, struct report *r);

/* Counter rates between two reports of the same host. */
struct report_rates {
	bool ok;			/* at least one rate is known */
	double seconds;
	bool known[REPORT_MAX_COUNTERS];
	double per_s[REPORT_MAX_COUNTERS];
};
void report_rates(struct report_rates *out, const struct report *prev, const struct report *now,
		  double seconds);

/* ---- sockmem simulate: proposed sysctls and more sockets ---- */
#define REPORT_SIM_MAX_SETS 16

struct report_sim_set {
	enum sysctl_id id;
	uint64_t to[3];
	bool from_ok;			/* the value before was visible */
	uint64_t from[3];
};

enum report_sim_when { SIM_WHEN_ALREADY, SIM_WHEN_NEXT_CHARGE, SIM_WHEN_AT_SOCKETS };

struct report_sim_step {
	struct simulate_transition t;
	enum report_sim_when when;
	bool ranged;			/* the band moves it: at_added_low != high */
	uint64_t at_usage_bytes;	/* saturated */
	char description[256];
};

struct report_sim {
	const struct report *r;		/* with the proposed sysctls */
	const struct proto_report *pr;	/* the protocol simulated */
	enum diag_proto proto;
	bool from_snapshot;
	bool partial;
	struct report_sim_set set[REPORT_SIM_MAX_SETS];
	int nset;
	struct simulate_in in;
	struct simulate_out out;
	uint64_t usage_bytes_now, final_usage_bytes;	/* saturated */
	struct report_sim_step step[SIM_MAX_TRANSITIONS];	/* in the order they happen */
	int nstep;
	/* over max with every new socket at full size: the forced first skb of
	 * each new socket is what carried it there (said in the text) */
	bool forced_skb_carries;
	char unknown_why[300];		/* when the protocol's usage or limits are not known */
};

/* Applies the proposed sysctls to h (keeping what they were), builds r with
 * them and runs the simulator for proto/dir.  Returns 0, or -ENODATA when the
 * protocol's usage or limits are not known (s->unknown_why says which). */
int report_sim_build(struct report_sim *s, struct report *r, struct host *h,
		     const struct report_sim_set *sets, int nset, enum diag_proto proto,
		     enum model_dir dir, uint64_t add_sockets, uint64_t bytes_per_socket);

/* ---- sockmem snapshot: what was written ---- */
struct report_snapshot {
	const struct host *h;		/* its problems: what could not be read or written */
	const char *directory;
	const char **files;		/* written, relative to directory (static strings) */
	size_t nfiles, cap;
	int copied, absent, failed;
	uint64_t page_size_bytes;
	bool partial;			/* failed > 0 */
};
/* Adds a written file (rel must outlive the report); -ENOMEM. */
int report_snapshot_add(struct report_snapshot *s, const char *rel);
void report_snapshot_free(struct report_snapshot *s);

/* ---- sockmem top: the largest holders, with what names them ---- */
struct cgroup_info;

/* A Kubernetes pod from a cgroup path (systemd or cgroupfs driver):
 * ".../kubepods-burstable-pod<uid>.slice/cri-containerd-<id>.scope" or
 * ".../kubepods/burstable/pod<uid>/<id>". */
struct report_pod {
	bool found;
	char uid[37];		/* dashes, as kubectl shows it; a static pod's 32-hex hash */
	char container[65];	/* the container id, "" when the socket is the pod's */
	char qos[11];		/* the QoS class: "burstable", "besteffort" (the level above
				 * the pod names it) or "guaranteed" (none does) */
};
bool report_pod_from_cgroup(const char *cgroup_path, struct report_pod *out);

struct top_row {
	struct sock_entry e;
	struct sock_group_key key;	/* the group, decoded */
	char local[64], peer[64];	/* BY_SOCKET: "addr:port", "[addr]:port" */
	char flags[40];			/* "slow-reader,sndbuf-small" */
	char comm[64];			/* BY_PROCESS, BY_SOCKET with a pid: /proc/PID/comm
					 * as the process set it (raw bytes); "?" */
	uint32_t pid;			/* BY_SOCKET: the lowest PID holding it, 0: not known */
	uint32_t shared_others;		/* BY_SOCKET: other processes holding it too */
	struct cgroup_info *cg;		/* BY_CGROUP: the cgroup (NULL: not looked up) */
	bool kmem_tcp_unlimited;	/* BY_CGROUP, v1: limit at PAGE_COUNTER_MAX */
	struct report_pod pod;		/* BY_CGROUP: the pod its path names (report_top_pods) */
};

struct report_top {
	const struct host *h;		/* for its problem list (may be NULL) */
	const struct sockdump_status *st;	/* the dump's problems (may be NULL) */
	enum sockets_by by;
	int requested;			/* -n */
	const char *source;
	bool partial;			/* exit status SM_EXIT_PARTIAL */
	struct top_row *row;
	int n;
	bool attribution;		/* by process or cgroup */
	uint64_t unattributed_sockets, unattributed_bytes;
	uint64_t processes_scanned, processes_denied;
	bool attribution_partial;
};

/* The n largest entries of agg as rows (row is malloc'ed; report_top_free).
 * Names that need /proc (comm, cgroup) are filled by collect_top_names(). */
int report_top_build(struct report_top *t, const struct sockets *agg, int requested,
		     const char *source, bool dump_partial, uint64_t processes_scanned,
		     uint64_t processes_denied);
void report_top_free(struct report_top *t);
/* BY_CGROUP, after collect_top_names(): the Kubernetes pod of each row. */
void report_top_pods(struct report_top *t);

/* What collecting one sample cost sockmem itself (watch), and the
 * per-socket cadence that keeps it within its CPU budget. */
struct report_cost {
	bool measured;			/* false: no figure below is known */
	double collect_seconds;		/* wall time of the collection */
	double collect_cpu_seconds;	/* user + system CPU of it (the kernel's walk included) */
	bool sockets_pass;		/* the per-socket pass ran in this sample */
	uint64_t sockets_walked;	/* sockets it read (0: no pass) */
	uint64_t sockets_pass_sample;	/* the sample of the last pass, whose view top[] shows */
	uint64_t sockets_every;		/* a pass every N samples (the budget's, or --sockets-every) */
	double cpu_share;		/* CPU time / wall time since watch started */
	double budget_share;		/* the CPU share the cadence aims below (0.10) */
};

/* One sample of watch: the report and what changed since the last one. */
struct report_sample {
	const struct report *r;
	uint64_t n;			/* 1, 2, ... */
	double interval_s;		/* since the previous sample; 0 for the first */
	double time_unix_s;		/* wall clock */
	char time_iso[40];		/* "2026-12-01T08:00:00.123Z" */
	char time_local[16];		/* "08:00:00" for the terminal */
	struct report_rates rates;
	struct top_row top[5];		/* largest holders by port */
	int ntop;
	/* --output: write errors so far, and the last one (0: none) */
	uint64_t output_errors;
	int output_last_errno;
	/* watch's own cost for this sample, measured by the command: the
	 * host's files, the exact charge and, when it ran, the per-socket pass
	 * (cost.measured false: not measured) */
	struct report_cost cost;
	/* a sample without the per-socket pass (watch's budget): the last
	 * pass's view (its sums, dump status and reconciliation, set by the
	 * command), which the exposition keeps so that its series do not come
	 * and go between passes; NULL otherwise */
	const struct sockets_report *sk_last;
};
/* now: the wall clock at the sample; agg: the sockets by port, or NULL. */
void report_sample_build(struct report_sample *s, const struct report *r, uint64_t n,
			 double interval_s, const struct report_rates *rates, const struct sockets *agg,
			 const struct timespec *now);

/* Puts the exact charge beside the published usage of TCP and UDP (and the
 * protocols that share their counters), classifies it with band 0, notes a
 * state it changes, and reconciles it with the sockets (after
 * report_add_sockets). */
void report_add_exact(struct report *r, const struct report_exact_in *x);

/* Time to each threshold of protocol index p from samples (t in s, pages). */
void report_add_trend(struct report *r, int p, const double *t, const double *u, int n);
/* Adds the per-socket view and reconciles it with sockstat.  netns_count: 0
 * when unknown. */
void report_add_sockets(struct report *r, const struct sockets *agg,
			const struct sockdump_status *st, const char *source, uint64_t netns_count,
			bool netns_complete);
const char *report_scope_name(enum scope s);
/* Signed pages to bytes, saturated at INT64_MIN/INT64_MAX. */
int64_t report_pages_to_bytes(int64_t pages, uint64_t page_size_bytes);

#endif
