/* cmd_snapshot.c - "sockmem snapshot DIR": copies every file show reads,
 * under the same relative paths, plus a metadata file, so that
 * "sockmem --root DIR show" reproduces the report on any machine.
 * Writes nothing outside DIR; refuses a non-empty DIR without --force, and
 * with it replaces only an earlier snapshot (whose files it removes first).
 * The format itself is snapshot.c's. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "collect.h"
#include "output.h"
#include "snapshot.h"

static const char *snap_dir;
static bool snap_force;

static error_t snapshot_parse(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[0] = NULL;
		break;
	case 'f':
		snap_force = true;
		break;
	case ARGP_KEY_ARG:
		if (snap_dir)
			argp_error(state, "unexpected argument '%s'", arg);
		snap_dir = arg;
		break;
	case ARGP_KEY_END:
		if (!snap_dir)
			argp_error(state, "no directory given");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp_option snapshot_options[] = {
	{ "force", 'f', NULL, 0, "Replace the snapshot in DIR: first remove every file an earlier "
	  "snapshot wrote there (DIR must hold " SNAPSHOT_META_FILE ")", 0 },
	{ 0 }
};

const struct argp cmd_snapshot_argp = {
	snapshot_options, snapshot_parse, "DIR",
	"Copy every input of 'sockmem show' into DIR under the same paths (DIR/proc/net/sockstat, "
	"DIR/proc/sys/net/ipv4/tcp_mem, ...) with a metadata file " SNAPSHOT_META_FILE " (page size, "
	"kernel release, possible CPUs, time, sockmem version) and the TCP and UDP sock_diag dumps "
	"of this network namespace in DIR/" SNAPSHOT_DIAG_DIR "/{tcp,udp}.dump (the raw format of "
	"'ss -D'; not with --no-sockets).  'sockmem --root DIR show' then reproduces the report on "
	"any machine.  Files absent on this system stay absent.",
	sm_children_snapshot, NULL, NULL
};

static int snap_prepare_dir(const char *dir)
{
	char bad[256];
	DIR *d;
	struct dirent *e;
	bool empty = true;
	int rc;

	if (mkdir(dir, 0755) == 0)
		return 0;
	if (errno != EEXIST) {
		sm_error(dir, "cannot create: %s", strerror(errno));
		return -1;
	}
	d = opendir(dir);
	if (!d) {
		sm_error(dir, "%s", strerror(errno));
		return -1;
	}
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			empty = false;
	closedir(d);
	if (empty)
		return 0;
	if (!snap_force) {
		sm_error(dir, "directory is not empty (use --force to replace the snapshot in it)");
		return -1;
	}
	/* --force: only over a snapshot, and none of the old files stays to be
	 * read with the new ones */
	if (!snapshot_is_snapshot(dir)) {
		sm_error(dir, "not a snapshot (no " SNAPSHOT_META_FILE "): --force replaces only "
			 "an earlier snapshot");
		return -1;
	}
	rc = snapshot_clear(dir, bad, sizeof(bad));
	if (rc) {
		sm_error(dir, "cannot remove the earlier snapshot's %s: %s", bad,
			 rc == -ENOTDIR ? "a directory on its path is a symbolic link or a file"
			 : rc == -EISDIR ? "it is a directory" : strerror(-rc));
		return -1;
	}
	return 0;
}

/* Copies one root-relative file; returns 1 copied, 0 absent, <0 error
 * (reported, and in h's problems for the JSON). */
static int snap_copy(struct host *h, const char *rel)
{
	char *buf = NULL;
	size_t len = 0;
	int rc;

	rc = host_read_file(sm_common.root, rel, &buf, &len);
	if (rc == -ENOENT)
		return 0;
	if (rc) {
		char p[PATH_MAX + 300];

		snprintf(p, sizeof(p), "%s/%s", sm_common.root ? sm_common.root : "", rel);
		sm_error(p, "cannot read: %s", strerror(-rc));
		host_problem_add(h, p, rc, NULL);
		return rc;
	}
	rc = snapshot_write_file(snap_dir, rel, buf, len);
	free(buf);
	if (rc) {
		char p[PATH_MAX + 300];

		snprintf(p, sizeof(p), "%s/%s", snap_dir, rel);
		sm_error(p, "cannot write: %s", strerror(-rc));
		host_problem_add(h, p, rc, NULL);
		return rc;
	}
	return 1;
}

int cmd_snapshot_run(void)
{
	struct report_snapshot rs = { 0 };
	struct snapshot_meta meta;
	char text[SNAPSHOT_META_MAX];
	struct host *h;
	int rc, n, i, ret = SM_EXIT_ERROR;

	if (sm_check_root(sm_common.root))
		return SM_EXIT_ERROR;
	h = malloc(sizeof(*h));
	if (!h) {
		sm_error("snapshot", "out of memory");
		return SM_EXIT_ERROR;
	}
	rs.directory = snap_dir;
	rs.h = h;
	host_collect(h, sm_common.root, sm_common.page_size);
	/* a snapshot copies a /proc-shaped tree: nothing is made from anything else */
	if (host_is_capture(h)) {
		sm_error(sm_common.root, "a capture (sosreport, insights archive) is read with --root "
			 "as it is: its sysctls, release and counters are in command outputs that a "
			 "snapshot does not hold");
		goto out;
	}
	if (h->root_file) {
		sm_error(sm_common.root, "not a directory: a snapshot copies a directory tree");
		goto out;
	}
	if (snap_prepare_dir(snap_dir))
		goto out;

	/* Metadata first, what the tree cannot say about itself (page size above
	 * all): an interrupted snapshot is still one that --force replaces. */
	rs.page_size_bytes = h->page_size_bytes;
	snapshot_meta_from_host(&meta, h);
	n = snapshot_meta_format(text, sizeof(text), &meta);
	rc = n < 0 ? n : snapshot_write_file(snap_dir, SNAPSHOT_META_FILE, text, (size_t)n);
	if (rc) {
		sm_error(snap_dir, "cannot write " SNAPSHOT_META_FILE ": %s", strerror(-rc));
		rs.failed++;
	}
	for (i = 0; i < (int)host_ninputs; i++) {
		const char *rel = host_inputs[i].path;

		if (host_inputs[i].origin != HOST_KERNEL)
			continue;	/* the metadata, written above */
		rc = snap_copy(h, rel);
		if (rc > 0 && report_snapshot_add(&rs, rel))
			goto nomem;
		rs.absent += rc == 0;
		rs.failed += rc < 0;
	}
	/* The per-socket view, recorded in the format of "ss -D" (raw netlink
	 * replies), one file per protocol.  From a --root tree: copied. */
	if (sm_common.root) {
		for (i = 0; i < DP_COUNT; i++) {
			rc = snap_copy(h, snapshot_dump_rel((enum diag_proto)i));
			if (rc > 0 && report_snapshot_add(&rs, snapshot_dump_rel((enum diag_proto)i)))
				goto nomem;
			rs.failed += rc < 0;
		}
	} else if (!sm_common.no_sockets) {
		struct collect_out co;
		bool recorded[DP_COUNT];

		rc = collect_record(h, snap_dir, &co, recorded);
		for (i = 0; i < co.st.nproblems; i++) {
			sm_error("sockets", "%s", co.st.problem[i]);
			host_problem_add(h, "sockets", -EIO, co.st.problem[i]);
		}
		for (i = 0; i < DP_COUNT; i++)
			if (recorded[i] && report_snapshot_add(&rs, snapshot_dump_rel((enum diag_proto)i)))
				goto nomem;
		rs.failed += rc < 0 || co.st.partial;
		collect_free(&co);
	}
	rs.partial = rs.failed > 0;
	ret = rs.partial ? SM_EXIT_PARTIAL : SM_EXIT_OK;
	if (sm_common.json) {
		if (cli_print_json(stdout, output_json_snapshot(&rs)))
			ret = SM_EXIT_ERROR;
	} else {
		output_text_snapshot(stdout, &rs);
	}
	goto out;
nomem:
	sm_error("snapshot", "out of memory");
	ret = SM_EXIT_ERROR;
out:
	report_snapshot_free(&rs);
	host_free(h);
	free(h);
	return ret;
}
