// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 */

/**
 * SECTION:igt_shrink_size
 * @short_description: How much BO memory a shrinker test uses
 * @title: shrink sizes
 * @include: igt_shrink_size.h
 *
 * The one sizing policy of the shrinker tests: how much BO memory to use,
 * from free RAM, free swap and VRAM, with a margin that keeps the rest of the
 * system alive and a cap that keeps the quick tests quick (igt_shrink_size()),
 * and how to cut that total into BOs (igt_shrink_bo_size()). A size given on
 * the command line replaces the automatic one and is held to the same
 * limits. The time a size takes is igt_shrink_budget's concern.
 */

#include <stdio.h>

#include "igt_shrink_size.h"
#include "igt_sizes.h"
#include "igt_vmstat.h"

#define MIN_MARGIN SZ_256M
#define MIN_TOTAL SZ_32M
#define TOTAL_ALIGN SZ_2M

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/**
 * igt_shrink_resources_now:
 * @res: receives the machine's RAM and swap
 *
 * Fills @res->total_ram (MemTotal), @res->avail_ram (MemAvailable alone: the
 * page cache, shmem included, is nothing a shrinker test can count on) and
 * @res->free_swap (SwapFree) from /proc/meminfo, and sets @res->cap to
 * %IGT_SHRINK_CAP. The VRAM and a size asked for are the caller's to set.
 * Purge the caches first (igt_purge_vm_caches()) for a repeatable figure.
 */
void igt_shrink_resources_now(struct igt_shrink_resources *res)
{
	res->total_ram = igt_meminfo_kb("MemTotal") * SZ_1K;
	res->avail_ram = igt_meminfo_kb("MemAvailable") * SZ_1K;
	res->free_swap = igt_meminfo_kb("SwapFree") * SZ_1K;
	res->cap = IGT_SHRINK_CAP;
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
 *   available RAM less the margin must fit the free swap less the margin;
 * - %IGT_SHRINK_FILL_RAM: 90% of the available RAM; the swap it needs is
 *   checked by the caller on the size it finally uses.
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

	case IGT_SHRINK_FILL_RAM:
		limit = res->avail_ram / 10 * 9;
		want = res->user_size ?: limit;
		want &= ~(TOTAL_ALIGN - 1);
		if (!want || want > limit) {
			snprintf(why, len, "%llu MiB asked, room for %llu MiB (90%% of %llu MiB available)",
				 (unsigned long long)(want / SZ_1M),
				 (unsigned long long)(limit / SZ_1M),
				 (unsigned long long)(res->avail_ram / SZ_1M));
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
