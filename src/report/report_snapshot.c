/* report_snapshot.c - the report of "sockmem snapshot": the files written,
 * absent and failed.  Pure. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <stdlib.h>

#include "report.h"

int report_snapshot_add(struct report_snapshot *s, const char *rel)
{
	if (s->nfiles == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		const char **f = realloc(s->files, cap * sizeof(*f));

		if (!f)
			return -ENOMEM;
		s->files = f;
		s->cap = cap;
	}
	s->files[s->nfiles++] = rel;
	s->copied++;
	return 0;
}

void report_snapshot_free(struct report_snapshot *s)
{
	free(s->files);
	s->files = NULL;
	s->nfiles = s->cap = 0;
}
