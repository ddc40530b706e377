/* SPDX-License-Identifier: GPL-2.0 */
/*
 * struct vxe_bo and its inline accessors, for the files below vxe_bo.c
 * that only look at a BO (as xe's xe_bo_types.h).
 */
#ifndef VXE_BO_TYPES_H
#define VXE_BO_TYPES_H

#include <linux/bits.h>
#include <linux/types.h>

#include <drm/drm_gem.h>
#include <drm/ttm/ttm_bo.h>
#include <drm/ttm/ttm_placement.h>

struct vxe_vm;

/* vxe_bo.purgeable: the MADVISE state, plus this bit once purged. */
#define VXE_BO_PURGEABLE_STATE_MASK	0xffffu
#define VXE_BO_PURGED			BIT(31)

struct vxe_bo {
	struct ttm_buffer_object ttm;	/* ttm.base is the GEM object */
	/* VM of a VM-private BO (shares vxe_vm_resv(vm)), else NULL. */
	struct vxe_vm *vm;
	u32 flags;			/* DRM_XE_GEM_CREATE_FLAG_* */
	u16 cpu_caching;		/* DRM_XE_GEM_CPU_CACHING_WB/WC */
	/* DRM_XE_VMA_PURGEABLE_STATE_WILLNEED/DONTNEED | VXE_BO_PURGED */
	u32 purgeable;
	/* Pages the last backup put in shmem, until restored or freed. */
	long backed_up;
	/* Every other BO created: the one fault_half_backup never backs up. */
	bool half_backup_skip;
	/*
	 * Where validation puts it: TT; or, for a VRAM-placeable BO of the
	 * discrete personality, VRAM with TT as fallback (as xe's placements).
	 */
	struct ttm_place places[2];
	struct ttm_placement placement;
};

static inline struct vxe_bo *ttm_to_vxe_bo(struct ttm_buffer_object *tbo)
{
	return container_of(tbo, struct vxe_bo, ttm);
}

static inline struct vxe_bo *gem_to_vxe_bo(struct drm_gem_object *obj)
{
	return container_of(obj, struct vxe_bo, ttm.base);
}

static inline bool vxe_bo_is_purged(const struct vxe_bo *bo)
{
	return bo->purgeable & VXE_BO_PURGED;
}

static inline bool vxe_bo_is_dontneed(const struct vxe_bo *bo)
{
	return (bo->purgeable & VXE_BO_PURGEABLE_STATE_MASK) ==
	       1 /* DRM_XE_VMA_PURGEABLE_STATE_DONTNEED */;
}

#endif
