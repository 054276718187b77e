/* sockdump.c - sock_diag dumps into the streaming aggregator. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sockdump.h"

struct dump_ctx {
	struct sockets *agg;
	enum diag_proto proto;
	struct sockdump_status *st;
	struct parse_err err;
	int ipproto;		/* a dump of a protocol sharing proto's counter; 0 */
};

static int sockdump_msg_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump_ctx *c = data;
	struct diag_sock d;
	int rc;

	c->st->messages++;
	rc = diag_parse(nlh, c->proto, &d, &c->err);
	if (rc)
		return rc;
	if (c->ipproto)
		d.ipproto = (uint16_t)c->ipproto;
	return sockets_add(c->agg, &d);
}

void sockdump_problem(struct sockdump_status *st, const char *fmt, ...)
{
	va_list ap;

	st->partial = true;
	if (st->nproblems >= (int)(sizeof(st->problem) / sizeof(st->problem[0])))
		return;
	va_start(ap, fmt);
	vsnprintf(st->problem[st->nproblems++], sizeof(st->problem[0]), fmt, ap);
	va_end(ap);
}

/* A dump's errors that mean "this kernel has no such dump", when the kernel
 * answers them (nl_error.kernel; a failed system call is a fault): no
 * handler (ENOENT: inet_diag_lock_handler found none; EPROTONOSUPPORT), or a
 * request an older kernel does not take (EINVAL, EOPNOTSUPP). */
static bool sockdump_absent_rc(int rc)
{
	return rc == -ENOENT || rc == -EPROTONOSUPPORT || rc == -EINVAL || rc == -EOPNOTSUPP ||
	       rc == -EAFNOSUPPORT;
}

/* Rewinds a record to start (a dump to be dropped from it). */
static void sockdump_rewind(FILE *record, long start)
{
	if (!record || start < 0)
		return;
	fflush(record);
	if (ftruncate(fileno(record), start) == 0)
		fseek(record, start, SEEK_SET);
}

/* One dump (both families) into agg.  Returns 0 (dumped, or a sharing dump
 * this kernel lacks: st->not_dumped says so) or -errno with a problem. */
static int sockdump_one(struct sockets *agg, enum diag_dump dd, FILE *record,
			struct sockdump_status *st, bool *intr)
{
	static const int families[] = { AF_INET, AF_INET6 };
	const struct diag_dump_def *def = &diag_dumps[dd];
	enum diag_proto p = def->counter;
	int f, rc = 0;

	st->dumped[dd] = false;
	st->not_dumped[dd][0] = '\0';
	for (f = 0; f < 2 && !*intr; f++) {
		char req[DIAG_REQ_SIZE];
		struct nlmsghdr *nlh = diag_build_dump_request(req, families[f], dd, st->want_info,
							       st->tcp_states ? st->tcp_states
							       : DIAG_STATES_ALL);
		struct dump_ctx c = { agg, p, st, { 0, "" }, def->shares ? def->ipproto : 0 };
		struct nl_handler h = { sockdump_msg_cb, &c };
		struct nl_error e;
		long start = record ? ftell(record) : -1;

		if (families[f] == AF_INET6 && !def->shares && st->skip_v6[p])
			continue;
		rc = nl_dump(nlh, &h, record, intr, &e);
		if (rc == 0)
			continue;
		if (sockdump_absent_rc(rc) && !c.err.msg[0] &&
		    (families[f] == AF_INET6 || (def->shares && e.kernel))) {
			/* IPv6 disabled, or a kernel without this dump: what it
			 * answered is no socket and stays out of the record */
			sockdump_rewind(record, start);
			if (families[f] == AF_INET6)
				continue;
			snprintf(st->not_dumped[dd], sizeof(st->not_dumped[dd]),
				 "this kernel has no %s sock_diag dump (%s)", def->label,
				 strerror(-rc));
			return 0;
		}
		if (c.err.msg[0])
			sockdump_problem(st, "%s dump: malformed reply: %s", def->name, c.err.msg);
		else if (rc == -ENOENT || rc == -EPROTONOSUPPORT)
			sockdump_problem(st, "%s dump: %s (is the %s_diag module available?)",
					 def->name, e.msg, diag_proto_name(p));
		else
			sockdump_problem(st, "%s dump: %s", def->name, e.msg);
		return rc;
	}
	st->dumped[dd] = !*intr;
	return 0;
}

int sockdump_live(struct sockets *agg, FILE *record[DP_COUNT], struct sockdump_status *st)
{
	int attempt, p, rc = 0, last = 0;
	long start[DP_COUNT] = { 0, 0 };

	for (p = 0; p < DP_COUNT; p++)
		if (record && record[p])
			start[p] = ftell(record[p]);
	for (attempt = 0; attempt <= NL_DUMP_RETRIES; attempt++) {
		bool intr = false;
		int d;

		sockets_reset(agg);
		st->nproblems = 0;
		st->partial = false;
		st->messages = 0;
		for (p = 0; p < DP_COUNT; p++)
			st->ok[p] = true;
		/* TCP, UDP, then the dumps sharing their counters */
		for (d = 0; d < DD_COUNT && !intr; d++) {
			p = diag_dumps[d].counter;
			if (!st->ok[p])
				continue;	/* the protocol already failed */
			rc = sockdump_one(agg, (enum diag_dump)d, record ? record[p] : NULL, st, &intr);
			if (rc) {
				st->ok[p] = false;
				last = rc;
			}
		}
		if (!intr)
			break;
		st->restarts++;
		for (p = 0; p < DP_COUNT; p++)
			if (record && record[p])
				sockdump_rewind(record[p], start[p]);
	}
	if (attempt > NL_DUMP_RETRIES)
		sockdump_problem(st, "the socket tables kept changing during the dump "
				 "(NLM_F_DUMP_INTR): figures may miss or double-count sockets");
	return st->ok[DP_TCP] || st->ok[DP_UDP] ? 0 : (last ? last : -EIO);
}

int sockdump_sharing(struct sockets *agg, struct sockdump_status *st)
{
	int attempt, d, rc = 0;

	for (d = 0; d < DD_COUNT; d++) {
		if (!diag_dumps[d].shares)
			continue;
		for (attempt = 0; attempt <= NL_DUMP_RETRIES; attempt++) {
			struct sockets tmp;
			bool intr = false;

			/* its own aggregator: an interrupted dump starts over */
			if (sockets_init(&tmp, &agg->par, agg->by, agg->topn, agg->inode_pid))
				return -ENOMEM;
			tmp.holders_one_proto = agg->holders_one_proto;
			tmp.holders_proto = agg->holders_proto;
			rc = sockdump_one(&tmp, (enum diag_dump)d, NULL, st, &intr);
			if (!rc && !intr)
				rc = sockets_merge(agg, &tmp);
			sockets_free(&tmp);
			if (!intr)
				break;
			st->restarts++;
		}
		if (attempt > NL_DUMP_RETRIES) {
			st->dumped[d] = false;
			sockdump_problem(st, "%s dump: the table kept changing (NLM_F_DUMP_INTR)",
					 diag_dumps[d].name);
		}
		if (rc)
			st->ok[diag_dumps[d].counter] = false;
	}
	return rc;
}

int sockdump_replay(struct sockets *agg, const char *path, enum diag_proto proto,
		    struct sockdump_status *st)
{
	struct dump_ctx c = { agg, proto, st, { 0, "" }, 0 };
	struct nl_handler h = { sockdump_msg_cb, &c };
	struct nl_error e;
	bool intr = false;
	FILE *f = fopen(path, "rb");
	int rc;

	if (!f) {
		rc = -errno;
		sockdump_problem(st, "%s: %s", path, strerror(-rc));
		st->ok[proto] = false;
		return rc;
	}
	rc = nl_replay(f, &h, &intr, &e);
	fclose(f);
	st->ok[proto] = rc == 0;
	/* a recording holds the sharing protocol's replies among its own
	 * (sockdump_live) or none (ss -D): counted in the same sums, but an
	 * MPTCP connection's reply reads as TCP's (sk_protocol as a u8) */
	{
		enum diag_dump sd = diag_sharing_dump(proto);

		st->dumped[sd] = false;
		snprintf(st->not_dumped[sd], sizeof(st->not_dumped[sd]),
			 "a recorded dump does not tell %s sockets from %s ones: those it holds "
			 "are counted as %s", diag_dumps[sd].label, diag_proto_label(proto),
			 diag_proto_label(proto));
	}
	if (rc) {
		if (c.err.msg[0])
			sockdump_problem(st, "%s: offset %ld: malformed reply: %s", path, e.offset,
					 c.err.msg);
		else if (rc == -EBADMSG)
			sockdump_problem(st, "%s: offset %ld: %s", path, e.offset, e.msg);
		else
			sockdump_problem(st, "%s: offset %ld: the recorded dump ends in an error: %s",
					 path, e.offset, e.msg);
	}
	if (intr)
		sockdump_problem(st, "%s: the recorded dump was interrupted (NLM_F_DUMP_INTR): it "
				 "may miss or double-count sockets", path);
	return rc;
}
