/* cli.c - the command layer's shared parts: error reporting, the common and
 * per-socket option groups, the atomic output file, --root checks, colour
 * and the sleep between samples.  Only the command layer calls these. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "collect.h"
#include "host.h"
#include "output.h"
#include "rules.h"
#include "util.h"

struct common_opts sm_common;
const struct sm_command *cli_command;
const char *const cli_format_name[OUTPUT_COUNT] = { "text", "json", "prometheus", "sysctl" };

void sm_error(const char *what, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "sockmem: %s: ", what);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static const struct argp_option common_options[] = {
	{ "root", 'r', "DIR", 0,
	  "Read every /proc and /sys file under DIR (a snapshot, a sosreport or insights "
	  "directory, or its archive read in place) instead of the live system", 0 },
	{ "json", 'j', NULL, 0, "JSON output (schema: sockmem-json(5))", 0 },
	{ "bytes", 'b', NULL, 0, "Exact byte counts instead of KiB/MiB/GiB in text output", 0 },
	{ "page-size", OPT_PAGE_SIZE, "BYTES", 0,
	  "Page size of the machine the input comes from (default: snapshot metadata, else "
	  "this kernel's)", 0 },
	{ "color", OPT_COLOR, "WHEN", OPTION_ARG_OPTIONAL,
	  "Colour text output: auto (default: on a terminal, not with NO_COLOR), always, never", 0 },
	{ "no-color", OPT_NO_COLOR, NULL, 0, "Same as --color=never", 0 },
	{ NULL, 'h', NULL, 0, "Same as --help", 0 },
	{ 0 }
};

static error_t common_parse(int key, char *arg, struct argp_state *state)
{
	uint64_t v;

	switch (key) {
	case 'r':
		sm_common.root = arg;
		break;
	case 'j':
		sm_common.json_given = true;
		break;
	case 'b':
		sm_common.exact_bytes = true;
		break;
	case OPT_PAGE_SIZE:
		if (util_parse_u64(arg, strlen(arg), &v) || v < 1024 || v > (1u << 20) ||
		    (v & (v - 1)))
			argp_error(state, "--page-size: '%s' is not a power of two between 1024 and "
				   "1048576", arg);
		sm_common.page_size = v;
		break;
	case OPT_COLOR:
		if (!arg || !strcmp(arg, "auto"))
			sm_common.color = COLOR_AUTO;
		else if (!strcmp(arg, "always"))
			sm_common.color = COLOR_ALWAYS;
		else if (!strcmp(arg, "never"))
			sm_common.color = COLOR_NEVER;
		else
			argp_error(state, "--color: '%s' is not auto, always or never", arg);
		break;
	case OPT_NO_COLOR:
		sm_common.color = COLOR_NEVER;
		break;
	case 'h':
		argp_state_help(state, stdout, ARGP_HELP_STD_HELP);
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

const struct argp sm_common_argp = { common_options, common_parse, NULL, NULL, NULL, NULL, NULL };

/* The per-socket view; top has no use for --no-sockets. */
#define SOCKETS_VIEW_OPTIONS \
	{ "diag-file", OPT_DIAG_FILE, "FILE", 0, \
	  "Per-socket view from a recorded sock_diag dump (iproute2 'ss -D FILE') instead of " \
	  "the kernel: TCP, or UDP as udp:FILE or a snapshot's udp.dump; ss text output (ss -tmi, " \
	  "ss -peaonmi) given here is read as --ss-file", 0 }, \
	{ "ss-file", OPT_SS_FILE, "FILE", 0, \
	  "Per-socket view from the text output of ss -m (ss -tmi, ss -tmni, ss -peaonmi) instead " \
	  "of the kernel", 0 }, \
	{ "all-netns", 'A', NULL, 0, \
	  "Dump the sockets of every network namespace in use (/run/netns and those of running " \
	  "processes, each once) and attribute memory per namespace (needs CAP_SYS_ADMIN for " \
	  "the others)", 0 }, \
	{ "backend", OPT_BACKEND, "SOURCE", 0, \
	  "Per-socket source on the live system: auto (default: the BPF socket iterators when " \
	  "they load, with the exact charge of the per-CPU caches; sock_diag otherwise), netlink " \
	  "(sock_diag only) or bpf (the iterators, or an error; CAP_BPF and CAP_PERFMON, Linux " \
	  "5.19+ with BTF)", 0 }
static const struct argp_option sockets_options[] = {
	SOCKETS_VIEW_OPTIONS,
	{ "no-sockets", OPT_NO_SOCKETS, NULL, 0, "Skip the per-socket pass", 0 },
	{ 0 }
};
static const struct argp_option sockets_view_options[] = {
	SOCKETS_VIEW_OPTIONS,
	{ 0 }
};

static error_t sockets_parse(int key, char *arg, struct argp_state *state)
{
	int b;

	switch (key) {
	case OPT_DIAG_FILE:
	case OPT_SS_FILE:
		/* collect.c tells a recording from text by its content */
		if (sm_common.diag_file)
			argp_error(state, "give one of --diag-file and --ss-file, once");
		sm_common.diag_file = arg;
		break;
	case OPT_BACKEND:
		b = collect_backend_parse(arg);
		if (b < 0)
			argp_error(state, "--backend: '%s' is not auto, netlink or bpf", arg);
		sm_common.backend = b;
		break;
	case ARGP_KEY_END:
		if (sm_common.backend == COLLECT_BPF && (sm_common.diag_file || sm_common.root))
			argp_error(state, "--backend bpf reads the live kernel; %s reads a recording",
				   sm_common.diag_file ? "--diag-file or --ss-file" : "--root");
		return ARGP_ERR_UNKNOWN;
	case 'A':
		sm_common.all_netns = true;
		break;
	case OPT_NO_SOCKETS:
		sm_common.no_sockets = true;
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp_option nosockets_options[] = {
	{ "no-sockets", OPT_NO_SOCKETS, NULL, 0, "Do not record the sock_diag dumps", 0 },
	{ 0 }
};
static const struct argp nosockets_argp = { nosockets_options, sockets_parse, NULL, NULL, NULL,
					    NULL, NULL };

const struct argp sm_sockets_argp = { sockets_options, sockets_parse, NULL, NULL, NULL, NULL, NULL };
static const struct argp sockets_view_argp = { sockets_view_options, sockets_parse, NULL, NULL,
					       NULL, NULL, NULL };

/* --format and --output.  The formats a command accepts are those its
 * capabilities name; text always. */
static bool cli_format_allowed(enum output_format f)
{
	unsigned caps = cli_command ? cli_command->caps : 0;

	return f == OUTPUT_TEXT || (f == OUTPUT_JSON && (caps & CAP_JSON)) ||
	       (f == OUTPUT_PROMETHEUS && (caps & CAP_PROMETHEUS)) ||
	       (f == OUTPUT_SYSCTL && (caps & CAP_SYSCTL));
}

static error_t output_parse(int key, char *arg, struct argp_state *state)
{
	char list[80] = "";
	int i;

	switch (key) {
	case 'F':
		for (i = 0; i < OUTPUT_COUNT; i++)
			if (!strcmp(arg, cli_format_name[i]) && cli_format_allowed((enum output_format)i))
				break;
		if (i == OUTPUT_COUNT) {
			for (i = 0; i < OUTPUT_COUNT; i++)
				if (cli_format_allowed((enum output_format)i))
					snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
						 list[0] ? ", " : "", cli_format_name[i]);
			argp_error(state, "--format: '%s' is not one of %s", arg, list);
		}
		if (sm_common.format_given && sm_common.format != (enum output_format)i)
			argp_error(state, "--format %s conflicts with --format %s", arg,
				   cli_format_name[sm_common.format]);
		sm_common.format = (enum output_format)i;
		sm_common.format_given = true;
		break;
	case 'o':
		sm_common.output = arg;
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp_option format_options[] = {
	{ "format", 'F', "FMT", 0, "Output format: text (default), json (as --json), and for "
	  "advise sysctl (a file for /etc/sysctl.d/)", 0 },
	{ 0 }
};
static const struct argp_option output_options[] = {
	{ "format", 'F', "FMT", 0, "Output format: text (default), json (as --json) or "
	  "prometheus (the text exposition format)", 0 },
	{ "output", 'o', "FILE", 0,
	  "Write to FILE atomically (a temporary file renamed over it), e.g. for node_exporter's "
	  "textfile collector", 0 },
	{ 0 }
};
static const struct argp format_argp = { format_options, output_parse, NULL, NULL, NULL, NULL, NULL };
static const struct argp output_argp = { output_options, output_parse, NULL, NULL, NULL, NULL, NULL };

/* --interval and --count: one range for every command that samples. */
static error_t sampling_parse(int key, char *arg, struct argp_state *state)
{
	char *end;

	switch (key) {
	case 'd':	/* top's --delay, as top(1) spells --interval */
	case 'i':
		sm_common.interval_s = strtod(arg, &end);
		if (end == arg || *end || !(sm_common.interval_s >= 0.01 &&
					    sm_common.interval_s <= 86400))
			argp_error(state, "--interval: '%s' is not a number of seconds from 0.01 to 86400",
				   arg);
		break;
	case 'c':
		if (util_parse_u64(arg, strlen(arg), &sm_common.count) || !sm_common.count ||
		    sm_common.count > 1000000000)
			argp_error(state, "--count: '%s' is not a number from 1 to 1000000000", arg);
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp_option sampling_options[] = {
	{ "interval", 'i', "SECONDS", 0, "Seconds between samples (0.01 to 86400)", 0 },
	{ "count", 'c', "N", 0, "Number of samples", 0 },
	{ 0 }
};
static const struct argp_option interval_options[] = {
	{ "interval", 'i', "SECONDS", 0,
	  "Sample the counters twice, SECONDS apart (0.01 to 86400), and judge their rates", 0 },
	{ 0 }
};
/* top: refreshes (the live view on a terminal, else report after report),
 * with top(1)'s -d/--delay for --interval; --count counts them as it counts
 * every command's samples (the number of rows is top's -n/--number). */
static const struct argp_option top_sampling_options[] = {
	{ "interval", 'i', "SECONDS", 0,
	  "Refresh every SECONDS (0.01 to 86400): the live view on a terminal, else one report "
	  "per sample", 0 },
	{ "delay", 'd', "SECONDS", OPTION_ALIAS, NULL, 0 },
	{ "count", 'c', "N", 0, "Stop after N samples (frames)", 0 },
	{ 0 }
};
static const struct argp top_sampling_argp = { top_sampling_options, sampling_parse, NULL, NULL,
					       NULL, NULL, NULL };
static const struct argp interval_argp = { interval_options, sampling_parse, NULL, NULL, NULL,
					   NULL, NULL };
static const struct argp sampling_argp = { sampling_options, sampling_parse, NULL, NULL, NULL,
					   NULL, NULL };

/* The option groups a command mounts. */
const struct argp_child sm_children_common[] = {
	{ &sm_common_argp, 0, "Common options:", 0 },
	{ 0 }
};
const struct argp_child sm_children_format[] = {
	{ &format_argp, 0, "Output:", 0 },
	{ &sm_common_argp, 0, "Common options:", 0 },
	{ 0 }
};
const struct argp_child sm_children_sockets[] = {
	{ &sm_sockets_argp, 0, "Per-socket view:", 0 },
	{ &sm_common_argp, 0, "Common options:", 0 },
	{ 0 }
};
const struct argp_child sm_children_advise[] = {
	{ &interval_argp, 0, "Sampling:", 0 },
	{ &format_argp, 0, "Output:", 0 },
	{ &sm_sockets_argp, 0, "Per-socket view:", 0 },
	{ &sm_common_argp, 0, "Common options:", 0 },
	{ 0 }
};
const struct argp_child sm_children_snapshot[] = {
	{ &nosockets_argp, 0, "Per-socket view:", 0 },
	{ &sm_common_argp, 0, "Common options:", 0 },
	{ 0 }
};
const struct argp_child sm_children_top[] = {
	{ &top_sampling_argp, 0, "Sampling:", 0 },
	{ &sockets_view_argp, 0, "Per-socket view:", 0 },
	{ &output_argp, 0, "Output:", 0 },
	{ &sm_common_argp, 0, "Common options:", 0 },
	{ 0 }
};
const struct argp_child sm_children_check[] = {
	{ &output_argp, 0, "Output:", 0 },
	{ &sm_sockets_argp, 0, "Per-socket view:", 0 },
	{ &sm_common_argp, 0, "Common options:", 0 },
	{ 0 }
};
const struct argp_child sm_children_sampled[] = {
	{ &sampling_argp, 0, "Sampling:", 0 },
	{ &output_argp, 0, "Output:", 0 },
	{ &sm_sockets_argp, 0, "Per-socket view:", 0 },
	{ &sm_common_argp, 0, "Common options:", 0 },
	{ 0 }
};

/* ---- option values shared by the commands */

/* "10Gbit", "100Mbit", "1.5Gbps", "800kbit": bits per second -> bytes/s */
int sm_parse_rate(const char *arg, double *bytes_per_s)
{
	static const struct { const char *s; double m; } suf[] = {
		{ "bit", 1 }, { "bps", 1 }, { "kbit", 1e3 }, { "kbps", 1e3 }, { "mbit", 1e6 },
		{ "mbps", 1e6 }, { "gbit", 1e9 }, { "gbps", 1e9 }, { "tbit", 1e12 }, { "tbps", 1e12 },
	};
	char *end;
	double v = strtod(arg, &end);
	size_t i;

	if (end == arg || !(v > 0) || !isfinite(v))
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(suf); i++)
		if (!strcasecmp(end, suf[i].s)) {
			*bytes_per_s = v * suf[i].m / 8.0;
			return 0;
		}
	return -EINVAL;
}

/* "80ms", "0.08s", "500us" -> seconds */
int sm_parse_duration(const char *arg, double *s)
{
	char *end;
	double v = strtod(arg, &end);

	if (end == arg || !(v > 0) || !isfinite(v))
		return -EINVAL;
	if (!strcmp(end, "s"))
		*s = v;
	else if (!strcmp(end, "ms"))
		*s = v / 1e3;
	else if (!strcmp(end, "us"))
		*s = v / 1e6;
	else
		return -EINVAL;
	return *s <= 3600 ? 0 : -ERANGE;
}

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

void sm_sleep(double seconds, volatile sig_atomic_t *stop)
{
	struct timespec d;

	d.tv_sec = (time_t)seconds;
	d.tv_nsec = (long)((seconds - (double)d.tv_sec) * 1e9);
	while (nanosleep(&d, &d) && errno == EINTR && !(stop && *stop))
		;
}

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
		o->err = -errno;
		sm_error(o->tmp, "cannot create: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	errno = 0;	/* so that sm_out_close can tell a write's error */
	return o->f;
}

int sm_out_close(struct sm_out *o, bool discard)
{
	int rc = 0;

	if (o->f == stdout || !o->f)
		return 0;
	/* a write() that failed inside stdio leaves only the error flag */
	if (ferror(o->f))
		rc = errno ? -errno : -EIO;	/* the failed write's, nothing ran since */
	else if (fflush(o->f) || fsync(fileno(o->f)))
		rc = -errno;
	if (fclose(o->f) && !rc)
		rc = -errno;
	o->f = NULL;
	o->err = rc;
	if (rc || discard) {
		if (rc)
			sm_error(o->tmp, "write error: %s", strerror(-rc));
		unlink(o->tmp);
		return rc ? rc : 0;
	}
	if (rename(o->tmp, o->path)) {
		rc = o->err = -errno;
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
	/* a directory, or a capture's archive (host_collect reads it in place) */
	if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode)) {
		sm_error(root, "not a directory or an archive");
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

int sm_report_problems(const struct host *h, int from)
{
	const struct host_problem *p;

	host_foreach_problem(p, h) {
		if (p - h->problem < from)
			continue;
		if (p->line)
			sm_error(p->path_safe, "line %d: %s", p->line, p->msg);
		else
			sm_error(p->path_safe, "%s", p->msg);
	}
	return host_problem_count(h);
}


bool sm_out_error_heals(int err)
{
	switch (-err) {
	case ENOENT:	/* the directory was removed */
	case ENOTDIR:
	case EACCES:
	case EPERM:
	case EROFS:
	case EISDIR:
	case ELOOP:
	case ENAMETOOLONG:
	case EXDEV:
		return false;
	default:	/* ENOSPC, EDQUOT, EIO, ENOMEM, EMFILE...: may pass */
		return true;
	}
}

static int cli_usage(const char *name, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int cli_usage(const char *name, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "%s: ", name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help' for more information.\n", name);
	return SM_EXIT_USAGE;
}

int cli_check_options(const char *name)
{
	unsigned caps = cli_command->caps;
	long page = sysconf(_SC_PAGESIZE);

	if (sm_common.json_given) {
		if (sm_common.format_given && sm_common.format != OUTPUT_JSON)
			return cli_usage(name, "--json conflicts with --format %s",
					 cli_format_name[sm_common.format]);
		sm_common.format = OUTPUT_JSON;
	}
	sm_common.json = sm_common.format == OUTPUT_JSON;
	if (sm_common.json && !(caps & CAP_JSON))
		return cli_usage(name, "has no JSON output");
	if (sm_common.root) {
		if (caps & CAP_LIVE_ONLY)
			return cli_usage(name, "%s", cli_command->live_why);
		if (sm_common.interval_s > 0 && !(caps & CAP_STATIC_FRAME))
			return cli_usage(name, "--interval samples the live system; a snapshot does "
					 "not move");
		if (sm_common.all_netns)
			return cli_usage(name, "--all-netns needs the live system");
	}
	if (sm_common.diag_file && sm_common.all_netns)
		return cli_usage(name, "--all-netns dumps the live kernel and --diag-file replays a "
				 "recording: give one of them");
	if (sm_common.diag_file && sm_common.no_sockets)
		return cli_usage(name, "--no-sockets and --diag-file contradict each other");
	/* live, the kernel decides the unit of every page count */
	if (!sm_common.root && sm_common.page_size && page > 0 &&
	    sm_common.page_size != (uint64_t)page)
		return cli_usage(name, "--page-size %llu: this kernel's pages are %ld bytes; "
				 "--page-size describes the machine of a --root snapshot",
				 (unsigned long long)sm_common.page_size, page);
	return -1;
}

int cli_print_json(FILE *f, json_t *doc)
{
	int rc = 0;

	if (!doc) {
		sm_error("json", "could not build the document (out of memory)");
		return -ENOMEM;
	}
	if (output_json_dump(f, doc))
		rc = -EIO;	/* stdout: main names the write error */
	json_decref(doc);
	return rc;
}

int cli_parse_choice(struct argp_state *state, const char *option, const char *arg,
		     const char *const *names, int n)
{
	char list[160] = "";
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(arg, names[i]))
			return i;
	for (i = 0; i < n; i++)
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
			 i == 0 ? "" : i == n - 1 ? " or " : ", ", names[i]);
	argp_error(state, "%s: '%s' is not %s", option, arg, list);
	return -1;
}

int cli_parse_fail_on(struct argp_state *state, const char *arg)
{
	static const char *const lv[] = { "warn", "crit" };

	return cli_parse_choice(state, "--fail-on", arg, lv, 2) ? SEV_CRIT : SEV_WARN;
}
