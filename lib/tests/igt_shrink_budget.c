// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 *
 * Sizing from a time budget: with the rates of a quiet TCG guest (fill 190,
 * shrink 240, swap-out 160, swap-in 60 MiB/s) memory is the bound; with
 * those of the loaded CI run that timed out (swap-in at 3.4 MiB/s) the
 * budget is, and the chosen size fits it; rounds divide it; an unmeasured
 * step costs nothing; the floor never exceeds what memory allows. Per
 * target (igt_shrink_budget_for(), xe_evict_shrink's sizing): system and
 * no-swap sizes are cut to the budget, VRAM and over-RAM sizes (which must
 * exceed VRAM or RAM) are kept and the log line says whether they fit.
 * The budget is a fifth of the subtest's timeout; the probe rates each step
 * of a test's own and leaves out one that moved under half the probe.
 */

#include <stdint.h>
#include <time.h>

#include "igt_shrink_budget.h"
#include "igt_tests_common.h"


static void test_targets(void)
{
	struct igt_shrink_rates loaded = { 19, 24, 16, 3.4 };
	struct igt_shrink_rates quiet = { 190, 240, 160, 60 };
	char why[256];
	uint64_t b;

	/* system: the loaded machine gets what fits 60 s, printed as such */
	b = igt_shrink_budget_for(&loaded, IGT_SHRINK_SYSTEM, 60, 1, 512 * MiB, 16 * MiB,
				  why, sizeof(why));
	printf("system, loaded: %s\n", why);
	check(b < 512 * MiB && b >= 16 * MiB, NULL);
	check(b / MiB * igt_shrink_seconds_per_mib(&loaded) <= 60, NULL);
	check(strstr(why, "time budget 60 s") && strstr(why, "time-bound"), NULL);
	check(b == igt_shrink_budget_size(&loaded, 60, 1, 512 * MiB, 16 * MiB, why,
					  sizeof(why)), NULL);

	/* three rounds (cycles) get a third */
	check(igt_shrink_budget_for(&loaded, IGT_SHRINK_SYSTEM, 60, 3, 512 * MiB, 0, why,
				    sizeof(why)) / MiB <= b / MiB / 3 + 1, NULL);

	/* no swap: the swap steps are not measured, fill + shrink only */
	{
		struct igt_shrink_rates noswap = { 19, 24, 0, 0 };

		b = igt_shrink_budget_for(&noswap, IGT_SHRINK_NO_SWAP, 60, 1, 4096 * MiB,
					  16 * MiB, why, sizeof(why));
		check(b / MiB == (uint64_t)(60 / (1 / 19.0 + 1 / 24.0)), NULL);
	}

	/* quiet machine: memory is the bound */
	b = igt_shrink_budget_for(&quiet, IGT_SHRINK_SYSTEM, 60, 1, 512 * MiB, 16 * MiB,
				  why, sizeof(why));
	check(b == 512 * MiB && strstr(why, "memory-bound"), NULL);

	/* over-RAM and VRAM keep their size and say whether it fits */
	b = igt_shrink_budget_for(&quiet, IGT_SHRINK_OVER_RAM, 30, 1, 1536 * MiB, 16 * MiB,
				  why, sizeof(why));
	printf("over-ram, quiet, 30 s: %s\n", why);
	check(b == 1536 * MiB && strstr(why, "over budget") && strstr(why, "exceed RAM"), NULL);

	/* ... unless the estimate passes IGT_SHRINK_TOO_SLOW budgets: then 0 */
	b = igt_shrink_budget_for(&loaded, IGT_SHRINK_OVER_RAM, 60, 1, 1536 * MiB, 16 * MiB,
				  why, sizeof(why));
	printf("over-ram, loaded: %s\n", why);
	check(b == 0 && strstr(why, "too slow") && strstr(why, "exceed RAM"), NULL);
	check(igt_shrink_budget_for(&loaded, IGT_SHRINK_VRAM, 60, 1,
				    (uint64_t)(IGT_SHRINK_TOO_SLOW * 60 /
					       igt_shrink_seconds_per_mib(&loaded)) * MiB,
				    16 * MiB, why, sizeof(why)) != 0, NULL);
	b = igt_shrink_budget_for(&quiet, IGT_SHRINK_VRAM, 600, 1, 1536 * MiB, 16 * MiB,
				  why, sizeof(why));
	printf("vram, quiet: %s\n", why);
	check(b == 1536 * MiB && strstr(why, "within budget") && strstr(why, "exceed VRAM"),
	      NULL);
}

/* A fake probe: each step "moves" what the table says, and takes 10 ms */
static uint64_t moves[4];
static int steps_run;

static uint64_t step(int i)
{
	struct timespec t = { 0, 10 * 1000 * 1000 };

	nanosleep(&t, NULL);
	steps_run |= 1 << i;
	return moves[i];
}

static uint64_t fake_fill(void *data) { return step(0); }
static uint64_t fake_shrink(void *data) { return step(1); }
static uint64_t fake_swap_out(void *data) { return step(2); }
static uint64_t fake_swap_in(void *data) { return step(3); }

static void test_probe(void)
{
	struct igt_shrink_probe_ops ops = {
		.fill = fake_fill, .shrink = fake_shrink,
		.swap_out = fake_swap_out, .swap_in = fake_swap_in,
	};
	struct igt_shrink_rates r;

	/* every step moved the probe: 16 MiB in about 10 ms each */
	for (int i = 0; i < 4; i++)
		moves[i] = IGT_SHRINK_PROBE_BYTES;
	r = igt_shrink_probe(IGT_SHRINK_PROBE_BYTES, &ops, NULL);
	check(steps_run == 15, NULL);
	check(r.fill > 0 && r.fill < 1700, NULL);
	check(r.shrink > 0 && r.swap_out > 0 && r.swap_in > 0, NULL);

	/* a shrink that moved under half the probe measured nothing */
	moves[1] = IGT_SHRINK_PROBE_BYTES / 2 - 4096;
	r = igt_shrink_probe(IGT_SHRINK_PROBE_BYTES, &ops, NULL);
	check(r.shrink == 0 && r.fill > 0, NULL);
	moves[1] = IGT_SHRINK_PROBE_BYTES / 2;
	r = igt_shrink_probe(IGT_SHRINK_PROBE_BYTES, &ops, NULL);
	check(r.shrink > 0, NULL);

	/* no swap-out step: not run, not measured */
	steps_run = 0;
	ops.swap_out = NULL;
	r = igt_shrink_probe(IGT_SHRINK_PROBE_BYTES, &ops, NULL);
	check(steps_run == (1 | 2 | 8) && r.swap_out == 0, NULL);
}

int main(void)
{
	struct igt_shrink_rates quiet = { 190, 240, 160, 60 };
	struct igt_shrink_rates loaded = { 19, 24, 16, 3.4 };
	struct igt_shrink_rates fill_only = { 100, 0, 0, 0 };
	struct igt_shrink_rates none = { 0 };
	char why[256];
	uint64_t b;

	b = igt_shrink_budget_size(&quiet, 56, 1, 256 * MiB, 16 * MiB, why, sizeof(why));
	printf("quiet: %s\n", why);
	check(b == 256 * MiB, NULL);

	b = igt_shrink_budget_size(&loaded, 56, 1, 900 * MiB, 16 * MiB, why, sizeof(why));
	printf("loaded: %s\n", why);
	check(b < 900 * MiB && b >= 16 * MiB, NULL);
	check(b / MiB * igt_shrink_seconds_per_mib(&loaded) <= 56, NULL);
	check(strstr(why, "time-bound") != NULL, NULL);

	/* three rounds: a third of the size, within a MiB of rounding */
	check(igt_shrink_budget_size(&loaded, 56, 3, 900 * MiB, 0, why, sizeof(why)) / MiB <=
	      b / MiB / 3 + 1, NULL);

	b = igt_shrink_budget_size(&fill_only, 10, 1, 4096 * MiB, 0, why, sizeof(why));
	check(b == 1000 * MiB, NULL);
	check(igt_shrink_budget_size(&none, 10, 1, 64 * MiB, 0, why, sizeof(why)) == 64 * MiB,
	      NULL);

	/* the floor, but never above the memory bound */
	check(igt_shrink_budget_size(&loaded, 1, 1, 900 * MiB, 16 * MiB, why, sizeof(why)) ==
	      16 * MiB, NULL);
	check(igt_shrink_budget_size(&loaded, 1, 1, 8 * MiB, 16 * MiB, why, sizeof(why)) ==
	      8 * MiB, NULL);
	test_targets();
	test_probe();

	/* the budget is a fifth of the subtest's timeout, as 60 s of 300 s */
	check(igt_shrink_time_budget(300) == 60, NULL);
	check(igt_shrink_time_budget(280) == 56, NULL);
	check(igt_shrink_time_budget(0) == 0, NULL);

	/* too slow is 80% of the timeout */
	check(IGT_SHRINK_TOO_SLOW * igt_shrink_time_budget(300) == 240, NULL);

	/* near all of RAM is cut by time like the quick subtests */
	b = igt_shrink_budget_for(&loaded, IGT_SHRINK_FILL_RAM, 56, 1, 720 * MiB, 64 * MiB,
				  why, sizeof(why));
	check(b < 720 * MiB && b >= 64 * MiB && strstr(why, "time-bound"), NULL);
	return checks_done("igt_shrink_budget");
}
