/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 igt-shrink authors
 */

#ifndef IGT_TTM_H
#define IGT_TTM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IGT_TTM_DEBUGFS "/sys/kernel/debug/ttm"
#define IGT_TTM_PARAMS "/sys/module/ttm/parameters"

/**
 * enum igt_ttm_swap_path:
 * @IGT_TTM_NONE: the device's driver does not use TTM
 * @IGT_TTM_LEGACY: ttm_tt_swapout(): pages_limit watermark, debugfs tt_shrink
 * @IGT_TTM_SHRINKER: the driver's mm shrinker backs BOs up (xe)
 *
 * How a device's buffer objects leave memory.
 */
enum igt_ttm_swap_path {
	IGT_TTM_NONE,
	IGT_TTM_LEGACY,
	IGT_TTM_SHRINKER,
};

int igt_ttm_driver_module(int fd, char *buf, int len);
enum igt_ttm_swap_path igt_ttm_swap_path(int fd);
enum igt_ttm_swap_path igt_ttm_swap_path_of_module(const char *module);
const char *igt_ttm_swap_path_name(enum igt_ttm_swap_path path);
bool igt_ttm_has_debugfs(void);
int64_t igt_ttm_tt_shrink_once(void);
int64_t igt_ttm_tt_shrink(uint64_t budget_pages, unsigned int max_reads,
			  unsigned int timeout_ms);
int igt_ttm_get_pages_limit(uint64_t *pages);
int __igt_ttm_set_pages_limit(uint64_t pages);
void igt_ttm_set_pages_limit(uint64_t pages);
int igt_ttm_restore_pages_limit(void);
bool igt_ttm_has_zero_copy(char *missing, size_t len);

#endif /* IGT_TTM_H */
