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

#include "host.h"
#include "output.h"
#include "snapshot.h"
#include "sockdump.h"
#include "cli.h"

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

/* mkdir -p for the parents of rel inside dir. */
static int snap_mkparents(const char *dir, const char *rel)
{
	char path[PATH_MAX];
	char *p;
	int n = snprintf(path, sizeof(path), "%s/%s", dir, rel);

	if (n < 0 || (size_t)n >= sizeof(path))
		return -ENAMETOOLONG;
	for (p = path + strlen(dir) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		if (mkdir(path, 0755) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	return 0;
}

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

/* Copies one root-relative file; returns 1 copied, 0 absent, <0 error (reported). */
/* An archive, or a directory with a capture's command outputs. */
static bool snap_root_is_capture(const char *root)
{
	char path[PATH_MAX + 32];
	struct stat st;

	if (!root || stat(root, &st))
		return false;
	if (S_ISREG(st.st_mode))
		return true;
	snprintf(path, sizeof(path), "%s/sos_commands", root);
	if (access(path, F_OK) == 0)
		return true;
	snprintf(path, sizeof(path), "%s/insights_commands", root);
	return access(path, F_OK) == 0;
}

static int snap_copy(const char *rel)
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
		return rc;
	}
	rc = snapshot_write_file(snap_dir, rel, buf, len);
	free(buf);
	if (rc) {
		char p[PATH_MAX + 300];

		snprintf(p, sizeof(p), "%s/%s", snap_dir, rel);
		sm_error(p, "cannot write: %s", strerror(-rc));
		return rc;
	}
	return 1;
}

/* Live dump of this namespace's TCP and UDP sockets into DIR/sock_diag/. */
static int snap_record_sockets(json_t *files)
{
	struct sockets_params par = { 4096, false, 0, 0, 0 };
	struct sockdump_status st;
	struct sockets agg;
	FILE *rec[DP_COUNT] = { NULL, NULL };
	char path[PATH_MAX + 64];
	int p, rc = 0, n = 0;

	memset(&st, 0, sizeof(st));
	if (snap_mkparents(snap_dir, SNAPSHOT_DIAG_DIR "/x") || sockets_init(&agg, &par, BY_SOCKET, 0, NULL)) {
		sm_error(snap_dir, "cannot create " SNAPSHOT_DIAG_DIR "/");
		return -EIO;
	}
	for (p = 0; p < DP_COUNT; p++) {
		int fd;

		snprintf(path, sizeof(path), "%s/" SNAPSHOT_DIAG_DIR "/%s.dump", snap_dir,
			 diag_proto_name(p));
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
		rec[p] = fd >= 0 ? fdopen(fd, "wb") : NULL;
		if (!rec[p]) {
			sm_error(path, "cannot write: %s", strerror(errno));
			if (fd >= 0)
				close(fd);
			rc = -EIO;
			goto out;
		}
	}
	rc = sockdump_live(&agg, rec, &st);
	for (p = 0; p < st.nproblems; p++)
		sm_error("sockets", "%s", st.problem[p]);
	for (p = 0; p < DP_COUNT; p++) {
		if (fclose(rec[p]) && !rc)
			rc = -EIO;
		rec[p] = NULL;
		if (st.ok[p]) {
			char rel[64];

			snprintf(rel, sizeof(rel), SNAPSHOT_DIAG_DIR "/%s.dump", diag_proto_name(p));
			json_array_append_new(files, json_string(rel));
			n++;
		}
	}
	if (st.partial && !rc)
		rc = -EIO;
out:
	for (p = 0; p < DP_COUNT; p++)
		if (rec[p])
			fclose(rec[p]);
	sockets_free(&agg);
	return rc < 0 ? rc : n;
}

int cmd_snapshot_run(void)
{
	struct snapshot_meta meta;
	char text[SNAPSHOT_META_MAX];
	struct host *h;
	int copied = 0, absent = 0, failed = 0, rc, n;
	int i;
	json_t *files;

	if (sm_check_root(sm_common.root))
		return SM_EXIT_ERROR;
	if (snap_root_is_capture(sm_common.root)) {
		sm_error(sm_common.root, "a capture (sosreport, insights archive) is read with --root "
			 "as it is: its sysctls, release and counters are in command outputs that a "
			 "snapshot does not hold");
		return SM_EXIT_ERROR;
	}
	if (snap_prepare_dir(snap_dir))
		return SM_EXIT_ERROR;
	h = malloc(sizeof(*h));
	files = json_array();
	if (!h || !files) {
		free(h);
		json_decref(files);
		sm_error("snapshot", "out of memory");
		return SM_EXIT_ERROR;
	}

	/* Metadata first, what the tree cannot say about itself (page size above
	 * all): an interrupted snapshot is still one that --force replaces. */
	host_collect(h, sm_common.root, sm_common.page_size);
	snapshot_meta_from_host(&meta, h);
	n = snapshot_meta_format(text, sizeof(text), &meta);
	rc = n < 0 ? n : snapshot_write_file(snap_dir, SNAPSHOT_META_FILE, text, (size_t)n);
	if (rc) {
		sm_error(snap_dir, "cannot write " SNAPSHOT_META_FILE ": %s", strerror(-rc));
		failed++;
	}

	for (i = 0; i < (int)host_ninputs; i++) {
		const char *rel = host_inputs[i].path;

		if (host_inputs[i].origin != HOST_KERNEL)
			continue;	/* the metadata, written above */
		rc = snap_copy(rel);
		if (rc > 0) {
			copied++;
			json_array_append_new(files, json_string(rel));
		} else if (rc == 0) {
			absent++;
		} else {
			failed++;
		}
	}

	/* The per-socket view, recorded in the format of "ss -D" (raw netlink
	 * replies), one file per protocol.  From a --root tree: copied. */
	if (sm_common.root) {
		for (i = 0; i < DP_COUNT; i++) {
			char rel[64];

			snapshot_dump_path(rel, sizeof(rel), NULL, (enum diag_proto)i);
			rc = snap_copy(rel);
			if (rc > 0) {
				copied++;
				json_array_append_new(files, json_string(rel));
			} else if (rc < 0) {
				failed++;
			}
		}
	} else if (!sm_common.no_sockets) {
		rc = snap_record_sockets(files);
		if (rc > 0)
			copied += rc;
		else if (rc < 0)
			failed++;
	}

	if (sm_common.json) {
		json_t *doc = output_json_envelope("snapshot");

		json_object_set_new(doc, "directory", json_string(snap_dir));
		json_object_set_new(doc, "partial", json_boolean(failed > 0));
		json_object_set_new(doc, "files", files);
		json_object_set_new(doc, "files_absent", json_integer(absent));
		json_object_set_new(doc, "files_failed", json_integer(failed));
		json_object_set_new(doc, "page_size_bytes", json_integer((json_int_t)h->page_size_bytes));
		output_json_dump(stdout, doc);
		json_decref(doc);
	} else {
		json_decref(files);
		printf("snapshot %s: %d files copied, %d absent on this system, %d failed; page size "
		       "%llu bytes\n", snap_dir, copied, absent, failed,
		       (unsigned long long)h->page_size_bytes);
	}
	host_free(h);
	free(h);
	return failed ? SM_EXIT_PARTIAL : SM_EXIT_OK;
}
