/* cmd_top.c - "sockmem top": the largest holders of charged socket memory,
 * by socket, process, cgroup, port or state, with the evidence for each. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "cli.h"
#include "collect.h"
#include "output.h"
#include "procscan.h"

static int top_n = 10;
static enum sockets_by top_by = BY_SOCKET;

static error_t top_parse(int key, char *arg, struct argp_state *state)
{
	uint64_t v;
	int i;

	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[0] = NULL;
		break;
	case 'n':
		if (util_parse_u64(arg, strlen(arg), &v) || v < 1 || v > 100000)
			argp_error(state, "-n: '%s' is not a number from 1 to 100000", arg);
		top_n = (int)v;
		break;
	case 'B':
		for (i = 0; i < BY_COUNT; i++)
			if (!strcmp(arg, sockets_by_name[i]))
				break;
		if (i == BY_COUNT)
			argp_error(state, "--by: '%s' is not socket, process, cgroup, port or state", arg);
		top_by = (enum sockets_by)i;
		break;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s'", arg);
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp_option top_options[] = {
	{ "count", 'n', "N", 0, "Show the N largest (default 10)", 0 },
	{ "by", 'B', "KEY", 0, "Group by socket (default), process, cgroup, port or state", 0 },
	{ 0 }
};

const struct argp cmd_top_argp = {
	top_options, top_parse, NULL,
	"The largest holders of charged socket memory (TCP rmem_alloc + wmem_queued + fwd_alloc, "
	"UDP rmem_alloc + fwd_alloc: what counts against tcp_mem and udp_mem), from one sock_diag "
	"pass, with the evidence for each: queue against buffer sizes, drops, backlog.  Flags: "
	"'slow-reader' (receive queue at 90% of rcvbuf or more, drops or backlog), 'sndbuf-small' "
	"(send buffer below tcp_wmem default: shrunk under memory pressure, or SO_SNDBUF).\v"
	"--by process reads /proc/PID/fd of every process (root sees all; others only their own: "
	"the rest is counted as not attributed).  --by cgroup maps INET_DIAG_CGROUP_ID to the cgroup "
	"v2 path and shows the memory controller's own socket figure beside the sum.",
	sm_children_sockets, NULL, NULL
};

static void top_addr(char *dst, size_t n, int family, const uint8_t *a, uint16_t port)
{
	char ip[INET6_ADDRSTRLEN];

	if (!inet_ntop(family == AF_INET6 ? AF_INET6 : AF_INET, a, ip, sizeof(ip)))
		snprintf(ip, sizeof(ip), "?");
	if (family == AF_INET6)
		snprintf(dst, n, "[%s]:%u", ip, port);
	else
		snprintf(dst, n, "%s:%u", ip, port);
}

static const char *top_flags(const struct sock_entry *e, char *buf, size_t n)
{
	snprintf(buf, n, "%s%s%s", e->slow_readers ? "slow-reader" : "",
		 e->slow_readers && e->sndbuf_small ? "," : "", e->sndbuf_small ? "sndbuf-small" : "");
	return buf;
}

/* The name of a group key, for text and JSON. */
static void top_group_name(const struct sock_entry *e, char *dst, size_t n, struct cgroup_info *ci)
{
	switch (top_by) {
	case BY_PROCESS: {
		char comm[64];

		procscan_comm((uint32_t)e->key, comm, sizeof(comm));
		snprintf(dst, n, "%llu %s", (unsigned long long)e->key, comm);
		break;
	}
	case BY_CGROUP:
		if (ci && ci->found) {
			util_safe_token(dst, n, ci->path, strlen(ci->path));
		} else {
			snprintf(dst, n, "id %llu", (unsigned long long)e->key);
		}
		break;
	case BY_PORT:
		snprintf(dst, n, "%s %llu", diag_proto_name((enum diag_proto)(e->key >> 16)),
			 (unsigned long long)(e->key & 0xffff));
		break;
	case BY_STATE:
		snprintf(dst, n, "%s %s", diag_proto_name((enum diag_proto)(e->key >> 8)),
			 diag_state_name((enum diag_proto)(e->key >> 8), (unsigned)(e->key & 0xff)));
		break;
	default:
		dst[0] = '\0';
	}
}

static json_t *top_json_entry(const struct sock_entry *e, const struct cgroup_info *ci)
{
	json_t *o = json_object();
	char buf[PATH_MAX];
	int i;

	json_object_set_new(o, "charged_bytes", output_json_u64(e->charged_bytes));
	if (top_by == BY_SOCKET) {
		const struct diag_sock *d = &e->s;

		json_object_set_new(o, "protocol", json_string(diag_proto_name(d->proto)));
		json_object_set_new(o, "state", json_string(diag_state_name(d->proto, d->state)));
		top_addr(buf, sizeof(buf), d->family, d->src, d->sport);
		json_object_set_new(o, "local", json_string(buf));
		top_addr(buf, sizeof(buf), d->family, d->dst, d->dport);
		json_object_set_new(o, "peer", json_string(buf));
		json_object_set_new(o, "inode", json_integer(d->inode));
		json_object_set_new(o, "uid", json_integer(d->uid));
		json_object_set_new(o, "cgroup_id", d->has_cgroup ? output_json_u64(d->cgroup_id)
								   : json_null());
	} else {
		json_object_set_new(o, "sockets", output_json_u64(e->count));
		switch (top_by) {
		case BY_PROCESS:
			procscan_comm((uint32_t)e->key, buf, sizeof(buf));
			json_object_set_new(o, "pid", output_json_u64(e->key));
			json_object_set_new(o, "comm", json_string(buf));
			break;
		case BY_CGROUP:
			json_object_set_new(o, "cgroup_id", output_json_u64(e->key));
			if (ci && ci->found) {
				/* a name chosen by whoever made the cgroup: escaped, valid UTF-8 */
				util_safe_token(buf, sizeof(buf), ci->path, strlen(ci->path));
				json_object_set_new(o, "path", json_string(buf));
			} else {
				json_object_set_new(o, "path", json_null());
			}
			json_object_set_new(o, "memcg_sock_bytes", ci ? output_json_opt(ci->sock_bytes)
								       : json_null());
			json_object_set_new(o, "memcg_current_bytes",
					    ci ? output_json_opt(ci->current_bytes) : json_null());
			json_object_set_new(o, "memcg_max_bytes", ci ? output_json_opt(ci->max_bytes)
								      : json_null());
			json_object_set_new(o, "kmem_tcp_usage_bytes",
					    ci ? output_json_opt(ci->kmem_tcp_usage_bytes) : json_null());
			json_object_set_new(o, "kmem_tcp_limit_bytes",
					    ci ? output_json_opt(ci->kmem_tcp_limit_bytes) : json_null());
			break;
		case BY_PORT:
			json_object_set_new(o, "protocol", json_string(diag_proto_name(e->key >> 16)));
			json_object_set_new(o, "port", output_json_u64(e->key & 0xffff));
			break;
		case BY_STATE:
			json_object_set_new(o, "protocol", json_string(diag_proto_name(e->key >> 8)));
			json_object_set_new(o, "state", json_string(diag_state_name(e->key >> 8,
										  e->key & 0xff)));
			break;
		default:
			break;
		}
	}
	for (i = 0; i < DM_COUNT; i++) {
		char key[40];

		if (i == DM_DROPS) {
			json_object_set_new(o, "drops", e->drops_known ? output_json_u64(e->mem[i])
								       : json_null());
			continue;
		}
		snprintf(key, sizeof(key), "%s_bytes", diag_mem_name[i]);
		json_object_set_new(o, key, output_json_u64(e->mem[i]));
	}
	json_object_set_new(o, "slow_readers", output_json_u64(e->slow_readers));
	json_object_set_new(o, "sndbuf_below_default", output_json_u64(e->sndbuf_small));
	return o;
}

int cmd_top_run(void)
{
	struct output_opts oo = { sm_use_color(), sm_common.exact_bytes };
	struct keymap inode_pid = { 0 };
	struct procscan_stats ps = { 0, 0, 0 };
	struct collect_req q = { sm_common.diag_file, false, BY_SOCKET, 0, NULL, false, false };
	struct collect_out co = { 0 };
	struct sockets agg = { 0 };
	struct sock_entry *top = NULL;
	struct cgroup_info *cgi = NULL;
	struct host *h;
	const char *source;
	int rc, n = 0, i, ret = SM_EXIT_OK;
	bool attribution_partial = false;

	if (sm_check_root(sm_common.root))
		return SM_EXIT_ERROR;
	h = malloc(sizeof(*h));
	top = calloc((size_t)top_n, sizeof(*top));
	if (!h || !top) {
		sm_error("top", "out of memory");
		ret = SM_EXIT_ERROR;
		goto out;
	}
	host_collect(h, sm_common.root, sm_common.page_size); /* for page size and tcp_wmem */
	if ((top_by == BY_PROCESS || top_by == BY_CGROUP) && (h->root[0] || sm_common.diag_file)) {
		sm_error("top", "--by %s needs the live system (processes and cgroups are not in a "
			 "snapshot or a recorded dump)", sockets_by_name[top_by]);
		ret = SM_EXIT_ERROR;
		goto out;
	}
	if (top_by == BY_PROCESS) {
		if (keymap_init(&inode_pid, sizeof(uint32_t)) ||
		    (rc = procscan_socket_inodes(&inode_pid, &ps)) == -ENOMEM) {
			sm_error("/proc", "out of memory");
			ret = SM_EXIT_ERROR;
			goto out;
		} else if (rc) {
			sm_error("/proc", "%s", strerror(-rc));
		}
		attribution_partial = ps.denied > 0;
	}
	q.by = top_by;
	q.topn = top_n;
	q.inode_pid = &inode_pid;
	rc = collect_sockets(h, &q, &agg, &co);
	for (i = 0; i < co.st.nproblems; i++)
		sm_error("sockets", "%s", co.st.problem[i]);
	if (rc || !co.present) {
		if (!rc)
			sm_error(h->root[0] ? h->root : "sockets", "%s", co.absent_reason);
		else
			sm_error(sm_common.diag_file ? sm_common.diag_file : "sockets", "%s",
				 strerror(-rc));
		ret = SM_EXIT_ERROR;
		goto out;
	}
	source = co.source;
	if (co.st.partial || attribution_partial)
		ret = SM_EXIT_PARTIAL;
	n = sockets_top(&agg, top, top_n);
	if (n < 0)
		n = 0;
	if (top_by == BY_CGROUP) {
		cgi = calloc((size_t)(n ? n : 1), sizeof(*cgi));
		for (i = 0; cgi && i < n; i++)
			procscan_cgroup(top[i].key, &cgi[i]);
	}

	if (sm_common.json) {
		json_t *doc = output_json_envelope("top"), *arr = json_array(), *a = json_object();

		json_object_set_new(doc, "by", json_string(sockets_by_name[top_by]));
		json_object_set_new(doc, "source", json_string(source));
		json_object_set_new(doc, "partial", json_boolean(ret == SM_EXIT_PARTIAL));
		for (i = 0; i < n; i++)
			json_array_append_new(arr, top_json_entry(&top[i], cgi ? &cgi[i] : NULL));
		json_object_set_new(doc, "top", arr);
		if (top_by == BY_PROCESS || top_by == BY_CGROUP) {
			json_object_set_new(a, "unattributed_sockets", output_json_u64(agg.unattributed));
			json_object_set_new(a, "unattributed_charged_bytes",
					    output_json_u64(agg.unattributed_bytes));
			json_object_set_new(a, "processes_scanned", output_json_u64(ps.processes));
			json_object_set_new(a, "processes_denied", output_json_u64(ps.denied));
			json_object_set_new(a, "partial", json_boolean(attribution_partial));
			json_object_set_new(doc, "attribution", a);
		} else {
			json_decref(a);
		}
		output_json_dump(stdout, doc);
		json_decref(doc);
		goto out;
	}

	printf("top %d by %s, charged bytes, from %s\n", top_n, sockets_by_name[top_by], source);
	if (top_by == BY_SOCKET)
		printf("%-5s %-11s %-26s %-26s %11s %21s %21s %9s %6s %s\n", "PROTO", "STATE", "LOCAL",
		       "PEER", "CHARGED", "RECV-Q/RCVBUF", "SEND-Q/SNDBUF", "FWD", "DROPS", "FLAGS");
	else
		printf("%-32s %9s %11s %21s %21s %9s %8s %s\n",
		       top_by == BY_PROCESS ? "PID COMMAND" : top_by == BY_CGROUP ? "CGROUP"
		       : top_by == BY_PORT ? "PROTO PORT" : "PROTO STATE",
		       "SOCKETS", "CHARGED", "RECV-Q/RCVBUF", "SEND-Q/SNDBUF", "FWD", "DROPS", "FLAGS");
	for (i = 0; i < n; i++) {
		const struct sock_entry *e = &top[i];
		char ch[32], r[32], rb[32], w[32], tb[32], f[32], rq[72], wq[72], dr[24], fl[40];

		util_human_bytes(ch, sizeof(ch), e->charged_bytes);
		if (oo.exact_bytes)
			snprintf(ch, sizeof(ch), "%llu", (unsigned long long)e->charged_bytes);
		util_human_bytes(r, sizeof(r), e->mem[DM_RMEM_ALLOC]);
		util_human_bytes(rb, sizeof(rb), e->mem[DM_RCVBUF]);
		util_human_bytes(w, sizeof(w), e->mem[DM_WMEM_QUEUED]);
		util_human_bytes(tb, sizeof(tb), e->mem[DM_SNDBUF]);
		util_human_bytes(f, sizeof(f), e->mem[DM_FWD_ALLOC]);
		snprintf(rq, sizeof(rq), "%s/%s", r, rb);
		snprintf(wq, sizeof(wq), "%s/%s", w, tb);
		if (e->drops_known)
			snprintf(dr, sizeof(dr), "%llu", (unsigned long long)e->mem[DM_DROPS]);
		else
			snprintf(dr, sizeof(dr), "-");
		top_flags(e, fl, sizeof(fl));
		if (top_by == BY_SOCKET) {
			char la[64], pa[64];

			top_addr(la, sizeof(la), e->s.family, e->s.src, e->s.sport);
			top_addr(pa, sizeof(pa), e->s.family, e->s.dst, e->s.dport);
			printf("%-5s %-11s %-26s %-26s %11s %21s %21s %9s %6s %s\n",
			       diag_proto_name(e->s.proto), diag_state_name(e->s.proto, e->s.state), la,
			       pa, ch, rq, wq, f, dr, fl);
		} else {
			char name[PATH_MAX];

			top_group_name(e, name, sizeof(name), cgi ? &cgi[i] : NULL);
			printf("%-32s %9llu %11s %21s %21s %9s %8s %s\n", name,
			       (unsigned long long)e->count, ch, rq, wq, f, dr, fl);
			if (top_by == BY_CGROUP && cgi && (cgi[i].sock_bytes.ok ||
							   cgi[i].kmem_tcp_usage_bytes.ok)) {
				char a[32], b[32];

				if (cgi[i].sock_bytes.ok) {
					util_human_bytes(a, sizeof(a), cgi[i].sock_bytes.v);
					printf("%32s memory.stat sock %s", "", a);
					if (cgi[i].max_bytes.ok) {
						util_human_bytes(b, sizeof(b), cgi[i].max_bytes.v);
						printf(", memory.max %s", b);
					}
					putchar('\n');
				}
				if (cgi[i].kmem_tcp_usage_bytes.ok) {
					util_human_bytes(a, sizeof(a), cgi[i].kmem_tcp_usage_bytes.v);
					printf("%32s v1 kmem.tcp usage %s", "", a);
					/* "unlimited" is PAGE_COUNTER_MAX pages, near 2^63 */
					if (cgi[i].kmem_tcp_limit_bytes.ok &&
					    cgi[i].kmem_tcp_limit_bytes.v >= (1ull << 62)) {
						printf(", no limit");
					} else if (cgi[i].kmem_tcp_limit_bytes.ok) {
						util_human_bytes(b, sizeof(b), cgi[i].kmem_tcp_limit_bytes.v);
						printf(", limit %s", b);
					}
					putchar('\n');
				}
			}
		}
	}
	if (top_by == BY_PROCESS || top_by == BY_CGROUP) {
		char b[32];

		util_human_bytes(b, sizeof(b), agg.unattributed_bytes);
		printf("not attributed: %llu sockets, %s charged", (unsigned long long)agg.unattributed, b);
		if (top_by == BY_PROCESS)
			printf(" (no process: TIME-WAIT, orphans, kernel sockets%s)",
			       ps.denied ? "; or owned by processes whose fds could not be read" : "");
		else
			printf(" (TIME-WAIT and SYN-RECV entries carry no cgroup id)");
		putchar('\n');
		if (attribution_partial)
			printf("attribution is partial: %llu of %llu processes could not be inspected "
			       "(reading another user's /proc/PID/fd needs root)\n",
			       (unsigned long long)ps.denied, (unsigned long long)ps.processes);
	}
out:
	free(cgi);
	free(top);
	free(h);
	sockets_free(&agg);
	collect_free(&co);
	if (inode_pid.keys)
		keymap_free(&inode_pid);
	return ret;
}
