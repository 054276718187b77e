/* fix.h - sysctl proposals of the advice rules: a typed change per sysctl,
 * formatted only when rendered, and fix_verify(), the one check that every
 * proposal goes through before a finding carries it.  Pure: no I/O. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKMEM_FIX_H
#define SOCKMEM_FIX_H

#include "report.h"

struct advise_in;

/* One proposed "sysctl -w NAME=VALUES". */
struct sysctl_change {
	enum sysctl_id id;
	uint64_t v[3];
	int nv;				/* host_sysctl[id].n */
	/* set by fix_verify(): the model's view of the change */
	bool predicted;			/* usage was placed against the new values */
	enum model_state state_before, state_after;
	/* to the pressure threshold (TCP) or to min (UDP); negative: above */
	int64_t headroom_before_bytes, headroom_after_bytes;
};

enum fix_verdict {
	FIX_OK,
	FIX_OUT_OF_RANGE,	/* sysctl -w would refuse a value (e.g. above INT_MAX) */
	FIX_NOT_ASCENDING,	/* min <= pressure <= max (or min <= default <= max) broken */
	FIX_RAM_UNKNOWN,	/* a raise cannot be checked against RAM */
	FIX_ABOVE_RAM,		/* sockets could take more than a quarter of RAM */
	FIX_STAYS_BAD,		/* its own prediction is pressure, limited or over-limit */
	FIX_UNCHECKED,		/* what it costs cannot be placed against tcp_mem */
	FIX_WORSE_CONFIG,	/* a configuration rule would be worse with it */
	FIX_NOMEM,
};

/* A change of sysctl id to v[0..host_sysctl[id].n - 1], not yet verified. */
void fix_init(struct sysctl_change *c, enum sysctl_id id, const uint64_t *v);

/* The one check of a proposal, in this order: values that sysctl -w
 * accepts; vectors ascending; nothing above a quarter of RAM (tcp_mem and
 * udp_mem max in pages, byte sizes in bytes; a raise of tcp_mem/udp_mem
 * needs RAM to be known); the model: usage against the new tcp_mem/udp_mem
 * (or TCP usage with the orphans a larger tcp_max_orphans allows at
 * FIX_ORPHAN_BYTES each) must not be left in pressure, limited or over the
 * limit; and the configuration rules on the changed sysctls (an overlay of
 * the sysctl vector, not a copy of the host) must be no worse than now.
 * Fills c's prediction where the model makes one.  Returns FIX_OK or why
 * the change must not be proposed. */
enum fix_verdict fix_verify(const struct advise_in *in, struct sysctl_change *c);

/* The largest value sysctl -w accepts for id (INT_MAX for an int sysctl). */
uint64_t fix_value_max(enum sysctl_id id);

/* A sentence for the user saying why c is not proposed. */
void fix_explain(const struct sysctl_change *c, enum fix_verdict v, char *buf, size_t n);

/* Rendering: the sysctl's name and its values as sysctl -w takes them
 * ("289266 385688 578532"). */
const char *fix_name(const struct sysctl_change *c);
void fix_values(const struct sysctl_change *c, char *buf, size_t n);

/* ---- The kernel's shapes, each in one function so that one body changes
 * when they move into the model (model_limits_for_pressure(),
 * model_state_after()). */

/* tcp_init_mem()/udp_init() ratio 3/4 : 1 : 3/2 around a pressure threshold. */
void fix_limits_for_pressure(uint64_t pressure_pages, uint64_t out[3]);
/* Limits (pages) whose min is at least usage + band + a margin, so that the
 * flag clears at the next charge (pressure is left only at usage <= min).
 * usage and band count units_per_page units per page (model_units_per_page:
 * 16 on a 64 KiB-page 4.11-5.19 kernel, 0 or 1 otherwise). */
void fix_limits_for_usage(uint64_t usage_pages, uint64_t band_pages, unsigned units_per_page,
			  uint64_t out[3]);
/* The state once limits (pages, scaled by before->units_per_page) replace
 * before->limit_pages, with the hysteresis:
 * a set flag is sure to clear only when usage + band <= min; a clear flag
 * is set at the next charge above the pressure threshold. */
enum model_state fix_state_after(const struct model_in *before, const uint64_t limits[3]);

/* ---- Orphans */

/* ip-sysctl.rst: "each orphan eats up to ~64K of unswappable memory". */
#define FIX_ORPHAN_BYTES 65536u
/* How many orphans beyond tcp_max_orphans TCP's headroom to the pressure
 * threshold (less the band) holds at FIX_ORPHAN_BYTES each; 0 when unknown. */
uint64_t fix_orphans_room(const struct advise_in *in);

#endif
