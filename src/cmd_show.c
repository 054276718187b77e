/* cmd_show.c - "sockmem show": the system-wide picture of socket memory. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "output.h"
#include "procscan.h"
#include "sockdump.h"
#include "sockmem.h"

static bool show_all_netns;
static int show_format;		/* 0 text/json, 1 prometheus */
static const char *show_output;
static double show_interval_s;
static int show_count;

static const struct argp_option show_options[] = {
	{ "interval", 'i', "SECONDS", 0,
	  "Sample usage every SECONDS (--count times) and predict when each threshold will be "
	  "crossed", 0 },
	{ "count", 'c', "N", 0, "Samples with --interval (default 5, at most 1000)", 0 },
	{ "format", 'F', "FMT", 0, "text (default), json (as --json) or prometheus", 0 },
	{ "output", 'o', "FILE", 0,
	  "Write to FILE atomically (a temporary file renamed over it), e.g. for node_exporter's "
	  "textfile collector", 0 },
	{ "all-netns", 'A', NULL, 0,
	  "Dump the sockets of every network namespace in use (/run/netns and those of running "
	  "processes, each once) and attribute memory per namespace (needs CAP_SYS_ADMIN)", 0 },
	{ 0 }
};

static error_t show_parse(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case 'A':
		show_all_netns = true;
		break;
	case 'i': {
		char *end;

		show_interval_s = strtod(arg, &end);
		if (*end || !(show_interval_s >= 0.01 && show_interval_s <= 86400))
			argp_error(state, "--interval: '%s' is not a number of seconds from 0.01 to 86400",
				   arg);
		break;
	}
	case 'c': {
		uint64_t v;

		if (util_parse_u64(arg, strlen(arg), &v) || v < 2 || v > 1000)
			argp_error(state, "--count: '%s' is not a number from 2 to 1000", arg);
		show_count = (int)v;
		break;
	}
	case 'F':
		if (!strcmp(arg, "text"))
			show_format = 0;
		else if (!strcmp(arg, "json"))
			sm_common.json = true;
		else if (!strcmp(arg, "prometheus"))
			show_format = 1;
		else
			argp_error(state, "--format: '%s' is not text, json or prometheus", arg);
		break;
	case 'o':
		show_output = arg;
		break;
	case ARGP_KEY_END:
		if (show_count && !show_interval_s)
			argp_error(state, "--count needs --interval");
		break;
	case ARGP_KEY_INIT:
		state->child_inputs[0] = NULL;
		break;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s'", arg);
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

const struct argp cmd_show_argp = {
	show_options, show_parse, NULL,
	"Show how much memory TCP, UDP and IP fragment reassembly hold against the kernel's "
	"limits (net.ipv4.tcp_mem, udp_mem, ipfrag_high_thresh), the kernel's own pressure flag, "
	"the state that follows, socket counts, pressure counters since boot and the relevant "
	"settings; then, from one sock_diag pass over this network namespace, the sockets seen "
	"with the sums of their SK_MEMINFO fields, the bytes they have charged, and sockstat's "
	"figure reconciled with them.\v"
	"States: TCP normal (usage <= min), elevated (above min, no kernel pressure), pressure "
	"(kernel flag set, including the hysteresis band), over-limit (above max); UDP normal, "
	"limited (above udp_mem min: sockets holding udp_rmem_min stop growing), over-limit.",
	sm_children_sockets, NULL, NULL
};

/* Output to stdout, or to FILE through FILE.tmp.PID renamed over it, so a
 * reader (node_exporter's textfile collector) never sees half a file. */
FILE *sm_out_open(struct sm_out *o, const char *path)
{
	int fd;

	memset(o, 0, sizeof(*o));
	if (!path) {
		o->f = stdout;
		return o->f;
	}
	snprintf(o->path, sizeof(o->path), "%s", path);
	snprintf(o->tmp, sizeof(o->tmp), "%s.tmp.%ld", path, (long)getpid());
	fd = open(o->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0 || !(o->f = fdopen(fd, "w"))) {
		sm_error(o->tmp, "cannot create: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	return o->f;
}

int sm_out_close(struct sm_out *o, bool discard)
{
	int rc = 0;

	if (o->f == stdout || !o->f)
		return 0;
	if (fflush(o->f) || fsync(fileno(o->f)))
		rc = -errno;
	if (fclose(o->f) && !rc)
		rc = -errno;
	o->f = NULL;
	if (rc || discard) {
		if (rc)
			sm_error(o->tmp, "write error: %s", strerror(-rc));
		unlink(o->tmp);
		return rc ? rc : 0;
	}
	if (rename(o->tmp, o->path)) {
		rc = -errno;
		sm_error(o->path, "cannot rename %s over it: %s", o->tmp, strerror(-rc));
		unlink(o->tmp);
	}
	return rc;
}

/* Checks --root before anything is read so the message names the directory. */
int sm_check_root(const char *root)
{
	struct stat st;

	if (!root)
		return 0;
	if (stat(root, &st)) {
		sm_error(root, "%s", strerror(errno));
		return -errno;
	}
	if (!S_ISDIR(st.st_mode)) {
		sm_error(root, "not a directory");
		return -ENOTDIR;
	}
	return 0;
}

bool sm_use_color(void)
{
	const char *nc = getenv("NO_COLOR");

	if (sm_common.color == COLOR_ALWAYS)
		return true;
	if (sm_common.color == COLOR_NEVER || (nc && nc[0]))
		return false;
	return isatty(STDOUT_FILENO);
}

void sm_report_problems(const struct host *h)
{
	const struct host_problem *p;

	host_foreach_problem(p, h) {
		if (p->line)
			sm_error(p->path_safe, "line %d: %s", p->line, p->msg);
		else
			sm_error(p->path_safe, "%s", p->msg);
	}
}

/* What the aggregator needs of the host: page size, tcp_rmem/tcp_wmem. */
static struct sockets_params show_sockets_params(const struct host *h)
{
	struct sockets_params par = { h->page_size_bytes, false, 0, 0, 0 };

	if (h->sysctl[SC_TCP_RMEM].rc == 0 && h->sysctl[SC_TCP_WMEM].rc == 0) {
		par.tcp_limits_ok = true;
		par.tcp_rmem_max_bytes = h->sysctl[SC_TCP_RMEM].v[2];
		par.tcp_wmem_max_bytes = h->sysctl[SC_TCP_WMEM].v[2];
		par.tcp_wmem_default_bytes = h->sysctl[SC_TCP_WMEM].v[1];
	}
	return par;
}

int sm_collect_sockets(const struct host *h, struct sockets *agg, int by, int topn,
		       const struct keymap *inode_pid, struct sockdump_status *st, char *source,
		       size_t sourcesz)
{
	struct sockets_params par = show_sockets_params(h);
	int rc, p, found = 0;
	if (sockets_init(agg, &par, (enum sockets_by)by, topn, inode_pid)) {
		sm_error("sockets", "out of memory");
		return -ENOMEM;
	}
	if (sm_common.diag_file) {
		char safe[PATH_MAX];

		util_safe_token(safe, sizeof(safe), sm_common.diag_file, strlen(sm_common.diag_file));
		snprintf(source, sourcesz, "replay of %s (TCP, ss -D format)", safe);
		rc = sockdump_replay(agg, sm_common.diag_file, DP_TCP, st);
		st->partial = true; /* a TCP-only view */
		st->ok[DP_UDP] = false;
		if (st->nproblems < 4)
			snprintf(st->problem[st->nproblems++], sizeof(st->problem[0]),
				 "UDP: not in the recorded dump (ss -D records TCP only)");
		return rc == -ENOENT || rc == -EACCES || rc == -EISDIR ? rc : 1;
	}
	if (h->root[0]) {
		for (p = 0; p < DP_COUNT; p++) {
			char path[PATH_MAX + 64];
			struct sockdump_status one;

			memset(&one, 0, sizeof(one));
			snprintf(path, sizeof(path), "%s/" SNAPSHOT_DIAG_DIR "/%s.dump", h->root,
				 diag_proto_name(p));
			if (access(path, F_OK))
				continue;
			found++;
			/* replay adds to what is there: do not reset between protocols */
			sockdump_replay(agg, path, (enum diag_proto)p, &one);
			st->ok[p] = one.ok[p];
			st->partial |= one.partial;
			for (rc = 0; rc < one.nproblems && st->nproblems < 4; rc++)
				snprintf(st->problem[st->nproblems++], sizeof(st->problem[0]), "%s",
					 one.problem[rc]);
		}
		snprintf(source, sourcesz, "the snapshot's recorded sock_diag dumps");
		return found ? 1 : 0;
	}
	/* No IPv6 socket of a protocol in use here (sockstat6, this namespace):
	 * its AF_INET6 dump would walk the shared hash table for nothing.
	 * IPv6 TIME-WAIT entries (no memory) are then not counted. */
	if (h->sockstat6_rc == 0) {
		struct opt t6 = sockstat_get(&h->ss6, "TCP6", "inuse");
		struct opt u6 = sockstat_get(&h->ss6, "UDP6", "inuse");

		st->skip_v6[DP_TCP] = t6.ok && t6.v == 0;
		st->skip_v6[DP_UDP] = u6.ok && u6.v == 0;
	}
	snprintf(source, sourcesz, "sock_diag (this network namespace%s)",
		 st->skip_v6[DP_TCP] && st->skip_v6[DP_UDP] ? "; no IPv6 socket in use"
		 : st->skip_v6[DP_TCP] ? "; no IPv6 TCP socket in use"
		 : st->skip_v6[DP_UDP] ? "; no IPv6 UDP socket in use" : "");
	rc = sockdump_live(agg, NULL, st);
	return rc ? rc : 1;
}

/* --all-netns: one dump per network namespace, summed into agg. */
static int show_all_namespaces(const struct host *h, struct sockets *agg,
			       struct sockdump_status *st, struct netns_sums **per,
			       size_t *nper, bool *complete)
{
	struct sockets_params par = show_sockets_params(h);
	struct netns_ent *list = NULL;
	size_t n = 0, i;
	int self, rc;
	if (sockets_init(agg, &par, BY_SOCKET, 0, NULL))
		return -ENOMEM;
	rc = procscan_netns_list(&list, &n, complete);
	if (rc)
		return rc;
	self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	*per = calloc(n ? n : 1, sizeof(**per));
	if (self < 0 || !*per) {
		rc = self < 0 ? -errno : -ENOMEM;
		goto out;
	}
	st->ok[DP_TCP] = st->ok[DP_UDP] = true;
	for (i = 0; i < n; i++) {
		struct netns_sums *ns = &(*per)[*nper];
		struct sockdump_status one;
		struct sockets tmp;
		int fd = open(list[i].path, O_RDONLY | O_CLOEXEC), p;

		memset(&one, 0, sizeof(one));
		if (fd < 0)
			continue; /* the process exited */
		if (setns(fd, CLONE_NEWNET)) {
			int e = errno;

			close(fd);
			if (st->nproblems < 4)
				snprintf(st->problem[st->nproblems++], sizeof(st->problem[0]),
					 "cannot enter network namespace %s: %s%s", list[i].label,
					 strerror(e), e == EPERM ? " (needs CAP_SYS_ADMIN)" : "");
			st->partial = true;
			*complete = false;
			continue;
		}
		close(fd);
		if (sockets_init(&tmp, &par, BY_SOCKET, 0, NULL)) {
			rc = -ENOMEM;
			break;
		}
		sockdump_live(&tmp, NULL, &one);
		sockets_merge_sums(agg, &tmp);
		ns->inode = list[i].inode;
		snprintf(ns->label, sizeof(ns->label), "%s", list[i].label);
		ns->ok = one.ok[DP_TCP] && one.ok[DP_UDP];
		memcpy(ns->sum, tmp.sum, sizeof(ns->sum));
		for (p = 0; p < DP_COUNT; p++)
			st->ok[p] &= one.ok[p];
		st->restarts += one.restarts;
		if (one.partial) {
			st->partial = true;
			if (st->nproblems < 4 && one.nproblems)
				snprintf(st->problem[st->nproblems++], sizeof(st->problem[0]), "%.60s: %.200s",
					 list[i].label, one.problem[0]);
		}
		sockets_free(&tmp);
		(*nper)++;
	}
	if (setns(self, CLONE_NEWNET))
		rc = -errno;
out:
	if (self >= 0)
		close(self);
	free(list);
	return rc;
}

int cmd_show_run(void)
{
	struct output_opts oo = { sm_use_color(), sm_common.exact_bytes };
	struct host *h;
	struct report *r;
	struct sockets agg = { 0 };
	struct sockdump_status st;
	struct netns_sums *per_ns = NULL;
	size_t nper_ns = 0;
	double *samples = NULL;
	struct timespec t0 = { 0, 0 };
	int rc, ret, i;

	if (sm_check_root(sm_common.root))
		return SM_EXIT_ERROR;
	h = malloc(sizeof(*h));
	r = malloc(sizeof(*r));
	if (!h || !r) {
		sm_error("show", "out of memory");
		free(h);
		free(r);
		return SM_EXIT_ERROR;
	}
	if (show_interval_s && !show_count)
		show_count = 5;
	if (show_interval_s && sm_common.root) {
		sm_error("show", "--interval samples the live system; a snapshot does not move");
		free(h);
		free(r);
		return SM_EXIT_ERROR;
	}
	if (show_interval_s) {
		samples = calloc((size_t)show_count * 3, sizeof(*samples));
		if (!samples) {
			sm_error("show", "out of memory");
			free(h);
			free(r);
			return SM_EXIT_ERROR;
		}
		for (i = 0; i < show_count; i++) {
			struct timespec now;

			clock_gettime(CLOCK_MONOTONIC, &now);
			if (i == 0)
				t0 = now;
			rc = host_collect(h, NULL, sm_common.page_size);
			samples[i] = (double)(now.tv_sec - t0.tv_sec) + (now.tv_nsec - t0.tv_nsec) / 1e9;
			samples[show_count + i] = (double)sockstat_get(&h->ss4, "TCP", "mem").v;
			samples[2 * show_count + i] = (double)sockstat_get(&h->ss4, "UDP", "mem").v;
			if (rc || i + 1 == show_count)
				break;
			sm_sleep(show_interval_s, NULL);
		}
	} else {
		rc = host_collect(h, sm_common.root, sm_common.page_size);
	}
	sm_report_problems(h);
	if (rc) {
		/* Without sockstat there is no usage to report. */
		free(h);
		free(r);
		return SM_EXIT_ERROR;
	}
	report_build(r, h);
	ret = h->partial ? SM_EXIT_PARTIAL : SM_EXIT_OK;
	if (samples) {
		report_add_trend(r, 0, samples, samples + show_count, show_count);
		report_add_trend(r, 1, samples, samples + 2 * show_count, show_count);
	}
	memset(&st, 0, sizeof(st));
	if (sm_common.no_sockets)
		r->sk.absent_reason = "--no-sockets";
	if (!sm_common.no_sockets && show_all_netns) {
		bool complete = true;
		char source[128];

		if (h->root[0] || sm_common.diag_file) {
			sm_error("show", "--all-netns needs the live system");
			ret = SM_EXIT_ERROR;
			goto out;
		}
		rc = show_all_namespaces(h, &agg, &st, &per_ns, &nper_ns, &complete);
		for (i = 0; i < st.nproblems; i++)
			sm_error("sockets", "%s", st.problem[i]);
		if (rc) {
			sm_error("--all-netns", "%s", strerror(-rc));
			ret = SM_EXIT_ERROR;
			goto out;
		}
		snprintf(source, sizeof(source), "sock_diag in %zu network namespace%s", nper_ns,
			 nper_ns == 1 ? "" : "s");
		r->sk.all_netns = true;
		report_add_sockets(r, &agg, &st, source, nper_ns, complete);
		r->sk.per_ns = per_ns;
		r->sk.nper_ns = nper_ns;
		if (st.partial)
			ret = SM_EXIT_PARTIAL;
	} else if (!sm_common.no_sockets) {
		char source[400];
		bool complete = true;
		uint64_t nns = 0;

		rc = sm_collect_sockets(h, &agg, BY_SOCKET, 0, NULL, &st, source, sizeof(source));
		if (rc > 0) {
			if (!h->root[0])
				nns = procscan_netns_count(&complete);
			report_add_sockets(r, &agg, &st, source, nns, complete);
			for (i = 0; i < st.nproblems; i++)
				sm_error("sockets", "%s", st.problem[i]);
			if (st.partial)
				ret = SM_EXIT_PARTIAL;
		} else if (rc == 0) {
			r->sk.absent_reason = "the snapshot has no recorded sock_diag dump";
		} else if (rc < 0) {
			for (i = 0; i < st.nproblems; i++)
				sm_error("sockets", "%s", st.problem[i]);
			if (sm_common.diag_file) {
				sm_error(sm_common.diag_file, "%s", strerror(-rc));
				ret = SM_EXIT_ERROR;
				goto out;
			}
			ret = SM_EXIT_PARTIAL;
		}
	}
	{
		struct sm_out out;
		FILE *f = sm_out_open(&out, show_output);

		if (!f) {
			ret = SM_EXIT_ERROR;
			goto out;
		}
		if (show_format == 1) {
			output_prom_show(f, r);
		} else if (sm_common.json) {
			json_t *doc = output_json_show(r);

			if (!doc) {
				sm_error("json", "could not build the document (out of memory)");
				ret = SM_EXIT_ERROR;
			} else {
				if (output_json_dump(f, doc))
					ret = SM_EXIT_ERROR;
				json_decref(doc);
			}
		} else {
			if (show_output)
				oo.color = false;
			output_text_show(f, r, &oo);
		}
		if (sm_out_close(&out, ret == SM_EXIT_ERROR))
			ret = SM_EXIT_ERROR;
	}
out:
	sockets_free(&agg);
	free(samples);
	free(per_ns);
	free(h);
	free(r);
	return ret;
}
