// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink contributors
 */

/**
 * SECTION:igt_thp
 * @short_description: Transparent huge page settings and swapout accounting
 * @title: THP
 * @include: igt_thp.h
 *
 * Reads and changes the knobs under /sys/kernel/mm/transparent_hugepage
 * ("enabled", "shmem_enabled", "hugepages-2048kB/shmem_enabled", ...) through
 * igt_knob, so every change is undone at exit, and judges from vmstat deltas
 * whether 2 MiB folios were swapped out whole or split.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "igt_core.h"
#include "igt_knob.h"
#include "igt_sysroot.h"
#include "igt_thp.h"

static char *thp_path(const char *knob, char *buf, size_t len)
{
	snprintf(buf, len, IGT_THP_SYSFS "/%s", knob);
	return buf;
}

/**
 * igt_thp_available:
 *
 * Returns: whether the kernel has transparent huge pages at all.
 */
bool igt_thp_available(void)
{
	char buf[64];

	return igt_sysroot_read_selected(IGT_THP_SYSFS "/enabled", buf, sizeof(buf));
}

/**
 * igt_thp_get:
 * @knob: file under /sys/kernel/mm/transparent_hugepage, e.g. "shmem_enabled"
 * @buf: destination
 * @len: size of @buf
 *
 * Returns: @buf holding the selected value (the bracketed word), or NULL when
 * the knob does not exist.
 */
char *igt_thp_get(const char *knob, char *buf, size_t len)
{
	char path[256];

	return igt_sysroot_read_selected(thp_path(knob, path, sizeof(path)), buf, len);
}

/**
 * __igt_thp_set:
 * @knob: file under /sys/kernel/mm/transparent_hugepage, e.g. "shmem_enabled"
 * @value: e.g. "always", "within_size", "never"
 *
 * Changes a THP setting; the old value is restored by igt_thp_restore(),
 * igt_knob_restore_all() or, failing those, at exit.
 *
 * Returns: 0 or -errno (-EINVAL when the kernel does not know @value).
 */
int __igt_thp_set(const char *knob, const char *value)
{
	char path[256];

	return __igt_knob_set(thp_path(knob, path, sizeof(path)), value);
}

/**
 * igt_thp_set:
 * @knob: file under /sys/kernel/mm/transparent_hugepage
 * @value: the new setting
 *
 * __igt_thp_set(), failing the test when the setting cannot be changed.
 */
void igt_thp_set(const char *knob, const char *value)
{
	int err = __igt_thp_set(knob, value);

	igt_assert_f(!err, "THP %s: cannot set \"%s\": %s\n", knob, value, strerror(-err));
}

/**
 * igt_thp_restore:
 * @knob: a knob earlier changed with igt_thp_set()
 *
 * Returns: 0 or -errno.
 */
int igt_thp_restore(const char *knob)
{
	char path[256];

	return igt_knob_restore(thp_path(knob, path, sizeof(path)));
}

/**
 * igt_thp_has_swap_stats:
 * @s: a vmstat snapshot
 *
 * Returns: whether the kernel counts THPs swapped out whole, globally
 * (thp_swpout) or per size (hugepages-2048kB.swpout).
 */
bool igt_thp_has_swap_stats(const struct igt_vmstat *s)
{
	return igt_vmstat_has(s, "thp_swpout") ||
	       igt_vmstat_has(s, "hugepages-2048kB.swpout");
}

static int64_t max64(int64_t a, int64_t b)
{
	return a > b ? a : b;
}

/**
 * igt_thp_swapout_verdict:
 * @delta: vmstat delta over the swapout
 * @chunks: 2 MiB chunks that were meant to go to swap
 * @min_percent: share of @chunks that must have gone out, e.g. 90
 * @out: optional, receives the figures used
 *
 * Whole means: whole-folio swapouts cover at least @min_percent of @chunks and
 * no huge page was split or fell back to order-0 writeout meanwhile. The
 * global and per-size counters may both exist; the larger is used.
 *
 * Returns: the verdict.
 */
enum igt_thp_verdict igt_thp_swapout_verdict(const struct igt_vmstat *delta,
					     uint64_t chunks,
					     unsigned int min_percent,
					     struct igt_thp_swapout *out)
{
	struct igt_thp_swapout f = { .chunks = chunks };
	int64_t need = (int64_t)chunks * min_percent;

	f.pages = igt_vmstat_get(delta, "pswpout") + igt_vmstat_get(delta, "zswpout");
	f.whole = max64(igt_vmstat_get(delta, "thp_swpout"),
			igt_vmstat_get(delta, "hugepages-2048kB.swpout"));
	f.fallback = max64(igt_vmstat_get(delta, "thp_swpout_fallback"),
			   igt_vmstat_get(delta, "hugepages-2048kB.swpout_fallback"));
	f.split = max64(igt_vmstat_get(delta, "thp_split_page"),
			igt_vmstat_get(delta, "hugepages-2048kB.split"));
	if (out)
		*out = f;

	if (!igt_thp_has_swap_stats(delta))
		return IGT_THP_NO_STATS;
	if (f.pages * 100 < need * 512)
		return IGT_THP_NOT_SWAPPED;
	if (f.whole * 100 >= need && !f.fallback && !f.split)
		return IGT_THP_WHOLE;
	return IGT_THP_SPLIT;
}

/**
 * igt_thp_verdict_name:
 * @v: a verdict
 *
 * Returns: a short printable name.
 */
const char *igt_thp_verdict_name(enum igt_thp_verdict v)
{
	switch (v) {
	case IGT_THP_NO_STATS:
		return "no THP swap statistics";
	case IGT_THP_NOT_SWAPPED:
		return "not swapped";
	case IGT_THP_WHOLE:
		return "whole";
	case IGT_THP_SPLIT:
		return "split";
	}
	return "?";
}

/**
 * igt_thp_check_no_copy:
 * @shrink_delta: vmstat delta over the shrink alone (backup to shmem)
 * @bo_pages: 4 KiB pages of the BOs shrunk
 * @max_percent: allocations allowed, in percent of @bo_pages, e.g. 10
 *
 * A zero-copy shrink moves the BOs' own pages into shmem, so the page
 * allocator hands out far fewer pages than the BOs hold (only metadata); a
 * copying shrink allocates about one page per BO page.
 *
 * Returns: whether page allocations stayed under @max_percent of @bo_pages.
 */
bool igt_thp_check_no_copy(const struct igt_vmstat *shrink_delta,
			   uint64_t bo_pages, unsigned int max_percent)
{
	int64_t allocs = igt_vmstat_page_allocs(shrink_delta);

	igt_info("page allocations during shrink: %lld for %llu BO pages (limit %u%%)\n",
		 (long long)allocs, (unsigned long long)bo_pages, max_percent);
	return allocs * 100 < (int64_t)bo_pages * max_percent;
}

/**
 * igt_thp_backup_path:
 * @shrink_delta: vmstat delta over the shrink alone (backup to shmem)
 * @bo_pages: 4 KiB pages of the BOs shrunk
 * @min_percent: share that decides, e.g. 90: at least that much of the BOs
 *	must have reached shmem, a copy allocates at least 100 - @min_percent
 *	percent of @bo_pages (fewer than @min_percent percent, yet more
 *	than 100 - @min_percent, is a mixed shrink), and "into THPs" means 2 MiB shmem folios were
 *	allocated for at least @min_percent of the BOs' 2 MiB chunks
 *
 * Tells the backup paths apart by what they cost the page allocator: a copy
 * allocates a page per BO page (counted in pgalloc_*), into 2 MiB shmem
 * folios when thp_file_alloc (or the per-size shmem_alloc) rises with it;
 * zero-copy insertion allocates next to nothing, yet meminfo.Shmem grows
 * by the BOs' size all the same.
 *
 * Returns: the path measured.
 */
enum igt_thp_backup_path igt_thp_backup_path(const struct igt_vmstat *shrink_delta,
					     uint64_t bo_pages,
					     unsigned int min_percent)
{
	int64_t moved = igt_vmstat_get(shrink_delta, "meminfo.Shmem") / 4;
	int64_t allocs = igt_vmstat_page_allocs(shrink_delta);
	int64_t thps = max64(igt_vmstat_get(shrink_delta, "thp_file_alloc"),
			     igt_vmstat_get(shrink_delta, "hugepages-2048kB.shmem_alloc"));
	int64_t pages = bo_pages;

	if (moved * 100 < pages * min_percent)
		return IGT_THP_BACKUP_NONE;
	if (allocs * 100 < pages * (100 - min_percent))
		return IGT_THP_BACKUP_INSERT;
	/* a copy allocates a page per BO page: fewer means some were inserted */
	if (allocs * 100 < pages * min_percent)
		return IGT_THP_BACKUP_MIXED;
	if (thps * 512 * 100 >= pages * min_percent)
		return IGT_THP_BACKUP_COPY_THP;
	return IGT_THP_BACKUP_COPY_PAGES;
}

/**
 * igt_thp_backup_path_name:
 * @p: a backup path
 *
 * Returns: a short printable name.
 */
const char *igt_thp_backup_path_name(enum igt_thp_backup_path p)
{
	switch (p) {
	case IGT_THP_BACKUP_NONE:
		return "nothing backed up";
	case IGT_THP_BACKUP_INSERT:
		return "zero-copy insertion";
	case IGT_THP_BACKUP_COPY_THP:
		return "copy into shmem THPs";
	case IGT_THP_BACKUP_COPY_PAGES:
		return "copy into 4 KiB shmem pages";
	case IGT_THP_BACKUP_MIXED:
		return "part zero-copy insertion, part copy (fallback)";
	}
	return "?";
}
