/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 igt-shrink authors
 *
 * PAT (page attribute table) indices for xe VM binds, as upstream IGT's
 * lib/intel_pat.h. Only xe devices are handled here.
 */

#ifndef INTEL_PAT_H
#define INTEL_PAT_H

#include <stdbool.h>
#include <stdint.h>

/* Pass to __xe_vm_bind() to get the platform's cached, coherent index. */
#define DEFAULT_PAT_INDEX ((uint8_t)-1)
/* The platform has no index of that kind. */
#define XE_PAT_IDX_INVALID ((uint8_t)-2)
#define XE_PAT_MAX_ENTRIES 32

struct xe_pat_entry {
	uint32_t pat;
	bool rsvd;
};

/* Indices of the cache modes tests ask for, and the raw table. */
struct intel_pat_cache {
	uint8_t uc;		/* uncached, not coherent */
	uint8_t wt;		/* write-through, not coherent */
	uint8_t wb;		/* write-back, at least 1-way coherent */
	uint8_t uc_comp;	/* uncached + compression (Xe2+) */
	uint8_t max_index;
	struct xe_pat_entry entries[XE_PAT_MAX_ENTRIES];
	uint32_t pta_mode;
	uint32_t pat_ats;
};

uint8_t intel_get_pat_idx_wb(int fd);

int32_t xe_get_pat_sw_config(int drm_fd, struct intel_pat_cache *xe_pat_cache, int gt);

#endif /* INTEL_PAT_H */
