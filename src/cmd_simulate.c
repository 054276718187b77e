/* cmd_simulate.c - "sockmem simulate": the current state (live or --root)
 * with proposed sysctl changes and N more sockets of a given size, run
 * through the model; prints each transition the workload would cross. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "simulate.h"
#include "sockdump.h"
#include "cli.h"

#define SIM_MAX_SETS 16

static struct { enum sysctl_id id; uint64_t v[3]; } sim_set[SIM_MAX_SETS];
static int sim_nset;
static uint64_t sim_add_sockets, sim_bytes;
static bool sim_bytes_given;
static enum diag_proto sim_proto = DP_TCP;
static enum model_dir sim_dir = CHARGE_RECV;

/* "64K", "64KiB", "1.5M" are not needed: integers with a binary suffix. */
int sm_parse_size(const char *arg, uint64_t *out)
{
	static const struct { const char *s; uint64_t m; } suf[] = {
		{ "", 1 }, { "B", 1 }, { "K", 1024 }, { "KB", 1024 }, { "KiB", 1024 }, { "k", 1024 },
		{ "M", 1u << 20 }, { "MB", 1u << 20 }, { "MiB", 1u << 20 },
		{ "G", 1u << 30 }, { "GB", 1u << 30 }, { "GiB", 1u << 30 },
	};
	size_t n = strspn(arg, "0123456789"), i;
	uint64_t v;

	if (!n || util_parse_u64(arg, n, &v))
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(suf); i++)
		if (!strcmp(arg + n, suf[i].s)) {
			if (v > UINT64_MAX / suf[i].m)
				return -ERANGE;
			*out = v * suf[i].m;
			return 0;
		}
	return -EINVAL;
}

static void sim_parse_set(struct argp_state *state, const char *arg)
{
	const char *eq = strchr(arg, '=');
	char name[128], val[256], *p;
	int i, n = 0;

	if (!eq || (size_t)(eq - arg) >= sizeof(name))
		argp_error(state, "--set: expected NAME=VALUE, got '%s'", arg);
	memcpy(name, arg, (size_t)(eq - arg));
	name[eq - arg] = '\0';
	for (p = name; *p; p++)
		if (*p == '/')
			*p = '.';
	snprintf(val, sizeof(val), "%s", eq + 1);
	for (i = 0; i < SC_COUNT; i++)
		if (!strcmp(name, host_sysctl[i].name))
			break;
	if (i == SC_COUNT)
		argp_error(state, "--set: '%s' is not a sysctl the model uses (net.ipv4.tcp_mem, "
			   "udp_mem, tcp_rmem, tcp_wmem, udp_rmem_min, net.core.mem_pcpu_rsv, ...)", name);
	if (sim_nset == SIM_MAX_SETS)
		argp_error(state, "--set: at most %d", SIM_MAX_SETS);
	/* values separated by blanks, tabs or commas, as sysctl -w takes them */
	for (p = strtok(val, " \t,\""); p; p = strtok(NULL, " \t,\"")) {
		if (n == host_sysctl[i].n)
			argp_error(state, "--set %s: %d value%s expected", name, host_sysctl[i].n,
				   host_sysctl[i].n > 1 ? "s" : "");
		if (util_parse_u64(p, strlen(p), &sim_set[sim_nset].v[n]))
			argp_error(state, "--set %s: '%s' is not a non-negative integer", name, p);
		n++;
	}
	if (n != host_sysctl[i].n)
		argp_error(state, "--set %s: %d value%s expected, got %d", name, host_sysctl[i].n,
			   host_sysctl[i].n > 1 ? "s" : "", n);
	if (n == 3 && (sim_set[sim_nset].v[0] > sim_set[sim_nset].v[1] ||
		       sim_set[sim_nset].v[1] > sim_set[sim_nset].v[2]) &&
	    host_sysctl[i].unit == UNIT_PAGES)
		argp_error(state, "--set %s: min <= pressure <= max expected", name);
	sim_set[sim_nset++].id = (enum sysctl_id)i;
}

enum { OPT_SET = 0x300, OPT_ADD, OPT_BYTES, OPT_PROTO, OPT_DIR };

static const struct argp_option sim_options[] = {
	{ "set", OPT_SET, "NAME=VALUE", 0,
	  "A proposed sysctl, as sysctl -w takes it: --set net.ipv4.tcp_mem=\"A B C\" (repeatable)", 0 },
	{ "add-sockets", OPT_ADD, "N", 0, "N more sockets (default 0: only the changed limits)", 0 },
	{ "bytes-per-socket", OPT_BYTES, "SIZE", 0,
	  "What each new socket tries to hold, in bytes (suffixes K, M, G: powers of 1024; "
	  "default: tcp_rmem default for TCP, rmem_default for UDP)", 0 },
	{ "protocol", OPT_PROTO, "tcp|udp", 0, "Protocol of the new sockets (default tcp)", 0 },
	{ "direction", OPT_DIR, "recv|send", 0,
	  "The bytes queue on receive (default) or on send (TCP)", 0 },
	{ 0 }
};

static error_t sim_parse(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[0] = NULL;
		break;
	case OPT_SET:
		sim_parse_set(state, arg);
		break;
	case OPT_ADD:
		if (util_parse_u64(arg, strlen(arg), &sim_add_sockets) || sim_add_sockets > SIM_MAX_ADD)
			argp_error(state, "--add-sockets: '%s' is not a number from 0 to %llu", arg,
				   (unsigned long long)SIM_MAX_ADD);
		break;
	case OPT_BYTES:
		if (sm_parse_size(arg, &sim_bytes) || !sim_bytes || sim_bytes > (1ull << 40))
			argp_error(state, "--bytes-per-socket: '%s' is not a size (bytes, or with K, M, "
				   "G) between 1 and 1 TiB", arg);
		sim_bytes_given = true;
		break;
	case OPT_PROTO:
		if (!strcmp(arg, "tcp"))
			sim_proto = DP_TCP;
		else if (!strcmp(arg, "udp"))
			sim_proto = DP_UDP;
		else
			argp_error(state, "--protocol: '%s' is not tcp or udp", arg);
		break;
	case OPT_DIR:
		if (!strcmp(arg, "recv"))
			sim_dir = CHARGE_RECV;
		else if (!strcmp(arg, "send"))
			sim_dir = CHARGE_SEND;
		else
			argp_error(state, "--direction: '%s' is not recv or send", arg);
		break;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s'", arg);
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

const struct argp cmd_simulate_argp = {
	sim_options, sim_parse, NULL,
	"What if: the current state (live, or a --root snapshot) with proposed sysctls and N more "
	"sockets each holding SIZE bytes, run through the model of the kernel's accounting "
	"(__sk_mem_raise_allocated).  Prints the state now, each transition the workload would "
	"cross in order (above min, pressure, new sockets capped at their fair share or minimum "
	"guarantee: receive queues drop or senders block, over max, over RAM) with the number of "
	"added sockets at which it happens and the range the per-CPU band allows, and the final "
	"state.\v"
	"Example: sockmem simulate --set net.ipv4.tcp_mem=\"2000 3000 4000\" --add-sockets 500 "
	"--bytes-per-socket 64K",
	sm_children_common, NULL, NULL
};

static const char *sim_event_text(const struct simulate_transition *t, enum diag_proto proto,
				  enum model_dir dir, char *buf, size_t n, uint64_t page)
{
	char a[32];

	switch (t->event) {
	case SIM_ABOVE_MIN:
		return proto == DP_TCP ? "TCP usage above min (tcp_mem[0]): send buffers no longer "
					 "grow, pressure is left only below it"
				       : "UDP usage above min (udp_mem[0]): limited, sockets holding "
					 "udp_rmem_min or more stop growing and drop";
	case SIM_ENTER_PRESSURE:
		return "TCP enters memory pressure (TCPMemoryPressures +1; windows shrink to 4 MSS, "
		       "send buffers are moderated)";
	case SIM_CAPPED:
		util_human_bytes(a, sizeof(a), t->capped_pages * page);
		snprintf(buf, n, "new sockets can hold only %llu page%s (%s) each: %s",
			 (unsigned long long)t->capped_pages, t->capped_pages == 1 ? "" : "s", a,
			 proto == DP_UDP ? "datagrams are dropped (RcvbufErrors/MemErrors, socket drops)"
			 : dir == CHARGE_RECV ? "receive queues start dropping (PruneCalled, TCPRcvQDrop)"
			 : "senders block or get EAGAIN; send buffers shrink");
		return buf;
	case SIM_OVER_MAX:
		return "usage goes over max: every charge that is not forced or guaranteed fails; "
		       "close() resets connections with unsent data (TCPAbortOnMemory)";
	case SIM_OVER_RAM:
		return "usage exceeds MemTotal: the machine cannot provide it";
	}
	return "?";
}

int cmd_simulate_run(void)
{
	struct host *h = malloc(sizeof(*h));
	struct report *r = malloc(sizeof(*r));
	struct simulate_in in = { 0 };
	struct simulate_out out;
	const struct proto_report *pr;
	uint64_t before[SIM_MAX_SETS][3];
	bool before_ok[SIM_MAX_SETS];
	int i, j, ret = SM_EXIT_OK;

	if (!h || !r) {
		sm_error("simulate", "out of memory");
		ret = SM_EXIT_ERROR;
		goto out;
	}
	if (sm_check_root(sm_common.root) || host_collect(h, sm_common.root, sm_common.page_size)) {
		sm_report_problems(h);
		ret = SM_EXIT_ERROR;
		goto out;
	}
	sm_report_problems(h);
	if (h->partial)
		ret = SM_EXIT_PARTIAL;
	for (i = 0; i < sim_nset; i++) {
		struct sysctl_val *v = &h->sysctl[sim_set[i].id];

		before_ok[i] = v->rc == 0;
		for (j = 0; j < 3; j++)
			before[i][j] = v->rc ? 0 : v->v[j];
		memcpy(v->v, sim_set[i].v, sizeof(v->v));
		v->rc = 0;
	}
	report_build(r, h);
	pr = &r->proto[sim_proto];
	if (!pr->usage_pages.ok || !pr->limits_ok) {
		sm_error("simulate", "%s %s is not known: %s", pr->def->label,
			 !pr->usage_pages.ok ? "usage" : "limits",
			 pr->limits_why ? pr->limits_why : "see above");
		if (!pr->limits_ok)
			fprintf(stderr, "sockmem: simulate: give the limits with --set %s=\"MIN PRESSURE MAX\"\n",
				host_sysctl[pr->def->limits].name);
		ret = SM_EXIT_ERROR;
		goto out;
	}
	in.kind = pr->def->kind;
	in.dir = sim_proto == DP_UDP ? CHARGE_RECV : sim_dir;
	in.usage_pages = pr->usage_pages.v;
	memcpy(in.limit_pages, pr->limit_pages, sizeof(in.limit_pages));
	in.press = pr->press == PRESS_UNKNOWN && pr->m.state == MS_PRESSURE ? PRESS_YES : pr->press;
	in.band_pages = r->band_pages.ok ? r->band_pages.v : 0;
	in.sockets_now = pr->sockets_alloc.ok ? pr->sockets_alloc.v : 0;
	in.add_sockets = sim_add_sockets;
	in.page_size_bytes = h->page_size_bytes;
	in.mem_total_bytes = h->mem_total_bytes;
	if (h->kver.ok) {
		in.kver_major = h->kver.major;
		in.kver_minor = h->kver.minor;
	}
	/* TCP receive: a GRO/TSO skb; send: one page-frag refill (32 KiB,
	 * SKB_FRAG_PAGE_ORDER); UDP: a 1000-byte datagram (truesize 2304,
	 * kernel-model.md 11.2) */
	in.skb_bytes = sim_proto == DP_UDP ? 2304 : sim_dir == CHARGE_RECV ? SIMULATE_SKB_BYTES : 32768;
	if (sim_proto == DP_TCP) {
		enum sysctl_id b = sim_dir == CHARGE_RECV ? SC_TCP_RMEM : SC_TCP_WMEM;

		in.guarantee_bytes = h->sysctl[b].rc == 0 ? h->sysctl[b].v[0] : h->page_size_bytes;
		in.bytes_per_socket = sim_bytes_given ? sim_bytes
				      : h->sysctl[b].rc == 0 ? h->sysctl[b].v[1] : 131072;
	} else {
		in.guarantee_bytes = h->sysctl[SC_UDP_RMEM_MIN].rc == 0 ? h->sysctl[SC_UDP_RMEM_MIN].v[0]
									 : h->page_size_bytes;
		in.bytes_per_socket = sim_bytes_given ? sim_bytes
				      : h->sysctl[SC_RMEM_DEFAULT].rc == 0 ? h->sysctl[SC_RMEM_DEFAULT].v[0]
				      : 212992;
	}
	simulate_run(&in, &out);

	if (sm_common.json) {
		json_t *doc = output_json_envelope("simulate"), *x = json_object(), *sets = json_array();
		json_t *now = json_object(), *np = json_object(), *tr = json_array(), *fin = json_object();
		json_t *fp = json_object(), *ft = json_object(), *ns = json_object();

		json_object_set_new(doc, "partial", json_boolean(h->partial));
		json_object_set_new(x, "protocol", json_string(diag_proto_name(sim_proto)));
		json_object_set_new(x, "direction", json_string(in.dir == CHARGE_RECV ? "recv" : "send"));
		json_object_set_new(x, "add_sockets", output_json_u64(in.add_sockets));
		json_object_set_new(x, "bytes_per_socket", output_json_u64(in.bytes_per_socket));
		json_object_set_new(x, "pages_per_socket", output_json_u64(out.pages_per_socket));
		json_object_set_new(x, "page_size_bytes", output_json_u64(h->page_size_bytes));
		json_object_set_new(x, "uncertainty_pages", output_json_u64(in.band_pages));
		for (i = 0; i < sim_nset; i++) {
			json_t *s = json_object(), *f = json_array(), *t = json_array();

			for (j = 0; j < host_sysctl[sim_set[i].id].n; j++) {
				json_array_append_new(f, output_json_u64(before[i][j]));
				json_array_append_new(t, output_json_u64(sim_set[i].v[j]));
			}
			if (!before_ok[i]) {
				json_decref(f);
				f = json_null();
			}
			json_object_set_new(s, "sysctl", json_string(host_sysctl[sim_set[i].id].name));
			json_object_set_new(s, "from", f);
			json_object_set_new(s, "to", t);
			json_array_append_new(sets, s);
		}
		json_object_set_new(x, "set", sets);
		json_object_set_new(doc, "input", x);
		json_object_set_new(ns, "state", json_string(model_state_name(pr->m.state)));
		json_object_set_new(ns, "usage_pages", output_json_u64(in.usage_pages));
		json_object_set_new(ns, "usage_bytes", output_json_opt(pr->usage_bytes));
		json_object_set_new(ns, "limits_pages", json_pack("{s:I,s:I,s:I}",
			"min", (json_int_t)in.limit_pages[0], "pressure", (json_int_t)in.limit_pages[1],
			"max", (json_int_t)in.limit_pages[2]));
		json_object_set_new(ns, "kernel_pressure", in.kind == MODEL_PRESSURE
				    ? json_boolean(in.press == PRESS_YES) : json_null());
		json_object_set_new(np, diag_proto_name(sim_proto), ns);
		json_object_set_new(now, "protocols", np);
		json_object_set_new(doc, "now", now);
		for (i = 0; i < out.n; i++) {
			const struct simulate_transition *t = &out.t[i];
			json_t *o = json_object(), *rg = json_array();
			char buf[256];

			json_object_set_new(o, "protocol", json_string(diag_proto_name(sim_proto)));
			json_object_set_new(o, "event", json_string(simulate_event_name(t->event)));
			json_object_set_new(o, "to_state", json_string(model_state_name(t->to_state)));
			json_object_set_new(o, "at_added_sockets", output_json_u64(t->at_added_sockets));
			json_array_append_new(rg, output_json_u64(t->at_added_low));
			json_array_append_new(rg, output_json_u64(t->at_added_high));
			json_object_set_new(o, "at_added_sockets_range", rg);
			json_object_set_new(o, "at_usage_pages", output_json_u64(t->at_usage_pages));
			json_object_set_new(o, "at_usage_bytes",
					    output_json_u64(t->at_usage_pages * h->page_size_bytes));
			json_object_set_new(o, "capped_pages_per_socket", t->event == SIM_CAPPED
					    ? output_json_u64(t->capped_pages) : json_null());
			json_object_set_new(o, "description", json_string(sim_event_text(t, sim_proto,
					    in.dir, buf, sizeof(buf), h->page_size_bytes)));
			json_array_append_new(tr, o);
		}
		json_object_set_new(doc, "transitions", tr);
		json_object_set_new(ft, "state", json_string(model_state_name(out.final_state)));
		json_object_set_new(ft, "usage_pages", output_json_u64(out.final_usage_pages));
		json_object_set_new(ft, "usage_bytes",
				    output_json_u64(out.final_usage_pages * h->page_size_bytes));
		json_object_set_new(ft, "kernel_pressure", in.kind == MODEL_PRESSURE
				    ? json_boolean(out.final_pressure) : json_null());
		json_object_set_new(fp, diag_proto_name(sim_proto), ft);
		json_object_set_new(fin, "protocols", fp);
		json_object_set_new(fin, "sockets_at_full_size", output_json_u64(out.sockets_full));
		json_object_set_new(fin, "sockets_capped", output_json_u64(out.sockets_capped));
		json_object_set_new(fin, "admitted_pages", output_json_u64(out.admitted_pages));
		json_object_set_new(fin, "wanted_pages", output_json_u64(out.wanted_pages));
		json_object_set_new(doc, "final", fin);
		if (output_json_dump(stdout, doc))
			ret = SM_EXIT_ERROR;
		json_decref(doc);
		goto out;
	}

	{
		char a[32], b[32], c[40];

		util_human_bytes(a, sizeof(a), in.bytes_per_socket);
		util_group_digits(b, sizeof(b), in.add_sockets);
		printf("simulate: +%s %s socket%s of %s (%llu page%s each, %s) from %s\n", b,
		       pr->def->label, in.add_sockets == 1 ? "" : "s", a,
		       (unsigned long long)out.pages_per_socket, out.pages_per_socket == 1 ? "" : "s",
		       in.dir == CHARGE_RECV ? "receive" : "send",
		       h->root[0] ? "the snapshot" : "the live state");
		for (i = 0; i < sim_nset; i++) {
			const struct sysctl_def *d = &host_sysctl[sim_set[i].id];

			printf("  with %s =", d->name);
			for (j = 0; j < d->n; j++)
				printf(" %llu", (unsigned long long)sim_set[i].v[j]);
			if (before_ok[i]) {
				printf(" (now");
				for (j = 0; j < d->n; j++)
					printf(" %llu", (unsigned long long)before[i][j]);
				printf(")\n");
			} else {
				printf(" (now not visible)\n");
			}
		}
		util_group_digits(a, sizeof(a), in.usage_pages);
		util_human_bytes(b, sizeof(b), in.usage_pages * h->page_size_bytes);
		printf("now: %s %s, usage %s pages (%s); min/pressure/max %llu/%llu/%llu pages; "
		       "per-CPU band +/-%llu pages\n", pr->def->label, model_state_name(pr->m.state), a,
		       b, (unsigned long long)in.limit_pages[0], (unsigned long long)in.limit_pages[1],
		       (unsigned long long)in.limit_pages[2], (unsigned long long)in.band_pages);
		if (!out.n)
			printf("no transition\n");
		for (i = 0; i < out.n; i++) {
			const struct simulate_transition *t = &out.t[i];
			char buf[256];

			util_group_digits(a, sizeof(a), t->at_added_sockets);
			util_group_digits(b, sizeof(b), t->at_usage_pages);
			if (!t->at_added_sockets && t->event != SIM_ENTER_PRESSURE)
				printf("  already (usage %s pages): ", b);
			else if (!t->at_added_sockets)
				printf("  at the next charge (usage %s pages): ", b);
			else if (t->at_added_low != t->at_added_high) {
				char lo[32], hi[32];

				util_group_digits(lo, sizeof(lo), t->at_added_low);
				util_group_digits(hi, sizeof(hi), t->at_added_high);
				printf("  at +%s sockets (%s to %s with the band; usage %s pages): ", a, lo,
				       hi, b);
			} else {
				printf("  at +%s sockets (usage %s pages): ", a, b);
			}
			printf("%s\n", sim_event_text(t, sim_proto, in.dir, buf, sizeof(buf),
						       h->page_size_bytes));
		}
		util_group_digits(a, sizeof(a), out.final_usage_pages);
		util_human_bytes(b, sizeof(b), out.final_usage_pages * h->page_size_bytes);
		util_group_digits(c, sizeof(c), out.sockets_capped);
		printf("final: %s %s, usage %s pages (%s)%s; %s of the new sockets could not reach "
		       "their size\n", pr->def->label, model_state_name(out.final_state), a, b,
		       in.kind == MODEL_PRESSURE ? (out.final_pressure ? ", kernel flag set"
							     : ", kernel flag clear") : "", c);
	}
out:
	free(h);
	free(r);
	return ret;
}
