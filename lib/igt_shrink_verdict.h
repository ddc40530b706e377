/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 igt-shrink authors
 */

#ifndef IGT_SHRINK_VERDICT_H
#define IGT_SHRINK_VERDICT_H

#include <stdbool.h>
#include <stdint.h>

#include "igt_client_mem.h"
#include "igt_vmstat.h"

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

bool igt_shrink_check_left(const struct igt_client_mem *before,
			   const struct igt_client_mem *after,
			   uint64_t bytes, unsigned int min_percent);
bool igt_shrink_check_back(const struct igt_client_mem *out,
			   const struct igt_client_mem *back,
			   uint64_t bytes, unsigned int min_percent);
bool igt_shrink_check_swapped(const struct igt_vmstat *delta, uint64_t pages,
			      unsigned int min_percent);
bool igt_shrink_check_backup_swapped(const struct igt_vmstat *delta, uint64_t pages,
				     unsigned int min_percent);

/**
 * enum igt_thp_verdict:
 * @IGT_THP_NO_STATS: the kernel counts no THP swapout at all
 * @IGT_THP_NOT_SWAPPED: too few pages reached swap to judge
 * @IGT_THP_WHOLE: enough 2 MiB folios went to swap whole, none split
 * @IGT_THP_SPLIT: pages reached swap, but not as whole 2 MiB folios
 *
 * How 2 MiB chunks of memory went to swap, judged from counter deltas.
 */
enum igt_thp_verdict {
	IGT_THP_NO_STATS,
	IGT_THP_NOT_SWAPPED,
	IGT_THP_WHOLE,
	IGT_THP_SPLIT,
};

/**
 * struct igt_thp_swapout:
 * @chunks: 2 MiB chunks expected to go out
 * @pages: 4 KiB pages written to swap (pswpout + zswpout)
 * @whole: 2 MiB folios written whole
 * @fallback: 2 MiB folios that had to be split to be written
 * @split: huge pages split (thp_split_page)
 *
 * The figures igt_shrink_thp_verdict() based its verdict on.
 */
struct igt_thp_swapout {
	int64_t chunks;
	int64_t pages;
	int64_t whole;
	int64_t fallback;
	int64_t split;
};

enum igt_thp_verdict igt_shrink_thp_verdict(const struct igt_vmstat *delta,
					    uint64_t chunks,
					    unsigned int min_percent,
					    struct igt_thp_swapout *out);
const char *igt_shrink_thp_verdict_name(enum igt_thp_verdict v);
bool igt_shrink_check_no_copy(const struct igt_vmstat *shrink_delta,
			      uint64_t bo_pages, unsigned int max_percent);

/**
 * enum igt_thp_backup_path:
 * @IGT_THP_BACKUP_NONE: the shrink moved (almost) nothing into shmem
 * @IGT_THP_BACKUP_INSERT: the BOs' own pages went into shmem (zero-copy
 *	insertion): next to no page allocations
 * @IGT_THP_BACKUP_COPY_THP: copied into newly allocated 2 MiB shmem folios
 * @IGT_THP_BACKUP_COPY_PAGES: copied, but not into 2 MiB shmem folios
 * @IGT_THP_BACKUP_MIXED: part inserted, part copied (a zero-copy kernel
 *	whose insertion failed for some folios and fell back to the copy)
 *
 * How a shrink got the BOs' contents into shmem, judged from counter deltas:
 * which backup path a measurement exercised.
 */
enum igt_thp_backup_path {
	IGT_THP_BACKUP_NONE,
	IGT_THP_BACKUP_INSERT,
	IGT_THP_BACKUP_COPY_THP,
	IGT_THP_BACKUP_COPY_PAGES,
	IGT_THP_BACKUP_MIXED,
};

enum igt_thp_backup_path igt_shrink_backup_path(const struct igt_vmstat *shrink_delta,
						uint64_t bo_pages,
						unsigned int min_percent);
const char *igt_shrink_backup_path_name(enum igt_thp_backup_path p);

#endif /* IGT_SHRINK_VERDICT_H */
