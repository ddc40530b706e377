// SPDX-License-Identifier: GPL-2.0
/*
 * The TT memory type of vxe: a resource manager that only counts sizes,
 * as large as RAM, as xe's xe_ttm_sys_mgr.c.
 */

#include <linux/mm.h>
#include <linux/slab.h>

#include <drm/ttm/ttm_bo.h>
#include <drm/ttm/ttm_device.h>
#include <drm/ttm/ttm_placement.h>
#include <drm/ttm/ttm_resource.h>

#include "vxe_device_types.h"
#include "vxe_ttm_sys_mgr.h"

struct vxe_tt_node {
	struct ttm_resource base;
};

static int vxe_tt_mgr_alloc(struct ttm_resource_manager *man,
			    struct ttm_buffer_object *tbo,
			    const struct ttm_place *place,
			    struct ttm_resource **res)
{
	struct vxe_tt_node *node;

	node = kzalloc(sizeof(*node), GFP_KERNEL);
	if (!node)
		return -ENOMEM;

	/* ttm_resource_init() has counted this BO in the usage already. */
	ttm_resource_init(tbo, place, &node->base);
	if (!(place->flags & TTM_PL_FLAG_TEMPORARY) &&
	    ttm_resource_manager_usage(man) > ((u64)man->size << PAGE_SHIFT)) {
		ttm_resource_fini(man, &node->base);
		kfree(node);
		return -ENOSPC;
	}
	*res = &node->base;
	return 0;
}

static void vxe_tt_mgr_free(struct ttm_resource_manager *man,
			    struct ttm_resource *res)
{
	ttm_resource_fini(man, res);
	kfree(container_of(res, struct vxe_tt_node, base));
}

static const struct ttm_resource_manager_func vxe_tt_mgr_func = {
	.alloc = vxe_tt_mgr_alloc,
	.free = vxe_tt_mgr_free,
};

static struct ttm_resource_manager vxe_tt_mgr;

/**
 * vxe_ttm_sys_mgr_init() - the TT memory type, as large as RAM (as xe's)
 * @vxe: the device
 */
void vxe_ttm_sys_mgr_init(struct vxe_device *vxe)
{
	struct ttm_resource_manager *man = &vxe_tt_mgr;

	man->use_tt = true;
	man->func = &vxe_tt_mgr_func;
	ttm_resource_manager_init(man, &vxe->ttm, totalram_pages());
	ttm_set_driver_manager(&vxe->ttm, TTM_PL_TT, man);
	ttm_resource_manager_set_used(man, true);
}

/** vxe_ttm_sys_mgr_fini() - evict everything from TT and remove the manager */
void vxe_ttm_sys_mgr_fini(struct vxe_device *vxe)
{
	struct ttm_resource_manager *man = &vxe_tt_mgr;

	ttm_resource_manager_set_used(man, false);
	ttm_resource_manager_evict_all(&vxe->ttm, man);
	ttm_resource_manager_cleanup(man);
	ttm_set_driver_manager(&vxe->ttm, TTM_PL_TT, NULL);
}
