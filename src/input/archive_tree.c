/* archive_tree.c - capture archives read in place through libarchive: one pass
 * over the archive indexes every member (the small ones with their content)
 * in memory, sorted by path; lookups follow the archive's own links.
 * libarchive (and the 20 libraries it needs: some 3.4 MiB of every process's
 * RSS) is loaded with dlopen() when an archive is opened, never at start. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef HAVE_LIBARCHIVE
#include <archive.h>
#include <archive_entry.h>
#endif

#include "archive_tree.h"
#include "dynlib.h"
#include "util.h"

enum archive_kind { AK_FILE, AK_DIR, AK_LINK, AK_HARDLINK, AK_OTHER };

struct archive_member {
	char *path;		/* normalised, relative to the root */
	enum archive_kind kind;
	char *target;		/* AK_LINK: as stored; AK_HARDLINK: normalised path */
	char *data;		/* AK_FILE, loaded */
	size_t len;
	bool too_big;		/* AK_FILE larger than ARCHIVE_MAX_MEMBER_BYTES: not loaded */
	size_t order;		/* position in the archive */
};

struct archive_tree {
	struct archive_member *m;
	size_t n, cap;
};

bool archive_supported(void)
{
#ifdef HAVE_LIBARCHIVE
	return true;
#else
	return false;
#endif
}

/* Normalises the path in (components split on '/', "" and "." dropped).
 * '..' pops a component when clamp (a link's target: as the kernel does at
 * the root, it stays there) and is an error otherwise; so is an absolute
 * path when !clamp.  Returns 0, -EINVAL or -ENAMETOOLONG. */
static int archive_normalise(const char *in, char *out, size_t outsz, bool clamp)
{
	size_t n = 0;
	const char *s = in;

	if (!clamp && in[0] == '/')
		return -EINVAL;
	out[0] = '\0';
	while (*s) {
		const char *e = strchr(s, '/');
		size_t l = e ? (size_t)(e - s) : strlen(s);

		if (l == 0 || (l == 1 && s[0] == '.')) {
			/* nothing */
		} else if (l == 2 && s[0] == '.' && s[1] == '.') {
			if (!clamp)
				return -EINVAL;
			while (n > 0 && out[n - 1] != '/')
				n--;
			if (n > 0)
				n--;
			out[n] = '\0';
		} else {
			if (n + (n ? 1 : 0) + l + 1 > outsz)
				return -ENAMETOOLONG;
			if (n)
				out[n++] = '/';
			memcpy(out + n, s, l);
			n += l;
			out[n] = '\0';
		}
		s += l;
		if (*s == '/')
			s++;
	}
	return 0;
}

static int archive_cmp(const void *a, const void *b)
{
	return strcmp(((const struct archive_member *)a)->path,
		      ((const struct archive_member *)b)->path);
}

static const struct archive_member *archive_find(const struct archive_tree *t, const char *path)
{
	struct archive_member key = { 0 };

	key.path = (char *)path;
	return bsearch(&key, t->m, t->n, sizeof(*t->m), archive_cmp);
}

/* Index of the first member whose path is >= s. */
static size_t archive_lower(const struct archive_tree *t, const char *s)
{
	size_t lo = 0, hi = t->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(t->m[mid].path, s) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Whether some member lies below dir (an implied directory). */
static bool archive_has_below(const struct archive_tree *t, const char *dir)
{
	char pre[PATH_MAX + 2];
	size_t i;
	int n = snprintf(pre, sizeof(pre), "%s/", dir);

	if (n < 0 || (size_t)n >= sizeof(pre))
		return false;
	if (!dir[0])
		return t->n > 0;
	i = archive_lower(t, pre);
	return i < t->n && !strncmp(t->m[i].path, pre, (size_t)n);
}

/* Resolves rel to the path of what it names, following the links of every
 * component.  Returns 0 (out may name an implied directory or nothing),
 * -ELOOP, -ENOTDIR, -ENAMETOOLONG. */
static int archive_resolve(const struct archive_tree *t, const char *rel, char *out, size_t outsz)
{
	char path[PATH_MAX], next[2 * PATH_MAX + 2], cur[PATH_MAX];
	int hops = 0, rc;

	rc = archive_normalise(rel, path, sizeof(path), true);
	if (rc)
		return rc;
restart:
	{
		const char *s = path;
		size_t n = 0;

		cur[0] = '\0';
		while (*s) {
			const char *e = strchr(s, '/');
			size_t l = e ? (size_t)(e - s) : strlen(s);
			const struct archive_member *m;

			if (n + 1 + l + 1 > sizeof(cur))
				return -ENAMETOOLONG;
			if (n)
				cur[n++] = '/';
			memcpy(cur + n, s, l);
			n += l;
			cur[n] = '\0';
			s += l;
			if (*s == '/')
				s++;
			m = archive_find(t, cur);
			if (!m)
				continue;
			if (m->kind == AK_LINK || m->kind == AK_HARDLINK) {
				size_t base = n - l;

				if (++hops > ARCHIVE_MAX_LINKS)
					return -ELOOP;
				/* the directory of the link, its target, the rest */
				if (m->kind == AK_HARDLINK || m->target[0] == '/')
					base = 0;
				else if (base)
					base--;	/* drop the '/' before the link's name */
				rc = snprintf(next, sizeof(next), "%.*s/%s/%s", (int)base, cur, m->target, s);
				if (rc < 0 || (size_t)rc >= sizeof(next))
					return -ENAMETOOLONG;
				rc = archive_normalise(next, path, sizeof(path), true);
				if (rc)
					return rc;
				goto restart;
			}
			if (m->kind != AK_DIR && *s)
				return -ENOTDIR;
		}
		if (strlen(cur) + 1 > outsz)
			return -ENAMETOOLONG;
		memcpy(out, cur, strlen(cur) + 1);
	}
	return 0;
}

int archive_tree_read(const struct archive_tree *t, const char *rel, char **buf, size_t *len)
{
	char path[PATH_MAX];
	const struct archive_member *m;
	int rc = archive_resolve(t, rel, path, sizeof(path));

	if (rc)
		return rc == -ENOTDIR ? -ENOENT : rc;
	m = archive_find(t, path);
	if (!m)
		return archive_has_below(t, path) ? -EISDIR : -ENOENT;
	if (m->kind == AK_DIR)
		return -EISDIR;
	if (m->kind != AK_FILE)
		return -ENOENT;	/* a device, a fifo: nothing to read */
	if (m->too_big || (!m->data && m->len))
		return -EFBIG;
	*buf = malloc(m->len ? m->len : 1);
	if (!*buf)
		return -ENOMEM;
	if (m->len)
		memcpy(*buf, m->data, m->len);
	*len = m->len;
	return 0;
}

bool archive_tree_exists(const struct archive_tree *t, const char *rel)
{
	char path[PATH_MAX];

	if (archive_resolve(t, rel, path, sizeof(path)))
		return false;
	return archive_find(t, path) || archive_has_below(t, path);
}

static int archive_strcmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int archive_tree_list(const struct archive_tree *t, const char *dir,
		      int (*fn)(const char *name, void *arg), void *arg)
{
	char path[PATH_MAX], pre[PATH_MAX + 2];
	char **names = NULL;
	size_t i, k = 0, plen;
	int rc = archive_resolve(t, dir, path, sizeof(path));

	if (rc)
		return rc == -ENOTDIR ? -ENOENT : rc;
	if (!archive_has_below(t, path))
		return -ENOENT;
	snprintf(pre, sizeof(pre), "%s%s", path, path[0] ? "/" : "");
	plen = strlen(pre);
	names = calloc(t->n ? t->n : 1, sizeof(*names));
	if (!names)
		return -ENOMEM;
	/* each entry once: members and the directories implied by deeper ones */
	for (i = archive_lower(t, pre); i < t->n && !strncmp(t->m[i].path, pre, plen); i++) {
		const char *name = t->m[i].path + plen;
		size_t l = strcspn(name, "/"), j;

		for (j = 0; j < k; j++)
			if (strlen(names[j]) == l && !strncmp(names[j], name, l))
				break;
		if (j < k)
			continue;
		names[k] = strndup(name, l);
		if (!names[k]) {
			rc = -ENOMEM;
			break;
		}
		k++;
	}
	qsort(names, k, sizeof(*names), archive_strcmp);
	for (i = 0; i < k && !rc; i++)
		rc = fn(names[i], arg);
	for (i = 0; i < k; i++)
		free(names[i]);
	free(names);
	return rc;
}

static void archive_member_free(struct archive_member *m)
{
	free(m->path);
	free(m->target);
	free(m->data);
}

void archive_tree_free(struct archive_tree *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->n; i++)
		archive_member_free(&t->m[i]);
	free(t->m);
	free(t);
}

#ifdef HAVE_LIBARCHIVE
/* The functions of libarchive used here, typed from its headers. */
#define ARCHIVE_FUNCS(X) \
	X(archive_read_new) X(archive_read_free) X(archive_read_support_filter_all) \
	X(archive_read_support_format_tar) X(archive_read_support_format_gnutar) \
	X(archive_read_open_filename) X(archive_read_next_header) X(archive_read_data) \
	X(archive_errno) X(archive_error_string) X(archive_entry_pathname) \
	X(archive_entry_hardlink) X(archive_entry_symlink) X(archive_entry_filetype) \
	X(archive_entry_size_is_set) X(archive_entry_size)

static struct {
#define ARCHIVE_FIELD(f) __typeof__(f) *f;
	ARCHIVE_FUNCS(ARCHIVE_FIELD)
#undef ARCHIVE_FIELD
} archive_lib;

/* Loads libarchive once (kept loaded: a process reads one archive).
 * Returns 0, or -ENOTSUP with why in err. */
static int archive_dlopen(struct archive_error *err)
{
	static int rc = 1;
	static char why[sizeof(err->msg)];
	static const struct dynlib_sym syms[] = {
#define ARCHIVE_SYM(f) { #f, DYNLIB_SLOT(&archive_lib.f) },
		ARCHIVE_FUNCS(ARCHIVE_SYM)
#undef ARCHIVE_SYM
	};
	const char *miss;
	char dlerr[200];

	if (rc == 1) {
		rc = dynlib_open(SM_LIBARCHIVE_SONAME, syms, sizeof(syms) / sizeof(syms[0]),
				 &miss, dlerr, sizeof(dlerr));
		if (rc == -ENOENT)
			snprintf(why, sizeof(why), "reading an archive needs %s (Debian: libarchive13), "
				 "which could not be loaded (%s): extract the archive and give its directory",
				 SM_LIBARCHIVE_SONAME, dlerr);
		else if (rc)
			snprintf(why, sizeof(why), "reading an archive needs %s with %s, which the one "
				 "loaded lacks: extract the archive and give its directory",
				 SM_LIBARCHIVE_SONAME, miss);
		if (rc)
			rc = -ENOTSUP;
	}
	if (rc)
		snprintf(err->msg, sizeof(err->msg), "%s", why);
	return rc;
}

/* Every call below goes through the loaded library. */
#define ARCHIVE_CALL(f) archive_lib.f
#define archive_read_new ARCHIVE_CALL(archive_read_new)
#define archive_read_free ARCHIVE_CALL(archive_read_free)
#define archive_read_support_filter_all ARCHIVE_CALL(archive_read_support_filter_all)
#define archive_read_support_format_tar ARCHIVE_CALL(archive_read_support_format_tar)
#define archive_read_support_format_gnutar ARCHIVE_CALL(archive_read_support_format_gnutar)
#define archive_read_open_filename ARCHIVE_CALL(archive_read_open_filename)
#define archive_read_next_header ARCHIVE_CALL(archive_read_next_header)
#define archive_read_data ARCHIVE_CALL(archive_read_data)
#define archive_errno ARCHIVE_CALL(archive_errno)
#define archive_error_string ARCHIVE_CALL(archive_error_string)
#define archive_entry_pathname ARCHIVE_CALL(archive_entry_pathname)
#define archive_entry_hardlink ARCHIVE_CALL(archive_entry_hardlink)
#define archive_entry_symlink ARCHIVE_CALL(archive_entry_symlink)
#define archive_entry_filetype ARCHIVE_CALL(archive_entry_filetype)
#define archive_entry_size_is_set ARCHIVE_CALL(archive_entry_size_is_set)
#define archive_entry_size ARCHIVE_CALL(archive_entry_size)

/* By path, then by position: a path stored twice is in archive order. */
static int archive_cmp_order(const void *a, const void *b)
{
	const struct archive_member *x = a, *y = b;
	int c = strcmp(x->path, y->path);

	return c ? c : x->order < y->order ? -1 : x->order > y->order;
}

/* "member 'NAME': WHY", the name escaped; without a name, WHY alone. */
static void archive_err(struct archive_error *err, const char *name, const char *why)
{
	char safe[200];

	if (!name) {
		snprintf(err->msg, sizeof(err->msg), "%s", why ? why : "read error");
		return;
	}
	util_safe_token(safe, sizeof(safe), name, strlen(name));
	snprintf(err->msg, sizeof(err->msg), "member '%s': %s", safe, why ? why : "read error");
}

/* Strips a top directory that holds everything (sosreport-HOST-DATE/). */
static void archive_strip_top(struct archive_tree *t)
{
	const char *first;
	size_t i, l, w = 0;

	if (!t->n)
		return;
	first = t->m[0].path;
	l = strcspn(first, "/");
	for (i = 0; i < t->n; i++) {
		const char *p = t->m[i].path;

		if (strncmp(p, first, l) || (p[l] != '/' && p[l] != '\0'))
			return;
		if (p[l] == '\0' && t->m[i].kind != AK_DIR)
			return;
	}
	for (i = 0; i < t->n; i++) {
		struct archive_member *m = &t->m[i];

		if (m->path[l] == '\0') {
			archive_member_free(m);
			continue;
		}
		memmove(m->path, m->path + l + 1, strlen(m->path + l + 1) + 1);
		if (m->kind == AK_HARDLINK && !strncmp(m->target, first, l) && m->target[l] == '/')
			memmove(m->target, m->target + l + 1, strlen(m->target + l + 1) + 1);
		t->m[w++] = *m;
	}
	t->n = w;
}

/* Whether sockmem may read a member: the kernel's files and the command
 * outputs of the plugins it reads.  The others (a sosreport's logs, its
 * reports, /proc/kallsyms) are indexed for links and listings, not loaded.
 * Checked with and without the top directory, which is stripped later. */
static bool archive_wanted(const char *path)
{
	static const char *const wanted[] = {
		"proc/", "sys/devices/system/cpu/", "sos_commands/kernel/", "sos_commands/networking/",
		"sos_commands/memory/", "sos_commands/processor/", "sos_commands/date/",
		"sos_commands/host/", "insights_commands/", "etc/hostname", "sockmem-snapshot.meta",
		"sock_diag/", "data/",
	};
	const char *below = strchr(path, '/');
	size_t i;

	for (i = 0; i < ARRAY_SIZE(wanted); i++) {
		size_t l = strlen(wanted[i]);
		const char *rel = !strncmp(path, wanted[i], l) ? path
				  : below && !strncmp(below + 1, wanted[i], l) ? below + 1 : NULL;

		if (rel)
			return strcmp(rel, "proc/kallsyms") != 0;	/* 5 MiB of symbols */
	}
	return false;
}

/* Reads the content of the current member (at most the limit + 1 byte). */
static int archive_load(struct archive *a, struct archive_member *m, uint64_t *loaded)
{
	size_t cap = 4096;
	char *b = malloc(cap);

	if (!b)
		return -ENOMEM;
	m->len = 0;
	for (;;) {
		la_ssize_t r;

		if (m->len == cap) {
			char *nb;

			if (cap > ARCHIVE_MAX_MEMBER_BYTES) {
				m->too_big = true;
				free(b);
				m->len = 0;
				return 0;
			}
			cap *= 2;
			nb = realloc(b, cap);
			if (!nb) {
				free(b);
				return -ENOMEM;
			}
			b = nb;
		}
		r = archive_read_data(a, b + m->len, cap - m->len);
		if (r < 0) {
			free(b);
			return -EIO;
		}
		if (r == 0)
			break;
		m->len += (size_t)r;
	}
	if (m->len > ARCHIVE_MAX_MEMBER_BYTES) {
		m->too_big = true;
		free(b);
		m->len = 0;
		return 0;
	}
	m->data = b;
	*loaded += m->len;
	return 0;
}

int archive_tree_open(const char *path, struct archive_tree **out, struct archive_error *err)
{
	struct archive_tree *t;
	struct archive *a;
	struct archive_entry *e;
	uint64_t expanded = 0, loaded = 0;
	int r, rc = 0;
	size_t i;

	err->msg[0] = '\0';
	rc = archive_dlopen(err);
	if (rc)
		return rc;
	t = calloc(1, sizeof(*t));
	a = archive_read_new();
	if (!t || !a) {
		free(t);
		if (a)
			archive_read_free(a);
		return -ENOMEM;
	}
	archive_read_support_filter_all(a);
	archive_read_support_format_tar(a);
	archive_read_support_format_gnutar(a);
	if (archive_read_open_filename(a, path, 64 * 1024) != ARCHIVE_OK) {
		int e2 = archive_errno(a);

		snprintf(err->msg, sizeof(err->msg), "not a directory, nor an archive sockmem reads "
			 "(tar, compressed or not): %s", archive_error_string(a) ? archive_error_string(a)
			 : "read error");
		archive_read_free(a);
		free(t);
		return e2 > 0 ? -e2 : -EINVAL;
	}
	while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK || r == ARCHIVE_WARN) {
		const char *name = archive_entry_pathname(e);
		const char *hard = archive_entry_hardlink(e);
		struct archive_member m = { 0 };
		char norm[PATH_MAX];
		mode_t type = archive_entry_filetype(e);

		if (!name) {
			archive_err(err, NULL, "a member without a name");
			rc = -EINVAL;
			break;
		}
		if (t->n >= ARCHIVE_MAX_MEMBERS) {
			snprintf(err->msg, sizeof(err->msg), "more than %d members: not a capture",
				 ARCHIVE_MAX_MEMBERS);
			rc = -EFBIG;
			break;
		}
		rc = archive_normalise(name, norm, sizeof(norm), false);
		if (rc) {
			archive_err(err, name, rc == -EINVAL
				    ? "its path climbs out of the archive ('..' or absolute): refused"
				    : "path too long");
			rc = -EINVAL;
			break;
		}
		if (!norm[0])
			continue;	/* "./" */
		if (archive_entry_size_is_set(e) && archive_entry_size(e) > 0) {
			expanded += (uint64_t)archive_entry_size(e);
			if (expanded > ARCHIVE_MAX_EXPANDED_BYTES) {
				archive_err(err, name, "the archive expands to more than 8 GiB: "
					    "not a capture");
				rc = -EFBIG;
				break;
			}
		}
		m.path = strdup(norm);
		if (!m.path) {
			rc = -ENOMEM;
			break;
		}
		if (hard) {
			char tn[PATH_MAX];

			if (archive_normalise(hard, tn, sizeof(tn), false)) {
				archive_err(err, name, "its link climbs out of the archive: refused");
				free(m.path);
				rc = -EINVAL;
				break;
			}
			m.kind = AK_HARDLINK;
			m.target = strdup(tn);
		} else if (type == AE_IFLNK) {
			const char *tg = archive_entry_symlink(e);

			m.kind = AK_LINK;
			m.target = strdup(tg ? tg : "");
		} else if (type == AE_IFDIR) {
			m.kind = AK_DIR;
		} else if (type == AE_IFREG) {
			m.kind = AK_FILE;
			if (archive_entry_size_is_set(e) &&
			    archive_entry_size(e) > (la_int64_t)ARCHIVE_MAX_MEMBER_BYTES) {
				m.too_big = true;
			} else if (loaded > ARCHIVE_MAX_LOADED_BYTES || !archive_wanted(norm)) {
				m.too_big = true;
			} else {
				rc = archive_load(a, &m, &loaded);
				if (rc == -EIO) {
					char why[300];

					snprintf(why, sizeof(why), "damaged or cut: %s",
						 archive_error_string(a) ? archive_error_string(a) : "read error");
					archive_err(err, name, why);
					free(m.path);
					rc = -EINVAL;
					break;
				}
			}
		} else {
			m.kind = AK_OTHER;
		}
		if (rc || ((m.kind == AK_LINK || m.kind == AK_HARDLINK) && !m.target)) {
			archive_member_free(&m);
			rc = rc ? rc : -ENOMEM;
			break;
		}
		if (t->n == t->cap) {
			size_t cap = t->cap ? t->cap * 2 : 256;
			struct archive_member *nm = realloc(t->m, cap * sizeof(*nm));

			if (!nm) {
				archive_member_free(&m);
				rc = -ENOMEM;
				break;
			}
			t->m = nm;
			t->cap = cap;
		}
		t->m[t->n++] = m;
	}
	if (!rc && r != ARCHIVE_EOF) {
		const char *why = archive_error_string(a);

		if (t->n)
			snprintf(err->msg, sizeof(err->msg), "damaged or cut after %zu members: %s",
				 t->n, why ? why : "read error");
		else
			snprintf(err->msg, sizeof(err->msg), "not a directory, nor an archive sockmem "
				 "reads (tar, compressed or not): %s", why ? why : "read error");
		rc = -EINVAL;
	}
	if (!rc && !t->n) {
		snprintf(err->msg, sizeof(err->msg), "the archive is empty");
		rc = -EINVAL;
	}
	archive_read_free(a);
	if (rc) {
		archive_tree_free(t);
		return rc;
	}
	archive_strip_top(t);
	for (i = 0; i < t->n; i++)
		t->m[i].order = i;
	qsort(t->m, t->n, sizeof(*t->m), archive_cmp_order);
	/* a path stored twice (tar appends): the last one wins, as when extracted */
	{
		size_t w = 0;

		for (i = 0; i < t->n; i++) {
			if (i + 1 < t->n && !strcmp(t->m[i].path, t->m[i + 1].path)) {
				archive_member_free(&t->m[i]);
				continue;
			}
			t->m[w++] = t->m[i];
		}
		t->n = w;
	}
	*out = t;
	return 0;
}
#else
int archive_tree_open(const char *path, struct archive_tree **out, struct archive_error *err)
{
	snprintf(err->msg, sizeof(err->msg), "this sockmem was built without libarchive: extract "
		 "the archive and give its directory");
	return -ENOTSUP;
}
#endif
