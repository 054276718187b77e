/* rules_int.h - inside the rules module only (not for commands): the context
 * a rule runs in, the finding builder, report accessors, the threshold table
 * and the rule functions of each family file.  Scope and who can apply a fix
 * are the table's (rules.c), never a rule body's. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKMEM_RULES_INT_H
#define SOCKMEM_RULES_INT_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "rules.h"

struct rule;

/* What a rule sees while it runs, and where its findings go. */
struct rule_ctx {
	const struct advise_in *in;
	const struct host *h;		/* in->h */
	const struct report *r;		/* in->r */
	const struct sysctl_val *sc;	/* the sysctls judged: h->sysctl, or a proposal's */
	bool verifying;			/* run on a proposal (fix_verify): no proposals of its own */
	/* the runner's */
	const struct rule *rule;
	struct finding *out;
	int max, n;
	struct finding spill;		/* findings beyond max land here and are dropped */
};

/* Every number a rule compares with, and where it comes from (rules.c). */
struct rule_thresholds {
	double near_max_pct;		/* usage as % of tcp_mem[2]/udp_mem[2]: "near max" */
	double elevated_warn_pct;	/* usage as % of tcp_mem[1]: elevated is a warning */
	uint64_t events;		/* since-boot drop/error totals worth raising */
	double events_pct;		/* ... or this share of the traffic */
	double orphans_warn_pct, orphans_crit_pct;	/* orphans as % of tcp_max_orphans */
	double tw_warn_pct, tw_crit_pct;		/* TIME_WAIT as % of tcp_max_tw_buckets */
	double memcg_warn_pct;		/* memory.current as % of memory.max */
	double trace_one_pct;		/* advise --trace: one socket's share that names it */
	uint64_t trace_min_events;	/* advise --trace: events that make evidence */
};
extern const struct rule_thresholds rules_thr;

/* ---- the finding builder (rules.c) */

/* A new finding of the running rule: id, scope and container_can_apply from
 * the table, sev and summary from the caller. */
struct finding *rules_emit(struct rule_ctx *c, enum sev sev, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
struct finding *rules_vemit(struct rule_ctx *c, enum sev sev, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

/* Appends to f's summary. */
void rules_summary_add(struct finding *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static inline struct evidence *ev_new(struct finding *f, const char *key)
{
	struct evidence *e;

	if (f->nev == FINDING_MAX_EV)
		return NULL;
	e = &f->ev[f->nev++];
	memset(e, 0, sizeof(*e));
	e->key = key;
	return e;
}

static inline void ev_u(struct finding *f, const char *key, uint64_t v)
{
	struct evidence *e = ev_new(f, key);

	if (e) {
		e->t = EV_U64;
		e->u = v;
	}
}

static inline void ev_i(struct finding *f, const char *key, int64_t v)
{
	struct evidence *e = ev_new(f, key);

	if (e) {
		e->t = EV_I64;
		e->i = v;
	}
}

static inline void ev_d(struct finding *f, const char *key, double v)
{
	struct evidence *e = ev_new(f, key);

	if (e) {
		e->t = EV_DBL;
		e->d = v;
	}
}

static inline void ev_s(struct finding *f, const char *key, const char *v)
{
	struct evidence *e = ev_new(f, key);

	if (e) {
		e->t = EV_STR;
		snprintf(e->s, sizeof(e->s), "%.*s", (int)sizeof(e->s) - 1, v);
	}
}

/* ---- accessors (rules.c) */

/* The report's protocol by JSON key ("tcp", "udp"). */
const struct proto_report *rules_proto(const struct report *r, const char *key);
/* A counter of the report by kernel name; *idx (if given) gets its index,
 * which is also its index in advise_rates.per_s. */
struct opt rules_counter(const struct advise_in *in, const char *key, int *idx);
/* A /proc/net/snmp value. */
struct opt rules_snmp(const struct advise_in *in, const char *group, const char *name);
/* A socket count of the report ("tcp_orphan", "tcp_tw"). */
const struct count_report *rules_count_find(const struct report *r, const char *key);
/* MemTotal in pages, 0 when unknown. */
uint64_t rules_ram_pages(const struct host *h);
/* The word for usage's unit in a message: "pages", or "4096-byte quanta"
 * on 4.11-5.19 with larger pages (report.mem_unit_bytes). */
const char *rules_mem_unit(const struct report *r);
/* The kernel's boot-time tcp_mem/udp_mem for this RAM (model_default_mem). */
bool rules_default_mem(const struct host *h, enum sysctl_id id, uint64_t out[3]);
/* Proposes id = v[0..n-1]: through fix_verify(), and appended to f's fixes
 * when it passes; when not, f->application (if still empty) says why.  No
 * effect while verifying.  Returns the verdict. */
enum fix_verdict rules_fix(struct rule_ctx *c, struct finding *f, enum sysctl_id id, const uint64_t *v);
/* Runs the configuration rules only, judging the sysctls sc (a proposal's),
 * with no proposals of their own.  Returns how many findings. */
int rules_run_config(const struct advise_in *in, const struct sysctl_val *sc,
		     struct finding *out, int max);

/* ---- the rule families */

/* rules_state.c: usage against tcp_mem/udp_mem, counts against their limits */
void rule_tcp_max(struct rule_ctx *c);
void rule_tcp_near_max(struct rule_ctx *c);
void rule_tcp_pressure(struct rule_ctx *c);
void rule_tcp_elevated(struct rule_ctx *c);
void rule_udp_max(struct rule_ctx *c);
void rule_udp_limited(struct rule_ctx *c);
void rule_orphans(struct rule_ctx *c);
void rule_timewait(struct rule_ctx *c);
void rule_limits_hidden(struct rule_ctx *c);
/* rules_counters.c: since-boot counters (with rates when sampled) */
void rule_pressure_history(struct rule_ctx *c);
void rule_abort_on_memory(struct rule_ctx *c);
void rule_receive_pruning(struct rule_ctx *c);
void rule_udp_buffer_errors(struct rule_ctx *c);
void rule_udp_in_errors(struct rule_ctx *c);
void rule_rp_filter(struct rule_ctx *c);
/* rules_config.c: the shape of the configuration (checked again on proposals) */
void rule_not_ascending(struct rule_ctx *c);
void rule_bytes_in_pages(struct rule_ctx *c);
void rule_above_ram(struct rule_ctx *c);
void rule_vs_default(struct rule_ctx *c);
void rule_rmem_max(struct rule_ctx *c);
void rule_wmem_max(struct rule_ctx *c);
void rule_bypass(struct rule_ctx *c);
/* rules_sockets.c: the per-socket view and buffer sizing */
void rule_worst_case(struct rule_ctx *c);
void rule_bdp(struct rule_ctx *c);
void rule_slow_readers(struct rule_ctx *c);
void rule_recon(struct rule_ctx *c);
/* rules_trace.c: the events of advise --trace as evidence */
void rule_trace_udp_socket(struct rule_ctx *c);
void rule_trace_udp_global(struct rule_ctx *c);
/* rules_state.c: tcp_mem/udp_mem (id) proposed to leave the state pr is in */
void rules_propose_mem(struct rule_ctx *c, struct finding *f, enum sysctl_id id,
		       const struct proto_report *pr);
/* rules_cgroup.c: memory cgroups, a second limit on socket memory */
void rule_kmem_tcp(struct rule_ctx *c);
void rule_memcg(struct rule_ctx *c);

#endif
