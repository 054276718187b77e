/* host.c - reads the host view from /proc and /sys (or a --root tree):
 * sockstat, protocols, netstat, snmp, meminfo, sysctls, possible CPUs. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "host.h"

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
	host_problem_at(h, h->root, rel, line, rc, msg);
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

/* Reads and parses one input into h.  On failure records a problem (unless
 * the file is absent and not expected) and returns the -errno. */
static int host_load(struct host *h, const struct host_input *in)
{
	struct parse_err err = { 0, "" };
	char *buf = NULL;
	size_t len = 0;
	int rc;

	rc = host_read_file(h->root, in->path, &buf, &len);
	if (rc) {
		const char *m = host_read_errmsg(rc);

		if (rc != -ENOENT || in->expected)
			host_problem(h, in->path, 0, rc, m ? m : strerror(-rc));
		return rc;
	}
	/* what the parser fills may point into the text: it goes with the collection */
	if (in->keeps_text && host_keep(h, buf)) {
		host_problem(h, in->path, 0, -ENOMEM, strerror(ENOMEM));
		return -ENOMEM;
	}
	rc = in->parse(h, in, (char *)h + in->dest, buf, len, &err);
	if (!in->keeps_text)
		free(buf);
	if (rc)
		host_problem(h, in->path, err.line, rc, err.msg);
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

#define AT(field) offsetof(struct host, field)
#define KERNEL_FILE(p, exp, fn, dest, rc, keep) \
	{ p, exp, HOST_KERNEL, fn, AT(dest), rc, keep, -1 }
#define SYSCTL(id, p) \
	{ p, false, HOST_KERNEL, parse_sysctl, AT(sysctl[id]), AT(sysctl[id].rc), false, id }

/* Every input, in the order read (and in which problems are listed).  The
 * sysctls are absent when a kernel is too old, or outside the initial network
 * namespace for host-wide ones: report.c says why (unavailable[]). */
const struct host_input host_inputs[] = {
	{ SNAPSHOT_META_FILE, false, HOST_SNAPSHOT, parse_meta, AT(meta), HOST_NO_RC, false, -1 },
	KERNEL_FILE("proc/net/sockstat", true, parse_sockstat, ss4, AT(sockstat_rc), true),
	/* absent when IPv6 is disabled */
	KERNEL_FILE("proc/net/sockstat6", false, parse_sockstat, ss6, AT(sockstat6_rc), true),
	KERNEL_FILE("proc/net/protocols", true, parse_protocols, protos, AT(protocols_rc), true),
	KERNEL_FILE("proc/net/netstat", true, parse_netstat, netstat, AT(netstat_rc), true),
	KERNEL_FILE("proc/net/snmp", true, parse_netstat, snmp, AT(snmp_rc), true),
	KERNEL_FILE("proc/meminfo", true, parse_meminfo, mem_total_bytes, HOST_NO_RC, false),
	KERNEL_FILE("proc/sys/kernel/osrelease", true, parse_osrelease, kver, HOST_NO_RC, false),
	KERNEL_FILE("sys/devices/system/cpu/possible", true, parse_cpulist, possible_cpus,
		    HOST_NO_RC, false),
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
};
const size_t host_ninputs = ARRAY_SIZE(host_inputs);

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

/* Page size: an explicit option wins, then the snapshot's, then ours. */
static void host_page_size(struct host *h, bool rooted, uint64_t page_size_opt)
{
	if (page_size_opt) {
		h->page_size_bytes = page_size_opt;
		h->page_size_source = "--page-size";
	} else if (h->have_meta && h->meta.page_size_bytes.ok &&
		   page_size_valid(h->meta.page_size_bytes.v)) {
		h->page_size_bytes = h->meta.page_size_bytes.v;
		h->page_size_source = "snapshot metadata";
	} else {
		long ps = sysconf(_SC_PAGESIZE);

		h->page_size_bytes = ps > 0 ? (uint64_t)ps : 4096;
		h->page_size_source = rooted ? "assumed: this machine's page size (no metadata; "
					       "use --page-size)"
					     : "running kernel";
	}
	if (h->have_meta && h->meta.page_size_bytes.ok && !page_size_valid(h->meta.page_size_bytes.v))
		host_problem(h, SNAPSHOT_META_FILE, 0, -EINVAL,
			     "page_size_bytes is not a power of two between 1 KiB and 1 MiB");
}

int host_collect(struct host *h, const char *root, uint64_t page_size_opt)
{
	bool rooted = root && root[0];
	time_t now = time(NULL);
	struct tm tm;
	size_t i;

	host_begin(h);
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

	for (i = 0; i < host_ninputs; i++) {
		const struct host_input *in = &host_inputs[i];
		int rc;

		if (in->origin == HOST_SNAPSHOT && !rooted)
			continue;
		rc = host_load(h, in);
		if (in->rc != HOST_NO_RC)
			*(int *)(void *)((char *)h + in->rc) = rc;
	}
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

	host_page_size(h, rooted, page_size_opt);
	return h->sockstat_rc;
}
