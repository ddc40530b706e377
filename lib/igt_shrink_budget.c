// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
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
 *
 * A test gives its subtests a timeout (igt_set_timeout()) and passes that
 * number here: igt_shrink_time_budget() makes the budget of it. A subtest is
 * sized from memory (igt_shrink_plan_memory(), by igt_shrink_size()), then,
 * for an automatic size, from the rates igt_shrink_probe() measured with the
 * test's own steps (igt_shrink_plan_time()).
 */

#include <inttypes.h>
#include <stdio.h>

#include "igt_core.h"
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
 * Sizes a subtest for @target. %IGT_SHRINK_SYSTEM, %IGT_SHRINK_NO_SWAP and
 * %IGT_SHRINK_FILL_RAM are sized by igt_shrink_budget_size(): less work on a
 * slow machine proves the same. %IGT_SHRINK_VRAM and %IGT_SHRINK_OVER_RAM must exceed VRAM or
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

	if (target != IGT_SHRINK_VRAM && target != IGT_SHRINK_OVER_RAM)
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

/**
 * igt_shrink_time_budget:
 * @timeout_s: the subtest's timeout, as given to igt_set_timeout()
 *
 * Returns: the seconds a subtest may plan to spend moving its BOs: a
 * %IGT_SHRINK_BUDGET_SHARE'th of @timeout_s.
 */
double igt_shrink_time_budget(unsigned int timeout_s)
{
	return (double)timeout_s / IGT_SHRINK_BUDGET_SHARE;
}

/* Runs @step, returns its rate in MiB/s, or 0 if it moved under half of @bytes */
static double probe_step(uint64_t (*step)(void *data), void *data, uint64_t bytes)
{
	struct timespec ts = {};
	uint64_t moved, ns;

	if (!step)
		return 0;
	igt_nsec_elapsed(&ts);
	moved = step(data);
	ns = igt_nsec_elapsed(&ts);
	if (moved * 2 < bytes || !ns)
		return 0;
	return (double)bytes / SZ_1M / (ns / 1e9);
}

/**
 * igt_shrink_probe:
 * @bytes: BO memory the steps move (%IGT_SHRINK_PROBE_BYTES)
 * @ops: the test's steps
 * @data: passed to each step
 *
 * Measures this machine's throughput now, through the same steps as the
 * subtests, in order: fill, shrink, swap-out (when @ops has one), swap-in.
 * A step that moved less than half of @bytes measured nothing and is 0. The
 * caller frees the probe's BOs afterwards. Prints the rates.
 *
 * Returns: the rates, for igt_shrink_plan_time().
 */
struct igt_shrink_rates igt_shrink_probe(uint64_t bytes,
					 const struct igt_shrink_probe_ops *ops,
					 void *data)
{
	struct igt_shrink_rates r;

	r.fill = probe_step(ops->fill, data, bytes);
	r.shrink = probe_step(ops->shrink, data, bytes);
	r.swap_out = probe_step(ops->swap_out, data, bytes);
	r.swap_in = probe_step(ops->swap_in, data, bytes);
	igt_info("probe on %" PRIu64 " MiB of BOs: fill %.0f MiB/s, shrink %.0f, swap-out %.0f, "
		 "swap-in + verify %.0f (0: not measured or moved too little)\n",
		 bytes / SZ_1M, r.fill, r.shrink, r.swap_out, r.swap_in);
	return r;
}

/**
 * igt_shrink_plan_memory:
 * @res: what the machine offers, and the size asked for (@res->user_size)
 * @target: what the BOs are for
 *
 * The first half of sizing a subtest: what memory allows
 * (igt_shrink_size()), printed with the figures it was taken from. Skips the
 * subtest with the reason when memory allows nothing.
 *
 * Returns: bytes of BOs; a size asked for is final, an automatic one goes on
 * to igt_shrink_plan_time().
 */
uint64_t igt_shrink_plan_memory(const struct igt_shrink_resources *res,
				enum igt_shrink_target target)
{
	char why[256];
	uint64_t total;

	total = igt_shrink_size(res, target, why, sizeof(why));
	igt_info("memory: RAM %" PRIu64 " MiB total, %" PRIu64 " MiB available, "
		 "free swap %" PRIu64 " MiB, VRAM %" PRIu64 " MiB: memory allows %" PRIu64 " MiB\n",
		 res->total_ram / SZ_1M, res->avail_ram / SZ_1M, res->free_swap / SZ_1M,
		 res->vram / SZ_1M, total / SZ_1M);
	igt_require_f(total, "not enough memory: %s\n", why);
	return total;
}

/**
 * igt_shrink_plan_time:
 * @rates: rates measured by igt_shrink_probe()
 * @target: what the BOs are for
 * @mem_bytes: what memory allows (igt_shrink_plan_memory())
 * @timeout_s: the subtest's timeout (igt_set_timeout()), of which
 *	       igt_shrink_time_budget() makes the budget
 * @passes: how many times the BOs go through the steps (rounds)
 * @min_bytes: the smallest size the budget cuts to
 *
 * The second half of sizing a subtest with an automatic size: what the time
 * budget allows (igt_shrink_budget_for()), printed. A size asked for on the
 * command line is not cut by time and does not come here. Skips the subtest
 * with the reason when the machine is too slow for a size that cannot be
 * cut.
 *
 * Returns: bytes of BOs.
 */
uint64_t igt_shrink_plan_time(const struct igt_shrink_rates *rates,
			      enum igt_shrink_target target, uint64_t mem_bytes,
			      unsigned int timeout_s, unsigned int passes,
			      uint64_t min_bytes)
{
	char why[256];
	uint64_t total;

	total = igt_shrink_budget_for(rates, target, igt_shrink_time_budget(timeout_s),
				      passes, mem_bytes, min_bytes, why, sizeof(why));
	igt_require_f(total, "%s\n", why);
	igt_info("size: %s\n", why);
	return total;
}
