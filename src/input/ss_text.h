/* ss_text.h - reader of the text iproute2's ss prints with -m (skmem) and
 * -i (tcp_info): "ss -tmi", "ss -tmni", "ss -peaonmi" (what sos records),
 * with or without the Netid column, the continuation lines (TAB-indented,
 * or not at all as some copies have them) that carry skmem:(...) and
 * tcp_info, users:(("name",pid=..,fd=..)), ino: and uid:, and older ss
 * without the drops field (d) or with only mem:(r,w,f,t).  Each TCP or UDP
 * socket becomes a struct diag_sock as a sock_diag dump would give it;
 * other sockets (unix, netlink, packet) are counted and skipped.  Pure: no
 * I/O. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKMEM_SS_TEXT_H
#define SOCKMEM_SS_TEXT_H

#include "diag.h"

/* What ss -p says about a socket's process (the first one listed). */
struct ss_text_proc {
	bool known;
	uint32_t pid;
	char comm[64];		/* escaped */
};

struct ss_text_stats {
	uint64_t sockets[DP_COUNT];	/* TCP and UDP sockets read */
	uint64_t without_mem;		/* of them, without skmem or mem */
	uint64_t other;			/* other protocols, skipped */
	uint64_t unresolved_ports;	/* a service name instead of a number (ss without -n) */
	bool netid_column;
};

/* Called for each TCP or UDP socket; a non-zero return stops the parse. */
typedef int (*ss_text_cb)(const struct diag_sock *d, const struct ss_text_proc *p, void *arg);

/* Whether buf looks like ss output (a "State" or "Netid" header, or a first
 * line that starts with a socket's protocol or state). */
bool ss_text_detect(const char *buf, size_t len);

/**
 * ss_text_parse() - read ss -m output, one socket at a time
 * @buf: the text
 * @len: its length
 * @cb: called for each TCP and UDP socket
 * @arg: passed to @cb
 * @st: counts (zeroed first)
 * @err: where a failure is described
 *
 * A NUL byte, a cut last line, a skmem:( or users:( that is not closed, a
 * value that is not a number and a socket line with too few columns are
 * errors (with the line); unknown fields are skipped.
 * Return: 0, what @cb returned, or -EINVAL/-ERANGE with @err set.
 */
int ss_text_parse(const char *buf, size_t len, ss_text_cb cb, void *arg, struct ss_text_stats *st,
		  struct parse_err *err);

#endif
