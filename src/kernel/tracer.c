/* tracer.c - loads the event programs of src/bpf/memtrace.bpf.c (a light
 * skeleton generated at build time, as bpfiter.c does), attaches them to
 * their tracepoints (BPF_RAW_TRACEPOINT_OPEN: each link is a file
 * descriptor, nothing is pinned), then the pressure programs of
 * src/bpf/mempress.bpf.c (fentry/fexit, a skeleton of their own: when they
 * cannot be loaded the tracepoints go on, and the reason is kept), and
 * reads what both leave: the ring buffers (mapped and consumed by hand, the
 * protocol of kernel/bpf/ringbuf.c), the per-CPU counters and the
 * aggregation maps.  A kernel the light skeletons cannot load on (before
 * 5.17) gets the same objects as regular skeletons through libbpf, opened
 * then (bpflib.c): the reasons' values from the kernel's BTF in user space,
 * no kfree_skb program without them, no cookie helper before 5.12.  Either
 * way each object is seen through its file descriptors and mapped data
 * (struct tracer_obj), and the rest does not know which loaded it. */
#include "config.h"

#include <errno.h>
#include <linux/bpf.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "bpflib.h"	/* before the regular skeletons: libbpf renamed */
#include "tracer.h"
#include "bpfwhy.h"
/* generated code, not held to this project's warnings */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpointer-arith"
#pragma GCC diagnostic ignored "-Wcast-align"
#pragma GCC diagnostic ignored "-Wmissing-prototypes"
#pragma GCC diagnostic ignored "-Wunused-function"
#include "memtrace.lskel.h"	/* generated in the build directory */
#include "mempress.lskel.h"
#include "memtrace_lib.skel.h"
#include "mempress_lib.skel.h"
#pragma GCC diagnostic pop

_Static_assert(sizeof(struct memtrace_event) == 168, "struct memtrace_event is 168 bytes");
_Static_assert(sizeof(struct memtrace_key) == 24, "struct memtrace_key is 24 bytes");
_Static_assert(sizeof(struct memtrace_pending) % 8 == 0, "per-CPU values are laid out by 8 bytes");
_Static_assert(sizeof(struct memtrace_counts) % 8 == 0, "per-CPU values are laid out by 8 bytes");

/* Without a count, the per-CPU values are read into room for this many. */
#define TRACER_CPUS_FALLBACK 4096

/* One loaded object, whichever loader: its maps' and programs' file
 * descriptors and its mapped global data. */
#define TRACER_PROGS 3
struct tracer_obj {
	bool loaded;
	int ring_fd, counts_fd, pending_fd, agg_fd;
	int prog_fd[TRACER_PROGS];	/* -1: not loaded */
	struct memtrace_req *req;	/* .bss */
};
static struct tracer_obj tracer_main, tracer_pobj;
/* the light skeletons, or the regular ones (libbpf) */
static struct memtrace *tracer_skel;
static struct mempress *tracer_press;
static struct memtrace_lib *tracer_lskel;
static struct mempress_lib *tracer_lpress;
static char tracer_why[480];
static char tracer_press_why[320];
static char tracer_loader[64];
/* A mapped ring buffer: the tracepoints', the pressure programs'. */
struct tracer_ring {
	int fd;
	size_t bytes;			/* the data area (a power of 2) */
	void *cons;			/* the consumer position page (read-write) */
	void *prod;			/* the producer page and the data, twice */
};
static struct tracer_ring tracer_rings[2];
static int tracer_nrings;
static size_t tracer_page;
static uint64_t tracer_ncpus;

static int tracer_fail(int rc, const char *what)
{
	bpfwhy_format(tracer_why, sizeof(tracer_why), rc, what, 5, 17);
	return rc;
}

static long tracer_bpf(int cmd, union bpf_attr *a)
{
	long rc = syscall(__NR_bpf, cmd, a, sizeof(*a));

	return rc < 0 ? -errno : rc;
}

/* The running kernel is at least maj.min (true when uname cannot tell). */
static bool tracer_kernel_ge(unsigned want_maj, unsigned want_min)
{
	struct utsname u;
	unsigned maj = 0, min = 0;

	if (uname(&u) || sscanf(u.release, "%u.%u", &maj, &min) != 2)
		return true;
	return maj > want_maj || (maj == want_maj && min >= want_min);
}

/* The tracepoint's fourth argument, rx_sk, came with 6.11: try with it
 * there, without it before, and the other way when the first load fails
 * (a backport, or a kernel that dropped it). */
static bool tracer_guess_rx_sk(void)
{
	return tracer_kernel_ge(6, 11);
}

static void tracer_obj_reset(struct tracer_obj *t)
{
	int i;

	memset(t, 0, sizeof(*t));
	t->ring_fd = t->counts_fd = t->pending_fd = t->agg_fd = -1;
	for (i = 0; i < TRACER_PROGS; i++)
		t->prog_fd[i] = -1;
}

/* ---- the light skeletons (5.17+) ---- */

static int tracer_load(bool rx_sk)
{
	int rc;

	tracer_skel = memtrace__open();
	if (!tracer_skel)
		return -ENOMEM;
	tracer_skel->rodata->has_rx_sk = rx_sk;
	rc = memtrace__load(tracer_skel);
	if (rc < 0) {
		memtrace__destroy(tracer_skel);
		tracer_skel = NULL;
		return rc;
	}
	tracer_obj_reset(&tracer_main);
	tracer_main.loaded = true;
	tracer_main.ring_fd = tracer_skel->maps.memtrace_ring.map_fd;
	tracer_main.counts_fd = tracer_skel->maps.memtrace_counts.map_fd;
	tracer_main.pending_fd = tracer_skel->maps.memtrace_pending.map_fd;
	tracer_main.agg_fd = tracer_skel->maps.memtrace_agg.map_fd;
	tracer_main.prog_fd[0] = tracer_skel->progs.memtrace_exceed.prog_fd;
	tracer_main.prog_fd[1] = tracer_skel->progs.memtrace_kfree_skb.prog_fd;
	tracer_main.req = &tracer_skel->bss->req;
	snprintf(tracer_loader, sizeof(tracer_loader), "light skeleton");
	return 0;
}

/* Runs the probe program: the reasons' values from the kernel's BTF. */
static int tracer_probe(struct tracer_info *info)
{
	union bpf_attr a;
	long rc;
	int i;

	memset(&a, 0, sizeof(a));
	a.test.prog_fd = (__u32)tracer_skel->progs.memtrace_probe.prog_fd;
	rc = tracer_bpf(BPF_PROG_RUN, &a);
	if (rc < 0)
		return (int)rc;
	if (!tracer_skel->bss->probe.done)
		return -EIO;
	for (i = 0; i < MEMTRACE_NREASONS; i++)
		info->reason_value[i] = tracer_skel->bss->probe.reason_value[i];
	return 0;
}

/* ---- libbpf's regular skeletons (before 5.17) ---- */

/* Each memory reason's value in this kernel's enum skb_drop_reason, from
 * its BTF (what the probe program tells on 5.17+): how many it has. */
static int tracer_lib_reasons(struct tracer_info *info)
{
	static const char *const names[MEMTRACE_NREASONS] = {
		[MEMTRACE_R_PROTO_MEM] = "SKB_DROP_REASON_PROTO_MEM",
		[MEMTRACE_R_SOCKET_RCVBUFF] = "SKB_DROP_REASON_SOCKET_RCVBUFF",
		[MEMTRACE_R_SOCKET_BACKLOG] = "SKB_DROP_REASON_SOCKET_BACKLOG",
		[MEMTRACE_R_TCP_OFO_QUEUE_PRUNE] = "SKB_DROP_REASON_TCP_OFO_QUEUE_PRUNE",
		[MEMTRACE_R_TCP_OFO_DROP] = "SKB_DROP_REASON_TCP_OFO_DROP",
		[MEMTRACE_R_TCP_ZEROWINDOW] = "SKB_DROP_REASON_TCP_ZEROWINDOW",
	};
	struct btf *btf = btf__load_vmlinux_btf();
	const struct btf_type *t = NULL;
	int i, j, n, found = 0;
	__s32 id;

	for (i = 0; i < MEMTRACE_NREASONS; i++)
		info->reason_value[i] = -1;
	if (!btf)
		return 0;
	id = btf__find_by_name_kind(btf, "skb_drop_reason", BTF_KIND_ENUM);
	if (id > 0)
		t = btf__type_by_id(btf, (__u32)id);
	if (t) {
		const struct btf_enum *e = btf_enum(t);

		n = btf_vlen(t);
		for (j = 0; j < n; j++) {
			const char *name = btf__name_by_offset(btf, e[j].name_off);

			for (i = 0; name && i < MEMTRACE_NREASONS; i++) {
				if (!strcmp(name, names[i])) {
					info->reason_value[i] = e[j].val;
					found++;
				}
			}
		}
	}
	btf__free(btf);
	return found;
}

static int tracer_lib_load(bool rx_sk, bool drops, bool cookie)
{
	int rc;

	tracer_lskel = memtrace_lib__open();
	if (!tracer_lskel)
		return errno ? -errno : -ENOMEM;
	tracer_lskel->rodata->has_rx_sk = rx_sk;
	tracer_lskel->rodata->has_cookie_helper = cookie;
	/* the probe is a BPF_PROG_TYPE_SYSCALL program (5.14+): its answer
	 * came from the BTF above; kfree_skb has its reason from 5.17 */
	bpf_program__set_autoload(tracer_lskel->progs.memtrace_probe, false);
	if (!drops)
		bpf_program__set_autoload(tracer_lskel->progs.memtrace_kfree_skb, false);
	rc = memtrace_lib__load(tracer_lskel);
	/* libbpf leaves the global data unmapped when its probe says the
	 * kernel cannot map a map (BPF_F_MMAPABLE, 5.5+) */
	if (!rc && !tracer_lskel->bss)
		rc = -EOPNOTSUPP;
	if (rc < 0) {
		memtrace_lib__destroy(tracer_lskel);
		tracer_lskel = NULL;
		return rc;
	}
	tracer_obj_reset(&tracer_main);
	tracer_main.loaded = true;
	tracer_main.ring_fd = bpf_map__fd(tracer_lskel->maps.memtrace_ring);
	tracer_main.counts_fd = bpf_map__fd(tracer_lskel->maps.memtrace_counts);
	tracer_main.pending_fd = bpf_map__fd(tracer_lskel->maps.memtrace_pending);
	tracer_main.agg_fd = bpf_map__fd(tracer_lskel->maps.memtrace_agg);
	tracer_main.prog_fd[0] = bpf_program__fd(tracer_lskel->progs.memtrace_exceed);
	if (drops)
		tracer_main.prog_fd[1] = bpf_program__fd(tracer_lskel->progs.memtrace_kfree_skb);
	tracer_main.req = &tracer_lskel->bss->req;
	return 0;
}

/* The objects through libbpf: 0, or -errno with the reason in why[len]. */
static int tracer_lib_open(struct tracer_info *info, bool *rx_sk, char *why, size_t len)
{
	bool drops, cookie = tracer_kernel_ge(5, 12);
	const char *log;
	int rc;

	rc = bpflib_open(why, len);
	if (rc)
		return rc;
	drops = tracer_lib_reasons(info) > 0;
	bpflib_log_clear();
	rc = tracer_lib_load(*rx_sk && drops, drops, cookie);
	/* the verifier refused the argument count: the other one, once */
	if ((rc == -EACCES || rc == -EINVAL) && drops && !tracer_lib_load(!*rx_sk, drops, cookie)) {
		*rx_sk = !*rx_sk;
		rc = 0;
	}
	if (rc) {
		log = rc == -EOPNOTSUPP ? "its probe of the kernel found no mmapable maps "
					  "(BPF_F_MMAPABLE, 5.5+) for the programs' global data"
					: bpflib_log();
		snprintf(why, len, "through libbpf %s: %s%s%s", bpflib_version_string(), strerror(-rc),
			 *log ? ": " : "", log);
		return rc;
	}
	if (!drops)
		*rx_sk = false;
	info->drops = drops;
	snprintf(tracer_loader, sizeof(tracer_loader), "libbpf %s", bpflib_version_string());
	return 0;
}

static int tracer_map_ring(int fd, size_t bytes)
{
	struct tracer_ring *r = &tracer_rings[tracer_nrings];

	tracer_page = (size_t)sysconf(_SC_PAGESIZE);
	memset(r, 0, sizeof(*r));
	r->fd = fd;
	r->bytes = bytes;
	r->cons = mmap(NULL, tracer_page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (r->cons == MAP_FAILED) {
		r->cons = NULL;
		return -errno;
	}
	/* the data area is mapped twice in a row: a record never wraps */
	r->prod = mmap(NULL, tracer_page + 2 * bytes, PROT_READ, MAP_SHARED, fd, (off_t)tracer_page);
	if (r->prod == MAP_FAILED) {
		munmap(r->cons, tracer_page);
		r->prod = r->cons = NULL;
		return -errno;
	}
	tracer_nrings++;
	return 0;
}

static void tracer_unmap_rings(void)
{
	int i;

	for (i = 0; i < tracer_nrings; i++) {
		munmap(tracer_rings[i].prod, tracer_page + 2 * tracer_rings[i].bytes);
		munmap(tracer_rings[i].cons, tracer_page);
	}
	memset(tracer_rings, 0, sizeof(tracer_rings));
	tracer_nrings = 0;
}

static void tracer_press_fail(int rc, const char *what)
{
	const char *hint = rc == -ENOENT || rc == -ESRCH || rc == -EINVAL
			   ? " (the function is absent, inlined or not traceable on this kernel)" : "";

	snprintf(tracer_press_why, sizeof(tracer_press_why), "%s: %s%s", what, strerror(-rc), hint);
}

static void tracer_press_destroy(void)
{
	mempress__destroy(tracer_press);	/* links first, then programs and maps */
	tracer_press = NULL;
	mempress_lib__destroy(tracer_lpress);
	tracer_lpress = NULL;
	tracer_obj_reset(&tracer_pobj);
}

/* The pressure object, by the loader that loaded the tracepoints'. */
static int tracer_press_load(void)
{
	int rc;

	tracer_obj_reset(&tracer_pobj);
	if (tracer_skel) {
		tracer_press = mempress__open();
		if (!tracer_press)
			return -ENOMEM;
		rc = mempress__load(tracer_press);
		if (rc < 0)
			return rc;
		tracer_pobj.ring_fd = tracer_press->maps.memtrace_ring.map_fd;
		tracer_pobj.counts_fd = tracer_press->maps.memtrace_counts.map_fd;
		tracer_pobj.pending_fd = tracer_press->maps.memtrace_pending.map_fd;
		tracer_pobj.agg_fd = tracer_press->maps.memtrace_agg.map_fd;
		tracer_pobj.prog_fd[0] = tracer_press->progs.memtrace_press_enter.prog_fd;
		tracer_pobj.prog_fd[1] = tracer_press->progs.memtrace_press_leave.prog_fd;
		tracer_pobj.prog_fd[2] = tracer_press->progs.memtrace_oom.prog_fd;
		tracer_pobj.req = &tracer_press->bss->req;
	} else {
		tracer_lpress = mempress_lib__open();
		if (!tracer_lpress)
			return errno ? -errno : -ENOMEM;
		tracer_lpress->rodata->has_cookie_helper = tracer_kernel_ge(5, 12);
		rc = mempress_lib__load(tracer_lpress);
		if (!rc && !tracer_lpress->bss)
			rc = -EOPNOTSUPP;	/* its global data not mapped */
		if (rc < 0)
			return rc;
		tracer_pobj.ring_fd = bpf_map__fd(tracer_lpress->maps.memtrace_ring);
		tracer_pobj.counts_fd = bpf_map__fd(tracer_lpress->maps.memtrace_counts);
		tracer_pobj.pending_fd = bpf_map__fd(tracer_lpress->maps.memtrace_pending);
		tracer_pobj.agg_fd = bpf_map__fd(tracer_lpress->maps.memtrace_agg);
		tracer_pobj.prog_fd[0] = bpf_program__fd(tracer_lpress->progs.memtrace_press_enter);
		tracer_pobj.prog_fd[1] = bpf_program__fd(tracer_lpress->progs.memtrace_press_leave);
		tracer_pobj.prog_fd[2] = bpf_program__fd(tracer_lpress->progs.memtrace_oom);
		tracer_pobj.req = &tracer_lpress->bss->req;
	}
	tracer_pobj.loaded = true;
	return 0;
}

static int tracer_press_attach(void)
{
	int rc;

	errno = 0;
	rc = tracer_press ? mempress__attach(tracer_press) : mempress_lib__attach(tracer_lpress);
	/* the light skeleton returns the syscall's -1 and leaves errno */
	if (rc == -1 && errno)
		rc = -errno;
	return rc < 0 ? rc : 0;
}

/* The pressure programs: optional, the reason kept when they fail. */
static void tracer_open_press(const struct tracer_opts *o, struct tracer_info *info)
{
	int rc;

	rc = tracer_press_load();
	if (rc < 0) {
		tracer_press_fail(rc, "cannot load fentry/fexit programs on tcp_enter_memory_pressure, "
				  "tcp_leave_memory_pressure and tcp_check_oom");
		goto fail;
	}
	rc = tracer_map_ring(tracer_pobj.ring_fd, MEMTRACE_PRESS_RING_BYTES);
	if (rc) {
		tracer_press_fail(rc, "cannot map the pressure programs' ring buffer");
		goto fail;
	}
	tracer_pobj.req->netns_ino = o->netns_ino;
	tracer_pobj.req->protocol = o->protocol;
	tracer_pobj.req->every_event = 1;	/* rare: every one is a line */
	tracer_pobj.req->paused = 1;
	rc = tracer_press_attach();
	if (rc < 0) {
		tracer_press_fail(rc, "cannot attach to tcp_enter_memory_pressure, "
				  "tcp_leave_memory_pressure and tcp_check_oom");
		tracer_nrings--;
		munmap(tracer_rings[tracer_nrings].prod, tracer_page + 2 * tracer_rings[tracer_nrings].bytes);
		munmap(tracer_rings[tracer_nrings].cons, tracer_page);
		goto fail;
	}
	info->press = true;
	tracer_press_why[0] = '\0';
	goto out;
fail:
	tracer_press_destroy();
out:
	info->press_why = info->press ? NULL : tracer_press_why;
}

static int tracer_attach(void)
{
	int rc;

	errno = 0;
	rc = tracer_skel ? memtrace__attach(tracer_skel) : memtrace_lib__attach(tracer_lskel);
	if (rc == -1 && errno)
		rc = -errno;
	return rc < 0 ? rc : 0;
}

int tracer_open(const struct tracer_opts *o, struct tracer_info *info, const char **why)
{
	bool rx_sk = tracer_guess_rx_sk();
	const char *loader;
	char libwhy[300];
	int rc, i;

	*why = tracer_why;
	memset(info, 0, sizeof(*info));
	if (tracer_main.loaded)
		return -EALREADY;
	tracer_obj_reset(&tracer_main);
	tracer_obj_reset(&tracer_pobj);
	if (access("/sys/kernel/btf/vmlinux", R_OK)) {
		snprintf(tracer_why, sizeof(tracer_why), "the kernel has no BTF "
			 "(/sys/kernel/btf/vmlinux: %s; CONFIG_DEBUG_INFO_BTF)", strerror(errno));
		return -ENOENT;
	}
	/* SOCKMEM_BPF_LOADER=libbpf: libbpf on any kernel (sockmem(8)) */
	loader = getenv("SOCKMEM_BPF_LOADER");
	if (loader && !strcmp(loader, "libbpf")) {
		snprintf(tracer_why, sizeof(tracer_why), "SOCKMEM_BPF_LOADER=libbpf");
		rc = -ENOEXEC;
	} else {
		rc = tracer_load(rx_sk);
		/* the verifier refused the argument count: the other one, once */
		if ((rc == -EACCES || rc == -EINVAL) && !tracer_load(!rx_sk)) {
			rx_sk = !rx_sk;
			rc = 0;
		}
	}
	if (!rc) {
		info->drops = true;
		tracer_ncpus = o->possible_cpus ? o->possible_cpus : TRACER_CPUS_FALLBACK;
		rc = tracer_probe(info);
		if (rc) {
			tracer_close();
			return tracer_fail(rc, "cannot run the trace probe program");
		}
	} else {
		/* a kernel before 5.17 (or one that refuses the loader program,
		 * whatever the errno: 5.10 says EPERM to root): the same objects
		 * through libbpf */
		int lrc;

		if (rc != -ENOEXEC)
			tracer_fail(rc, "cannot load the trace programs");
		lrc = tracer_lib_open(info, &rx_sk, libwhy, sizeof(libwhy));
		if (lrc) {
			size_t n = strlen(tracer_why);

			snprintf(tracer_why + n, sizeof(tracer_why) - n, "; %s", libwhy);
			return rc;
		}
		rc = 0;
		tracer_ncpus = o->possible_cpus ? o->possible_cpus : TRACER_CPUS_FALLBACK;
	}
	info->rx_sk = rx_sk;
	info->loader = tracer_loader;
	if (!info->drops)
		for (i = 0; i < MEMTRACE_NREASONS; i++)
			info->reason_value[i] = -1;
	rc = tracer_map_ring(tracer_main.ring_fd, MEMTRACE_RING_BYTES);
	if (rc) {
		tracer_close();
		return tracer_fail(rc, "cannot map the trace ring buffer");
	}
	tracer_main.req->netns_ino = o->netns_ino;
	tracer_main.req->protocol = o->protocol;
	tracer_main.req->every_event = o->every_event;
	tracer_main.req->paused = 1;
	rc = tracer_attach();
	if (rc < 0) {
		tracer_close();
		return tracer_fail(rc, info->drops ? "cannot attach to sock:sock_exceed_buf_limit and skb:kfree_skb"
					     : "cannot attach to sock:sock_exceed_buf_limit");
	}
	tracer_open_press(o, info);
	tracer_why[0] = '\0';
	return 0;
}

void tracer_close(void)
{
	tracer_unmap_rings();
	tracer_press_destroy();
	memtrace__destroy(tracer_skel);
	tracer_skel = NULL;
	memtrace_lib__destroy(tracer_lskel);
	tracer_lskel = NULL;
	tracer_obj_reset(&tracer_main);
}

void tracer_pause(bool paused)
{
	if (tracer_main.loaded)
		__atomic_store_n(&tracer_main.req->paused, paused, __ATOMIC_SEQ_CST);
	if (tracer_pobj.loaded)
		__atomic_store_n(&tracer_pobj.req->paused, paused, __ATOMIC_SEQ_CST);
}

/* Every committed record from the consumer to the producer position. */
static long tracer_consume_ring(const struct tracer_ring *r, tracer_event_cb cb, void *arg)
{
	unsigned long *consp = r->cons, *prodp = r->prod;
	const unsigned char *data = (const unsigned char *)r->prod + tracer_page;
	unsigned long cons = __atomic_load_n(consp, __ATOMIC_ACQUIRE);
	unsigned long prod = __atomic_load_n(prodp, __ATOMIC_ACQUIRE);
	const unsigned long mask = r->bytes - 1;
	long n = 0;

	while (cons < prod) {
		const uint32_t *hdr = (const uint32_t *)(data + (cons & mask));
		uint32_t len = __atomic_load_n(hdr, __ATOMIC_ACQUIRE);

		if (len & BPF_RINGBUF_BUSY_BIT)
			break;	/* reserved, not yet submitted */
		cons += ((len & ~(uint32_t)(BPF_RINGBUF_BUSY_BIT | BPF_RINGBUF_DISCARD_BIT)) +
			 BPF_RINGBUF_HDR_SZ + 7) & ~7ul;
		if (!(len & BPF_RINGBUF_DISCARD_BIT) && len >= sizeof(struct memtrace_event)) {
			struct memtrace_event e;

			memcpy(&e, hdr + 2, sizeof(e));
			cb(&e, arg);
			n++;
		}
		__atomic_store_n(consp, cons, __ATOMIC_RELEASE);
	}
	return n;
}

static long tracer_consume(tracer_event_cb cb, void *arg)
{
	long n = 0;
	int i;

	for (i = 0; i < tracer_nrings; i++)
		n += tracer_consume_ring(&tracer_rings[i], cb, arg);
	return n;
}

long tracer_poll(int timeout_ms, tracer_event_cb cb, void *arg)
{
	struct pollfd p[2];
	long n;
	int i;

	if (!tracer_main.loaded)
		return -EBADF;
	n = tracer_consume(cb, arg);
	if (n)
		return n;
	for (i = 0; i < tracer_nrings; i++) {
		p[i].fd = tracer_rings[i].fd;
		p[i].events = POLLIN;
		p[i].revents = 0;
	}
	if (poll(p, (nfds_t)tracer_nrings, timeout_ms) < 0)
		return errno == EINTR ? 0 : -errno;
	return tracer_consume(cb, arg);
}

/* One per-CPU value of map fd at key: tracer_ncpus values of size bytes
 * (a multiple of 8, as the kernel lays them out) into a calloc'ed array. */
static void *tracer_percpu(int fd, __u32 key, size_t size, int *rc)
{
	void *v = calloc(tracer_ncpus, size);
	union bpf_attr a;

	if (!v) {
		*rc = -ENOMEM;
		return NULL;
	}
	memset(&a, 0, sizeof(a));
	a.map_fd = (__u32)fd;
	a.key = (__u64)(uintptr_t)&key;
	a.value = (__u64)(uintptr_t)v;
	*rc = (int)tracer_bpf(BPF_MAP_LOOKUP_ELEM, &a);
	if (*rc) {
		free(v);
		return NULL;
	}
	return v;
}

/* The file descriptors of one map of each object loaded. */
static int tracer_map_fds(int fds[2], int which)
{
	const struct tracer_obj *objs[2] = { &tracer_main, &tracer_pobj };
	int n = 0, i;

	for (i = 0; i < 2; i++)
		if (objs[i]->loaded)
			fds[n++] = which == 0 ? objs[i]->counts_fd : which == 1 ? objs[i]->pending_fd
										: objs[i]->agg_fd;
	return n;
}

int tracer_read_counts(struct memtrace_counts *sum)
{
	__u32 slot;
	uint64_t c;
	size_t i;
	int rc = 0, fds[2], nfds;

	memset(sum, 0, sizeof(*sum));
	if (!tracer_main.loaded)
		return -EBADF;
	nfds = tracer_map_fds(fds, 0);
	/* every (object, slot): slot f * MEMTRACE_SLOTS + slot */
	for (slot = 0; slot < (__u32)nfds * MEMTRACE_SLOTS; slot++) {
		struct memtrace_counts *v = tracer_percpu(fds[slot / MEMTRACE_SLOTS], slot % MEMTRACE_SLOTS,
							  sizeof(*v), &rc);

		if (!v)
			return rc;
		for (c = 0; c < tracer_ncpus; c++) {
			const __u64 *src = (const __u64 *)&v[c];
			__u64 *dst = (__u64 *)sum;

			for (i = 0; i < sizeof(*sum) / sizeof(__u64); i++)
				dst[i] += src[i];
		}
		free(v);
	}
	return 0;
}

uint64_t tracer_missed(void)
{
	int fds[2 * TRACER_PROGS], i, n = 0;
	uint64_t missed = 0;

	if (!tracer_main.loaded)
		return 0;
	for (i = 0; i < TRACER_PROGS; i++) {
		if (tracer_main.prog_fd[i] >= 0)
			fds[n++] = tracer_main.prog_fd[i];
		if (tracer_pobj.loaded && tracer_pobj.prog_fd[i] >= 0)
			fds[n++] = tracer_pobj.prog_fd[i];
	}
	for (i = 0; i < n; i++) {
		struct bpf_prog_info info;
		union bpf_attr a;

		memset(&info, 0, sizeof(info));
		memset(&a, 0, sizeof(a));
		a.info.bpf_fd = (__u32)fds[i];
		a.info.info_len = sizeof(info);
		a.info.info = (__u64)(uintptr_t)&info;
		if (!tracer_bpf(BPF_OBJ_GET_INFO_BY_FD, &a))
			missed += info.recursion_misses;
	}
	return missed;
}

static bool tracer_key_eq(const struct memtrace_key *a, const struct memtrace_key *b)
{
	return a->cgroup_id == b->cgroup_id && a->cookie == b->cookie &&
	       a->netns_ino == b->netns_ino && a->event == b->event;
}

/* Adds the counts still pending per CPU (map fd) to their entries. */
static int tracer_add_pending(int fd, struct tracer_entry *list, size_t n)
{
	__u32 slot;
	uint64_t c;
	size_t i;
	int rc = 0;

	for (slot = 0; slot < MEMTRACE_SLOTS; slot++) {
		struct memtrace_pending *p = tracer_percpu(fd, slot, sizeof(*p), &rc);

		if (!p)
			return rc;
		for (c = 0; c < tracer_ncpus; c++) {
			if (!p[c].armed || !p[c].count)
				continue;
			for (i = 0; i < n; i++) {
				if (!tracer_key_eq(&list[i].key, &p[c].key))
					continue;
				list[i].val.count += p[c].count;
				list[i].val.truesize_sum += p[c].truesize_sum;
				break;
			}
		}
		free(p);
	}
	return 0;
}

int tracer_read_agg(struct tracer_entry **out, size_t *n)
{
	struct tracer_entry *list = NULL, *grown;
	struct memtrace_key prev, next;
	size_t cap = 0, used = 0, from;
	int fds[2], pfds[2], nfds, f;
	bool first;
	union bpf_attr a;
	long rc;

	*out = NULL;
	*n = 0;
	if (!tracer_main.loaded)
		return -EBADF;
	nfds = tracer_map_fds(fds, 2);
	tracer_map_fds(pfds, 1);
	for (f = 0; f < nfds; f++) {
		from = used;
		for (first = true;;) {
			memset(&a, 0, sizeof(a));
			a.map_fd = (__u32)fds[f];
			a.key = first ? 0 : (__u64)(uintptr_t)&prev;
			a.next_key = (__u64)(uintptr_t)&next;
			rc = tracer_bpf(BPF_MAP_GET_NEXT_KEY, &a);
			if (rc == -ENOENT)
				break;
			if (rc < 0)
				goto fail;
			first = false;
			prev = next;
			if (used == cap) {
				cap = cap ? 2 * cap : 256;
				grown = realloc(list, cap * sizeof(*list));
				if (!grown) {
					rc = -ENOMEM;
					goto fail;
				}
				list = grown;
			}
			memset(&a, 0, sizeof(a));
			a.map_fd = (__u32)fds[f];
			a.key = (__u64)(uintptr_t)&next;
			a.value = (__u64)(uintptr_t)&list[used].val;
			rc = tracer_bpf(BPF_MAP_LOOKUP_ELEM, &a);
			if (rc == -ENOENT)
				continue;	/* cannot happen: nothing deletes */
			if (rc < 0)
				goto fail;
			list[used++].key = next;
		}
		rc = tracer_add_pending(pfds[f], list + from, used - from);
		if (rc < 0)
			goto fail;
	}
	*out = list;
	*n = used;
	return 0;
fail:
	free(list);
	return (int)rc;
}
