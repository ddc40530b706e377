// SPDX-License-Identifier: GPL-2.0
/*
 * fdinfo for vxe, as xe_drm_client.c prints it (show_meminfo(),
 * bo_meminfo()): drm-total-, -shared-, -active-, -resident- and
 * -purgeable- for system, gtt and, when discrete, vram0.
 */

#include <linux/dma-resv.h>
#include <linux/idr.h>
#include <linux/spinlock.h>

#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_gem_ttm_helper.h>
#include <drm/drm_print.h>
#include <drm/ttm/ttm_placement.h>
#include <drm/ttm/ttm_resource.h>

#include "vxe_bo.h"
#include "vxe_device_types.h"
#include "vxe_drm_client.h"
#include "vxe_vram.h"

/* The fdinfo region names of xe_mem_type_to_name. */
static const char *const vxe_mem_type_name[] = {
	[TTM_PL_SYSTEM] = "system",
	[TTM_PL_TT] = "gtt",
	[VXE_PL_VRAM] = "vram0",
};

static void vxe_bo_meminfo(struct vxe_bo *bo, struct drm_memory_stats *stats)
{
	struct drm_gem_object *obj = &bo->ttm.base;
	u32 mem_type;

	/* Purged, or not placed: nothing to account for (as xe). */
	if (!bo->ttm.resource)
		return;
	mem_type = bo->ttm.resource->mem_type;
	if (mem_type >= ARRAY_SIZE(vxe_mem_type_name))
		return;

	if (drm_gem_object_is_shared_for_memory_stats(obj))
		stats[mem_type].shared += obj->size;
	else
		stats[mem_type].private += obj->size;

	/* A backed-up tt is not resident. */
	if (vxe_bo_resident_pages(bo)) {
		stats[mem_type].resident += obj->size;
		if (!dma_resv_test_signaled(obj->resv, DMA_RESV_USAGE_BOOKKEEP))
			stats[mem_type].active += obj->size;
		else if (mem_type == TTM_PL_SYSTEM || vxe_bo_is_dontneed(bo))
			stats[mem_type].purgeable += obj->size;
	}
}

/**
 * vxe_drm_client_fdinfo() - the memory stats of a file, as xe_drm_client_fdinfo()
 * @p: the printer of the fdinfo
 * @file: the DRM file
 */
void vxe_drm_client_fdinfo(struct drm_printer *p, struct drm_file *file)
{
	struct drm_memory_stats stats[ARRAY_SIZE(vxe_mem_type_name)] = {};
	struct drm_gem_object *obj;
	unsigned int i;
	int id;

	spin_lock(&file->table_lock);
	idr_for_each_entry(&file->object_idr, obj, id) {
		struct vxe_bo *bo;

		if (!vxe_bo_is_vxe(drm_gem_ttm_of_gem(obj)))
			continue;
		bo = gem_to_vxe_bo(obj);
		if (dma_resv_trylock(obj->resv)) {
			vxe_bo_meminfo(bo, stats);
			dma_resv_unlock(obj->resv);
			continue;
		}
		/* Contended: wait for the lock outside the table lock. */
		drm_gem_object_get(obj);
		spin_unlock(&file->table_lock);
		dma_resv_lock(obj->resv, NULL);
		vxe_bo_meminfo(bo, stats);
		dma_resv_unlock(obj->resv);
		drm_gem_object_put(obj);
		spin_lock(&file->table_lock);
	}
	spin_unlock(&file->table_lock);

	for (i = 0; i < ARRAY_SIZE(vxe_mem_type_name); i++) {
		/* As xe: only the regions the device has. */
		if (i == VXE_PL_VRAM && !vxe_is_discrete(to_vxe(file->minor->dev)))
			continue;
		drm_print_memory_stats(p, &stats[i],
				       DRM_GEM_OBJECT_ACTIVE | DRM_GEM_OBJECT_RESIDENT |
				       DRM_GEM_OBJECT_PURGEABLE,
				       vxe_mem_type_name[i]);
	}
}
