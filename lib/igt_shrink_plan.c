// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 */

/**
 * SECTION:igt_shrink_plan
 * @short_description: Sizes, sample offsets and verdicts for shrinker tests
 * @title: shrink plan
 * @include: igt_shrink_plan.h
 *
 * The parts of a buffer-object shrinker test that need no GPU, kept apart so
 * that they can be unit-tested:
 * - how much BO memory to use, from free RAM, free swap and VRAM, with a
 *   margin that keeps the rest of the system alive, and a cap that keeps the
 *   quick tests quick: igt_shrink_size();
 * - which dword of each 4 KiB page a GPU reads or writes, so that every page
 *   of every BO is looked at by the GPU: igt_shrink_sample_offset();
 * - whether the kernel's counters show the BOs were shrunk and restored:
 *   igt_shrink_count_trigger(), igt_shrink_count_restore(),
 *   igt_shrink_judge(). A run where nothing was shrunk never passes.
 */

#include <stdio.h>

#include "igt_bo_pattern.h"
#include "igt_shrink_plan.h"
#include "igt_sizes.h"

#define MIN_MARGIN SZ_256M
#define MIN_TOTAL SZ_32M
#define TOTAL_ALIGN SZ_2M

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/**
 * igt_shrink_margin:
 * @avail_ram: available RAM, bytes
 *
 * Returns: the memory, in bytes, a test leaves to everybody else: 1/16 of the
 * available RAM, at least 256 MiB.
 */
uint64_t igt_shrink_margin(uint64_t avail_ram)
{
	uint64_t margin = avail_ram / 16;

	return margin < MIN_MARGIN ? MIN_MARGIN : margin;
}

static uint64_t room(uint64_t have, uint64_t margin)
{
	return have > margin ? have - margin : 0;
}

/**
 * igt_shrink_size:
 * @res: what the machine offers
 * @target: what the BOs are for
 * @why: filled with the reason when the answer is 0
 * @len: size of @why
 *
 * Picks the total BO size of a test. The margin is igt_shrink_margin() of the
 * available RAM. RAM room is half of the available RAM less the margin
 * (backing up a BO needs its pages and their copy at once); swap room is the
 * free swap less a swap margin (the xe shrinker only counts what free swap
 * can take): the margin, but at most a quarter of the free swap, so that a
 * small swap (1 GiB beside 32 GiB of RAM) still takes a small test.
 * - %IGT_SHRINK_SYSTEM: a quarter of the available RAM, capped by @res->cap,
 *   within both rooms;
 * - %IGT_SHRINK_NO_SWAP: the same within the RAM room only;
 * - %IGT_SHRINK_VRAM: 1.25 times @res->vram; the part beyond VRAM must fit
 *   both rooms;
 * - %IGT_SHRINK_OVER_RAM: 1.5 times the total RAM; what does not fit in the
 *   available RAM less the margin must fit the free swap less the margin.
 *
 * A size asked for in @res->user_size replaces the automatic one but must
 * satisfy the same limits. Totals are rounded down to 2 MiB; automatic totals
 * below 32 MiB are refused.
 *
 * Returns: the total in bytes, or 0 with the reason in @why.
 */
uint64_t igt_shrink_size(const struct igt_shrink_resources *res,
			 enum igt_shrink_target target, char *why, size_t len)
{
	uint64_t margin = igt_shrink_margin(res->avail_ram);
	uint64_t ram_room = room(res->avail_ram, margin) / 2;
	uint64_t swap_room = room(res->free_swap, min_u64(margin, res->free_swap / 4));
	uint64_t want, limit, spill, excess;

	if (len)
		why[0] = '\0';

	switch (target) {
	case IGT_SHRINK_SYSTEM:
	case IGT_SHRINK_NO_SWAP:
		limit = ram_room;
		if (target == IGT_SHRINK_SYSTEM)
			limit = min_u64(limit, swap_room);
		want = res->user_size;
		if (!want) {
			want = res->avail_ram / 4;
			if (res->cap)
				want = min_u64(want, res->cap);
			want = min_u64(want, limit);
		}
		want &= ~(TOTAL_ALIGN - 1);
		if (want > limit) {
			snprintf(why, len,
				 "%llu MiB asked, room for %llu MiB (RAM room %llu MiB, swap room %llu MiB, margin %llu MiB)",
				 (unsigned long long)(want / SZ_1M),
				 (unsigned long long)(limit / SZ_1M),
				 (unsigned long long)(ram_room / SZ_1M),
				 (unsigned long long)(swap_room / SZ_1M),
				 (unsigned long long)(margin / SZ_1M));
			return 0;
		}
		if (!res->user_size && want < MIN_TOTAL) {
			snprintf(why, len,
				 "room for %llu MiB only, need %llu MiB (RAM room %llu MiB, swap room %llu MiB)",
				 (unsigned long long)(want / SZ_1M),
				 (unsigned long long)(MIN_TOTAL / SZ_1M),
				 (unsigned long long)(ram_room / SZ_1M),
				 (unsigned long long)(swap_room / SZ_1M));
			return 0;
		}
		return want;

	case IGT_SHRINK_VRAM:
		if (!res->vram) {
			snprintf(why, len, "no VRAM");
			return 0;
		}
		want = res->user_size ?: res->vram + res->vram / 4;
		want &= ~(TOTAL_ALIGN - 1);
		if (want <= res->vram) {
			snprintf(why, len, "%llu MiB does not exceed VRAM (%llu MiB)",
				 (unsigned long long)(want / SZ_1M),
				 (unsigned long long)(res->vram / SZ_1M));
			return 0;
		}
		spill = want - res->vram;
		limit = min_u64(ram_room, swap_room);
		if (spill > limit) {
			snprintf(why, len,
				 "%llu MiB spill beyond VRAM, room for %llu MiB (RAM room %llu MiB, swap room %llu MiB)",
				 (unsigned long long)(spill / SZ_1M),
				 (unsigned long long)(limit / SZ_1M),
				 (unsigned long long)(ram_room / SZ_1M),
				 (unsigned long long)(swap_room / SZ_1M));
			return 0;
		}
		return want;

	case IGT_SHRINK_OVER_RAM:
		want = res->user_size ?: res->total_ram + res->total_ram / 2;
		want &= ~(TOTAL_ALIGN - 1);
		excess = want - min_u64(want, room(res->avail_ram, margin));
		if (excess > swap_room) {
			snprintf(why, len,
				 "%llu MiB beyond available RAM needs free swap, room for %llu MiB (free swap %llu MiB, margin %llu MiB)",
				 (unsigned long long)(excess / SZ_1M),
				 (unsigned long long)(swap_room / SZ_1M),
				 (unsigned long long)(res->free_swap / SZ_1M),
				 (unsigned long long)(margin / SZ_1M));
			return 0;
		}
		if (!want) {
			snprintf(why, len, "no RAM");
			return 0;
		}
		return want;
	}

	snprintf(why, len, "unknown target %d", target);
	return 0;
}

/**
 * igt_shrink_bo_size:
 * @total: total BO memory, bytes
 * @max_bo: the largest BO wanted, bytes
 * @align: BO size alignment, a power of two (at least the page size)
 *
 * Returns: the size of each BO: @max_bo or @total when smaller, rounded down
 * to @align but never below it. @total / result BOs cover @total but for a
 * remainder smaller than one BO.
 */
uint64_t igt_shrink_bo_size(uint64_t total, uint64_t max_bo, uint64_t align)
{
	uint64_t size = min_u64(total, max_bo) & ~(align - 1);

	return size < align ? align : size;
}

/**
 * igt_shrink_sample_offset:
 * @seed: the run's seed
 * @bo: BO index
 * @page: 4 KiB page index within the BO
 * @lane: 0 or 1
 *
 * One dword per page and lane, placed pseudo-randomly within the page so that
 * no fixed position (page start, cache line) is favoured. The two lanes of a
 * page always name different dwords: a GPU can write one and read the other.
 *
 * Returns: the byte offset in the BO, dword aligned, within @page.
 */
uint64_t igt_shrink_sample_offset(uint64_t seed, uint32_t bo, uint64_t page,
				  unsigned int lane)
{
	uint64_t h = igt_mix64(seed ^ igt_mix64(((uint64_t)bo << 40) ^ page));
	uint64_t dword = h % 1024;

	if (lane)
		dword = (dword + 1 + (h >> 32) % 1023) % 1024;

	return page * IGT_SHRINK_PAGE + dword * 4;
}

/**
 * igt_shrink_pattern_dword:
 * @seed: the seed the BO was filled with
 * @bo: BO index given to igt_bo_pattern_fill()
 * @offset: byte offset, dword aligned
 *
 * Returns: the dword igt_bo_pattern_fill() put at @offset (little-endian
 * 64-bit words, as a GPU reads them).
 */
uint32_t igt_shrink_pattern_dword(uint64_t seed, uint32_t bo, uint64_t offset)
{
	uint64_t w = igt_bo_pattern_word(seed, bo, offset / 8);

	return offset & 4 ? w >> 32 : (uint32_t)w;
}

/**
 * igt_shrink_gpu_dword:
 * @seed: the run's seed
 * @bo: BO index
 * @page: page index
 *
 * Returns: the dword a GPU writes at the lane 1 sample of @page; it always
 * differs from the pattern dword it replaces, so a lost GPU write shows.
 */
uint32_t igt_shrink_gpu_dword(uint64_t seed, uint32_t bo, uint64_t page)
{
	uint64_t offset = igt_shrink_sample_offset(seed, bo, page, 1);

	return igt_shrink_pattern_dword(seed, bo, offset) ^
	       ((uint32_t)igt_mix64(~seed ^ offset ^ ((uint64_t)bo << 48)) | 1);
}

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
