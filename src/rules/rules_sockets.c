/* rules_sockets.c - rules on the per-socket view (sock_diag): the worst-case
 * commitment, buffer sizing from the bandwidth-delay product, slow readers,
 * and sockstat against the sum of the sockets' charges. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "rules_int.h"

void rule_worst_case(struct rule_ctx *c)
{
	const struct proto_report *p = rules_proto(c->r, "tcp");
	const struct host *h = c->h;
	struct finding *f;
	uint64_t wc;
	char a[32], b[32];

	if (!c->r->sk.present || !c->r->sk.st->ok[DP_TCP] || !p->limits_ok)
		return;
	wc = c->r->sk.agg->sum[DP_TCP].worst_case_bytes;
	if (wc <= p->limit_bytes[2])
		return;
	/* in the units of every other figure ("2.20 GiB") */
	util_human_bytes(a, sizeof(a), wc);
	util_human_bytes(b, sizeof(b), p->limit_bytes[2]);
	f = rules_emit(c, h->mem_total_bytes.ok && wc > h->mem_total_bytes.v ? SEV_WARN : SEV_INFO,
		       "If every TCP connection filled its buffers, TCP would need %s; tcp_mem "
		       "max is %s", a, b);
	f->mechanism = "Buffers are a commitment, not an allocation: the sum of rcvbuf + sndbuf "
		       "(capped at tcp_rmem/tcp_wmem max) is what the connections may grow to; past "
		       "tcp_mem the kernel throttles them instead.";
	ev_u(f, "worst_case_bytes", wc);
	ev_u(f, "tcp_mem_max_bytes", p->limit_bytes[2]);
	if (h->mem_total_bytes.ok)
		ev_u(f, "mem_total_bytes", h->mem_total_bytes.v);
	if (p->headroom_sockets_full[1].ok)
		ev_u(f, "sockets_until_pressure_at_full_buffers", p->headroom_sockets_full[1].v);
}

/* The buffer a connection needs for bdp bytes in flight, as tcp_rmem or
 * tcp_wmem max: twice the BDP, up to a whole MiB (a page below 1 MiB), at
 * most the largest whole MiB the sysctl takes (*capped then). */
static uint64_t bdp_buffer(uint64_t bdp, uint64_t page, uint64_t max, bool *capped)
{
	const uint64_t mib = 1u << 20;
	uint64_t need = util_mul_sat(bdp, 2, NULL), unit = need >= mib || !page ? mib : page;
	uint64_t top = max / mib * mib;

	/* need <= top <= LONG_MAX: rounding it up to unit cannot wrap */
	*capped = need > top;
	if (*capped)
		return top;
	need = (need + unit - 1) / unit * unit;
	*capped = need > top;
	return *capped ? top : need;
}

void rule_bdp(struct rule_ctx *c)
{
	const struct host *h = c->h;
	const struct advise_bdp *b = &c->in->bdp;
	const struct sysctl_val *rm = &c->sc[SC_TCP_RMEM], *wm = &c->sc[SC_TCP_WMEM], *tm = &c->sc[SC_TCP_MEM];
	uint64_t bdp, buf, v[3], conns, need_pages = 0, cap = rules_ram_pages(h) / 4, ps = h->page_size_bytes;
	uint64_t buf_max = fix_value_max(SC_TCP_RMEM) < fix_value_max(SC_TCP_WMEM)
			   ? fix_value_max(SC_TCP_RMEM) : fix_value_max(SC_TCP_WMEM);
	const struct sock_sums *t = c->r->sk.present && c->r->sk.agg ? &c->r->sk.agg->sum[DP_TCP] : NULL;
	bool capped, raise_mem;
	char from[96], size[32], g_bdp[32], g_buf[32], g_cap[32];
	double bdp_d;
	struct finding *f;

	if (!b->given && !b->measured)
		return;
	if (rm->rc || wm->rc)
		return;
	bdp_d = b->given ? b->bandwidth_bytes_per_s * b->rtt_s : (double)b->measured_bdp_bytes;
	bdp = bdp_d >= 0x1p64 ? UINT64_MAX : bdp_d > 0 ? (uint64_t)bdp_d : 0;
	/* The window is about half of rcvbuf (scaling_ratio 50% initially since
	 * 6.10, adv_win_scale 1 before 6.6), so rcvbuf needs 2 x BDP; sndbuf,
	 * as tcp_sndbuf_expand() sizes it, holds 2 x cwnd of skbs.  The BDP is
	 * the quantile itself, never a bucket's edge: the one doubling. */
	buf = bdp_buffer(bdp, ps, buf_max, &capped);
	conns = b->connections ? b->connections : 1;
	if (ps)
		need_pages = util_mul_sat(conns, util_mul_sat(buf, 2, NULL), NULL) / ps;
	if (b->given)
		snprintf(from, sizeof(from), "given");
	else
		snprintf(from, sizeof(from), "90th percentile of %llu live connection%s measuring a path",
			 (unsigned long long)b->measured_connections, b->measured_connections == 1 ? "" : "s");
	if (buf >= 1u << 20)
		snprintf(size, sizeof(size), "%llu MiB", (unsigned long long)(buf >> 20));
	else
		snprintf(size, sizeof(size), "%llu KiB", (unsigned long long)(buf >> 10));
	/* the BDP a figure to read; the sysctl value as it is typed */
	util_group_digits(g_bdp, sizeof(g_bdp), bdp);
	f = rules_emit(c, rm->v[2] < buf || wm->v[2] < buf ? SEV_WARN : SEV_INFO,
		       "Bandwidth-delay product %s bytes (%s): a connection needs tcp_rmem max and "
		       "tcp_wmem max >= %llu (%s: twice the BDP, %s)", g_bdp, from,
		       (unsigned long long)buf, size,
		       capped ? "capped at the largest whole MiB these int sysctls take: one connection "
				"cannot fill this path" : buf >= 1u << 20 ? "rounded up to a MiB"
			       : "rounded up to a page");
	f->mechanism = "A sender can keep at most a window in flight; the window is about half of "
		       "the receive buffer, so a full-rate connection needs rcvbuf of twice the BDP "
		       "(and sndbuf as much: tcp_sndbuf_expand() sizes it at twice the congestion "
		       "window). Autotuning grows buffers only up to tcp_rmem[2]/tcp_wmem[2]. Measured, "
		       "the BDP is delivery_rate x rtt from tcp_info, leaving out loopback connections, "
		       "app-limited rate samples and connections held back by the peer's window.";
	ev_u(f, "bdp_bytes", bdp);
	if (b->given) {
		ev_d(f, "bandwidth_bytes_per_s", b->bandwidth_bytes_per_s);
		ev_d(f, "rtt_s", b->rtt_s);
	} else {
		ev_u(f, "connections_measured", b->measured_connections);
		if (t) {
			ev_u(f, "connections_skipped_loopback", t->bdp_skipped[SOCKETS_BDP_LOOPBACK]);
			ev_u(f, "connections_skipped_app_limited", t->bdp_skipped[SOCKETS_BDP_APP_LIMITED]);
			ev_u(f, "connections_skipped_rwnd_limited", t->bdp_skipped[SOCKETS_BDP_RWND_LIMITED]);
		}
	}
	ev_u(f, "buffer_bytes_needed", buf);
	ev_u(f, "tcp_rmem_max_bytes", rm->v[2]);
	ev_u(f, "tcp_wmem_max_bytes", wm->v[2]);
	ev_u(f, "connections", conns);
	ev_u(f, "tcp_mem_needed_pages", need_pages);
	/* The quarter-of-RAM rule on what the buffers commit: when today's
	 * pressure threshold (or, in a container, the host's, unknown) does not
	 * hold the connections at full buffers, the tcp_mem that would has a
	 * max of 3/2 of it; above RAM / 4, neither the buffers nor that
	 * tcp_mem is proposed. */
	raise_mem = tm->rc != 0 || need_pages > tm->v[1];
	if (raise_mem)
		fix_limits_for_pressure(need_pages, v);
	if (raise_mem && cap && v[2] > cap) {
		ev_u(f, "tcp_mem_max_needed_pages", v[2]);
		ev_u(f, "quarter_of_ram_pages", cap);
		util_group_digits(g_bdp, sizeof(g_bdp), need_pages);
		util_group_digits(g_buf, sizeof(g_buf), v[2]);
		util_group_digits(g_cap, sizeof(g_cap), cap);
		snprintf(f->application, sizeof(f->application),
			 "%llu connection%s at %s buffers take%s up to %s pages; the tcp_mem whose "
			 "pressure threshold holds that has a max of %s pages, more than a quarter of "
			 "RAM (%s pages): no buffer or tcp_mem change is proposed (fewer connections "
			 "per host, or accept that they share)",
			 (unsigned long long)conns, conns == 1 ? "" : "s", size, conns == 1 ? "s" : "",
			 g_bdp, g_buf, g_cap);
		return;
	}
	if (rm->v[2] < buf) {
		uint64_t r[3];

		memcpy(r, rm->v, sizeof(r));
		r[2] = buf;
		rules_fix(c, f, SC_TCP_RMEM, r);
	}
	if (wm->v[2] < buf) {
		uint64_t w[3];

		memcpy(w, wm->v, sizeof(w));
		w[2] = buf;
		rules_fix(c, f, SC_TCP_WMEM, w);
	}
	/* tcp_mem whose pressure threshold holds that many connections at that
	 * size (only where tcp_mem is visible: a container cannot set it) */
	if (tm->rc == 0 && raise_mem)
		rules_fix(c, f, SC_TCP_MEM, v);
}

void rule_slow_readers(struct rule_ctx *c)
{
	const struct sockets_report *k = &c->r->sk;
	const struct advise_in *in = c->in;
	uint64_t slow, drops;
	struct finding *f;
	int i, n;

	if (!k->present)
		return;
	slow = k->agg->sum[DP_TCP].slow_readers + k->agg->sum[DP_UDP].slow_readers;
	drops = k->agg->sum[DP_TCP].with_drops + k->agg->sum[DP_UDP].with_drops;
	if (!slow)
		return;
	f = rules_emit(c, drops ? SEV_WARN : SEV_INFO, "%llu socket%s read%s slowly: receive queue near "
		       "rcvbuf, drops or backlog (%llu with drops)", (unsigned long long)slow,
		       slow == 1 ? "" : "s", slow == 1 ? "s" : "", (unsigned long long)drops);
	f->mechanism = "Data waits in the receive queue because the application does not read it; "
		       "when the queue reaches rcvbuf the kernel drops (UDP) or closes the window and "
		       "prunes (TCP). No sysctl fixes a slow reader.";
	ev_u(f, "slow_readers", slow);
	ev_u(f, "sockets_with_drops", drops);
	for (i = 0; i < in->nslow; i++) {
		static const char *const key[] = { "holder_1", "holder_2", "holder_3" };

		if (i < (int)ARRAY_SIZE(key))
			ev_s(f, key[i], in->slow[i].who);
	}
	n = snprintf(f->application, sizeof(f->application), "Make the application read faster (or "
		     "give it SO_RCVBUF if bursts are the cause)");
	if (in->nslow && n > 0 && (size_t)n < sizeof(f->application))
		snprintf(f->application + n, sizeof(f->application) - (size_t)n, ": first %s",
			 in->slow[0].who);
}

void rule_recon(struct rule_ctx *c)
{
	const struct recon_report *rc = &c->r->sk.recon[DP_TCP];
	struct finding *f;

	if (!c->r->sk.present || !rc->ok || !rc->band_pages.ok || rc->within_band)
		return;
	f = rules_emit(c, SEV_INFO, "sockstat TCP mem and the sockets seen differ by %lld pages, more than "
		       "the per-CPU band (%llu)", (long long)rc->residual_pages,
		       (unsigned long long)rc->band_pages.v);
	f->mechanism = "sockstat mem is host-wide; a sock_diag dump sees one network namespace and "
		       "not the sockets that bypass protocol accounting (6.19+).";
	ev_u(f, "sockstat_pages", rc->sockstat_pages);
	ev_u(f, "sockets_charged_pages", rc->sockets_pages);
	ev_i(f, "residual_pages", rc->residual_pages);
	ev_u(f, "band_pages", rc->band_pages.v);
	if (rc->ncause)
		ev_s(f, "likely_cause", rc->cause[0]);
	snprintf(f->application, sizeof(f->application),
		 "Run 'sockmem show --all-netns' as root to see every network namespace");
}
