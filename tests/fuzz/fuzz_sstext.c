/* fuzz_sstext.c - libFuzzer harness: ss -m text (ss -tmi, -peaonmi) into
 * the streaming aggregator, as collect.c does with a capture's ss output. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <stdlib.h>

#include "sockets.h"
#include "ss_text.h"

static int add_cb(const struct diag_sock *d, const struct ss_text_proc *p, void *arg)
{
	if (d->nmem > DM_COUNT || (d->proto != DP_TCP && d->proto != DP_UDP))
		abort();
	return sockets_add(arg, d);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct sockets_params par = { 4096, true, 6291456, 4194304, 16384 };
	struct ss_text_stats st;
	struct parse_err e;
	struct sockets agg;

	(void)ss_text_detect((const char *)data, size);
	if (sockets_init(&agg, &par, size % 2 ? BY_SOCKET : BY_PORT, 5, NULL))
		return 0;
	(void)ss_text_parse((const char *)data, size, add_cb, &agg, &st, &e);
	sockets_free(&agg);
	return 0;
}
