// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 */

/**
 * SECTION:igt_shrink_sample
 * @short_description: Which dword of each page a GPU samples, and its value
 * @title: shrink samples
 * @include: igt_shrink_sample.h
 *
 * A GPU cannot check every word of a BO at CPU speed, so it looks at one
 * dword per 4 KiB page and lane, placed pseudo-randomly within the page
 * (igt_shrink_sample_offset()): every page of every BO is looked at by the
 * GPU. The values are those igt_bo_pattern_fill() wrote
 * (igt_shrink_pattern_dword()), or a value a GPU writes that always differs
 * from them (igt_shrink_gpu_dword()).
 */

#include "igt_bo_pattern.h"
#include "igt_shrink_sample.h"

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
