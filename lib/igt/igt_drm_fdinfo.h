/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 igt-shrink authors
 *
 * The per-client DRM usage statistics a driver prints in
 * /proc/<pid>/fdinfo/<fd> (Documentation/gpu/drm-usage-stats.rst): a subset
 * of upstream IGT's lib/igt_drm_fdinfo.h with the same names, structures and
 * semantics. Memory values are converted to bytes.
 */

#ifndef IGT_DRM_FDINFO_H
#define IGT_DRM_FDINFO_H

#include <stdbool.h>
#include <stdint.h>

#define DRM_CLIENT_FDINFO_MAX_REGIONS 16
#define DRM_CLIENT_FDINFO_MAX_ENGINES 16

/**
 * struct drm_client_meminfo:
 * @total: drm-total-<region>, bytes
 * @shared: drm-shared-<region>, bytes
 * @resident: drm-resident-<region>, bytes (drm-memory-<region> on old amdgpu)
 * @purgeable: drm-purgeable-<region>, bytes
 * @active: drm-active-<region>, bytes
 */
struct drm_client_meminfo {
	uint64_t total;
	uint64_t shared;
	uint64_t resident;
	uint64_t purgeable;
	uint64_t active;
};

enum drm_fdinfo_utilization {
	DRM_FDINFO_UTILIZATION_ENGINE_TIME	= 1U << 0,
	DRM_FDINFO_UTILIZATION_CYCLES		= 1U << 1,
	DRM_FDINFO_UTILIZATION_TOTAL_CYCLES	= 1U << 2,
};

/**
 * struct drm_client_fdinfo:
 * @driver: drm-driver
 * @pdev: drm-pdev
 * @id: drm-client-id
 * @num_engines: engines seen
 * @last_engine_index: highest engine index seen
 * @capacity: drm-engine-capacity-<engine>, 1 when not printed
 * @names: engine names
 * @utilization_mask: which engine keys were seen (enum drm_fdinfo_utilization)
 * @engine_time: drm-engine-<engine>, ns
 * @cycles: drm-cycles-<engine>
 * @total_cycles: drm-total-cycles-<engine>
 * @num_regions: memory regions seen
 * @last_region_index: highest region index seen
 * @region_names: region names ("system", "gtt", "vram0", ...)
 * @region_mem: memory counters per region
 *
 * What one DRM client's fdinfo says. Indices are positions in the name maps
 * passed to igt_parse_drm_fdinfo(), or the order of first appearance when
 * no map is passed.
 */
struct drm_client_fdinfo {
	char driver[128];
	char pdev[128];
	unsigned long id;

	unsigned int num_engines;
	unsigned int last_engine_index;
	unsigned int capacity[DRM_CLIENT_FDINFO_MAX_ENGINES];
	char names[DRM_CLIENT_FDINFO_MAX_ENGINES][256];

	unsigned int utilization_mask;
	uint64_t engine_time[DRM_CLIENT_FDINFO_MAX_ENGINES];
	uint64_t cycles[DRM_CLIENT_FDINFO_MAX_ENGINES];
	uint64_t total_cycles[DRM_CLIENT_FDINFO_MAX_ENGINES];

	unsigned int num_regions;
	unsigned int last_region_index;
	char region_names[DRM_CLIENT_FDINFO_MAX_REGIONS][256];
	struct drm_client_meminfo region_mem[DRM_CLIENT_FDINFO_MAX_REGIONS];
};

unsigned int
igt_parse_drm_fdinfo(int drm_fd, struct drm_client_fdinfo *info,
		     const char **name_map, unsigned int map_entries,
		     const char **region_map, unsigned int region_entries);

unsigned int
__igt_parse_drm_fdinfo(int dir, const char *fd,
		       struct drm_client_fdinfo *info,
		       const char **name_map, unsigned int map_entries,
		       const char **region_map, unsigned int region_entries);

#endif /* IGT_DRM_FDINFO_H */
