/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 igt-shrink authors
 */

#ifndef IGT_SWAP_H
#define IGT_SWAP_H

#include <stdbool.h>
#include <stdint.h>

#include "igt_vmstat.h"

/**
 * struct igt_swap_device:
 * @path: as listed in /proc/swaps
 * @is_file: a swap file rather than a block device
 * @size_kb: size
 * @used_kb: in use
 * @priority: swap priority
 * @rotational: 1 rotational, 0 not, -1 unknown
 */
struct igt_swap_device {
	char path[128];
	bool is_file;
	uint64_t size_kb;
	uint64_t used_kb;
	int priority;
	int rotational;
};

int igt_swap_devices(struct igt_swap_device *devs, int max);
bool igt_swap_active(void);
uint64_t igt_swap_free_mb(void);
int igt_swap_rotational(void);
bool igt_zswap_enabled(void);
int64_t igt_swap_pages_out(const struct igt_vmstat *delta);

#endif /* IGT_SWAP_H */
