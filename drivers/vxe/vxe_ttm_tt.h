/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ttm_tt of a vxe BO and the shrinking of a reserved BO (vxe_ttm_tt.c;
 * in xe part of xe_bo.c).
 */
#ifndef VXE_TTM_TT_H
#define VXE_TTM_TT_H

#include <linux/types.h>

struct ttm_buffer_object;
struct ttm_device;
struct ttm_operation_ctx;
struct ttm_tt;
struct vxe_bo;

/* The ttm_tt callbacks of vxe_ttm_funcs (vxe_bo.c). */
struct ttm_tt *vxe_tt_create(struct ttm_buffer_object *tbo, u32 page_flags);
int vxe_tt_populate(struct ttm_device *ttm, struct ttm_tt *tt,
		    struct ttm_operation_ctx *ctx);
void vxe_tt_unpopulate(struct ttm_device *ttm, struct ttm_tt *tt);
void vxe_tt_destroy(struct ttm_device *ttm, struct ttm_tt *tt);

void vxe_bo_recount(struct vxe_bo *bo);

/* For the shrinker, with the BO reserved: */
long vxe_bo_purge(struct vxe_bo *bo, struct ttm_operation_ctx *ctx);
long vxe_bo_backup(struct vxe_bo *bo, struct ttm_operation_ctx *ctx, bool writeback);
void vxe_bo_mark_purged(struct vxe_bo *bo);

#endif
