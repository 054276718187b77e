/* cmd_advise.c - "sockmem advise": runs the rules over the report (and the
 * per-socket view) and prints ranked findings with evidence and fixes: text,
 * JSON, or a sysctl.d file.  Never applies anything. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "output.h"
#include "procscan.h"
#include "cli.h"
#include "collect.h"
#include "rules.h"

enum adv_format { FMT_TEXT, FMT_JSON, FMT_SYSCTL };

static enum adv_format adv_format = FMT_TEXT;
static bool adv_check;
static enum sev adv_fail_on = SEV_CRIT;
static double adv_interval_s, adv_bw_bps, adv_rtt_s;
static uint64_t adv_connections;

/* "10Gbit", "100Mbit", "1.5Gbps", "800kbit": bits per second -> bytes/s */
int sm_parse_rate(const char *arg, double *bytes_per_s)
{
	static const struct { const char *s; double m; } suf[] = {
		{ "bit", 1 }, { "bps", 1 }, { "kbit", 1e3 }, { "kbps", 1e3 }, { "mbit", 1e6 },
		{ "mbps", 1e6 }, { "gbit", 1e9 }, { "gbps", 1e9 }, { "tbit", 1e12 }, { "tbps", 1e12 },
	};
	char *end;
	double v = strtod(arg, &end);
	size_t i;

	if (end == arg || !(v > 0) || !isfinite(v))
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(suf); i++)
		if (!strcasecmp(end, suf[i].s)) {
			*bytes_per_s = v * suf[i].m / 8.0;
			return 0;
		}
	return -EINVAL;
}

/* "80ms", "0.08s", "500us" -> seconds */
int sm_parse_duration(const char *arg, double *s)
{
	char *end;
	double v = strtod(arg, &end);

	if (end == arg || !(v > 0) || !isfinite(v))
		return -EINVAL;
	if (!strcmp(end, "s"))
		*s = v;
	else if (!strcmp(end, "ms"))
		*s = v / 1e3;
	else if (!strcmp(end, "us"))
		*s = v / 1e6;
	else
		return -EINVAL;
	return *s <= 3600 ? 0 : -ERANGE;
}

enum { OPT_FORMAT = 0x400, OPT_CHECK, OPT_FAIL_ON, OPT_BW, OPT_RTT, OPT_CONNS, OPT_INTERVAL };

static const struct argp_option adv_options[] = {
	{ "format", OPT_FORMAT, "FMT", 0,
	  "text (default), json, or sysctl: a file for /etc/sysctl.d/ with the fixes of warn and "
	  "crit findings, a comment above each line (sockmem never applies it)", 0 },
	{ "check", OPT_CHECK, NULL, 0,
	  "Exit 1 if a finding is at or above --fail-on (for cron, CI or a node health check)", 0 },
	{ "fail-on", OPT_FAIL_ON, "LEVEL", 0, "warn or crit (default crit)", 0 },
	{ "bandwidth", OPT_BW, "RATE", 0, "Link rate for buffer sizing, e.g. 10Gbit, 100Mbit", 0 },
	{ "rtt", OPT_RTT, "TIME", 0, "Round-trip time for buffer sizing, e.g. 80ms", 0 },
	{ "connections", OPT_CONNS, "N", 0,
	  "Connections at that size, for the tcp_mem they need (default: the established ones)", 0 },
	{ "interval", OPT_INTERVAL, "SECONDS", 0,
	  "Sample the counters twice, SECONDS apart, and judge them by their rates (a since-boot "
	  "total that did not rise is info)", 0 },
	{ 0 }
};

static error_t adv_parse(int key, char *arg, struct argp_state *state)
{
	char *end;

	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[0] = NULL;
		break;
	case OPT_FORMAT:
		if (!strcmp(arg, "text"))
			adv_format = FMT_TEXT;
		else if (!strcmp(arg, "json"))
			adv_format = FMT_JSON;
		else if (!strcmp(arg, "sysctl"))
			adv_format = FMT_SYSCTL;
		else
			argp_error(state, "--format: '%s' is not text, json or sysctl", arg);
		break;
	case OPT_CHECK:
		adv_check = true;
		break;
	case OPT_FAIL_ON:
		if (!strcmp(arg, "warn"))
			adv_fail_on = SEV_WARN;
		else if (!strcmp(arg, "crit"))
			adv_fail_on = SEV_CRIT;
		else
			argp_error(state, "--fail-on: '%s' is not warn or crit", arg);
		break;
	case OPT_BW:
		if (sm_parse_rate(arg, &adv_bw_bps))
			argp_error(state, "--bandwidth: '%s' is not a rate such as 10Gbit or 100Mbit", arg);
		break;
	case OPT_RTT:
		if (sm_parse_duration(arg, &adv_rtt_s))
			argp_error(state, "--rtt: '%s' is not a time such as 80ms, 0.08s or 500us", arg);
		break;
	case OPT_CONNS:
		if (util_parse_u64(arg, strlen(arg), &adv_connections) || !adv_connections)
			argp_error(state, "--connections: '%s' is not a positive number", arg);
		break;
	case OPT_INTERVAL:
		adv_interval_s = strtod(arg, &end);
		if (*end || !(adv_interval_s >= 0.01 && adv_interval_s <= 3600))
			argp_error(state, "--interval: '%s' is not a number of seconds from 0.01 to 3600",
				   arg);
		break;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s'", arg);
		break;
	case ARGP_KEY_END:
		if ((adv_bw_bps > 0) != (adv_rtt_s > 0))
			argp_error(state, "--bandwidth and --rtt go together");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

const struct argp cmd_advise_argp = {
	adv_options, adv_parse, NULL,
	"Ranked findings from the same inputs as 'show' run through the model: what is wrong, "
	"why (the kernel mechanism), the numbers that show it, and what to change - sysctl lines "
	"with values computed for this host (pages for tcp_mem/udp_mem, bytes for the rest), each "
	"run through the model first (state and headroom before -> after), or an application "
	"change when no sysctl is the answer.  sockmem never applies anything.\v"
	"Exit status with --check: 1 if a finding is at or above --fail-on, else as without it "
	"(0 complete, 3 partial).",
	sm_children_sockets, NULL, NULL
};

static void adv_evidence_text(const struct evidence *e, char *buf, size_t n)
{
	switch (e->t) {
	case EV_U64: snprintf(buf, n, "%s=%llu", e->key, (unsigned long long)e->u); break;
	case EV_I64: snprintf(buf, n, "%s=%lld", e->key, (long long)e->i); break;
	case EV_DBL: snprintf(buf, n, "%s=%.4g", e->key, e->d); break;
	case EV_BOOL: snprintf(buf, n, "%s=%s", e->key, e->u ? "true" : "false"); break;
	default: snprintf(buf, n, "%s=%s", e->key, e->s); break;
	}
}

static json_t *adv_evidence_json(const struct finding *f)
{
	json_t *o = json_object();
	int i;

	for (i = 0; i < f->nev; i++) {
		const struct evidence *e = &f->ev[i];
		json_t *v;

		switch (e->t) {
		case EV_U64: v = output_json_u64(e->u); break;
		case EV_I64: v = json_integer(e->i); break;
		case EV_DBL: v = json_real(e->d); break;
		case EV_BOOL: v = json_boolean(e->u); break;
		default: v = json_string(e->s); break;
		}
		json_object_set_new(o, e->key, v);
	}
	return o;
}

/* ---- rendering: text, sysctl file, JSON (formatting only) */

static void adv_text_fix(const struct sysctl_change *c)
{
	char vals[80];

	fix_values(c, vals, sizeof(vals));
	printf("      fix: sysctl -w %s=\"%s\"\n", fix_name(c), vals);
	if (c->predicted) {
		char a[32], b[32];

		util_human_bytes(a, sizeof(a), (uint64_t)llabs(c->headroom_before_bytes));
		util_human_bytes(b, sizeof(b), (uint64_t)llabs(c->headroom_after_bytes));
		printf("           predicted: %s -> %s, headroom %s%s -> %s%s\n",
		       model_state_name(c->state_before), model_state_name(c->state_after),
		       c->headroom_before_bytes < 0 ? "-" : "", a, c->headroom_after_bytes < 0 ? "-" : "", b);
	}
}

static void adv_text(const struct finding *f, int n, bool color)
{
	static const char *const col[] = { "\033[36m", "\033[33m", "\033[31m" };
	int i, j;

	if (!n) {
		printf("no findings: socket memory looks healthy\n");
		return;
	}
	for (i = 0; i < n; i++) {
		char buf[200];

		printf("%s%-4s%s  %s  [%s%s]\n", color ? col[f[i].sev] : "",
		       rules_sev_name(f[i].sev), color ? "\033[0m" : "", f[i].id,
		       rules_scope_name(f[i].scope),
		       f[i].nfix && !f[i].container_can_apply ? "; host-only: a container cannot apply it" : "");
		printf("      %s\n", f[i].summary);
		printf("      evidence:");
		for (j = 0; j < f[i].nev; j++) {
			adv_evidence_text(&f[i].ev[j], buf, sizeof(buf));
			printf(" %s", buf);
		}
		printf("\n      why: %s\n", f[i].mechanism);
		for (j = 0; j < f[i].nfix; j++)
			adv_text_fix(&f[i].fix[j]);
		if (f[i].application[0])
			printf("      %s %s\n", f[i].nfix ? "also:" : "fix:", f[i].application);
		putchar('\n');
	}
}

/* The fix of finding i, number j, proposed by a more urgent finding before
 * it (findings are sorted): the earlier one, or NULL. */
static const struct sysctl_change *adv_sysctl_earlier(const struct finding *f, int i, int j)
{
	int k, l;

	for (k = 0; k <= i; k++)
		for (l = 0; f[k].sev != SEV_INFO && l < (k == i ? j : f[k].nfix); l++)
			if (f[k].fix[l].id == f[i].fix[j].id)
				return &f[k].fix[l];
	return NULL;
}

static void adv_sysctl_file(const struct finding *f, int n, const struct host *h)
{
	int i, j, lines = 0, skipped = 0;

	printf("# sysctl settings proposed by sockmem %s for %s (Linux %s, %llu-byte pages)\n",
	       PACKAGE_VERSION, h->root[0] ? "a snapshot" : "this host",
	       h->kver.ok ? h->kver.release : "unknown", (unsigned long long)h->page_size_bytes);
	printf("# Review, then install as /etc/sysctl.d/60-sockmem.conf; sockmem applies nothing.\n");
	for (i = 0; i < n; i++)
		for (j = 0; j < f[i].nfix; j++) {
			const struct sysctl_change *c = &f[i].fix[j], *e;
			char vals[80];

			if (f[i].sev == SEV_INFO) {
				/* information, not a change to make on every host */
				skipped++;
				continue;
			}
			fix_values(c, vals, sizeof(vals));
			printf("\n# %s (%s): %s\n", f[i].id, rules_sev_name(f[i].sev), f[i].summary);
			if ((e = adv_sysctl_earlier(f, i, j))) {
				/* one line per sysctl: the most urgent finding's */
				if (memcmp(e->v, c->v, sizeof(c->v)))
					printf("#   (%s is set above; this finding would set %s)\n",
					       fix_name(c), vals);
				else
					printf("#   (%s = %s is set above)\n", fix_name(c), vals);
				continue;
			}
			if (c->predicted)
				printf("# predicted: %s -> %s\n", model_state_name(c->state_before),
				       model_state_name(c->state_after));
			printf("%s = %s\n", fix_name(c), vals);
			lines++;
		}
	if (!lines)
		printf("\n# nothing to change\n");
	if (skipped)
		printf("\n# %d fix%s of info findings left out (see sockmem advise)\n", skipped,
		       skipped == 1 ? "" : "es");
}

static json_t *adv_json_finding(const struct finding *f)
{
	json_t *o = json_object(), *fix = json_object(), *sc = json_array();
	const struct sysctl_change *p = rules_prediction(f);
	int j;

	json_object_set_new(o, "id", json_string(f->id));
	json_object_set_new(o, "severity", json_string(rules_sev_name(f->sev)));
	json_object_set_new(o, "scope", json_string(rules_scope_name(f->scope)));
	json_object_set_new(o, "container_can_apply", json_boolean(f->container_can_apply));
	json_object_set_new(o, "summary", json_string(f->summary));
	json_object_set_new(o, "mechanism", json_string(f->mechanism));
	json_object_set_new(o, "evidence", adv_evidence_json(f));
	for (j = 0; j < f->nfix; j++) {
		char vals[80], line[160];

		fix_values(&f->fix[j], vals, sizeof(vals));
		snprintf(line, sizeof(line), "%s = %s", fix_name(&f->fix[j]), vals);
		json_array_append_new(sc, json_string(line));
	}
	json_object_set_new(fix, "sysctl", sc);
	json_object_set_new(fix, "application", f->application[0] ? json_string(f->application) : json_null());
	if (p) {
		json_t *pj = json_object();

		json_object_set_new(pj, "state_before", json_string(model_state_name(p->state_before)));
		json_object_set_new(pj, "state_after", json_string(model_state_name(p->state_after)));
		json_object_set_new(pj, "headroom_before_bytes", json_integer(p->headroom_before_bytes));
		json_object_set_new(pj, "headroom_after_bytes", json_integer(p->headroom_after_bytes));
		json_object_set_new(fix, "predicted", pj);
	} else {
		json_object_set_new(fix, "predicted", json_null());
	}
	json_object_set_new(o, "fix", fix);
	return o;
}

/* Returns 0 or -EIO when stdout failed. */
static int adv_json(const struct finding *f, int n, bool partial)
{
	json_t *doc = output_json_envelope("advise"), *arr = json_array(), *cnt = json_object();
	int c[3] = { 0, 0, 0 }, i, rc;

	json_object_set_new(doc, "partial", json_boolean(partial));
	for (i = 0; i < n; i++) {
		c[f[i].sev]++;
		json_array_append_new(arr, adv_json_finding(&f[i]));
	}
	json_object_set_new(cnt, "crit", json_integer(c[SEV_CRIT]));
	json_object_set_new(cnt, "warn", json_integer(c[SEV_WARN]));
	json_object_set_new(cnt, "info", json_integer(c[SEV_INFO]));
	json_object_set_new(doc, "counts", cnt);
	json_object_set_new(doc, "findings", arr);
	rc = output_json_dump(stdout, doc) ? -EIO : 0;
	json_decref(doc);
	return rc;
}

/* Seconds since boot (/proc/uptime), the age of the since-boot counters. */
static struct opt adv_uptime_s(void)
{
	struct opt o = { 0, false };
	char *buf = NULL, tmp[32], *end;
	size_t len = 0, n;
	double s;

	if (host_read_file(NULL, "proc/uptime", &buf, &len) == 0) {
		n = len < sizeof(tmp) - 1 ? len : sizeof(tmp) - 1;
		memcpy(tmp, buf, n);
		tmp[n] = '\0';
		s = strtod(tmp, &end);
		if (end != tmp && s >= 0 && s < 1e12)
			o = opt_some((uint64_t)s);
	}
	free(buf);
	return o;
}

int cmd_advise_run(void)
{
	struct host *h = malloc(sizeof(*h)), *h0 = NULL;
	struct report *r = malloc(sizeof(*r));
	struct finding *f = calloc(RULES_MAX_FINDINGS, sizeof(*f));
	struct advise_in in;
	struct sockets agg = { 0 };
	struct collect_out co = { 0 };
	struct keymap inode_pid = { 0 };
	struct procscan_stats ps;
	int n, i, rc, ret = SM_EXIT_OK;
	bool live;

	memset(&in, 0, sizeof(in));
	if (!h || !r || !f) {
		sm_error("advise", "out of memory");
		ret = SM_EXIT_ERROR;
		goto out;
	}
	if (sm_check_root(sm_common.root)) {
		ret = SM_EXIT_ERROR;
		goto out;
	}
	live = !sm_common.root;
	if (adv_interval_s) {
		if (!live) {
			sm_error("advise", "--interval samples the live system; a snapshot does not move");
			ret = SM_EXIT_ERROR;
			goto out;
		}
		h0 = malloc(sizeof(*h0));
		if (!h0 || host_collect(h0, NULL, sm_common.page_size)) {
			sm_report_problems(h0);
			ret = SM_EXIT_ERROR;
			goto out;
		}
		sm_sleep(adv_interval_s, NULL);
	}
	rc = host_collect(h, sm_common.root, sm_common.page_size);
	sm_report_problems(h);
	if (rc) {
		ret = SM_EXIT_ERROR;
		goto out;
	}
	if (h->partial)
		ret = SM_EXIT_PARTIAL;
	report_build(r, h);

	if (!sm_common.no_sockets) {
		enum sockets_by by = BY_PORT;

		if (live && !sm_common.diag_file && keymap_init(&inode_pid, sizeof(uint32_t)) == 0 &&
		    procscan_socket_inodes(&inode_pid, &ps) == 0 && !ps.denied)
			by = BY_PROCESS;
		struct collect_req q = { sm_common.diag_file, sm_common.all_netns, by, 3, &inode_pid,
					 true, false };

		rc = collect_sockets(h, &q, &agg, &co);
		for (i = 0; i < co.st.nproblems; i++)
			sm_error("sockets", "%s", co.st.problem[i]);
		if (rc == 0 && co.present) {
			struct sock_entry top[3];
			int k, nt;

			collect_to_report(r, &agg, &co);
			if (co.st.partial)
				ret = SM_EXIT_PARTIAL;
			/* the largest holders that have slow readers */
			nt = sockets_top(&agg, top, 3);
			for (k = 0; k < nt; k++) {
				struct advise_slow *s;

				if (!top[k].slow_readers)
					continue;
				s = &in.slow[in.nslow++];
				if (by == BY_PROCESS) {
					char comm[64];

					procscan_comm((uint32_t)top[k].key, comm, sizeof(comm));
					snprintf(s->who, sizeof(s->who), "pid %llu (%s)",
						 (unsigned long long)top[k].key, comm);
				} else {
					snprintf(s->who, sizeof(s->who), "%s port %llu",
						 diag_proto_name((enum diag_proto)(top[k].key >> 16)),
						 (unsigned long long)(top[k].key & 0xffff));
				}
				s->sockets = top[k].count;
				s->slow = top[k].slow_readers;
				s->drops = top[k].mem[DM_DROPS];
				s->charged_bytes = top[k].charged_bytes;
			}
			if (agg.sum[DP_TCP].bdp_n) {
				in.bdp.measured = true;
				in.bdp.measured_bdp_bytes = sockets_bdp_quantile(&agg.sum[DP_TCP], 0.9);
				in.bdp.measured_connections = agg.sum[DP_TCP].bdp_n;
			}
		}
	}
	in.h = h;
	in.r = r;
	if (h0) {
		struct report *r0 = malloc(sizeof(*r0));

		if (r0) {
			report_build(r0, h0);
			in.rates.ok = true;
			in.rates.seconds = adv_interval_s;
			for (i = 0; i < r0->nproto; i++)
				if (!strcmp(r0->proto[i].def->key, "tcp"))
					in.rates.tcp_usage_first_pages = r0->proto[i].usage_pages;
			for (i = 0; i < r->ncounter && i < 16; i++)
				if (r->counter[i].value.ok && r0->counter[i].value.ok &&
				    r->counter[i].value.v >= r0->counter[i].value.v)
					in.rates.per_s[i] = (double)(r->counter[i].value.v -
								     r0->counter[i].value.v) / adv_interval_s;
			free(r0);
		}
	}
	if (adv_bw_bps > 0) {
		in.bdp.given = true;
		in.bdp.bandwidth_bytes_per_s = adv_bw_bps;
		in.bdp.rtt_s = adv_rtt_s;
	}
	in.bdp.connections = adv_connections ? adv_connections
			     : r->sk.present ? agg.sum[DP_TCP].by_state[1] : 0;
	if (live) {
		struct memcg_entry mc[3];
		int k;

		in.uptime_s = adv_uptime_s();

		procscan_kmem_tcp(&in.kmem_tcp_limited_cgroups, &in.kmem_tcp_usage_bytes,
				  &in.kmem_tcp_known);
		in.nmemcg = procscan_memcg_scan(mc, 3, 0.9);
		for (k = 0; k < in.nmemcg; k++) {
			util_safe_token(in.memcg[k].path, sizeof(in.memcg[k].path), mc[k].path,
					strlen(mc[k].path));
			in.memcg[k].current_bytes = mc[k].current_bytes;
			in.memcg[k].max_bytes = mc[k].max_bytes;
			in.memcg[k].sock_bytes = mc[k].sock_bytes;
			in.memcg[k].sock_throttled = mc[k].sock_throttled;
		}
	}

	n = rules_run(&in, f, RULES_MAX_FINDINGS);

	if (adv_format == FMT_SYSCTL) {
		adv_sysctl_file(f, n, h);
	} else if (adv_format == FMT_JSON || sm_common.json) {
		if (adv_json(f, n, ret == SM_EXIT_PARTIAL))
			ret = SM_EXIT_ERROR;
	} else {
		adv_text(f, n, sm_use_color());
	}
	if (adv_check)
		for (i = 0; i < n; i++)
			if (f[i].sev >= adv_fail_on)
				ret = SM_EXIT_FINDINGS;
out:
	sockets_free(&agg);
	collect_free(&co);
	if (inode_pid.keys)
		keymap_free(&inode_pid);
	free(h0);
	free(h);
	free(r);
	free(f);
	return ret;
}
