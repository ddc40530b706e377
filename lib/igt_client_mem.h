/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 igt-shrink authors
 */

#ifndef IGT_CLIENT_MEM_H
#define IGT_CLIENT_MEM_H

#include <stdbool.h>
#include <stdint.h>

/**
 * struct igt_client_mem:
 * @total: bytes of the client's BOs (drm-total-*, summed over the regions)
 * @resident: bytes of them in memory (drm-resident-*, summed)
 * @purgeable: bytes of them the client marked purgeable (drm-purgeable-*)
 *
 * What one DRM client's own BOs occupy, from its fdinfo.
 */
struct igt_client_mem {
	uint64_t total;
	uint64_t resident;
	uint64_t purgeable;
};

int __igt_client_mem(int drm_fd, struct igt_client_mem *m);
struct igt_client_mem igt_client_mem(int drm_fd);
bool igt_client_mem_tracks(const struct igt_client_mem *populated, uint64_t bytes);

#endif /* IGT_CLIENT_MEM_H */
