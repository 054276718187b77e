/* protocols.h - parser for /proc/net/protocols (net/core/sock.c proto_seq_show):
 * per protocol the socket count (per netns), the memory counter in pages
 * (global; -1 without accounting) and the live pressure flag (yes/no/NI). */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKMEM_PROTOCOLS_H
#define SOCKMEM_PROTOCOLS_H

#include "util.h"

#define PROTOCOLS_MAX 64
#define PROTOCOLS_MAX_COLS 64	/* the kernel prints 26 */

enum press_flag {
	PRESS_UNKNOWN = 0, /* not read (file absent or protocol not listed) */
	PRESS_NI,	   /* protocol has no memory_pressure ("NI") */
	PRESS_NO,
	PRESS_YES,
};

struct protocols_row {
	char name[24];
	struct opt sockets;
	bool has_memory;	/* memory column is not -1 */
	uint64_t memory_pages;
	enum press_flag press;
};

struct protocols {
	struct protocols_row row[PROTOCOLS_MAX];
	int nrows;
};

int protocols_parse(const char *buf, size_t len, struct protocols *out, struct parse_err *err);
const struct protocols_row *protocols_find(const struct protocols *p, const char *name);
const char *protocols_press_name(enum press_flag f);

#endif
