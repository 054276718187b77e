/* capture.h - what kind of input tree --root names (a /proc-shaped tree or
 * snapshot, a sosreport, an insights archive) and the page size of a
 * capture that does not record one, from what it does record: getconf
 * PAGE_SIZE, the architecture and kernel flavour, or the kernel's own
 * default tcp_mem against MemTotal.  Pure: no I/O. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKMEM_CAPTURE_H
#define SOCKMEM_CAPTURE_H

#include "util.h"

enum capture_layout {
	LAYOUT_PROC,		/* proc/, sys/ (a snapshot, a copied tree) */
	LAYOUT_SOSREPORT,	/* sos_commands/ */
	LAYOUT_INSIGHTS,	/* insights_commands/ */
};
/* "proc tree", "sosreport", "insights archive" */
const char *capture_layout_name(enum capture_layout l);
/* The directory whose presence tells the layout: "sos_commands", ... or NULL. */
const char *capture_layout_marker(enum capture_layout l);

/* What a capture says that bears on its page size. */
struct capture_page_in {
	struct opt getconf_bytes;	/* getconf PAGE_SIZE */
	const char *getconf_from;	/* its file */
	const char *machine;		/* uname -m: "x86_64", "" when unknown */
	const char *machine_from;
	const char *release;		/* "5.14.0-284.el9.aarch64+64k", "" */
	struct opt mem_total_bytes;
	struct opt tcp_mem_pressure_pages;	/* tcp_mem[1] */
};

enum capture_confidence { CONF_CERTAIN, CONF_LIKELY, CONF_GUESS, CONF_NONE };
extern const char *const capture_confidence_name[];	/* "certain", "likely", "guess", "none" */

struct capture_page_out {
	uint64_t bytes;			/* 0: nothing in the capture tells */
	enum capture_confidence conf;
	char why[256];			/* the rule: "sos_commands/kernel/uname_-a: x86_64 ..." */
};

/**
 * capture_page_size() - a capture's page size from what it records
 * @in: the facts
 * @out: the page size, how sure, and the rule used
 *
 * getconf PAGE_SIZE is certain; an architecture with one page size
 * (x86_64, i686, s390x) is certain; the flavour in the release ("+64k",
 * "-64k", "16k") or an architecture's usual size (aarch64 4 KiB, ppc64le
 * 64 KiB) is likely; tcp_mem against MemTotal (tcp_mem[1] is
 * nr_free_buffer_pages() / 16 unless tuned) is a guess, and is also said
 * when it contradicts the rule used.
 */
void capture_page_size(const struct capture_page_in *in, struct capture_page_out *out);

#endif
