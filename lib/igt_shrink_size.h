/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 igt-shrink authors
 */

#ifndef IGT_SHRINK_SIZE_H
#define IGT_SHRINK_SIZE_H

#include <stddef.h>
#include <stdint.h>

#include "igt_sizes.h"

/**
 * enum igt_shrink_target:
 * @IGT_SHRINK_SYSTEM: BOs in system memory, shrunk to shmem or swap: needs
 *		       room in RAM and in free swap
 * @IGT_SHRINK_NO_SWAP: BOs in system memory with no swap: RAM only
 * @IGT_SHRINK_VRAM: BOs placed in VRAM, overcommitted so that the excess over
 *		     VRAM spills to system memory and can be shrunk from there
 * @IGT_SHRINK_OVER_RAM: more BO memory than RAM, the excess held by swap
 * @IGT_SHRINK_FILL_RAM: BOs of nearly all the available RAM, so that RAM
 *			 runs short while they are used (the swap they need is
 *			 the subtest's requirement, on its final size)
 *
 * What a sizing is for; see igt_shrink_size().
 */
enum igt_shrink_target {
	IGT_SHRINK_SYSTEM,
	IGT_SHRINK_NO_SWAP,
	IGT_SHRINK_VRAM,
	IGT_SHRINK_OVER_RAM,
	IGT_SHRINK_FILL_RAM,
};

/**
 * IGT_SHRINK_CAP:
 *
 * The largest automatic total of the quick subtests (%IGT_SHRINK_SYSTEM,
 * %IGT_SHRINK_NO_SWAP), bytes: more proves nothing more, and costs time.
 */
#define IGT_SHRINK_CAP ((uint64_t)SZ_512M)

/**
 * struct igt_shrink_resources:
 * @total_ram: MemTotal, bytes
 * @avail_ram: MemAvailable, bytes
 * @free_swap: SwapFree, bytes
 * @vram: VRAM the BOs compete for (CPU-visible VRAM when the BOs must be
 *	  mapped), bytes; 0 on integrated GPUs
 * @user_size: total asked for on the command line, bytes; 0 for automatic
 * @cap: the largest automatic total for %IGT_SHRINK_SYSTEM and
 *	 %IGT_SHRINK_NO_SWAP, bytes (%IGT_SHRINK_CAP); 0 for no cap
 *
 * What the machine offers, the input of igt_shrink_size().
 */
struct igt_shrink_resources {
	uint64_t total_ram;
	uint64_t avail_ram;
	uint64_t free_swap;
	uint64_t vram;
	uint64_t user_size;
	uint64_t cap;
};

void igt_shrink_resources_now(struct igt_shrink_resources *res);
uint64_t igt_shrink_margin(uint64_t avail_ram);
uint64_t igt_shrink_size(const struct igt_shrink_resources *res,
			 enum igt_shrink_target target, char *why, size_t len);
uint64_t igt_shrink_bo_size(uint64_t total, uint64_t max_bo, uint64_t align);

#endif /* IGT_SHRINK_SIZE_H */
