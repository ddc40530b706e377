/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 igt-shrink contributors
 */

#ifndef IGT_THP_H
#define IGT_THP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "igt_vmstat.h"

#define IGT_THP_SYSFS "/sys/kernel/mm/transparent_hugepage"

bool igt_thp_available(void);
char *igt_thp_get(const char *knob, char *buf, size_t len);
int __igt_thp_set(const char *knob, const char *value);
void igt_thp_set(const char *knob, const char *value);
int igt_thp_restore(const char *knob);
bool igt_thp_has_swap_stats(const struct igt_vmstat *s);

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
 * The figures igt_thp_swapout_verdict() based its verdict on.
 */
struct igt_thp_swapout {
	int64_t chunks;
	int64_t pages;
	int64_t whole;
	int64_t fallback;
	int64_t split;
};

enum igt_thp_verdict igt_thp_swapout_verdict(const struct igt_vmstat *delta,
					     uint64_t chunks,
					     unsigned int min_percent,
					     struct igt_thp_swapout *out);
const char *igt_thp_verdict_name(enum igt_thp_verdict v);
bool igt_thp_check_no_copy(const struct igt_vmstat *shrink_delta,
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

enum igt_thp_backup_path igt_thp_backup_path(const struct igt_vmstat *shrink_delta,
					     uint64_t bo_pages,
					     unsigned int min_percent);
const char *igt_thp_backup_path_name(enum igt_thp_backup_path p);

#endif /* IGT_THP_H */
