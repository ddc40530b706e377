/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 igt-shrink contributors
 *
 * STAND-IN, to be dropped at merge: helper "xe-tests" writes the project's
 * igt_drm_fdinfo. This is the smallest subset of upstream IGT's API
 * (lib/igt_drm_fdinfo.h: struct drm_client_fdinfo, igt_parse_drm_fdinfo())
 * that ttm_swap_thp reads: the per-region memory keys of DRM fdinfo.
 */

#ifndef IGT_DRM_FDINFO_H
#define IGT_DRM_FDINFO_H

#include <stdbool.h>
#include <stdint.h>

#define DRM_CLIENT_FDINFO_MAX_REGIONS 16

/* Bytes, per memory region (drm-total-<region>: ... and so on) */
struct drm_client_meminfo {
	uint64_t total;
	uint64_t shared;
	uint64_t resident;
	uint64_t purgeable;
	uint64_t active;
};

struct drm_client_fdinfo {
	char driver[128];
	char pdev[128];
	unsigned long id;

	unsigned int num_regions;
	unsigned int last_region_index;
	char region_names[DRM_CLIENT_FDINFO_MAX_REGIONS][256];
	struct drm_client_meminfo region_mem[DRM_CLIENT_FDINFO_MAX_REGIONS];
};

unsigned int __igt_parse_drm_fdinfo(int dir, const char *fd,
				    struct drm_client_fdinfo *info,
				    const char **name_map, unsigned int map_entries,
				    const char **region_map, unsigned int region_entries);
unsigned int igt_parse_drm_fdinfo(int drm_fd, struct drm_client_fdinfo *info,
				  const char **name_map, unsigned int map_entries,
				  const char **region_map, unsigned int region_entries);

#endif /* IGT_DRM_FDINFO_H */
