/* jget.c - the few jq features the kernel-matrix guest needs, in one small
 * static binary (jq is not in the VMs' initramfs): read one JSON document
 * from standard input and print, for each PATH argument, one line.
 *
 *   jget PATH...
 *   PATH   := '.' | STEP...
 *   STEP   := .KEY | [N] | [] | [KEY=VALUE]
 *
 * [] takes every element of an array, [KEY=VALUE] the elements of an array
 * whose member KEY prints as VALUE.  A line holds the values the path
 * reaches, separated by spaces: strings as they are, anything else as
 * compact JSON; "null" when it reaches none.  Exit 2 if the input is not
 * JSON, 64 on a malformed path. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int printed;

static void emit(json_t *v)
{
	char *s;

	if (printed++)
		putchar(' ');
	if (json_is_string(v)) {
		fputs(json_string_value(v), stdout);
		return;
	}
	s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
	fputs(s ? s : "null", stdout);
	free(s);
}

/* Text of a scalar as a filter compares it. */
static int matches(json_t *v, const char *want)
{
	char *s;
	int r;

	if (!v)
		return 0;
	if (json_is_string(v))
		return !strcmp(json_string_value(v), want);
	s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
	r = s && !strcmp(s, want);
	free(s);
	return r;
}

static int walk(json_t *v, const char *p)
{
	char key[256];
	size_t n, i;

	if (!*p) {
		emit(v);
		return 0;
	}
	if (*p == '.') {
		p++;
		n = strcspn(p, ".[");
		if (!n)
			return walk(v, p);
		if (n >= sizeof(key))
			return -1;
		memcpy(key, p, n);
		key[n] = 0;
		v = json_is_object(v) ? json_object_get(v, key) : NULL;
		return v ? walk(v, p + n) : 0;
	}
	if (*p == '[') {
		const char *end = strchr(p, ']'), *eq;
		char *num_end;
		long idx;

		if (!end)
			return -1;
		n = (size_t)(end - p - 1);
		if (n >= sizeof(key))
			return -1;
		memcpy(key, p + 1, n);
		key[n] = 0;
		if (!json_is_array(v))
			return 0;
		if (!n) {
			for (i = 0; i < json_array_size(v); i++)
				if (walk(json_array_get(v, i), end + 1))
					return -1;
			return 0;
		}
		eq = strchr(key, '=');
		if (eq) {
			key[eq - key] = 0;
			for (i = 0; i < json_array_size(v); i++) {
				json_t *e = json_array_get(v, i);

				if (json_is_object(e) && matches(json_object_get(e, key), eq + 1) &&
				    walk(e, end + 1))
					return -1;
			}
			return 0;
		}
		idx = strtol(key, &num_end, 10);
		if (*num_end)
			return -1;
		if (idx < 0)
			idx += (long)json_array_size(v);
		v = idx >= 0 ? json_array_get(v, (size_t)idx) : NULL;
		return v ? walk(v, end + 1) : 0;
	}
	return -1;
}

int main(int argc, char **argv)
{
	json_error_t err;
	json_t *doc;
	int i;

	if (argc < 2) {
		fputs("usage: jget PATH... < JSON\n", stderr);
		return 64;
	}
	doc = json_loadf(stdin, JSON_DECODE_ANY, &err);
	if (!doc) {
		fprintf(stderr, "jget: not JSON: %s (line %d)\n", err.text, err.line);
		return 2;
	}
	for (i = 1; i < argc; i++) {
		printed = 0;
		if (argv[i][0] != '.' || walk(doc, strcmp(argv[i], ".") ? argv[i] : "") < 0) {
			fprintf(stderr, "jget: bad path %s\n", argv[i]);
			return 64;
		}
		if (!printed)
			fputs("null", stdout);
		putchar('\n');
	}
	json_decref(doc);
	return 0;
}
