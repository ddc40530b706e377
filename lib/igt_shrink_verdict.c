// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 */

/**
 * SECTION:igt_shrink_verdict
 * @short_description: Did the BOs leave memory, reach swap, come back?
 * @title: shrink verdicts
 * @include: igt_shrink_verdict.h
 *
 * Every decision the shrinker tests take from counters, in one place, each
 * on figures a unit test can feed (vmstat deltas, fdinfo readings):
 * - the BOs' own counters (the client's fdinfo): igt_shrink_check_left(),
 *   igt_shrink_check_back();
 * - system-wide counters: igt_shrink_check_swapped(),
 *   igt_shrink_check_backup_swapped(), and igt_shrink_judge() over
 *   &struct igt_shrink_counts;
 * - huge pages and the backup path: igt_shrink_thp_verdict(),
 *   igt_shrink_backup_path(), igt_shrink_check_no_copy().
 * A run where nothing moved never passes. The igt_shrink_check_*() functions
 * log their figures with igt_info() and return whether the check holds; the
 * test asserts.
 */

#include <stdio.h>

#include "igt_core.h"
#include "igt_shrink_verdict.h"
#include "igt_sizes.h"
#include "igt_swap.h"
#include "igt_thp.h"

/**
 * igt_shrink_count_trigger:
 * @c: counts to fill in
 * @delta: vmstat delta over the shrinker trigger
 *
 * Sets @c->backed_up from the growth of meminfo Shmem and @c->swapped from
 * pswpout + zswpout.
 */
void igt_shrink_count_trigger(struct igt_shrink_counts *c,
			      const struct igt_vmstat *delta)
{
	c->backed_up = igt_vmstat_get(delta, "meminfo.Shmem") / 4;
	c->swapped = igt_vmstat_get(delta, "pswpout") +
		     igt_vmstat_get(delta, "zswpout");
}

/**
 * igt_shrink_count_restore:
 * @c: counts to fill in
 * @delta: vmstat delta over reading the BOs back
 *
 * Sets @c->restored: shmem pages released plus pswpin + zswpin.
 */
void igt_shrink_count_restore(struct igt_shrink_counts *c,
			      const struct igt_vmstat *delta)
{
	int64_t released = -igt_vmstat_get(delta, "meminfo.Shmem") / 4;

	c->restored = (released > 0 ? released : 0) +
		      igt_vmstat_get(delta, "pswpin") +
		      igt_vmstat_get(delta, "zswpin");
}

static bool enough(int64_t pages, uint64_t bo_pages, unsigned int percent)
{
	return pages > 0 && (uint64_t)pages * 100 >= bo_pages * percent;
}

/**
 * igt_shrink_judge:
 * @c: counts over the trigger and the restore
 * @bo_pages: 4 KiB pages of BO memory that could be shrunk
 * @expect: what the trigger must have achieved
 * @min_percent: share of @bo_pages required
 *
 * %IGT_SHRINK_EXPECT_BACKUP needs @min_percent of the pages shrunk (backed up,
 * or backed up and swapped) and restored; %IGT_SHRINK_EXPECT_SWAP needs them
 * swapped and restored; %IGT_SHRINK_EXPECT_SOME needs some pages restored
 * (under memory pressure swap-out counts the pressure's own pages too, so only
 * the restore is attributable to the BOs); %IGT_SHRINK_EXPECT_NONE allows at
 * most 5% of the pages backed up or restored, as noise from the rest of the
 * system.
 *
 * Returns: the verdict; %IGT_SHRINK_NOTHING whenever something was expected
 * and no page at all was shrunk or restored.
 */
enum igt_shrink_verdict igt_shrink_judge(const struct igt_shrink_counts *c,
					 uint64_t bo_pages,
					 enum igt_shrink_expect expect,
					 unsigned int min_percent)
{
	int64_t shrunk = (c->backed_up > 0 ? c->backed_up : 0) +
			 (c->swapped > 0 ? c->swapped : 0);

	switch (expect) {
	case IGT_SHRINK_EXPECT_NONE:
		if (enough(c->backed_up, bo_pages, 5) ||
		    enough(c->restored, bo_pages, 5))
			return IGT_SHRINK_UNEXPECTED;
		return IGT_SHRINK_OK;
	case IGT_SHRINK_EXPECT_SOME:
		return c->restored > 0 ? IGT_SHRINK_OK : IGT_SHRINK_NOTHING;
	case IGT_SHRINK_EXPECT_BACKUP:
		if (shrunk <= 0 && c->restored <= 0)
			return IGT_SHRINK_NOTHING;
		if (enough(shrunk, bo_pages, min_percent) &&
		    enough(c->restored, bo_pages, min_percent))
			return IGT_SHRINK_OK;
		return IGT_SHRINK_SHORT;
	case IGT_SHRINK_EXPECT_SWAP:
		if (shrunk <= 0 && c->restored <= 0)
			return IGT_SHRINK_NOTHING;
		if (enough(c->swapped, bo_pages, min_percent) &&
		    enough(c->restored, bo_pages, min_percent))
			return IGT_SHRINK_OK;
		return IGT_SHRINK_SHORT;
	}

	return IGT_SHRINK_NOTHING;
}

/**
 * igt_shrink_verdict_name:
 * @v: a verdict
 *
 * Returns: a short name for logs.
 */
const char *igt_shrink_verdict_name(enum igt_shrink_verdict v)
{
	switch (v) {
	case IGT_SHRINK_OK:
		return "ok";
	case IGT_SHRINK_NOTHING:
		return "nothing shrunk";
	case IGT_SHRINK_SHORT:
		return "too little shrunk";
	case IGT_SHRINK_UNEXPECTED:
		return "shrunk without swap";
	}
	return "?";
}

/**
 * igt_shrink_check_swapped:
 * @delta: vmstat delta over the operation meant to swap
 * @pages: 4 KiB pages that should have left memory
 * @min_percent: share of @pages required, e.g. 90
 *
 * Logs the figures with igt_info() either way.
 *
 * Returns: whether at least @min_percent of @pages were written to swap.
 */
bool igt_shrink_check_swapped(const struct igt_vmstat *delta, uint64_t pages,
			      unsigned int min_percent)
{
	int64_t out = igt_swap_pages_out(delta);
	bool ok = out * 100 >= (int64_t)pages * min_percent;

	igt_info("swapped out %lld of %llu pages (%.1f%%, need %u%%): %s\n",
		 (long long)out, (unsigned long long)pages,
		 pages ? 100.0 * out / pages : 0.0, min_percent,
		 ok ? "ok" : "NOT SWAPPED");
	return ok;
}

/**
 * igt_shrink_check_backup_swapped:
 * @delta: vmstat delta over the step that should push shmem to swap
 * @pages: 4 KiB pages of shmem backup that should have left RAM
 * @min_percent: share of @pages required, e.g. 90
 *
 * Backups of GPU buffers live in shmem, counted in /proc/meminfo Shmem; once
 * swapped out they no longer are. This checks both sides: resident shmem went
 * down by @min_percent of @pages, and swap writes (pswpout, zswpout) cover
 * them. Logs the figures with igt_info().
 *
 * Returns: whether both hold.
 */
bool igt_shrink_check_backup_swapped(const struct igt_vmstat *delta, uint64_t pages,
				     unsigned int min_percent)
{
	int64_t shmem_drop = -igt_vmstat_get(delta, "meminfo.Shmem") / 4;
	int64_t need = (int64_t)pages * min_percent;
	bool ok;

	ok = shmem_drop * 100 >= need && igt_swap_pages_out(delta) * 100 >= need;
	igt_info("resident shmem dropped by %lld pages, %lld pages written to swap, "
		 "for %llu pages (need %u%%): %s\n",
		 (long long)shmem_drop, (long long)igt_swap_pages_out(delta),
		 (unsigned long long)pages, min_percent,
		 ok ? "ok" : "NOT SWAPPED");
	return ok;
}

/* Logs and judges a change of resident memory from @from to @to by @bytes. */
static bool check_moved(const char *what, const char *bad, uint64_t moved,
			uint64_t from, uint64_t to, uint64_t bytes,
			unsigned int min_percent)
{
	const double mib = SZ_1M;
	bool ok = bytes && moved * 100 >= bytes * min_percent;

	igt_info("client BOs: %.1f of %.1f MiB %s (resident %.1f -> %.1f MiB, "
		 "need %u%%): %s\n", moved / mib, bytes / mib, what, from / mib,
		 to / mib, min_percent, ok ? "ok" : bad);
	return ok;
}

/**
 * igt_shrink_check_left:
 * @before: reading before the trigger (BOs resident)
 * @after: reading after it
 * @bytes: the BOs' size
 * @min_percent: share of @bytes that must have left memory, e.g. 80
 *
 * Logs the figures with igt_info() either way.
 *
 * Returns: whether the client's resident BO memory dropped by at least
 * @min_percent of @bytes.
 */
bool igt_shrink_check_left(const struct igt_client_mem *before,
			   const struct igt_client_mem *after,
			   uint64_t bytes, unsigned int min_percent)
{
	uint64_t left = before->resident > after->resident ?
			before->resident - after->resident : 0;

	return check_moved("left memory", "NOT SHRUNK", left, before->resident,
			   after->resident, bytes, min_percent);
}

/**
 * igt_shrink_check_back:
 * @out: reading while the BOs were out of memory
 * @back: reading after they were read back
 * @bytes: the BOs' size
 * @min_percent: share of @bytes that must have come back, e.g. 80
 *
 * Logs the figures with igt_info() either way.
 *
 * Returns: whether the client's resident BO memory grew back by at least
 * @min_percent of @bytes.
 */
bool igt_shrink_check_back(const struct igt_client_mem *out,
			   const struct igt_client_mem *back,
			   uint64_t bytes, unsigned int min_percent)
{
	uint64_t came = back->resident > out->resident ?
			back->resident - out->resident : 0;

	return check_moved("came back", "NOT RESTORED", came, out->resident,
			   back->resident, bytes, min_percent);
}

static int64_t max64(int64_t a, int64_t b)
{
	return a > b ? a : b;
}

/**
 * igt_shrink_thp_verdict:
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
enum igt_thp_verdict igt_shrink_thp_verdict(const struct igt_vmstat *delta,
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
 * igt_shrink_thp_verdict_name:
 * @v: a verdict
 *
 * Returns: a short printable name.
 */
const char *igt_shrink_thp_verdict_name(enum igt_thp_verdict v)
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
 * igt_shrink_check_no_copy:
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
bool igt_shrink_check_no_copy(const struct igt_vmstat *shrink_delta,
			      uint64_t bo_pages, unsigned int max_percent)
{
	int64_t allocs = igt_vmstat_page_allocs(shrink_delta);

	igt_info("page allocations during shrink: %lld for %llu BO pages (limit %u%%)\n",
		 (long long)allocs, (unsigned long long)bo_pages, max_percent);
	return allocs * 100 < (int64_t)bo_pages * max_percent;
}

/**
 * igt_shrink_backup_path:
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
enum igt_thp_backup_path igt_shrink_backup_path(const struct igt_vmstat *shrink_delta,
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
 * igt_shrink_backup_path_name:
 * @p: a backup path
 *
 * Returns: a short printable name.
 */
const char *igt_shrink_backup_path_name(enum igt_thp_backup_path p)
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
