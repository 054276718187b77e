/* sysinfo.c - parsers for sysctl vectors, meminfo, CPU lists, osrelease and
 * tls_stat. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "sysinfo.h"

static void number_err(struct parse_err *err, int line, const char *what, const char *t,
		       size_t tl, int rc)
{
	char safe[64];

	util_safe_token(safe, sizeof(safe), t, tl < 40 ? tl : 40);
	util_set_err(err, line, "%s '%s' is %s", what, safe,
		     rc == -ERANGE ? "out of range (more than 64 bits)"
		     : (tl && t[0] == '-') ? "negative" : "not a number");
}

/* The first line of a one-line sysctl or sysfs file. */
static int sysinfo_first_line(const char *buf, size_t len, const char **l, size_t *ln,
			      struct parse_err *err)
{
	const char *p = buf;
	int lineno = 0, rc = util_text_begin(buf, len, err);

	if (rc)
		return rc;
	util_next_line(&p, buf + len, l, ln, &lineno);
	if (*ln == 0) {
		util_set_err(err, 1, "line 1 is empty");
		return -EINVAL;
	}
	return 0;
}

int sysinfo_parse_vector(const char *buf, size_t len, uint64_t *v, int n, struct parse_err *err)
{
	const char *p, *end = buf + len, *l, *q, *t;
	size_t ln, tl;
	int lineno = 1, i = 0, rc;

	rc = sysinfo_first_line(buf, len, &l, &ln, err);
	if (rc)
		return rc;
	q = l;
	while ((t = util_next_token(&q, l + ln, &tl))) {
		if (i == n) {
			util_set_err(err, 1, "more than %d value%s", n, n > 1 ? "s" : "");
			return -EINVAL;
		}
		rc = util_parse_u64(t, tl, &v[i]);
		if (rc) {
			number_err(err, 1, "value", t, tl, rc);
			return rc;
		}
		i++;
	}
	if (i != n) {
		util_set_err(err, 1, "%d value%s, expected %d", i, i == 1 ? "" : "s", n);
		return -EINVAL;
	}
	p = l + ln + 1;		/* the text ends with a newline */
	if (util_next_line(&p, end, &l, &ln, &lineno) && ln) {
		util_set_err(err, lineno, "unexpected second line");
		return -EINVAL;
	}
	return 0;
}

int sysinfo_parse_meminfo(const char *buf, size_t len, uint64_t *memtotal_bytes,
			  struct parse_err *err)
{
	const char *p = buf, *end = buf + len, *l, *q, *t, *u;
	size_t ln, tl, ul;
	int lineno = 0, rc;
	uint64_t kib;

	rc = util_text_begin(buf, len, err);
	if (rc)
		return rc;
	while (util_next_line(&p, end, &l, &ln, &lineno)) {
		if (ln < 9 || memcmp(l, "MemTotal:", 9))
			continue;
		q = l + 9;
		t = util_next_token(&q, l + ln, &tl);
		u = util_next_token(&q, l + ln, &ul);
		if (!t) {
			util_set_err(err, lineno, "MemTotal has no value");
			return -EINVAL;
		}
		rc = util_parse_u64(t, tl, &kib);
		if (rc) {
			number_err(err, lineno, "MemTotal", t, tl, rc);
			return rc;
		}
		if (!u || ul != 2 || memcmp(u, "kB", 2)) {
			util_set_err(err, lineno, "MemTotal unit is not 'kB'");
			return -EINVAL;
		}
		if (kib > UINT64_MAX / 1024) {
			util_set_err(err, lineno, "MemTotal out of range");
			return -ERANGE;
		}
		*memtotal_bytes = kib * 1024;
		return 0;
	}
	util_set_err(err, 0, "no MemTotal line");
	return -ENOENT;
}

int sysinfo_parse_cpulist(const char *buf, size_t len, uint64_t *ncpus, struct parse_err *err)
{
	const char *l;
	size_t ln;
	int rc;
	uint64_t total = 0;
	const char *s, *e;

	rc = sysinfo_first_line(buf, len, &l, &ln, err);
	if (rc)
		return rc;
	s = l;
	e = l + ln;
	while (s < e) {
		const char *comma = memchr(s, ',', (size_t)(e - s)), *dash;
		const char *ie = comma ? comma : e;
		uint64_t a, b;

		dash = memchr(s, '-', (size_t)(ie - s));
		rc = util_parse_u64(s, (size_t)((dash ? dash : ie) - s), &a);
		if (!rc && dash)
			rc = util_parse_u64(dash + 1, (size_t)(ie - dash - 1), &b);
		else
			b = a;
		if (rc || b < a || b - a >= 1u << 20 || a >= 1u << 20) {
			util_set_err(err, 1, "bad CPU range '%.*s'", (int)((ie - s) < 40 ? ie - s : 40), s);
			return -EINVAL;
		}
		total += b - a + 1;
		s = comma ? comma + 1 : e;
	}
	*ncpus = total;
	return 0;
}

int sysinfo_parse_osrelease(const char *buf, size_t len, struct kversion *kv,
			    struct parse_err *err)
{
	const char *l;
	size_t ln;
	int rc;
	unsigned a = 0, b = 0, c = 0;

	memset(kv, 0, sizeof(*kv));
	rc = sysinfo_first_line(buf, len, &l, &ln, err);
	if (rc)
		return rc;
	if (ln > KVERSION_RELEASE_MAX) {
		util_set_err(err, 1, "%zu characters: not a kernel release (at most %d)", ln,
			     KVERSION_RELEASE_MAX);
		return -EINVAL;
	}
	util_safe_token(kv->release, sizeof(kv->release), l, ln);
	if (sscanf(kv->release, "%u.%u.%u", &a, &b, &c) < 2 || a > 99 || b > 999) {
		util_set_err(err, 1, "'%s' is not a kernel release", kv->release);
		return -EINVAL;
	}
	kv->major = a;
	kv->minor = b;
	kv->patch = c;
	kv->ok = true;
	return 0;
}

bool sysinfo_kver_ge(const struct kversion *kv, unsigned major, unsigned minor)
{
	return kv->ok && (kv->major > major || (kv->major == major && kv->minor >= minor));
}

int sysinfo_parse_tls_stat(const char *buf, size_t len, struct tls_stat *t, struct parse_err *err)
{
	static const struct {
		const char *name;
		size_t off;
	} keys[] = {
		{ "TlsCurrTxSw", offsetof(struct tls_stat, curr_tx_sw) },
		{ "TlsCurrRxSw", offsetof(struct tls_stat, curr_rx_sw) },
		{ "TlsCurrTxDevice", offsetof(struct tls_stat, curr_tx_device) },
		{ "TlsCurrRxDevice", offsetof(struct tls_stat, curr_rx_device) },
	};
	const char *p = buf, *end = buf + len, *l, *q, *k, *v;
	size_t ln, kl, vl, i;
	int lineno = 0, rc, found = 0;

	memset(t, 0, sizeof(*t));
	rc = util_text_begin(buf, len, err);
	if (rc)
		return rc;
	while (util_next_line(&p, end, &l, &ln, &lineno)) {
		uint64_t n;

		q = l;
		k = util_next_token(&q, l + ln, &kl);
		if (!k)
			continue;
		size_t xl;

		v = util_next_token(&q, l + ln, &vl);
		if (!v || util_next_token(&q, l + ln, &xl)) {
			util_set_err(err, lineno, "expected 'NAME VALUE'");
			return -EINVAL;
		}
		rc = util_parse_u64(v, vl, &n);
		if (rc) {
			number_err(err, lineno, "value", v, vl, rc);
			return rc;
		}
		for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			if (kl == strlen(keys[i].name) && !memcmp(k, keys[i].name, kl)) {
				*(uint64_t *)((char *)t + keys[i].off) = n;
				found++;
			}
	}
	if (!found) {
		util_set_err(err, 0, "no TlsCurr* counter: not /proc/net/tls_stat");
		return -EINVAL;
	}
	t->ok = true;
	return 0;
}
