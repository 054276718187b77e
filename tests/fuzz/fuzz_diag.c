/* fuzz_diag.c - libFuzzer harness: the sock_diag message stream (what a
 * replayed "ss -D" dump feeds in): netlink framing, NLMSG_ERROR/DONE,
 * inet_diag_msg and its attributes, into the streaming aggregator. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "nl.h"
#include "sockets.h"

static int fuzz_msg_cb(const struct nlmsghdr *nlh, void *data)
{
	struct sockets *s = data;
	struct diag_sock d;
	struct parse_err e;
	int rc = diag_parse(nlh, DP_TCP, &d, &e);

	return rc ? rc : sockets_add(s, &d);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct sockets_params par = { 4096, true, 33554432, 4194304, 16384 };
	struct sockets s;
	struct nl_handler h = { fuzz_msg_cb, &s };
	struct nl_error e;
	struct sock_entry top[3];
	bool intr = false;
	FILE *f;

	if (sockets_init(&s, &par, size % 2 ? BY_PORT : BY_SOCKET, 3, NULL))
		return 0;
	/* both paths: one receive buffer, and a file replay */
	(void)nl_process(data, size, 0, 0, &h, &intr, &e);
	f = fmemopen((void *)data, size, "rb");
	if (f) {
		(void)nl_replay(f, &h, &intr, &e);
		fclose(f);
	}
	(void)sockets_top(&s, top, 3);
	sockets_free(&s);
	return 0;
}
