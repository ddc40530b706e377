/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 igt-shrink authors
 */

#ifndef IGT_SHRINK_BUDGET_H
#define IGT_SHRINK_BUDGET_H

#include <stddef.h>
#include <stdint.h>

#include "igt_shrink_size.h"
#include "igt_sizes.h"

/**
 * struct igt_shrink_rates:
 * @fill: writing the BOs' pattern, MiB/s
 * @shrink: moving the BOs out of the driver (backup to shmem), MiB/s
 * @swap_out: pushing that backup to swap, MiB/s
 * @swap_in: reading the BOs back from swap and checking them, MiB/s
 *
 * Throughput measured on this machine, now; 0 for a step not measured (or
 * that moved nothing), which then costs nothing in the estimate.
 */
struct igt_shrink_rates {
	double fill;
	double shrink;
	double swap_out;
	double swap_in;
};

/**
 * IGT_SHRINK_BUDGET_SHARE:
 *
 * The time budget of a subtest is its timeout divided by this
 * (igt_shrink_time_budget()): a wide margin for a phase that runs slower
 * than the probe did.
 */
#define IGT_SHRINK_BUDGET_SHARE 5

/**
 * IGT_SHRINK_TOO_SLOW:
 *
 * How many times its time budget a size that cannot be cut (VRAM, over-RAM)
 * may be estimated to take before igt_shrink_budget_for() gives it up: with
 * a budget of a fifth of the timeout, the estimate then passes 80% of it.
 */
#define IGT_SHRINK_TOO_SLOW 4

/**
 * IGT_SHRINK_PROBE_BYTES:
 *
 * BO memory a rate probe moves (igt_shrink_probe()), and the smallest size
 * the time budget cuts a quick subtest to.
 */
#define IGT_SHRINK_PROBE_BYTES ((uint64_t)SZ_16M)

/**
 * struct igt_shrink_probe_ops:
 * @fill: creates the probe's BOs and writes their pattern
 * @shrink: moves them out of the driver (backup to shmem)
 * @swap_out: pushes that backup on to swap; NULL when the subtest does not
 *	      swap (not measured)
 * @swap_in: reads them back and checks them
 *
 * The steps of a subtest, taken by igt_shrink_probe() on the probe's BOs.
 * Each gets the probe's data pointer and returns the bytes it moved: a step
 * that moved less than half the probe measured nothing.
 */
struct igt_shrink_probe_ops {
	uint64_t (*fill)(void *data);
	uint64_t (*shrink)(void *data);
	uint64_t (*swap_out)(void *data);
	uint64_t (*swap_in)(void *data);
};

double igt_shrink_seconds_per_mib(const struct igt_shrink_rates *r);
uint64_t igt_shrink_budget_size(const struct igt_shrink_rates *r,
				double budget_s, unsigned int passes,
				uint64_t mem_bytes, uint64_t min_bytes,
				char *why, size_t len);

uint64_t igt_shrink_budget_for(const struct igt_shrink_rates *r,
			       enum igt_shrink_target target, double budget_s,
			       unsigned int passes, uint64_t mem_bytes,
			       uint64_t min_bytes, char *why, size_t len);

double igt_shrink_time_budget(unsigned int timeout_s);
struct igt_shrink_rates igt_shrink_probe(uint64_t bytes,
					 const struct igt_shrink_probe_ops *ops,
					 void *data);
uint64_t igt_shrink_plan_memory(const struct igt_shrink_resources *res,
				enum igt_shrink_target target);
uint64_t igt_shrink_plan_time(const struct igt_shrink_rates *rates,
			      enum igt_shrink_target target, uint64_t mem_bytes,
			      unsigned int timeout_s, unsigned int passes,
			      uint64_t min_bytes);

#endif /* IGT_SHRINK_BUDGET_H */
