/* collect.c - the per-socket pass for a host: chooses the source (a
 * replayed ss -D dump, a snapshot's recorded dumps, the live kernel in this
 * network namespace or in every one in use) and, live, the backend (the BPF
 * socket iterators when they load, sock_diag otherwise), skips the AF_INET6
 * dumps that sockstat6 shows to be empty and, for sums, the TCP states that
 * hold no charged memory, keeps the per-namespace sums, and takes the exact
 * charge from the BPF backend.  A namespace that disappears between the
 * listing and the dump is churn: it is counted, and does not make the view
 * partial. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "bpfiter.h"
#include "collect.h"
#include "model.h"
#include "procscan.h"
#include "report_advise.h"
#include "snapshot.h"
#include "ss_text.h"

/* The largest ss text read: ss -peaonmi of some 200,000 sockets. */
#define COLLECT_MAX_SS_BYTES (64u << 20)

const char *const collect_backend_name[COLLECT_BACKENDS] = { "auto", "netlink", "bpf" };

int collect_backend_parse(const char *s)
{
	int i;

	for (i = 0; i < COLLECT_BACKENDS; i++)
		if (!strcmp(s, collect_backend_name[i]))
			return i;
	return -1;
}

static enum collect_backend collect_backend = COLLECT_AUTO;

void collect_set_backend(enum collect_backend b)
{
	collect_backend = b;
}

/* Only sums are wanted: no socket or group is kept. */
static bool collect_sums_only(const struct collect_req *q)
{
	return q->by == BY_SOCKET && q->topn == 0;
}

/* The sockets' identity is shown (top by socket) or groups them (by
 * process: the inode, by cgroup: its id, by peer port: the peer); sums,
 * local ports and states do without it. */
static bool collect_wants_ids(const struct collect_req *q)
{
	return (q->by == BY_SOCKET && q->topn > 0) || q->by == BY_PROCESS || q->by == BY_CGROUP ||
	       q->by == BY_PEER_PORT;
}

void collect_release(void)
{
	bpfiter_close();
}

/* Live: the backend of the pass (out->used; out->backend_why when it is not
 * BPF) and whether the BPF iterators are loaded, which gives the exact
 * charge even when the pass goes through sock_diag (it wants tcp_info).
 * Returns -errno for --backend bpf that cannot load (the reason is a
 * problem of the view). */
static int collect_choose(const struct collect_req *q, struct collect_out *out, bool *bpf)
{
	const char *why;
	int rc;

	out->used = COLLECT_NETLINK;
	*bpf = false;
	if (collect_backend == COLLECT_NETLINK) {
		snprintf(out->backend_why, sizeof(out->backend_why), "--backend netlink");
		snprintf(out->exact.why, sizeof(out->exact.why),
			 "the BPF backend is not in use (--backend netlink)");
		return 0;
	}
	rc = bpfiter_open(&why);
	if (rc) {
		snprintf(out->backend_why, sizeof(out->backend_why), "%s", why);
		snprintf(out->exact.why, sizeof(out->exact.why), "the BPF backend is not in use (%.280s)",
			 why);
		if (collect_backend == COLLECT_BPF) {
			sockdump_problem(&out->st, "--backend bpf: %s", why);
			out->backend_unavailable = true;
			return rc;
		}
		return 0;
	}
	*bpf = true;
	if (q->want_info)	/* tcp_info (RTT, delivery rate) comes only through sock_diag */
		snprintf(out->backend_why, sizeof(out->backend_why),
			 "tcp_info is read through sock_diag only");
	else
		out->used = COLLECT_BPF;
	return 0;
}

/* One pass over the calling thread's network namespace, into agg (reset
 * here, as a restarted dump is): the BPF iterators or sock_diag.  The BPF
 * walk also reads the counters, into tot (may be NULL). */
static int collect_pass(const struct collect_req *q, const struct collect_out *out,
			struct sockets *agg, struct sockdump_status *st,
			struct sockiter_totals tot[DP_COUNT])
{
	struct sockiter_totals spare[DP_COUNT];
	struct bpfiter_req r;
	int p;

	if (out->used != COLLECT_BPF)
		return sockdump_live(agg, NULL, st);
	sockets_reset(agg);
	st->nproblems = 0;
	st->partial = false;
	r.tcp_states = st->tcp_states ? st->tcp_states : DIAG_STATES_ALL;
	for (p = 0; p < DP_COUNT; p++)
		r.skip_v6[p] = st->skip_v6[p];
	r.want_ids = collect_wants_ids(q);
	return bpfiter_walk(agg, &r, st, tot ? tot : spare);
}

/* The exact charge from what the iterators read (tot: from a walk, or
 * NULL), the counters a walk did not reach read on their own. */
static void collect_exact_from(struct collect_out *out, const struct sockiter_totals *walked)
{
	struct report_exact_in *x = &out->exact;
	struct sockiter_totals tot[DP_COUNT];
	const char *why = NULL;
	int p;

	if (walked)
		memcpy(tot, walked, sizeof(tot));
	if ((!walked || !tot[DP_TCP].found || !tot[DP_UDP].found) && bpfiter_totals(tot, &why)) {
		snprintf(x->why, sizeof(x->why), "%s", why);
		return;
	}
	for (p = 0; p < DP_COUNT; p++) {
		__s64 pages;

		x->ok[p] = bpfrec_exact(&tot[p], &pages, &why);
		if (!x->ok[p]) {
			snprintf(x->why, sizeof(x->why), "%s: %s", diag_proto_name((enum diag_proto)p),
				 why);
			continue;
		}
		x->global_pages[p] = tot[p].global;
		x->cached_pages[p] = tot[p].pcpu_sum;
		x->cpus[p] = tot[p].cpus_read;
	}
}

/* Not the live kernel: no backend, no exact charge. */
static bool collect_recorded(const struct host *h, const struct collect_req *q,
			     struct collect_out *out)
{
	if (!q->diag_file && !h->root[0])
		return false;
	snprintf(out->exact.why, sizeof(out->exact.why),
		 "not the live kernel: the per-CPU caches are read only live");
	return true;
}

int collect_exact(const struct host *h, const struct collect_req *q, struct collect_out *out)
{
	bool bpf;
	int rc;

	memset(out, 0, sizeof(*out));
	out->netns_complete = true;
	if (collect_recorded(h, q, out))
		return 0;
	rc = collect_choose(q, out, &bpf);
	if (!rc && bpf)
		collect_exact_from(out, NULL);
	return rc;
}

#ifndef NSFS_MAGIC
#define NSFS_MAGIC 0x6e736673
#endif

struct sockets_params collect_params(const struct host *h)
{
	/* per-socket charges round to the kernel's unit: sk_mem_pages() */
	struct sockets_params par = { h->kver.ok ? model_mem_unit_bytes(h->kver.major, h->kver.minor,
									h->page_size_bytes)
						 : h->page_size_bytes, false, 0, 0, 0 };

	if (h->sysctl[SC_TCP_RMEM].rc == 0 && h->sysctl[SC_TCP_WMEM].rc == 0) {
		par.tcp_limits_ok = true;
		par.tcp_rmem_max_bytes = h->sysctl[SC_TCP_RMEM].v[2];
		par.tcp_wmem_max_bytes = h->sysctl[SC_TCP_WMEM].v[2];
		par.tcp_wmem_default_bytes = h->sysctl[SC_TCP_WMEM].v[1];
	}
	return par;
}

/* Reads a whole file given on the command line (at most max bytes). */
static int collect_read_file(const char *path, size_t max, char **buf, size_t *len)
{
	size_t cap = 65536, n = 0;
	char *b = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc = 0;
	struct stat st;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		return -EISDIR;
	}
	b = malloc(cap);
	while (b) {
		ssize_t r;

		if (n == cap) {
			char *nb = cap >= max ? NULL : realloc(b, cap * 2);

			if (!nb) {
				rc = cap >= max ? -EFBIG : -ENOMEM;
				break;
			}
			b = nb;
			cap *= 2;
		}
		r = read(fd, b + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = -errno;
			break;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	if (!b)
		return -ENOMEM;
	if (rc) {
		free(b);
		return rc;
	}
	*buf = b;
	*len = n;
	return 0;
}

struct collect_ss_ctx {
	struct sockets *agg;
	struct collect_out *out;
	bool by_process;
	bool by_socket;		/* the rows' holders: only sockets with their ino */
	uint32_t next_ino;	/* stand-ins for sockets ss listed without ino: */
	/* which sockets these are: one namespace listed twice is one set */
	uint64_t fingerprint, with_ino;
};

static int collect_ss_cb(const struct diag_sock *d, const struct ss_text_proc *p, void *arg)
{
	struct collect_ss_ctx *c = arg;
	struct diag_sock s = *d;

	if (s.inode) {
		c->fingerprint += (uint64_t)s.inode * 0x9e3779b97f4a7c15ull;
		c->with_ino++;
	}

	if ((c->by_process || (c->by_socket && s.inode)) && p->known) {
		uint32_t *pid;
		char *name;

		if (!s.inode)
			s.inode = c->next_ino--;
		pid = keymap_get(&c->out->ss_pids, s.inode);
		name = keymap_get(&c->out->ss_comms, p->pid);
		if (!pid || !name)
			return -ENOMEM;
		*pid = p->pid;
		if (!name[0])
			snprintf(name, 64, "%s", p->comm[0] ? p->comm : "?");
	}
	return sockets_add(c->agg, &s);
}

/* One ss text into agg.  what: the file as the problems name it.  Returns
 * 0 or -errno (a problem says why). */
static int collect_ss_text(const char *what, const char *buf, size_t len, struct sockets *agg,
			   enum sockets_by by, struct collect_out *out, struct ss_text_stats *ss,
			   uint64_t fp[2])
{
	struct collect_ss_ctx c = { agg, out, by == BY_PROCESS, by == BY_SOCKET, UINT32_MAX, 0, 0 };
	struct parse_err err = { 0, "" };
	int rc;

	rc = ss_text_parse(buf, len, collect_ss_cb, &c, ss, &err);
	if (rc == -ENOMEM)
		sockdump_problem(&out->st, "%s: out of memory", what);
	else if (rc)
		sockdump_problem(&out->st, "%s: line %d: %s", what, err.line, err.msg);
	else if (ss->sockets[DP_TCP] + ss->sockets[DP_UDP] &&
		 ss->without_mem == ss->sockets[DP_TCP] + ss->sockets[DP_UDP]) {
		sockdump_problem(&out->st, "%s: no socket carries skmem:(...): ss was run without "
				 "-m, so there is no socket memory in it", what);
		rc = -ENODATA;
	}
	if (fp) {
		fp[0] = c.fingerprint;
		fp[1] = c.with_ino;
	}
	return rc;
}

/* Prepares out for sockets read from text: ss -p's processes. */
static int collect_text_begin(const struct collect_req *q, struct sockets *agg,
			      struct collect_out *out)
{
	out->from_text = true;
	if (keymap_init(&out->ss_pids, sizeof(uint32_t)) || keymap_init(&out->ss_comms, 64))
		return -ENOMEM;
	if (q->by == BY_PROCESS)
		agg->inode_pid = &out->ss_pids;
	return 0;
}

/* --ss-file FILE, or a --diag-file that is ss text. */
static int collect_ss_file(const struct collect_req *q, const char *path, struct sockets *agg,
			   struct collect_out *out)
{
	struct ss_text_stats ss;
	char safe[PATH_MAX];
	char *buf = NULL;
	size_t len = 0;
	int rc;

	util_safe_token(safe, sizeof(safe), path, strlen(path));
	rc = collect_read_file(path, COLLECT_MAX_SS_BYTES, &buf, &len);
	if (rc)
		return rc;	/* the caller names the file, once */
	rc = collect_text_begin(q, agg, out);
	if (!rc)
		rc = collect_ss_text(safe, buf, len, agg, q->by, out, &ss, NULL);
	free(buf);
	if (rc == -ENOMEM)
		return rc;
	snprintf(out->source, sizeof(out->source), "ss text output in %s (not an ss -D recording: "
		 "read as ss text)", safe);
	out->st.ok[DP_TCP] = !rc;
	/* ss -t lists no UDP socket: UDP's absence is said in the view, not
	 * a partial report; with a Netid column both were listed */
	out->st.ok[DP_UDP] = !rc && ss.netid_column;
	out->present = true;
	return 0;
}

/* ss -D records one protocol's replies and says nothing of which (a reply
 * carries no protocol): "udp:FILE" or "tcp:FILE" says it, when no file has
 * that name itself; sockmem's own snapshot names its UDP dump udp.dump.
 * Anything else is TCP, as ss -D records by default. */
enum diag_proto collect_replay_proto(const char *arg)
{
	const char *base;

	if (!strncmp(arg, "udp:", 4) && access(arg, F_OK) != 0)
		return DP_UDP;
	if (!strncmp(arg, "tcp:", 4) && access(arg, F_OK) != 0)
		return DP_TCP;
	base = strrchr(arg, '/');
	base = base ? base + 1 : arg;
	return !strcmp(base, "udp.dump") ? DP_UDP : DP_TCP;
}

const char *collect_replay_path(const char *arg)
{
	if ((!strncmp(arg, "udp:", 4) || !strncmp(arg, "tcp:", 4)) && access(arg, F_OK) != 0)
		return arg + 4;
	return arg;
}

static int collect_replay(const struct collect_req *q, struct sockets *agg,
			  struct collect_out *out)
{
	char safe[PATH_MAX], head[512];
	enum diag_proto proto = collect_replay_proto(q->diag_file);
	const char *path = collect_replay_path(q->diag_file);
	struct stat st;
	ssize_t n;
	int fd;

	util_safe_token(safe, sizeof(safe), path, strlen(path));
	snprintf(out->source, sizeof(out->source), "replay of %s (%s, ss -D format)", safe,
		 proto == DP_UDP ? "UDP" : "TCP");
	/* a file that cannot be opened is the caller's to name, once; what
	 * is wrong inside it is a problem of the view */
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		return -EISDIR;
	}
	/* ss's text output is not a recording: its first bytes read as a
	 * netlink length of some gigabytes.  Read it as what it is. */
	n = read(fd, head, sizeof(head));
	close(fd);
	if (n > 0 && ss_text_detect(head, (size_t)n))
		return collect_ss_file(q, q->diag_file, agg, out);
	sockdump_replay(agg, path, proto, &out->st);
	/* A recording of one protocol is what was asked for: the other absent
	 * is said in the view (complete false), not a partial report. */
	out->st.ok[proto == DP_UDP ? DP_TCP : DP_UDP] = false;
	out->present = true;
	return 0;
}

/* A capture's ss output: ss -peaonmi of the host and of each named
 * network namespace (sos: ip_netns_exec_NS_ss_-peaonmi, beside it or in
 * namespaces/NS/). */
struct collect_ss_list {
	char (*path)[PATH_MAX];
	char (*label)[128];
	size_t n, cap;
	const char *dir;
};

static int collect_ss_list_cb(const char *name, void *arg)
{
	static const char pre[] = "ip_netns_exec_", post[] = "_ss_-peaonmi";
	struct collect_ss_list *l = arg;
	size_t nl = strlen(name);

	if (nl <= strlen(pre) + strlen(post) || strncmp(name, pre, strlen(pre)) ||
	    strcmp(name + nl - strlen(post), post) || l->n == l->cap)
		return 0;
	snprintf(l->path[l->n], PATH_MAX, "%s/%s", l->dir, name);
	util_safe_token(l->label[l->n], sizeof(l->label[0]), name + strlen(pre),
			nl - strlen(pre) - strlen(post));
	l->n++;
	return 0;
}

struct collect_ns_walk {
	const struct host *h;
	struct collect_ss_list *l;
};

/* sos 4.5+: sos_commands/networking/namespaces/NS/ip_netns_exec_NS_ss_-peaonmi */
static int collect_ns_dirs_cb(const char *name, void *arg)
{
	struct collect_ns_walk *w = arg;
	char dir[PATH_MAX];
	const char *saved = w->l->dir;

	snprintf(dir, sizeof(dir), "sos_commands/networking/namespaces/%s", name);
	w->l->dir = dir;
	host_list_dir(w->h, dir, collect_ss_list_cb, w->l);
	w->l->dir = saved;
	return 0;
}

static int collect_capture(const struct host *h, const struct collect_req *q, struct sockets *agg,
			   struct collect_out *out)
{
	static const char main_ss[] = "sos_commands/networking/ss_-peaonmi";
	struct sockets_params par = collect_params(h);
	struct collect_ss_list l = { 0 };
	uint64_t tcp = 0, udp = 0, fp0[2] = { 0, 0 };
	size_t i, same_as_main = 0, found = 0;
	int rc = 0;

	if (h->layout == LAYOUT_INSIGHTS) {
		char *b = NULL;
		size_t len;

		out->absent_reason = host_read_input(h, "insights_commands/ss_-tupna", &b, &len) == 0
			? "the insights archive has ss -tupna only (no -m: no socket memory)"
			: "the insights archive has no ss output";
		free(b);
		return 0;
	}
	l.cap = 256;
	l.path = calloc(l.cap, sizeof(*l.path));
	l.label = calloc(l.cap, sizeof(*l.label));
	if (!l.path || !l.label) {
		rc = -ENOMEM;
		goto out;
	}
	snprintf(l.path[0], PATH_MAX, "%s", main_ss);
	snprintf(l.label[0], sizeof(l.label[0]), "%s", h->netns_child ? "the one sos ran in"
		 : "initial (host)");
	l.n = 1;
	l.dir = "sos_commands/networking";
	host_list_dir(h, l.dir, collect_ss_list_cb, &l);
	{
		struct collect_ns_walk w = { h, &l };

		host_list_dir(h, "sos_commands/networking/namespaces", collect_ns_dirs_cb, &w);
	}
	rc = collect_text_begin(q, agg, out);
	if (rc)
		goto out;
	out->st.ok[DP_TCP] = out->st.ok[DP_UDP] = true;
	if (l.n > 1) {
		out->per_ns = calloc(l.n, sizeof(*out->per_ns));
		if (!out->per_ns) {
			rc = -ENOMEM;
			goto out;
		}
	}
	for (i = 0; i < l.n; i++) {
		uint64_t fp[2] = { 0, 0 };
		struct ss_text_stats ss;
		struct sockets tmp;
		char what[PATH_MAX + 16], *buf = NULL;
		size_t len = 0;
		int one;

		one = host_read_input(h, l.path[i], &buf, &len);
		if (one == -ENOENT && i == 0)
			continue;	/* namespaces only */
		found++;
		host_path(h, l.path[i], what, sizeof(what));
		if (one) {
			sockdump_problem(&out->st, "%s: %s", what, one == -EFBIG ? "larger than 64 MiB"
					 : strerror(-one));
			out->st.ok[DP_TCP] = out->st.ok[DP_UDP] = false;
			continue;
		}
		if (sockets_init(&tmp, &par, q->by, q->topn, agg->inode_pid)) {
			free(buf);
			rc = -ENOMEM;
			goto out;
		}
		one = collect_ss_text(what, buf, len, &tmp, q->by, out, &ss, fp);
		free(buf);
		if (i == 0)
			memcpy(fp0, fp, sizeof(fp0));
		else if (!one && fp[1] && fp[0] == fp0[0] && fp[1] == fp0[1]) {
			/* sos ran inside this named namespace: its own ss output
			 * and "ip netns exec" list the same sockets */
			sockets_free(&tmp);
			same_as_main++;
			continue;
		}
		if (one == -ENOMEM || sockets_merge(agg, &tmp)) {
			sockets_free(&tmp);
			rc = -ENOMEM;
			goto out;
		}
		if (one)
			out->st.ok[DP_TCP] = out->st.ok[DP_UDP] = false;
		tcp += ss.sockets[DP_TCP];
		udp += ss.sockets[DP_UDP];
		if (out->per_ns) {
			struct netns_sums *sum = &out->per_ns[out->nper_ns++];

			snprintf(sum->label, sizeof(sum->label), "%s", l.label[i]);
			sum->ok = !one;
			memcpy(sum->sum, tmp.sum, sizeof(sum->sum));
		}
		sockets_free(&tmp);
		out->present = true;
	}
	if (out->per_ns && out->nper_ns < 2) {
		free(out->per_ns);	/* one namespace after all */
		out->per_ns = NULL;
		out->nper_ns = 0;
	}
	if (!out->present && !found) {
		out->absent_reason = "the sosreport has no ss -peaonmi output (sos leaves it out when "
				     "the tcp_diag, udp_diag and inet_diag modules are not loaded)";
	} else if (!out->present) {
		out->absent_reason = "its ss output could not be read (see problems)";
	} else if (out->per_ns) {
		snprintf(out->source, sizeof(out->source), "ss -peaonmi text of the sosreport, in %zu "
			 "network namespaces (%llu TCP, %llu UDP sockets)", out->nper_ns,
			 (unsigned long long)tcp, (unsigned long long)udp);
		out->netns_count = out->nper_ns;
		out->netns_complete = false;	/* sos names only the namespaces of ip netns */
	} else {
		snprintf(out->source, sizeof(out->source), "ss -peaonmi text of the sosreport, %s "
			 "(%llu TCP, %llu UDP sockets%s)", main_ss, (unsigned long long)tcp,
			 (unsigned long long)udp, same_as_main ? "; sos ran in a named network "
			 "namespace: its second listing is left out" : "");
	}
out:
	free(l.path);
	free(l.label);
	return rc;
}

static int collect_snapshot(const struct host *h, struct sockets *agg, struct collect_out *out)
{
	int p, i, found = 0;

	for (p = 0; p < DP_COUNT; p++) {
		char path[PATH_MAX + 64];
		struct sockdump_status one;

		memset(&one, 0, sizeof(one));
		if (snapshot_dump_path(path, sizeof(path), h->root, (enum diag_proto)p) ||
		    access(path, F_OK))
			continue;
		found++;
		/* replay adds to what is there: no reset between protocols */
		sockdump_replay(agg, path, (enum diag_proto)p, &one);
		out->st.ok[p] = one.ok[p];
		for (i = 0; i < one.nproblems; i++)
			sockdump_problem(&out->st, "%s", one.problem[i]);
		out->st.partial |= one.partial;
	}
	snprintf(out->source, sizeof(out->source), "the snapshot's recorded sock_diag dumps");
	out->present = found > 0;
	if (!found)
		out->absent_reason = "the snapshot has no recorded sock_diag dump";
	return 0;
}

static int collect_live(struct host *h, const struct collect_req *q, struct sockets *agg,
			struct collect_out *out, struct sockiter_totals tot[DP_COUNT])
{
	struct sockdump_status *st = &out->st;
	int rc;

	/* No IPv6 socket of a protocol in use here (sockstat6, this namespace):
	 * its AF_INET6 dump would walk the shared hash table for nothing.
	 * IPv6 TIME-WAIT entries (no memory) are then not counted. */
	if (h->sockstat6_rc == 0) {
		struct opt t6 = sockstat_get(&h->ss6, "TCP6", "inuse");
		struct opt u6 = sockstat_get(&h->ss6, "UDP6", "inuse");

		st->skip_v6[DP_TCP] = t6.ok && t6.v == 0;
		st->skip_v6[DP_UDP] = u6.ok && u6.v == 0;
	}
	snprintf(out->source, sizeof(out->source), "%s (this network namespace%s%s)",
		 out->used == COLLECT_BPF ? "BPF socket iterator" : "sock_diag",
		 st->skip_v6[DP_TCP] && st->skip_v6[DP_UDP] ? "; no IPv6 socket in use"
		 : st->skip_v6[DP_TCP] ? "; no IPv6 TCP socket in use"
		 : st->skip_v6[DP_UDP] ? "; no IPv6 UDP socket in use" : "",
		 collect_sums_only(q) ? "; TIME-WAIT left out" : "");
	rc = collect_pass(q, out, agg, st, tot);
	out->present = rc == 0;
	out->sockets_walked = st->messages;
	if (rc)
		out->absent_reason = "no protocol could be dumped (see problems)";
	if (q->count_netns)
		out->netns_count = procscan_netns_count(h, &out->netns_complete);
	return 0;
}

/* Whether the namespace file fd still names the namespace that was listed:
 * a /run/netns entry unmounted since is an empty regular file, a /proc/PID
 * entry of an exited process is gone. */
static bool collect_ns_still_there(int fd, uint64_t inode)
{
	struct statfs sf;
	struct stat st;

	return !fstat(fd, &st) && (uint64_t)st.st_ino == inode && !fstatfs(fd, &sf) &&
	       (unsigned long)sf.f_type == NSFS_MAGIC;
}

/* One namespace into agg and per_ns; entered: we left our own namespace. */
static int collect_one_ns(struct host *h, const struct netns_ent *ns, bool self,
			  const struct collect_req *q, const struct sockets_params *par,
			  struct sockets *agg, struct collect_out *out, bool *entered)
{
	struct sockdump_status *st = &out->st, one;
	struct netns_sums *sum = &out->per_ns[out->nper_ns];
	struct sockets tmp;
	int p, fd = -1;

	if (!self) {
		fd = open(ns->path, O_RDONLY | O_CLOEXEC);
		if (fd < 0 && (errno == ENOENT || errno == ESRCH)) {
			/* the process exited, the name was deleted */
			h->deleted.network_namespaces++;
			return 0;
		}
		if (fd < 0) {
			sockdump_problem(st, "cannot open network namespace %s (%s): %s", ns->label,
					 ns->path, strerror(errno));
			out->netns_complete = false;
			return 0;
		}
		if (!collect_ns_still_there(fd, ns->inode)) {
			close(fd);
			h->deleted.network_namespaces++;
			return 0;
		}
		if (setns(fd, CLONE_NEWNET)) {
			int e = errno;

			close(fd);
			sockdump_problem(st, "cannot enter network namespace %s (%s): %s%s", ns->label,
					 ns->path, strerror(e), e == EPERM ? " (needs CAP_SYS_ADMIN)" : "");
			out->netns_complete = false;
			return 0;
		}
		close(fd);
		*entered = true;
	}
	/* its own aggregator: a restarted dump (NLM_F_DUMP_INTR) starts it over */
	if (sockets_init(&tmp, par, q->by, q->topn, q->inode_pid))
		return -ENOMEM;
	tmp.holders_one_proto = agg->holders_one_proto;
	tmp.holders_proto = agg->holders_proto;
	memset(&one, 0, sizeof(one));
	one.want_info = q->want_info;
	one.tcp_states = st->tcp_states;
	collect_pass(q, out, &tmp, &one, NULL);
	if (sockets_merge(agg, &tmp)) {
		sockets_free(&tmp);
		return -ENOMEM;
	}
	sum->inode = ns->inode;
	snprintf(sum->label, sizeof(sum->label), "%s", ns->label);
	sum->ok = one.ok[DP_TCP] && one.ok[DP_UDP];
	memcpy(sum->sum, tmp.sum, sizeof(sum->sum));
	for (p = 0; p < DP_COUNT; p++)
		st->ok[p] &= one.ok[p];
	st->restarts += one.restarts;
	st->messages += one.messages;
	out->sockets_walked += one.messages;
	if (one.partial)
		sockdump_problem(st, "%.60s: %.200s", ns->label,
				 one.nproblems ? one.problem[0] : "incomplete dump");
	sockets_free(&tmp);
	out->nper_ns++;
	return 0;
}

/* --all-netns: one dump per network namespace in use, summed into agg.
 * Without CAP_SYS_ADMIN, sockmem's own namespace is still dumped and the
 * others are named as problems. */
static int collect_all_netns(struct host *h, const struct collect_req *q, struct sockets *agg,
			     struct collect_out *out)
{
	struct sockets_params par = collect_params(h);
	struct netns_ent *list = NULL;
	struct stat self_st;
	bool entered = false;
	size_t n = 0, i;
	uint64_t deleted0;
	int self = -1, rc;

	rc = procscan_netns_list(h, &list, &n, &out->netns_complete);
	if (rc)
		return rc;
	deleted0 = h->deleted.network_namespaces;
	out->per_ns = calloc(n ? n : 1, sizeof(*out->per_ns));
	if (!out->per_ns) {
		free(list);
		return -ENOMEM;
	}
	/* without it sockmem could not come back: nothing is entered */
	self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (self < 0 || fstat(self, &self_st)) {
		rc = -errno;
		out->failed = "/proc/self/ns/net";
		goto out;
	}
	out->st.ok[DP_TCP] = out->st.ok[DP_UDP] = true;
	for (i = 0; i < n && !rc; i++)
		rc = collect_one_ns(h, &list[i], list[i].inode == (uint64_t)self_st.st_ino, q, &par,
				    agg, out, &entered);
	/* Back home: a failure here leaves sockmem in another namespace. */
	if (entered && setns(self, CLONE_NEWNET) && !rc) {
		rc = -errno;
		out->failed = "setns (back into sockmem's own network namespace)";
		out->stranded = true;
	}
	out->netns_count = n - (h->deleted.network_namespaces - deleted0);
	snprintf(out->source, sizeof(out->source), "%s in %zu network namespace%s%s",
		 out->used == COLLECT_BPF ? "BPF socket iterator" : "sock_diag",
		 out->nper_ns, out->nper_ns == 1 ? "" : "s",
		 collect_sums_only(q) ? " (TIME-WAIT left out)" : "");
	out->present = !rc;
out:
	if (self >= 0)
		close(self);
	free(list);
	return rc;
}

int collect_sockets(struct host *h, const struct collect_req *q, struct sockets *agg,
		    struct collect_out *out)
{
	return collect_sockets_of(h, q, -1, agg, out);
}

int collect_sockets_of(struct host *h, const struct collect_req *q, int holders_proto,
		       struct sockets *agg, struct collect_out *out)
{
	struct sockets_params par = collect_params(h);
	struct sockiter_totals tot[DP_COUNT];
	bool bpf;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(tot, 0, sizeof(tot));
	out->netns_complete = true;
	out->st.want_info = q->want_info;
	if (sockets_init(agg, &par, q->by, q->topn, q->inode_pid))
		return -ENOMEM;
	agg->holders_one_proto = holders_proto >= 0 && holders_proto < DP_COUNT;
	agg->holders_proto = agg->holders_one_proto ? (enum diag_proto)holders_proto : DP_TCP;
	if (collect_recorded(h, q, out)) {
		if (q->diag_file)
			return collect_replay(q, agg, out);
		if (h->layout != LAYOUT_PROC)
			return collect_capture(h, q, agg, out);
		return collect_snapshot(h, agg, out);
	}
	rc = collect_choose(q, out, &bpf);
	if (rc)
		return rc;
	out->st.tcp_states = collect_sums_only(q) ? DIAG_STATES_CHARGED : DIAG_STATES_ALL;
	rc = q->all_netns ? collect_all_netns(h, q, agg, out) : collect_live(h, q, agg, out, tot);
	/* the counters are host-wide: the walk of this namespace read them,
	 * else they are read on their own */
	if (!rc && bpf)
		collect_exact_from(out, out->used == COLLECT_BPF && !q->all_netns ? tot : NULL);
	return rc;
}

void collect_free(struct collect_out *out)
{
	if (out->ss_pids.keys)
		keymap_free(&out->ss_pids);
	if (out->ss_comms.keys)
		keymap_free(&out->ss_comms);
	free(out->per_ns);
	out->per_ns = NULL;
	out->nper_ns = 0;
}

void collect_to_report(struct report *r, const struct sockets *agg, const struct collect_out *out)
{
	/* what the walks could not read is the host's */
	r->partial |= out->st.partial || r->h->partial;
	r->sk.st = &out->st;	/* its problems, with a view or without */
	if (!out->present) {
		if (out->absent_reason)
			r->sk.absent_reason = out->absent_reason;
	} else {
		report_add_sockets(r, agg, &out->st, out->source, out->netns_count,
				   out->netns_complete);
		r->sk.all_netns = out->per_ns != NULL;
		r->sk.per_ns = out->per_ns;
		r->sk.nper_ns = out->nper_ns;
		r->sk.sockets_walked = out->sockets_walked;
		if (out->used != COLLECT_AUTO) {
			r->sk.backend = collect_backend_name[out->used];
			if (out->used == COLLECT_NETLINK)
				snprintf(r->sk.backend_why, sizeof(r->sk.backend_why), "%s",
					 out->backend_why);
		}
	}
	report_add_exact(r, &out->exact);
}

bool collect_from_text(const char *diag_file, const char *root)
{
	char head[512], path[PATH_MAX];
	struct stat st;

	if (diag_file) {
		int fd = open(collect_replay_path(diag_file), O_RDONLY | O_CLOEXEC);
		ssize_t n = fd >= 0 ? read(fd, head, sizeof(head)) : -1;

		if (fd >= 0)
			close(fd);
		return n > 0 && ss_text_detect(head, (size_t)n);
	}
	if (!root || stat(root, &st))
		return false;
	snprintf(path, sizeof(path), "%s/sos_commands", root);
	return S_ISREG(st.st_mode) || access(path, F_OK) == 0;
}

void collect_top_names(struct host *h, struct report_top *t, const struct collect_out *co)
{
	struct cgroup_info **ci;
	uint64_t *ids;
	int i;

	if (co && co->from_text) {
		/* not this machine's processes: never looked up in /proc; by
		 * socket, the process ss -p named for the row's inode */
		for (i = 0; i < t->n; i++) {
			struct top_row *w = &t->row[i];
			const uint32_t *pid = t->by == BY_SOCKET && co->ss_pids.keys && w->e.s.inode
					      ? keymap_find(&co->ss_pids, w->e.s.inode) : NULL;
			const char *name;

			if (pid)
				w->pid = *pid;
			name = co->ss_comms.keys && (t->by == BY_PROCESS || w->pid)
			       ? keymap_find(&co->ss_comms, t->by == BY_PROCESS ? w->key.id : w->pid)
			       : NULL;
			snprintf(w->comm, sizeof(w->comm), "%s", name ? name : "?");
		}
		return;
	}
	for (i = 0; i < t->n && (t->by == BY_PROCESS || t->by == BY_SOCKET); i++) {
		uint32_t pid = t->by == BY_PROCESS ? (uint32_t)t->row[i].key.id : t->row[i].pid;

		if (pid)
			procscan_comm(pid, t->row[i].comm, sizeof(t->row[i].comm));
	}
	if (t->by != BY_CGROUP || t->n <= 0)
		return;
	ids = calloc((size_t)t->n, sizeof(*ids));
	ci = calloc((size_t)t->n, sizeof(*ci));
	if (ids && ci) {
		for (i = 0; i < t->n; i++) {
			ids[i] = t->row[i].key.id;
			/* NULL: the row is named by its id */
			ci[i] = t->row[i].cg = calloc(1, sizeof(*t->row[i].cg));
		}
		procscan_cgroups(h, ids, ci, t->n);
		for (i = 0; i < t->n; i++) {
			const struct cgroup_info *c = t->row[i].cg;

			t->row[i].kmem_tcp_unlimited = c && c->kmem_tcp_limit_bytes.ok &&
						       c->kmem_tcp_limit_bytes.v >=
						       PROCSCAN_KMEM_UNLIMITED_BYTES;
		}
	}
	free(ids);
	free(ci);
}

/* Seconds since boot (/proc/uptime), the age of the since-boot counters;
 * *rc: 0 or the -errno of the read (named in h's problems). */
static struct opt collect_uptime_s(struct host *h, int *rc)
{
	struct opt o = { 0, false };
	char *buf = NULL, tmp[32], *end;
	size_t len = 0, n;
	double s;

	*rc = host_read_file(NULL, "proc/uptime", &buf, &len);
	if (*rc) {
		char msg[200];

		snprintf(msg, sizeof(msg), "%s: the age of the since-boot counters is unknown",
			 strerror(-*rc));
		host_problem_add(h, "/proc/uptime", *rc, msg);
	} else {
		n = len < sizeof(tmp) - 1 ? len : sizeof(tmp) - 1;
		memcpy(tmp, buf, n);
		tmp[n] = '\0';
		s = strtod(tmp, &end);
		if (end != tmp && s >= 0 && s < 1e12)
			o = opt_some((uint64_t)s);
	}
	free(buf);
	return o;
}

int collect_advise_extras(struct host *h, struct advise_in *in)
{
	struct memcg_entry mc[3];
	int k, rc;

	in->uptime_s = collect_uptime_s(h, &rc);
	procscan_kmem_tcp(h, &in->kmem_tcp_limited_cgroups, &in->kmem_tcp_usage_bytes,
			  &in->kmem_tcp_known);
	in->nmemcg = procscan_memcg_scan(h, mc, 3, 0.9);
	for (k = 0; k < in->nmemcg; k++) {
		util_safe_token(in->memcg[k].path, sizeof(in->memcg[k].path), mc[k].path,
				strlen(mc[k].path));
		in->memcg[k].current_bytes = mc[k].current_bytes;
		in->memcg[k].max_bytes = mc[k].max_bytes;
		in->memcg[k].sock_bytes = mc[k].sock_bytes;
		in->memcg[k].sock_throttled = mc[k].sock_throttled;
	}
	return rc;
}

int collect_record(const struct host *h, const char *dir, struct collect_out *out,
		   bool recorded[DP_COUNT])
{
	struct sockets_params par = collect_params(h);
	struct sockets agg;
	FILE *rec[DP_COUNT] = { NULL, NULL };
	int p, rc = 0;

	memset(out, 0, sizeof(*out));
	for (p = 0; p < DP_COUNT; p++)
		recorded[p] = false;
	if (sockets_init(&agg, &par, BY_SOCKET, 0, NULL))
		return -ENOMEM;
	for (p = 0; p < DP_COUNT && !rc; p++) {
		char rel[64];
		int fd;

		snapshot_dump_path(rel, sizeof(rel), NULL, (enum diag_proto)p);
		fd = snapshot_create_file(dir, rel);
		if (fd < 0) {
			rc = fd;
			sockdump_problem(&out->st, "%s/%s: cannot write: %s", dir, rel, strerror(-fd));
		} else if (!(rec[p] = fdopen(fd, "wb"))) {
			rc = -errno;
			close(fd);
		}
	}
	if (!rc)
		rc = sockdump_live(&agg, rec, &out->st);
	for (p = 0; p < DP_COUNT; p++) {
		if (rec[p] && fclose(rec[p]) && !rc)
			rc = -EIO;
		recorded[p] = rec[p] && out->st.ok[p];
	}
	out->present = !rc;
	snprintf(out->source, sizeof(out->source), "sock_diag (this network namespace)");
	sockets_free(&agg);
	return rc;
}
