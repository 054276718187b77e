/* fuzz_nstattext.c - libFuzzer harness: nstat and netstat -s output turned
 * into /proc/net/netstat text; what they make must always be text that
 * netstat_parse() accepts (the first byte picks the reader). */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <stdlib.h>

#include "netstat.h"
#include "nstat_text.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	const char *b = (const char *)data + 1;
	struct nstat_text t;
	struct netstat n;
	struct parse_err e;
	int rc;

	if (!size)
		return 0;
	size--;
	rc = data[0] % 2 ? nstat_text_parse_netstat_s(b, size, &t, &e)
			 : nstat_text_parse(b, size, &t, &e);
	if (rc)
		return 0;
	/* an empty result (no counter sockmem can name) is the only refusal */
	if (t.len && netstat_parse(t.text, t.len, &n, &e))
		abort();
	(void)netstat_get(&n, "TcpExt", "TCPMemoryPressures");
	free(t.text);
	return 0;
}
