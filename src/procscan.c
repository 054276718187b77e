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
	struct keymap seen;
	DIR *d;
	struct dirent *e;
	uint64_t n;

	*complete = true;
	if (keymap_init(&seen, 1))
		return 0;
	d = opendir("/proc");
	while (d && (e = readdir(d))) {
		char path[64];
		struct stat st;

		if (!procscan_is_pid(e->d_name))
			continue;
		snprintf(path, sizeof(path), "/proc/%.20s/ns/net", e->d_name);
		if (stat(path, &st)) {
			if (errno == EACCES || errno == EPERM)
				*complete = false;
			continue;
		}
		keymap_get(&seen, st.st_ino);
	}
	if (d)
		closedir(d);
	d = opendir("/run/netns");
	while (d && (e = readdir(d))) {
		char path[PATH_MAX];
		struct stat st;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/run/netns/%s", e->d_name);
		if (!stat(path, &st))
			keymap_get(&seen, st.st_ino);
	}
	if (d)
		closedir(d);
	n = seen.n;
	keymap_free(&seen);
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

/* Depth-first search for the directory whose inode is id (bounded). */
static bool procscan_find_ino(char *path, size_t cap, uint64_t id, int depth, int *budget)
{
	DIR *d;
	struct dirent *e;
	size_t len = strlen(path);
	bool found = false;

	if (depth > 32 || --*budget < 0)
		return false;
	d = opendir(path);
	if (!d)
		return false;
	while (!found && (e = readdir(d))) {
		struct stat st;

		if (e->d_name[0] == '.' || e->d_type != DT_DIR)
			continue;
		if (len + strlen(e->d_name) + 2 > cap)
			continue;
		snprintf(path + len, cap - len, "/%s", e->d_name);
		if (!stat(path, &st) && st.st_ino == id) {
			found = true;
			break;
		}
		if (procscan_find_ino(path, cap, id, depth + 1, budget)) {
			found = true;
			break;
		}
		path[len] = '\0';
	}
	closedir(d);
	if (!found)
		path[len] = '\0';
	return found;
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
	struct stat st;
	int budget = 20000;
	const char *rel;

	memset(ci, 0, sizeof(*ci));
	if (procscan_cgroup2_mount(mnt, sizeof(mnt)))
		return -ENOENT;
	snprintf(path, sizeof(path), "%s", mnt);
	if (!stat(path, &st) && st.st_ino == id)
		ci->found = true;
	else
		ci->found = procscan_find_ino(path, sizeof(path), id, 0, &budget);
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
		snprintf(label, sizeof(label), "pid %.20s (%.60s)", e->d_name, comm);
		rc = netns_add(list, n, &cap, &seen, st.st_ino, path, label);
	}
	if (d)
		closedir(d);
	keymap_free(&seen);
	return rc;
}

/* "unlimited" in v1 is PAGE_COUNTER_MAX pages: anything near 2^63 */
#define KMEM_UNLIMITED (1ull << 62)

static void kmem_walk(char *path, size_t cap, int depth, int *budget, uint64_t *limited,
		      uint64_t *usage)
{
	char f[PATH_MAX + 64];
	size_t len = strlen(path);
	struct opt lim;
	DIR *d;
	struct dirent *e;

	if (depth > 16 || --*budget < 0)
		return;
	snprintf(f, sizeof(f), "%s/memory.kmem.tcp.limit_in_bytes", path);
	lim = procscan_read_u64(f, NULL);
	if (lim.ok && lim.v < KMEM_UNLIMITED) {
		struct opt u;

		snprintf(f, sizeof(f), "%s/memory.kmem.tcp.usage_in_bytes", path);
		u = procscan_read_u64(f, NULL);
		(*limited)++;
		if (u.ok)
			*usage += u.v;
	}
	d = opendir(path);
	if (!d)
		return;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || e->d_type != DT_DIR || len + strlen(e->d_name) + 2 > cap)
			continue;
		snprintf(path + len, cap - len, "/%s", e->d_name);
		kmem_walk(path, cap, depth + 1, budget, limited, usage);
		path[len] = '\0';
	}
	closedir(d);
}

void procscan_kmem_tcp(uint64_t *limited, uint64_t *usage_bytes, bool *known)
{
	char path[PATH_MAX] = "/sys/fs/cgroup/memory";
	int budget = 20000;

	*limited = *usage_bytes = 0;
	*known = access("/sys/fs/cgroup/memory/memory.kmem.tcp.limit_in_bytes", R_OK) == 0;
	if (*known)
		kmem_walk(path, sizeof(path), 0, &budget, limited, usage_bytes);
}

static void memcg_walk(char *path, size_t cap, size_t mntlen, int depth, int *budget,
		       struct memcg_entry *out, int max, int *n, double min_fraction)
{
	char f[PATH_MAX + 64];
	size_t len = strlen(path);
	struct opt cur, lim, sock;
	DIR *d;
	struct dirent *e;

	if (depth > 16 || --*budget < 0)
		return;
	snprintf(f, sizeof(f), "%s/memory.max", path);
	lim = procscan_read_u64(f, NULL);
	snprintf(f, sizeof(f), "%s/memory.current", path);
	cur = procscan_read_u64(f, NULL);
	snprintf(f, sizeof(f), "%s/memory.stat", path);
	sock = procscan_read_u64(f, "sock");
	if (lim.ok && lim.v && cur.ok && sock.ok && sock.v &&
	    (double)cur.v >= min_fraction * (double)lim.v) {
		double r = (double)cur.v / (double)lim.v;
		int i = *n < max ? (*n)++ : max - 1;

		/* keep the fullest: insertion into out[] sorted by current/max */
		if (i == max - 1 && *n == max && i >= 0 &&
		    (double)out[i].current_bytes / (double)out[i].max_bytes >= r && out[i].max_bytes)
			goto children;
		while (i > 0 && (double)out[i - 1].current_bytes / (double)out[i - 1].max_bytes < r) {
			out[i] = out[i - 1];
			i--;
		}
		snprintf(out[i].path, sizeof(out[i].path), "%s", len > mntlen ? path + mntlen : "/");
		out[i].current_bytes = cur.v;
		out[i].max_bytes = lim.v;
		out[i].sock_bytes = sock.v;
		snprintf(f, sizeof(f), "%s/memory.events", path);
		out[i].sock_throttled = procscan_read_u64(f, "sock_throttled");
	}
children:
	d = opendir(path);
	if (!d)
		return;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || e->d_type != DT_DIR || len + strlen(e->d_name) + 2 > cap)
			continue;
		snprintf(path + len, cap - len, "/%s", e->d_name);
		memcg_walk(path, cap, mntlen, depth + 1, budget, out, max, n, min_fraction);
		path[len] = '\0';
	}
	closedir(d);
}

int procscan_memcg_scan(struct memcg_entry *out, int max, double min_fraction)
{
	char path[PATH_MAX];
	int n = 0, budget = 20000;

	if (max <= 0 || procscan_cgroup2_mount(path, sizeof(path)))
		return 0;
	memcg_walk(path, sizeof(path), strlen(path), 0, &budget, out, max, &n, min_fraction);
	return n;
}
