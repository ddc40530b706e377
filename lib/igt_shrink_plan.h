/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 igt-shrink authors
 */

#ifndef IGT_SHRINK_PLAN_H
#define IGT_SHRINK_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "igt_vmstat.h"

#define IGT_SHRINK_PAGE 4096ull

/**
 * enum igt_shrink_target:
 * @IGT_SHRINK_SYSTEM: BOs in system memory, shrunk to shmem or swap: needs
 *		       room in RAM and in free swap
 * @IGT_SHRINK_NO_SWAP: BOs in system memory with no swap: RAM only
 * @IGT_SHRINK_VRAM: BOs placed in VRAM, overcommitted so that the excess over
 *		     VRAM spills to system memory and can be shrunk from there
 * @IGT_SHRINK_OVER_RAM: more BO memory than RAM, the excess held by swap
 *
 * What a sizing is for; see igt_shrink_size().
 */
enum igt_shrink_target {
	IGT_SHRINK_SYSTEM,
	IGT_SHRINK_NO_SWAP,
	IGT_SHRINK_VRAM,
	IGT_SHRINK_OVER_RAM,
};

/**
 * struct igt_shrink_resources:
 * @total_ram: MemTotal, bytes
 * @avail_ram: MemAvailable, bytes
 * @free_swap: SwapFree, bytes
 * @vram: VRAM the BOs compete for (CPU-visible VRAM when the BOs must be
 *	  mapped), bytes; 0 on integrated GPUs
 * @user_size: total asked for on the command line, bytes; 0 for automatic
 * @cap: the largest automatic total for %IGT_SHRINK_SYSTEM and
 *	 %IGT_SHRINK_NO_SWAP, bytes; 0 for no cap
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

uint64_t igt_shrink_margin(uint64_t avail_ram);
uint64_t igt_shrink_size(const struct igt_shrink_resources *res,
			 enum igt_shrink_target target, char *why, size_t len);
uint64_t igt_shrink_bo_size(uint64_t total, uint64_t max_bo, uint64_t align);

uint64_t igt_shrink_sample_offset(uint64_t seed, uint32_t bo, uint64_t page,
				  unsigned int lane);
uint32_t igt_shrink_pattern_dword(uint64_t seed, uint32_t bo, uint64_t offset);
uint32_t igt_shrink_gpu_dword(uint64_t seed, uint32_t bo, uint64_t page);

/**
 * struct igt_shrink_counts:
 * @backed_up: pages that entered shmem while the shrinker ran (Shmem growth)
 * @swapped: pages written to swap or zswap while the shrinker ran
 * @restored: pages that came back while the BOs were read again: shmem pages
 *	      released plus pages read from swap or zswap
 *
 * What the kernel's counters say happened to the BOs, in 4 KiB pages.
 */
struct igt_shrink_counts {
	int64_t backed_up;
	int64_t swapped;
	int64_t restored;
};

void igt_shrink_count_trigger(struct igt_shrink_counts *c,
			      const struct igt_vmstat *delta);
void igt_shrink_count_restore(struct igt_shrink_counts *c,
			      const struct igt_vmstat *delta);

/**
 * enum igt_shrink_expect:
 * @IGT_SHRINK_EXPECT_BACKUP: the BOs were backed up to shmem (drop_caches)
 * @IGT_SHRINK_EXPECT_SWAP: the BOs went on to swap (memory.reclaim)
 * @IGT_SHRINK_EXPECT_SOME: some BOs were shrunk (memory pressure, where the
 *			    kernel picks its victims)
 * @IGT_SHRINK_EXPECT_NONE: nothing could be shrunk (no swap)
 *
 * What a trigger must have achieved.
 */
enum igt_shrink_expect {
	IGT_SHRINK_EXPECT_BACKUP,
	IGT_SHRINK_EXPECT_SWAP,
	IGT_SHRINK_EXPECT_SOME,
	IGT_SHRINK_EXPECT_NONE,
};

/**
 * enum igt_shrink_verdict:
 * @IGT_SHRINK_OK: the expectation holds
 * @IGT_SHRINK_NOTHING: nothing at all was shrunk where something should be
 * @IGT_SHRINK_SHORT: something was shrunk, but less than required
 * @IGT_SHRINK_UNEXPECTED: pages moved where none should have
 *
 * Outcome of igt_shrink_judge().
 */
enum igt_shrink_verdict {
	IGT_SHRINK_OK,
	IGT_SHRINK_NOTHING,
	IGT_SHRINK_SHORT,
	IGT_SHRINK_UNEXPECTED,
};

enum igt_shrink_verdict igt_shrink_judge(const struct igt_shrink_counts *c,
					 uint64_t bo_pages,
					 enum igt_shrink_expect expect,
					 unsigned int min_percent);
const char *igt_shrink_verdict_name(enum igt_shrink_verdict v);

#endif /* IGT_SHRINK_PLAN_H */
