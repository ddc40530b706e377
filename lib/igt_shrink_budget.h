/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 igt-shrink contributors
 */

#ifndef IGT_SHRINK_BUDGET_H
#define IGT_SHRINK_BUDGET_H

#include <stddef.h>
#include <stdint.h>

#include "igt_shrink_plan.h"

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
 * IGT_SHRINK_TOO_SLOW:
 *
 * How many times its time budget a size that cannot be cut (VRAM, over-RAM)
 * may be estimated to take before igt_shrink_budget_for() gives it up: with
 * a budget of a fifth of the timeout, the estimate then passes 80% of it.
 */
#define IGT_SHRINK_TOO_SLOW 4

double igt_shrink_seconds_per_mib(const struct igt_shrink_rates *r);
uint64_t igt_shrink_budget_size(const struct igt_shrink_rates *r,
				double budget_s, unsigned int passes,
				uint64_t mem_bytes, uint64_t min_bytes,
				char *why, size_t len);

uint64_t igt_shrink_budget_for(const struct igt_shrink_rates *r,
			       enum igt_shrink_target target, double budget_s,
			       unsigned int passes, uint64_t mem_bytes,
			       uint64_t min_bytes, char *why, size_t len);

#endif /* IGT_SHRINK_BUDGET_H */
