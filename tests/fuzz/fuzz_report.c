/* fuzz_report.c - libFuzzer harness: the whole pure pipeline on hostile
 * values - sockstat, protocols, netstat, snmp and sysctls split out of the
 * input - through report_build, the JSON and Prometheus renderers, the rules,
 * and the simulator. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "rules.h"
#include "simulate.h"

/* sections separated by a line "%%" */
static const char *section(const char *b, size_t len, int k, size_t *n)
{
	const char *p = b, *end = b + len;

	while (k-- > 0) {
		const char *s = memmem(p, (size_t)(end - p), "\n%%\n", 4);

		if (!s)
			return NULL;
		p = s + 4;
	}
	{
		const char *s = memmem(p, (size_t)(end - p), "\n%%\n", 4);

		*n = (size_t)((s ? s + 1 : end) - p);
	}
	return p;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct host *h = calloc(1, sizeof(*h));
	struct report *r = calloc(1, sizeof(*r));
	struct finding *f = calloc(RULES_MAX_FINDINGS, sizeof(*f));
	const char *b = (const char *)data, *s;
	struct parse_err e;
	struct advise_in in;
	size_t n;
	int i;

	if (!h || !r || !f)
		goto out;
	h->page_size_bytes = 4096u << (size % 5);
	h->possible_cpus = opt_some(size % 300);
	h->mem_total_bytes = opt_some((uint64_t)size << 20);
	s = section(b, size, 0, &n);
	h->sockstat_rc = s ? sockstat_parse(s, n, &h->ss4, &e) : -ENOENT;
	if (h->sockstat_rc)
		goto out;
	s = section(b, size, 1, &n);
	h->protocols_rc = s ? protocols_parse(s, n, &h->protos, &e) : -ENOENT;
	s = section(b, size, 2, &n);
	h->netstat_rc = s ? netstat_parse(s, n, &h->netstat, &e) : -ENOENT;
	s = section(b, size, 3, &n);
	h->snmp_rc = s ? netstat_parse(s, n, &h->snmp, &e) : -ENOENT;
	h->sockstat6_rc = -ENOENT;
	for (i = 0; i < SC_COUNT; i++) {
		s = section(b, size, 4 + i, &n);
		h->sysctl[i].rc = s ? sysinfo_parse_vector(s, n, h->sysctl[i].v, host_sysctl[i].n, &e)
				    : -ENOENT;
	}
	report_build(r, h);
	{
		json_t *doc = output_json_show(r);
		char *txt = doc ? json_dumps(doc, 0) : NULL;
		FILE *null = fopen("/dev/null", "w");

		free(txt);
		json_decref(doc);
		if (null) {
			struct output_opts oo = { false, false };

			output_prom_show(null, r);
			output_text_show(null, r, &oo);
			fclose(null);
		}
	}
	memset(&in, 0, sizeof(in));
	in.h = h;
	in.r = r;
	(void)rules_run(&in, f, RULES_MAX_FINDINGS);
	if (r->proto[0].limits_ok && r->proto[0].usage_pages.ok) {
		struct simulate_in si = { MODEL_PRESSURE, CHARGE_RECV, h->kver.major, h->kver.minor,
				     r->proto[0].usage_pages.v,
				     { r->proto[0].limit_pages[0], r->proto[0].limit_pages[1],
				       r->proto[0].limit_pages[2] }, r->proto[0].press, 510, size,
				     size % 5000, size * 977, h->page_size_bytes, 4096, 65536,
				     h->mem_total_bytes };
		struct simulate_out so;

		simulate_run(&si, &so);
		/* the send path and the UDP path on the same figures */
		si.dir = CHARGE_SEND;
		si.skb_bytes = 32768;
		simulate_run(&si, &so);
		si.kind = MODEL_NO_PRESSURE;
		si.dir = CHARGE_RECV;
		si.skb_bytes = 2304;
		simulate_run(&si, &so);
	}
out:
	if (h)
		protocols_free(&h->protos);
	free(h);
	free(r);
	free(f);
	return 0;
}
