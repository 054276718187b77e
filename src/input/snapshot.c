/* snapshot.c - the "sockmem snapshot" directory: its files, the metadata
 * file written and parsed, dump paths, clearing and writing without
 * following symbolic links (openat with O_NOFOLLOW, component by component). */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host.h"
#include "snapshot.h"

/* ------------------------------------------------------------ metadata */

static const char meta_header[] = "# sockmem snapshot metadata: key=value, one per line\n";

static int meta_number(const char *key, const char *v, size_t vl, int lineno, struct opt *o,
		       struct parse_err *err)
{
	char safe[64];
	int rc;

	rc = util_parse_u64(v, vl, &o->v);
	if (rc) {
		util_safe_token(safe, sizeof(safe), v, vl < 40 ? vl : 40);
		util_set_err(err, lineno, "%s '%s' is %s", key, safe,
			     rc == -ERANGE ? "out of range (more than 64 bits)"
			     : (vl && v[0] == '-') ? "negative" : "not a number");
		return rc;
	}
	o->ok = true;
	return 0;
}

static int meta_string(const char *key, const char *v, size_t vl, int lineno, char *dst,
		       size_t dstsz, struct parse_err *err)
{
	if (vl > SNAPSHOT_VALUE_MAX) {
		util_set_err(err, lineno, "%s is %zu characters, more than %d", key, vl,
			     SNAPSHOT_VALUE_MAX);
		return -EINVAL;
	}
	util_safe_token(dst, dstsz, v, vl);
	/* what is kept is written back as it is kept (escaped): it must
	 * read back, so the escaped form obeys the same bound */
	if (strlen(dst) > SNAPSHOT_VALUE_MAX) {
		util_set_err(err, lineno, "%s is %zu characters once its control and non-ASCII "
			     "bytes are escaped, more than %d", key, strlen(dst), SNAPSHOT_VALUE_MAX);
		return -EINVAL;
	}
	return 0;
}

static int meta_line(const char *l, size_t ln, int lineno, struct snapshot_meta *m,
		     struct util_strset *keys, struct parse_err *err)
{
	const char *eq = memchr(l, '=', ln), *v;
	size_t kl, vl;
	char skey[64];
	int rc;

	if (!eq) {
		util_set_err(err, lineno, "expected key=value");
		return -EINVAL;
	}
	kl = (size_t)(eq - l);
	v = eq + 1;
	vl = ln - kl - 1;
	util_safe_token(skey, sizeof(skey), l, kl < 40 ? kl : 40);
	rc = util_strset_add(keys, l, kl);
	if (rc) {
		if (rc > 0)
			util_set_err(err, lineno, "duplicate key '%s'", skey);
		else
			util_set_err(err, lineno, "out of memory");
		return rc > 0 ? -EINVAL : rc;
	}
#define KEY(s) (kl == sizeof(s) - 1 && !memcmp(l, s, kl))
	if (KEY("page_size_bytes"))
		return meta_number("page_size_bytes", v, vl, lineno, &m->page_size_bytes, err);
	if (KEY("possible_cpus")) {
		if (vl && v[0] == '#')
			return 0;	/* sockmem 0.1.0 wrote "#0" for "not known" */
		return meta_number("possible_cpus", v, vl, lineno, &m->possible_cpus, err);
	}
	if (KEY("kernel_release"))
		return meta_string("kernel_release", v, vl, lineno, m->kernel_release,
				   sizeof(m->kernel_release), err);
	if (KEY("time"))
		return meta_string("time", v, vl, lineno, m->time, sizeof(m->time), err);
	if (KEY("sockmem_version"))
		return meta_string("sockmem_version", v, vl, lineno, m->sockmem_version,
				   sizeof(m->sockmem_version), err);
#undef KEY
	return 0;		/* written by a newer sockmem */
}

int snapshot_meta_parse(const char *buf, size_t len, struct snapshot_meta *m,
			struct parse_err *err)
{
	struct util_strset keys = { 0 };
	const char *p = buf, *end = buf + len, *l;
	size_t ln;
	int lineno = 0, rc;

	memset(m, 0, sizeof(*m));
	rc = util_text_begin(buf, len, err);
	while (!rc && util_next_line(&p, end, &l, &ln, &lineno))
		if (ln && l[0] != '#')
			rc = meta_line(l, ln, lineno, m, &keys, err);
	util_strset_free(&keys);
	if (rc)
		memset(m, 0, sizeof(*m));
	return rc;
}

void snapshot_meta_from_host(struct snapshot_meta *m, const struct host *h)
{
	memset(m, 0, sizeof(*m));
	m->page_size_bytes = opt_some(h->page_size_bytes);
	m->possible_cpus = h->possible_cpus;
	if (h->kver.ok)
		snprintf(m->kernel_release, sizeof(m->kernel_release), "%s", h->kver.release);
	snprintf(m->time, sizeof(m->time), "%s", h->collected_at);
	snprintf(m->sockmem_version, sizeof(m->sockmem_version), "%s", PACKAGE_VERSION);
}

/* A value that reads back as itself: printable ASCII without the
 * backslash of an escape, within the bound.  Others are left out (the
 * tree's own files still say them). */
static bool meta_value_stable(const char *v)
{
	size_t i;

	for (i = 0; v[i]; i++)
		if ((unsigned char)v[i] < 0x20 || (unsigned char)v[i] >= 0x7f || v[i] == '\\')
			return false;
	return i > 0 && i <= SNAPSHOT_VALUE_MAX;
}

int snapshot_meta_format(char *buf, size_t size, const struct snapshot_meta *m)
{
	size_t n = 0;
	int w;

#define PUT(...)                                                                   \
	do {                                                                       \
		w = snprintf(buf + n, n < size ? size - n : 0, __VA_ARGS__);       \
		if (w < 0)                                                         \
			return -ENOSPC;                                            \
		n += (size_t)w;                                                    \
	} while (0)
	if (size)
		buf[0] = '\0';
	PUT("%s", meta_header);
	if (m->page_size_bytes.ok)
		PUT("page_size_bytes=%llu\n", (unsigned long long)m->page_size_bytes.v);
	if (meta_value_stable(m->kernel_release))
		PUT("kernel_release=%s\n", m->kernel_release);
	if (m->possible_cpus.ok)
		PUT("possible_cpus=%llu\n", (unsigned long long)m->possible_cpus.v);
	if (meta_value_stable(m->time))
		PUT("time=%s\n", m->time);
	if (meta_value_stable(m->sockmem_version))
		PUT("sockmem_version=%s\n", m->sockmem_version);
#undef PUT
	if (n >= size || n > INT_MAX)
		return -ENOSPC;
	return (int)n;
}

/* ---------------------------------------------------------- file list */

const char *snapshot_dump_rel(enum diag_proto proto)
{
	static const char *const rel[DP_COUNT] = { SNAPSHOT_DIAG_DIR "/tcp.dump",
						   SNAPSHOT_DIAG_DIR "/udp.dump" };

	return rel[proto < DP_COUNT ? proto : DP_TCP];
}

int snapshot_dump_path(char *buf, size_t size, const char *root, enum diag_proto proto)
{
	int n;

	if (root && root[0])
		n = snprintf(buf, size, "%s/%s", root, snapshot_dump_rel(proto));
	else
		n = snprintf(buf, size, "%s", snapshot_dump_rel(proto));
	if (n < 0 || (size_t)n >= size) {
		if (size)
			buf[0] = '\0';
		return -ENAMETOOLONG;
	}
	return 0;
}

int snapshot_foreach_file(int (*fn)(const char *rel, void *arg), void *arg)
{
	char rel[64];
	size_t i;
	int p, rc;

	for (i = 0; i < host_ninputs; i++) {
		if (host_inputs[i].origin == HOST_CAPTURE)
			continue;	/* a capture's command output: never in a snapshot */
		rc = fn(host_inputs[i].path, arg);
		if (rc)
			return rc;
	}
	for (p = 0; p < DP_COUNT; p++) {
		rc = snapshot_dump_path(rel, sizeof(rel), NULL, (enum diag_proto)p);
		if (!rc)
			rc = fn(rel, arg);
		if (rc)
			return rc;
	}
	return 0;
}

/* ----------------------------------------------------- the directory */

/* Opens the directory that holds rel below dirfd, one component at a time,
 * never following a symbolic link (a link or a file on the way: -ENOTDIR);
 * create: makes the missing ones.  *base gets rel's last component.
 * Returns an fd or -errno. */
static int open_parent(int dirfd, const char *rel, bool create, const char **base)
{
	char comp[NAME_MAX + 1];
	const char *s = rel, *slash;
	int fd = dup(dirfd);

	if (fd < 0)
		return -errno;
	while ((slash = strchr(s, '/'))) {
		size_t n = (size_t)(slash - s);
		int next;

		if (n == 0 || n > NAME_MAX) {
			close(fd);
			return -EINVAL;
		}
		memcpy(comp, s, n);
		comp[n] = '\0';
		if (create && mkdirat(fd, comp, 0755) && errno != EEXIST) {
			int e = errno;

			close(fd);
			return -e;
		}
		next = openat(fd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (next < 0) {
			int e = errno == ELOOP ? ENOTDIR : errno;

			close(fd);
			return -e;
		}
		close(fd);
		fd = next;
		s = slash + 1;
	}
	*base = s;
	return fd;
}

bool snapshot_is_snapshot(const char *dir)
{
	struct stat st;
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	bool yes;

	if (fd < 0)
		return false;
	yes = fstatat(fd, SNAPSHOT_META_FILE, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode);
	close(fd);
	return yes;
}

struct clear_ctx {
	int dirfd;
	bool remove;		/* false: only check that it can be done */
	const char *bad;
};

static int clear_one(const char *rel, void *arg)
{
	struct clear_ctx *c = arg;
	const char *base;
	struct stat st;
	int fd = open_parent(c->dirfd, rel, false, &base), rc = 0;

	c->bad = rel;
	if (fd == -ENOENT)
		return 0;	/* nothing of it there */
	if (fd < 0)
		return fd;
	if (fstatat(fd, base, &st, AT_SYMLINK_NOFOLLOW))
		rc = errno == ENOENT ? 0 : -errno;
	else if (S_ISDIR(st.st_mode))
		rc = -EISDIR;
	else if (c->remove && unlinkat(fd, base, 0) && errno != ENOENT)
		rc = -errno;
	close(fd);
	return rc;
}

int snapshot_clear(const char *dir, char *bad, size_t badsz)
{
	struct clear_ctx c = { -1, false, "" };
	int rc;

	if (badsz)
		bad[0] = '\0';
	c.dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (c.dirfd < 0)
		return -errno;
	/* everything checked first: a refusal removes nothing */
	rc = snapshot_foreach_file(clear_one, &c);
	if (!rc) {
		c.remove = true;
		rc = snapshot_foreach_file(clear_one, &c);
	}
	if (rc && badsz)
		snprintf(bad, badsz, "%s", c.bad);
	close(c.dirfd);
	return rc;
}

int snapshot_create_file(const char *dir, const char *rel)
{
	const char *base;
	int dirfd, parent, fd;

	dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return -errno;
	parent = open_parent(dirfd, rel, true, &base);
	close(dirfd);
	if (parent < 0)
		return parent;
	fd = openat(parent, base, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		fd = -errno;
	close(parent);
	return fd;
}

int snapshot_write_file(const char *dir, const char *rel, const char *buf, size_t len)
{
	int fd = snapshot_create_file(dir, rel), rc = 0;
	size_t off = 0;

	if (fd < 0)
		return fd;
	while (off < len) {
		ssize_t w = write(fd, buf + off, len - off);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			rc = -errno;
			break;
		}
		off += (size_t)w;
	}
	if (close(fd) && !rc)
		rc = -errno;
	return rc;
}
