/* protocols.h - parser for /proc/net/protocols (net/core/sock.c proto_seq_show):
 * per protocol the socket count (per netns), the memory counter in pages
 * (global; -1 without accounting) and the live pressure flag (yes/no/NI). */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKMEM_PROTOCOLS_H
#define SOCKMEM_PROTOCOLS_H

#include "util.h"

enum press_flag {
	PRESS_UNKNOWN = 0, /* not read (file absent or protocol not listed) */
	PRESS_NI,	   /* protocol has no memory_pressure ("NI") */
	PRESS_NO,
	PRESS_YES,
};

struct protocols_row {
	const char *name;	/* in the parsed text: name_len bytes, not NUL-terminated */
	size_t name_len;
	struct opt sockets;
	bool has_memory;	/* memory column is not -1 */
	uint64_t memory_pages;
	enum press_flag press;
};

/* Rows kept inside struct protocols.  A kernel that registers more protocols
 * (every module loaded) has the rest on the heap: protocols_free(). */
#define PROTOCOLS_IN_PLACE 48

/* A checked /proc/net/protocols.  The rows point into the text (not copied:
 * it must outlive the struct).  Any number of rows and columns, names of any
 * length; columns are found by their header name. */
struct protocols {
	struct protocols_row in_place[PROTOCOLS_IN_PLACE];
	struct protocols_row *more;	/* rows beyond in_place, malloc'ed */
	int nrows;
	int more_cap;
};

/**
 * protocols_parse() - check /proc/net/protocols and index its rows
 * @buf: the file's text; the rows point into it, so it must live as long
 * @len: its length
 * @out: the parsed file (empty on failure); its earlier contents are not
 *       looked at
 * @err: where a failure is described
 *
 * Return: 0, or -EINVAL/-ERANGE/-ENOMEM with @err->line and @err->msg set.
 */
int protocols_parse(const char *buf, size_t len, struct protocols *out, struct parse_err *err);
/* Releases the rows beyond PROTOCOLS_IN_PLACE; p is empty afterwards. */
void protocols_free(struct protocols *p);
const struct protocols_row *protocols_find(const struct protocols *p, const char *name);
const char *protocols_press_name(enum press_flag f);

#endif
