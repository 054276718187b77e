/* capture.c - the layout of an input tree and a capture's page size. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "capture.h"

const char *const capture_confidence_name[] = { "certain", "likely", "guess", "none" };

const char *capture_layout_name(enum capture_layout l)
{
	switch (l) {
	case LAYOUT_SOSREPORT: return "sosreport";
	case LAYOUT_INSIGHTS: return "insights archive";
	default: return "proc tree";
	}
}

const char *capture_layout_marker(enum capture_layout l)
{
	switch (l) {
	case LAYOUT_SOSREPORT: return "sos_commands";
	case LAYOUT_INSIGHTS: return "insights_commands";
	default: return NULL;
	}
}

/* The page size tcp_mem[1] implies if it is the kernel's default:
 * tcp_init_mem() sets it to nr_free_buffer_pages() / 16 (/ 8 before 4.x),
 * a little below MemTotal / page size.  0 when it fits no page size. */
static uint64_t capture_page_from_tcp_mem(const struct capture_page_in *in)
{
	static const uint64_t sizes[] = { 4096, 16384, 65536 };
	double r;
	size_t i;

	if (!in->mem_total_bytes.ok || !in->tcp_mem_pressure_pages.ok ||
	    !in->tcp_mem_pressure_pages.v)
		return 0;
	r = (double)in->mem_total_bytes.v / (16.0 * (double)in->tcp_mem_pressure_pages.v);
	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		if (r / (double)sizes[i] >= 0.9 && r / (double)sizes[i] <= 1.25)
			return sizes[i];
	return 0;
}

static bool capture_has(const char *s, const char *w)
{
	return s && strstr(s, w);
}

void capture_page_size(const struct capture_page_in *in, struct capture_page_out *out)
{
	const char *m = in->machine ? in->machine : "", *rel = in->release ? in->release : "";
	uint64_t tcp = capture_page_from_tcp_mem(in);

	memset(out, 0, sizeof(*out));
	out->conf = CONF_NONE;
	if (in->getconf_bytes.ok) {
		out->bytes = in->getconf_bytes.v;
		out->conf = CONF_CERTAIN;
		snprintf(out->why, sizeof(out->why), "%s", in->getconf_from);
	} else if (!strcmp(m, "x86_64") || !strcmp(m, "i686") || !strcmp(m, "i386") ||
		   !strcmp(m, "s390x")) {
		out->bytes = 4096;
		out->conf = CONF_CERTAIN;
		snprintf(out->why, sizeof(out->why), "%s: %s has only 4 KiB pages", in->machine_from, m);
	} else if (!strcmp(m, "aarch64") || !strcmp(m, "arm64") || !strncmp(m, "ppc64", 5)) {
		bool ppc = !strncmp(m, "ppc64", 5);

		out->conf = CONF_LIKELY;
		if (capture_has(rel, "64k")) {
			out->bytes = 65536;
			snprintf(out->why, sizeof(out->why), "%s: %s kernel of the 64k flavour (%s)",
				 in->machine_from, m, rel);
		} else if (capture_has(rel, "16k")) {
			out->bytes = 16384;
			snprintf(out->why, sizeof(out->why), "%s: %s kernel of the 16k flavour (%s)",
				 in->machine_from, m, rel);
		} else if (capture_has(rel, "4k")) {
			out->bytes = 4096;
			snprintf(out->why, sizeof(out->why), "%s: %s kernel of the 4k flavour (%s)",
				 in->machine_from, m, rel);
		} else if (ppc) {
			out->bytes = 65536;
			snprintf(out->why, sizeof(out->why), "%s: %s, whose distribution kernels use "
				 "64 KiB pages", in->machine_from, m);
		} else {
			out->bytes = 4096;
			snprintf(out->why, sizeof(out->why), "%s: %s without a 16k or 64k flavour in "
				 "the release: the usual 4 KiB", in->machine_from, m);
		}
	} else if (tcp) {
		out->bytes = tcp;
		out->conf = CONF_GUESS;
		snprintf(out->why, sizeof(out->why), "tcp_mem against MemTotal, if tcp_mem is the "
			 "kernel's default");
		return;
	}
	if (out->bytes && tcp && tcp != out->bytes && out->conf != CONF_CERTAIN) {
		size_t n = strlen(out->why);

		snprintf(out->why + n, sizeof(out->why) - n, "; but tcp_mem against MemTotal suggests "
			 "%llu-byte pages", (unsigned long long)tcp);
		out->conf = CONF_GUESS;
	}
}
