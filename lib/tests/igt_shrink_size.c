// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 *
 * Shrink sizes: sizing from RAM, swap and VRAM (margin, cap, refusals with a
 * reason) for every target, and BO sizes.
 */

#include "igt_shrink_size.h"
#include "igt_tests_common.h"


static void test_sizes(void)
{
	struct igt_shrink_resources r = {
		.total_ram = 16 * GiB, .avail_ram = 12 * GiB,
		.free_swap = 8 * GiB, .cap = 512 * MiB,
	};
	char why[256];
	uint64_t s;

	/* margin: 1/16 of available, at least 256 MiB */
	check(igt_shrink_margin(12 * GiB) == 768 * MiB, NULL);
	check(igt_shrink_margin(1 * GiB) == 256 * MiB, NULL);

	/* quick subtests: a quarter of free RAM, capped */
	check(igt_shrink_size(&r, IGT_SHRINK_SYSTEM, why, sizeof(why)) == 512 * MiB, NULL);
	r.cap = 0;
	check(igt_shrink_size(&r, IGT_SHRINK_SYSTEM, why, sizeof(why)) == 3 * GiB, NULL);

	/*
	 * swap limits the system target, not the no-swap one; the swap margin
	 * is at most a quarter of the free swap (768 MiB of RAM margin here)
	 */
	r.free_swap = 1 * GiB;
	s = igt_shrink_size(&r, IGT_SHRINK_SYSTEM, why, sizeof(why));
	check(s == 768 * MiB, NULL);
	check(igt_shrink_size(&r, IGT_SHRINK_NO_SWAP, why, sizeof(why)) == 3 * GiB, NULL);
	r.free_swap = 0;
	check(igt_shrink_size(&r, IGT_SHRINK_SYSTEM, why, sizeof(why)) == 0, NULL);
	check(strstr(why, "swap room 0 MiB") != NULL, NULL);

	/* a small guest with a 96 MiB swap disk still gets a test */
	{
		struct igt_shrink_resources small = {
			.total_ram = 959 * MiB, .avail_ram = 794 * MiB,
			.free_swap = 94 * MiB, .cap = 512 * MiB,
		};

		s = igt_shrink_size(&small, IGT_SHRINK_SYSTEM, why, sizeof(why));
		printf("small swap: %llu MiB\n", (unsigned long long)(s / MiB));
		check(s >= 32 * MiB && s <= 94 * MiB * 3 / 4, NULL);
	}

	/* a user size beyond the room is refused, with the figures */
	r.free_swap = 8 * GiB;
	r.user_size = 6 * GiB;
	check(igt_shrink_size(&r, IGT_SHRINK_SYSTEM, why, sizeof(why)) == 0, NULL);
	check(strstr(why, "6144 MiB asked") != NULL, NULL);
	r.user_size = 100 * MiB + 5;
	check(igt_shrink_size(&r, IGT_SHRINK_SYSTEM, why, sizeof(why)) == 100 * MiB, NULL);
	r.user_size = 0;

	/* too little memory */
	r.avail_ram = 300 * MiB;
	check(igt_shrink_size(&r, IGT_SHRINK_NO_SWAP, why, sizeof(why)) == 0, NULL);
	check(strstr(why, "need 32 MiB") != NULL, NULL);
	r.avail_ram = 12 * GiB;

	/* VRAM: 1.25x, the spill must fit RAM and swap */
	check(igt_shrink_size(&r, IGT_SHRINK_VRAM, why, sizeof(why)) == 0, NULL);
	check(strcmp(why, "no VRAM") == 0, NULL);
	r.vram = 4 * GiB;
	check(igt_shrink_size(&r, IGT_SHRINK_VRAM, why, sizeof(why)) == 5 * GiB, NULL);
	r.vram = 16 * GiB;
	r.free_swap = 2 * GiB;
	check(igt_shrink_size(&r, IGT_SHRINK_VRAM, why, sizeof(why)) == 0, NULL);
	check(strstr(why, "4096 MiB spill") != NULL, NULL);
	r.user_size = 8 * GiB;
	check(igt_shrink_size(&r, IGT_SHRINK_VRAM, why, sizeof(why)) == 0, NULL);
	check(strstr(why, "does not exceed VRAM") != NULL, NULL);
	r.user_size = 0;
	r.vram = 0;

	/* over-RAM: 1.5x RAM, the excess over available RAM needs swap */
	r.free_swap = 8 * GiB;
	check(igt_shrink_size(&r, IGT_SHRINK_OVER_RAM, why, sizeof(why)) == 0, NULL);
	check(strstr(why, "needs free swap") != NULL, NULL);
	r.free_swap = 14 * GiB;
	check(igt_shrink_size(&r, IGT_SHRINK_OVER_RAM, why, sizeof(why)) == 24 * GiB, NULL);

	/* near all of RAM: 90% of available, a size asked for within it */
	r.avail_ram = 800 * MiB;
	s = igt_shrink_size(&r, IGT_SHRINK_FILL_RAM, why, sizeof(why));
	check(s == 720 * MiB, NULL);
	r.user_size = 100 * MiB;
	check(igt_shrink_size(&r, IGT_SHRINK_FILL_RAM, why, sizeof(why)) == 100 * MiB, NULL);
	r.user_size = 730 * MiB;
	check(igt_shrink_size(&r, IGT_SHRINK_FILL_RAM, why, sizeof(why)) == 0, NULL);
	check(strstr(why, "730 MiB asked") != NULL, NULL);
	r.user_size = 0;
	r.avail_ram = 12 * GiB;

	/* BO sizes */
	check(igt_shrink_bo_size(512 * MiB, 64 * MiB, 2 * MiB) == 64 * MiB, NULL);
	check(igt_shrink_bo_size(40 * MiB, 64 * MiB, 2 * MiB) == 40 * MiB, NULL);
	check(igt_shrink_bo_size(41 * MiB, 64 * MiB, 2 * MiB) == 40 * MiB, NULL);
	check(igt_shrink_bo_size(1 * MiB, 64 * MiB, 2 * MiB) == 2 * MiB, NULL);
}

int main(void)
{
	test_sizes();
	return checks_done("igt_shrink_size");
}
