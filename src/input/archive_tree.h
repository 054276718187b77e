/* archive_tree.h - a capture archive (sosreport-*.tar.xz, an insights .tar.gz, any
 * tar that libarchive reads) read in place: its members are indexed in
 * memory, never written to disk.  Paths that climb out of the archive, more
 * members or bytes than a capture holds and symbolic-link loops are refused;
 * a member too large to be a kernel file is indexed but not loaded.  Links
 * inside the archive (sos makes proc/net -> self/net) are followed within it.
 * Returns -errno and a message; never prints. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKMEM_ARCHIVE_TREE_H
#define SOCKMEM_ARCHIVE_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A member larger than this is not loaded (reading it gives -EFBIG): the
 * largest file sockmem reads is ss -peaonmi of a busy host (kernel files
 * are held to HOST_MAX_FILE by host.c). */
#define ARCHIVE_MAX_MEMBER_BYTES (64u << 20)
/* What is loaded in all (only the members sockmem may read are), and what
 * the archive may expand to: a capture of the networking, kernel, memory
 * and CPU plugins is a few MiB, a whole sosreport some GiB. */
#define ARCHIVE_MAX_LOADED_BYTES (256u << 20)
#define ARCHIVE_MAX_EXPANDED_BYTES (8ull << 30)
#define ARCHIVE_MAX_MEMBERS 500000
/* Links followed to reach one file (the kernel's MAXSYMLINKS). */
#define ARCHIVE_MAX_LINKS 40

struct archive_tree;

/* What stopped archive_tree_open(). */
struct archive_error {
	char msg[600];
};

/* Whether sockmem was built with libarchive. */
bool archive_supported(void);

/**
 * archive_tree_open() - index an archive file in memory
 * @path: the archive
 * @out: receives the tree (archive_tree_free())
 * @err: what is wrong, on failure
 *
 * A single top directory (sosreport-HOST-DATE/) is the tree's root.
 * Return: 0; -ENOTSUP (built without libarchive), -EINVAL (not an archive,
 * a damaged one, a member path with '..' or an absolute one), -EFBIG (too
 * many members or bytes), -ENOMEM.
 */
int archive_tree_open(const char *path, struct archive_tree **out, struct archive_error *err);
void archive_tree_free(struct archive_tree *t);

/**
 * archive_tree_read() - the content of a file of the tree
 * @t: the tree
 * @rel: path relative to its root ("proc/net/sockstat"), links followed
 * @buf: receives a malloc'ed copy
 * @len: its length
 *
 * Return: 0, -ENOENT, -EISDIR, -EFBIG (member not loaded: too large),
 * -ELOOP (more than ARCHIVE_MAX_LINKS links), -ENOMEM.
 */
int archive_tree_read(const struct archive_tree *t, const char *rel, char **buf, size_t *len);

/* Whether rel is a file or a directory of the tree (links followed). */
bool archive_tree_exists(const struct archive_tree *t, const char *rel);

/**
 * archive_tree_list() - the entries of a directory of the tree
 * @t: the tree
 * @dir: the directory ("sos_commands/networking"), links followed
 * @fn: called with each entry's name (not the path); non-zero stops
 * @arg: passed to @fn
 *
 * Return: 0, what @fn returned, or -ENOENT.
 */
int archive_tree_list(const struct archive_tree *t, const char *dir,
		      int (*fn)(const char *name, void *arg), void *arg);

#endif
