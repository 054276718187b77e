/* procscan.c - /proc/PID/fd scan, comm, network namespaces, cgroup paths. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host.h"
#include "procscan.h"

static bool procscan_is_pid(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

int procscan_socket_inodes(struct keymap *map, struct procscan_stats *st)
{
	DIR *proc = opendir("/proc");
	struct dirent *pe;

	memset(st, 0, sizeof(*st));
	if (!proc)
		return -errno;
	while ((pe = readdir(proc))) {
		char path[64];
		DIR *fds;
		struct dirent *fe;
		int dfd;
		uint32_t pid;

		if (!procscan_is_pid(pe->d_name))
			continue;
		pid = (uint32_t)strtoul(pe->d_name, NULL, 10);
		st->processes++;
		snprintf(path, sizeof(path), "/proc/%.20s/fd", pe->d_name);
		dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd < 0) {
			if (errno == EACCES || errno == EPERM)
				st->denied++;
			continue;
		}
		fds = fdopendir(dfd);
		if (!fds) {
			close(dfd);
			continue;
		}
		while ((fe = readdir(fds))) {
			char link[64];
			ssize_t n;
			uint32_t *v;
			unsigned long ino;

			if (fe->d_name[0] == '.')
				continue;
			n = readlinkat(dfd, fe->d_name, link, sizeof(link) - 1);
			if (n < 9 || memcmp(link, "socket:[", 8))
				continue;
			link[n] = '\0';
			ino = strtoul(link + 8, NULL, 10);
			st->socket_fds++;
			v = keymap_find(map, ino);
			if (v && *v && *v <= pid)
				continue;
			v = keymap_get(map, ino);
			if (!v) {
				closedir(fds);
				closedir(proc);
				return -ENOMEM;
			}
			*v = pid;
		}
		closedir(fds);
	}
	closedir(proc);
	return 0;
}

void procscan_comm(uint32_t pid, char *dst, size_t dstsz)
{
	char path[64], buf[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%u/comm", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(dst, dstsz, "?");
		return;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0) {
		snprintf(dst, dstsz, "?");
		return;
	}
	if (buf[n - 1] == '\n')
		n--;
	/* comm is chosen by the process: never let it reach a terminal raw */
	util_safe_token(dst, dstsz, buf, (size_t)n);
}

uint64_t procscan_netns_count(bool *complete)
{
	struct netns_ent *list;
	size_t n;

	if (procscan_netns_list(&list, &n, complete))
		return 0;
	free(list);
	return n;
}

/* The cgroup2 mount point from /proc/self/mountinfo. */
static int procscan_cgroup2_mount(char *dst, size_t dstsz)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[4096];

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		char *sep = strstr(line, " - ");
		char mnt[PATH_MAX], fstype[64];

		if (!sep || sscanf(sep + 3, "%63s", fstype) != 1 || strcmp(fstype, "cgroup2"))
			continue;
		if (sscanf(line, "%*s %*s %*s %*s %4095s", mnt) == 1) {
			snprintf(dst, dstsz, "%s", mnt);
			fclose(f);
			return 0;
		}
	}
	fclose(f);
	return -ENOENT;
}

/* Depth-first walk of the directories under path (path is extended in place
 * and restored), at most 16 deep and budget directories: visit() returns true
 * to stop, leaving path at the directory it stopped at. */
typedef bool (*procscan_visit_fn)(const char *path, void *ctx);

static bool procscan_walk(char *path, size_t cap, int depth, int *budget, procscan_visit_fn visit,
			  void *ctx)
{
	size_t len = strlen(path);
	struct dirent *e;
	DIR *d;

	if (depth > 16 || --*budget < 0)
		return false;
	if (visit(path, ctx))
		return true;
	d = opendir(path);
	if (!d)
		return false;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || e->d_type != DT_DIR || len + strlen(e->d_name) + 2 > cap)
			continue;
		snprintf(path + len, cap - len, "/%s", e->d_name);
		if (procscan_walk(path, cap, depth + 1, budget, visit, ctx)) {
			closedir(d);
			return true;
		}
		path[len] = '\0';
	}
	closedir(d);
	return false;
}

static bool find_ino_visit(const char *path, void *ctx)
{
	struct stat st;

	return !stat(path, &st) && st.st_ino == *(const uint64_t *)ctx;
}

struct opt procscan_parse_u64(const char *buf, size_t len, const char *key)
{
	struct opt none = { 0, false };
	const char *p = buf, *end = buf + len, *l;
	size_t n, kl = key ? strlen(key) : 0;
	int lineno = 0;

	while (util_next_line(&p, end, &l, &n, &lineno)) {
		const char *v = l;
		size_t vl = n, tl;
		uint64_t x;

		if (key) {
			if (n <= kl || memcmp(l, key, kl) || l[kl] != ' ')
				continue;
			v = l + kl + 1;
			vl = n - kl - 1;
		}
		v = util_next_token(&v, v + vl, &tl);
		if (v && !util_parse_u64(v, tl, &x))
			return opt_some(x);
		return none;
	}
	return none;
}

static struct opt procscan_read_u64(const char *path, const char *key)
{
	struct opt none = { 0, false }, o;
	char *buf;
	size_t len;

	if (host_read_file(NULL, path, &buf, &len))
		return none;
	o = procscan_parse_u64(buf, len, key);
	free(buf);
	return o;
}

int procscan_cgroup(uint64_t id, struct cgroup_info *ci)
{
	char mnt[PATH_MAX], path[PATH_MAX], f[PATH_MAX + 64];
	int budget = 20000;
	const char *rel;

	memset(ci, 0, sizeof(*ci));
	if (procscan_cgroup2_mount(mnt, sizeof(mnt)))
		return -ENOENT;
	snprintf(path, sizeof(path), "%s", mnt);
	ci->found = procscan_walk(path, sizeof(path), 0, &budget, find_ino_visit, &id);
	if (!ci->found)
		return -ENOENT;
	rel = path + strlen(mnt);
	snprintf(ci->path, sizeof(ci->path), "%s", *rel ? rel : "/");
	/* cgroup v2 memory controller */
	snprintf(f, sizeof(f), "%s/memory.stat", path);
	ci->sock_bytes = procscan_read_u64(f, "sock");
	snprintf(f, sizeof(f), "%s/memory.current", path);
	ci->current_bytes = procscan_read_u64(f, NULL);
	snprintf(f, sizeof(f), "%s/memory.max", path);
	ci->max_bytes = procscan_read_u64(f, NULL); /* "max" parses as absent */
	/* cgroup v1 memory controller beside a hybrid v2 mount: same path */
	snprintf(f, sizeof(f), "/sys/fs/cgroup/memory%s/memory.kmem.tcp.usage_in_bytes",
		 *rel ? rel : "");
	ci->kmem_tcp_usage_bytes = procscan_read_u64(f, NULL);
	snprintf(f, sizeof(f), "/sys/fs/cgroup/memory%s/memory.kmem.tcp.limit_in_bytes",
		 *rel ? rel : "");
	ci->kmem_tcp_limit_bytes = procscan_read_u64(f, NULL);
	return 0;
}

static int netns_add(struct netns_ent **list, size_t *n, size_t *cap, struct keymap *seen,
		     uint64_t ino, const char *path, const char *label)
{
	struct netns_ent *e;

	if (keymap_find(seen, ino))
		return 0;
	if (!keymap_get(seen, ino))
		return -ENOMEM;
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 16;
		struct netns_ent *nl = realloc(*list, nc * sizeof(*nl));

		if (!nl)
			return -ENOMEM;
		*list = nl;
		*cap = nc;
	}
	e = &(*list)[(*n)++];
	e->inode = ino;
	snprintf(e->path, sizeof(e->path), "%s", path);
	snprintf(e->label, sizeof(e->label), "%s", label);
	return 0;
}

/* Whether sockmem runs in the initial PID namespace (PROC_PID_INIT_INO). */
static bool procscan_initial_pidns(void)
{
	struct stat st;

	return !stat("/proc/self/ns/pid", &st) && st.st_ino == 0xEFFFFFFCu;
}

int procscan_netns_list(struct netns_ent **list, size_t *n, bool *complete)
{
	struct keymap seen;
	size_t cap = 0;
	DIR *d;
	struct dirent *e;
	int rc = 0;

	struct stat self;

	*list = NULL;
	*n = 0;
	*complete = true;
	if (keymap_init(&seen, 1))
		return -ENOMEM;
	/* sockmem's own namespace first, so it is named as such */
	if (!stat("/proc/self/ns/net", &self))
		rc = netns_add(list, n, &cap, &seen, self.st_ino, "/proc/self/ns/net",
			       "this namespace (sockmem's)");
	d = opendir("/run/netns");
	while (!rc && d && (e = readdir(d))) {
		char path[PATH_MAX], label[128];
		struct stat st;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/run/netns/%s", e->d_name);
		if (stat(path, &st))
			continue;
		util_safe_token(label, sizeof(label), e->d_name, strlen(e->d_name));
		rc = netns_add(list, n, &cap, &seen, st.st_ino, path, label);
	}
	if (d)
		closedir(d);
	d = opendir("/proc");
	while (!rc && d && (e = readdir(d))) {
		char path[64], label[128], comm[64];
		struct stat st;

		if (!procscan_is_pid(e->d_name))
			continue;
		snprintf(path, sizeof(path), "/proc/%.20s/ns/net", e->d_name);
		if (stat(path, &st)) {
			if (errno == EACCES || errno == EPERM)
				*complete = false;
			continue;
		}
		if (keymap_find(&seen, st.st_ino))
			continue;
		procscan_comm((uint32_t)strtoul(e->d_name, NULL, 10), comm, sizeof(comm));
		/* In the initial PID namespace, init (1) and kthreadd (2) live in
		 * the initial network namespace (kernel threads always do): name
		 * it so, not "pid 2 (kthreadd)" as seen from "ip netns exec". */
		if ((!strcmp(e->d_name, "1") || !strcmp(e->d_name, "2")) && procscan_initial_pidns())
			snprintf(label, sizeof(label), "initial (host)");
		else
			snprintf(label, sizeof(label), "pid %.20s (%.60s)", e->d_name, comm);
		rc = netns_add(list, n, &cap, &seen, st.st_ino, path, label);
	}
	if (d)
		closedir(d);
	keymap_free(&seen);
	return rc;
}

/* "unlimited" in v1 is PAGE_COUNTER_MAX pages: anything near 2^63 */

struct kmem_ctx {
	uint64_t limited, usage;
};

static bool kmem_visit(const char *path, void *ctx)
{
	struct kmem_ctx *c = ctx;
	char f[PATH_MAX + 64];
	struct opt lim, u;

	snprintf(f, sizeof(f), "%s/memory.kmem.tcp.limit_in_bytes", path);
	lim = procscan_read_u64(f, NULL);
	if (lim.ok && lim.v < PROCSCAN_KMEM_UNLIMITED_BYTES) {
		snprintf(f, sizeof(f), "%s/memory.kmem.tcp.usage_in_bytes", path);
		u = procscan_read_u64(f, NULL);
		c->limited++;
		if (u.ok)
			c->usage += u.v;
	}
	return false;
}

void procscan_kmem_tcp(uint64_t *limited, uint64_t *usage_bytes, bool *known)
{
	char path[PATH_MAX] = "/sys/fs/cgroup/memory";
	int budget = 20000;

	struct kmem_ctx c = { 0, 0 };

	*known = access("/sys/fs/cgroup/memory/memory.kmem.tcp.limit_in_bytes", R_OK) == 0;
	if (*known)
		procscan_walk(path, sizeof(path), 0, &budget, kmem_visit, &c);
	*limited = c.limited;
	*usage_bytes = c.usage;
}

struct memcg_ctx {
	struct memcg_entry *out;
	int max, n;
	size_t mntlen;
	double min_fraction;
};

static bool memcg_visit(const char *path, void *ctx)
{
	struct memcg_ctx *c = ctx;
	char f[PATH_MAX + 64];
	struct opt cur, lim, sock;
	double r;
	int i;

	snprintf(f, sizeof(f), "%s/memory.max", path);
	lim = procscan_read_u64(f, NULL);
	snprintf(f, sizeof(f), "%s/memory.current", path);
	cur = procscan_read_u64(f, NULL);
	snprintf(f, sizeof(f), "%s/memory.stat", path);
	sock = procscan_read_u64(f, "sock");
	if (!lim.ok || !lim.v || !cur.ok || !sock.ok || !sock.v ||
	    (double)cur.v < c->min_fraction * (double)lim.v)
		return false;
	r = (double)cur.v / (double)lim.v;
	/* keep the fullest: insertion into out[] sorted by current/max */
	if (c->n == c->max && (double)c->out[c->n - 1].current_bytes /
				      (double)c->out[c->n - 1].max_bytes >= r)
		return false;
	i = c->n < c->max ? c->n++ : c->max - 1;
	while (i > 0 && (double)c->out[i - 1].current_bytes / (double)c->out[i - 1].max_bytes < r) {
		c->out[i] = c->out[i - 1];
		i--;
	}
	snprintf(c->out[i].path, sizeof(c->out[i].path), "%s",
		 strlen(path) > c->mntlen ? path + c->mntlen : "/");
	c->out[i].current_bytes = cur.v;
	c->out[i].max_bytes = lim.v;
	c->out[i].sock_bytes = sock.v;
	snprintf(f, sizeof(f), "%s/memory.events", path);
	c->out[i].sock_throttled = procscan_read_u64(f, "sock_throttled");
	return false;
}

int procscan_memcg_scan(struct memcg_entry *out, int max, double min_fraction)
{
	char path[PATH_MAX];
	int budget = 20000;
	struct memcg_ctx c = { out, max, 0, 0, min_fraction };

	if (max <= 0 || procscan_cgroup2_mount(path, sizeof(path)))
		return 0;
	c.mntlen = strlen(path);
	procscan_walk(path, sizeof(path), 0, &budget, memcg_visit, &c);
	return c.n;
}
