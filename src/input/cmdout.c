/* cmdout.c - uname, lscpu, cpuinfo, free, date and hostname output. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cmdout.h"

#define CMDOUT_MAX_TOKENS 32

int cmdout_uname(const char *buf, size_t len, struct cmdout_uname *u, struct parse_err *err)
{
	const char *p = buf, *l, *q, *tok[CMDOUT_MAX_TOKENS];
	size_t ln, tl[CMDOUT_MAX_TOKENS];
	int lineno = 0, n = 0, m, rc = util_text_begin(buf, len, err);

	memset(u, 0, sizeof(*u));
	if (rc)
		return rc;
	util_next_line(&p, buf + len, &l, &ln, &lineno);
	q = l;
	while (n < CMDOUT_MAX_TOKENS && (tok[n] = util_next_token(&q, l + ln, &tl[n])))
		n++;
	if (n < 5 || tl[0] != 5 || memcmp(tok[0], "Linux", 5)) {
		util_set_err(err, 1, "expected 'Linux NODE RELEASE VERSION ... MACHINE': not the "
			     "output of uname -a");
		return -EINVAL;
	}
	/* MACHINE [PROCESSOR PLATFORM] OS: coreutils leaves out the unknown ones */
	m = n - 1;
	if (tl[m] == 9 && !memcmp(tok[m], "GNU/Linux", 9))
		m--;
	while (m > 3 && tl[m] == 7 && !memcmp(tok[m], "unknown", 7))
		m--;
	util_safe_token(u->node, sizeof(u->node), tok[1], tl[1]);
	util_safe_token(u->release, sizeof(u->release), tok[2], tl[2]);
	/* RHEL prints MACHINE PROCESSOR PLATFORM, three times the same */
	while (m > 3 && tl[m] == tl[m - 1] && !memcmp(tok[m], tok[m - 1], tl[m]))
		m--;
	util_safe_token(u->machine, sizeof(u->machine), tok[m], tl[m]);
	return 0;
}

/* The value of the first line that starts with key. */
static int cmdout_keyed(const char *buf, size_t len, const char *key, uint64_t *v,
			struct parse_err *err)
{
	const char *p = buf, *l, *q, *t;
	size_t ln, tl, kl = strlen(key);
	int lineno = 0, rc = util_text_begin(buf, len, err);

	if (rc)
		return rc;
	while (util_next_line(&p, buf + len, &l, &ln, &lineno)) {
		if (ln < kl || memcmp(l, key, kl))
			continue;
		q = l + kl;
		t = util_next_token(&q, l + ln, &tl);
		rc = t ? util_parse_u64(t, tl, v) : -EINVAL;
		if (rc)
			util_set_err(err, lineno, "%s is not followed by a number", key);
		return rc;
	}
	util_set_err(err, 0, "no '%s' line", key);
	return -ENOENT;
}

int cmdout_lscpu_cpus(const char *buf, size_t len, uint64_t *cpus, struct parse_err *err)
{
	int rc = cmdout_keyed(buf, len, "CPU(s):", cpus, err);

	if (!rc && !*cpus) {
		util_set_err(err, 0, "CPU(s): 0");
		rc = -EINVAL;
	}
	return rc;
}

int cmdout_cpuinfo_cpus(const char *buf, size_t len, uint64_t *cpus, struct parse_err *err)
{
	const char *p = buf, *l;
	size_t ln, i;
	int lineno = 0, rc = util_text_begin(buf, len, err);

	if (rc)
		return rc;
	*cpus = 0;
	while (util_next_line(&p, buf + len, &l, &ln, &lineno)) {
		if (ln < 10 || memcmp(l, "processor", 9) || (l[9] != ' ' && l[9] != '\t'))
			continue;
		for (i = 9; i < ln && (l[i] == ' ' || l[i] == '\t'); i++)
			;
		if (i < ln && l[i] == ':')
			(*cpus)++;
	}
	if (!*cpus) {
		util_set_err(err, 0, "no 'processor : N' line");
		return -ENOENT;
	}
	return 0;
}

int cmdout_free_total_kib(const char *buf, size_t len, uint64_t *kib, struct parse_err *err)
{
	const char *nl = memchr(buf, '\n', len);

	/* free -m or -g would say so only in its numbers: the header is the same;
	 * only the plain output (KiB) is taken */
	if (!nl || !memmem(buf, (size_t)(nl - buf), "total", 5)) {
		util_set_err(err, 1, "expected the header 'total used free ...': not the output "
			     "of free");
		return -EINVAL;
	}
	return cmdout_keyed(buf, len, "Mem:", kib, err);
}

int cmdout_date(const char *buf, size_t len, char *out, size_t outsz, struct parse_err *err)
{
	static const char *const mon[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug",
					   "Sep", "Oct", "Nov", "Dec" };
	const char *p = buf, *l;
	char line[128], wd[8], mo[8], zone[16];
	size_t ln;
	int lineno = 0, d, H, M, S, Y, i, rc = util_text_begin(buf, len, err);

	if (rc)
		return rc;
	util_next_line(&p, buf + len, &l, &ln, &lineno);
	if (!ln || ln >= sizeof(line)) {
		util_set_err(err, 1, "not the output of date");
		return -EINVAL;
	}
	memcpy(line, l, ln);
	line[ln] = '\0';
	if (sscanf(line, "%7s %7s %d %d:%d:%d %15s %d", wd, mo, &d, &H, &M, &S, zone, &Y) == 8 &&
	    (!strcmp(zone, "UTC") || !strcmp(zone, "GMT"))) {
		for (i = 0; i < 12; i++)
			if (!strcmp(mo, mon[i]))
				break;
		if (i < 12 && d >= 1 && d <= 31 && H >= 0 && H < 24 && M >= 0 && M < 60 && S >= 0 &&
		    S <= 60 && Y >= 1970 && Y <= 9999) {
			snprintf(out, outsz, "%04d-%02d-%02dT%02d:%02d:%02dZ", Y, i + 1, d, H, M, S);
			return 0;
		}
	}
	util_safe_token(out, outsz, l, ln);
	return 0;
}

int cmdout_word(const char *buf, size_t len, char *out, size_t outsz, struct parse_err *err)
{
	const char *p = buf, *l, *q, *t;
	size_t ln, tl;
	int lineno = 0, rc = util_text_begin(buf, len, err);

	if (rc)
		return rc;
	util_next_line(&p, buf + len, &l, &ln, &lineno);
	q = l;
	t = util_next_token(&q, l + ln, &tl);
	if (!t) {
		util_set_err(err, 1, "line 1 is empty");
		return -EINVAL;
	}
	util_safe_token(out, outsz, t, tl);
	return 0;
}
