// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink contributors
 *
 * Sizing from a time budget: with the rates of a quiet TCG guest (fill 190,
 * shrink 240, swap-out 160, swap-in 60 MiB/s) memory is the bound; with
 * those of the loaded CI run that timed out (swap-in at 3.4 MiB/s) the
 * budget is, and the chosen size fits it; rounds divide it; an unmeasured
 * step costs nothing; the floor never exceeds what memory allows. Per
 * target (igt_shrink_budget_for(), xe_evict_shrink's sizing): system and
 * no-swap sizes are cut to the budget, VRAM and over-RAM sizes (which must
 * exceed VRAM or RAM) are kept and the log line says whether they fit.
 */

#include <stdint.h>

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
	return checks_done("igt_shrink_budget");
}
