/* output_json.c - renders a report as JSON (schema: man/sockmem-json.5).
 * Units are in every key name; absent values are null, never zero. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "procscan.h"
#include "report_advise.h"

json_t *output_json_u64(uint64_t v)
{
	/* jansson integers are signed 64-bit; larger values (only possible from
	 * wrapped counters or hostile input) are emitted as numbers with a
	 * fractional-free real representation. */
	if (v > (uint64_t)INT64_MAX)
		return json_real((double)v);
	return json_integer((json_int_t)v);
}

json_t *output_json_opt(struct opt o)
{
	return o.ok ? output_json_u64(o.v) : json_null();
}

/* The length of the valid UTF-8 sequence at s (at most n bytes), 0 if the
 * bytes there are not one (overlong forms, surrogates and code points above
 * U+10FFFF are not). */
static size_t json_utf8_len(const unsigned char *s, size_t n)
{
	size_t len, i;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return len;
}

/* The bytes [s, s+len) as a JSON string: the real string (jansson writes
 * control characters as \u00XX), each byte that is not part of valid UTF-8
 * replaced by U+FFFD; a NUL ends it.  sockmem-json(5), "Strings". */
json_t *output_json_text(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	char small[256] = "", *buf = len * 3 + 1 <= sizeof(small) ? small : malloc(len * 3 + 1);
	size_t i = 0, o = 0, k;
	json_t *v;

	if (!buf)
		return NULL;
	while (i < len && u[i]) {
		k = json_utf8_len(u + i, len - i);
		if (k) {
			memcpy(buf + o, u + i, k);
			o += k;
			i += k;
		} else {
			memcpy(buf + o, "\xef\xbf\xbd", 3);	/* U+FFFD */
			o += 3;
			i++;
		}
	}
	buf[o] = '\0';
	v = json_string(buf);
	if (buf != small)
		free(buf);
	return v;
}

/* Strings from files, /proc or the command line, as they are. */
static json_t *json_safe_string(const char *s)
{
	return output_json_text(s, strlen(s));
}

/* A name escaped for a terminal (util_safe_token: \xNN for every control,
 * non-ASCII or backslash byte) back to its bytes, then as above. */
static json_t *json_name_string(const char *esc)
{
	size_t len = strlen(esc), i, o = 0;
	char small[256] = "", *buf = len + 1 <= sizeof(small) ? small : malloc(len + 1);
	json_t *v;

	if (!buf)
		return NULL;
	for (i = 0; i < len; i++) {
		unsigned int c;

		if (esc[i] == '\\' && i + 3 < len && esc[i + 1] == 'x' &&
		    sscanf(esc + i + 2, "%2x", &c) == 1 && isxdigit((unsigned char)esc[i + 2]) &&
		    isxdigit((unsigned char)esc[i + 3]) && c) {
			buf[o++] = (char)c;
			i += 3;
		} else {
			buf[o++] = esc[i];
		}
	}
	v = output_json_text(buf, o);
	if (buf != small)
		free(buf);
	return v;
}

static json_t *json_i64(int64_t v)
{
	return json_integer((json_int_t)v);
}

static json_t *json_pct(double v)
{
	/* two decimals, as printed in text */
	return json_real((double)(long long)(v * 100.0 + (v >= 0 ? 0.5 : -0.5)) / 100.0);
}

/* Every set goes through here; a failed allocation makes the document NULL. */
static bool json_failed;

static void jset(json_t *o, const char *k, json_t *v)
{
	if (!o || !v || json_object_set_new(o, k, v))
		json_failed = true;
}

static void japp(json_t *a, json_t *v)
{
	if (!a || !v || json_array_append_new(a, v))
		json_failed = true;
}

/* What could not be read: the host's inputs, then the per-socket dump's
 * problems (file "sock_diag"), as in the show document's list. */
static json_t *json_problems(const struct host *h, const struct sockdump_status *st)
{
	const struct host_problem *hp;
	json_t *a = json_array();
	int i;

	if (h)
		host_foreach_problem(hp, h) {
			json_t *p = json_object();

			jset(p, "file", json_safe_string(hp->path));
			jset(p, "line", hp->line ? json_integer(hp->line) : json_null());
			jset(p, "message", json_safe_string(hp->msg));
			japp(a, p);
		}
	for (i = 0; st && i < st->nproblems; i++) {
		json_t *p = json_object();

		jset(p, "file", json_string("sock_diag"));
		jset(p, "line", json_null());
		jset(p, "message", json_safe_string(st->problem[i]));
		japp(a, p);
	}
	return a;
}

/* What went away while the host was walked: churn, not a problem. */
static json_t *json_deleted(const struct host *h)
{
	static const struct host_deleted none = { 0, 0, 0 };
	const struct host_deleted *d = h ? &h->deleted : &none;
	json_t *o = json_object();

	jset(o, "network_namespaces", output_json_u64(d->network_namespaces));
	jset(o, "processes", output_json_u64(d->processes));
	jset(o, "cgroups", output_json_u64(d->cgroups));
	return o;
}

/* The finished document, or NULL (and nothing leaked) if a set failed. */
static json_t *json_done(json_t *doc)
{
	if (json_failed || !doc) {
		json_decref(doc);
		return NULL;
	}
	return doc;
}

/* The SK_MEMINFO fields as NAME_bytes, and drops (null when not reported). */
static void json_mem_fields(json_t *o, const uint64_t mem[DM_COUNT], bool drops_known)
{
	char key[40];
	int i;

	for (i = 0; i < DM_COUNT; i++) {
		if (i == DM_DROPS) {
			jset(o, "drops", drops_known ? output_json_u64(mem[i]) : json_null());
			continue;
		}
		snprintf(key, sizeof(key), "%s_bytes", diag_mem_name[i]);
		jset(o, key, output_json_u64(mem[i]));
	}
}

static json_t *json_triple(const char *const names[3], const uint64_t v[3])
{
	json_t *o = json_object();
	int i;

	for (i = 0; i < 3; i++)
		jset(o, names[i], output_json_u64(v[i]));
	return o;
}

json_t *output_json_envelope(const char *command)
{
	json_t *o = json_object();

	jset(o, "schema_version", json_string(REPORT_SCHEMA_VERSION));
	jset(o, "sockmem_version", json_string(PACKAGE_VERSION));
	jset(o, "command", json_string(command));
	return o;
}

/* Reals with 15 significant digits, the most a double always carries
 * faithfully: 1.68, not jansson's default 1.6799999999999999 (first-user 30) */
#define OUTPUT_JSON_FLAGS (JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15))

int output_json_dump(FILE *f, json_t *doc)
{
	if (json_dumpf(doc, f, JSON_INDENT(2) | OUTPUT_JSON_FLAGS) || fputc('\n', f) == EOF ||
	    fflush(f))
		return -EIO;
	return 0;
}

int output_json_dump_line(FILE *f, json_t *doc)
{
	if (json_dumpf(doc, f, JSON_COMPACT | OUTPUT_JSON_FLAGS) || fputc('\n', f) == EOF ||
	    fflush(f))
		return -EIO;
	return 0;
}

static const char *const lim_names[3] = { "min", "pressure", "max" };

static json_t *json_proto(const struct report *r, const struct proto_report *p)
{
	json_t *o = json_object(), *x;
	int i;

	jset(o, "state", json_string(model_state_name(p->m.state)));
	jset(o, "state_basis", json_string(model_basis_name(p->m.basis)));
	jset(o, "state_note", p->m.note ? json_string(p->m.note) : json_null());
	jset(o, "usage_pages", output_json_opt(p->usage_pages));
	jset(o, "usage_bytes", output_json_opt(p->usage_bytes));
	jset(o, "usage_source", p->usage_source ? json_string(p->usage_source) : json_null());
	jset(o, "usage_exact_pages", output_json_opt(p->usage_exact_pages));
	jset(o, "usage_exact_bytes", output_json_opt(p->usage_exact_bytes));
	jset(o, "exact_cached_pages", p->usage_exact_pages.ok ? json_i64(p->exact_cached_pages)
							      : json_null());
	jset(o, "state_exact", p->usage_exact_pages.ok ? json_string(model_state_name(p->m_exact.state))
						       : json_null());
	jset(o, "state_exact_note", p->exact_note[0] ? json_string(p->exact_note) : json_null());
	jset(o, "shares_counter_with", p->def->shares_with ? json_string(p->def->shares_with)
							    : json_null());
	jset(o, "limits_sysctl", json_string(host_sysctl[p->def->limits].name));
	if (p->limits_ok) {
		jset(o, "limits_pages", json_triple(lim_names, p->limit_pages));
		jset(o, "limits_bytes", json_triple(lim_names, p->limit_bytes));
		jset(o, "limits_unavailable_reason", json_null());
	} else {
		jset(o, "limits_pages", json_null());
		jset(o, "limits_bytes", json_null());
		jset(o, "limits_unavailable_reason",
		     p->limits_why ? json_string(p->limits_why) : json_null());
	}
	if (p->def->kind == MODEL_PRESSURE)
		jset(o, "kernel_pressure", p->press == PRESS_YES ? json_true()
				   : p->press == PRESS_NO ? json_false() : json_null());
	else
		jset(o, "kernel_pressure", json_null());
	jset(o, "kernel_press_flag", json_string(protocols_press_name(p->press)));
	jset(o, "uncertainty_pages", output_json_opt(r->band_pages));
	jset(o, "uncertainty_bytes", output_json_opt(r->band_bytes));
	jset(o, "band_online_pages", output_json_opt(r->band_online_pages));
	jset(o, "band_online_bytes", output_json_opt(r->band_online_bytes));

	if (p->limits_ok && p->usage_pages.ok) {
		json_t *pct = json_object(), *near = json_object(), *hp = json_object(),
		       *hb = json_object();

		for (i = 0; i < 3; i++) {
			int64_t h = p->m.headroom_pages[i];

			jset(pct, lim_names[i], p->m.pct_ok ? json_pct(p->m.pct[i]) : json_null());
			jset(near, lim_names[i], json_boolean(p->m.near[i]));
			jset(hp, lim_names[i], json_i64(h));
			jset(hb, lim_names[i], json_i64(p->headroom_bytes[i]));
		}
		jset(o, "percent_of", pct);
		jset(o, "near", near);
		jset(o, "headroom_pages", hp);
		jset(o, "headroom_bytes", hb);
		x = json_object();
		for (i = 0; i < 3; i++) {
			json_t *s = json_object();

			jset(s, "at_average_charge", output_json_opt(p->headroom_sockets_avg[i]));
			jset(s, "at_default_buffers", output_json_opt(p->headroom_sockets_default[i]));
			jset(s, "at_full_buffers", output_json_opt(p->headroom_sockets_full[i]));
			jset(x, lim_names[i], s);
		}
		jset(o, "headroom_sockets", x);
	} else {
		jset(o, "percent_of", json_null());
		jset(o, "near", json_null());
		jset(o, "headroom_pages", json_null());
		jset(o, "headroom_bytes", json_null());
		jset(o, "headroom_sockets", json_null());
	}
	if (!strcmp(p->def->key, "tcp"))
		jset(o, "worst_case_bytes", r->sk.present && r->sk.st->ok[DP_TCP]
			 ? output_json_u64(r->sk.agg->sum[DP_TCP].worst_case_bytes) : json_null());
	if (p->trend_ok) {
		json_t *t = json_object(), *rg = json_array(), *eta = json_object(), *er = json_object();

		jset(t, "samples", json_integer(p->trend.samples));
		jset(t, "duration_s", json_real(p->trend.duration_s));
		jset(t, "slope_pages_per_s", json_real(p->trend.slope));
		japp(rg, json_real(p->trend.slope_lo));
		japp(rg, json_real(p->trend.slope_hi));
		jset(t, "slope_range_pages_per_s", rg);
		jset(t, "growing", json_boolean(p->trend.growing));
		jset(o, "trend", t);
		for (i = 0; i < 3; i++) {
			json_t *range = json_array();

			jset(eta, lim_names[i], p->eta_ok[i] ? json_real(p->eta_s[i]) : json_null());
			if (p->eta_ok[i]) {
				japp(range, json_real(p->eta_lo_s[i]));
				japp(range, p->eta_unbounded[i] ? json_null() : json_real(p->eta_hi_s[i]));
				jset(er, lim_names[i], range);
			} else {
				json_decref(range);
				jset(er, lim_names[i], json_null());
			}
		}
		jset(o, "seconds_to", eta);
		jset(o, "seconds_to_range", er);
	} else {
		jset(o, "trend", json_null());
		jset(o, "seconds_to", json_null());
		jset(o, "seconds_to_range", json_null());
	}
	jset(o, "sockets_netns", output_json_opt(p->sockets_netns));
	jset(o, "sockets_allocated", output_json_opt(p->sockets_alloc));
	jset(o, "average_charge_bytes", output_json_opt(p->avg_charge_bytes));
	return o;
}

static json_t *json_settings(const struct host *h)
{
	json_t *o = json_object();
	int i, j;

	for (i = 0; i < SC_COUNT; i++) {
		const struct sysctl_def *d = &host_sysctl[i];
		json_t *v;

		if (h->sysctl[i].rc) {
			jset(o, d->key, json_null());
			continue;
		}
		if (d->n == 1) {
			v = d->unit == UNIT_BOOL ? json_boolean(h->sysctl[i].v[0])
						 : output_json_u64(h->sysctl[i].v[0]);
		} else {
			v = json_object();
			for (j = 0; j < d->n; j++)
				jset(v, d->field[j], output_json_u64(h->sysctl[i].v[j]));
		}
		jset(o, d->key, v);
	}
	return o;
}

static json_t *json_sock_sums(const struct sockets_report *k, int p)
{
	const struct sock_sums *t = &k->agg->sum[p];
	json_t *o = json_object(), *st = json_object();
	unsigned s;

	jset(o, "complete", json_boolean(k->st->ok[p]));
	jset(o, "count", output_json_u64(t->count));
	jset(o, "count_with_meminfo", output_json_u64(t->with_mem));
	for (s = 0; s < DIAG_NSTATES; s++)
		if (t->by_state[s])
			jset(st, diag_state_name((enum diag_proto)p, s), output_json_u64(t->by_state[s]));
	jset(o, "by_state", st);
	json_mem_fields(o, t->mem, t->with_drops_field);
	jset(o, "charged_bytes", output_json_u64(t->charged_bytes));
	jset(o, "charged_pages", output_json_u64(t->charged_pages));
	jset(o, "worst_case_bytes", p == DP_TCP ? output_json_u64(t->worst_case_bytes) : json_null());
	jset(o, "slow_readers", output_json_u64(t->slow_readers));
	jset(o, "sockets_with_drops", output_json_u64(t->with_drops));
	jset(o, "sockets_with_backlog", output_json_u64(t->with_backlog));
	jset(o, "sndbuf_below_default", p == DP_TCP ? output_json_u64(t->sndbuf_small) : json_null());
	return o;
}

static void json_sockets(json_t *doc, const struct report *r)
{
	const struct sockets_report *k = &r->sk;
	json_t *o = json_object(), *rec = json_object(), *pr = json_array();
	int p, i;

	jset(o, "source", json_safe_string(k->source));
	jset(o, "partial", json_boolean(k->st->partial));
	for (i = 0; i < k->st->nproblems; i++)
		japp(pr, json_safe_string(k->st->problem[i]));
	jset(o, "problems", pr);
	jset(o, "dump_restarts", json_integer(k->st->restarts));
	jset(o, "backend", k->backend ? json_string(k->backend) : json_null());
	jset(o, "backend_fallback_reason", k->backend_why[0] ? json_string(k->backend_why)
							       : json_null());
	jset(o, "sockets_walked", k->backend ? output_json_u64(k->sockets_walked) : json_null());
	for (p = 0; p < DP_COUNT; p++)
		jset(o, diag_proto_name(p), json_sock_sums(k, p));
	if (k->per_ns) {
		json_t *arr = json_array();
		size_t j;

		for (j = 0; j < k->nper_ns; j++) {
			const struct netns_sums *ns = &k->per_ns[j];
			json_t *x = json_object();

			jset(x, "netns_inode", output_json_u64(ns->inode));
			jset(x, "label", json_name_string(ns->label));
			jset(x, "complete", json_boolean(ns->ok));
			for (p = 0; p < DP_COUNT; p++) {
				json_t *y = json_object();

				jset(y, "count", output_json_u64(ns->sum[p].count));
				jset(y, "charged_bytes", output_json_u64(ns->sum[p].charged_bytes));
				jset(y, "charged_pages", output_json_u64(ns->sum[p].charged_pages));
				jset(x, diag_proto_name(p), y);
			}
			japp(arr, x);
		}
		jset(o, "per_netns", arr);
	} else {
		jset(o, "per_netns", json_null());
	}
	jset(doc, "sockets", o);
	for (p = 0; p < DP_COUNT; p++) {
		const struct recon_report *c = &k->recon[p];
		json_t *x = json_object(), *causes = json_array();

		if (!c->ok) {
			jset(rec, diag_proto_name(p), json_null());
			json_decref(x);
			json_decref(causes);
			continue;
		}
		jset(x, "sockstat_pages", output_json_u64(c->sockstat_pages));
		jset(x, "sockets_charged_pages", output_json_u64(c->sockets_pages));
		jset(x, "residual_pages", json_integer(c->residual_pages));
		jset(x, "band_pages", output_json_opt(c->band_pages));
		jset(x, "within_band", c->band_pages.ok ? json_boolean(c->within_band) : json_null());
		jset(x, "band_online_pages", output_json_opt(c->band_online_pages));
		jset(x, "within_online_band", c->band_online_pages.ok ? json_boolean(c->within_online_band)
								      : json_null());
		jset(x, "exact_pages", c->exact_ok ? output_json_u64(c->exact_pages) : json_null());
		jset(x, "exact_residual_pages", c->exact_ok ? json_integer(c->exact_residual_pages)
							    : json_null());
		jset(x, "sharing_protocol", json_string(c->sharing_name));
		jset(x, "sharing_sockets", c->sharing_dumped ? output_json_u64(c->sharing_sockets)
							     : json_null());
		jset(x, "sharing_charged_bytes", c->sharing_dumped
						 ? output_json_u64(c->sharing_charged_bytes) : json_null());
		jset(x, "sharing_not_dumped_reason", c->sharing_why ? json_string(c->sharing_why)
								    : json_null());
		jset(x, "sharing_in_use", output_json_opt(c->sharing_in_use));
		for (i = 0; i < c->ncause; i++)
			japp(causes, json_string(c->cause[i]));
		jset(x, "likely_causes", causes);
		jset(rec, diag_proto_name(p), x);
	}
	jset(rec, "network_namespaces", k->netns_known ? output_json_u64(k->netns_count) : json_null());
	jset(rec, "network_namespaces_complete", k->netns_known ? json_boolean(k->netns_complete)
								 : json_null());
	jset(doc, "reconciliation", rec);
}

/* A capture (sosreport, insights): its layout, time, host and where each
 * input was read from. */
static json_t *json_capture(const struct host *h)
{
	json_t *c = json_object(), *ins = json_array();
	size_t i;

	jset(c, "layout", json_string(h->layout == LAYOUT_SOSREPORT ? "sosreport" : "insights"));
	jset(c, "archive", json_boolean(h->archive != NULL));
	jset(c, "time", h->capture_time[0] ? json_safe_string(h->capture_time) : json_null());
	jset(c, "hostname", h->hostname[0] ? json_safe_string(h->hostname) : json_null());
	jset(c, "machine", h->machine[0] ? json_safe_string(h->machine) : json_null());
	jset(c, "page_size_confidence", json_string(h->page_size_confidence ? h->page_size_confidence
									  : "certain"));
	for (i = 0; i < host_ninputs; i++) {
		const struct host_from *w = &h->from[i];
		json_t *o;

		if (!w->path || host_inputs[i].origin == HOST_SNAPSHOT)
			continue;
		o = json_object();
		jset(o, "input", json_string(host_input_label(&host_inputs[i])));
		jset(o, "file", json_string(w->path));
		jset(o, "line", w->line ? json_integer(w->line) : json_null());
		jset(o, "via", w->how ? json_string(w->how) : json_null());
		jset(o, "conflict", w->conflict ? json_safe_string(w->conflict) : json_null());
		japp(ins, o);
	}
	jset(c, "inputs", ins);
	ins = json_array();
	for (i = 0; i < (size_t)h->nnetns_sysctl; i++) {
		const struct host_netns_sysctl *e = &h->netns_sysctl[i];
		json_t *o = json_object(), *v = json_object();
		int k;

		jset(o, "name", json_safe_string(e->name));
		jset(o, "file", json_safe_string(e->path));
		jset(o, "ok", json_boolean(e->ok));
		for (k = 0; e->ok && k < SC_COUNT; k++) {
			const struct sysctl_def *d = &host_sysctl[k];

			if (e->v[k].rc)
				continue;
			if (d->n == 1) {
				jset(v, d->key, output_json_u64(e->v[k].v[0]));
			} else {
				json_t *vec = json_object();
				int j;

				for (j = 0; j < d->n; j++)
					jset(vec, d->field[j], output_json_u64(e->v[k].v[j]));
				jset(v, d->key, vec);
			}
		}
		jset(o, "settings", v);
		japp(ins, o);
	}
	jset(c, "namespaces", ins);
	return c;
}

/* Where the figures come from (show and advise): the host, its kernel,
 * the time and the root. */
static json_t *json_source(const struct report *r)
{
	const struct host *h = r->h;
	json_t *src;

	src = json_object();
	jset(src, "root", h->root[0] ? json_safe_string(h->root) : json_null());
	jset(src, "collected_at", json_string(h->collected_at));
	jset(src, "snapshot_time", h->have_meta && h->meta.time[0] ? json_string(h->meta.time)
								    : json_null());
	jset(src, "kernel_release", h->kver.ok ? json_name_string(h->kver.release) : json_null());
	jset(src, "hostname", h->hostname[0] ? json_safe_string(h->hostname) : json_null());
	jset(src, "page_size_bytes", output_json_u64(h->page_size_bytes));
	jset(src, "page_size_source", json_string(h->page_size_source));
	jset(src, "mem_unit_bytes", output_json_u64(r->mem_unit_bytes));
	jset(src, "possible_cpus", output_json_opt(h->possible_cpus));
	jset(src, "online_cpus", output_json_opt(h->online_cpus));
	jset(src, "mem_total_bytes", output_json_opt(h->mem_total_bytes));
	jset(src, "network_namespace", json_string(h->netns_child ? "child" : "initial-or-unknown"));
	jset(src, "per_cpu_reserve_pages", r->reserve.exact ? json_integer(0)
							      : output_json_u64(r->reserve.rsv_pages));
	jset(src, "per_cpu_reserve_source", json_string(r->reserve.source));
	return src;
}

json_t *output_json_show(const struct report *r)
{
	const struct host *h = r->h;
	json_t *doc, *src, *protos, *frag, *counts, *counters, *unav;
	int i;

	json_failed = false;
	doc = output_json_envelope("show");
	jset(doc, "partial", json_boolean(r->partial));
	/* every reason of partial: the host's inputs and the dump's (these
	 * also under sockets.problems) */
	jset(doc, "problems", json_problems(h, r->sk.st));
	jset(doc, "deleted_during_walk", json_deleted(h));

	src = json_source(r);
	jset(doc, "source", src);
	if (h->layout != LAYOUT_PROC)
		jset(doc, "capture", json_capture(h));


	protos = json_object();
	for (i = 0; i < r->nproto; i++)
		jset(protos, r->proto[i].def->key, json_proto(r, &r->proto[i]));
	jset(doc, "protocols", protos);

	frag = json_object();
	for (i = 0; i < 2; i++) {
		const struct frag_report *f = &r->frag[i];
		json_t *o = json_object();

		jset(o, "inuse", output_json_opt(f->inuse));
		jset(o, "usage_bytes", output_json_opt(f->usage_bytes));
		jset(o, "high_thresh_bytes", output_json_opt(f->high_thresh_bytes));
		jset(o, "percent_of_high_thresh", f->usage_bytes.ok && f->high_thresh_bytes.ok
						  ? json_pct(f->pct) : json_null());
		jset(o, "scope", json_string("netns"));
		jset(frag, f->key, o);
	}
	jset(doc, "frag", frag);

	counts = json_object();
	for (i = 0; i < r->ncount; i++) {
		const struct count_report *c = &r->count[i];
		json_t *o = json_object();

		jset(o, "value", output_json_opt(c->value));
		jset(o, "scope", json_string(report_scope_name(c->scope)));
		if (c->limit_name) {
			jset(o, "limit", output_json_opt(c->limit));
			jset(o, "limit_sysctl", json_string(c->limit_name));
			jset(o, "limit_scope", json_string(report_scope_name(c->limit_scope)));
		}
		jset(counts, c->key, o);
	}
	jset(doc, "counts", counts);

	counters = json_object();
	for (i = 0; i < r->ncounter; i++)
		jset(counters, r->counter[i].key, output_json_opt(r->counter[i].value));
	jset(doc, "counters", counters);

	if (r->sk.present) {
		json_sockets(doc, r);
	} else {
		jset(doc, "sockets", json_null());
		jset(doc, "reconciliation", json_null());
	}
	jset(doc, "sockets_unavailable_reason", !r->sk.present && r->sk.absent_reason
		 ? json_string(r->sk.absent_reason) : json_null());
	jset(doc, "exact_unavailable_reason", r->exact_why[0] ? json_safe_string(r->exact_why)
							      : json_null());
	jset(doc, "settings", json_settings(h));

	unav = json_array();
	for (i = 0; i < r->nunavail; i++) {
		json_t *u = json_object();

		jset(u, "what", json_string(r->unavail[i].what));
		jset(u, "why", json_string(r->unavail[i].why));
		japp(unav, u);
	}
	jset(doc, "unavailable", unav);
	return json_done(doc);
}

static json_t *json_top_row(const struct report_top *t, const struct top_row *w)
{
	const struct sock_entry *e = &w->e;
	const struct cgroup_info *ci = w->cg;
	json_t *o = json_object();

	jset(o, "charged_bytes", output_json_u64(e->charged_bytes));
	if (t->by == BY_SOCKET) {
		const struct diag_sock *d = &e->s;

		jset(o, "protocol", json_string(diag_proto_name(d->proto)));
		jset(o, "state", json_string(diag_state_name(d->proto, d->state)));
		jset(o, "local", json_string(w->local));
		jset(o, "peer", json_string(w->peer));
		jset(o, "inode", output_json_u64(d->inode));
		jset(o, "uid", output_json_u64(d->uid));
		jset(o, "pid", w->pid ? output_json_u64(w->pid) : json_null());
		jset(o, "comm", w->pid ? json_name_string(w->comm) : json_null());
		jset(o, "shared_with_processes", output_json_u64(w->shared_others));
		jset(o, "cgroup_id", d->has_cgroup ? output_json_u64(d->cgroup_id) : json_null());
	} else {
		jset(o, "sockets", output_json_u64(e->count));
		switch (t->by) {
		case BY_PROCESS:
			jset(o, "pid", output_json_u64(w->key.id));
			jset(o, "comm", json_name_string(w->comm));
			jset(o, "shared_sockets", output_json_u64(e->shared_sockets));
			jset(o, "shared_with_processes", output_json_u64(e->shared_others_max));
			break;
		case BY_CGROUP:
			jset(o, "cgroup_id", output_json_u64(w->key.id));
			/* a name chosen by whoever made the cgroup: escaped, valid UTF-8 */
			jset(o, "path", ci && ci->found ? json_safe_string(ci->path) : json_null());
			jset(o, "memcg_sock_bytes", ci ? output_json_opt(ci->sock_bytes) : json_null());
			jset(o, "memcg_current_bytes", ci ? output_json_opt(ci->current_bytes)
							  : json_null());
			jset(o, "memcg_max_bytes", ci ? output_json_opt(ci->max_bytes) : json_null());
			jset(o, "kmem_tcp_usage_bytes", ci ? output_json_opt(ci->kmem_tcp_usage_bytes)
							   : json_null());
			jset(o, "kmem_tcp_limit_bytes", ci ? output_json_opt(ci->kmem_tcp_limit_bytes)
							   : json_null());
			break;
		case BY_PORT:
		case BY_PEER_PORT:
			jset(o, "protocol", json_string(diag_proto_name(w->key.proto)));
			jset(o, "port", output_json_u64(w->key.port));
			break;
		case BY_STATE:
			jset(o, "protocol", json_string(diag_proto_name(w->key.proto)));
			jset(o, "state", json_string(diag_state_name(w->key.proto, w->key.state)));
			break;
		default:
			break;
		}
	}
	json_mem_fields(o, e->mem, e->drops_known);
	jset(o, "slow_readers", output_json_u64(e->slow_readers));
	jset(o, "sndbuf_below_default", output_json_u64(e->sndbuf_small));
	return o;
}

json_t *output_json_top(const struct report_top *t)
{
	json_t *doc, *arr, *a;
	int i;

	json_failed = false;
	doc = output_json_envelope("top");
	arr = json_array();
	jset(doc, "by", json_string(sockets_by_name[t->by]));
	jset(doc, "source", json_safe_string(t->source));
	jset(doc, "partial", json_boolean(t->partial));
	jset(doc, "problems", json_problems(t->h, t->st));
	jset(doc, "deleted_during_walk", json_deleted(t->h));
	for (i = 0; i < t->n; i++)
		japp(arr, json_top_row(t, &t->row[i]));
	jset(doc, "top", arr);
	if (t->attribution) {
		a = json_object();
		jset(a, "unattributed_sockets", output_json_u64(t->unattributed_sockets));
		jset(a, "unattributed_charged_bytes", output_json_u64(t->unattributed_bytes));
		jset(a, "processes_scanned", output_json_u64(t->processes_scanned));
		jset(a, "processes_denied", output_json_u64(t->processes_denied));
		jset(a, "partial", json_boolean(t->attribution_partial));
		jset(doc, "attribution", a);
	}
	return json_done(doc);
}

/* watch --events: the kernel's counts since watch began */
json_t *output_json_trace_events(const struct trace_events_report *e)
{
	json_t *o = json_object(), *at = json_object(), *rf, *dr, *cg, *pr, *lost;
	int p, k;

	jset(at, "level", json_string(trace_level_name[e->level]));
	jset(at, "reason", e->why ? json_safe_string(e->why) : json_null());
	jset(o, "attribution", at);
	jset(o, "traced", json_boolean(e->bpf));
	if (!e->bpf)
		return o;
	rf = json_array();
	dr = json_array();
	for (p = 0; p < TRACE_P_COUNT; p++) {
		for (k = 0; k < 2; k++) {
			json_t *x;

			if (!e->refusals[p][k])
				continue;
			x = json_object();
			jset(x, "protocol", json_string(trace_proto_name[p]));
			jset(x, "direction", json_string(k ? "receive" : "send"));
			jset(x, "total", output_json_u64(e->refusals[p][k]));
			japp(rf, x);
		}
		for (k = 0; k < MEMTRACE_NREASONS; k++) {
			json_t *x;

			if (!e->drops[p][k])
				continue;
			x = json_object();
			jset(x, "protocol", json_string(trace_proto_name[p]));
			jset(x, "reason", json_string(trace_event_defs[MEMTRACE_EV_DROP0 + k].reason));
			jset(x, "total", output_json_u64(e->drops[p][k]));
			japp(dr, x);
		}
	}
	jset(o, "refusals", rf);
	jset(o, "memory_drops", dr);
	jset(o, "tcp_pressure_episodes", output_json_u64(e->press_enters));
	jset(o, "tcp_aborts_on_memory", output_json_u64(e->aborts));
	cg = json_array();
	for (k = 0; k < e->ncgroups; k++) {
		json_t *x = json_object();

		jset(x, "id", output_json_u64(e->cgroup[k].cgroup_id));
		jset(x, "path", e->cgroup[k].found ? json_safe_string(e->cgroup[k].cgroup) : json_null());
		jset(x, "events", output_json_u64(e->cgroup[k].events));
		japp(cg, x);
	}
	jset(o, "top_cgroups", cg);
	pr = json_array();
	for (k = 0; k < e->nprocesses; k++) {
		json_t *x = json_object();

		jset(x, "pid", output_json_u64(e->process[k].pid));
		jset(x, "comm", json_safe_string(e->process[k].comm));
		jset(x, "events", output_json_u64(e->process[k].events));
		japp(pr, x);
	}
	jset(o, "top_processes", pr);
	lost = json_object();
	jset(lost, "ring_buffer_full", output_json_u64(e->ring_lost));
	jset(lost, "map_full", output_json_u64(e->map_full));
	jset(lost, "kernel_missed", output_json_u64(e->missed));
	jset(o, "lost", lost);
	return o;
}

json_t *output_json_sample(const struct report_sample *s)
{
	const struct report *r = s->r;
	json_t *doc = output_json_show(r), *rt;
	int i;

	if (!doc)
		return NULL;
	json_failed = false;
	jset(doc, "command", json_string("watch"));
	jset(doc, "sample", output_json_u64(s->n));
	jset(doc, "sample_time", json_string(s->time_iso));
	jset(doc, "sample_time_unix_s", json_real(s->time_unix_s));
	jset(doc, "sample_interval_s", s->n > 1 ? json_real(s->interval_s) : json_null());
	if (s->n > 1) {
		rt = json_object();
		for (i = 0; i < r->ncounter; i++)
			jset(rt, r->counter[i].key, s->rates.known[i] ? json_real(s->rates.per_s[i])
							     : json_null());
		jset(doc, "counter_rates_per_s", rt);
	} else {
		jset(doc, "counter_rates_per_s", json_null());
	}
	rt = json_object();
	jset(rt, "seconds", json_real(s->cost.collect_seconds));
	jset(rt, "cpu_seconds", json_real(s->cost.collect_cpu_seconds));
	jset(rt, "per_socket_pass", json_boolean(s->cost.sockets_pass));
	jset(rt, "sockets_walked", output_json_u64(s->cost.sockets_walked));
	jset(rt, "per_socket_view_sample", s->cost.sockets_pass_sample
		 ? output_json_u64(s->cost.sockets_pass_sample) : json_null());
	jset(rt, "per_socket_every_samples", output_json_u64(s->cost.sockets_every));
	jset(rt, "cpu_share", json_real(s->cost.cpu_share));
	jset(rt, "cpu_budget_share", s->cost.budget_share > 0 ? json_real(s->cost.budget_share)
							    : json_null());
	jset(doc, "collect", rt);
	if (s->events)
		jset(doc, "events", output_json_trace_events(s->events));
	return json_done(doc);
}

json_t *output_json_simulate(const struct report_sim *s)
{
	const struct simulate_in *in = &s->in;
	const char *proto = diag_proto_name(s->proto);
	json_t *doc, *x, *sets, *now, *np, *ns, *lim, *tr, *fin, *fp, *ft;
	int i, j;

	json_failed = false;
	doc = output_json_envelope("simulate");
	jset(doc, "partial", json_boolean(s->partial));
	jset(doc, "problems", json_problems(s->r->h, NULL));
	x = json_object();
	jset(x, "protocol", json_string(proto));
	jset(x, "direction", json_string(in->dir == CHARGE_RECV ? "recv" : "send"));
	jset(x, "add_sockets", output_json_u64(in->add_sockets));
	jset(x, "bytes_per_socket", output_json_u64(in->bytes_per_socket));
	jset(x, "pages_per_socket", output_json_u64(s->out.pages_per_socket));
	jset(x, "page_size_bytes", output_json_u64(in->page_size_bytes));
	jset(x, "uncertainty_pages", output_json_u64(in->band_pages));
	sets = json_array();
	for (i = 0; i < s->nset; i++) {
		const struct report_sim_set *st = &s->set[i];
		json_t *o = json_object(), *f = st->from_ok ? json_array() : json_null(),
		       *t = json_array();

		for (j = 0; j < host_sysctl[st->id].n; j++) {
			if (st->from_ok)
				japp(f, output_json_u64(st->from[j]));
			japp(t, output_json_u64(st->to[j]));
		}
		jset(o, "sysctl", json_string(host_sysctl[st->id].name));
		jset(o, "from", f);
		jset(o, "to", t);
		japp(sets, o);
	}
	jset(x, "set", sets);
	jset(doc, "input", x);
	ns = json_object();
	jset(ns, "state", json_string(model_state_name(s->pr->m.state)));
	jset(ns, "usage_pages", output_json_u64(in->usage_pages));
	jset(ns, "usage_bytes", output_json_opt(s->pr->usage_bytes));
	lim = json_object();
	jset(lim, "min", output_json_u64(in->limit_pages[0]));
	jset(lim, "pressure", output_json_u64(in->limit_pages[1]));
	jset(lim, "max", output_json_u64(in->limit_pages[2]));
	jset(ns, "limits_pages", lim);
	jset(ns, "kernel_pressure", in->kind == MODEL_PRESSURE ? json_boolean(in->press == PRESS_YES)
							      : json_null());
	np = json_object();
	jset(np, proto, ns);
	now = json_object();
	jset(now, "protocols", np);
	jset(doc, "now", now);
	tr = json_array();
	for (i = 0; i < s->nstep; i++) {
		const struct report_sim_step *st = &s->step[i];
		json_t *o = json_object(), *rg = json_array();

		jset(o, "protocol", json_string(proto));
		jset(o, "event", json_string(simulate_event_name(st->t.event)));
		jset(o, "to_state", json_string(model_state_name(st->t.to_state)));
		jset(o, "at_added_sockets", output_json_u64(st->t.at_added_sockets));
		japp(rg, output_json_u64(st->t.at_added_low));
		japp(rg, output_json_u64(st->t.at_added_high));
		jset(o, "at_added_sockets_range", rg);
		jset(o, "at_usage_pages", output_json_u64(st->t.at_usage_pages));
		jset(o, "at_usage_bytes", output_json_u64(st->at_usage_bytes));
		jset(o, "capped_pages_per_socket", st->t.event == SIM_CAPPED
		     ? output_json_u64(st->t.capped_pages) : json_null());
		jset(o, "description", json_string(st->description));
		japp(tr, o);
	}
	jset(doc, "transitions", tr);
	ft = json_object();
	jset(ft, "state", json_string(model_state_name(s->out.final_state)));
	jset(ft, "usage_pages", output_json_u64(s->out.final_usage_pages));
	jset(ft, "usage_bytes", output_json_u64(s->final_usage_bytes));
	jset(ft, "kernel_pressure", in->kind == MODEL_PRESSURE ? json_boolean(s->out.final_pressure)
							      : json_null());
	fp = json_object();
	jset(fp, proto, ft);
	fin = json_object();
	jset(fin, "protocols", fp);
	jset(fin, "sockets_at_full_size", output_json_u64(s->out.sockets_full));
	jset(fin, "sockets_capped", output_json_u64(s->out.sockets_capped));
	jset(fin, "admitted_pages", output_json_u64(s->out.admitted_pages));
	jset(fin, "wanted_pages", output_json_u64(s->out.wanted_pages));
	jset(doc, "final", fin);
	return json_done(doc);
}

/* ---- sockmem advise */

static json_t *json_evidence(const struct finding *f)
{
	json_t *o = json_object();
	int i;

	for (i = 0; i < f->nev; i++) {
		const struct evidence *e = &f->ev[i];
		json_t *v;

		switch (e->t) {
		case EV_U64: v = output_json_u64(e->u); break;
		case EV_I64: v = json_i64(e->i); break;
		case EV_DBL: v = json_real(e->d); break;
		case EV_BOOL: v = json_boolean(e->u); break;
		default: v = json_string(e->s); break;
		}
		jset(o, e->key, v);
	}
	return o;
}

static json_t *json_finding(const struct finding *f)
{
	json_t *o = json_object(), *fix = json_object(), *sc = json_array();
	const struct sysctl_change *p = rules_prediction(f);
	int j;

	jset(o, "id", json_string(f->id));
	jset(o, "severity", json_string(rules_sev_name(f->sev)));
	jset(o, "scope", json_string(rules_scope_name(f->scope)));
	jset(o, "container_can_apply", json_boolean(f->container_can_apply));
	jset(o, "summary", json_string(f->summary));
	jset(o, "mechanism", json_string(f->mechanism));
	jset(o, "evidence", json_evidence(f));
	for (j = 0; j < f->nfix; j++) {
		char vals[80], line[160];

		fix_values(&f->fix[j], vals, sizeof(vals));
		snprintf(line, sizeof(line), "%s = %s", fix_name(&f->fix[j]), vals);
		japp(sc, json_string(line));
	}
	jset(fix, "sysctl", sc);
	jset(fix, "application", f->application[0] ? json_string(f->application) : json_null());
	if (p) {
		json_t *pj = json_object();

		jset(pj, "state_before", json_string(model_state_name(p->state_before)));
		jset(pj, "state_after", json_string(model_state_name(p->state_after)));
		jset(pj, "headroom_before_bytes", json_i64(p->headroom_before_bytes));
		jset(pj, "headroom_after_bytes", json_i64(p->headroom_after_bytes));
		jset(fix, "predicted", pj);
	} else {
		jset(fix, "predicted", json_null());
	}
	jset(o, "fix", fix);
	return o;
}

json_t *output_json_advise(const struct report_advise *a)
{
	json_t *doc, *arr, *cnt;
	int i;

	json_failed = false;
	doc = output_json_envelope("advise");
	jset(doc, "partial", json_boolean(a->partial));
	jset(doc, "problems", json_problems(a->h, a->r->sk.present ? a->r->sk.st : NULL));
	/* fleet-collected advice names its host, kernel, time and root */
	jset(doc, "source", json_source(a->r));
	arr = json_array();
	for (i = 0; i < a->n; i++)
		japp(arr, json_finding(&a->f[i]));
	cnt = json_object();
	jset(cnt, "crit", json_integer(a->count[SEV_CRIT]));
	jset(cnt, "warn", json_integer(a->count[SEV_WARN]));
	jset(cnt, "info", json_integer(a->count[SEV_INFO]));
	jset(doc, "counts", cnt);
	jset(doc, "findings", arr);
	/* advise --trace: what the window saw (the findings carry the evidence) */
	if (a->trace) {
		json_t *tr = json_object(), *at = json_object();

		jset(at, "level", json_string(a->trace->level));
		jset(at, "reason", a->trace->why ? json_safe_string(a->trace->why) : json_null());
		jset(tr, "window_s", json_real(a->trace->window_s));
		jset(tr, "attribution", at);
		jset(tr, "udp_events", a->trace->bpf ? output_json_u64(a->trace->udp_events) : json_null());
		jset(tr, "udp_limit_events", a->trace->bpf ? output_json_u64(a->trace->udp_limit_events)
							   : json_null());
		jset(tr, "udp_sockets", a->trace->bpf ? output_json_u64(a->trace->udp_sockets) : json_null());
		jset(tr, "udp_cgroups", a->trace->bpf ? output_json_u64(a->trace->udp_cgroups) : json_null());
		jset(doc, "trace", tr);
	}
	return json_done(doc);
}

json_t *output_json_snapshot(const struct report_snapshot *s)
{
	json_t *doc, *files;
	size_t i;

	json_failed = false;
	doc = output_json_envelope("snapshot");
	jset(doc, "directory", json_safe_string(s->directory));
	jset(doc, "partial", json_boolean(s->partial));
	jset(doc, "problems", json_problems(s->h, NULL));
	files = json_array();
	for (i = 0; i < s->nfiles; i++)
		japp(files, json_string(s->files[i]));
	jset(doc, "files", files);
	jset(doc, "files_absent", json_integer(s->absent));
	jset(doc, "files_failed", json_integer(s->failed));
	jset(doc, "page_size_bytes", output_json_u64(s->page_size_bytes));
	return json_done(doc);
}

/* ---- sockmem trace: NDJSON, a start object, one per event, the summary ---- */

static json_t *json_trace_envelope(const char *type)
{
	json_t *doc = output_json_envelope("trace");

	jset(doc, "type", json_string(type));
	return doc;
}

static json_t *json_trace_attribution(const struct report_trace *t)
{
	json_t *a = json_object();

	jset(a, "level", json_string(trace_level_name[t->level]));
	jset(a, "reason", t->level_why ? json_safe_string(t->level_why) : json_null());
	return a;
}

/* What was traced and what this kernel lets the tracepoints see. */
static void json_trace_common(json_t *doc, const struct report_trace *t)
{
	json_t *flt = json_object(), *k = json_object(), *rs = json_object(), *cov = json_array();
	int i;

	jset(doc, "attribution", json_trace_attribution(t));
	jset(flt, "netns_inode", t->netns_ino ? output_json_u64(t->netns_ino) : json_null());
	jset(flt, "protocol", t->protocol ? json_string(t->protocol) : json_null());
	jset(flt, "summary_only", json_boolean(t->summary_only));
	jset(doc, "filters", flt);
	jset(k, "release", t->kver.ok ? json_name_string(t->kver.release) : json_null());
	jset(k, "bpf", json_boolean(t->bpf));
	jset(k, "loader", t->bpf && t->loader[0] ? json_string(t->loader) : json_null());
	jset(k, "drops_traced", json_boolean(t->drops));
	jset(k, "drop_socket_from_tracepoint", json_boolean(t->rx_sk));
	jset(k, "pressure_traced", json_boolean(t->press));
	jset(k, "pressure_why", t->bpf && !t->press && t->press_why ? json_safe_string(t->press_why)
								       : json_null());
	for (i = 0; i < MEMTRACE_NREASONS; i++)
		jset(rs, trace_event_defs[MEMTRACE_EV_DROP0 + i].reason,
		     (t->bpf || t->counted) && t->reason_value[i] >= 0 ? json_integer(t->reason_value[i])
								: json_null());
	jset(k, "drop_reason_values", rs);
	jset(doc, "kernel", k);
	for (i = 0; i < t->ncoverage; i++)
		japp(cov, json_string(t->coverage[i]));
	jset(doc, "coverage", cov);
}

json_t *output_json_trace_start(const struct report_trace *t)
{
	json_t *doc;

	json_failed = false;
	doc = json_trace_envelope("start");
	jset(doc, "start_time", json_string(t->start_iso));
	jset(doc, "start_time_unix_s", json_real(t->start_unix_s));
	json_trace_common(doc, t);
	return json_done(doc);
}

static json_t *json_trace_i32_bytes(int32_t v)
{
	return json_integer(v > 0 ? v : 0);
}

static json_t *json_trace_socket(const struct trace_line *l)
{
	const struct memtrace_event *e = l->e;
	json_t *s;

	if (!(e->flags & MEMTRACE_F_SOCK))
		return json_null();
	s = json_object();
	/* MEMTRACE_COOKIE_INODE: no cookie yet, the inode stood in for it */
	jset(s, "cookie", e->cookie && !(e->cookie & MEMTRACE_COOKIE_INODE) ? output_json_u64(e->cookie)
									      : json_null());
	jset(s, "inode", e->inode ? output_json_u64(e->inode) : json_null());
	jset(s, "family", json_string(l->family));
	jset(s, "local", json_string(l->local));
	jset(s, "peer", json_string(l->peer));
	jset(s, "state", json_string(l->state));
	jset(s, "uid", output_json_u64(e->uid));
	jset(s, "rmem_alloc_bytes", json_trace_i32_bytes(e->rmem_alloc));
	jset(s, "rcvbuf_bytes", json_trace_i32_bytes(e->rcvbuf));
	jset(s, "wmem_queued_bytes", json_trace_i32_bytes(e->wmem_queued));
	jset(s, "wmem_alloc_bytes", json_trace_i32_bytes(e->wmem_alloc));
	jset(s, "sndbuf_bytes", json_trace_i32_bytes(e->sndbuf));
	jset(s, "rmem_min_bytes", e->flags & MEMTRACE_F_SYSCTL_BUF
		     ? json_trace_i32_bytes(e->sysctl_rmem) : json_null());
	jset(s, "wmem_min_bytes", e->flags & MEMTRACE_F_SYSCTL_BUF
		     ? json_trace_i32_bytes(e->sysctl_wmem) : json_null());
	jset(s, "drops", output_json_u64(e->drops));
	jset(s, "memcg", json_boolean(l->memcg));
	return s;
}

static json_t *json_trace_memory(const struct trace_line *l)
{
	json_t *m, *lim;
	int i;

	if (!l->limits_ok)
		return json_null();
	m = json_object();
	lim = json_array();
	jset(m, "allocated_bytes", json_i64(l->allocated_bytes));
	for (i = 0; i < 3; i++)
		japp(lim, output_json_u64(l->limit_bytes[i]));
	jset(m, "limit_bytes", lim);
	jset(m, "usage_pct_of_max", json_pct(l->usage_pct_of_max));
	jset(m, "pressure", json_boolean(l->pressure));
	return m;
}

static json_t *json_trace_process(const struct trace_names *nm)
{
	json_t *p;

	if (!nm || !nm->pid_found)
		return json_null();
	p = json_object();
	jset(p, "pid", output_json_u64(nm->pid));
	jset(p, "comm", json_name_string(nm->comm));
	return p;
}

static json_t *json_trace_cgroup(const struct trace_line *l)
{
	const struct trace_names *nm = l->names;
	json_t *c;

	if (!l->e->cgroup_id)
		return json_null();
	c = json_object();
	jset(c, "id", output_json_u64(l->e->cgroup_id));
	jset(c, "path", nm && nm->cgroup_found ? json_safe_string(nm->cgroup) : json_null());
	jset(c, "pod_uid", l->pod.found ? json_string(l->pod.uid) : json_null());
	jset(c, "container_id", l->pod.found && l->pod.container[0] ? json_string(l->pod.container)
								     : json_null());
	return c;
}

/* The memory cgroup charged for the socket (v1: kmem.tcp set; v2: the
 * socket's cgroup or an ancestor): null when none. */
static json_t *json_trace_memcg(const struct trace_line *l)
{
	const struct trace_names *nm = l->names;
	json_t *c;

	if (!l->e->memcg_cgroup_id)
		return json_null();
	c = json_object();
	jset(c, "id", output_json_u64(l->e->memcg_cgroup_id));
	jset(c, "path", nm && nm->memcg_id == l->e->memcg_cgroup_id && nm->memcg_found
			? json_safe_string(nm->memcg) : json_null());
	jset(c, "hierarchy", nm && nm->memcg_id == l->e->memcg_cgroup_id
			     ? json_string(nm->memcg_v1 ? "v1" : "v2") : json_null());
	return c;
}

/* The fields of one event, in an event line and in a summary row. */
static void json_trace_event_fields(json_t *o, const struct trace_line *l)
{
	const struct memtrace_event *e = l->e;
	bool drop = !strcmp(l->def->kind, "drop");
	json_t *p;

	jset(o, "event", json_string(l->def->name));
	jset(o, "kind", json_string(l->def->kind));
	jset(o, "reason", l->def->reason ? json_string(l->def->reason) : json_null());
	jset(o, "direction", json_string(l->def->direction));
	jset(o, "protocol", json_string(l->protocol));
	jset(o, "attributed", json_string(l->attributed));
	jset(o, "socket", json_trace_socket(l));
	jset(o, "memory", json_trace_memory(l));
	jset(o, "cause", l->cause ? json_string(l->cause) : json_null());
	jset(o, "process", json_trace_process(l->names));
	jset(o, "cgroup", json_trace_cgroup(l));
	jset(o, "memory_cgroup", json_trace_memcg(l));
	jset(o, "netns_inode", e->netns_ino ? output_json_u64(e->netns_ino) : json_null());
	if (drop) {
		p = json_object();
		jset(p, "len_bytes", output_json_u64(e->skb_len));
		jset(p, "truesize_bytes", output_json_u64(e->skb_truesize));
	} else {
		p = json_null();
	}
	jset(o, "packet", p);
	if (e->event == MEMTRACE_EV_PRESS_LEAVE) {
		p = json_object();
		jset(p, "duration_s", l->episode_known ? json_real(l->episode_s) : json_null());
		jset(p, "began_before_trace", json_boolean(!l->episode_known));
	} else {
		p = json_null();
	}
	jset(o, "episode", p);
}

json_t *output_json_trace_line(const struct trace_line *l)
{
	json_t *doc;

	json_failed = false;
	doc = json_trace_envelope("event");
	jset(doc, "time", json_string(l->time_iso));
	jset(doc, "time_unix_s", json_real(l->time_unix_s));
	jset(doc, "cpu", json_integer(l->e->cpu));
	json_trace_event_fields(doc, l);
	return json_done(doc);
}

static json_t *json_trace_row(enum trace_by by, const struct trace_row *r)
{
	json_t *o = json_object(), *be = json_object();
	int i;

	jset(o, "events", output_json_u64(r->events));
	jset(o, "share_pct", json_pct(r->share_pct));
	for (i = 0; i < MEMTRACE_NEVENTS; i++)
		if (r->by_event[i])
			jset(be, trace_event_defs[i].name, output_json_u64(r->by_event[i]));
	jset(o, "by_event", be);
	jset(o, "sockets", output_json_u64(r->sockets));
	jset(o, "dropped_bytes", output_json_u64(r->dropped_bytes));
	if (by == TRACE_BY_PORT)
		jset(o, "port", r->first.flags & MEMTRACE_F_SOCK ? json_integer(r->first.sport)
								  : json_null());
	/* the largest entry's first event names the group */
	jset(o, "first_time", json_string(r->line.time_iso));
	json_trace_event_fields(o, &r->line);
	return o;
}

/* The summary's events by kind, whichever way they were counted. */
static json_t *json_trace_events(const struct report_trace *t)
{
	json_t *ev = json_object(), *be = json_object();
	int i;

	jset(ev, "total", output_json_u64(t->total_events));
	jset(ev, "per_s", json_real(t->events_per_s));
	for (i = 0; i < MEMTRACE_NEVENTS; i++)
		jset(be, trace_event_defs[i].name, output_json_u64(t->events[i]));
	jset(ev, "by_event", be);
	return ev;
}

json_t *output_json_trace_summary(const struct report_trace *t)
{
	json_t *doc, *ev, *lost, *top, *cn, *list;
	int i, j;

	json_failed = false;
	doc = json_trace_envelope("summary");
	jset(doc, "start_time", json_string(t->start_iso));
	jset(doc, "end_time", json_string(t->end_iso));
	jset(doc, "window_s", json_real(t->window_s));
	jset(doc, "end_reason", json_string(t->end_reason ? t->end_reason : "error"));
	json_trace_common(doc, t);
	if (t->bpf) {
		ev = json_trace_events(t);
		jset(doc, "events", ev);
		lost = json_object();
		jset(lost, "ring_buffer_full", output_json_u64(t->ring_lost));
		jset(lost, "map_full", output_json_u64(t->agg_full));
		jset(lost, "no_socket", output_json_u64(t->no_sock));
		jset(lost, "not_attributed", output_json_u64(t->unattributed_events));
		jset(lost, "kernel_missed", output_json_u64(t->missed));
		jset(ev, "tcp_check_oom_calls", t->press ? output_json_u64(t->oom_checks) : json_null());
		jset(ev, "drops_given_refusal_socket", output_json_u64(t->paired));
		if (t->press_polled) {
			json_t *pp = json_object();

			jset(pp, "polls", output_json_u64(t->press_polls));
			jset(pp, "on_at_start", json_boolean(t->press_before_trace));
			jset(ev, "pressure_polled", pp);
		} else {
			jset(ev, "pressure_polled", json_null());
		}
		jset(doc, "lost", lost);
		jset(doc, "lines", t->summary_only ? json_null() : output_json_u64(t->lines_printed));
		top = json_object();
		for (i = 0; i < TRACE_BY_COUNT; i++) {
			json_t *g = json_object(), *rows = json_array();

			jset(g, "groups", output_json_u64(t->groups[i]));
			for (j = 0; j < t->ntop[i]; j++)
				japp(rows, json_trace_row((enum trace_by)i, &t->top[i][j]));
			jset(g, "rows", rows);
			jset(top, trace_by_name[i], g);
		}
		jset(doc, "top", top);
	} else if (t->counted) {
		/* counted (perf_event_open): the events by kind, nothing attributed */
		ev = json_trace_events(t);
		jset(ev, "tcp_check_oom_calls", json_null());
		jset(ev, "drops_given_refusal_socket", json_null());
		jset(ev, "pressure_polled", json_null());
		jset(doc, "events", ev);
		jset(doc, "lost", json_null());
		jset(doc, "lines", json_null());
		jset(doc, "top", json_null());
	} else {
		jset(doc, "events", json_null());
		jset(doc, "lost", json_null());
		jset(doc, "lines", json_null());
		jset(doc, "top", json_null());
	}
	cn = json_object();
	list = json_array();
	jset(cn, "scope", json_string(t->counters_scope));
	for (i = 0; i < t->ncounter; i++) {
		const struct trace_counter *c = &t->counter[i];
		json_t *o = json_object();

		jset(o, "group", json_string(c->group));
		jset(o, "name", json_string(c->name));
		jset(o, "before", output_json_opt(c->before));
		jset(o, "after", output_json_opt(c->after));
		jset(o, "delta", output_json_opt(c->delta));
		jset(o, "delta_min", output_json_opt(c->delta_min));
		jset(o, "events", c->has_events ? output_json_u64(c->events_seen) : json_null());
		jset(o, "match", json_string(trace_match_name[c->match]));
		jset(o, "comparable", json_boolean(c->comparable));
		jset(o, "agrees", c->match == TRACE_MATCH_EXACT && c->comparable && c->delta.ok
				  ? json_boolean(c->agrees) : json_null());
		jset(o, "meaning", json_string(c->meaning));
		japp(list, o);
	}
	jset(cn, "list", list);
	jset(doc, "counters", cn);
	return json_done(doc);
}
