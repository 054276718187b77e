/* nstat_text.c - nstat and netstat -s output as /proc/net/netstat text. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nstat_text.h"

/* Counters collected before they are written out, grouped. */
struct nstat_entry {
	const char *group, *name;	/* group: static or in the text; name in the text */
	size_t glen, nlen;
	uint64_t v;
};

struct nstat_acc {
	struct nstat_entry *e;
	size_t n, cap;
};

static int nstat_add(struct nstat_acc *a, const char *g, size_t gl, const char *n, size_t nl,
		     uint64_t v)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		if (a->e[i].glen == gl && a->e[i].nlen == nl && !memcmp(a->e[i].group, g, gl) &&
		    !memcmp(a->e[i].name, n, nl))
			return 0;	/* the first one counts */
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 128;
		struct nstat_entry *ne = realloc(a->e, cap * sizeof(*ne));

		if (!ne)
			return -ENOMEM;
		a->e = ne;
		a->cap = cap;
	}
	a->e[a->n].group = g;
	a->e[a->n].glen = gl;
	a->e[a->n].name = n;
	a->e[a->n].nlen = nl;
	a->e[a->n].v = v;
	a->n++;
	return 0;
}

/* Writes the counters as "Group: names\nGroup: values\n" pairs, groups in
 * the order first seen. */
static int nstat_emit(struct nstat_acc *a, struct nstat_text *out)
{
	size_t cap = 64, i, j, n = 0;
	char *b;
	bool *done = calloc(a->n ? a->n : 1, sizeof(*done));

	for (i = 0; i < a->n; i++)
		cap += 2 * (a->e[i].glen + 3) + a->e[i].nlen + 24;
	b = malloc(cap);
	if (!b || !done) {
		free(b);
		free(done);
		return -ENOMEM;
	}
	for (i = 0; i < a->n; i++) {
		int pass;

		if (done[i])
			continue;
		for (pass = 0; pass < 2; pass++) {
			n += (size_t)snprintf(b + n, cap - n, "%.*s:", (int)a->e[i].glen, a->e[i].group);
			for (j = i; j < a->n; j++) {
				if (a->e[j].glen != a->e[i].glen ||
				    memcmp(a->e[j].group, a->e[i].group, a->e[i].glen))
					continue;
				if (pass == 0)
					n += (size_t)snprintf(b + n, cap - n, " %.*s", (int)a->e[j].nlen,
							      a->e[j].name);
				else
					n += (size_t)snprintf(b + n, cap - n, " %llu",
							      (unsigned long long)a->e[j].v);
				done[j] = true;
			}
			n += (size_t)snprintf(b + n, cap - n, "\n");
		}
	}
	free(done);
	out->text = b;
	out->len = n;
	out->ncounters = (int)a->n;
	return 0;
}

static void nstat_number_err(struct parse_err *err, int line, const char *t, size_t tl, int rc)
{
	char safe[64];

	util_safe_token(safe, sizeof(safe), t, tl < 40 ? tl : 40);
	util_set_err(err, line, "value '%s' is %s", safe,
		     rc == -ERANGE ? "out of range (more than 64 bits)" : "not a counter");
}

/* A counter or group name as the kernel writes them: letters, digits, '_'. */
static bool nstat_word(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return false;
	return n > 0;
}

/* Groups of /proc/net/snmp, netstat and snmp6, longest first where one is
 * the start of another (TcpExt before Tcp, UdpLite before Udp). */
static const char *const nstat_groups[] = {
	"MPTcpExt", "TcpExt", "IpExt", "IcmpMsg", "UdpLite6", "UdpLite", "Icmp6", "Udp6", "Ip6",
	"Icmp", "Tcp", "Udp", "Ip", "Sctp",
};

int nstat_text_parse(const char *buf, size_t len, struct nstat_text *out, struct parse_err *err)
{
	const char *p = buf, *end = buf + len, *l, *q, *t, *v;
	size_t ln, tl, vl, i;
	struct nstat_acc a = { 0 };
	int lineno = 0, rc;
	bool zero = false;

	memset(out, 0, sizeof(*out));
	rc = util_text_begin(buf, len, err);
	if (rc)
		return rc;
	while (util_next_line(&p, end, &l, &ln, &lineno)) {
		uint64_t x;

		q = l;
		t = util_next_token(&q, l + ln, &tl);
		if (!t || t[0] == '#')
			continue;
		v = util_next_token(&q, l + ln, &vl);
		if (!v) {
			util_set_err(err, lineno, "a counter without a value: not nstat output");
			rc = -EINVAL;
			break;
		}
		rc = util_parse_u64(v, vl, &x);
		if (rc) {
			nstat_number_err(err, lineno, v, vl, rc);
			break;
		}
		for (i = 0; i < ARRAY_SIZE(nstat_groups); i++) {
			size_t gl = strlen(nstat_groups[i]);

			if (tl > gl && !memcmp(t, nstat_groups[i], gl))
				break;
		}
		if (i == ARRAY_SIZE(nstat_groups) || !nstat_word(t, tl)) {
			out->nskipped++;
			continue;
		}
		zero |= x == 0;
		rc = nstat_add(&a, nstat_groups[i], strlen(nstat_groups[i]), t + strlen(nstat_groups[i]),
			       tl - strlen(nstat_groups[i]), x);
		if (rc)
			break;
	}
	if (!rc && !a.n) {
		util_set_err(err, 0, "no counter: not nstat output");
		rc = -EINVAL;
	}
	if (!rc)
		rc = nstat_emit(&a, out);
	/* nstat -z prints zero counters; without a single zero, -z was not given */
	out->zeros_omitted = !zero;
	free(a.e);
	return rc;
}

/* The sentences of net-tools (statistics.c) for the counters sockmem reads
 * and their neighbours; "%llu" stands for the value. */
static const struct {
	const char *group, *name, *fmt;
} nstat_sentences[] = {
	{ "Tcp", "ActiveOpens", "%llu active connection openings" },
	{ "Tcp", "ActiveOpens", "%llu active connections openings" },
	{ "Tcp", "PassiveOpens", "%llu passive connection openings" },
	{ "Tcp", "AttemptFails", "%llu failed connection attempts" },
	{ "Tcp", "EstabResets", "%llu connection resets received" },
	{ "Tcp", "CurrEstab", "%llu connections established" },
	{ "Tcp", "InSegs", "%llu segments received" },
	{ "Tcp", "OutSegs", "%llu segments sent out" },
	{ "Tcp", "OutSegs", "%llu segments send out" },
	{ "Tcp", "RetransSegs", "%llu segments retransmitted" },
	{ "Tcp", "RetransSegs", "%llu segments retransmited" },
	{ "Tcp", "InErrs", "%llu bad segments received" },
	{ "Tcp", "InErrs", "%llu bad segments received." },
	{ "Tcp", "OutRsts", "%llu resets sent" },
	{ "Udp", "InDatagrams", "%llu packets received" },
	{ "Udp", "NoPorts", "%llu packets to unknown port received" },
	{ "Udp", "NoPorts", "%llu packets to unknown port received." },
	{ "Udp", "InErrors", "%llu packet receive errors" },
	{ "Udp", "OutDatagrams", "%llu packets sent" },
	{ "Udp", "RcvbufErrors", "%llu receive buffer errors" },
	{ "Udp", "SndbufErrors", "%llu send buffer errors" },
	{ "TcpExt", "PruneCalled", "%llu packets pruned from receive queue because of socket buffer overrun" },
	{ "TcpExt", "RcvPruned", "%llu packets pruned from receive queue" },
	{ "TcpExt", "OfoPruned", "%llu packets dropped from out-of-order queue because of socket buffer overrun" },
	{ "TcpExt", "TCPRcvCollapsed", "%llu packets collapsed in receive queue due to low socket buffer" },
	{ "TcpExt", "TCPAbortOnMemory", "%llu connections aborted due to memory pressure" },
	{ "TcpExt", "TCPMemoryPressures", "TCP ran low on memory %llu times" },
	{ "TcpExt", "TCPAbortFailed", "%llu times unable to send RST due to no memory" },
	{ "TcpExt", "TCPAbortFailed", "%llu times unabled to send RST due to no memory" },
	{ "TcpExt", "SockMallocOOM", "Ran %llu times out of system memory during packet sending" },
};

/* Matches a trimmed sentence against fmt; the value into *v. */
static int nstat_match(const char *s, size_t sl, const char *fmt, uint64_t *v)
{
	const char *pc = strstr(fmt, "%llu"), *post = pc + 4, *d;
	size_t pre = (size_t)(pc - fmt), postl = strlen(post), dl;

	if (sl < pre + 1 + postl || memcmp(s, fmt, pre))
		return -ENOENT;
	d = s + pre;
	dl = 0;
	while (pre + dl < sl && d[dl] >= '0' && d[dl] <= '9')
		dl++;
	if (!dl || sl - pre - dl != postl || memcmp(d + dl, post, postl))
		return -ENOENT;
	return util_parse_u64(d, dl, v);
}

int nstat_text_parse_netstat_s(const char *buf, size_t len, struct nstat_text *out,
			       struct parse_err *err)
{
	const char *p = buf, *end = buf + len, *l, *group = NULL;
	size_t ln, glen = 0, i;
	struct nstat_acc a = { 0 };
	int lineno = 0, rc, ngroups = 0;

	memset(out, 0, sizeof(*out));
	rc = util_text_begin(buf, len, err);
	if (rc)
		return rc;
	while (util_next_line(&p, end, &l, &ln, &lineno)) {
		const char *s = l, *colon;
		size_t sl = ln;
		uint64_t x;

		while (sl && (s[sl - 1] == ' ' || s[sl - 1] == '\t' || s[sl - 1] == '\r'))
			sl--;
		if (!sl)
			continue;
		if (s[0] != ' ' && s[0] != '\t') {
			/* "TcpExt:" */
			if (s[sl - 1] != ':' || !nstat_word(s, sl - 1)) {
				util_set_err(err, lineno, "expected a group line such as 'Tcp:': not "
					     "netstat -s output");
				rc = -EINVAL;
				break;
			}
			group = s;
			glen = sl - 1;
			ngroups++;
			continue;
		}
		while (sl && (*s == ' ' || *s == '\t')) {
			s++;
			sl--;
		}
		if (!group) {
			util_set_err(err, lineno, "a counter before any group line: not netstat -s output");
			rc = -EINVAL;
			break;
		}
		/* "Name: value", a counter netstat has no sentence for */
		colon = memchr(s, ':', sl);
		if (colon && nstat_word(s, (size_t)(colon - s)) && colon + 2 <= s + sl &&
		    colon[1] == ' ') {
			const char *v = colon + 2;
			size_t vl = (size_t)(s + sl - v);

			rc = util_parse_u64(v, vl, &x);
			if (rc == -ERANGE) {
				nstat_number_err(err, lineno, v, vl, rc);
				break;
			}
			if (!rc) {
				rc = nstat_add(&a, group, glen, s, (size_t)(colon - s), x);
				if (rc)
					break;
				continue;
			}
			rc = 0;
		}
		for (i = 0; i < ARRAY_SIZE(nstat_sentences); i++) {
			size_t gl = strlen(nstat_sentences[i].group);

			/* UdpLite and Udp6 print Udp's sentences */
			if (glen < gl || memcmp(group, nstat_sentences[i].group, gl) ||
			    (glen > gl && strcmp(nstat_sentences[i].group, "Udp")))
				continue;
			rc = nstat_match(s, sl, nstat_sentences[i].fmt, &x);
			if (rc != -ENOENT)
				break;
		}
		if (rc == -ERANGE) {
			util_set_err(err, lineno, "a counter out of range (more than 64 bits)");
			break;
		}
		if (i == ARRAY_SIZE(nstat_sentences) || rc) {
			rc = 0;
			out->nskipped++;
			continue;
		}
		rc = nstat_add(&a, group, glen, nstat_sentences[i].name, strlen(nstat_sentences[i].name), x);
		if (rc)
			break;
	}
	if (!rc && !ngroups) {
		util_set_err(err, 0, "no group line: not netstat -s output");
		rc = -EINVAL;
	} else if (!rc && !a.n) {
		util_set_err(err, 0, "no counter in it");
		rc = -EINVAL;
	}
	if (!rc)
		rc = nstat_emit(&a, out);
	out->zeros_omitted = true;
	free(a.e);
	return rc;
}
