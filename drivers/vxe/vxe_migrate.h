/* SPDX-License-Identifier: GPL-2.0 */
/* Moves into and out of VRAM (vxe_migrate.c, as xe's xe_migrate.h). */
#ifndef VXE_MIGRATE_H
#define VXE_MIGRATE_H

#include <linux/types.h>

struct ttm_buffer_object;
struct ttm_operation_ctx;
struct ttm_resource;

int vxe_migrate_move(struct ttm_buffer_object *tbo, bool evict,
		     struct ttm_operation_ctx *ctx, struct ttm_resource *new_mem);

#endif
