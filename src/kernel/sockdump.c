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

int sockdump_live(struct sockets *agg, FILE *record[DP_COUNT], struct sockdump_status *st)
{
	static const int families[] = { AF_INET, AF_INET6 };
	int attempt, p, f, rc = 0;
	long start[DP_COUNT] = { 0, 0 };

	for (p = 0; p < DP_COUNT; p++)
		if (record && record[p])
			start[p] = ftell(record[p]);
	for (attempt = 0; attempt <= NL_DUMP_RETRIES; attempt++) {
		bool intr = false;

		sockets_reset(agg);
		st->nproblems = 0;
		st->partial = false;
		st->messages = 0;
		for (p = 0; p < DP_COUNT && !intr; p++) {
			st->ok[p] = true;
			for (f = 0; f < 2 && !intr; f++) {
				char req[DIAG_REQ_SIZE];
				struct nlmsghdr *nlh = diag_build_request(req, families[f], p, st->want_info);
				struct dump_ctx c = { agg, (enum diag_proto)p, st, { 0, "" } };
				struct nl_handler h = { sockdump_msg_cb, &c };
				struct nl_error e;

				if (families[f] == AF_INET6 && st->skip_v6[p])
					continue;
				rc = nl_dump(nlh, &h, record ? record[p] : NULL, &intr, &e);
				if (rc == 0)
					continue;
				if (families[f] == AF_INET6 && (rc == -EAFNOSUPPORT || rc == -ENOENT ||
								rc == -EINVAL))
					continue; /* IPv6 disabled */
				st->ok[p] = false;
				if (c.err.msg[0])
					sockdump_problem(st, "%s dump: malformed reply: %s",
							 diag_proto_name(p), c.err.msg);
				else if (rc == -ENOENT || rc == -EPROTONOSUPPORT)
					sockdump_problem(st, "%s dump: %s (is the %s_diag module available?)",
							 diag_proto_name(p), e.msg, diag_proto_name(p));
				else
					sockdump_problem(st, "%s dump: %s", diag_proto_name(p), e.msg);
				break;
			}
		}
		if (!intr)
			break;
		st->restarts++;
		for (p = 0; p < DP_COUNT; p++)
			if (record && record[p]) {
				fflush(record[p]);
				if (ftruncate(fileno(record[p]), start[p]) == 0)
					fseek(record[p], start[p], SEEK_SET);
			}
	}
	if (attempt > NL_DUMP_RETRIES)
		sockdump_problem(st, "the socket tables kept changing during the dump "
				 "(NLM_F_DUMP_INTR): figures may miss or double-count sockets");
	return st->ok[DP_TCP] || st->ok[DP_UDP] ? 0 : (rc ? rc : -EIO);
}

int sockdump_replay(struct sockets *agg, const char *path, enum diag_proto proto,
		    struct sockdump_status *st)
{
	struct dump_ctx c = { agg, proto, st, { 0, "" } };
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
