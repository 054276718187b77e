/* procscan.c - /proc/PID/fd scan, comm, network namespaces, cgroup paths
 * and their memory figures.  What a walk cannot read is named in the host's
 * problems; what goes away while it walks is counted in h->deleted. */
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

/* Failures named one by one in a walk; the others are summed in one line. */
#define PROCSCAN_NAMED 8
/* A cgroup walk visits at most this many directories, this deep. */
#define PROCSCAN_WALK_BUDGET 20000
#define PROCSCAN_WALK_DEPTH 16
/* PROC_CGROUP_INIT_INO: the initial cgroup namespace. */
#define PROCSCAN_INIT_CGROUPNS_INO 0xEFFFFFFBu

/* The failures of one walk: the first PROCSCAN_NAMED named with their path,
 * the rest counted into one line at the end (procscan_fail_end). */
struct procscan_errs {
	struct host *h;
	int named;
	uint64_t more;
	int more_rc;
};

static void procscan_fail(struct procscan_errs *e, const char *path, int rc)
{
	if (e->named < PROCSCAN_NAMED) {
		host_problem_add(e->h, path, rc, NULL);
		e->named++;
	} else {
		e->more++;
		e->more_rc = rc;
	}
}

static void procscan_fail_end(struct procscan_errs *e, const char *where, const char *what)
{
	char msg[200];

	if (!e->more)
		return;
	snprintf(msg, sizeof(msg), "%llu more %s could not be read (the last: %s)",
		 (unsigned long long)e->more, what, strerror(-e->more_rc));
	host_problem_add(e->h, where, e->more_rc, msg);
	e->more = 0;
}

/* The next entry of d, or NULL at the end; *rc: 0, or the -errno of a
 * listing that failed (readdir() leaves errno alone at the end). */
static struct dirent *procscan_readdir(DIR *d, int *rc)
{
	struct dirent *e;

	errno = 0;
	e = readdir(d);
	*rc = e || !errno ? 0 : -errno;
	return e;
}

static bool procscan_is_pid(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* Whether /proc/PID has gone: the process exited while the walk went on
 * (not a zombie, whose /proc/PID stays while its files go). */
static bool procscan_pid_gone(const char *pid)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%.20s", pid);
	return stat(path, &st) && (errno == ENOENT || errno == ESRCH);
}

/* The processes whose fd table was refused with err: one problem for all. */
static void procscan_denied(struct host *h, int err, uint64_t n, uint32_t first, uint64_t of)
{
	char path[64], msg[200];

	if (!n)
		return;
	if (n == 1) {
		snprintf(path, sizeof(path), "/proc/%u/fd", first);
		host_problem_add(h, path, -err, NULL);
		return;
	}
	snprintf(msg, sizeof(msg), "%s: %llu of %llu processes (the first: PID %u; reading "
		 "another user's /proc/PID/fd needs root)", strerror(err), (unsigned long long)n,
		 (unsigned long long)of, first);
	host_problem_add(h, "/proc/*/fd", -err, msg);
}

/* The socket fds of one process into map: 0, -ENOMEM, or the -errno of a
 * listing that failed part way. */
static int procscan_fds(DIR *fds, uint32_t pid, struct keymap *map, struct procscan_stats *st,
		       bool only_known)
{
	struct dirent *fe;
	int rc;

	while ((fe = procscan_readdir(fds, &rc))) {
		char link[64];
		ssize_t n;
		uint32_t *v;
		unsigned long ino;

		if (fe->d_name[0] == '.')
			continue;
		n = readlinkat(dirfd(fds), fe->d_name, link, sizeof(link) - 1);
		if (n < 9 || memcmp(link, "socket:[", 8))
			continue;
		link[n] = '\0';
		ino = strtoul(link + 8, NULL, 10);
		if (ino >= PROCSCAN_KEY_LAST_PID)
			continue;	/* not a socket inode (they are 32-bit) */
		st->socket_fds++;
		v = keymap_find(map, ino);
		if (only_known && !v)
			continue;	/* not one of the sockets asked about */
		if (v && *v == pid)
			continue;	/* a dup of one this process holds */
		if (v && *v) {
			/* another process holds it too (fork, SCM_RIGHTS): counted
			 * once per process, its fds being listed one after another */
			uint32_t *last = keymap_get(map, ino | PROCSCAN_KEY_LAST_PID), *others;

			if (!last)
				return -ENOMEM;
			if (*last != pid) {
				if (!(others = keymap_get(map, ino | PROCSCAN_KEY_OTHERS)))
					return -ENOMEM;
				if (!*others)
					st->shared_sockets++;
				*others += *others != UINT32_MAX;
				*last = pid;
			}
			/* keymap_get may have moved the values */
			v = keymap_find(map, ino);
			if (*v <= pid)
				continue;
		} else if (!(v = keymap_get(map, ino))) {
			return -ENOMEM;
		}
		*v = pid;
	}
	return rc;
}


static int procscan_walk_fds(struct host *h, struct keymap *map, struct procscan_stats *st,
			     bool name_denied, bool only_known)
{
	struct procscan_errs errs = { h, 0, 0, 0 };
	uint64_t denied_n[2] = { 0, 0 };	/* EACCES, EPERM */
	uint32_t denied_first[2] = { 0, 0 };
	DIR *proc = opendir("/proc");
	struct dirent *pe;
	int rc = 0, lrc = 0, k;

	memset(st, 0, sizeof(*st));
	if (!proc) {
		rc = -errno;
		host_problem_add(h, "/proc", rc, NULL);
		return rc;
	}
	while (!rc && (pe = procscan_readdir(proc, &lrc))) {
		char path[64];
		DIR *fds;
		int dfd, e;
		uint32_t pid;

		if (!procscan_is_pid(pe->d_name))
			continue;
		pid = (uint32_t)strtoul(pe->d_name, NULL, 10);
		st->processes++;
		snprintf(path, sizeof(path), "/proc/%.20s/fd", pe->d_name);
		dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		fds = dfd < 0 ? NULL : fdopendir(dfd);
		if (!fds) {
			e = -errno;
			if (dfd >= 0)
				close(dfd);
		} else {
			e = procscan_fds(fds, pid, map, st, only_known);
			closedir(fds);
		}
		if (!e)
			continue;
		if (e == -ENOMEM) {
			rc = e;
		} else if (e == -ENOENT || e == -ESRCH) {
			/* it exited: gone, or a zombie (no fds left to read) */
			if (procscan_pid_gone(pe->d_name))
				h->deleted.processes++;
		} else if (e == -EACCES || e == -EPERM) {
			st->denied++;
			k = e == -EPERM;
			if (!denied_n[k]++)
				denied_first[k] = pid;
		} else {
			st->denied++;
			procscan_fail(&errs, path, e);
		}
	}
	closedir(proc);
	if (lrc && !rc) {
		rc = lrc;
		host_problem_add(h, "/proc", lrc, NULL);
	}
	procscan_fail_end(&errs, "/proc/*/fd", "fd tables");
	for (k = 0; k < 2 && name_denied; k++)
		procscan_denied(h, k ? EPERM : EACCES, denied_n[k], denied_first[k], st->processes);
	return rc;
}

int procscan_socket_inodes(struct host *h, struct keymap *map, struct procscan_stats *st,
			   bool name_denied)
{
	return procscan_walk_fds(h, map, st, name_denied, false);
}

int procscan_socket_inodes_of(struct host *h, struct keymap *map, struct procscan_stats *st)
{
	return procscan_walk_fds(h, map, st, false, true);
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
	do
		n = read(fd, buf, sizeof(buf) - 1);
	while (n < 0 && errno == EINTR);
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

uint64_t procscan_netns_count(struct host *h, bool *complete)
{
	struct netns_ent *list;
	size_t n;

	if (procscan_netns_list(h, &list, &n, complete))
		return 0;
	free(list);
	return n;
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

/* The named namespaces of /run/netns (absent: none). */
static int procscan_netns_named(struct host *h, struct netns_ent **list, size_t *n, size_t *cap,
				struct keymap *seen, bool *complete)
{
	DIR *d = opendir("/run/netns");
	struct dirent *e;
	int rc = 0, lrc = 0;

	if (!d) {
		if (errno != ENOENT) {
			host_problem_add(h, "/run/netns", -errno, NULL);
			*complete = false;
		}
		return 0;
	}
	while (!rc && (e = procscan_readdir(d, &lrc))) {
		char path[PATH_MAX], label[128];
		struct stat st;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/run/netns/%s", e->d_name);
		if (stat(path, &st)) {
			if (errno == ENOENT) {
				h->deleted.network_namespaces++;	/* ip netns del meanwhile */
			} else {
				host_problem_add(h, path, -errno, NULL);
				*complete = false;
			}
			continue;
		}
		util_safe_token(label, sizeof(label), e->d_name, strlen(e->d_name));
		rc = netns_add(list, n, cap, seen, st.st_ino, path, label);
	}
	closedir(d);
	if (lrc) {
		host_problem_add(h, "/run/netns", lrc, NULL);
		*complete = false;
	}
	return rc;
}

int procscan_netns_list(struct host *h, struct netns_ent **list, size_t *n, bool *complete)
{
	struct keymap seen;
	size_t cap = 0;
	DIR *d;
	struct dirent *e;
	int rc = 0, lrc = 0;
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
	if (!rc)
		rc = procscan_netns_named(h, list, n, &cap, &seen, complete);
	d = rc ? NULL : opendir("/proc");
	if (!d && !rc) {
		host_problem_add(h, "/proc", -errno, NULL);
		*complete = false;
	}
	while (!rc && d && (e = procscan_readdir(d, &lrc))) {
		char path[64], label[128], comm[64];
		struct stat st;

		if (!procscan_is_pid(e->d_name))
			continue;
		snprintf(path, sizeof(path), "/proc/%.20s/ns/net", e->d_name);
		if (stat(path, &st)) {
			if (errno == EACCES || errno == EPERM)
				*complete = false;
			else if ((errno == ENOENT || errno == ESRCH) && procscan_pid_gone(e->d_name))
				h->deleted.processes++;
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
	if (lrc) {
		host_problem_add(h, "/proc", lrc, NULL);
		*complete = false;
	}
	keymap_free(&seen);
	if (rc) {
		free(*list);
		*list = NULL;
		*n = 0;
	}
	return rc;
}

/* ---- cgroups ---- */

/* mountinfo grows with the mounts (many on a busy container host): read
 * whole, up to this, with EINTR retried. */
#define PROCSCAN_MOUNTINFO_MAX (16u << 20)

static int procscan_read_mountinfo(char **buf, size_t *len)
{
	size_t cap = 16384, n = 0;
	char *b = malloc(cap);
	int fd = open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC), e;

	if (fd < 0 || !b) {
		e = fd < 0 ? errno : ENOMEM;
		free(b);
		if (fd >= 0)
			close(fd);
		return -e;
	}
	for (;;) {
		ssize_t r;

		if (n + 1 >= cap) {
			char *nb = cap < PROCSCAN_MOUNTINFO_MAX ? realloc(b, cap * 2) : NULL;

			if (!nb) {
				free(b);
				close(fd);
				return cap < PROCSCAN_MOUNTINFO_MAX ? -ENOMEM : -EFBIG;
			}
			b = nb;
			cap *= 2;
		}
		r = read(fd, b + n, cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			e = errno;
			free(b);
			close(fd);
			return -e;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	b[n] = '\0';
	*buf = b;
	*len = n;
	return 0;
}

/* The first mount in /proc/self/mountinfo of filesystem type fstype, with
 * opt among its super options when opt is not NULL; *root: the root of the
 * hierarchy it shows.  Returns 0, -ENOENT without one (not a problem), or
 * the -errno of mountinfo (named). */
static int procscan_find_mount(struct host *h, const char *fstype, const char *opt,
			       char *dst, size_t dstsz, char *root, size_t rootsz)
{
	char *buf = NULL, *line, *next, r[PATH_MAX], mnt[PATH_MAX], type[64], src[256], opts[1024];
	size_t len;
	int rc;

	rc = procscan_read_mountinfo(&buf, &len);
	if (rc) {
		host_problem_add(h, "/proc/self/mountinfo", rc, NULL);
		return rc;
	}
	rc = -ENOENT;
	for (line = buf; line && *line; line = next) {
		char *sep, *o = NULL, *save = NULL;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		sep = strstr(line, " - ");
		if (!sep || sscanf(sep + 3, "%63s", type) != 1 || strcmp(type, fstype))
			continue;
		if (opt) {
			if (sscanf(sep + 3, "%*s %255s %1023s", src, opts) != 2)
				continue;
			for (o = strtok_r(opts, ",", &save); o; o = strtok_r(NULL, ",", &save))
				if (!strcmp(o, opt))
					break;
			if (!o)
				continue;
		}
		if (sscanf(line, "%*s %*s %*s %4095s %4095s", r, mnt) == 2) {
			snprintf(dst, dstsz, "%s", mnt);
			snprintf(root, rootsz, "%s", r);
			rc = 0;
			break;
		}
	}
	free(buf);
	return rc;
}

/* The cgroup2 mount point; *whole: it shows the whole hierarchy (its root
 * is the hierarchy's, in the initial cgroup namespace).  Returns as
 * procscan_find_mount(). */
static int procscan_cgroup2_mount(struct host *h, char *dst, size_t dstsz, bool *whole)
{
	char root[PATH_MAX];
	struct stat ns;
	int rc;

	*whole = false;
	rc = procscan_find_mount(h, "cgroup2", NULL, dst, dstsz, root, sizeof(root));
	if (!rc)
		*whole = !strcmp(root, "/") && !stat("/proc/self/ns/cgroup", &ns) &&
			 ns.st_ino == PROCSCAN_INIT_CGROUPNS_INO;
	return rc;
}

/* The mount point of the cgroup v1 hierarchy that has the memory
 * controller (fstype cgroup, super option memory); as procscan_find_mount(). */
static int procscan_memory_v1_mount(struct host *h, char *dst, size_t dstsz)
{
	char root[PATH_MAX];

	return procscan_find_mount(h, "cgroup", "memory", dst, dstsz, root, sizeof(root));
}

/* A depth-first walk of the directories under a cgroup mount.  visit() is
 * called on each before it is listed, and returns true to stop the walk. */
struct procscan_walk {
	struct procscan_errs errs;
	int budget;
	bool cut;		/* the budget or the depth stopped it somewhere */
	bool incomplete;	/* a directory could not be listed, or cut */
	bool stopped;		/* visit() asked to stop */
	bool (*visit)(struct procscan_walk *w, const char *path);
	void *ctx;
};

static void procscan_walk_cut(struct procscan_walk *w, const char *path, int rc, const char *why)
{
	w->incomplete = true;
	if (!w->cut)
		host_problem_add(w->errs.h, path, rc, why);
	w->cut = true;
}

/* path is extended in place and restored. */
static void procscan_walk_dir(struct procscan_walk *w, char *path, size_t cap, int depth)
{
	size_t len = strlen(path);
	struct dirent *e;
	DIR *d;
	int rc;

	if (depth > PROCSCAN_WALK_DEPTH) {
		procscan_walk_cut(w, path, -ELOOP, "more than 16 levels of cgroups: not walked deeper");
		return;
	}
	if (--w->budget < 0) {
		procscan_walk_cut(w, path, -E2BIG, "more than 20000 cgroups: not walked further");
		return;
	}
	if (w->visit(w, path)) {
		w->stopped = true;
		return;
	}
	d = opendir(path);
	if (!d) {
		if (errno == ENOENT)
			w->errs.h->deleted.cgroups++;	/* removed since it was listed */
		else {
			w->incomplete = true;
			procscan_fail(&w->errs, path, -errno);
		}
		return;
	}
	while (!w->stopped && (e = procscan_readdir(d, &rc))) {
		if (e->d_name[0] == '.' || e->d_type != DT_DIR)
			continue;
		if (len + strlen(e->d_name) + 2 > cap) {
			procscan_walk_cut(w, path, -ENAMETOOLONG, "a cgroup path longer than PATH_MAX: "
					  "not walked");
			continue;
		}
		snprintf(path + len, cap - len, "/%s", e->d_name);
		procscan_walk_dir(w, path, cap, depth + 1);
		path[len] = '\0';
	}
	if (!w->stopped && rc) {
		if (rc == -ENOENT)
			w->errs.h->deleted.cgroups++;
		else {
			w->incomplete = true;
			procscan_fail(&w->errs, path, rc);
		}
	}
	closedir(d);
}

static void procscan_walk(struct procscan_walk *w, char *path, size_t cap)
{
	char root[PATH_MAX];

	snprintf(root, sizeof(root), "%s", path);
	w->budget = PROCSCAN_WALK_BUDGET;
	procscan_walk_dir(w, path, cap, 0);
	procscan_fail_end(&w->errs, root, "cgroup directories or files");
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

/* A cgroup file's number: absent when the file is (no such controller, or
 * the cgroup went away: ENOENT, or ENODEV from kernfs when it was removed
 * while open); another failure is named through e. */
static struct opt procscan_read_u64(struct procscan_errs *e, const char *path, const char *key)
{
	struct opt none = { 0, false }, o;
	char *buf;
	size_t len;
	int rc;

	rc = host_read_file(NULL, path[0] == '/' ? path + 1 : path, &buf, &len);
	if (rc) {
		if (rc != -ENOENT && rc != -ENODEV)
			procscan_fail(e, path, rc);
		return none;
	}
	o = procscan_parse_u64(buf, len, key);
	free(buf);
	return o;
}

struct cgfind_ctx {
	struct keymap idx;		/* directory inode -> index into ci + 1 */
	struct cgroup_info *const *ci;
	size_t mntlen;
	int left;			/* ids not found yet */
};

static bool cgfind_visit(struct procscan_walk *w, const char *path)
{
	struct cgfind_ctx *c = w->ctx;
	struct cgroup_info *ci;
	struct stat st;
	int *i;

	if (stat(path, &st))
		return false;
	i = keymap_find(&c->idx, (uint64_t)st.st_ino);
	if (!i || !*i || (ci = c->ci[*i - 1])->found)
		return false;
	ci->found = true;
	snprintf(ci->path, sizeof(ci->path), "%s", strlen(path) > c->mntlen ? path + c->mntlen : "/");
	return --c->left == 0;
}

/* The memory controllers' figures of a found cgroup at mnt + ci->path. */
static void procscan_cgroup_files(struct procscan_errs *e, const char *mnt, struct cgroup_info *ci)
{
	const char *rel = strcmp(ci->path, "/") ? ci->path : "";
	char f[2 * PATH_MAX + 64];

	/* cgroup v2 memory controller */
	snprintf(f, sizeof(f), "%s%s/memory.stat", mnt, rel);
	ci->sock_bytes = procscan_read_u64(e, f, "sock");
	snprintf(f, sizeof(f), "%s%s/memory.current", mnt, rel);
	ci->current_bytes = procscan_read_u64(e, f, NULL);
	snprintf(f, sizeof(f), "%s%s/memory.max", mnt, rel);
	ci->max_bytes = procscan_read_u64(e, f, NULL); /* "max" parses as absent */
	/* cgroup v1 memory controller beside a hybrid v2 mount: same path */
	snprintf(f, sizeof(f), "/sys/fs/cgroup/memory%s/memory.kmem.tcp.usage_in_bytes", rel);
	ci->kmem_tcp_usage_bytes = procscan_read_u64(e, f, NULL);
	snprintf(f, sizeof(f), "/sys/fs/cgroup/memory%s/memory.kmem.tcp.limit_in_bytes", rel);
	ci->kmem_tcp_limit_bytes = procscan_read_u64(e, f, NULL);
}

void procscan_cgroups(struct host *h, const uint64_t *ids, struct cgroup_info *const *ci, int n)
{
	struct cgfind_ctx c = { { 0 }, ci, 0, 0 };
	struct procscan_walk w = { { h, 0, 0, 0 }, 0, false, false, false, cgfind_visit, &c };
	char mnt[PATH_MAX], path[PATH_MAX];
	bool whole;
	int i, *v;

	for (i = 0; i < n; i++)
		if (ci[i])
			memset(ci[i], 0, sizeof(*ci[i]));
	if (n <= 0 || procscan_cgroup2_mount(h, mnt, sizeof(mnt), &whole))
		return;
	if (keymap_init(&c.idx, sizeof(int))) {
		host_problem_add(h, mnt, -ENOMEM, NULL);
		return;
	}
	for (i = 0; i < n; i++) {
		if (!ci[i] || keymap_find(&c.idx, ids[i]))
			continue;
		if (!(v = keymap_get(&c.idx, ids[i]))) {
			host_problem_add(h, mnt, -ENOMEM, NULL);
			keymap_free(&c.idx);
			return;
		}
		*v = i + 1;
		c.left++;
	}
	c.mntlen = strlen(mnt);
	snprintf(path, sizeof(path), "%s", mnt);
	if (c.left)
		procscan_walk(&w, path, sizeof(path));
	keymap_free(&c.idx);
	for (i = 0; i < n; i++) {
		if (!ci[i])
			continue;
		if (ci[i]->found) {
			procscan_cgroup_files(&w.errs, mnt, ci[i]);
		} else if (!w.incomplete && whole) {
			ci[i]->deleted = true;
			h->deleted.cgroups++;
		}
	}
	procscan_fail_end(&w.errs, mnt, "cgroup files");
}

void procscan_memcg_path(struct host *h, uint64_t id, struct cgroup_info *ci, bool *v1)
{
	struct cgfind_ctx c = { { 0 }, &ci, 0, 1 };
	struct procscan_walk w = { { h, 0, 0, 0 }, 0, false, false, false, cgfind_visit, &c };
	char mnt[PATH_MAX], path[PATH_MAX];
	int *v;

	*v1 = false;
	if (procscan_memory_v1_mount(h, mnt, sizeof(mnt))) {
		procscan_cgroups(h, &id, &ci, 1);	/* v2: the socket's tree */
		return;
	}
	*v1 = true;
	memset(ci, 0, sizeof(*ci));
	if (keymap_init(&c.idx, sizeof(int)) || !(v = keymap_get(&c.idx, id))) {
		keymap_free(&c.idx);
		host_problem_add(h, mnt, -ENOMEM, NULL);
		return;
	}
	*v = 1;
	c.mntlen = strlen(mnt);
	snprintf(path, sizeof(path), "%s", mnt);
	procscan_walk(&w, path, sizeof(path));
	keymap_free(&c.idx);
}

/* "unlimited" in v1 is PAGE_COUNTER_MAX pages: anything near 2^63 */

struct kmem_ctx {
	uint64_t limited, usage;
};

static bool kmem_visit(struct procscan_walk *w, const char *path)
{
	struct kmem_ctx *c = w->ctx;
	char f[PATH_MAX + 64];
	struct opt lim, u;

	snprintf(f, sizeof(f), "%s/memory.kmem.tcp.limit_in_bytes", path);
	lim = procscan_read_u64(&w->errs, f, NULL);
	if (lim.ok && lim.v < PROCSCAN_KMEM_UNLIMITED_BYTES) {
		snprintf(f, sizeof(f), "%s/memory.kmem.tcp.usage_in_bytes", path);
		u = procscan_read_u64(&w->errs, f, NULL);
		c->limited++;
		if (u.ok)
			c->usage += u.v;
	}
	return false;
}

void procscan_kmem_tcp(struct host *h, uint64_t *limited, uint64_t *usage_bytes, bool *known)
{
	char path[PATH_MAX] = "/sys/fs/cgroup/memory";
	struct kmem_ctx c = { 0, 0 };
	struct procscan_walk w = { { h, 0, 0, 0 }, 0, false, false, false, kmem_visit, &c };

	*known = access("/sys/fs/cgroup/memory/memory.kmem.tcp.limit_in_bytes", R_OK) == 0;
	if (*known)
		procscan_walk(&w, path, sizeof(path));
	*limited = c.limited;
	*usage_bytes = c.usage;
}

struct memcg_ctx {
	struct memcg_entry *out;
	int max, n;
	size_t mntlen;
	double min_fraction;
};

static bool memcg_visit(struct procscan_walk *w, const char *path)
{
	struct memcg_ctx *c = w->ctx;
	char f[PATH_MAX + 64];
	struct opt cur, lim, sock;
	double r;
	int i;

	snprintf(f, sizeof(f), "%s/memory.max", path);
	lim = procscan_read_u64(&w->errs, f, NULL);
	snprintf(f, sizeof(f), "%s/memory.current", path);
	cur = procscan_read_u64(&w->errs, f, NULL);
	snprintf(f, sizeof(f), "%s/memory.stat", path);
	sock = procscan_read_u64(&w->errs, f, "sock");
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
	c->out[i].sock_throttled = procscan_read_u64(&w->errs, f, "sock_throttled");
	return false;
}

int procscan_memcg_scan(struct host *h, struct memcg_entry *out, int max, double min_fraction)
{
	char path[PATH_MAX];
	struct memcg_ctx c = { out, max, 0, 0, min_fraction };
	struct procscan_walk w = { { h, 0, 0, 0 }, 0, false, false, false, memcg_visit, &c };
	bool whole;

	if (max <= 0 || procscan_cgroup2_mount(h, path, sizeof(path), &whole))
		return 0;
	c.mntlen = strlen(path);
	procscan_walk(&w, path, sizeof(path));
	return c.n;
}
