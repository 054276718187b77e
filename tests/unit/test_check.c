/* test_check.c - cmocka unit tests of "sockmem check"'s pure part: the
 * Kubernetes pod, its QoS class and container from a cgroup path (systemd and cgroupfs
 * drivers, containerd, CRI-O, Docker, static pods, and paths that are no
 * pod), and the verdict and line of each condition against the plugin
 * protocol (0/1/2, one line of at most 80 bytes). */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "report_check.h"

#define UID "8a1f2b3c-9d4e-4f5a-b6c7-d8e9f0a1b2c3"
#define CID "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static void pod_paths(void **state)
{
	static const struct {
		const char *path, *uid, *container, *qos;
	} ok[] = {
		/* systemd driver: '-' of the UID escaped as '_' */
		{ "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod8a1f2b3c_9d4e_4f5a_b6c7_d8e9f0a1b2c3.slice/cri-containerd-" CID ".scope", UID, CID, "burstable" },
		{ "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod8a1f2b3c_9d4e_4f5a_b6c7_d8e9f0a1b2c3.slice/crio-" CID ".scope", UID, CID, "besteffort" },
		{ "/kubepods.slice/kubepods-pod8a1f2b3c_9d4e_4f5a_b6c7_d8e9f0a1b2c3.slice/docker-" CID ".scope", UID, CID, "guaranteed" },
		/* cgroupfs driver */
		{ "/kubepods/burstable/pod" UID "/" CID, UID, CID, "burstable" },
		{ "/kubepods/pod" UID "/" CID, UID, CID, "guaranteed" },
		/* the pod's own cgroup: no container */
		{ "/kubepods/besteffort/pod" UID, UID, "", "besteffort" },
		{ "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod8a1f2b3c_9d4e_4f5a_b6c7_d8e9f0a1b2c3.slice", UID, "", "burstable" },
		/* a static pod: the config hash */
		{ "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod3f8e2b2f1e7c4b6a9b1e0c7d5a4f2e1a.slice/cri-containerd-" CID ".scope",
		  "3f8e2b2f1e7c4b6a9b1e0c7d5a4f2e1a", CID, "burstable" },
		/* upper case is shown as kubectl shows it */
		{ "/kubepods/pod8A1F2B3C-9D4E-4F5A-B6C7-D8E9F0A1B2C3/" CID, UID, CID, "guaranteed" },
		/* the crio conmon scope is no container id */
		{ "/kubepods.slice/kubepods-pod8a1f2b3c_9d4e_4f5a_b6c7_d8e9f0a1b2c3.slice/crio-conmon-" CID ".scope", UID, "", "guaranteed" },
	};
	static const char *const no[] = {
		"/", "", "/system.slice/nginx.service", "/user.slice/user-1000.slice/session-2.scope",
		"/kubepods.slice/kubepods-burstable.slice", "/kubepods/burstable",
		"/kubepods/burstable/pod8a1f2b3c-9d4e-4f5a-b6c7", /* cut */
		"/system.slice/podman-1234.scope", "/machine.slice/libpod-" CID ".scope",
		"/kubepods/burstable/pod" UID "x",
	};
	struct report_pod p;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_true(report_pod_from_cgroup(ok[i].path, &p));
		assert_string_equal(p.uid, ok[i].uid);
		assert_string_equal(p.container, ok[i].container);
		assert_string_equal(p.qos, ok[i].qos);
	}
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		assert_false(report_pod_from_cgroup(no[i], &p));
		assert_false(p.found);
		assert_string_equal(p.qos, "");
	}
	assert_false(report_pod_from_cgroup(NULL, &p));
}

static const struct proto_def tcp_def = { "tcp", "TCP", "TCP", "TCP", SC_TCP_MEM, MODEL_PRESSURE,
					  NULL, true };

/* A report with TCP in state st at usage pages against 2000/3000/4000. */
static void mkreport(struct report *r, struct host *h, enum model_state st, uint64_t usage)
{
	struct proto_report *p = &r->proto[0];
	int i;

	memset(r, 0, sizeof(*r));
	memset(h, 0, sizeof(*h));
	h->page_size_bytes = 4096;
	r->h = h;
	r->nproto = 1;
	p->def = &tcp_def;
	p->usage_pages = opt_some(usage);
	p->usage_bytes = opt_some(usage * 4096);
	p->limits_ok = true;
	for (i = 0; i < 3; i++) {
		p->limit_pages[i] = 2000 + 1000 * (uint64_t)i;
		p->limit_bytes[i] = p->limit_pages[i] * 4096;
		p->m.pct[i] = 100.0 * (double)usage / (double)p->limit_pages[i];
	}
	p->m.pct_ok = true;
	p->m.state = st;
}

static void verdicts(void **state)
{
	struct report r;
	struct host h;
	struct report_check c;
	struct check_in in = { 0 };

	(void)state;
	in.r = &r;
	in.cond = CHECK_TCP_PRESSURE;
	mkreport(&r, &h, MS_PRESSURE, 2500);
	report_check_build(&c, &in);
	assert_int_equal(c.verdict, CHECK_PROBLEM);
	assert_string_equal(c.line, "TCP pressure: 9.77 MiB of 11.7 MiB tcp_mem[1] (83%)");
	mkreport(&r, &h, MS_ELEVATED, 2500);
	report_check_build(&c, &in);
	assert_int_equal(c.verdict, CHECK_OK);
	/* over max is the other reason of the condition */
	mkreport(&r, &h, MS_OVER_LIMIT, 4500);
	report_check_build(&c, &in);
	assert_int_equal(c.verdict, CHECK_OK);
	in.cond = CHECK_TCP_OVER_LIMIT;
	report_check_build(&c, &in);
	assert_int_equal(c.verdict, CHECK_PROBLEM);
	assert_string_equal(c.line, "TCP over-limit: 17.6 MiB of 15.6 MiB tcp_mem[2] (112%)");
	/* the pod, whole when it fits */
	assert_true(report_pod_from_cgroup("/kubepods/burstable/pod" UID "/" CID, &in.pod));
	report_check_build(&c, &in);
	assert_string_equal(c.line, "TCP over-limit: 17.6 MiB of 15.6 MiB tcp_mem[2] (112%); pod 8a1f2b3c");
	assert_true(strlen(c.line) <= CHECK_LINE_MAX);
	/* limits not visible: unknown, never OK */
	mkreport(&r, &h, MS_UNKNOWN, 4500);
	r.proto[0].limits_ok = false;
	h.netns_child = true;
	in.cond = CHECK_TCP_PRESSURE;
	report_check_build(&c, &in);
	assert_int_equal(c.verdict, CHECK_UNKNOWN);
	in.cond = CHECK_TCP_OVER_LIMIT;
	report_check_build(&c, &in);
	assert_int_equal(c.verdict, CHECK_UNKNOWN);
	assert_non_null(strstr(c.line, "hostNetwork"));
	/* no report */
	in.r = NULL;
	in.why = "/proc/net/sockstat could not be read";
	report_check_build(&c, &in);
	assert_int_equal(c.verdict, CHECK_UNKNOWN);
	assert_string_equal(c.line, "unknown: /proc/net/sockstat could not be read");
}

static void aborts(void **state)
{
	struct report r;
	struct host h;
	struct report_check c;
	struct check_in in = { 0 };

	(void)state;
	mkreport(&r, &h, MS_NORMAL, 100);
	in.r = &r;
	in.cond = CHECK_TCP_ABORT;
	report_check_build(&c, &in);	/* the counter unreadable */
	assert_int_equal(c.verdict, CHECK_UNKNOWN);
	assert_false(c.store_aborts);
	in.aborts = opt_some(48);
	report_check_build(&c, &in);	/* first check: store */
	assert_int_equal(c.verdict, CHECK_OK);
	assert_true(c.store_aborts);
	in.aborts_prev = opt_some(48);
	report_check_build(&c, &in);
	assert_int_equal(c.verdict, CHECK_OK);
	in.aborts = opt_some(60);
	report_check_build(&c, &in);
	assert_int_equal(c.verdict, CHECK_PROBLEM);
	assert_string_equal(c.line, "TCPAbortOnMemory +12: connections reset for lack of memory");
	in.aborts = opt_some(3);	/* went back: a reboot */
	report_check_build(&c, &in);
	assert_int_equal(c.verdict, CHECK_OK);
	assert_true(c.store_aborts);
}

static void findings(void **state)
{
	struct report r;
	struct host h;
	struct report_check c;
	struct check_in in = { 0 };
	static struct finding f[2];
	struct report_advise a;
	size_t i;

	(void)state;
	mkreport(&r, &h, MS_OVER_LIMIT, 4500);
	memset(&a, 0, sizeof(a));
	a.f = f;
	in.r = &r;
	in.a = &a;
	in.cond = CHECK_FINDINGS;
	report_check_build(&c, &in);
	assert_int_equal(c.verdict, CHECK_OK);
	/* a crit, in a partial report: still 1 */
	f[0].id = "tcp-max";
	f[0].sev = SEV_CRIT;
	for (i = 0; i < 10; i++)	/* a summary longer than the line */
		strcat(f[0].summary, "TCP memory is over its hard limit; ");
	f[1].id = "tcp-abort-on-memory";
	f[1].sev = SEV_CRIT;
	a.n = 2;
	a.count[SEV_CRIT] = 2;
	a.partial = true;
	a.check_failed = true;
	report_check_build(&c, &in);
	assert_int_equal(c.verdict, CHECK_PROBLEM);
	assert_int_equal(strlen(c.line), CHECK_LINE_MAX);
	assert_memory_equal(c.line, "crit tcp-max (+1): TCP memory", 29);
	assert_string_equal(c.line + CHECK_LINE_MAX - 3, "...");
	assert_null(strchr(c.line, '\n'));
	/* partial without a finding to fail on: unknown */
	a.check_failed = false;
	report_check_build(&c, &in);
	assert_int_equal(c.verdict, CHECK_UNKNOWN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pod_paths),
		cmocka_unit_test(verdicts),
		cmocka_unit_test(aborts),
		cmocka_unit_test(findings),
	};

	return cmocka_run_group_tests_name("check", tests, NULL, NULL);
}
