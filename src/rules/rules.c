/* rules.c - the advice rules: the table (id, scope, who can apply the fix,
 * family), the threshold table, the runner and the finding builder.  The
 * rules themselves live in rules_{state,counters,config,sockets,cgroup}.c;
 * every sysctl they propose goes through fix_verify() (fix.c). */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "rules_int.h"

/* Thresholds.  Those on since-boot totals and on usage near max follow
 * hotsos (canonical/hotsos defs/scenarios/kernel/network/tcp.yaml and
 * udp.yaml), so that sockmem raises what that tool raises on the same
 * input (tests/peers.sh holds it to that); the others are the kernel's or
 * sockmem's own, as noted. */
const struct rule_thresholds rules_thr = {
	/* hotsos memusage_pct_high: "> 85" % of tcp_mem[2] / udp_mem[2] */
	.near_max_pct = 85.0,
	/* sockmem: within a tenth of tcp_mem[1], pressure is one burst away */
	.elevated_warn_pct = 90.0,
	/* hotsos mem_pressure_prunec (PruneCalled), rcvqd (TCPRcvQDrop), UDP
	 * RcvbufErrors/SndbufErrors and InErrors: "> 500" since boot ... */
	.events = 500,
	/* ... or "> 1" % of the segments / datagrams */
	.events_pct = 1.0,
	/* kernel: tcp_out_of_resources() penalises slow orphans 2x or 4x
	 * (shift 1 or 2), so resets start at a quarter of tcp_max_orphans;
	 * at half of it even the 2x ones are reset */
	.orphans_warn_pct = 25.0,
	.orphans_crit_pct = 50.0,
	/* sockmem: a fifth of headroom left; at 100 % TCPTimeWaitOverflow */
	.tw_warn_pct = 80.0,
	.tw_crit_pct = 100.0,
	/* sockmem: memory.max reclaim is imminent at 95 % */
	.memcg_warn_pct = 95.0,
	/* issue 17: 95 % of a traced window's UDP refusals and drops on one
	 * socket make it that application's buffer, not the host's limit */
	.trace_one_pct = 95.0,
	/* sockmem: fewer events than this in a window are not evidence */
	.trace_min_events = 10,
};

struct rule {
	const char *id;
	enum fscope scope;
	bool container_can_apply;	/* can a container (child netns) apply its fix */
	bool config;		/* a configuration rule: checked again on proposed values */
	void (*check)(struct rule_ctx *c);
};

static const struct rule rules[] = {
	/* rules_state.c */
	{ "tcp-max", FS_HOST, false, false, rule_tcp_max },
	{ "tcp-near-max", FS_HOST, false, false, rule_tcp_near_max },
	{ "tcp-pressure", FS_HOST, false, false, rule_tcp_pressure },
	{ "tcp-elevated", FS_HOST, false, false, rule_tcp_elevated },
	{ "udp-max", FS_HOST, false, false, rule_udp_max },
	{ "udp-limited", FS_HOST, false, false, rule_udp_limited },
	/* rules_counters.c */
	{ "tcp-pressure-history", FS_NETNS, false, false, rule_pressure_history },
	{ "tcp-abort-on-memory", FS_NETNS, false, false, rule_abort_on_memory },
	{ "tcp-receive-pruning", FS_NETNS, false, false, rule_receive_pruning },
	{ "udp-buffer-errors", FS_APPLICATION, true, false, rule_udp_buffer_errors },
	{ "udp-in-errors", FS_NETNS, false, false, rule_udp_in_errors },
	{ "ip-reverse-path-filter", FS_NETNS, true, false, rule_rp_filter },
	/* rules_trace.c (advise --trace) */
	{ "trace-udp-socket", FS_APPLICATION, true, false, rule_trace_udp_socket },
	{ "trace-udp-limit", FS_HOST, false, false, rule_trace_udp_global },
	/* rules_config.c */
	{ "mem-not-ascending", FS_HOST, false, true, rule_not_ascending },
	{ "mem-in-bytes", FS_HOST, false, true, rule_bytes_in_pages },
	{ "mem-above-ram", FS_HOST, false, true, rule_above_ram },
	{ "mem-vs-default", FS_HOST, false, true, rule_vs_default },
	{ "rmem-max-below-tcp-rmem", FS_HOST, false, true, rule_rmem_max },
	{ "wmem-max-below-tcp-wmem", FS_HOST, false, true, rule_wmem_max },
	/* rules_state.c */
	{ "tcp-orphans", FS_HOST, false, false, rule_orphans },
	{ "tcp-time-wait", FS_NETNS, true, false, rule_timewait },
	/* rules_cgroup.c */
	{ "cgroup-v1-kmem-tcp", FS_CGROUP, false, false, rule_kmem_tcp },
	{ "memcg-near-limit", FS_CGROUP, true, false, rule_memcg },
	/* rules_sockets.c */
	{ "tcp-worst-case", FS_HOST, false, false, rule_worst_case },
	{ "bdp-buffers", FS_NETNS, true, false, rule_bdp },
	{ "slow-readers", FS_APPLICATION, true, false, rule_slow_readers },
	{ "reconciliation", FS_HOST, false, false, rule_recon },
	/* rules_config.c, rules_state.c */
	{ "bypass-prot-mem", FS_NETNS, true, false, rule_bypass },
	{ "limits-not-visible", FS_HOST, false, false, rule_limits_hidden },
};

int rules_count(void)
{
	return (int)ARRAY_SIZE(rules);
}

const char *rules_id(int i)
{
	return i >= 0 && i < (int)ARRAY_SIZE(rules) ? rules[i].id : NULL;
}

const char *rules_sev_name(enum sev s)
{
	return s == SEV_CRIT ? "crit" : s == SEV_WARN ? "warn" : "info";
}

const char *rules_scope_name(enum fscope s)
{
	static const char *const n[] = { "host", "netns", "cgroup", "socket", "application" };
	return n[s];
}

/* ------------------------------------------------------ finding builder */

struct finding *rules_vemit(struct rule_ctx *c, enum sev sev, const char *fmt, va_list ap)
{
	struct finding *f = c->n < c->max ? &c->out[c->n++] : &c->spill;

	memset(f, 0, sizeof(*f));
	f->id = c->rule->id;
	f->scope = c->rule->scope;
	f->container_can_apply = c->rule->container_can_apply;
	f->sev = sev;
	vsnprintf(f->summary, sizeof(f->summary), fmt, ap);
	return f;
}

struct finding *rules_emit(struct rule_ctx *c, enum sev sev, const char *fmt, ...)
{
	struct finding *f;
	va_list ap;

	va_start(ap, fmt);
	f = rules_vemit(c, sev, fmt, ap);
	va_end(ap);
	return f;
}

void rules_summary_add(struct finding *f, const char *fmt, ...)
{
	size_t n = strlen(f->summary);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(f->summary + n, sizeof(f->summary) - n, fmt, ap);
	va_end(ap);
}

enum fix_verdict rules_fix(struct rule_ctx *c, struct finding *f, enum sysctl_id id, const uint64_t *v)
{
	struct sysctl_change ch;
	enum fix_verdict verdict;

	if (c->verifying)
		return FIX_OK;
	fix_init(&ch, id, v);
	verdict = fix_verify(c->in, &ch);
	if (verdict != FIX_OK) {
		if (!f->application[0])
			fix_explain(&ch, verdict, f->application, sizeof(f->application));
	} else if (f->nfix < FINDING_MAX_SYSCTL) {
		f->fix[f->nfix++] = ch;
	}
	return verdict;
}

const struct sysctl_change *rules_prediction(const struct finding *f)
{
	int i;

	for (i = 0; i < f->nfix; i++)
		if (f->fix[i].predicted)
			return &f->fix[i];
	return NULL;
}

/* ------------------------------------------------------------ accessors */

const struct proto_report *rules_proto(const struct report *r, const char *key)
{
	static const struct proto_report none;
	int i;

	for (i = 0; i < r->nproto; i++)
		if (!strcmp(r->proto[i].def->key, key))
			return &r->proto[i];
	return &none;	/* limits_ok and usage_pages.ok false: no rule fires */
}

struct opt rules_counter(const struct advise_in *in, const char *key, int *idx)
{
	struct opt none = { 0, false };
	int i;

	for (i = 0; i < in->r->ncounter; i++)
		if (!strcmp(in->r->counter[i].key, key)) {
			if (idx)
				*idx = i;
			return in->r->counter[i].value;
		}
	return none;
}

struct opt rules_snmp(const struct advise_in *in, const char *group, const char *name)
{
	struct opt none = { 0, false };

	if (in->h->snmp_rc)
		return none;
	return netstat_get(&in->h->snmp, group, name);
}

const struct count_report *rules_count_find(const struct report *r, const char *key)
{
	int i;

	for (i = 0; i < r->ncount; i++)
		if (!strcmp(r->count[i].key, key))
			return &r->count[i];
	return NULL;
}

const char *rules_mem_unit(const struct report *r)
{
	return r->units_per_page > 1 ? "4096-byte quanta" : "pages";
}

uint64_t rules_ram_pages(const struct host *h)
{
	return h->mem_total_bytes.ok && h->page_size_bytes ? h->mem_total_bytes.v / h->page_size_bytes : 0;
}

/* The kernel's boot-time tcp_mem/udp_mem for this RAM: the model's. */
bool rules_default_mem(const struct host *h, enum sysctl_id id, uint64_t out[3])
{
	return (id == SC_TCP_MEM || id == SC_UDP_MEM) &&
	       model_default_mem(id == SC_TCP_MEM ? MODEL_TCP_MEM : MODEL_UDP_MEM, h->mem_total_bytes,
				 h->page_size_bytes, out);
}

/* --------------------------------------------------------------- runner */

static int run(const struct advise_in *in, const struct sysctl_val *sc, bool config_only,
	       struct finding *out, int max)
{
	struct rule_ctx c;
	size_t i;

	memset(&c, 0, sizeof(c));
	c.in = in;
	c.h = in->h;
	c.r = in->r;
	c.sc = sc;
	c.verifying = config_only;
	c.out = out;
	c.max = max;
	for (i = 0; i < ARRAY_SIZE(rules); i++) {
		if (config_only && !rules[i].config)
			continue;
		c.rule = &rules[i];
		rules[i].check(&c);
	}
	return c.n;
}

int rules_run_config(const struct advise_in *in, const struct sysctl_val *sc,
		     struct finding *out, int max)
{
	return run(in, sc, true, out, max);
}

int rules_run(const struct advise_in *in, struct finding *out, int max)
{
	int n = run(in, in->h->sysctl, false, out, max), i, j;

	/* stable: most urgent first, table (then emission) order within a severity */
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && out[j - 1].sev < out[j].sev; j--) {
			struct finding t = out[j];

			out[j] = out[j - 1];
			out[j - 1] = t;
		}
	return n;
}
