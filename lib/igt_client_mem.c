// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 */

/**
 * SECTION:igt_client_mem
 * @short_description: What a DRM client's own BOs occupy, from its fdinfo
 * @title: client memory
 * @include: igt_client_mem.h
 *
 * Drivers that print DRM's per-client memory stats (drm_show_memory_stats()
 * or their own, as xe does) report in /proc/self/fdinfo/<fd> how much of the
 * client's BOs is resident, per memory region. A shrunk (backed-up or
 * swapped) BO is not resident, so these counters tell what the test's own
 * BOs did, which system-wide counters (swap traffic, Shmem) cannot: an
 * anonymous-memory hog swaps its own pages too. Regions are summed, since a
 * driver may move a BO between them while shrinking it (xe: TT to system).
 */

#include <errno.h>
#include <string.h>

#include "igt_client_mem.h"
#include "igt_core.h"
#include "igt_drm_fdinfo.h"

/**
 * __igt_client_mem:
 * @drm_fd: an open DRM device
 * @m: receives the client's BO memory
 *
 * Returns: 0, or -ENOENT when the driver prints no memory keys in fdinfo.
 */
int __igt_client_mem(int drm_fd, struct igt_client_mem *m)
{
	struct drm_client_fdinfo info;

	memset(&info, 0, sizeof(info));
	memset(m, 0, sizeof(*m));
	if (!igt_parse_drm_fdinfo(drm_fd, &info, NULL, 0, NULL, 0) ||
	    !info.num_regions)
		return -ENOENT;
	/* every slot: with a region map the indices need not be contiguous */
	for (unsigned int i = 0; i < DRM_CLIENT_FDINFO_MAX_REGIONS; i++) {
		m->total += info.region_mem[i].total;
		m->resident += info.region_mem[i].resident;
		m->purgeable += info.region_mem[i].purgeable;
	}
	return 0;
}

/**
 * igt_client_mem:
 * @drm_fd: an open DRM device
 *
 * Like __igt_client_mem(), asserting that the driver prints memory stats.
 *
 * Returns: the client's BO memory.
 */
struct igt_client_mem igt_client_mem(int drm_fd)
{
	struct igt_client_mem m;

	igt_assert_f(!__igt_client_mem(drm_fd, &m),
		     "no memory stats in fdinfo of fd %d\n", drm_fd);
	return m;
}

/**
 * igt_client_mem_tracks:
 * @populated: a reading taken while @bytes of BOs were known to be in memory
 * @bytes: the BOs' size
 *
 * A driver may print drm-total-* without drm-resident-*, or count residency
 * some other way; only when the BOs just filled show up as resident can a
 * drop of the counter be taken as the BOs leaving memory.
 *
 * Returns: whether @populated shows @bytes both in total and resident.
 */
bool igt_client_mem_tracks(const struct igt_client_mem *populated, uint64_t bytes)
{
	return bytes && populated->total >= bytes && populated->resident >= bytes;
}
