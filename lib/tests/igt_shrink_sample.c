// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 *
 * Shrink samples: one per 4 KiB page and lane inside its page, lanes never
 * equal, pattern dwords as the fill wrote them, GPU values never equal to
 * the pattern.
 */

#include "igt_bo_pattern.h"
#include "igt_shrink_sample.h"
#include "igt_tests_common.h"


static void test_samples(void)
{
	int spread[1024 / 64] = { };
	uint64_t pages = 4096;

	for (uint32_t bo = 0; bo < 3; bo++) {
		for (uint64_t p = 0; p < pages; p++) {
			uint64_t a = igt_shrink_sample_offset(7, bo, p, 0);
			uint64_t b = igt_shrink_sample_offset(7, bo, p, 1);

			check(a / 4096 == p && b / 4096 == p, NULL);
			check(a % 4 == 0 && b % 4 == 0, NULL);
			check(a != b, NULL);
			check(a == igt_shrink_sample_offset(7, bo, p, 0), NULL);
			spread[(a % 4096) / 256]++;
		}
	}
	/* every 256-byte slice of a page gets used, none favoured */
	for (int i = 0; i < 16; i++)
		check(spread[i] > 3 * pages / 16 / 2 && spread[i] < 3 * pages / 16 * 2, NULL);

	/* seeds and BOs change the plan */
	{
		int same_seed = 0, same_bo = 0;

		for (uint64_t p = 0; p < 256; p++) {
			same_seed += igt_shrink_sample_offset(1, 0, p, 0) ==
				     igt_shrink_sample_offset(2, 0, p, 0);
			same_bo += igt_shrink_sample_offset(1, 0, p, 0) ==
				   igt_shrink_sample_offset(1, 1, p, 0);
		}
		check(same_seed < 16 && same_bo < 16, NULL);
	}
}

static void test_dwords(void)
{
	uint64_t buf[1024];
	const uint32_t *dw = (const uint32_t *)buf;

	igt_bo_pattern_fill(buf, sizeof(buf), 99, 5);
	for (uint64_t off = 0; off < sizeof(buf); off += 4)
		check(igt_shrink_pattern_dword(99, 5, off) == dw[off / 4], NULL);

	for (uint64_t p = 0; p < 1000; p++) {
		uint64_t off = igt_shrink_sample_offset(99, 5, p, 1);

		check(igt_shrink_gpu_dword(99, 5, p) !=
		      igt_shrink_pattern_dword(99, 5, off), NULL);
	}
}

int main(void)
{
	test_samples();
	test_dwords();
	return checks_done("igt_shrink_sample");
}
