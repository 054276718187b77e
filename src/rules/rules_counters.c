/* rules_counters.c - rules on the kernel's event counters (TcpExt in
 * /proc/net/netstat, Udp in /proc/net/snmp): totals since boot in this
 * network namespace, and their rates when advise sampled them twice.
 * Severity comes from the present: a rate above zero over the sample
 * raises it, none measured over the sample makes it info.  Unsampled,
 * since-boot history alone is info, except where a total is above
 * hotsos's threshold (500 events or 1 %), which hotsos itself raises
 * (tests/peers.sh): warn until a sample shows it has stopped. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "rules_int.h"

/* Judges a since-boot total by the present: with rates, sev_rising if any
 * of keys rose during the sample, else info; without, sev_history.  Says
 * which in the summary, with the age of the totals when it is known. */
static void judge(struct rule_ctx *c, struct finding *f, const char *const *keys, size_t nkeys,
		  enum sev sev_rising, enum sev sev_history)
{
	const struct advise_rates *rt = &c->in->rates;
	bool rising = false;
	size_t k;

	if (!rt->ok) {
		f->sev = sev_history;
		if (c->in->uptime_s.ok) {
			double s = (double)c->in->uptime_s.v;

			ev_u(f, "uptime_s", c->in->uptime_s.v);
			if (s >= 2 * 86400.0)
				rules_summary_add(f, " (up %.1f days)", s / 86400.0);
			else if (s >= 2 * 3600.0)
				rules_summary_add(f, " (up %.1f h)", s / 3600.0);
			else
				rules_summary_add(f, " (up %.0f min)", s / 60.0);
		}
		return;
	}
	for (k = 0; k < nkeys; k++) {
		int i = -1;

		if (rules_counter(c->in, keys[k], &i).ok && i >= 0 && rt->per_s[i] > 0)
			rising = true;
	}
	f->sev = rising ? sev_rising : SEV_INFO;
	rules_summary_add(f, rising ? "; still rising during the %g s sample"
			  : "; none during the %g s sample", rt->seconds);
}

void rule_pressure_history(struct rule_ctx *c)
{
	static const char *const keys[] = { "TCPMemoryPressures", "TCPMemoryPressuresChrono" };
	int i = -1, j = -1;
	struct opt n = rules_counter(c->in, keys[0], &i);
	struct opt ms = rules_counter(c->in, keys[1], &j);
	const struct advise_rates *rt = &c->in->rates;
	struct finding *f;

	if (!n.ok || !n.v)
		return;
	f = rules_emit(c, SEV_INFO, "TCP has entered memory pressure %llu time%s since boot%s%.1f s in pressure",
		       (unsigned long long)n.v, n.v == 1 ? "" : "s", ms.ok ? ", " : "",
		       ms.ok ? (double)ms.v / 1000.0 : 0.0);
	f->mechanism = "TCPMemoryPressures counts entries into pressure; TCPMemoryPressuresChrono adds "
		       "each episode's length in ms when it ends. Both count in the network "
		       "namespace of the socket that caused the transition.";
	ev_u(f, "TCPMemoryPressures", n.v);
	if (ms.ok)
		ev_u(f, "TCPMemoryPressuresChrono_ms", ms.v);
	if (rt->ok && i >= 0) {
		ev_d(f, "episodes_per_s", rt->per_s[i]);
		if (j >= 0)
			ev_d(f, "fraction_of_time_in_pressure", rt->per_s[j] / 1000.0);
	}
	/* an episode that began or ended during the sample is the present */
	judge(c, f, keys, ARRAY_SIZE(keys), SEV_CRIT, SEV_INFO);
}

void rule_abort_on_memory(struct rule_ctx *c)
{
	static const char *const keys[] = { "TCPAbortOnMemory" };
	struct opt n = rules_counter(c->in, keys[0], NULL);
	struct finding *f;

	if (!n.ok || !n.v)
		return;
	f = rules_emit(c, SEV_INFO, "%llu connection%s reset for lack of memory since boot (TCPAbortOnMemory)",
		       (unsigned long long)n.v, n.v == 1 ? " was" : "s were");
	f->mechanism = "tcp_check_oom(): on close, or for orphans, a socket with unsent data is "
		       "reset when TCP usage is above tcp_mem[2] or there are more orphans than "
		       "tcp_max_orphans (penalised orphans at a half or a quarter of it).";
	ev_u(f, "TCPAbortOnMemory", n.v);
	judge(c, f, keys, ARRAY_SIZE(keys), SEV_CRIT, SEV_INFO);
}

void rule_receive_pruning(struct rule_ctx *c)
{
	/* drops and prunes; the last two are shown but are not drops */
	static const char *const keys[] = { "PruneCalled", "RcvPruned", "TCPRcvQDrop", "TCPOFODrop",
					    "OfoPruned", "TCPRcvCollapsed", "TCPWantZeroWindowAdv" };
	static const size_t ndrops = 5;
	struct opt v[ARRAY_SIZE(keys)];
	uint64_t worst = 0;
	struct finding *f;
	size_t k;

	for (k = 0; k < ARRAY_SIZE(keys); k++) {
		v[k] = rules_counter(c->in, keys[k], NULL);
		if (k < ndrops && v[k].ok && v[k].v > worst)
			worst = v[k].v;
	}
	if (!worst)
		return;	/* collapsing and zero-window advertisements alone are not drops */
	f = rules_emit(c, SEV_INFO, "TCP has pruned or dropped received data for lack of memory since boot");
	f->mechanism = "PruneCalled: a receive charge failed (rcvbuf full, or the global/memcg "
		       "limit). PruneCalled == TCPRcvQDrop with RcvPruned 0 means the global limit "
		       "refused it; RcvPruned means rcvbuf was exhausted even after collapsing "
		       "(TCPRcvCollapsed). TCPOFODrop/OfoPruned: out-of-order data dropped.";
	for (k = 0; k < ARRAY_SIZE(keys); k++)
		if (v[k].ok && v[k].v)
			ev_u(f, keys[k], v[k].v);
	/* hotsos mem_pressure_prunec / rcvqd: above 500 since boot */
	judge(c, f, keys, ARRAY_SIZE(keys), SEV_WARN, worst > rules_thr.events ? SEV_WARN : SEV_INFO);
}

void rule_udp_buffer_errors(struct rule_ctx *c)
{
	static const char *const keys[] = { "UdpRcvbufErrors", "UdpSndbufErrors" };
	struct opt rb = rules_snmp(c->in, "Udp", "RcvbufErrors"), sb = rules_snmp(c->in, "Udp", "SndbufErrors");
	struct opt dg = rules_snmp(c->in, "Udp", "InDatagrams");
	uint64_t worst = (rb.ok ? rb.v : 0) > (sb.ok ? sb.v : 0) ? rb.v : sb.v;
	double pct = dg.ok && dg.v ? 100.0 * (double)worst / (double)dg.v : 0;
	struct finding *f;

	if (!worst || (worst <= rules_thr.events && pct <= rules_thr.events_pct))
		return;	/* below hotsos's threshold */
	f = rules_emit(c, SEV_WARN, "UDP socket buffer errors: %llu receive, %llu send (%.2f%% of datagrams)",
		       (unsigned long long)(rb.ok ? rb.v : 0), (unsigned long long)(sb.ok ? sb.v : 0), pct);
	f->mechanism = "RcvbufErrors: a datagram did not fit the socket's rcvbuf (the reader is "
		       "slower than the sender); SndbufErrors: sendmsg found sndbuf full.";
	if (rb.ok)
		ev_u(f, "UdpRcvbufErrors", rb.v);
	if (sb.ok)
		ev_u(f, "UdpSndbufErrors", sb.v);
	if (dg.ok)
		ev_u(f, "UdpInDatagrams", dg.v);
	snprintf(f->application, sizeof(f->application),
		 "Read faster, or give the socket a larger buffer (SO_RCVBUF up to net.core.rmem_max); "
		 "find it with 'sockmem top --by port'");
	judge(c, f, keys, ARRAY_SIZE(keys), SEV_WARN, SEV_WARN);
}

void rule_udp_in_errors(struct rule_ctx *c)
{
	static const char *const keys[] = { "UdpInErrors" };
	struct opt e = rules_snmp(c->in, "Udp", "InErrors"), dg = rules_snmp(c->in, "Udp", "InDatagrams");
	struct opt cs = rules_snmp(c->in, "Udp", "InCsumErrors");
	double pct = e.ok && dg.ok && dg.v ? 100.0 * (double)e.v / (double)dg.v : 0;
	double cpct = cs.ok && dg.ok && dg.v ? 100.0 * (double)cs.v / (double)dg.v : 0;
	struct finding *f;

	if (!e.ok || !e.v || (e.v <= rules_thr.events && pct <= rules_thr.events_pct))
		return;	/* below hotsos's threshold */
	f = rules_emit(c, SEV_WARN, "UDP ingress errors are at %llu (%.2f%% of datagrams)%s",
		       (unsigned long long)e.v, pct, cs.ok && cs.v && cpct > rules_thr.events_pct
		       ? "; checksum errors among them (hardware or a middlebox?)" : "");
	f->mechanism = "InErrors counts every received datagram dropped: buffer or memory drops "
		       "(RcvbufErrors, MemErrors), checksum errors (InCsumErrors), and others.";
	ev_u(f, "UdpInErrors", e.v);
	if (dg.ok)
		ev_u(f, "UdpInDatagrams", dg.v);
	if (cs.ok) {
		ev_u(f, "UdpInCsumErrors", cs.v);
		ev_d(f, "csum_errors_percent", cpct);
	}
	ev_d(f, "in_errors_percent", pct);
	judge(c, f, keys, ARRAY_SIZE(keys), SEV_WARN, SEV_WARN);
}

void rule_rp_filter(struct rule_ctx *c)
{
	struct opt v = c->h->netstat_rc ? (struct opt){ 0, false }
		       : netstat_get(&c->h->netstat, "TcpExt", "IPReversePathFilter");
	struct finding *f;

	if (!v.ok || !v.v)
		return;
	/* hotsos tcp.yaml raises any; the report does not sample this counter,
	 * so no rate tells the present */
	f = rules_emit(c, SEV_WARN, "Packets failed the reverse path filter test (drops=%llu): not a memory "
		       "problem, but drops the memory counters will not explain", (unsigned long long)v.v);
	f->mechanism = "rp_filter drops packets whose source would not be routed back through the "
		       "interface they arrived on (TcpExt IPReversePathFilter).";
	ev_u(f, "IPReversePathFilter", v.v);
	snprintf(f->application, sizeof(f->application),
		 "Check routing and net.ipv4.conf.*.rp_filter for asymmetric paths");
}
