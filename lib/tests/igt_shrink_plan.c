// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 *
 * Shrink plan: sizing from RAM, swap and VRAM (margin, cap, refusals with a
 * reason), one sample per 4 KiB page and lane inside its page, lanes never
 * equal, GPU values never equal to the pattern, and the verdicts on recorded
 * counter deltas, "nothing was shrunk" included.
 */

#include "igt_bo_pattern.h"
#include "igt_shrink_plan.h"
#include "igt_vmstat.h"
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

	/* BO sizes */
	check(igt_shrink_bo_size(512 * MiB, 64 * MiB, 2 * MiB) == 64 * MiB, NULL);
	check(igt_shrink_bo_size(40 * MiB, 64 * MiB, 2 * MiB) == 40 * MiB, NULL);
	check(igt_shrink_bo_size(41 * MiB, 64 * MiB, 2 * MiB) == 40 * MiB, NULL);
	check(igt_shrink_bo_size(1 * MiB, 64 * MiB, 2 * MiB) == 2 * MiB, NULL);
}

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

static struct igt_vmstat *delta(int64_t shmem_kb, int64_t out, int64_t zout,
				int64_t in, int64_t zin)
{
	struct igt_vmstat *d = igt_vmstat_new();

	igt_vmstat_set(d, "meminfo.Shmem", shmem_kb);
	igt_vmstat_set(d, "pswpout", out);
	igt_vmstat_set(d, "zswpout", zout);
	igt_vmstat_set(d, "pswpin", in);
	igt_vmstat_set(d, "zswpin", zin);
	return d;
}

static enum igt_shrink_verdict judge(struct igt_vmstat *trigger,
				     struct igt_vmstat *restore,
				     uint64_t pages, enum igt_shrink_expect e)
{
	struct igt_shrink_counts c;

	igt_shrink_count_trigger(&c, trigger);
	igt_shrink_count_restore(&c, restore);
	igt_vmstat_free(trigger);
	igt_vmstat_free(restore);
	return igt_shrink_judge(&c, pages, e, 80);
}

static void test_verdicts(void)
{
	struct igt_shrink_counts c;
	struct igt_vmstat *d = delta(4000, 10, 5, 0, 0);

	igt_shrink_count_trigger(&c, d);
	check(c.backed_up == 1000 && c.swapped == 15, NULL);
	igt_vmstat_free(d);
	d = delta(-4000, 0, 0, 30, 2);
	igt_shrink_count_restore(&c, d);
	check(c.restored == 1032, NULL);
	igt_vmstat_free(d);

	/* drop_caches: 1000 pages backed up and restored */
	check(judge(delta(4000, 0, 0, 0, 0), delta(-4000, 0, 0, 0, 0), 1000,
		    IGT_SHRINK_EXPECT_BACKUP) == IGT_SHRINK_OK, NULL);
	/* backed up, then partly swapped: still all shrunk */
	check(judge(delta(1600, 600, 0, 0, 0), delta(-1600, 0, 0, 600, 0), 1000,
		    IGT_SHRINK_EXPECT_BACKUP) == IGT_SHRINK_OK, NULL);
	/* nothing moved at all */
	check(judge(delta(0, 0, 0, 0, 0), delta(0, 0, 0, 0, 0), 1000,
		    IGT_SHRINK_EXPECT_BACKUP) == IGT_SHRINK_NOTHING, NULL);
	check(judge(delta(-40, 0, 0, 0, 0), delta(12, 0, 0, 0, 0), 1000,
		    IGT_SHRINK_EXPECT_SWAP) == IGT_SHRINK_NOTHING, NULL);
	/* 70% < 80% */
	check(judge(delta(2800, 0, 0, 0, 0), delta(-2800, 0, 0, 0, 0), 1000,
		    IGT_SHRINK_EXPECT_BACKUP) == IGT_SHRINK_SHORT, NULL);
	/* shrunk but never restored */
	check(judge(delta(4000, 0, 0, 0, 0), delta(0, 0, 0, 0, 0), 1000,
		    IGT_SHRINK_EXPECT_BACKUP) == IGT_SHRINK_SHORT, NULL);

	/* reclaim: swapped through zswap counts, shmem alone does not */
	check(judge(delta(0, 0, 900, 0, 0), delta(0, 0, 0, 0, 900), 1000,
		    IGT_SHRINK_EXPECT_SWAP) == IGT_SHRINK_OK, NULL);
	check(judge(delta(4000, 0, 0, 0, 0), delta(-4000, 0, 0, 0, 0), 1000,
		    IGT_SHRINK_EXPECT_SWAP) == IGT_SHRINK_SHORT, NULL);

	/* pressure: only the restore counts, swap-out alone proves nothing */
	check(judge(delta(0, 50000, 0, 0, 0), delta(0, 0, 0, 0, 0), 1000,
		    IGT_SHRINK_EXPECT_SOME) == IGT_SHRINK_NOTHING, NULL);
	check(judge(delta(0, 50000, 0, 0, 0), delta(0, 0, 0, 1, 0), 1000,
		    IGT_SHRINK_EXPECT_SOME) == IGT_SHRINK_OK, NULL);

	/* no swap: noise up to 5% */
	check(judge(delta(100, 0, 0, 0, 0), delta(-100, 0, 0, 0, 0), 1000,
		    IGT_SHRINK_EXPECT_NONE) == IGT_SHRINK_OK, NULL);
	check(judge(delta(400, 0, 0, 0, 0), delta(-400, 0, 0, 0, 0), 1000,
		    IGT_SHRINK_EXPECT_NONE) == IGT_SHRINK_UNEXPECTED, NULL);

	check(!strcmp(igt_shrink_verdict_name(IGT_SHRINK_NOTHING), "nothing shrunk"), NULL);
}

int main(int argc, char **argv)
{
	test_sizes();
	test_samples();
	test_dwords();
	test_verdicts();
	return checks_done("igt_shrink_plan");
}
