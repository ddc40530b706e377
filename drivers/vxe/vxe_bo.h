/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vxe buffer objects (vxe_bo.c, as xe's xe_bo.h): lookup, validation,
 * the page behind an offset, the MADVISE state, GEM_CREATE, MMAP_OFFSET
 * and dumb buffers. The struct is in vxe_bo_types.h.
 */
#ifndef VXE_BO_H
#define VXE_BO_H

#include <linux/types.h>

#include <drm/drm_gem.h>
#include <drm/ttm/ttm_bo.h>
#include <drm/ttm/ttm_placement.h>

#include "vxe_bo_types.h"

struct dma_buf;
struct drm_file;
struct ttm_operation_ctx;
struct vxe_device;
struct vxe_vm;

/**
 * vxe_bo_lookup() - the BO of a GEM handle
 * @file: DRM file the handle belongs to
 * @handle: GEM handle
 *
 * Return: the BO with a GEM reference taken, or NULL when the handle is not
 * one of vxe's BOs.
 */
struct vxe_bo *vxe_bo_lookup(struct drm_file *file, u32 handle);

/** vxe_bo_put() - drop a GEM reference taken by vxe_bo_lookup() */
void vxe_bo_put(struct vxe_bo *bo);

/**
 * vxe_bo_validate() - make a BO resident where it belongs
 * @bo: the BO, its dma_resv held
 * @ctx: TTM operation context
 *
 * Validates into the BO's placement (VRAM first for a VRAM-placeable BO on
 * the discrete personality, TT otherwise) and restores a backed-up tt, as
 * xe does before a job runs. Return: 0, -EINVAL for a purged BO, or
 * another errno.
 */
int vxe_bo_validate(struct vxe_bo *bo, struct ttm_operation_ctx *ctx);

/**
 * vxe_bo_page() - the page of a resident BO at @pgoff
 * @bo: a BO validated and busy (its job fence in the resv keeps the
 *      shrinker away)
 * @pgoff: page index into the BO
 *
 * Return: the page, or NULL when @pgoff is beyond the BO or not populated.
 */
struct page *vxe_bo_page(struct vxe_bo *bo, pgoff_t pgoff);

/**
 * vxe_bo_set_purgeable() - apply a MADVISE purgeable state
 * @bo: the BO, its dma_resv held
 * @state: DRM_XE_VMA_PURGEABLE_STATE_WILLNEED or _DONTNEED
 *
 * Return: true when the content was retained (the BO was not purged).
 */
bool vxe_bo_set_purgeable(struct vxe_bo *bo, u32 state);

/* For vxe_drv.c, vxe_shrinker.c and vxe_drm_client.c */
extern const struct ttm_device_funcs vxe_ttm_funcs;
int vxe_gem_create_ioctl(struct drm_device *drm, void *data, struct drm_file *file);
int vxe_gem_mmap_offset_ioctl(struct drm_device *drm, void *data, struct drm_file *file);
struct drm_mode_create_dumb;
int vxe_dumb_create(struct drm_file *file, struct drm_device *drm,
		    struct drm_mode_create_dumb *dumb);
bool vxe_bo_is_vxe(const struct ttm_buffer_object *tbo);
bool vxe_bo_in_vram(const struct vxe_bo *bo);
/* Pages of the BO now populated, resident (not backed up), 0 otherwise. */
unsigned long vxe_bo_resident_pages(struct vxe_bo *bo);

#endif
