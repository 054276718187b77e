/* listinputs.c - prints the inputs of sockmem's host view, one path (relative
 * to the root) per line, from host_inputs[]: the table that host_collect()
 * reads and "sockmem snapshot" copies, so that tests are generated from it
 * rather than from a list of their own.
 *   listinputs [--expected | --optional | --sysctl | --kernel | --snapshot]
 * --expected: files whose absence makes the report partial; --optional: the
 * other kernel files; --sysctl: the sysctls, in enum sysctl_id order;
 * --kernel: every file of the running kernel (what a snapshot copies);
 * --snapshot: every file a snapshot can hold (snapshot_foreach_file()). */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "host.h"
#include "snapshot.h"

static int print_file(const char *rel, void *arg)
{
	return puts(rel) < 0;
}

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "";
	size_t i;

	if (argc > 2 || (argc == 2 && strcmp(what, "--expected") && strcmp(what, "--optional") &&
			 strcmp(what, "--sysctl") && strcmp(what, "--kernel") &&
			 strcmp(what, "--snapshot"))) {
		fprintf(stderr, "usage: listinputs [--expected | --optional | --sysctl | --kernel | "
			"--snapshot]\n");
		return 64;
	}
	if (!strcmp(what, "--snapshot"))
		return snapshot_foreach_file(print_file, NULL) || fflush(stdout) ? 1 : 0;
	if (!strcmp(what, "--sysctl")) {
		for (i = 0; i < SC_COUNT; i++)
			puts(host_sysctl_input((enum sysctl_id)i)->path);
		return fflush(stdout) ? 1 : 0;
	}
	for (i = 0; i < host_ninputs; i++) {
		const struct host_input *in = &host_inputs[i];

		if ((!strcmp(what, "--expected") && !in->expected) ||
		    (!strcmp(what, "--optional") && (in->expected || in->origin != HOST_KERNEL)) ||
		    (!strcmp(what, "--kernel") && in->origin != HOST_KERNEL))
			continue;
		puts(in->path);
	}
	return fflush(stdout) ? 1 : 0;
}
