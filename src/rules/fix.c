/* fix.c - sysctl proposals: fix_verify(), the one check every proposal of
 * the rules goes through (what sysctl -w accepts, a quarter of RAM, the
 * model before -> after, the configuration rules on the changed values),
 * and the kernel's limit shapes the proposals are built from. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fix.h"
#include "rules_int.h"

/* Policy of the proposals. */
static const struct {
	/* sockets may never take more than RAM / 4: sockmem(8); bpftune
	 * caps tcp_mem[2] the same way */
	unsigned ram_share_div;
	/* a proposed min lies usage / 10 above usage plus the band, so that
	 * the next burst does not make it elevated at once */
	unsigned margin_div;
} policy = { 4, 10 };

/* What sysctl -w accepts: the kernel's proc handler and its bounds
 * (net/ipv4/sysctl_net_ipv4.c, net/core/sysctl_net_core.c). */
static const struct {
	uint64_t min, max;
	bool ascending;
} range[SC_COUNT] = {
	/* proc_doulongvec_minmax over long[3] */
	[SC_TCP_MEM] = { 0, LONG_MAX, true },
	[SC_UDP_MEM] = { 0, LONG_MAX, true },
	[SC_SCTP_MEM] = { 0, LONG_MAX, true },
	/* proc_dointvec_minmax, extra1 = SYSCTL_ONE */
	[SC_TCP_RMEM] = { 1, INT_MAX, true },
	[SC_TCP_WMEM] = { 1, INT_MAX, true },
	[SC_UDP_RMEM_MIN] = { 1, INT_MAX, false },
	[SC_UDP_WMEM_MIN] = { 1, INT_MAX, false },
	/* proc_dointvec_minmax, extra1 = min_rcvbuf / min_sndbuf (SOCK_MIN_*) */
	[SC_RMEM_DEFAULT] = { 2304, INT_MAX, false },
	[SC_RMEM_MAX] = { 2304, INT_MAX, false },
	[SC_WMEM_DEFAULT] = { 4608, INT_MAX, false },
	[SC_WMEM_MAX] = { 4608, INT_MAX, false },
	[SC_OPTMEM_MAX] = { 0, INT_MAX, false },
	/* proc_dointvec_minmax, extra1 = SK_MEMORY_PCPU_RESERVE (at least 1) */
	[SC_MEM_PCPU_RSV] = { 1, INT_MAX, false },
	[SC_BYPASS_PROT_MEM] = { 0, 1, false },
	/* proc_dointvec */
	[SC_TCP_MAX_ORPHANS] = { 0, INT_MAX, false },
	[SC_TCP_MAX_TW_BUCKETS] = { 0, INT_MAX, false },
	/* proc_doulongvec_minmax, extra1 = the low threshold */
	[SC_IPFRAG_HIGH_THRESH] = { 0, LONG_MAX, false },
	[SC_IP6FRAG_HIGH_THRESH] = { 0, LONG_MAX, false },
};

static uint64_t add_sat(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* pages x page size as signed bytes, saturated */
static int64_t page_bytes(int64_t pages, uint64_t page_size)
{
	uint64_t m = util_mul_sat(pages < 0 ? (uint64_t)-(pages + 1) + 1 : (uint64_t)pages, page_size, NULL);
	int64_t b = m > INT64_MAX ? INT64_MAX : (int64_t)m;

	return pages < 0 ? -b : b;
}

static bool is_mem_vector(enum sysctl_id id)
{
	return id == SC_TCP_MEM || id == SC_UDP_MEM || id == SC_SCTP_MEM;
}

/* The protocol whose limits id is (TCP for tcp_mem, not MPTCP), or NULL. */
static const struct proto_report *proto_of(const struct report *r, enum sysctl_id id)
{
	int i;

	for (i = 0; i < r->nproto; i++)
		if (r->proto[i].def->limits == id && !r->proto[i].def->shares_with)
			return &r->proto[i];
	return NULL;
}

static void model_in_of(const struct proto_report *pr, const struct report *r, struct model_in *mi)
{
	memset(mi, 0, sizeof(*mi));
	mi->kind = pr->def->kind;
	mi->usage_pages = pr->usage_pages;
	mi->limits_ok = pr->limits_ok;
	memcpy(mi->limit_pages, pr->limit_pages, sizeof(mi->limit_pages));
	mi->press = pr->press;
	mi->band_pages = r->band_pages;
	mi->units_per_page = r->units_per_page;
}

static bool bad_state(enum model_state s)
{
	return s == MS_PRESSURE || s == MS_LIMITED || s == MS_OVER_LIMIT;
}

/* ------------------------------------------------ the kernel's shapes */

void fix_limits_for_pressure(uint64_t pressure_pages, uint64_t out[3])
{
	/* the kernel's shape (tcp_init_mem, udp_init): the model's one copy */
	model_limits_for_pressure(MODEL_PRESSURE, pressure_pages, out);
}

void fix_limits_for_usage(uint64_t usage_pages, uint64_t band_pages, unsigned units_per_page,
			  uint64_t out[3])
{
	uint64_t min = add_sat(add_sat(usage_pages, band_pages), usage_pages / policy.margin_div);

	if (units_per_page > 1)	/* quanta to whole pages, rounded up */
		min = min / units_per_page + (min % units_per_page != 0);

	/* the smallest pressure threshold p with p / 4 * 3 >= min */
	fix_limits_for_pressure(util_mul_sat(min / 3 + (min % 3 != 0), 4, NULL), out);
}

enum model_state fix_state_after(const struct model_in *before, const uint64_t limits[3])
{
	struct model_in in = *before;
	struct model_out out;
	uint64_t band = before->band_pages.ok ? before->band_pages.v : 0;
	unsigned upp = before->units_per_page > 1 ? before->units_per_page : 1;

	in.limits_ok = true;
	memcpy(in.limit_pages, limits, sizeof(in.limit_pages));
	model_classify(&in, &out);
	if (in.kind != MODEL_PRESSURE || !in.usage_pages.ok || out.state == MS_OVER_LIMIT)
		return out.state;
	/* __sk_mem_raise_allocated leaves pressure at a charge with
	 * allocated <= limit[0]; the published usage may be band pages off
	 * (limits in usage's unit: sk_prot_mem_limits) */
	if (in.press == PRESS_YES)
		return add_sat(in.usage_pages.v, band) <= util_mul_sat(limits[0], upp, NULL)
		       ? MS_NORMAL : MS_PRESSURE;
	/* ... and enters it at the first charge above limit[1] */
	return in.usage_pages.v > util_mul_sat(limits[1], upp, NULL) ? MS_PRESSURE : out.state;
}

/* -------------------------------------------------------------- checks */

static enum fix_verdict check_values(const struct sysctl_change *c)
{
	int i;

	for (i = 0; i < c->nv; i++)
		if (c->v[i] < range[c->id].min || c->v[i] > range[c->id].max)
			return FIX_OUT_OF_RANGE;
	if (range[c->id].ascending && c->nv == 3 && (c->v[0] > c->v[1] || c->v[1] > c->v[2]))
		return FIX_NOT_ASCENDING;
	return FIX_OK;
}

static enum fix_verdict check_ram(const struct advise_in *in, const struct sysctl_change *c)
{
	const struct host *h = in->h;
	const struct sysctl_val *now = &h->sysctl[c->id];
	uint64_t ram = h->mem_total_bytes.ok ? h->mem_total_bytes.v : 0;
	bool raise = now->rc != 0;
	int i;

	if (is_mem_vector(c->id)) {
		for (i = 0; i < c->nv; i++)
			raise |= c->v[i] > now->v[i];
		if (!ram || !h->page_size_bytes)
			return raise ? FIX_RAM_UNKNOWN : FIX_OK;
		return c->v[2] > ram / h->page_size_bytes / policy.ram_share_div ? FIX_ABOVE_RAM : FIX_OK;
	}
	if (host_sysctl[c->id].unit == UNIT_BYTES && ram)
		for (i = 0; i < c->nv; i++)
			if (c->v[i] > ram / policy.ram_share_div)
				return FIX_ABOVE_RAM;
	return FIX_OK;
}

/* usage against the new tcp_mem/udp_mem */
static enum fix_verdict predict_mem(const struct advise_in *in, struct sysctl_change *c)
{
	const struct proto_report *pr = proto_of(in->r, c->id);
	uint64_t ps = in->r->mem_unit_bytes;	/* of usage and headroom */
	struct model_in mi;
	struct model_out out;
	int k;

	if (!pr || !pr->usage_pages.ok)
		return FIX_OK;	/* nothing to place against them */
	k = pr->def->kind == MODEL_PRESSURE ? 1 : 0;
	model_in_of(pr, in->r, &mi);
	c->predicted = true;
	c->state_before = pr->m.state;
	c->headroom_before_bytes = pr->limits_ok ? page_bytes(pr->m.headroom_pages[k], ps) : 0;
	c->state_after = fix_state_after(&mi, c->v);
	mi.limits_ok = true;
	memcpy(mi.limit_pages, c->v, sizeof(mi.limit_pages));
	model_classify(&mi, &out);
	c->headroom_after_bytes = page_bytes(out.headroom_pages[k], ps);
	return bad_state(c->state_after) ? FIX_STAYS_BAD : FIX_OK;
}

uint64_t fix_orphans_room(const struct advise_in *in)
{
	const struct proto_report *pr = proto_of(in->r, SC_TCP_MEM);
	uint64_t band = in->r->band_pages.ok ? in->r->band_pages.v : 0, room;

	if (!pr || !pr->limits_ok || !pr->usage_pages.ok || pr->m.headroom_pages[1] <= 0)
		return 0;
	room = (uint64_t)pr->m.headroom_pages[1];
	room = room > band ? room - band : 0;
	return util_mul_sat(room, in->r->mem_unit_bytes, NULL) / FIX_ORPHAN_BYTES;
}

/* TCP usage if every orphan beyond today's limit held FIX_ORPHAN_BYTES */
static enum fix_verdict predict_orphans(const struct advise_in *in, struct sysctl_change *c)
{
	const struct count_report *o = rules_count_find(in->r, "tcp_orphan");
	const struct proto_report *pr = proto_of(in->r, SC_TCP_MEM);
	uint64_t ps = in->r->mem_unit_bytes, extra = 0;	/* usage's unit */
	struct model_in mi;
	struct model_out out;

	if (!o || !o->limit.ok || !pr || !pr->limits_ok || !pr->usage_pages.ok || !ps)
		return FIX_UNCHECKED;
	if (c->v[0] > o->limit.v) {
		uint64_t b = util_mul_sat(c->v[0] - o->limit.v, FIX_ORPHAN_BYTES, NULL);

		extra = b / ps + (b % ps != 0);
	}
	model_in_of(pr, in->r, &mi);
	c->predicted = true;
	c->state_before = pr->m.state;
	c->headroom_before_bytes = page_bytes(pr->m.headroom_pages[1], ps);
	mi.usage_pages.v = add_sat(mi.usage_pages.v, extra);
	c->state_after = fix_state_after(&mi, pr->limit_pages);
	model_classify(&mi, &out);
	c->headroom_after_bytes = page_bytes(out.headroom_pages[1], ps);
	return bad_state(c->state_after) ? FIX_STAYS_BAD : FIX_OK;
}

/* the same rule about the same sysctl */
static bool same_finding(const struct finding *a, const struct finding *b)
{
	return !strcmp(a->id, b->id) && (a->subject == b->subject ||
					 (a->subject && b->subject && !strcmp(a->subject, b->subject)));
}

/* the configuration rules on the sysctl vector with the change applied */
static enum fix_verdict check_config(const struct advise_in *in, const struct sysctl_change *c)
{
	struct sysctl_val sc[SC_COUNT];
	struct finding *before, *after;
	enum fix_verdict v = FIX_OK;
	int nb, na, i, j;

	before = calloc(2 * RULES_MAX_FINDINGS, sizeof(*before));
	if (!before)
		return FIX_NOMEM;
	after = before + RULES_MAX_FINDINGS;
	memcpy(sc, in->h->sysctl, sizeof(sc));
	sc[c->id].rc = 0;
	memcpy(sc[c->id].v, c->v, sizeof(sc[c->id].v));
	nb = rules_run_config(in, in->h->sysctl, before, RULES_MAX_FINDINGS);
	na = rules_run_config(in, sc, after, RULES_MAX_FINDINGS);
	for (i = 0; i < na && v == FIX_OK; i++) {
		enum sev was = SEV_INFO;

		for (j = 0; j < nb; j++)
			if (same_finding(&before[j], &after[i]))
				was = before[j].sev;
		if (after[i].sev > was && after[i].sev >= SEV_WARN)
			v = FIX_WORSE_CONFIG;
	}
	free(before);
	return v;
}

uint64_t fix_value_max(enum sysctl_id id)
{
	return range[id].max;
}

void fix_init(struct sysctl_change *c, enum sysctl_id id, const uint64_t *v)
{
	int i;

	memset(c, 0, sizeof(*c));
	c->id = id;
	c->nv = host_sysctl[id].n;
	for (i = 0; i < c->nv; i++)
		c->v[i] = v[i];
}

enum fix_verdict fix_verify(const struct advise_in *in, struct sysctl_change *c)
{
	enum fix_verdict v;

	c->predicted = false;
	if ((v = check_values(c)) != FIX_OK || (v = check_ram(in, c)) != FIX_OK)
		return v;
	if (is_mem_vector(c->id))
		v = predict_mem(in, c);
	else if (c->id == SC_TCP_MAX_ORPHANS)
		v = predict_orphans(in, c);
	if (v != FIX_OK)
		return v;
	return check_config(in, c);
}

/* ----------------------------------------------------------- rendering */

const char *fix_name(const struct sysctl_change *c)
{
	return host_sysctl[c->id].name;
}

void fix_values(const struct sysctl_change *c, char *buf, size_t n)
{
	size_t len = 0;
	int i;

	if (n)
		buf[0] = '\0';
	for (i = 0; i < c->nv && len < n; i++) {
		int w = snprintf(buf + len, n - len, "%s%llu", i ? " " : "", (unsigned long long)c->v[i]);

		if (w < 0)
			break;
		len += (size_t)w;
	}
}

void fix_explain(const struct sysctl_change *c, enum fix_verdict v, char *buf, size_t n)
{
	const char *name = fix_name(c);
	char vals[80];

	fix_values(c, vals, sizeof(vals));
	switch (v) {
	case FIX_OK:
		snprintf(buf, n, "%s = %s", name, vals);
		break;
	case FIX_OUT_OF_RANGE:
		snprintf(buf, n, "%s = %s is not proposed: sysctl -w accepts only %llu to %llu there",
			 name, vals, (unsigned long long)range[c->id].min,
			 (unsigned long long)range[c->id].max);
		break;
	case FIX_NOT_ASCENDING:
		snprintf(buf, n, "%s = %s is not proposed: its values are not ascending", name, vals);
		break;
	case FIX_RAM_UNKNOWN:
		snprintf(buf, n, "RAM is not known (no /proc/meminfo in the input): a larger %s cannot "
			 "be checked against it, so none is proposed", name);
		break;
	case FIX_ABOVE_RAM:
		snprintf(buf, n, "%s = %s is not proposed: it would let sockets take more than a "
			 "quarter of RAM", name, vals);
		break;
	case FIX_STAYS_BAD:
		snprintf(buf, n, "%s = %s is not proposed: with it the model still predicts %s",
			 name, vals, model_state_name(c->state_after));
		break;
	case FIX_UNCHECKED:
		snprintf(buf, n, "%s = %s is not proposed: TCP usage or tcp_mem is not known, so the "
			 "memory it allows cannot be checked", name, vals);
		break;
	case FIX_WORSE_CONFIG:
		snprintf(buf, n, "%s = %s is not proposed: it would make a configuration finding "
			 "worse", name, vals);
		break;
	default:
		snprintf(buf, n, "%s = %s could not be checked (out of memory)", name, vals);
		break;
	}
}
