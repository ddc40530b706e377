// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink contributors
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
#include "igt_sizes.h"

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

/* Logs and judges a change of resident memory from @from to @to by @bytes. */
static bool check_moved(const char *what, const char *bad, uint64_t moved,
			uint64_t from, uint64_t to, uint64_t bytes,
			unsigned int min_percent)
{
	const double mib = SZ_1M;
	bool ok = bytes && moved * 100 >= bytes * min_percent;

	igt_info("client BOs: %.1f of %.1f MiB %s (resident %.1f -> %.1f MiB, "
		 "need %u%%): %s\n", moved / mib, bytes / mib, what, from / mib,
		 to / mib, min_percent, ok ? "ok" : bad);
	return ok;
}

/**
 * igt_client_mem_check_left:
 * @before: reading before the trigger (BOs resident)
 * @after: reading after it
 * @bytes: the BOs' size
 * @min_percent: share of @bytes that must have left memory, e.g. 80
 *
 * Logs the figures with igt_info() either way.
 *
 * Returns: whether the client's resident BO memory dropped by at least
 * @min_percent of @bytes.
 */
bool igt_client_mem_check_left(const struct igt_client_mem *before,
			       const struct igt_client_mem *after,
			       uint64_t bytes, unsigned int min_percent)
{
	uint64_t left = before->resident > after->resident ?
			before->resident - after->resident : 0;

	return check_moved("left memory", "NOT SHRUNK", left, before->resident,
			   after->resident, bytes, min_percent);
}

/**
 * igt_client_mem_check_back:
 * @out: reading while the BOs were out of memory
 * @back: reading after they were read back
 * @bytes: the BOs' size
 * @min_percent: share of @bytes that must have come back, e.g. 80
 *
 * Logs the figures with igt_info() either way.
 *
 * Returns: whether the client's resident BO memory grew back by at least
 * @min_percent of @bytes.
 */
bool igt_client_mem_check_back(const struct igt_client_mem *out,
			       const struct igt_client_mem *back,
			       uint64_t bytes, unsigned int min_percent)
{
	uint64_t came = back->resident > out->resident ?
			back->resident - out->resident : 0;

	return check_moved("came back", "NOT RESTORED", came, out->resident,
			   back->resident, bytes, min_percent);
}
