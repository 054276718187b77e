/* tracer.c - loads the event programs of src/bpf/memtrace.bpf.c (a light
 * skeleton generated at build time, as bpfiter.c does), attaches them to
 * their tracepoints (BPF_RAW_TRACEPOINT_OPEN: each link is a file
 * descriptor, nothing is pinned), then the pressure programs of
 * src/bpf/mempress.bpf.c (fentry/fexit, a skeleton of their own: when they
 * cannot be loaded the tracepoints go on, and the reason is kept), and
 * reads what both leave: the ring buffers (mapped and consumed by hand, the
 * protocol of kernel/bpf/ringbuf.c), the per-CPU counters and the
 * aggregation maps. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
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
#pragma GCC diagnostic pop

_Static_assert(sizeof(struct memtrace_event) == 160, "struct memtrace_event is 160 bytes");
_Static_assert(sizeof(struct memtrace_key) == 24, "struct memtrace_key is 24 bytes");
_Static_assert(sizeof(struct memtrace_pending) % 8 == 0, "per-CPU values are laid out by 8 bytes");
_Static_assert(sizeof(struct memtrace_counts) % 8 == 0, "per-CPU values are laid out by 8 bytes");

/* Without a count, the per-CPU values are read into room for this many. */
#define TRACER_CPUS_FALLBACK 4096

static struct memtrace *tracer_skel;
static struct mempress *tracer_press;	/* NULL: the pressure programs are not loaded */
static char tracer_why[320];
static char tracer_press_why[320];
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

/* The tracepoint's fourth argument, rx_sk, came with 6.11: try with it
 * there, without it before, and the other way when the first load fails
 * (a backport, or a kernel that dropped it). */
static bool tracer_guess_rx_sk(void)
{
	struct utsname u;
	unsigned maj = 0, min = 0;

	if (uname(&u) || sscanf(u.release, "%u.%u", &maj, &min) != 2)
		return true;
	return maj > 6 || (maj == 6 && min >= 11);
}

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
	}
	return rc < 0 ? rc : 0;
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

/* The pressure programs: optional, the reason kept when they fail. */
static void tracer_open_press(const struct tracer_opts *o, struct tracer_info *info)
{
	int rc;

	tracer_press = mempress__open();
	if (!tracer_press) {
		tracer_press_fail(-ENOMEM, "cannot open the pressure programs");
		goto out;
	}
	rc = mempress__load(tracer_press);
	if (rc < 0) {
		tracer_press_fail(rc, "cannot load fentry/fexit programs on tcp_enter_memory_pressure, "
				  "tcp_leave_memory_pressure and tcp_check_oom");
		goto fail;
	}
	rc = tracer_map_ring(tracer_press->maps.memtrace_ring.map_fd, MEMTRACE_PRESS_RING_BYTES);
	if (rc) {
		tracer_press_fail(rc, "cannot map the pressure programs' ring buffer");
		goto fail;
	}
	tracer_press->bss->req.netns_ino = o->netns_ino;
	tracer_press->bss->req.protocol = o->protocol;
	tracer_press->bss->req.every_event = 1;	/* rare: every one is a line */
	tracer_press->bss->req.paused = 1;
	rc = mempress__attach(tracer_press);
	if (rc < 0) {
		if (rc == -1 && errno)
			rc = -errno;
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
	mempress__destroy(tracer_press);
	tracer_press = NULL;
out:
	info->press_why = info->press ? NULL : tracer_press_why;
}

int tracer_open(const struct tracer_opts *o, struct tracer_info *info, const char **why)
{
	bool rx_sk = tracer_guess_rx_sk();
	int rc;

	*why = tracer_why;
	memset(info, 0, sizeof(*info));
	if (tracer_skel)
		return -EALREADY;
	if (access("/sys/kernel/btf/vmlinux", R_OK)) {
		snprintf(tracer_why, sizeof(tracer_why), "the kernel has no BTF "
			 "(/sys/kernel/btf/vmlinux: %s; CONFIG_DEBUG_INFO_BTF)", strerror(errno));
		return -ENOENT;
	}
	rc = tracer_load(rx_sk);
	/* the verifier refused the argument count: the other one, once */
	if ((rc == -EACCES || rc == -EINVAL) && !tracer_load(!rx_sk)) {
		rx_sk = !rx_sk;
		rc = 0;
	}
	if (rc)
		return tracer_fail(rc, "cannot load the trace programs");
	info->rx_sk = rx_sk;
	tracer_ncpus = o->possible_cpus ? o->possible_cpus : TRACER_CPUS_FALLBACK;
	rc = tracer_probe(info);
	if (rc) {
		tracer_close();
		return tracer_fail(rc, "cannot run the trace probe program");
	}
	rc = tracer_map_ring(tracer_skel->maps.memtrace_ring.map_fd, MEMTRACE_RING_BYTES);
	if (rc) {
		tracer_close();
		return tracer_fail(rc, "cannot map the trace ring buffer");
	}
	tracer_skel->bss->req.netns_ino = o->netns_ino;
	tracer_skel->bss->req.protocol = o->protocol;
	tracer_skel->bss->req.every_event = o->every_event;
	tracer_skel->bss->req.paused = 1;
	rc = memtrace__attach(tracer_skel);
	if (rc < 0) {
		/* the skeleton returns the syscall's -1 and leaves errno */
		if (rc == -1 && errno)
			rc = -errno;
		tracer_close();
		return tracer_fail(rc, "cannot attach to sock:sock_exceed_buf_limit and skb:kfree_skb");
	}
	tracer_open_press(o, info);
	tracer_why[0] = '\0';
	return 0;
}

void tracer_close(void)
{
	tracer_unmap_rings();
	mempress__destroy(tracer_press);	/* links first, then programs and maps */
	tracer_press = NULL;
	memtrace__destroy(tracer_skel);
	tracer_skel = NULL;
}

void tracer_pause(bool paused)
{
	if (tracer_skel)
		__atomic_store_n(&tracer_skel->bss->req.paused, paused, __ATOMIC_SEQ_CST);
	if (tracer_press)
		__atomic_store_n(&tracer_press->bss->req.paused, paused, __ATOMIC_SEQ_CST);
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

	if (!tracer_skel)
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
	int n = 0;

	if (tracer_skel)
		fds[n++] = which == 0 ? tracer_skel->maps.memtrace_counts.map_fd
			 : which == 1 ? tracer_skel->maps.memtrace_pending.map_fd
			 : tracer_skel->maps.memtrace_agg.map_fd;
	if (tracer_press)
		fds[n++] = which == 0 ? tracer_press->maps.memtrace_counts.map_fd
			 : which == 1 ? tracer_press->maps.memtrace_pending.map_fd
			 : tracer_press->maps.memtrace_agg.map_fd;
	return n;
}

int tracer_read_counts(struct memtrace_counts *sum)
{
	__u32 slot;
	uint64_t c;
	size_t i;
	int rc = 0, fds[2], nfds;

	memset(sum, 0, sizeof(*sum));
	if (!tracer_skel)
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
	int fds[6], i, n = 2;
	uint64_t missed = 0;

	if (!tracer_skel)
		return 0;
	fds[0] = tracer_skel->progs.memtrace_exceed.prog_fd;
	fds[1] = tracer_skel->progs.memtrace_kfree_skb.prog_fd;
	if (tracer_press) {
		fds[n++] = tracer_press->progs.memtrace_press_enter.prog_fd;
		fds[n++] = tracer_press->progs.memtrace_press_leave.prog_fd;
		fds[n++] = tracer_press->progs.memtrace_oom.prog_fd;
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
	if (!tracer_skel)
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
