/* ss_text.c - ss -m/-i text output into struct diag_sock (iproute2
 * misc/ss.c: print_skmeminfo, tcp_show_info, the state and netid names). */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "ss_text.h"

/* ss's state names (sstate_name[]), by TCP state number. */
static const char *const ss_states[] = {
	"UNKNOWN", "ESTAB", "SYN-SENT", "SYN-RECV", "FIN-WAIT-1", "FIN-WAIT-2", "TIME-WAIT",
	"UNCONN", "CLOSE-WAIT", "LAST-ACK", "LISTEN", "CLOSING", "NEW-SYN-RECV", "BOUND-INACTIVE",
};

/* ss's Netid names; -1: another protocol (skipped) */
static int ss_netid(const char *t, size_t tl)
{
	static const char *const other[] = { "raw", "u_str", "u_dgr", "u_seq", "nl", "p_raw", "p_dgr",
					     "mptcp", "sctp", "dccp", "tipc", "v_str", "v_dgr",
					     "xdp", "icmp6", "u_str_ns", "???" };
	size_t i;

	if (tl == 3 && !memcmp(t, "tcp", 3))
		return DP_TCP;
	if (tl == 3 && !memcmp(t, "udp", 3))
		return DP_UDP;
	for (i = 0; i < ARRAY_SIZE(other); i++)
		if (strlen(other[i]) == tl && !memcmp(t, other[i], tl))
			return -1;
	return -2;	/* not a netid */
}

static int ss_state(const char *t, size_t tl)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ss_states); i++)
		if (strlen(ss_states[i]) == tl && !memcmp(t, ss_states[i], tl))
			return (int)i;
	if (tl == 5 && !memcmp(t, "CLOSE", 5))
		return 7;
	return -1;
}

bool ss_text_detect(const char *buf, size_t len)
{
	const char *q = buf, *e = memchr(buf, '\n', len), *t;
	size_t tl;

	if (!e)
		e = buf + len;
	if (memchr(buf, '\0', (size_t)(e - buf)))
		return false;
	t = util_next_token(&q, e, &tl);
	if (!t)
		return false;
	if ((tl == 5 && (!memcmp(t, "State", 5) || !memcmp(t, "Netid", 5))))
		return true;
	return ss_netid(t, tl) != -2 || ss_state(t, tl) >= 0;
}

/* The socket being read: its line and its continuation lines. */
struct ss_rec {
	bool open;
	int proto;		/* DP_TCP, DP_UDP, -1 other */
	int line;
	struct diag_sock d;
	struct ss_text_proc p;
	bool has_mem;
};

static int ss_num(const char *t, size_t tl, uint64_t *v, int line, const char *what,
		  struct parse_err *err)
{
	int rc = util_parse_u64(t, tl, v);

	if (rc) {
		char safe[48];

		util_safe_token(safe, sizeof(safe), t, tl < 30 ? tl : 30);
		util_set_err(err, line, "%s '%s' is %s", what, safe,
			     rc == -ERANGE ? "out of range" : "not a number");
	}
	return rc;
}

/* "ADDR:PORT": the family, address and port (0 for '*' or a name). */
static void ss_addr(const char *t, size_t tl, struct diag_sock *d, bool local,
		    struct ss_text_stats *st)
{
	const char *colon = NULL, *h = t, *he;
	char host[INET6_ADDRSTRLEN + 1];
	uint64_t port = 0;
	size_t i, hl;

	for (i = tl; i > 0; i--)
		if (t[i - 1] == ':') {
			colon = t + i - 1;
			break;
		}
	if (!colon)
		return;
	he = colon;
	if (h < he && *h == '[' && he[-1] == ']') {
		h++;
		he--;
	}
	hl = (size_t)(he - h);
	/* "127.0.0.53%lo": the interface is not part of the address */
	{
		const char *pct = memchr(h, '%', hl);

		if (pct)
			hl = (size_t)(pct - h);
	}
	if (memchr(h, ':', hl))
		d->family = AF_INET6;
	else if (!d->family)
		d->family = AF_INET;
	if (hl && hl < sizeof(host)) {
		memcpy(host, h, hl);
		host[hl] = '\0';
		if (inet_pton(AF_INET6, host, local ? d->src : d->dst) == 1)
			d->family = AF_INET6;
		else
			inet_pton(AF_INET, host, local ? d->src : d->dst);
	}
	if ((size_t)(t + tl - colon - 1) && !(colon[1] == '*' && colon + 2 == t + tl)) {
		if (util_parse_u64(colon + 1, (size_t)(t + tl - colon - 1), &port) || port > 65535) {
			port = 0;
			st->unresolved_ports++;
		}
	}
	if (local)
		d->sport = (uint16_t)port;
	else
		d->dport = (uint16_t)port;
}

/* skmem:(r0,rb131072,...) or mem:(r0,w0,f0,t0); p points after the '('. */
static int ss_skmem(const char *p, const char *end, struct ss_rec *r, bool legacy, int line,
		    struct parse_err *err)
{
	static const char *const keys[DM_COUNT] = { "r", "rb", "t", "tb", "f", "w", "o", "bl", "d" };
	const char *close = memchr(p, ')', (size_t)(end - p));

	if (!close) {
		util_set_err(err, line, "%s( is not closed: the line was cut", legacy ? "mem:" : "skmem:");
		return -EINVAL;
	}
	while (p < close) {
		const char *comma = memchr(p, ',', (size_t)(close - p)), *e = comma ? comma : close;
		const char *k = p, *v = p;
		uint64_t x;
		int i, rc;

		while (v < e && !(*v >= '0' && *v <= '9'))
			v++;
		rc = ss_num(v, (size_t)(e - v), &x, line, "skmem value", err);
		if (rc)
			return rc;
		for (i = 0; i < DM_COUNT; i++)
			if (strlen(keys[i]) == (size_t)(v - k) && !memcmp(keys[i], k, (size_t)(v - k)))
				break;
		if (legacy) {
			/* mem:(r, w = wmem_queued, f, t = wmem_alloc) */
			if (v - k == 1 && *k == 'r')
				i = DM_RMEM_ALLOC;
			else if (v - k == 1 && *k == 'w')
				i = DM_WMEM_QUEUED;
			else if (v - k == 1 && *k == 't')
				i = DM_WMEM_ALLOC;
			else if (v - k == 1 && *k == 'f')
				i = DM_FWD_ALLOC;
			else
				i = DM_COUNT;
		}
		if (i < DM_COUNT) {
			r->d.mem[i] = x > UINT32_MAX ? UINT32_MAX : (uint32_t)x;
			if (!legacy && i + 1 > r->d.nmem)
				r->d.nmem = i + 1;
		}
		p = comma ? comma + 1 : close;
	}
	r->d.mem_legacy = legacy;
	r->has_mem = true;
	return 0;
}

/* users:(("name",pid=1,fd=3),...): the first process. */
static int ss_users(const char *p, const char *end, struct ss_rec *r, int line,
		    struct parse_err *err)
{
	const char *close = NULL, *q, *pid;
	int depth = 1;
	bool quoted = false;

	for (q = p; q < end; q++) {
		if (*q == '"')
			quoted = !quoted;
		else if (!quoted && *q == '(')
			depth++;
		else if (!quoted && *q == ')' && --depth == 0) {
			close = q;
			break;
		}
	}
	if (!close) {
		util_set_err(err, line, "users:( is not closed: the line was cut");
		return -EINVAL;
	}
	if (r->p.known)
		return 0;
	q = memchr(p, '"', (size_t)(close - p));
	if (q) {
		const char *qe = memchr(q + 1, '"', (size_t)(close - q - 1));

		if (qe)
			util_safe_token(r->p.comm, sizeof(r->p.comm), q + 1, (size_t)(qe - q - 1));
	}
	pid = memmem(p, (size_t)(close - p), "pid=", 4);
	if (pid)
		pid += 4;
	else if (q && (pid = memmem(q + 1, (size_t)(close - q - 1), "\",", 2)))
		pid += 2;	/* older ss: ("name",PID,FD) */
	if (pid) {
		const char *e = pid;
		uint64_t x;

		while (e < close && *e >= '0' && *e <= '9')
			e++;
		if (e > pid && !ss_num(pid, (size_t)(e - pid), &x, line, "pid", err) &&
		    x <= UINT32_MAX) {
			r->p.pid = (uint32_t)x;
			r->p.known = true;
		}
	}
	return 0;
}

/* "4.413/8.337" ms -> 4413 us */
static void ss_rtt(const char *v, size_t vl, struct diag_sock *d)
{
	char tmp[32];
	double ms;

	if (!vl || vl >= sizeof(tmp))
		return;
	memcpy(tmp, v, vl);
	tmp[vl] = '\0';
	/* in range of the microseconds of tcpi_rtt (and not NaN) */
	if (sscanf(tmp, "%lf", &ms) == 1 && ms >= 0 && ms < 4e6) {
		d->rtt_us = (uint32_t)(ms * 1000.0 + 0.5);
		d->has_tcp_info = true;
	}
}

/* "23831272720bps", "1.2Gbps" -> bytes/s */
static uint64_t ss_rate(const char *v, size_t vl)
{
	char tmp[40], *e;
	double x;

	if (!vl || vl >= sizeof(tmp))
		return 0;
	memcpy(tmp, v, vl);
	tmp[vl] = '\0';
	x = strtod(tmp, &e);
	if (e == tmp || !(x >= 0))	/* negative or NaN */
		return 0;
	switch (*e) {
	case 'K': x *= 1e3; break;
	case 'M': x *= 1e6; break;
	case 'G': x *= 1e9; break;
	case 'T': x *= 1e12; break;
	default: break;
	}
	x /= 8;
	return x >= 1.8e19 ? UINT64_MAX : (uint64_t)x;
}

/* The fields of a socket line after its columns, or of a continuation line. */
static int ss_fields(const char *q, const char *end, struct ss_rec *r, int line,
		     struct parse_err *err)
{
	const char *t;
	size_t tl;
	bool want_rate = false;
	int rc;

	while ((t = util_next_token(&q, end, &tl))) {
		if (tl > 7 && !memcmp(t, "skmem:(", 7)) {
			rc = ss_skmem(t + 7, end, r, false, line, err);
			if (rc)
				return rc;
			q = (const char *)memchr(t, ')', (size_t)(end - t)) + 1;
		} else if (tl > 5 && !memcmp(t, "mem:(", 5)) {
			rc = ss_skmem(t + 5, end, r, r->d.nmem == 0, line, err);
			if (rc)
				return rc;
			q = (const char *)memchr(t, ')', (size_t)(end - t)) + 1;
		} else if (tl >= 7 && !memcmp(t, "users:(", 7)) {
			const char *c;

			rc = ss_users(t + 7, end, r, line, err);
			if (rc)
				return rc;
			/* past the matching ')' */
			{
				int depth = 1;
				bool quoted = false;

				for (c = t + 7; c < end; c++) {
					if (*c == '"')
						quoted = !quoted;
					else if (!quoted && *c == '(')
						depth++;
					else if (!quoted && *c == ')' && --depth == 0)
						break;
				}
			}
			q = c + 1;
		} else if (tl > 4 && !memcmp(t, "ino:", 4)) {
			uint64_t x;

			if (!util_parse_u64(t + 4, tl - 4, &x) && x <= UINT32_MAX)
				r->d.inode = (uint32_t)x;
		} else if (tl > 4 && !memcmp(t, "uid:", 4)) {
			uint64_t x;

			if (!util_parse_u64(t + 4, tl - 4, &x) && x <= UINT32_MAX)
				r->d.uid = (uint32_t)x;
		} else if (tl > 4 && !memcmp(t, "rtt:", 4)) {
			const char *slash = memchr(t, '/', tl);

			ss_rtt(t + 4, (size_t)((slash ? slash : t + tl) - t - 4), &r->d);
		} else if (tl == 13 && !memcmp(t, "delivery_rate", 13)) {
			want_rate = true;
			continue;
		} else if (want_rate) {
			r->d.delivery_rate = ss_rate(t, tl);
		}
		want_rate = false;
	}
	return 0;
}

static int ss_finish(struct ss_rec *r, ss_text_cb cb, void *arg, struct ss_text_stats *st)
{
	int rc = 0;

	if (!r->open)
		return 0;
	r->open = false;
	if (r->proto < 0) {
		st->other++;
		return 0;
	}
	st->sockets[r->proto]++;
	if (!r->has_mem)
		st->without_mem++;
	rc = cb(&r->d, &r->p, arg);
	return rc;
}

int ss_text_parse(const char *buf, size_t len, ss_text_cb cb, void *arg, struct ss_text_stats *st,
		  struct parse_err *err)
{
	const char *p = buf, *end = buf + len, *l;
	struct ss_rec r;
	size_t ln;
	int lineno = 0, rc;

	memset(st, 0, sizeof(*st));
	memset(&r, 0, sizeof(r));
	rc = util_check_text(buf, len, err);
	if (rc)
		return rc;
	while (util_next_line(&p, end, &l, &ln, &lineno)) {
		const char *q = l, *t, *col[6];
		size_t tl, cl[6];
		int netid, state, i, ncol;

		t = util_next_token(&q, l + ln, &tl);
		if (!t)
			continue;
		if (t == l && tl == 5 && (!memcmp(t, "State", 5) || !memcmp(t, "Netid", 5))) {
			st->netid_column = !memcmp(t, "Netid", 5);
			continue;	/* the header */
		}
		netid = t == l ? ss_netid(t, tl) : -2;
		state = t == l && netid == -2 ? ss_state(t, tl) : -1;
		if (netid == -2 && state < 0) {
			/* a continuation line of the socket before */
			if (r.open && r.proto >= 0) {
				rc = ss_fields(l, l + ln, &r, lineno, err);
				if (rc)
					return rc;
			}
			continue;
		}
		rc = ss_finish(&r, cb, arg, st);
		if (rc)
			return rc;
		memset(&r, 0, sizeof(r));
		r.open = true;
		r.line = lineno;
		/* without a Netid column (ss -t): TCP, or UDP if unconnected */
		r.proto = netid >= -1 ? netid : state == 7 ? DP_UDP : DP_TCP;
		if (netid >= -1) {
			t = util_next_token(&q, l + ln, &tl);
			state = t ? ss_state(t, tl) : -1;
		}
		if (r.proto < 0)
			continue;
		ncol = 0;
		for (i = 0; i < 4 && (col[i] = util_next_token(&q, l + ln, &cl[i])); i++)
			ncol++;
		if (state < 0 || ncol < 4) {
			util_set_err(err, lineno, "expected 'STATE RECV-Q SEND-Q LOCAL PEER': the line "
				     "was cut, or this is not ss output");
			return -EINVAL;
		}
		r.d.proto = (enum diag_proto)r.proto;
		r.d.state = (uint8_t)state;
		{
			uint64_t rq, sq;

			rc = ss_num(col[0], cl[0], &rq, lineno, "Recv-Q", err);
			if (!rc)
				rc = ss_num(col[1], cl[1], &sq, lineno, "Send-Q", err);
			if (rc)
				return rc;
			r.d.rqueue = rq > UINT32_MAX ? UINT32_MAX : (uint32_t)rq;
			r.d.wqueue = sq > UINT32_MAX ? UINT32_MAX : (uint32_t)sq;
		}
		ss_addr(col[2], cl[2], &r.d, true, st);
		ss_addr(col[3], cl[3], &r.d, false, st);
		rc = ss_fields(q, l + ln, &r, lineno, err);
		if (rc)
			return rc;
	}
	return ss_finish(&r, cb, arg, st);
}
