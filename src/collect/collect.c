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
 * process: the inode, by cgroup: its id); sums, ports and states do
 * without it. */
static bool collect_wants_ids(const struct collect_req *q)
{
	return (q->by == BY_SOCKET && q->topn > 0) || q->by == BY_PROCESS || q->by == BY_CGROUP;
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

static int collect_replay(const struct collect_req *q, struct sockets *agg,
			  struct collect_out *out)
{
	char safe[PATH_MAX];
	struct stat st;
	int fd;

	util_safe_token(safe, sizeof(safe), q->diag_file, strlen(q->diag_file));
	snprintf(out->source, sizeof(out->source), "replay of %s (TCP, ss -D format)", safe);
	/* a file that cannot be opened is the caller's to name, once; what
	 * is wrong inside it is a problem of the view */
	fd = open(q->diag_file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		return -EISDIR;
	}
	close(fd);
	sockdump_replay(agg, q->diag_file, DP_TCP, &out->st);
	/* A TCP recording is what was asked for: UDP absent is said in the
	 * view (udp.complete false), not a partial report. */
	out->st.ok[DP_UDP] = false;
	out->present = true;
	return 0;
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
	if (collect_recorded(h, q, out))
		return q->diag_file ? collect_replay(q, agg, out) : collect_snapshot(h, agg, out);
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

void collect_top_names(struct host *h, struct report_top *t)
{
	struct cgroup_info **ci;
	uint64_t *ids;
	int i;

	if (t->by == BY_PROCESS)
		for (i = 0; i < t->n; i++)
			procscan_comm((uint32_t)t->row[i].key.id, t->row[i].comm,
				      sizeof(t->row[i].comm));
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
