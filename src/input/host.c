/* host.c - reads the host view from /proc and /sys (or a --root tree, or a
 * capture: a sosreport or insights archive, as a directory or read in place
 * from its archive): sockstat, protocols, netstat, snmp, meminfo, sysctls,
 * possible CPUs; in a capture each input's own file when present, else the
 * command output that carries it (host_inputs[].alt). */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cmdout.h"
#include "host.h"
#include "nstat_text.h"
#include "sysctl_text.h"

const struct sysctl_def host_sysctl[SC_COUNT] = {
	[SC_TCP_MEM] = { "net.ipv4.tcp_mem", "tcp_mem_pages", 3,
			 UNIT_PAGES, SCOPE_HOST, { "min", "pressure", "max" }, 0, 0 },
	[SC_UDP_MEM] = { "net.ipv4.udp_mem", "udp_mem_pages", 3,
			 UNIT_PAGES, SCOPE_HOST, { "min", "pressure", "max" }, 0, 0 },
	[SC_SCTP_MEM] = { "net.sctp.sctp_mem", "sctp_mem_pages", 3,
			  UNIT_PAGES, SCOPE_HOST, { "min", "pressure", "max" }, 0, 0 },
	[SC_TCP_RMEM] = { "net.ipv4.tcp_rmem", "tcp_rmem_bytes", 3,
			  UNIT_BYTES, SCOPE_NETNS, { "min", "default", "max" }, 0, 0 },
	[SC_TCP_WMEM] = { "net.ipv4.tcp_wmem", "tcp_wmem_bytes", 3,
			  UNIT_BYTES, SCOPE_NETNS, { "min", "default", "max" }, 0, 0 },
	[SC_UDP_RMEM_MIN] = { "net.ipv4.udp_rmem_min",
			      "udp_rmem_min_bytes", 1, UNIT_BYTES, SCOPE_NETNS, { 0 }, 0, 0 },
	[SC_UDP_WMEM_MIN] = { "net.ipv4.udp_wmem_min",
			      "udp_wmem_min_bytes", 1, UNIT_BYTES, SCOPE_NETNS, { 0 }, 0, 0 },
	[SC_RMEM_DEFAULT] = { "net.core.rmem_default",
			      "rmem_default_bytes", 1, UNIT_BYTES, SCOPE_HOST, { 0 }, 0, 0 },
	[SC_RMEM_MAX] = { "net.core.rmem_max", "rmem_max_bytes", 1,
			  UNIT_BYTES, SCOPE_HOST, { 0 }, 0, 0 },
	[SC_WMEM_DEFAULT] = { "net.core.wmem_default",
			      "wmem_default_bytes", 1, UNIT_BYTES, SCOPE_HOST, { 0 }, 0, 0 },
	[SC_WMEM_MAX] = { "net.core.wmem_max", "wmem_max_bytes", 1,
			  UNIT_BYTES, SCOPE_HOST, { 0 }, 0, 0 },
	[SC_OPTMEM_MAX] = { "net.core.optmem_max",
			    "optmem_max_bytes", 1, UNIT_BYTES, SCOPE_NETNS, { 0 }, 0, 0 },
	[SC_MEM_PCPU_RSV] = { "net.core.mem_pcpu_rsv",
			      "mem_pcpu_rsv_pages", 1, UNIT_PAGES, SCOPE_HOST, { 0 }, 6, 9 },
	[SC_BYPASS_PROT_MEM] = { "net.core.bypass_prot_mem",
				 "bypass_prot_mem", 1, UNIT_BOOL, SCOPE_NETNS, { 0 }, 6, 19 },
	[SC_TCP_MAX_ORPHANS] = { "net.ipv4.tcp_max_orphans",
				 "tcp_max_orphans", 1, UNIT_COUNT, SCOPE_HOST, { 0 }, 0, 0 },
	[SC_TCP_MAX_TW_BUCKETS] = { "net.ipv4.tcp_max_tw_buckets", "tcp_max_tw_buckets", 1,
				    UNIT_COUNT, SCOPE_NETNS, { 0 }, 0, 0 },
	[SC_IPFRAG_HIGH_THRESH] = { "net.ipv4.ipfrag_high_thresh",
				    "ipfrag_high_thresh_bytes", 1, UNIT_BYTES, SCOPE_NETNS, { 0 }, 0, 0 },
	[SC_IP6FRAG_HIGH_THRESH] = { "net.ipv6.ip6frag_high_thresh",
				     "ip6frag_high_thresh_bytes", 1, UNIT_BYTES, SCOPE_NETNS, { 0 }, 0, 0 },
};

/* Storage of a collection.  What host_collect() allocates for one struct host
 * (the file texts its parsed sockstat, netstat and protocols point into, the
 * problems) is listed here by the address of that struct, not found through
 * it: callers malloc() a struct host without initialising it, so
 * host_collect() cannot look inside for an earlier collection.  Through this
 * list it releases one made on the same struct (watch collects once per
 * sample), host_free() releases it, and the storage of a struct that is
 * free()d without host_free() stays reachable instead of lost.  sockmem is
 * single-threaded, and so is this list. */
struct host_store {
	const struct host *owner;
	struct host_store *next;
	void **block;			/* malloc'ed, freed together */
	size_t n, cap;
	int problem_cap;		/* room in owner->problem */
	struct archive_tree *archive;	/* --root ARCHIVE */
	/* the command outputs read for several inputs (sysctl -a), read once */
	struct host_cached {
		const char *path;
		int rc;
		char *buf;
		size_t len;
		bool checked;		/* sysctl -a: parsed into st below */
		int check_rc;
		struct sysctl_text sysctl;
		struct parse_err err;
	} cache[16];
	int ncache;
};
static struct host_store *host_stores;

/* The link that points to h's store, or the list's final NULL. */
static struct host_store **host_store_link(const struct host *h)
{
	struct host_store **s;

	for (s = &host_stores; *s; s = &(*s)->next)
		if ((*s)->owner == h)
			break;
	return s;
}

static void host_store_release(struct host_store *st)
{
	while (st->n)
		free(st->block[--st->n]);
	st->problem_cap = 0;
	archive_tree_free(st->archive);
	st->archive = NULL;
	st->ncache = 0;
}

/* Makes the malloc'ed p part of h's collection; frees it on failure. */
static int host_keep(struct host *h, void *p)
{
	struct host_store *st = h->store;

	if (st && st->n == st->cap) {
		size_t cap = st->cap ? st->cap * 2 : 16;
		void **nb = realloc(st->block, cap * sizeof(*nb));

		if (!nb)
			st = NULL;
		else {
			st->block = nb;
			st->cap = cap;
		}
	}
	if (!st) {
		free(p);
		return -ENOMEM;
	}
	st->block[st->n++] = p;
	return 0;
}

static void *host_alloc(struct host *h, size_t size)
{
	void *p = malloc(size);

	return p && host_keep(h, p) == 0 ? p : NULL;
}

/* Starts a collection on h: releases an earlier one, empties h. */
static void host_begin(struct host *h)
{
	struct host_store **link = host_store_link(h), *st = *link;

	if (st) {
		host_store_release(st);
	} else {
		st = calloc(1, sizeof(*st));
		if (st) {
			st->owner = h;
			*link = st;
		}
	}
	memset(h, 0, sizeof(*h));
	h->store = st;		/* NULL without memory: problems are then only counted */
}

void host_free(struct host *h)
{
	struct host_store **link = host_store_link(h), *st = *link;

	if (st) {
		host_store_release(st);
		*link = st->next;
		free(st->block);
		free(st);
	}
	memset(h, 0, sizeof(*h));
}

int host_read_file(const char *root, const char *rel, char **buf, size_t *len)
{
	char path[PATH_MAX];
	size_t cap = 8192, n = 0;
	char *b;
	int fd;

	/* a longer path cannot be opened: say so rather than open a shorter one */
	n = (size_t)snprintf(path, sizeof(path), "%s/%s", root && root[0] ? root : "", rel);
	if (n >= sizeof(path))
		return -ENAMETOOLONG;
	n = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	b = malloc(cap);
	if (!b) {
		close(fd);
		return -ENOMEM;
	}
	for (;;) {
		ssize_t r;

		if (n == cap) {
			char *nb;

			if (cap >= HOST_MAX_FILE) {
				free(b);
				close(fd);
				return -EFBIG;
			}
			cap *= 2;
			nb = realloc(b, cap);
			if (!nb) {
				free(b);
				close(fd);
				return -ENOMEM;
			}
			b = nb;
		}
		r = read(fd, b + n, cap - n);
		if (r < 0) {
			int e = errno;

			if (e == EINTR)
				continue;
			free(b);
			close(fd);
			return -e;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	*buf = b;
	*len = n;
	return 0;
}

/* Records that dir/rel (dir alone if rel is "") could not be used, with the
 * path in full; without memory the problem is dropped, but the report still
 * says it is partial. */
static void host_problem_at(struct host *h, const char *dir, const char *rel, int line, int rc,
			    const char *msg)
{
	size_t plen = strlen(dir) + (rel[0] ? 1 + strlen(rel) : 0), mlen = strlen(msg);
	struct host_store *st = h->store;
	struct host_problem *p;
	char *path, *safe, *m;

	h->partial = true;
	if (!st)
		return;
	if (h->nproblems == st->problem_cap) {
		int cap = st->problem_cap ? st->problem_cap * 2 : 8;
		struct host_problem *np = host_alloc(h, (size_t)cap * sizeof(*np));

		if (!np)
			return;
		if (h->nproblems)
			memcpy(np, h->problem, (size_t)h->nproblems * sizeof(*np));
		h->problem = np;	/* the old array goes with the collection */
		st->problem_cap = cap;
	}
	/* path, its escaped form (at most 4 bytes per byte) and msg in one block */
	path = host_alloc(h, plen + 1 + 4 * plen + 1 + mlen + 1);
	if (!path)
		return;
	snprintf(path, plen + 1, "%s%s%s", dir, rel[0] ? "/" : "", rel);
	safe = path + plen + 1;
	util_safe_token(safe, 4 * plen + 1, path, plen);
	m = safe + 4 * plen + 1;
	memcpy(m, msg, mlen + 1);
	p = &h->problem[h->nproblems++];
	p->path = path;
	p->path_safe = safe;
	p->line = line;
	p->rc = rc;
	p->msg = m;
}

/* Records that the root-relative file rel could not be used. */
static void host_problem(struct host *h, const char *rel, int line, int rc, const char *msg)
{
	char full[PATH_MAX];

	snprintf(full, sizeof(full), "%s%s", h->base ? h->base : "", rel);
	host_problem_at(h, h->root, full, line, rc, msg);
}

void host_path(const struct host *h, const char *rel, char *buf, size_t size)
{
	snprintf(buf, size, "%s%s%s%s", h->root, h->root[0] ? "/" : "", h->base ? h->base : "", rel);
}

/* A root-relative file of the tree: the directory's, or the archive's. */
int host_read_input(const struct host *h, const char *rel, char **buf, size_t *len)
{
	char full[PATH_MAX];
	int n = snprintf(full, sizeof(full), "%s%s", h->base ? h->base : "", rel);

	if (n < 0 || (size_t)n >= sizeof(full))
		return -ENAMETOOLONG;
	if (h->archive)
		return archive_tree_read(h->archive, full, buf, len);
	return host_read_file(h->root, full, buf, len);
}

int host_list_dir(const struct host *h, const char *rel, int (*fn)(const char *name, void *arg),
		  void *arg)
{
	char full[PATH_MAX], path[2 * PATH_MAX];
	struct dirent *de;
	DIR *d;
	int rc = 0;

	snprintf(full, sizeof(full), "%s%s", h->base ? h->base : "", rel);
	if (h->archive)
		return archive_tree_list(h->archive, full, fn, arg);
	snprintf(path, sizeof(path), "%s/%s", h->root[0] ? h->root : "", full);
	d = opendir(path);
	if (!d)
		return -errno;
	while (!rc && (de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			rc = fn(de->d_name, arg);
	closedir(d);
	return rc;
}

static bool host_exists(const struct host *h, const char *rel)
{
	char full[PATH_MAX], path[2 * PATH_MAX];
	struct stat st;

	snprintf(full, sizeof(full), "%s%s", h->base ? h->base : "", rel);
	if (h->archive)
		return archive_tree_exists(h->archive, full);
	snprintf(path, sizeof(path), "%s/%s", h->root, full);
	return stat(path, &st) == 0;
}

const char *host_input_label(const struct host_input *in)
{
	if (in->sysctl >= 0)
		return host_sysctl[in->sysctl].name;
	switch (in->dest) {
	case offsetof(struct host, kver): return "kernel release";
	case offsetof(struct host, possible_cpus): return "possible CPUs";
	case offsetof(struct host, mem_total_bytes): return "MemTotal";
	case offsetof(struct host, capture_time): return "time of the capture";
	case offsetof(struct host, hostname): return "host name";
	case offsetof(struct host, machine): return "architecture";
	case offsetof(struct host, getconf_page_size_bytes): return "page size (getconf)";
	default: return in->path;
	}
}

void host_problem_add(struct host *h, const char *path, int rc, const char *msg)
{
	const struct host_problem *p;

	host_foreach_problem(p, h)
		if (p->rc == rc && !p->line && !strcmp(p->path, path)) {
			h->partial = true;
			return;
		}
	host_problem_at(h, path, "", 0, rc, msg ? msg : strerror(-rc));
}

static const char *host_read_errmsg(int rc)
{
	switch (rc) {
	case -ENOENT: return "missing";
	case -EFBIG: return "larger than 1 MiB: not a procfs file";
	case -EISDIR: return "is a directory";
	default: return NULL;
	}
}

/* A command output read for several inputs: read once per collection. */
static struct host_cached *host_cached(struct host *h, const char *rel)
{
	struct host_store *st = h->store;
	struct host_cached *c;
	int i;

	if (!st)
		return NULL;
	for (i = 0; i < st->ncache; i++)
		if (!strcmp(st->cache[i].path, rel))
			return &st->cache[i];
	if (st->ncache == (int)ARRAY_SIZE(st->cache))
		return NULL;
	c = &st->cache[st->ncache];
	memset(c, 0, sizeof(*c));
	c->path = rel;
	c->rc = host_read_input(h, rel, &c->buf, &c->len);
	if (!c->rc && c->len > HOST_MAX_FILE) {
		free(c->buf);
		c->buf = NULL;
		c->rc = -EFBIG;
	}
	if (!c->rc && host_keep(h, c->buf)) {
		c->buf = NULL;
		c->rc = -ENOMEM;
	}
	st->ncache++;
	return c;
}

/* Turns the text of an alternative source into what the input's own file
 * would hold: *out is malloc'ed.  Returns 0, -ENOENT (the source does not
 * carry this input: the next one is tried) or -errno with err set. */
static int host_convert(struct host *h, const struct host_input *in, const struct host_alt *a,
			struct host_cached *c, char **out, size_t *olen, int *line,
			struct parse_err *err)
{
	char tmp[512];
	uint64_t v;
	int rc, n = -1;

	*line = 0;
	switch (a->kind) {
	case ALT_FILE:
		break;
	case ALT_SYSCTL_A: {
		const char *name = a->key ? a->key : host_sysctl[in->sysctl].name, *val;
		size_t vlen;

		if (!c->checked) {
			c->checked = true;
			c->check_rc = sysctl_text_parse(c->buf, c->len, &c->sysctl, &c->err);
		}
		if (c->check_rc) {
			*err = c->err;
			return c->check_rc;
		}
		rc = sysctl_text_get(&c->sysctl, name, &val, &vlen, line, err);
		if (rc)
			return rc;
		n = sysctl_text_as_file(val, vlen, tmp, sizeof(tmp));
		if (n < 0) {
			util_set_err(err, *line, "the value of %s is too long", name);
			return -EINVAL;
		}
		break;
	}
	case ALT_UNAME_RELEASE:
	case ALT_UNAME_MACHINE: {
		struct cmdout_uname u;

		rc = cmdout_uname(c->buf, c->len, &u, err);
		if (rc)
			return rc;
		n = snprintf(tmp, sizeof(tmp), "%s\n", a->kind == ALT_UNAME_RELEASE ? u.release
										: u.machine);
		break;
	}
	case ALT_LSCPU:
	case ALT_CPUINFO:
		rc = a->kind == ALT_LSCPU ? cmdout_lscpu_cpus(c->buf, c->len, &v, err)
					  : cmdout_cpuinfo_cpus(c->buf, c->len, &v, err);
		if (rc)
			return rc;
		/* as a CPU list: the count is what parse_cpulist takes from it */
		n = v > 1 ? snprintf(tmp, sizeof(tmp), "0-%llu\n", (unsigned long long)(v - 1))
			  : snprintf(tmp, sizeof(tmp), "0\n");
		break;
	case ALT_FREE:
		rc = cmdout_free_total_kib(c->buf, c->len, &v, err);
		if (rc)
			return rc;
		n = snprintf(tmp, sizeof(tmp), "MemTotal: %llu kB\n", (unsigned long long)v);
		break;
	case ALT_NSTAT:
	case ALT_NETSTAT_S: {
		struct nstat_text t;

		rc = a->kind == ALT_NSTAT ? nstat_text_parse(c->buf, c->len, &t, err)
					  : nstat_text_parse_netstat_s(c->buf, c->len, &t, err);
		if (rc)
			return rc;
		if (in->dest == offsetof(struct host, netstat))
			h->netstat_zeros_omitted = t.zeros_omitted;
		else
			h->snmp_zeros_omitted = t.zeros_omitted;
		*out = t.text;
		*olen = t.len;
		return 0;
	}
	}
	if (n < 0) {
		*out = malloc(c->len ? c->len : 1);
		if (!*out)
			return -ENOMEM;
		memcpy(*out, c->buf, c->len);
		*olen = c->len;
		return 0;
	}
	*out = strdup(tmp);
	*olen = (size_t)n;
	return *out ? 0 : -ENOMEM;
}

static const char *const host_alt_how[] = {
	[ALT_FILE] = NULL, [ALT_SYSCTL_A] = "sysctl -a", [ALT_UNAME_RELEASE] = "uname -a",
	[ALT_UNAME_MACHINE] = "uname -a", [ALT_LSCPU] = "lscpu CPU(s): the CPUs present",
	[ALT_CPUINFO] = "processor entries: the CPUs online", [ALT_FREE] = "free",
	[ALT_NSTAT] = "nstat", [ALT_NETSTAT_S] = "netstat -s",
};

/* Parses text as input in; on failure records a problem on rel. */
static int host_parse(struct host *h, const struct host_input *in, const char *rel, char *buf,
		      size_t len, bool owned, int line)
{
	struct parse_err err = { 0, "" };
	int rc;

	/* what the parser fills may point into the text: it goes with the collection */
	if (owned && in->keeps_text && host_keep(h, buf)) {
		host_problem(h, rel, 0, -ENOMEM, strerror(ENOMEM));
		return -ENOMEM;
	}
	rc = in->parse(h, in, (char *)h + in->dest, buf, len, &err);
	if (owned && !in->keeps_text)
		free(buf);
	if (rc)
		host_problem(h, rel, line ? line : err.line, rc, err.msg);
	return rc;
}

/* The input from the first of its alternative sources that carries it;
 * -ENOENT when none does (tried lists those looked in). */
static int host_load_alt(struct host *h, size_t idx, char *tried, size_t triedsz)
{
	const struct host_input *in = &host_inputs[idx];
	const struct host_alt *a;

	for (a = in->alt; a && a->path; a++) {
		struct parse_err err = { 0, "" };
		struct host_cached *c = host_cached(h, a->path);
		char *text = NULL;
		size_t len = 0, tl = strlen(tried);
		int line, rc;

		if (!c || c->rc == -ENOENT) {
			continue;
		} else if (c->rc) {
			const char *m = host_read_errmsg(c->rc);

			host_problem(h, a->path, 0, c->rc, m ? m : strerror(-c->rc));
			return c->rc;
		}
		rc = host_convert(h, in, a, c, &text, &len, &line, &err);
		if (rc == -ENOENT) {
			snprintf(tried + tl, triedsz - tl, "%s%s", tl ? ", " : "", a->path);
			continue;
		}
		if (rc) {
			host_problem(h, a->path, err.line, rc, err.msg);
			return rc;
		}
		h->from[idx].path = a->path;
		h->from[idx].line = line;
		h->from[idx].how = host_alt_how[a->kind];
		return host_parse(h, in, a->path, text, len, true, line);
	}
	return -ENOENT;
}

/* A sysctl or the release read from its own file, against the command
 * output of the capture that also has it: a disagreement is said. */
static void host_cross_check(struct host *h, size_t idx)
{
	const struct host_input *in = &host_inputs[idx];
	const struct host_alt *a;

	for (a = in->alt; a && a->path; a++) {
		struct parse_err err = { 0, "" };
		struct host_cached *c;
		char *text = NULL, *msg;
		size_t len = 0;
		int line, rc;
		bool differ;

		if (a->kind != ALT_SYSCTL_A && a->kind != ALT_UNAME_RELEASE)
			continue;
		c = host_cached(h, a->path);
		if (!c || c->rc)
			continue;
		rc = host_convert(h, in, a, c, &text, &len, &line, &err);
		if (rc)
			continue;
		if (in->sysctl >= 0) {
			struct sysctl_val v = { 0, { 0, 0, 0 } };

			differ = sysinfo_parse_vector(text, len, v.v, host_sysctl[in->sysctl].n, &err) ||
				 memcmp(v.v, h->sysctl[in->sysctl].v, sizeof(v.v));
		} else {
			struct kversion k;

			differ = sysinfo_parse_osrelease(text, len, &k, &err) ||
				 strcmp(k.release, h->kver.release);
		}
		if (differ) {
			size_t ml = 64 + strlen(a->path) + 2 * len;

			msg = host_alloc(h, ml);
			if (msg) {
				if (len && text[len - 1] == '\n')
					len--;
				snprintf(msg, ml, "%s line %d says '%.*s'", a->path, line, (int)len, text);
				h->from[idx].conflict = msg;
				h->nconflicts++;
			}
		}
		free(text);
		return;
	}
}

/* Reads and parses one input into h.  On failure records a problem (unless
 * the file is absent and not expected) and returns the -errno. */
static int host_load(struct host *h, size_t idx)
{
	const struct host_input *in = &host_inputs[idx];
	bool expected = in->expected;
	char *buf = NULL, tried[600] = "";
	size_t len = 0;
	int rc;

	/* before 6.0 the protocol counters were exact: without the possible CPUs
	 * nothing is lost (model_reserve) */
	if (in->dest == offsetof(struct host, possible_cpus) &&
	    ((h->kver.ok && !sysinfo_kver_ge(&h->kver, 6, 0)) ||
	     (!h->kver.ok && h->capture_year && h->capture_year < 2022)))
		expected = false;
	rc = host_read_input(h, in->path, &buf, &len);
	if (!rc && len > HOST_MAX_FILE) {
		/* an archive's member: no kernel file is that large */
		free(buf);
		rc = -EFBIG;
	}
	if (rc == -ENOENT && h->layout != LAYOUT_PROC && in->alt) {
		int arc = host_load_alt(h, idx, tried, sizeof(tried));

		if (arc != -ENOENT)
			return arc;
	}
	if (rc) {
		const char *m = host_read_errmsg(rc);

		if (rc == -ENOENT && expected && h->layout != LAYOUT_PROC && in->alt) {
			char msg[800];
			const struct host_alt *a;
			size_t n;

			n = (size_t)snprintf(msg, sizeof(msg), "missing, and no command output of the "
					     "capture carries it (");
			for (a = in->alt; a->path; a++)
				n += (size_t)snprintf(msg + n, n < sizeof(msg) ? sizeof(msg) - n : 0,
						      "%s%s", a == in->alt ? "" : ", ", a->path);
			if (n < sizeof(msg))
				snprintf(msg + n, sizeof(msg) - n, ")");
			host_problem(h, in->path, 0, rc, msg);
		} else if (rc != -ENOENT || expected) {
			host_problem(h, in->path, 0, rc, m ? m : strerror(-rc));
		}
		return rc;
	}
	h->from[idx].path = in->path;
	rc = host_parse(h, in, in->path, buf, len, true, 0);
	if (!rc && h->layout != LAYOUT_PROC && in->alt && (in->sysctl >= 0 || in->dest == offsetof(struct host, kver)))
		host_cross_check(h, idx);
	return rc;
}

static int parse_sockstat(struct host *h, const struct host_input *in, void *dest,
			  const char *text, size_t len, struct parse_err *err)
{
	return sockstat_parse(text, len, dest, err);
}

static int parse_protocols(struct host *h, const struct host_input *in, void *dest,
			   const char *text, size_t len, struct parse_err *err)
{
	struct protocols *p = dest;
	int rc = protocols_parse(text, len, p, err);

	/* rows beyond those in place go with the collection */
	if (!rc && p->more && host_keep(h, p->more)) {
		memset(p, 0, sizeof(*p));
		util_set_err(err, 0, "%s", strerror(ENOMEM));
		rc = -ENOMEM;
	}
	return rc;
}

static int parse_netstat(struct host *h, const struct host_input *in, void *dest,
			 const char *text, size_t len, struct parse_err *err)
{
	return netstat_parse(text, len, dest, err);
}

static int parse_meminfo(struct host *h, const struct host_input *in, void *dest,
			 const char *text, size_t len, struct parse_err *err)
{
	struct opt *m = dest;
	int rc = sysinfo_parse_meminfo(text, len, &m->v, err);

	m->ok = rc == 0;
	return rc;
}

static int parse_cpulist(struct host *h, const struct host_input *in, void *dest,
			 const char *text, size_t len, struct parse_err *err)
{
	struct opt *m = dest;
	int rc = sysinfo_parse_cpulist(text, len, &m->v, err);

	m->ok = rc == 0;
	return rc;
}

static int parse_osrelease(struct host *h, const struct host_input *in, void *dest,
			   const char *text, size_t len, struct parse_err *err)
{
	return sysinfo_parse_osrelease(text, len, dest, err);
}

static int parse_meta(struct host *h, const struct host_input *in, void *dest,
		      const char *text, size_t len, struct parse_err *err)
{
	int rc = snapshot_meta_parse(text, len, dest, err);

	h->have_meta = rc == 0;
	return rc;
}

static int parse_sysctl(struct host *h, const struct host_input *in, void *dest,
			const char *text, size_t len, struct parse_err *err)
{
	struct sysctl_val *v = dest;

	return sysinfo_parse_vector(text, len, v->v, host_sysctl[in->sysctl].n, err);
}

static int parse_capture_time(struct host *h, const struct host_input *in, void *dest,
			      const char *text, size_t len, struct parse_err *err)
{
	const char *t = h->capture_time, *y = NULL;
	size_t k;
	int rc = cmdout_date(text, len, h->capture_time, sizeof(h->capture_time), err);

	/* the year: "2026-12-01T..." or "... EST 2014" */
	for (k = 0; !rc && t[k]; k++)
		if ((k == 0 || t[k - 1] == ' ') && t[k] >= '1' && t[k] <= '2' &&
		    strspn(t + k, "0123456789") == 4 && (!t[k + 4] || t[k + 4] == '-'))
			y = t + k;
	if (y)
		h->capture_year = atoi(y);
	return rc;
}

static int parse_hostname(struct host *h, const struct host_input *in, void *dest,
			      const char *text, size_t len, struct parse_err *err)
{
	return cmdout_word(text, len, h->hostname, sizeof(h->hostname), err);
}

static int parse_machine(struct host *h, const struct host_input *in, void *dest,
			 const char *text, size_t len, struct parse_err *err)
{
	return cmdout_word(text, len, h->machine, sizeof(h->machine), err);
}

static int parse_getconf(struct host *h, const struct host_input *in, void *dest,
			 const char *text, size_t len, struct parse_err *err)
{
	struct opt *o = dest;
	int rc = sysinfo_parse_vector(text, len, &o->v, 1, err);

	o->ok = rc == 0;
	return rc;
}

/* Where a sosreport (sos_commands/PLUGIN/COMMAND) and an insights archive
 * (insights_commands/COMMAND) keep the command outputs that carry an input. */
static const struct host_alt alt_sysctl[] = {
	{ ALT_SYSCTL_A, "sos_commands/kernel/sysctl_-a", NULL },
	{ ALT_SYSCTL_A, "insights_commands/sysctl_-a", NULL },
	{ 0, NULL, NULL }
};
static const struct host_alt alt_osrelease[] = {
	{ ALT_UNAME_RELEASE, "sos_commands/kernel/uname_-a", NULL },
	{ ALT_UNAME_RELEASE, "insights_commands/uname_-a", NULL },
	{ ALT_SYSCTL_A, "sos_commands/kernel/sysctl_-a", "kernel.osrelease" },
	{ ALT_SYSCTL_A, "insights_commands/sysctl_-a", "kernel.osrelease" },
	{ 0, NULL, NULL }
};
static const struct host_alt alt_machine[] = {
	{ ALT_UNAME_MACHINE, "sos_commands/kernel/uname_-a", NULL },
	{ ALT_UNAME_MACHINE, "insights_commands/uname_-a", NULL },
	{ ALT_SYSCTL_A, "sos_commands/kernel/sysctl_-a", "kernel.arch" },
	{ ALT_SYSCTL_A, "insights_commands/sysctl_-a", "kernel.arch" },
	{ 0, NULL, NULL }
};
static const struct host_alt alt_cpus[] = {
	{ ALT_LSCPU, "sos_commands/processor/lscpu", NULL },
	{ ALT_LSCPU, "insights_commands/lscpu", NULL },
	{ ALT_CPUINFO, "proc/cpuinfo", NULL },
	{ 0, NULL, NULL }
};
static const struct host_alt alt_meminfo[] = {
	{ ALT_FREE, "sos_commands/memory/free", NULL },
	{ ALT_FREE, "insights_commands/free", NULL },
	{ 0, NULL, NULL }
};
/* /proc/net/netstat and snmp: nstat, else netstat -s (zero counters left out) */
static const struct host_alt alt_counters[] = {
	{ ALT_NSTAT, "sos_commands/networking/nstat_-zas", NULL },
	{ ALT_NSTAT, "sos_commands/networking/nstat_-az", NULL },
	{ ALT_NSTAT, "insights_commands/nstat_-n_-z_-a", NULL },
	{ ALT_NETSTAT_S, "sos_commands/networking/netstat_-s", NULL },
	{ ALT_NETSTAT_S, "insights_commands/netstat_-s", NULL },
	{ 0, NULL, NULL }
};
static const struct host_alt alt_date[] = {
	{ ALT_FILE, "sos_commands/date/date", NULL },
	{ ALT_FILE, "insights_commands/date_--utc", NULL },
	{ ALT_FILE, "insights_commands/date", NULL },
	{ 0, NULL, NULL }
};
static const struct host_alt alt_hostname[] = {
	{ ALT_FILE, "insights_commands/hostname", NULL },
	{ ALT_FILE, "insights_commands/hostname_-f", NULL },
	{ ALT_FILE, "etc/hostname", NULL },
	{ 0, NULL, NULL }
};

#define AT(field) offsetof(struct host, field)
#define KERNEL_FILE(p, exp, fn, dest, rc, keep, alt) \
	{ p, exp, HOST_KERNEL, fn, AT(dest), rc, keep, -1, alt }
#define SYSCTL(id, p) \
	{ p, false, HOST_KERNEL, parse_sysctl, AT(sysctl[id]), AT(sysctl[id].rc), false, id, alt_sysctl }
#define CAPTURE_FILE(p, fn, dest, alt) \
	{ p, false, HOST_CAPTURE, fn, AT(dest), HOST_NO_RC, false, -1, alt }

/* Every input, in the order read (and in which problems are listed).  The
 * sysctls are absent when a kernel is too old, or outside the initial network
 * namespace for host-wide ones: report.c says why (unavailable[]).  The
 * release comes before the CPUs: before 6.0 they are not needed. */
const struct host_input host_inputs[] = {
	{ SNAPSHOT_META_FILE, false, HOST_SNAPSHOT, parse_meta, AT(meta), HOST_NO_RC, false, -1, NULL },
	/* a capture's time first: a capture from before 6.0 needs no CPU count */
	CAPTURE_FILE("sos_commands/date/date_--utc", parse_capture_time, capture_time, alt_date),
	/* the host's name for the header (a ticket, a fleet), live and in a
	 * snapshot; a capture's own hostname output after it wins */
	KERNEL_FILE("proc/sys/kernel/hostname", false, parse_hostname, hostname, HOST_NO_RC, false,
		    NULL),
	CAPTURE_FILE("sos_commands/host/hostname", parse_hostname, hostname, alt_hostname),
	KERNEL_FILE("proc/net/sockstat", true, parse_sockstat, ss4, AT(sockstat_rc), true, NULL),
	/* absent when IPv6 is disabled */
	KERNEL_FILE("proc/net/sockstat6", false, parse_sockstat, ss6, AT(sockstat6_rc), true, NULL),
	KERNEL_FILE("proc/net/protocols", true, parse_protocols, protos, AT(protocols_rc), true, NULL),
	KERNEL_FILE("proc/net/netstat", true, parse_netstat, netstat, AT(netstat_rc), true,
		    alt_counters),
	KERNEL_FILE("proc/net/snmp", true, parse_netstat, snmp, AT(snmp_rc), true, alt_counters),
	KERNEL_FILE("proc/meminfo", true, parse_meminfo, mem_total_bytes, HOST_NO_RC, false,
		    alt_meminfo),
	KERNEL_FILE("proc/sys/kernel/osrelease", true, parse_osrelease, kver, HOST_NO_RC, false,
		    alt_osrelease),
	KERNEL_FILE("sys/devices/system/cpu/possible", true, parse_cpulist, possible_cpus,
		    HOST_NO_RC, false, alt_cpus),
	SYSCTL(SC_TCP_MEM, "proc/sys/net/ipv4/tcp_mem"),
	SYSCTL(SC_UDP_MEM, "proc/sys/net/ipv4/udp_mem"),
	SYSCTL(SC_SCTP_MEM, "proc/sys/net/sctp/sctp_mem"),
	SYSCTL(SC_TCP_RMEM, "proc/sys/net/ipv4/tcp_rmem"),
	SYSCTL(SC_TCP_WMEM, "proc/sys/net/ipv4/tcp_wmem"),
	SYSCTL(SC_UDP_RMEM_MIN, "proc/sys/net/ipv4/udp_rmem_min"),
	SYSCTL(SC_UDP_WMEM_MIN, "proc/sys/net/ipv4/udp_wmem_min"),
	SYSCTL(SC_RMEM_DEFAULT, "proc/sys/net/core/rmem_default"),
	SYSCTL(SC_RMEM_MAX, "proc/sys/net/core/rmem_max"),
	SYSCTL(SC_WMEM_DEFAULT, "proc/sys/net/core/wmem_default"),
	SYSCTL(SC_WMEM_MAX, "proc/sys/net/core/wmem_max"),
	SYSCTL(SC_OPTMEM_MAX, "proc/sys/net/core/optmem_max"),
	SYSCTL(SC_MEM_PCPU_RSV, "proc/sys/net/core/mem_pcpu_rsv"),
	SYSCTL(SC_BYPASS_PROT_MEM, "proc/sys/net/core/bypass_prot_mem"),
	SYSCTL(SC_TCP_MAX_ORPHANS, "proc/sys/net/ipv4/tcp_max_orphans"),
	SYSCTL(SC_TCP_MAX_TW_BUCKETS, "proc/sys/net/ipv4/tcp_max_tw_buckets"),
	SYSCTL(SC_IPFRAG_HIGH_THRESH, "proc/sys/net/ipv4/ipfrag_high_thresh"),
	SYSCTL(SC_IP6FRAG_HIGH_THRESH, "proc/sys/net/ipv6/ip6frag_high_thresh"),
	/* what only a capture says: its architecture and page size */
	CAPTURE_FILE("proc/sys/kernel/arch", parse_machine, machine, alt_machine),
	CAPTURE_FILE("insights_commands/getconf_PAGE_SIZE", parse_getconf, getconf_page_size_bytes,
		     NULL),
};
const size_t host_ninputs = ARRAY_SIZE(host_inputs);
_Static_assert(ARRAY_SIZE(host_inputs) <= HOST_MAX_INPUTS, "struct host from[] is too small");

const struct host_input *host_sysctl_input(enum sysctl_id id)
{
	size_t i;

	for (i = 0; i < host_ninputs; i++)
		if (host_inputs[i].sysctl == (int)id)
			return &host_inputs[i];
	return NULL;
}

static bool page_size_valid(uint64_t ps)
{
	return ps >= 1024 && ps <= (1u << 20) && !(ps & (ps - 1));
}

/* Page size: an explicit option wins, then the snapshot's, then what a
 * capture says (capture_page_size), then ours - said loudly under a root. */
static void host_page_size(struct host *h, bool rooted, uint64_t page_size_opt)
{
	h->page_size_confidence = "certain";
	if (page_size_opt) {
		h->page_size_bytes = page_size_opt;
		h->page_size_source = "--page-size";
	} else if (h->have_meta && h->meta.page_size_bytes.ok &&
		   page_size_valid(h->meta.page_size_bytes.v)) {
		h->page_size_bytes = h->meta.page_size_bytes.v;
		h->page_size_source = "snapshot metadata";
	} else {
		struct capture_page_in in = { { 0, false }, NULL, h->machine, h->machine_from,
					      h->kver.ok ? h->kver.release : "", h->mem_total_bytes,
					      { 0, false } };
		struct capture_page_out out;
		long ps = sysconf(_SC_PAGESIZE);
		size_t i;

		for (i = 0; i < host_ninputs; i++)
			if (host_inputs[i].dest == offsetof(struct host, getconf_page_size_bytes))
				in.getconf_from = h->from[i].path;
		if (h->getconf_page_size_bytes.ok && page_size_valid(h->getconf_page_size_bytes.v))
			in.getconf_bytes = h->getconf_page_size_bytes;
		if (h->sysctl[SC_TCP_MEM].rc == 0)
			in.tcp_mem_pressure_pages = opt_some(h->sysctl[SC_TCP_MEM].v[1]);
		if (rooted)
			capture_page_size(&in, &out);
		if (rooted && out.bytes) {
			h->page_size_bytes = out.bytes;
			snprintf(h->page_size_why, sizeof(h->page_size_why), "%s", out.why);
			h->page_size_source = h->page_size_why;
			h->page_size_confidence = capture_confidence_name[out.conf];
		} else {
			h->page_size_bytes = ps > 0 ? (uint64_t)ps : 4096;
			h->page_size_source = rooted ? "ASSUMED: this machine's page size, as neither "
						       "metadata, getconf PAGE_SIZE nor the architecture "
						       "names one in the input; use --page-size"
						     : "running kernel";
			if (rooted)
				h->page_size_confidence = "assumed";
		}
	}
	if (h->have_meta && h->meta.page_size_bytes.ok && !page_size_valid(h->meta.page_size_bytes.v))
		host_problem(h, SNAPSHOT_META_FILE, 0, -EINVAL,
			     "page_size_bytes is not a power of two between 1 KiB and 1 MiB");
}

/* The per-namespace sysctl -a copies of a sosreport: ip_netns_exec_NS_sysctl_-a
 * beside the host's command outputs (sos 4.0) or in namespaces/NS/ (4.5+). */
struct host_ns_walk {
	struct host *h;
	const char *dir;
	int cap;
};

static void host_netns_sysctl_one(struct host *h, const char *rel, const char *ns, size_t nslen)
{
	struct host_netns_sysctl *e;
	struct sysctl_text t;
	struct parse_err err = { 0, "" };
	char *buf = NULL, *name, *path;
	size_t len = 0;
	int rc, i;

	e = &h->netns_sysctl[h->nnetns_sysctl];
	memset(e, 0, sizeof(*e));
	name = host_alloc(h, 4 * nslen + 1);
	path = host_alloc(h, strlen(rel) + 1);
	if (!name || !path)
		return;
	util_safe_token(name, 4 * nslen + 1, ns, nslen);
	memcpy(path, rel, strlen(rel) + 1);
	e->name = name;
	e->path = path;
	h->nnetns_sysctl++;
	rc = host_read_input(h, rel, &buf, &len);
	if (!rc && len > HOST_MAX_FILE) {
		free(buf);
		rc = -EFBIG;
	}
	if (rc) {
		const char *m = host_read_errmsg(rc);

		host_problem(h, rel, 0, rc, m ? m : strerror(-rc));
		return;
	}
	rc = sysctl_text_parse(buf, len, &t, &err);
	for (i = 0; !rc && i < SC_COUNT; i++) {
		const char *val;
		char tmp[512];
		size_t vl;
		int line, n;

		e->v[i].rc = -ENOENT;
		if (host_sysctl[i].scope != SCOPE_NETNS)
			continue;
		e->v[i].rc = sysctl_text_get(&t, host_sysctl[i].name, &val, &vl, &line, &err);
		if (e->v[i].rc == -ENOENT)
			continue;
		if (e->v[i].rc) {
			rc = e->v[i].rc;
			break;
		}
		n = sysctl_text_as_file(val, vl, tmp, sizeof(tmp));
		e->v[i].rc = n < 0 ? -EINVAL
			     : sysinfo_parse_vector(tmp, (size_t)n, e->v[i].v, host_sysctl[i].n, &err);
		if (e->v[i].rc) {
			err.line = line;
			rc = e->v[i].rc;
			break;
		}
	}
	free(buf);
	if (rc)
		host_problem(h, rel, err.line, rc, err.msg);
	e->ok = rc == 0;
}

static int host_netns_file_cb(const char *name, void *arg)
{
	static const char pre[] = "ip_netns_exec_", post[] = "_sysctl_-a";
	struct host_ns_walk *w = arg;
	size_t nl = strlen(name), pl = strlen(pre), sl = strlen(post);
	char rel[PATH_MAX];

	if (nl <= pl + sl || strncmp(name, pre, pl) || strcmp(name + nl - sl, post))
		return 0;
	if (w->h->nnetns_sysctl == w->cap) {
		int cap = w->cap ? 2 * w->cap : 8;
		struct host_netns_sysctl *n = host_alloc(w->h, (size_t)cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		if (w->h->nnetns_sysctl)
			memcpy(n, w->h->netns_sysctl, (size_t)w->h->nnetns_sysctl * sizeof(*n));
		w->h->netns_sysctl = n;
		w->cap = cap;
	}
	snprintf(rel, sizeof(rel), "%s/%s", w->dir, name);
	host_netns_sysctl_one(w->h, rel, name + pl, nl - pl - sl);
	return 0;
}

static int host_netns_dir_cb(const char *name, void *arg)
{
	struct host_ns_walk *w = arg;
	char dir[PATH_MAX];
	const char *saved = w->dir;

	snprintf(dir, sizeof(dir), "sos_commands/networking/namespaces/%s", name);
	w->dir = dir;
	host_list_dir(w->h, dir, host_netns_file_cb, w);
	w->dir = saved;
	return 0;
}

static void host_netns_sysctls(struct host *h)
{
	struct host_ns_walk w = { h, "sos_commands/networking", 0 };

	host_list_dir(h, w.dir, host_netns_file_cb, &w);
	host_list_dir(h, "sos_commands/networking/namespaces", host_netns_dir_cb, &w);
}

/* The one entry of a directory, or "" when it has none or several. */
struct host_only {
	char name[256];
	int n;
};

static int host_only_cb(const char *name, void *arg)
{
	struct host_only *o = arg;

	if (o->n++ == 0)
		snprintf(o->name, sizeof(o->name), "%s", name);
	return 0;
}

/* The layout of a --root tree: where it starts ("data/" in some insights
 * archives; the one directory inside, as "tar -xf" into an empty directory
 * leaves a sosreport) and which command outputs it holds. */
static void host_layout(struct host *h)
{
	static const char *const bases[] = { "", "data/" };
	struct host_only only = { "", 0 };
	size_t b;
	int l;

	for (b = 0; b < ARRAY_SIZE(bases); b++)
		for (l = LAYOUT_SOSREPORT; l <= LAYOUT_INSIGHTS; l++) {
			h->base = bases[b];
			if (host_exists(h, capture_layout_marker((enum capture_layout)l))) {
				h->layout = (enum capture_layout)l;
				return;
			}
		}
	h->base = "";
	h->layout = LAYOUT_PROC;
	if (host_list_dir(h, "", host_only_cb, &only) || only.n != 1 || strchr(only.name, '/'))
		return;
	for (l = LAYOUT_SOSREPORT; l <= LAYOUT_INSIGHTS; l++) {
		char marker[300], *base;

		snprintf(marker, sizeof(marker), "%s/%s", only.name,
			 capture_layout_marker((enum capture_layout)l));
		if (!host_exists(h, marker) || !(base = host_alloc(h, strlen(only.name) + 2)))
			continue;
		snprintf(base, strlen(only.name) + 2, "%s/", only.name);
		h->base = base;
		h->layout = (enum capture_layout)l;
		return;
	}
}

int host_collect(struct host *h, const char *root, uint64_t page_size_opt)
{
	bool rooted = root && root[0];
	time_t now = time(NULL);
	struct stat st;
	struct tm tm;
	size_t i;

	host_begin(h);
	h->base = "";
	gmtime_r(&now, &tm);
	strftime(h->collected_at, sizeof(h->collected_at), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (rooted && strlen(root) >= sizeof(h->root)) {
		/* no file under it could be opened */
		host_problem_at(h, root, "", 0, -ENAMETOOLONG, strerror(ENAMETOOLONG));
		h->sockstat_rc = -ENAMETOOLONG;
		host_page_size(h, rooted, page_size_opt);
		return h->sockstat_rc;
	}
	if (rooted)
		snprintf(h->root, sizeof(h->root), "%s", root);
	h->root_file = rooted && stat(root, &st) == 0 && S_ISREG(st.st_mode);
	if (h->root_file) {
		struct archive_error aerr;
		int rc = h->store ? archive_tree_open(root, &h->archive, &aerr) : -ENOMEM;

		if (rc) {
			host_problem_at(h, root, "", 0, rc, rc == -ENOMEM ? strerror(ENOMEM) : aerr.msg);
			h->sockstat_rc = rc;
			host_page_size(h, rooted, page_size_opt);
			return rc;
		}
		h->store->archive = h->archive;
	}
	if (rooted)
		host_layout(h);

	for (i = 0; i < host_ninputs; i++) {
		const struct host_input *in = &host_inputs[i];
		int rc;

		if ((in->origin == HOST_SNAPSHOT || in->origin == HOST_CAPTURE) && !rooted)
			continue;
		rc = host_load(h, i);
		if (in->rc != HOST_NO_RC)
			*(int *)(void *)((char *)h + in->rc) = rc;
		if (in->dest == offsetof(struct host, machine) && h->machine[0])
			h->machine_from = h->from[i].path;
	}
	if (h->layout == LAYOUT_SOSREPORT)
		host_netns_sysctls(h);
	/* tcp_mem is only in init_net's table; tcp_rmem is in every netns. */
	h->netns_child = h->sysctl[SC_TCP_MEM].rc == -ENOENT && h->sysctl[SC_TCP_RMEM].rc == 0;

	/* Kernel release and CPUs: the tree's own files, else the snapshot's metadata. */
	if (!h->kver.ok && h->have_meta && h->meta.kernel_release[0]) {
		char tmp[sizeof(h->meta.kernel_release) + 2];
		struct parse_err e;
		int n = snprintf(tmp, sizeof(tmp), "%s\n", h->meta.kernel_release);

		sysinfo_parse_osrelease(tmp, (size_t)n, &h->kver, &e);
	}
	if (!h->possible_cpus.ok && h->have_meta && h->meta.possible_cpus.ok)
		h->possible_cpus = h->meta.possible_cpus;
	/* Without a release, the capture's time bounds it: not the newest
	 * kernel for a capture taken before 6.0 existed. */
	h->kernel_before_6_0 = !h->kver.ok && h->capture_year && h->capture_year < 2022;

	host_page_size(h, rooted, page_size_opt);
	return h->sockstat_rc;
}
