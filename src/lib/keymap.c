/* keymap.c - open-addressing (linear probing) hash map, u64 -> value. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "keymap.h"

static size_t keymap_hash(uint64_t k, size_t cap)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	return (size_t)k & (cap - 1);
}

int keymap_init(struct keymap *m, size_t value_size)
{
	memset(m, 0, sizeof(*m));
	m->vsize = value_size;
	m->cap = 64;
	m->keys = calloc(m->cap, sizeof(*m->keys));
	m->vals = calloc(m->cap, value_size);
	if (!m->keys || !m->vals) {
		keymap_free(m);
		return -ENOMEM;
	}
	return 0;
}

void keymap_free(struct keymap *m)
{
	free(m->keys);
	free(m->vals);
	m->keys = NULL;
	m->vals = NULL;
	m->cap = m->n = 0;
}

static size_t keymap_slot(const struct keymap *m, uint64_t key)
{
	size_t i = keymap_hash(key, m->cap);

	while (m->keys[i] && m->keys[i] != key + 1)
		i = (i + 1) & (m->cap - 1);
	return i;
}

static int keymap_grow(struct keymap *m)
{
	struct keymap n = { 0 };
	size_t i;

	n.vsize = m->vsize;
	n.cap = m->cap * 2;
	n.keys = calloc(n.cap, sizeof(*n.keys));
	n.vals = calloc(n.cap, n.vsize);
	if (!n.keys || !n.vals) {
		free(n.keys);
		free(n.vals);
		return -ENOMEM;
	}
	for (i = 0; i < m->cap; i++) {
		size_t j;

		if (!m->keys[i])
			continue;
		j = keymap_slot(&n, m->keys[i] - 1);
		n.keys[j] = m->keys[i];
		memcpy(n.vals + j * n.vsize, m->vals + i * m->vsize, m->vsize);
	}
	n.n = m->n;
	free(m->keys);
	free(m->vals);
	*m = n;
	return 0;
}

void *keymap_get(struct keymap *m, uint64_t key)
{
	size_t i;

	if (key == UINT64_MAX)
		key = UINT64_MAX - 1; /* key+1 must not wrap to the empty marker */
	if ((m->n + 1) * 4 > m->cap * 3 && keymap_grow(m))
		return NULL;
	i = keymap_slot(m, key);
	if (!m->keys[i]) {
		m->keys[i] = key + 1;
		m->n++;
	}
	return m->vals + i * m->vsize;
}

void *keymap_find(const struct keymap *m, uint64_t key)
{
	size_t i;

	if (!m->cap)
		return NULL;
	if (key == UINT64_MAX)
		key = UINT64_MAX - 1;
	i = keymap_slot(m, key);
	return m->keys[i] ? m->vals + i * m->vsize : NULL;
}

size_t keymap_next(const struct keymap *m, size_t i)
{
	while (i < m->cap && !m->keys[i])
		i++;
	return i;
}
