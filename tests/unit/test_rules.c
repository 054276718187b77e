/* test_rules.c - cmocka unit tests of every advice rule: a case where it
 * fires and one where it does not (fires()/quiet(), checked for every rule
 * of the table by every_rule_tested), the fixes it proposes and what
 * fix_verify() refuses. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sys/socket.h>

#include "report_advise.h"
#include "rules.h"

struct world {
	struct host h;
	struct report r;
	struct advise_in in;
	struct finding f[RULES_MAX_FINDINGS];
	int n;
};

static const char healthy_sockstat[] = "sockets: used 100\nTCP: inuse 10 orphan 0 tw 5 alloc 20 mem 500\n"
				       "UDP: inuse 3 mem 10\nFRAG: inuse 0 memory 0\n";
static const char healthy_protocols[] = "protocol size sockets memory press\nTCP 1 10 500 no\n"
					"UDP 1 3 10 NI\n";

/* A healthy 24 GiB, 4 KiB-page, 6.18 host with the kernel's defaults. */
static struct world *world_new(const char *sockstat, const char *protocols, const char *netstat,
			       const char *snmp)
{
	struct world *w = calloc(1, sizeof(*w));
	struct parse_err e;
	static const struct { enum sysctl_id id; uint64_t v[3]; } def[] = {
		{ SC_TCP_MEM, { 287898, 383867, 575796 } }, { SC_UDP_MEM, { 575799, 767734, 1151598 } },
		{ SC_TCP_RMEM, { 4096, 131072, 33554432 } }, { SC_TCP_WMEM, { 4096, 16384, 4194304 } },
		{ SC_UDP_RMEM_MIN, { 4096 } }, { SC_UDP_WMEM_MIN, { 4096 } },
		{ SC_RMEM_DEFAULT, { 212992 } }, { SC_RMEM_MAX, { 33554432 } },
		{ SC_WMEM_DEFAULT, { 212992 } }, { SC_WMEM_MAX, { 4194304 } },
		{ SC_OPTMEM_MAX, { 131072 } }, { SC_MEM_PCPU_RSV, { 256 } },
		{ SC_TCP_MAX_ORPHANS, { 131072 } }, { SC_TCP_MAX_TW_BUCKETS, { 131072 } },
		{ SC_IPFRAG_HIGH_THRESH, { 4194304 } }, { SC_IP6FRAG_HIGH_THRESH, { 4194304 } },
	};
	size_t i;

	assert_non_null(w);
	assert_int_equal(sockstat_parse(sockstat, strlen(sockstat), &w->h.ss4, &e), 0);
	w->h.sockstat6_rc = -ENOENT;
	w->h.protocols_rc = protocols ? protocols_parse(protocols, strlen(protocols), &w->h.protos, &e)
				      : -ENOENT;
	w->h.netstat_rc = netstat ? netstat_parse(netstat, strlen(netstat), &w->h.netstat, &e) : -ENOENT;
	w->h.snmp_rc = snmp ? netstat_parse(snmp, strlen(snmp), &w->h.snmp, &e) : -ENOENT;
	w->h.page_size_bytes = 4096;
	w->h.possible_cpus = opt_some(2);
	w->h.mem_total_bytes = opt_some(24684084ull * 1024);
	w->h.kver.ok = true;
	w->h.kver.major = 6;
	w->h.kver.minor = 18;
	for (i = 0; i < SC_COUNT; i++)
		w->h.sysctl[i].rc = -ENOENT;
	for (i = 0; i < ARRAY_SIZE(def); i++) {
		w->h.sysctl[def[i].id].rc = 0;
		memcpy(w->h.sysctl[def[i].id].v, def[i].v, sizeof(def[i].v));
	}
	return w;
}

static void world_set(struct world *w, enum sysctl_id id, uint64_t a, uint64_t b, uint64_t c)
{
	w->h.sysctl[id].rc = 0;
	w->h.sysctl[id].v[0] = a;
	w->h.sysctl[id].v[1] = b;
	w->h.sysctl[id].v[2] = c;
}

static void world_run(struct world *w)
{
	report_build(&w->r, &w->h);
	w->in.h = &w->h;
	w->in.r = &w->r;
	w->n = rules_run(&w->in, w->f, RULES_MAX_FINDINGS);
}

static const struct finding *find(const struct world *w, const char *id)
{
	int i;

	for (i = 0; i < w->n; i++)
		if (!strcmp(w->f[i].id, id))
			return &w->f[i];
	return NULL;
}

/* fix i of f as the sysctl file writes it: "net.ipv4.tcp_mem = 1 2 3" */
static const char *fix_line(const struct finding *f, int i)
{
	static char buf[160];
	char vals[80];

	assert_true(i < f->nfix);
	fix_values(&f->fix[i], vals, sizeof(vals));
	snprintf(buf, sizeof(buf), "%s = %s", fix_name(&f->fix[i]), vals);
	return buf;
}

/* Every rule needs a case where it fires and one where it does not:
 * fires() and quiet() record them, every_rule_tested() (run last) checks. */
static bool seen_firing[64], seen_quiet[64];

static int rule_index(const char *id)
{
	int i;

	for (i = 0; i < rules_count() && i < 64; i++)
		if (!strcmp(rules_id(i), id))
			return i;
	print_message("# no rule %s\n", id);
	fail();
	return 0;
}

static const struct finding *fires(const struct world *w, const char *id)
{
	const struct finding *f = find(w, id);

	if (!f) {
		print_message("# %s does not fire\n", id);
		fail();
	}
	seen_firing[rule_index(id)] = true;
	return f;
}

static void quiet(const struct world *w, const char *id)
{
	if (find(w, id)) {
		print_message("# %s fires\n", id);
		fail();
	}
	seen_quiet[rule_index(id)] = true;
}

static enum sev worst(const struct world *w)
{
	return w->n ? w->f[0].sev : SEV_INFO; /* sorted */
}

static void healthy_default(void **state)
{
	struct world *w = world_new(healthy_sockstat, healthy_protocols, NULL, NULL);
	int i;

	world_run(w);
	assert_int_equal(w->n, 0);	/* rmem_max raised to tcp_rmem[2] here */
	for (i = 0; i < rules_count(); i++)
		quiet(w, rules_id(i));
	free(w);
}

static void tcp_states(void **state)
{
	struct world *w = world_new("TCP: inuse 10 orphan 0 tw 5 alloc 20 mem 4526\nUDP: inuse 0 mem 0\n",
				    "protocol size sockets memory press\nTCP 1 10 4526 yes\n", NULL, NULL);
	const struct finding *f;

	/* limits far below the default: the default is proposed, through the model */
	world_set(w, SC_TCP_MEM, 2000, 3000, 4000);
	world_run(w);
	f = fires(w, "tcp-max");
	assert_non_null(f);
	assert_int_equal(f->sev, SEV_CRIT);
	assert_int_equal(f->nfix, 1);
	assert_string_equal(fix_line(f, 0), "net.ipv4.tcp_mem = 289266 385688 578532");
	assert_non_null(rules_prediction(f));
	assert_int_equal(rules_prediction(f)->state_before, MS_OVER_LIMIT);
	assert_int_equal(rules_prediction(f)->state_after, MS_NORMAL);
	assert_false(f->container_can_apply);
	assert_non_null(fires(w, "mem-vs-default"));
	quiet(w, "tcp-near-max");
	assert_non_null(strstr(f->summary, "over its hard limit: 4526 of 4000 pages"));
	free(w);
	/* kernel-audit 13b: at exactly tcp_mem[2].  The kernel's test is
	 * strict (allocated > tcp_mem[2]) on a usage that already holds the
	 * charge: the next charge fails, and the finding says so */
	w = world_new("TCP: inuse 10 orphan 0 tw 5 alloc 20 mem 4000\nUDP: inuse 0 mem 0\n",
		      "protocol size sockets memory press\nTCP 1 10 4000 yes\n", NULL, NULL);
	world_set(w, SC_TCP_MEM, 2000, 3000, 4000);
	world_run(w);
	f = fires(w, "tcp-max");
	assert_int_equal(f->sev, SEV_CRIT);
	assert_string_equal(f->summary, "TCP memory is at its hard limit: 4000 of 4000 pages: the kernel "
			    "refuses every charge that would take usage above it");
	assert_non_null(strstr(f->mechanism, "adds the charge, then fails it if usage is above tcp_mem[2]"));
	quiet(w, "tcp-near-max");
	free(w);

	/* 90% of max: near; flag set, hysteresis under pressure: warn */
	w = world_new("TCP: inuse 1 orphan 0 tw 0 alloc 100 mem 3600\nUDP: inuse 0 mem 0\n",
		      "protocol size sockets memory press\nTCP 1 1 3600 yes\n", NULL, NULL);
	world_set(w, SC_TCP_MEM, 2000, 3000, 4000);
	world_run(w);
	assert_non_null(fires(w, "tcp-near-max"));
	quiet(w, "tcp-pressure");	/* near-max carries it */
	free(w);
	w = world_new("TCP: inuse 1 orphan 0 tw 0 alloc 100 mem 2500\nUDP: inuse 0 mem 0\n",
		      "protocol size sockets memory press\nTCP 1 1 2500 yes\n", NULL, NULL);
	world_set(w, SC_TCP_MEM, 2000, 3000, 4000);
	world_run(w);
	f = fires(w, "tcp-pressure");
	assert_non_null(f);
	assert_int_equal(f->sev, SEV_WARN);	/* hysteresis */
	assert_non_null(strstr(f->summary, "hysteresis"));
	/* kernel-audit: or an allocation failure; usage was not seen above
	 * tcp_mem[1], so no larger tcp_mem */
	assert_non_null(strstr(f->summary, "allocation failure"));
	assert_int_equal(f->nfix, 0);
	assert_non_null(strstr(f->application, "page allocation failure"));
	/* ... unless the first of two samples saw it above tcp_mem[1] */
	w->in.rates.ok = true;
	w->in.rates.seconds = 2;
	w->in.rates.tcp_usage_first_pages = opt_some(3100);
	w->n = rules_run(&w->in, w->f, RULES_MAX_FINDINGS);
	f = fires(w, "tcp-pressure");
	assert_int_equal(f->nfix, 1);
	assert_int_equal(f->fix[0].id, SC_TCP_MEM);
	assert_int_equal(f->fix[0].state_after, MS_NORMAL);
	free(w);
	/* elevated: info far from pressure, warn close to it */
	w = world_new("TCP: inuse 1 orphan 0 tw 0 alloc 100 mem 2100\nUDP: inuse 0 mem 0\n",
		      "protocol size sockets memory press\nTCP 1 1 2100 no\n", NULL, NULL);
	world_set(w, SC_TCP_MEM, 2000, 4000, 5000);
	world_run(w);
	assert_int_equal(fires(w, "tcp-elevated")->sev, SEV_INFO);
	free(w);
	w = world_new("TCP: inuse 1 orphan 0 tw 0 alloc 100 mem 3800\nUDP: inuse 0 mem 0\n",
		      "protocol size sockets memory press\nTCP 1 1 3800 no\n", NULL, NULL);
	world_set(w, SC_TCP_MEM, 2000, 4000, 5000);
	world_run(w);
	assert_int_equal(fires(w, "tcp-elevated")->sev, SEV_WARN);
	quiet(w, "tcp-pressure");	/* flag clear */
	free(w);
	/* at exactly min: normal; at 84% of max: not near it */
	w = world_new("TCP: inuse 1 orphan 0 tw 0 alloc 100 mem 2000\nUDP: inuse 0 mem 0\n",
		      "protocol size sockets memory press\nTCP 1 1 2000 no\n", NULL, NULL);
	world_set(w, SC_TCP_MEM, 2000, 4000, 5000);
	world_run(w);
	quiet(w, "tcp-elevated");
	free(w);
	w = world_new("TCP: inuse 1 orphan 0 tw 0 alloc 100 mem 3360\nUDP: inuse 0 mem 0\n",
		      "protocol size sockets memory press\nTCP 1 1 3360 no\n", NULL, NULL);
	world_set(w, SC_TCP_MEM, 2000, 3500, 4000);
	world_run(w);
	quiet(w, "tcp-near-max");
	quiet(w, "tcp-max");
	fires(w, "tcp-elevated");
	free(w);
}

static void udp_states(void **state)
{
	struct world *w = world_new("TCP: inuse 1 orphan 0 tw 0 alloc 1 mem 1\nUDP: inuse 2 mem 2049\n",
				    NULL, NULL, NULL);
	const struct finding *f;

	world_set(w, SC_UDP_MEM, 2048, 4096, 8192);
	world_run(w);
	f = fires(w, "udp-limited");
	assert_int_equal(f->sev, SEV_WARN);
	quiet(w, "udp-max");
	assert_non_null(rules_prediction(f));
	assert_int_equal(rules_prediction(f)->state_after, MS_NORMAL);
	/* kernel-audit 13b: "about two pages per socket" is 6.18's; up to 6.17
	 * the datagram is counted in rmem_alloc before the charge: one */
	assert_non_null(strstr(f->mechanism, "keeps about two pages"));
	assert_null(strstr(f->mechanism, "one page"));
	w->h.kver.minor = 17;
	world_run(w);
	f = fires(w, "udp-limited");
	assert_non_null(strstr(f->mechanism, "keeps about one page, none for a datagram of udp_rmem_min or more"));
	assert_null(strstr(f->mechanism, "two pages"));
	w->h.kver.ok = false;
	w->h.kver.major = w->h.kver.minor = 0;
	world_run(w);
	f = fires(w, "udp-limited");
	assert_non_null(strstr(f->mechanism, "up to 6.17 counting the datagram itself (about one page"));
	assert_non_null(strstr(f->mechanism, "from 6.18 before its batch (about two pages)"));
	free(w);
	w = world_new("TCP: inuse 1 orphan 0 tw 0 alloc 1 mem 1\nUDP: inuse 2 mem 8192\n", NULL, NULL, NULL);
	world_set(w, SC_UDP_MEM, 2048, 4096, 8192);
	world_run(w);
	assert_non_null(fires(w, "udp-max"));
	quiet(w, "udp-limited"); /* limited, but udp-max is the finding at max */
	free(w);
}

static void counters(void **state)
{
	struct world *w = world_new(healthy_sockstat, healthy_protocols,
				    "TcpExt: TCPMemoryPressures TCPMemoryPressuresChrono TCPAbortOnMemory PruneCalled TCPRcvQDrop IPReversePathFilter TCPWantZeroWindowAdv\n"
				    "TcpExt: 3 1500 2 600 600 2124 9\n",
				    "Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors\n"
				    "Udp: 1704 0 1234 253 0 0 22\n");
	const struct finding *f;
	int i;

	world_run(w);
	/* issue 14: since-boot history alone is info, with its age if known */
	f = fires(w, "tcp-pressure-history");
	assert_non_null(f);
	assert_int_equal(f->sev, SEV_INFO);
	assert_int_equal(fires(w, "tcp-abort-on-memory")->sev, SEV_INFO);
	assert_int_equal(fires(w, "tcp-receive-pruning")->sev, SEV_WARN);	/* hotsos: > 500 */
	/* first-user 21, kernel-audit 13f: tcp_select_window() counts
	 * TCPWantZeroWindowAdv when __tcp_select_window() wants 0 but the
	 * offered window may not shrink: a full rcvbuf, not "forced by memory" */
	for (i = 0; i < w->r.ncounter; i++)
		if (!strcmp(w->r.counter[i].key, "TCPWantZeroWindowAdv")) {
			assert_non_null(strstr(w->r.counter[i].meaning, "wanted a zero window but could not "
					       "shrink it: full rcvbuf (slow reader)"));
			assert_null(strstr(w->r.counter[i].meaning, "forced"));
		}
	assert_non_null(strstr(fires(w, "tcp-receive-pruning")->mechanism, "TCPWantZeroWindowAdv (not a drop): "
			       "the receiver wanted to advertise a zero window but could not shrink"));
	assert_int_equal(fires(w, "udp-in-errors")->sev, SEV_WARN);		/* hotsos: > 500 */
	w->in.uptime_s = opt_some(3 * 86400);
	w->n = rules_run(&w->in, w->f, RULES_MAX_FINDINGS);
	assert_non_null(strstr(fires(w, "tcp-pressure-history")->summary, "since boot, 1.5 s in pressure (up 3.0 days)"));
	assert_non_null(fires(w, "ip-reverse-path-filter"));		/* hotsos tcp.yaml */
	f = fires(w, "udp-in-errors");					/* hotsos udp.yaml */
	assert_non_null(f);
	/* first-user 9: of InDatagrams + InErrors (InDatagrams counts only
	 * what was read), with hotsos's InErrors / InDatagrams beside it */
	assert_non_null(strstr(f->summary, "1234 (42.00% of the 2938 received; 72.42% of InDatagrams, "
				"as hotsos counts); 22 checksum errors among them"));
	quiet(w, "udp-buffer-errors");
	/* sampled, nothing rose: all of it is history, info */
	w->in.rates.ok = true;
	w->in.rates.seconds = 10;
	w->n = rules_run(&w->in, w->f, RULES_MAX_FINDINGS);
	f = fires(w, "tcp-pressure-history");
	assert_int_equal(f->sev, SEV_INFO);
	assert_non_null(strstr(f->summary, "none during the 10 s sample"));
	assert_int_equal(fires(w, "tcp-receive-pruning")->sev, SEV_INFO);
	assert_int_equal(fires(w, "udp-in-errors")->sev, SEV_INFO);
	assert_int_equal(worst(w), SEV_WARN);	/* ip-reverse-path-filter: not sampled */
	/* with rates: pressure during the sample is critical */
	w->in.rates.per_s[0] = 0.1;
	w->n = rules_run(&w->in, w->f, RULES_MAX_FINDINGS);
	assert_int_equal(fires(w, "tcp-pressure-history")->sev, SEV_CRIT);
	assert_non_null(strstr(fires(w, "tcp-pressure-history")->summary, "still rising"));
	free(w);
	/* before 4.12 (a RHEL 6 capture) there is no TCPMemoryPressuresChrono:
	 * the count alone, no time in pressure */
	w = world_new(healthy_sockstat, healthy_protocols,
		      "TcpExt: TCPMemoryPressures PruneCalled\nTcpExt: 4 0\n", NULL);
	world_run(w);
	assert_string_equal(fires(w, "tcp-pressure-history")->summary,
			    "TCP has entered memory pressure 4 times since boot");
	free(w);
	/* zero-window advertisements alone are not drops; small counts are info */
	w = world_new(healthy_sockstat, healthy_protocols,
		      "TcpExt: TCPWantZeroWindowAdv PruneCalled\nTcpExt: 9 0\n", NULL);
	world_run(w);
	quiet(w, "tcp-receive-pruning");
	free(w);
	w = world_new(healthy_sockstat, healthy_protocols,
		      "TcpExt: PruneCalled TCPRcvQDrop\nTcpExt: 12 12\n", NULL);
	world_run(w);
	assert_int_equal(fires(w, "tcp-receive-pruning")->sev, SEV_INFO);
	free(w);
}

/* first-user 9: 540 drops of 540 arrivals, none read (InDatagrams 0):
 * 100% of the received, not 0%; n/a where nothing was sent; and the drops
 * once, as buffer errors, not again as ingress errors */
static void udp_percentages(void **state)
{
	static const char hdr[] = "Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors "
				  "InCsumErrors MemErrors\n";
	char snmp[256];
	struct world *w;
	const struct finding *f;
	int i;

	snprintf(snmp, sizeof(snmp), "%sUdp: 0 0 540 0 540 0 0 0\n", hdr);
	w = world_new(healthy_sockstat, healthy_protocols, NULL, snmp);
	world_run(w);
	f = fires(w, "udp-buffer-errors");
	assert_string_equal(f->summary, "UDP socket buffer errors: 540 receive (100.00% of the 540 received), "
			    "0 send (n/a: none sent)");
	for (i = 0; i < f->nev; i++)
		assert_string_not_equal(f->ev[i].key, "sndbuf_errors_percent");
	quiet(w, "udp-in-errors");	/* all 540 are the receive-buffer drops */
	free(w);
	/* 1300 ingress errors, 540 of them rcvbuf: the other 760 are the
	 * ingress finding's, 20 of them udp_mem refusals */
	snprintf(snmp, sizeof(snmp), "%sUdp: 100000 0 1300 5000 540 0 0 20\n", hdr);
	w = world_new(healthy_sockstat, healthy_protocols, NULL, snmp);
	world_run(w);
	f = fires(w, "udp-buffer-errors");
	assert_non_null(strstr(f->summary, "540 receive (0.53% of the 101300 received), 0 send (0.00% of the 5000 sent)"));
	f = fires(w, "udp-in-errors");
	assert_non_null(strstr(f->summary, "at 760 besides the receive-buffer drops (0.75% of the 101300 received; "
				"0.76% of InDatagrams, as hotsos counts); 20 refused by udp_mem"));
	/* sampled: the InErrors that rose were rcvbuf drops only: not the
	 * ingress finding's present */
	w->in.rates.ok = true;
	w->in.rates.seconds = 10;
	for (i = 0; i < w->r.ncounter; i++)
		if (!strcmp(w->r.counter[i].key, "UdpInErrors") || !strcmp(w->r.counter[i].key, "UdpRcvbufErrors"))
			w->in.rates.per_s[i] = 3;
	w->n = rules_run(&w->in, w->f, RULES_MAX_FINDINGS);
	assert_int_equal(fires(w, "udp-in-errors")->sev, SEV_INFO);
	assert_int_equal(fires(w, "udp-buffer-errors")->sev, SEV_WARN);
	free(w);
}

static void misconfig(void **state)
{
	struct world *w = world_new(healthy_sockstat, healthy_protocols, NULL, NULL);
	const struct finding *f;

	world_set(w, SC_TCP_MEM, 383867, 287898, 575796);
	world_run(w);
	f = fires(w, "mem-not-ascending");
	assert_non_null(f);
	assert_int_equal(f->sev, SEV_CRIT);
	free(w);

	/* "4096 87380 6291456" written into tcp_mem: bytes in a pages sysctl */
	w = world_new(healthy_sockstat, healthy_protocols, NULL, NULL);
	world_set(w, SC_TCP_MEM, 4096, 87380, 6291456);
	world_run(w);
	f = fires(w, "mem-in-bytes");
	assert_non_null(f);
	assert_int_equal(f->sev, SEV_CRIT);
	quiet(w, "mem-above-ram");
	free(w);

	/* max above RAM (not bytes) */
	w = world_new(healthy_sockstat, healthy_protocols, NULL, NULL);
	world_set(w, SC_TCP_MEM, 5000000, 6000000, 7000000);
	world_run(w);
	assert_int_equal(fires(w, "mem-above-ram")->sev, SEV_CRIT);
	free(w);
	w = world_new(healthy_sockstat, healthy_protocols, NULL, NULL);
	world_set(w, SC_TCP_MEM, 2000000, 3000000, 3500000);
	world_run(w);
	assert_int_equal(fires(w, "mem-above-ram")->sev, SEV_WARN);
	free(w);

	/* rmem_max below tcp_rmem[2]: not on the kernel's defaults (first-user
	 * 12: 6.18 has 4 MiB / 32 MiB, before 212992 / 6 MiB) */
	w = world_new(healthy_sockstat, healthy_protocols, NULL, NULL);
	w->h.sysctl[SC_RMEM_MAX].v[0] = 4194304;
	world_run(w);
	quiet(w, "rmem-max-below-tcp-rmem");
	world_set(w, SC_TCP_RMEM, 4096, 87380, 6291456);
	w->h.sysctl[SC_RMEM_MAX].v[0] = 212992;
	world_run(w);
	quiet(w, "rmem-max-below-tcp-rmem");
	/* ... but when tcp_rmem max was raised: info, with a fix */
	world_set(w, SC_TCP_RMEM, 4096, 131072, 67108864);
	w->h.sysctl[SC_RMEM_MAX].v[0] = 4194304;
	world_run(w);
	assert_int_equal(fires(w, "rmem-max-below-tcp-rmem")->sev, SEV_INFO);
	assert_string_equal(fix_line(fires(w, "rmem-max-below-tcp-rmem"), 0), "net.core.rmem_max = 67108864");
	free(w);

	/* wmem_max below tcp_wmem[2]: not on the defaults (212992 or 4 MiB
	 * against 4 MiB), nor when it is not below; fires when raised */
	w = world_new(healthy_sockstat, healthy_protocols, NULL, NULL);
	world_run(w);
	quiet(w, "wmem-max-below-tcp-wmem");	/* 4 MiB = 4 MiB */
	w->h.sysctl[SC_WMEM_MAX].v[0] = 212992;
	world_run(w);
	quiet(w, "wmem-max-below-tcp-wmem");	/* pre-6.18 default */
	world_set(w, SC_TCP_WMEM, 4096, 16384, 16777216);
	world_run(w);
	f = fires(w, "wmem-max-below-tcp-wmem");
	assert_non_null(f);
	assert_int_equal(f->sev, SEV_INFO);
	assert_string_equal(fix_line(f, 0), "net.core.wmem_max = 16777216");
	free(w);
}

/* A rule emits one finding per protocol: tcp_mem and udp_mem both above
 * RAM give two findings, each with its own fix (the loops returned at the
 * first hit). */
static void per_protocol(void **state)
{
	struct world *w = world_new(healthy_sockstat, healthy_protocols, NULL, NULL);
	const struct finding *tcp = NULL, *udp = NULL;
	int i, n = 0;

	world_set(w, SC_TCP_MEM, 4936816, 6582422, 9873633);	/* 160% of RAM */
	world_set(w, SC_UDP_MEM, 4936816, 6582422, 9873633);
	world_run(w);
	for (i = 0; i < w->n; i++)
		if (!strcmp(w->f[i].id, "mem-above-ram")) {
			n++;
			if (!strcmp(w->f[i].subject, "net.ipv4.tcp_mem"))
				tcp = &w->f[i];
			else if (!strcmp(w->f[i].subject, "net.ipv4.udp_mem"))
				udp = &w->f[i];
		}
	assert_int_equal(n, 2);
	assert_non_null(tcp);
	assert_non_null(udp);
	assert_int_equal(tcp->sev, SEV_CRIT);
	assert_int_equal(udp->sev, SEV_CRIT);
	assert_string_equal(fix_line(tcp, 0), "net.ipv4.tcp_mem = 289266 385688 578532");
	assert_string_equal(fix_line(udp, 0), "net.ipv4.udp_mem = 578532 771377 1157064");
	free(w);
	/* both not ascending; both far below the default */
	w = world_new(healthy_sockstat, healthy_protocols, NULL, NULL);
	world_set(w, SC_TCP_MEM, 3, 2, 1);
	world_set(w, SC_UDP_MEM, 3, 2, 1);
	world_run(w);
	for (i = n = 0; i < w->n; i++)
		n += !strcmp(w->f[i].id, "mem-not-ascending");
	assert_int_equal(n, 2);
	free(w);
	w = world_new(healthy_sockstat, healthy_protocols, NULL, NULL);
	world_set(w, SC_TCP_MEM, 2000, 3000, 4000);
	world_set(w, SC_UDP_MEM, 2000, 3000, 4000);
	world_run(w);
	for (i = n = 0; i < w->n; i++)
		n += !strcmp(w->f[i].id, "mem-vs-default") && w->f[i].nfix == 1;
	assert_int_equal(n, 2);
	free(w);
}

static void counts(void **state)
{
	struct world *w = world_new("TCP: inuse 10 orphan 40000 tw 120000 alloc 20 mem 500\nUDP: inuse 0 mem 0\n",
				    healthy_protocols, NULL, NULL);

	world_run(w);
	assert_int_equal(fires(w, "tcp-orphans")->sev, SEV_WARN);	/* 30% */
	assert_int_equal(fires(w, "tcp-time-wait")->sev, SEV_WARN);	/* 91% */
	free(w);
	/* 24% of tcp_max_orphans, 79% of tcp_max_tw_buckets */
	w = world_new("TCP: inuse 10 orphan 31457 tw 103546 alloc 20 mem 500\nUDP: inuse 0 mem 0\n",
		      healthy_protocols, NULL, NULL);
	world_run(w);
	quiet(w, "tcp-orphans");
	quiet(w, "tcp-time-wait");
	free(w);
}

static void safe_proposals(void **state)
{
	/* usage so high that a quarter of RAM cannot cover it: no sysctl, an
	 * application fix instead */
	struct world *w = world_new("TCP: inuse 10 orphan 0 tw 5 alloc 20 mem 1600000\nUDP: inuse 0 mem 0\n",
				    "protocol size sockets memory press\nTCP 1 10 1600000 yes\n", NULL, NULL);
	const struct finding *f;

	world_set(w, SC_TCP_MEM, 1000000, 1200000, 1500000);
	world_run(w);
	f = fires(w, "tcp-max");
	assert_non_null(f);
	assert_int_equal(f->nfix, 0);
	assert_non_null(strstr(f->application, "RAM cannot give more"));
	free(w);
}

static void bdp(void **state)
{
	struct world *w = world_new(healthy_sockstat, healthy_protocols, NULL, NULL);
	const struct finding *f;

	/* 10 Gbit/s x 80 ms = 100 MB in flight: buffers of 200 MB, rounded up
	 * to a whole MiB (191 MiB) */
	w->in.bdp.given = true;
	w->in.bdp.bandwidth_bytes_per_s = 10e9 / 8;
	w->in.bdp.rtt_s = 0.08;
	w->in.bdp.connections = 4;
	world_run(w);
	f = fires(w, "bdp-buffers");
	assert_non_null(f);
	assert_int_equal(f->sev, SEV_WARN);
	assert_string_equal(fix_line(f, 0), "net.ipv4.tcp_rmem = 4096 131072 200278016");
	assert_string_equal(fix_line(f, 1), "net.ipv4.tcp_wmem = 4096 16384 200278016");
	/* 4 x 2 x 191 MiB = 391168 pages: above today's pressure threshold */
	assert_string_equal(fix_line(f, 2), "net.ipv4.tcp_mem = 293376 391168 586752");
	/* 100 Mbit/s x 10 ms: today's buffers hold it (info); below a MiB,
	 * rounded up to a page */
	w->in.bdp.bandwidth_bytes_per_s = 100e6 / 8;
	w->in.bdp.rtt_s = 0.01;
	w->in.bdp.connections = 1;
	world_run(w);
	f = fires(w, "bdp-buffers");
	assert_int_equal(f->sev, SEV_INFO);
	assert_int_equal(f->nfix, 0);
	assert_non_null(strstr(f->summary, ">= 253952 (248 KiB"));
	free(w);
	/* neither --bandwidth nor a measured connection: quiet */
	w = world_new(healthy_sockstat, healthy_protocols, NULL, NULL);
	world_run(w);
	quiet(w, "bdp-buffers");
	free(w);
}

/* An established connection for the BDP: rate x rtt = bdp_bytes. */
static struct diag_sock bdp_conn(uint64_t bdp_bytes, uint32_t rtt_us, bool loopback)
{
	struct diag_sock d;

	memset(&d, 0, sizeof(d));
	d.proto = DP_TCP;
	d.family = AF_INET;
	d.state = 1;
	d.nmem = 9;
	d.mem[DM_RCVBUF] = 131072;
	d.mem[DM_SNDBUF] = 16384;
	d.src[0] = loopback ? 127 : 10;
	d.src[3] = 1;
	d.dst[0] = loopback ? 127 : 192;
	d.dst[3] = 7;
	d.has_tcp_info = true;
	d.rtt_us = rtt_us;
	d.delivery_rate = bdp_bytes * 1000000 / rtt_us;
	return d;
}

/* first-user 3: the live sizing.  120 loopback connections stalled by a
 * reader that does not read (rtt inflated to 5-10 ms by probe backoff,
 * rates of Gbit/s) gave "tcp_rmem max >= 67108862" for a 24 GiB host. */
static void bdp_measured(void **state)
{
	struct world *w = world_new(healthy_sockstat, healthy_protocols, NULL, NULL);
	struct sockets_params par = { 4096, true, 33554432, 4194304, 16384 };
	struct sockdump_status st;
	struct sockets agg;
	const struct finding *f;
	int i;

	assert_int_equal(sockets_init(&agg, &par, BY_SOCKET, 0, NULL), 0);
	memset(&st, 0, sizeof(st));
	st.ok[DP_TCP] = st.ok[DP_UDP] = true;
	for (i = 0; i < 120; i++) {
		struct diag_sock d = bdp_conn(12000000 + (uint64_t)i * 200000, 5000 + (uint32_t)i * 40, true);

		sockets_add(&agg, &d);
	}
	/* as cmd_advise: measured only when a connection measured a path */
	assert_int_equal(agg.sum[DP_TCP].bdp_n, 0);
	assert_int_equal(agg.sum[DP_TCP].bdp_skipped[SOCKETS_BDP_LOOPBACK], 120);
	report_build(&w->r, &w->h);
	report_add_sockets(&w->r, &agg, &st, "test", 0, true);
	w->in.h = &w->h;
	w->in.r = &w->r;
	w->in.bdp.connections = agg.sum[DP_TCP].by_state[1];
	w->n = rules_run(&w->in, w->f, RULES_MAX_FINDINGS);
	quiet(w, "bdp-buffers");
	/* ten connections over a real path, 1 to 10 MB in flight: p90 9 MB,
	 * buffers 18 MiB (twice, rounded up to a MiB; never an odd value) */
	for (i = 1; i <= 10; i++) {
		struct diag_sock d = bdp_conn((uint64_t)i * 1000000, 20000, false);

		sockets_add(&agg, &d);
	}
	report_build(&w->r, &w->h);
	report_add_sockets(&w->r, &agg, &st, "test", 0, true);
	w->in.bdp.measured = agg.sum[DP_TCP].bdp_n > 0;
	w->in.bdp.measured_bdp_bytes = sockets_bdp_quantile(&agg.sum[DP_TCP], 0.9);
	w->in.bdp.measured_connections = agg.sum[DP_TCP].bdp_n;
	assert_true(w->in.bdp.measured_bdp_bytes >= 9000000 && w->in.bdp.measured_bdp_bytes <= 9437184);
	/* all 130 established connections at 18 MiB buffers: 1198080 pages,
	 * whose tcp_mem max (1797120) is above a quarter of RAM: nothing */
	w->in.bdp.connections = agg.sum[DP_TCP].by_state[1];
	w->n = rules_run(&w->in, w->f, RULES_MAX_FINDINGS);
	f = fires(w, "bdp-buffers");
	assert_non_null(strstr(f->summary, "90th percentile of 10 live connections measuring a path"));
	assert_non_null(strstr(f->summary, ">= 18874368 (18 MiB"));
	assert_int_equal(f->nfix, 0);
	assert_non_null(strstr(f->application, "max of 1,797,120 pages, more than a quarter of RAM (1,542,755 pages)"));
	/* ... for 10 of them: tcp_wmem (tcp_rmem max already holds 18 MiB) */
	w->in.bdp.connections = 10;
	w->n = rules_run(&w->in, w->f, RULES_MAX_FINDINGS);
	f = fires(w, "bdp-buffers");
	assert_int_equal(f->sev, SEV_WARN);
	assert_int_equal(f->nfix, 1);
	assert_string_equal(fix_line(f, 0), "net.ipv4.tcp_wmem = 4096 16384 18874368");
	assert_int_equal(f->fix[0].v[2] % (1u << 20), 0);
	for (i = 0; i < f->nev; i++)
		if (!strcmp(f->ev[i].key, "connections_skipped_loopback"))
			assert_int_equal(f->ev[i].u, 120);
	sockets_free(&agg);
	free(w);
}

/* Every proposal goes through fix_verify: values sysctl -w accepts,
 * ascending, a quarter of RAM, the model. */
static void fix_checks(void **state)
{
	struct world *w = world_new(healthy_sockstat, healthy_protocols, NULL, NULL);
	struct sysctl_change c;
	static const uint64_t rmem_big[3] = { 4096, 131072, 3000000000ull };
	static const uint64_t mem_down[3] = { 3, 2, 1 };
	static const uint64_t mem_ram[3] = { 1000000, 1500000, 1600000 };	/* > 24 GiB / 4 */
	static const uint64_t mem_ok[3] = { 300000, 400000, 600000 };
	char why[300];

	world_run(w);
	fix_init(&c, SC_TCP_RMEM, rmem_big);
	assert_int_equal(fix_verify(&w->in, &c), FIX_OUT_OF_RANGE);	/* tcp_rmem is an int */
	fix_explain(&c, FIX_OUT_OF_RANGE, why, sizeof(why));
	assert_non_null(strstr(why, "2147483647"));
	fix_init(&c, SC_TCP_MEM, mem_down);
	assert_int_equal(fix_verify(&w->in, &c), FIX_NOT_ASCENDING);
	fix_init(&c, SC_TCP_MEM, mem_ram);
	assert_int_equal(fix_verify(&w->in, &c), FIX_ABOVE_RAM);
	fix_init(&c, SC_TCP_MEM, mem_ok);
	assert_int_equal(fix_verify(&w->in, &c), FIX_OK);
	assert_true(c.predicted);
	assert_int_equal(c.state_after, MS_NORMAL);
	/* RAM not known: no raise can be checked */
	w->h.mem_total_bytes.ok = false;
	assert_int_equal(fix_verify(&w->in, &c), FIX_RAM_UNKNOWN);
	free(w);
}

/* kernel-audit: a proposed tcp_mem must leave pressure (min >= usage +
 * band + margin); a proposal whose own prediction stays in pressure is
 * never presented. */
static void leaves_pressure(void **state)
{
	/* 5.10: exact counter, band 0; usage above the pressure threshold */
	struct world *w = world_new("TCP: inuse 1 orphan 0 tw 0 alloc 100 mem 400000\nUDP: inuse 0 mem 0\n",
				    "protocol size sockets memory press\nTCP 1 1 400000 yes\n", NULL, NULL);
	static const uint64_t old_proposal[3] = { 399999, 533333, 799998 };	/* propose_mem before */
	struct sysctl_change c;
	struct model_in mi = { MODEL_PRESSURE, { 1000, true }, true, { 900, 1000, 1200 }, PRESS_YES,
			       { 510, true }, 0 };
	static const uint64_t tight[3] = { 1200, 1600, 2400 }, roomy[3] = { 1510, 2014, 3020 };
	const struct finding *f;

	w->h.kver.minor = 10;
	w->h.kver.major = 5;
	world_set(w, SC_TCP_MEM, 300000, 380000, 600000);
	world_run(w);
	f = fires(w, "tcp-pressure");
	assert_non_null(f);
	assert_int_equal(f->sev, SEV_CRIT);
	assert_int_equal(f->nfix, 1);
	assert_true(f->fix[0].v[0] >= 400000 + 40000);	/* usage + band (0) + a tenth */
	assert_int_equal(f->fix[0].state_after, MS_NORMAL);
	fix_init(&c, SC_TCP_MEM, old_proposal);
	assert_int_equal(fix_verify(&w->in, &c), FIX_STAYS_BAD);
	assert_int_equal(c.state_after, MS_PRESSURE);
	free(w);
	/* the hysteresis: the flag is sure to clear only at usage + band <= min */
	assert_int_equal(fix_state_after(&mi, tight), MS_PRESSURE);
	assert_int_equal(fix_state_after(&mi, roomy), MS_NORMAL);
	mi.press = PRESS_NO;
	mi.usage_pages.v = 1700;	/* above the new pressure threshold: set at the next charge */
	assert_int_equal(fix_state_after(&mi, tight), MS_PRESSURE);
	/* 4.11-5.19 on 64 KiB pages (kernel-audit 1): usage in 4096-byte
	 * quanta, limits in pages, 16 quanta a page: 1700 quanta is below
	 * 1200 pages' 19200, and a flag set clears */
	mi.units_per_page = 16;
	assert_int_equal(fix_state_after(&mi, tight), MS_NORMAL);
	mi.press = PRESS_YES;
	mi.usage_pages.v = 19200 - 510 + 1;	/* + band (510): one quantum above min x 16 */
	assert_int_equal(fix_state_after(&mi, tight), MS_PRESSURE);
	mi.usage_pages.v = 19200 - 510;
	assert_int_equal(fix_state_after(&mi, tight), MS_NORMAL);
}

/* Limits proposed for a usage counted in quanta come out in pages, rounded
 * up: min covers usage + band + a tenth (kernel-audit 1). */
static void limits_for_usage_in_quanta(void **state)
{
	uint64_t v[3], q[3];

	(void)state;
	fix_limits_for_usage(16000, 0, 1, v);	/* pages */
	fix_limits_for_usage(16000, 0, 16, q);	/* the same usage in 4096-byte quanta */
	assert_true(v[0] >= 17600);
	assert_true(q[0] >= 1100 && q[0] * 16 >= 17600);
	assert_true(q[0] < v[0] / 8);
	fix_limits_for_usage(16001 * 16, 0, 16, q);	/* rounds up, never down */
	assert_true(q[0] * 16 >= 16001 * 16 + 16001 * 16 / 10);
}

/* r_bdp and r_orphans proposals are bounded (first-user 3, 4, 5;
 * kernel-audit 13e) */
static void bounded_proposals(void **state)
{
	struct world *w = world_new(healthy_sockstat, healthy_protocols, NULL, NULL);
	const struct finding *f;

	/* 1000 Tbit/s x 10 s (first-user 4): 2.5 PB buffers are no int; capped
	 * at the largest whole MiB tcp_rmem/tcp_wmem take, and even one
	 * connection at that size needs a tcp_mem above a quarter of RAM:
	 * nothing proposed, and the finding says both */
	w->in.bdp.given = true;
	w->in.bdp.bandwidth_bytes_per_s = 1e15 / 8;
	w->in.bdp.rtt_s = 10;
	world_run(w);
	f = fires(w, "bdp-buffers");
	assert_non_null(f);
	assert_int_equal(f->nfix, 0);
	assert_non_null(strstr(f->summary, ">= 2146435072 (2047 MiB: twice the BDP, capped"));
	assert_non_null(strstr(f->application, "1 connection at 2047 MiB buffers takes up to 1,048,064 pages"));
	assert_non_null(strstr(f->application, "max of 1,572,096 pages, more than a quarter of RAM (1,542,755 pages)"));
	/* 1 Gbit/s x 20 ms x 500 connections (first-user 5): 5 MiB buffers,
	 * 1280000 pages under the pressure threshold, fewer than a quarter of
	 * RAM; the tcp_mem that holds them has a max of 1920000, more: the
	 * rule tests that max, says it, and proposes no buffer either */
	w->in.bdp.bandwidth_bytes_per_s = 1e9 / 8;
	w->in.bdp.rtt_s = 0.02;
	w->in.bdp.connections = 500;
	world_run(w);
	f = fires(w, "bdp-buffers");
	assert_int_equal(f->nfix, 0);
	assert_non_null(strstr(f->application, "500 connections at 5 MiB buffers take up to 1,280,000 pages"));
	assert_non_null(strstr(f->application, "max of 1,920,000 pages, more than a quarter of RAM (1,542,755 pages)"));
	/* 300 of them fit: 768000 pages, a max of 1152000 */
	w->in.bdp.connections = 300;
	world_run(w);
	f = fires(w, "bdp-buffers");
	assert_int_equal(f->nfix, 2);
	assert_string_equal(fix_line(f, 0), "net.ipv4.tcp_wmem = 4096 16384 5242880");
	assert_string_equal(fix_line(f, 1), "net.ipv4.tcp_mem = 576000 768000 1152000");
	free(w);

	/* orphans: only as many more as TCP's headroom to pressure holds at
	 * 64 KiB each: 131072 + (383867 - 500 - 510) x 4096 / 65536 */
	w = world_new("TCP: inuse 10 orphan 40000 tw 0 alloc 20 mem 500\nUDP: inuse 0 mem 0\n",
		      healthy_protocols, NULL, NULL);
	world_run(w);
	f = fires(w, "tcp-orphans");
	assert_int_equal(f->nfix, 1);
	assert_string_equal(fix_line(f, 0), "net.ipv4.tcp_max_orphans = 155000");
	assert_int_equal(f->fix[0].state_after, MS_ELEVATED);
	free(w);
	/* no headroom: no larger tcp_max_orphans */
	w = world_new("TCP: inuse 10 orphan 40000 tw 0 alloc 20 mem 2900\nUDP: inuse 0 mem 0\n",
		      "protocol size sockets memory press\nTCP 1 10 2900 no\n", NULL, NULL);
	world_set(w, SC_TCP_MEM, 2000, 3000, 4000);
	world_run(w);
	f = fires(w, "tcp-orphans");
	assert_int_equal(f->nfix, 0);
	assert_non_null(strstr(f->application, "no room for more orphans"));
	free(w);
}

static void container(void **state)
{
	struct world *w = world_new(healthy_sockstat, healthy_protocols, NULL, NULL);

	w->h.sysctl[SC_TCP_MEM].rc = -ENOENT;
	w->h.sysctl[SC_UDP_MEM].rc = -ENOENT;
	w->h.netns_child = true;
	world_run(w);
	assert_non_null(fires(w, "limits-not-visible"));
	assert_true(worst(w) == SEV_INFO);
	free(w);
}

/* first-user 29: in a child network namespace the sysctl file must not set
 * host-only sysctls (tcp_mem, udp_mem, net.core.*mem_*: absent there, or
 * read-only since 6.18): those lines are marked, the per-namespace ones
 * stay */
static void sysctl_file_in_container(void **state)
{
	struct world *w = world_new("TCP: inuse 10 orphan 0 tw 5 alloc 20 mem 4526\nUDP: inuse 0 mem 0\n",
				    "protocol size sockets memory press\nTCP 1 10 4526 yes\n", NULL, NULL);
	struct report_advise *a = calloc(1, sizeof(*a));
	int i, j, host_only = 0, set = 0;

	assert_non_null(a);
	world_set(w, SC_TCP_MEM, 2000, 3000, 4000);
	w->in.bdp.given = true;
	w->in.bdp.bandwidth_bytes_per_s = 10e9 / 8;
	w->in.bdp.rtt_s = 0.01;
	w->in.bdp.connections = 1;
	world_run(w);
	/* on the host: every fix of a warn or crit finding is a line */
	report_advise_build(a, &w->in, w->f, false, -1);
	assert_int_equal(a->sysctl_host_only, 0);
	for (i = 0; i < a->n; i++)
		for (j = 0; j < a->f[i].nfix; j++)
			assert_int_not_equal(a->line[i][j], ADVISE_LINE_HOST_ONLY);
	/* in a container (limits left visible here, to have a host-only fix) */
	w->h.netns_child = true;
	report_build(&w->r, &w->h);
	report_advise_build(a, &w->in, w->f, false, -1);
	for (i = 0; i < a->n; i++)
		for (j = 0; j < a->f[i].nfix; j++) {
			const struct sysctl_change *c = &a->f[i].fix[j];

			if (a->f[i].sev == SEV_INFO)
				continue;
			if (host_sysctl[c->id].scope == SCOPE_HOST) {
				assert_int_equal(a->line[i][j], ADVISE_LINE_HOST_ONLY);
				host_only++;
			} else {
				assert_int_not_equal(a->line[i][j], ADVISE_LINE_HOST_ONLY);
				set += a->line[i][j] == ADVISE_LINE_SET;
			}
		}
	assert_true(host_only >= 1);		/* tcp-max's tcp_mem */
	assert_int_equal(a->sysctl_host_only, host_only);
	assert_int_equal(set, 1);		/* bdp-buffers' tcp_wmem */
	free(a);
	free(w);
}

static void more_rules(void **state)
{
	struct world *w = world_new(healthy_sockstat, healthy_protocols, NULL,
				    "Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors\n"
				    "Udp: 10000 0 0 100 900 0\n");
	struct sockets agg;
	struct sockets_params par = { 4096, true, 33554432, 4194304, 16384 };
	struct sockdump_status st;
	struct diag_sock d;
	const struct finding *f;
	int i;

	/* UDP buffer errors: 900 > 500 */
	world_run(w);
	f = fires(w, "udp-buffer-errors");
	assert_non_null(f);
	assert_int_equal(f->scope, FS_APPLICATION);
	assert_true(f->container_can_apply);
	/* bypass_prot_mem = 1 */
	w->h.sysctl[SC_BYPASS_PROT_MEM].rc = 0;
	w->h.sysctl[SC_BYPASS_PROT_MEM].v[0] = 1;
	/* cgroup v1 kmem.tcp in use */
	w->in.kmem_tcp_known = true;
	w->in.kmem_tcp_limited_cgroups = 2;
	/* sockets: slow readers with drops, a worst case above tcp_mem max,
	 * and a reconciliation outside the band */
	assert_int_equal(sockets_init(&agg, &par, BY_SOCKET, 0, NULL), 0);
	memset(&d, 0, sizeof(d));
	d.proto = DP_TCP;
	d.state = 1;
	d.nmem = 9;
	d.mem[DM_RMEM_ALLOC] = 130000;
	d.mem[DM_RCVBUF] = 131072;
	d.mem[DM_SNDBUF] = 4194304;
	d.mem[DM_DROPS] = 3;
	for (i = 0; i < 600; i++)
		sockets_add(&agg, &d);
	memset(&st, 0, sizeof(st));
	st.ok[DP_TCP] = st.ok[DP_UDP] = true;
	world_set(w, SC_TCP_MEM, 20000, 30000, 40000);
	report_build(&w->r, &w->h);
	report_add_sockets(&w->r, &agg, &st, "test", 0, true);
	w->in.h = &w->h;
	w->in.r = &w->r;
	w->in.nmemcg = 1;
	snprintf(w->in.memcg[0].path, sizeof(w->in.memcg[0].path), "/system.slice/db.service");
	w->in.memcg[0].current_bytes = 970;
	w->in.memcg[0].max_bytes = 1000;
	w->in.memcg[0].sock_bytes = 300;
	w->in.nslow = 1;
	snprintf(w->in.slow[0].who, sizeof(w->in.slow[0].who), "pid 42 (slowapp)");
	w->n = rules_run(&w->in, w->f, RULES_MAX_FINDINGS);
	f = fires(w, "bypass-prot-mem");
	assert_non_null(f);
	assert_int_equal(f->sev, SEV_WARN);	/* no memcg: no limit at all (kernel-audit 10) */
	f = fires(w, "memcg-near-limit");
	assert_non_null(f);
	assert_int_equal(f->sev, SEV_WARN);	/* 97% of memory.max */
	assert_int_equal(f->scope, FS_CGROUP);
	/* kernel-audit 5: 5.15+ forces softirq charges past memory.max */
	assert_non_null(strstr(f->mechanism, "forced past memory.max"));
	assert_int_equal(fires(w, "cgroup-v1-kmem-tcp")->sev, SEV_WARN);
	f = fires(w, "slow-readers");
	assert_non_null(f);
	assert_int_equal(f->sev, SEV_WARN);	/* with drops */
	assert_non_null(strstr(f->application, "pid 42 (slowapp)"));
	f = fires(w, "tcp-worst-case");
	assert_non_null(f);			/* 600 x 4.1 MiB > 40000 pages */
	/* first-user 32: in the units of the other figures, not "2475.0 MiB" */
	assert_string_equal(f->summary, "If every TCP connection filled its buffers, TCP would "
			    "need 2.42 GiB; tcp_mem max is 156 MiB");
	f = fires(w, "reconciliation");
	assert_non_null(f);			/* 500 pages vs 600 x 32 pages */
	assert_int_equal(f->sev, SEV_INFO);
	sockets_free(&agg);
	free(w);

	/* the same rules quiet: exactly 500 UDP errors (< 1%), five idle
	 * sockets (no slow reader, worst case below max, sockstat within the
	 * band of what they hold), a memory cgroup far from memory.max (info) */
	w = world_new(healthy_sockstat, healthy_protocols, NULL,
		      "Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors\n"
		      "Udp: 100000 0 500 100 500 0\n");
	assert_int_equal(sockets_init(&agg, &par, BY_SOCKET, 0, NULL), 0);
	memset(&d, 0, sizeof(d));
	d.proto = DP_TCP;
	d.state = 1;
	d.nmem = 9;
	d.mem[DM_RCVBUF] = 131072;
	d.mem[DM_SNDBUF] = 16384;
	for (i = 0; i < 5; i++)
		sockets_add(&agg, &d);
	report_build(&w->r, &w->h);
	report_add_sockets(&w->r, &agg, &st, "test", 0, true);
	w->in.h = &w->h;
	w->in.r = &w->r;
	w->in.nmemcg = 1;
	snprintf(w->in.memcg[0].path, sizeof(w->in.memcg[0].path), "/system.slice/db.service");
	w->in.memcg[0].current_bytes = 500;
	w->in.memcg[0].max_bytes = 1000;
	w->in.memcg[0].sock_bytes = 300;
	w->in.kmem_tcp_known = true;
	w->n = rules_run(&w->in, w->f, RULES_MAX_FINDINGS);
	quiet(w, "udp-buffer-errors");
	quiet(w, "udp-in-errors");
	quiet(w, "slow-readers");
	quiet(w, "tcp-worst-case");
	quiet(w, "reconciliation");
	quiet(w, "cgroup-v1-kmem-tcp");	/* known, none limited */
	quiet(w, "bypass-prot-mem");
	assert_int_equal(fires(w, "memcg-near-limit")->sev, SEV_INFO);
	sockets_free(&agg);
	free(w);
}

/* first-user 32: in a child network namespace, sockstat's surplus over
 * the dump has one namespace cause, not two saying the same */
static void recon_one_netns_cause(void **state)
{
	struct world *w = world_new("sockets: used 100\nTCP: inuse 10 orphan 0 tw 5 alloc 20 "
				    "mem 50000\nUDP: inuse 3 mem 10\nFRAG: inuse 0 memory 0\n",
				    NULL, NULL, NULL);
	struct sockets_params par = { 4096, true, 33554432, 4194304, 16384 };
	struct sockdump_status st;
	struct sockets agg;
	const struct recon_report *c;
	int i, netns = 0;

	(void)state;
	w->h.possible_cpus = opt_some(2);
	w->h.netns_child = true;
	assert_int_equal(sockets_init(&agg, &par, BY_SOCKET, 0, NULL), 0);
	memset(&st, 0, sizeof(st));
	st.ok[DP_TCP] = st.ok[DP_UDP] = true;
	report_build(&w->r, &w->h);
	report_add_sockets(&w->r, &agg, &st, "test", 3, false);
	c = &w->r.sk.recon[DP_TCP];
	assert_true(c->ok);
	assert_false(c->within_band);
	for (i = 0; i < c->ncause; i++)
		netns += strstr(c->cause[i], "namespace") != NULL;
	assert_int_equal(netns, 1);
	assert_non_null(strstr(c->cause[0], "not the initial network namespace"));
	sockets_free(&agg);
	free(w);
}

/* Run last: every rule of the table fired in some case above and stayed
 * quiet in another. */
static void every_rule_tested(void **state)
{
	int i;

	bool ok = true;

	for (i = 0; i < rules_count(); i++) {
		if (!seen_firing[i])
			print_message("# rule %s: no case where it fires\n", rules_id(i));
		if (!seen_quiet[i])
			print_message("# rule %s: no case where it does not fire\n", rules_id(i));
		ok &= seen_firing[i] && seen_quiet[i];
	}
	assert_true(ok);
}

static void table(void **state)
{
	int i, j;

	assert_int_equal(rules_count(), 28);
	assert_true(rules_count() <= 64);	/* seen_firing[] */
	assert_null(rules_id(rules_count()));
	for (i = 0; i < rules_count(); i++)
		for (j = i + 1; j < rules_count(); j++)
			assert_string_not_equal(rules_id(i), rules_id(j));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(healthy_default),
		cmocka_unit_test(tcp_states),
		cmocka_unit_test(udp_states),
		cmocka_unit_test(counters),
		cmocka_unit_test(udp_percentages),
		cmocka_unit_test(misconfig),
		cmocka_unit_test(per_protocol),
		cmocka_unit_test(counts),
		cmocka_unit_test(safe_proposals),
		cmocka_unit_test(bdp),
		cmocka_unit_test(bdp_measured),
		cmocka_unit_test(fix_checks),
		cmocka_unit_test(leaves_pressure),
		cmocka_unit_test(limits_for_usage_in_quanta),
		cmocka_unit_test(bounded_proposals),
		cmocka_unit_test(container),
		cmocka_unit_test(sysctl_file_in_container),
		cmocka_unit_test(more_rules),
		cmocka_unit_test(table),
		cmocka_unit_test(recon_one_netns_cause),
		cmocka_unit_test(every_rule_tested),
	};

	return cmocka_run_group_tests_name("rules", tests, NULL, NULL);
}
