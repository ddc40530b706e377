// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink contributors
 */

/**
 * SECTION:igt_shrink_budget
 * @short_description: Size a subtest from a time budget as well as memory
 * @title: time budget
 * @include: igt_shrink_budget.h
 *
 * A subtest sized from memory alone takes as long as the machine is slow: a
 * loaded CI host swapped in at 3.4 MiB/s where a quiet one does 48. The test
 * measures the throughput it actually gets early (on a small probe: fill,
 * shrink, swap-out, swap-in) and takes the largest size that fits both the
 * memory bound and a time budget, the budget being a fraction of the
 * subtest's timeout so that a slower phase later still fits.
 */

#include <stdio.h>

#include "igt_shrink_budget.h"
#include "igt_sizes.h"


static double cost(double rate)
{
	return rate > 0 ? 1.0 / rate : 0;
}

/**
 * igt_shrink_seconds_per_mib:
 * @r: measured rates
 *
 * Returns: the time one MiB of BOs takes through every measured step.
 */
double igt_shrink_seconds_per_mib(const struct igt_shrink_rates *r)
{
	return cost(r->fill) + cost(r->shrink) + cost(r->swap_out) + cost(r->swap_in);
}

/**
 * igt_shrink_budget_size:
 * @r: rates measured on this machine
 * @budget_s: seconds the work may take
 * @passes: how many times the BOs go through the steps (rounds)
 * @mem_bytes: the size memory allows
 * @min_bytes: the smallest size worth running, used even when the budget
 *	       allows less (the subtest's timeout is the real bound)
 * @why: receives a line saying what limited the size, for the log
 * @len: size of @why
 *
 * Returns: bytes of BOs to use, a multiple of 1 MiB: the smaller of
 * @mem_bytes and what fits @budget_s at the measured rates, but at least
 * @min_bytes (and never more than @mem_bytes).
 */
uint64_t igt_shrink_budget_size(const struct igt_shrink_rates *r,
				double budget_s, unsigned int passes,
				uint64_t mem_bytes, uint64_t min_bytes,
				char *why, size_t len)
{
	double per_mib = igt_shrink_seconds_per_mib(r) * (passes ? passes : 1);
	uint64_t by_time = per_mib > 0 ? (uint64_t)(budget_s / per_mib) * SZ_1M : mem_bytes;
	uint64_t bytes = by_time < mem_bytes ? by_time : mem_bytes;

	if (bytes < min_bytes)
		bytes = min_bytes < mem_bytes ? min_bytes : mem_bytes;
	bytes &= ~(SZ_1M - 1);
	snprintf(why, len, "time budget %.0f s at %.3f s/MiB x %u pass(es) allows %llu MiB, "
		 "memory %llu MiB: using %llu MiB (%s)", budget_s, per_mib / (passes ? passes : 1),
		 passes ? passes : 1, (unsigned long long)(by_time / SZ_1M),
		 (unsigned long long)(mem_bytes / SZ_1M), (unsigned long long)(bytes / SZ_1M),
		 bytes < mem_bytes ? "time-bound" : "memory-bound");
	return bytes;
}

/**
 * igt_shrink_budget_for:
 * @r: rates measured on this machine
 * @target: what the size is for
 * @budget_s: seconds the work may take
 * @passes: how many times the BOs go through the steps
 * @mem_bytes: the size memory allows (igt_shrink_size())
 * @min_bytes: the smallest size worth running
 * @why: receives a line giving the budget and the choice, for the log
 * @len: size of @why
 *
 * Sizes a subtest for @target. %IGT_SHRINK_SYSTEM and %IGT_SHRINK_NO_SWAP
 * are sized by igt_shrink_budget_size(): less work on a slow machine proves
 * the same. %IGT_SHRINK_VRAM and %IGT_SHRINK_OVER_RAM must exceed VRAM or
 * RAM to prove anything, so their size stays @mem_bytes, and @why gives the
 * time it is estimated to take against the budget; when that estimate is
 * more than %IGT_SHRINK_TOO_SLOW times the budget, the machine is too slow
 * for the size (the subtest would hit its timeout, not find lost data), and
 * the result is 0, @why saying so.
 *
 * Returns: bytes of BOs to use, 0 when the machine is too slow for @target.
 */
uint64_t igt_shrink_budget_for(const struct igt_shrink_rates *r,
			       enum igt_shrink_target target, double budget_s,
			       unsigned int passes, uint64_t mem_bytes,
			       uint64_t min_bytes, char *why, size_t len)
{
	const char *what = target == IGT_SHRINK_VRAM ? "VRAM" : "RAM";
	double est;

	if (target == IGT_SHRINK_SYSTEM || target == IGT_SHRINK_NO_SWAP)
		return igt_shrink_budget_size(r, budget_s, passes, mem_bytes, min_bytes,
					      why, len);

	est = igt_shrink_seconds_per_mib(r) * (passes ? passes : 1) * (mem_bytes / SZ_1M);
	if (est > IGT_SHRINK_TOO_SLOW * budget_s) {
		snprintf(why, len, "too slow: estimated %.0f s at %.3f s/MiB for %llu MiB, "
			 "over %d times the time budget of %.0f s, and the size must exceed %s",
			 est, igt_shrink_seconds_per_mib(r),
			 (unsigned long long)(mem_bytes / SZ_1M), IGT_SHRINK_TOO_SLOW,
			 budget_s, what);
		return 0;
	}
	snprintf(why, len, "time budget %.0f s, estimated %.0f s at %.3f s/MiB for %llu MiB "
		 "(%s: the size must exceed %s, not cut to the budget)", budget_s, est,
		 igt_shrink_seconds_per_mib(r), (unsigned long long)(mem_bytes / SZ_1M),
		 est > budget_s ? "over budget" : "within budget", what);
	return mem_bytes;
}
