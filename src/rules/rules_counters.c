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

/* Judges a since-boot total by the present: with rates, sev_rising if it
 * rose during the sample (rising), else info; without, sev_history.  Says
 * which in the summary, with the age of the totals when it is known. */
static void judge_rising(struct rule_ctx *c, struct finding *f, bool rising, enum sev sev_rising,
			 enum sev sev_history)
{
	const struct advise_rates *rt = &c->in->rates;

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
	f->sev = rising ? sev_rising : SEV_INFO;
	rules_summary_add(f, rising ? "; still rising during the %g s sample"
			  : "; none during the %g s sample", rt->seconds);
}

/* The rate of a counter over the sample, 0 when not sampled or absent. */
static double rate_of(const struct rule_ctx *c, const char *key)
{
	int i = -1;

	if (!c->in->rates.ok || !rules_counter(c->in, key, &i).ok || i < 0)
		return 0;
	return c->in->rates.per_s[i];
}

/* judge_rising(), rising if any of keys rose during the sample. */
static void judge(struct rule_ctx *c, struct finding *f, const char *const *keys, size_t nkeys,
		  enum sev sev_rising, enum sev sev_history)
{
	bool rising = false;
	size_t k;

	for (k = 0; k < nkeys; k++)
		rising |= rate_of(c, keys[k]) > 0;
	judge_rising(c, f, rising, sev_rising, sev_history);
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
	f = rules_emit(c, SEV_INFO, "TCP has entered memory pressure %llu time%s since boot",
		       (unsigned long long)n.v, n.v == 1 ? "" : "s");
	/* TCPMemoryPressuresChrono: Linux 4.12+ */
	if (ms.ok)
		rules_summary_add(f, ", %.1f s in pressure", (double)ms.v / 1000.0);
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
		       "(TCPRcvCollapsed). TCPOFODrop/OfoPruned: out-of-order data dropped. "
		       "TCPWantZeroWindowAdv (not a drop): the receiver wanted to advertise a zero "
		       "window but could not shrink the one it offered, usually a full rcvbuf (a slow "
		       "reader).";
	for (k = 0; k < ARRAY_SIZE(keys); k++)
		if (v[k].ok && v[k].v)
			ev_u(f, keys[k], v[k].v);
	/* hotsos mem_pressure_prunec / rcvqd: above 500 since boot */
	judge(c, f, keys, ARRAY_SIZE(keys), SEV_WARN, worst > rules_thr.events ? SEV_WARN : SEV_INFO);
}

/* The UDP receive and send totals (/proc/net/snmp Udp).  InDatagrams
 * counts a datagram when the application reads it (udp_recvmsg), so the
 * datagrams that reached a socket are InDatagrams + InErrors; InErrors
 * holds every receive drop: RcvbufErrors (rcvbuf full), MemErrors
 * (udp_mem refused) and InCsumErrors (__udp_queue_rcv_skb, csum_error).
 * OutDatagrams counts the sends that succeeded: + SndbufErrors tried. */
struct udp_totals {
	struct opt in_dg, in_err, rcvbuf, sndbuf, out_dg, csum, mem;
	uint64_t received, sent;	/* the denominators, 0: n/a */
};

static void udp_totals(const struct advise_in *in, struct udp_totals *u)
{
	uint64_t err;

	u->in_dg = rules_snmp(in, "Udp", "InDatagrams");
	u->in_err = rules_snmp(in, "Udp", "InErrors");
	u->rcvbuf = rules_snmp(in, "Udp", "RcvbufErrors");
	u->sndbuf = rules_snmp(in, "Udp", "SndbufErrors");
	u->out_dg = rules_snmp(in, "Udp", "OutDatagrams");
	u->csum = rules_snmp(in, "Udp", "InCsumErrors");
	u->mem = rules_snmp(in, "Udp", "MemErrors");
	/* InErrors includes RcvbufErrors; the larger, should a file disagree */
	err = u->in_err.ok ? u->in_err.v : 0;
	if (u->rcvbuf.ok && u->rcvbuf.v > err)
		err = u->rcvbuf.v;
	u->received = (u->in_dg.ok ? u->in_dg.v : 0) + err;
	u->sent = (u->out_dg.ok ? u->out_dg.v : 0) + (u->sndbuf.ok ? u->sndbuf.v : 0);
}

/* "12.34% of the 5678 received" or "n/a: none received" */
static void share(char *buf, size_t n, uint64_t num, uint64_t den, const char *what)
{
	if (den)
		snprintf(buf, n, "%.2f%% of the %llu %s", 100.0 * (double)num / (double)den,
			 (unsigned long long)den, what);
	else
		snprintf(buf, n, "n/a: none %s", what);
}

static double pct(uint64_t num, uint64_t den)
{
	return den ? 100.0 * (double)num / (double)den : 0;
}

void rule_udp_buffer_errors(struct rule_ctx *c)
{
	static const char *const keys[] = { "UdpRcvbufErrors", "UdpSndbufErrors" };
	struct udp_totals u;
	uint64_t rb, sb;
	char rs[96], ss[96];
	struct finding *f;

	udp_totals(c->in, &u);
	rb = u.rcvbuf.ok ? u.rcvbuf.v : 0;
	sb = u.sndbuf.ok ? u.sndbuf.v : 0;
	/* hotsos's threshold: more than 500, or more than 1 % */
	if ((rb <= rules_thr.events && pct(rb, u.received) <= rules_thr.events_pct &&
	     sb <= rules_thr.events && pct(sb, u.sent) <= rules_thr.events_pct) || (!rb && !sb))
		return;
	share(rs, sizeof(rs), rb, u.received, "received");
	share(ss, sizeof(ss), sb, u.sent, "sent");
	f = rules_emit(c, SEV_WARN, "UDP socket buffer errors: %llu receive (%s), %llu send (%s)",
		       (unsigned long long)rb, rs, (unsigned long long)sb, ss);
	f->mechanism = "RcvbufErrors: a datagram did not fit the socket's rcvbuf (the reader is "
		       "slower than the sender); it is also one of InErrors. SndbufErrors: sendmsg "
		       "found sndbuf full. Received = InDatagrams (counted when the application reads) "
		       "+ InErrors; sent = OutDatagrams + SndbufErrors.";
	if (u.rcvbuf.ok)
		ev_u(f, "UdpRcvbufErrors", rb);
	if (u.sndbuf.ok)
		ev_u(f, "UdpSndbufErrors", sb);
	if (u.in_dg.ok)
		ev_u(f, "UdpInDatagrams", u.in_dg.v);
	if (u.in_err.ok)
		ev_u(f, "UdpInErrors", u.in_err.v);
	if (u.out_dg.ok)
		ev_u(f, "UdpOutDatagrams", u.out_dg.v);
	if (u.received)
		ev_d(f, "rcvbuf_errors_percent", pct(rb, u.received));
	if (u.sent)
		ev_d(f, "sndbuf_errors_percent", pct(sb, u.sent));
	snprintf(f->application, sizeof(f->application),
		 "Read faster, or give the socket a larger buffer (SO_RCVBUF up to net.core.rmem_max); "
		 "find it with 'sockmem top --by port'");
	judge(c, f, keys, ARRAY_SIZE(keys), SEV_WARN, SEV_WARN);
}

void rule_udp_in_errors(struct rule_ctx *c)
{
	struct udp_totals u;
	uint64_t rb, other, cs, mem;
	char of[96], hot[64] = "", parts[160] = "";
	struct finding *f;
	size_t n;

	udp_totals(c->in, &u);
	if (!u.in_err.ok || !u.in_err.v)
		return;
	/* RcvbufErrors are udp-buffer-errors' drops: not counted again here */
	rb = u.rcvbuf.ok ? u.rcvbuf.v : 0;
	other = u.in_err.v > rb ? u.in_err.v - rb : 0;
	if (!other || (other <= rules_thr.events && pct(other, u.received) <= rules_thr.events_pct))
		return;	/* below hotsos's threshold */
	share(of, sizeof(of), other, u.received, "received");
	/* hotsos divides by InDatagrams alone: its figure, to compare */
	if (u.in_dg.ok && u.in_dg.v)
		snprintf(hot, sizeof(hot), "; %.2f%% of InDatagrams, as hotsos counts",
			 pct(other, u.in_dg.v));
	cs = u.csum.ok ? u.csum.v : 0;
	mem = u.mem.ok ? u.mem.v : 0;
	if (cs) {
		n = strlen(parts);
		snprintf(parts + n, sizeof(parts) - n, "; %llu checksum errors among them (hardware or "
			 "a middlebox?)", (unsigned long long)cs);
	}
	if (mem) {
		n = strlen(parts);
		snprintf(parts + n, sizeof(parts) - n, "; %llu refused by udp_mem (MemErrors)",
			 (unsigned long long)mem);
	}
	f = rules_emit(c, SEV_WARN, "UDP ingress errors are at %llu%s (%s%s)%s", (unsigned long long)other,
		       rb ? " besides the receive-buffer drops" : "", of, hot, parts);
	f->mechanism = "InErrors counts every received datagram dropped: buffer or memory drops "
		       "(RcvbufErrors, MemErrors), checksum errors (InCsumErrors), and others. "
		       "RcvbufErrors are udp-buffer-errors' and left out here; received = InDatagrams "
		       "(counted when the application reads) + InErrors.";
	ev_u(f, "UdpInErrors", u.in_err.v);
	if (u.rcvbuf.ok)
		ev_u(f, "UdpRcvbufErrors", rb);
	ev_u(f, "in_errors_besides_rcvbuf", other);
	if (u.in_dg.ok)
		ev_u(f, "UdpInDatagrams", u.in_dg.v);
	if (u.csum.ok)
		ev_u(f, "UdpInCsumErrors", cs);
	if (u.mem.ok)
		ev_u(f, "UdpMemErrors", mem);
	if (u.received) {
		ev_d(f, "in_errors_percent", pct(other, u.received));
		if (u.csum.ok)
			ev_d(f, "csum_errors_percent", pct(cs, u.received));
	}
	/* rising: InErrors grew faster than the RcvbufErrors among them */
	judge_rising(c, f, rate_of(c, "UdpInErrors") > rate_of(c, "UdpRcvbufErrors"), SEV_WARN, SEV_WARN);
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
