/* snapshot.h - the format of a "sockmem snapshot" directory, both ways: the
 * files it holds (the kernel files of host_inputs[] under their own paths,
 * the sock_diag dumps, the metadata file), sockmem-snapshot.meta written and
 * parsed, the dump paths, and writing or clearing such a directory without
 * following symbolic links.  Never prints. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKMEM_SNAPSHOT_H
#define SOCKMEM_SNAPSHOT_H

#include "diag.h"
#include "sysinfo.h"
#include "util.h"

struct host;

/* DIR/sockmem-snapshot.meta: what the tree cannot say about itself. */
#define SNAPSHOT_META_FILE "sockmem-snapshot.meta"
/* Recorded sock_diag dumps (the raw format of "ss -D"): DIR/sock_diag/{tcp,udp}.dump */
#define SNAPSHOT_DIAG_DIR "sock_diag"

/* Longest string value of the metadata that is read (a kernel release is
 * at most 64 characters, the time 20). */
#define SNAPSHOT_VALUE_MAX 64

/* The metadata.  "key=value" lines, '#' starts a comment; keys it does not
 * know (a newer sockmem's) are ignored.  Strings are "" when not known and
 * kept with control and non-ASCII bytes escaped as \xNN. */
struct snapshot_meta {
	struct opt page_size_bytes;
	struct opt possible_cpus;
	char kernel_release[4 * SNAPSHOT_VALUE_MAX + 1];
	char time[4 * SNAPSHOT_VALUE_MAX + 1];		/* ISO 8601 UTC */
	char sockmem_version[4 * SNAPSHOT_VALUE_MAX + 1];
};

/**
 * snapshot_meta_parse() - read sockmem-snapshot.meta
 * @buf: the file's text
 * @len: its length
 * @m: filled (zeroed first)
 * @err: where a failure is described
 *
 * "possible_cpus=#N" (sockmem 0.1.0's way of writing an unknown count) is read
 * as not known.  A value that is not a number, a string longer than
 * SNAPSHOT_VALUE_MAX, a duplicate key or a line without '=' is an error.
 * Return: 0, or -EINVAL/-ERANGE/-ENOMEM with @err set.
 */
int snapshot_meta_parse(const char *buf, size_t len, struct snapshot_meta *m,
			struct parse_err *err);

/* What a snapshot of h records: its page size, kernel release, possible CPUs,
 * the time of the collection and this sockmem's version. */
void snapshot_meta_from_host(struct snapshot_meta *m, const struct host *h);

/* Enough for any snapshot_meta_format() text. */
#define SNAPSHOT_META_MAX 2048

/**
 * snapshot_meta_format() - the text of sockmem-snapshot.meta for @m
 * @buf: receives it, NUL-terminated
 * @size: room in @buf (SNAPSHOT_META_MAX is enough)
 * @m: the metadata; what is not known is left out
 *
 * Return: the length of the text, or -ENOSPC.
 */
int snapshot_meta_format(char *buf, size_t size, const struct snapshot_meta *m);

/* "sock_diag/tcp.dump": a protocol's dump inside a snapshot (static). */
const char *snapshot_dump_rel(enum diag_proto proto);

/**
 * snapshot_dump_path() - where the sock_diag dump of one protocol is
 * @buf: receives "ROOT/sock_diag/tcp.dump", or "sock_diag/tcp.dump" without a root
 * @size: room in @buf
 * @root: the snapshot directory, or NULL or "" for the path relative to it
 * @proto: DP_TCP, DP_UDP
 *
 * Return: 0, or -ENAMETOOLONG (@buf is then "").
 */
int snapshot_dump_path(char *buf, size_t size, const char *root, enum diag_proto proto);

/**
 * snapshot_foreach_file() - every file a snapshot can hold
 * @fn: called with each path relative to the snapshot directory: the inputs
 *      of host_inputs[] (the metadata among them), then the dumps; a non-zero
 *      return stops the walk
 * @arg: passed to @fn
 *
 * Return: 0, or what @fn returned.
 */
int snapshot_foreach_file(int (*fn)(const char *rel, void *arg), void *arg);

/* True if dir holds a snapshot's metadata file (a regular file, not a link). */
bool snapshot_is_snapshot(const char *dir);

/**
 * snapshot_clear() - remove an earlier snapshot's files from @dir
 * @dir: a snapshot directory
 * @bad: receives the relative path that stopped it, on failure
 * @badsz: room in @bad
 *
 * Removes every file of snapshot_foreach_file() and nothing else.  No
 * symbolic link is followed: a link in the place of a file is removed
 * itself; one in the place of a directory, or a directory in the place of a
 * file, stops it (-ENOTDIR, -EISDIR) before anything else is removed.
 * Return: 0 or -errno.
 */
int snapshot_clear(const char *dir, char *bad, size_t badsz);

/* Creates DIR/REL (and its parents) for writing, following no symbolic link
 * and replacing nothing; returns the fd or -errno. */
int snapshot_create_file(const char *dir, const char *rel);

/**
 * snapshot_write_file() - create @dir/@rel with the given bytes
 * @dir: the snapshot directory
 * @rel: the path inside it; missing directories are made (0755)
 * @buf: the content
 * @len: its length
 *
 * No symbolic link is followed, and a file that exists is not written into
 * (-EEXIST): snapshot_clear() an earlier snapshot first.
 * Return: 0 or -errno.
 */
int snapshot_write_file(const char *dir, const char *rel, const char *buf, size_t len);

#endif
