/* cmd_simulate.c - "sockmem simulate": the current state (live or --root)
 * with proposed sysctl changes and N more sockets of a given size, run
 * through the model; prints each transition the workload would cross. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "output.h"

#define SIM_MAX_SETS REPORT_SIM_MAX_SETS

static struct report_sim_set sim_set[SIM_MAX_SETS];
static int sim_nset;
static uint64_t sim_add_sockets, sim_bytes;
static bool sim_bytes_given;
static enum diag_proto sim_proto = DP_TCP;
static enum model_dir sim_dir = CHARGE_RECV;

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
		if (util_parse_u64(p, strlen(p), &sim_set[sim_nset].to[n]))
			argp_error(state, "--set %s: '%s' is not a non-negative integer", name, p);
		n++;
	}
	if (n != host_sysctl[i].n)
		argp_error(state, "--set %s: %d value%s expected, got %d", name, host_sysctl[i].n,
			   host_sysctl[i].n > 1 ? "s" : "", n);
	if (n == 3 && (sim_set[sim_nset].to[0] > sim_set[sim_nset].to[1] ||
		       sim_set[sim_nset].to[1] > sim_set[sim_nset].to[2]) &&
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
	case OPT_PROTO: {
		static const char *const pr[] = { "tcp", "udp" };

		sim_proto = cli_parse_choice(state, "--protocol", arg, pr, 2) ? DP_UDP : DP_TCP;
		break;
	}
	case OPT_DIR: {
		static const char *const dr[] = { "recv", "send" };

		sim_dir = cli_parse_choice(state, "--direction", arg, dr, 2) ? CHARGE_SEND : CHARGE_RECV;
		break;
	}
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s'", arg);
		break;
	case ARGP_KEY_END:
		if (sim_proto == DP_UDP && sim_dir == CHARGE_SEND)
			argp_error(state, "--direction send is for TCP: UDP charges what it receives");
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
	sm_children_format, NULL, NULL
};

int cmd_simulate_run(void)
{
	struct output_opts oo = { false, sm_common.exact_bytes };
	struct host *h = malloc(sizeof(*h));
	struct report *r = malloc(sizeof(*r));
	struct report_sim *s = malloc(sizeof(*s));
	int ret = SM_EXIT_ERROR;

	if (!h || !r || !s) {
		sm_error("simulate", "out of memory");
		goto out;
	}
	/* collect */
	if (sm_check_root(sm_common.root) || host_collect(h, sm_common.root, sm_common.page_size)) {
		sm_report_problems(h, 0);
		goto out;
	}
	sm_report_problems(h, 0);
	/* report */
	if (report_sim_build(s, r, h, sim_set, sim_nset, sim_proto, sim_dir, sim_add_sockets,
			     sim_bytes_given ? sim_bytes : 0)) {
		sm_error("simulate", "%s %s", s->pr->def->label, s->unknown_why);
		if (!s->pr->limits_ok)
			sm_error("simulate", "give the limits with --set %s=\"MIN PRESSURE MAX\"",
				 host_sysctl[s->pr->def->limits].name);
		goto out;
	}
	ret = s->partial ? SM_EXIT_PARTIAL : SM_EXIT_OK;
	/* render */
	if (sm_common.json) {
		if (cli_print_json(stdout, output_json_simulate(s)))
			ret = SM_EXIT_ERROR;
	} else {
		output_text_simulate(stdout, s, &oo);
	}
out:
	if (h)
		host_free(h);
	free(h);
	free(r);
	free(s);
	return ret;
}
