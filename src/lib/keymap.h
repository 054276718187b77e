/* keymap.h - open-addressing hash map from a 64-bit key to a fixed-size
 * value, for the per-process, per-cgroup and per-port aggregates and the
 * socket-inode to PID map.  Grows by doubling; no deletion. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKMEM_KEYMAP_H
#define SOCKMEM_KEYMAP_H

#include <stddef.h>
#include <stdint.h>

struct keymap {
	uint64_t *keys;		/* key + 1; 0 = empty slot */
	unsigned char *vals;
	size_t vsize, cap, n;
};

int keymap_init(struct keymap *m, size_t value_size);
void keymap_free(struct keymap *m);
/* The value for key, created zeroed if absent; NULL on allocation failure. */
void *keymap_get(struct keymap *m, uint64_t key);
/* The value for key or NULL. */
void *keymap_find(const struct keymap *m, uint64_t key);
/* Iterate: returns the next used slot index >= i, or m->cap. */
size_t keymap_next(const struct keymap *m, size_t i);
static inline uint64_t keymap_key(const struct keymap *m, size_t i) { return m->keys[i] - 1; }
static inline void *keymap_val(const struct keymap *m, size_t i) { return m->vals + i * m->vsize; }

#endif
