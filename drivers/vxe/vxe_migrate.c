// SPDX-License-Identifier: GPL-2.0
/*
 * Moves of a BO into and out of VRAM on the discrete personality: the CPU
 * copies that stand for xe's migrate engine blits (xe_migrate.c:
 * xe_migrate_copy(), xe_migrate_clear() for a new VRAM BO), with the
 * vram_* move stats and the fault_corrupt_evict injection.
 */

#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/sched.h>

#include <drm/ttm/ttm_bo.h>
#include <drm/ttm/ttm_resource.h>
#include <drm/ttm/ttm_tt.h>

#include "vxe_bo_types.h"
#include "vxe_device_types.h"
#include "vxe_migrate.h"
#include "vxe_module.h"
#include "vxe_vram.h"

/* The page behind page @i of @tbo when it lives in @res. */
static struct page *vxe_res_page(struct ttm_buffer_object *tbo,
				 struct ttm_resource *res, pgoff_t i)
{
	if (res->mem_type == VXE_PL_VRAM)
		return vxe_vram_page(ttm_to_vxe(tbo->bdev), res, i);
	return tbo->ttm && ttm_tt_is_populated(tbo->ttm) ? tbo->ttm->pages[i] : NULL;
}

/*
 * The CPU copy of a move into or out of VRAM (xe's migrate engine blits).
 * @src NULL: a BO without content yet, cleared as xe clears new VRAM.
 */
static int vxe_copy_pages(struct ttm_buffer_object *tbo, struct ttm_resource *src,
			  struct ttm_resource *dst)
{
	pgoff_t i, n = PFN_UP(tbo->base.size);

	for (i = 0; i < n; i++) {
		struct page *d = vxe_res_page(tbo, dst, i);
		struct page *from = src ? vxe_res_page(tbo, src, i) : NULL;

		if (!d || (src && !from))
			return -EINVAL;
		if (from)
			copy_highpage(d, from);
		else
			clear_highpage(d);
		cond_resched();
	}
	return 0;
}

/* Fault injection after a copy out of VRAM: vram-evict-* must notice. */
static void vxe_inject_evict_fault(struct ttm_buffer_object *tbo,
				   struct ttm_resource *dst)
{
	struct page *page = vxe_res_page(tbo, dst, PFN_UP(tbo->base.size) / 2);
	u32 *vaddr;

	if (!vxe_fault_corrupt_evict || !page)
		return;
	vaddr = kmap_local_page(page);
	vaddr[PAGE_SIZE / 8] ^= 0x1;
	kunmap_local(vaddr);
}

static void vxe_count_vram_move(struct vxe_device *vxe, struct ttm_buffer_object *tbo,
				bool to_vram, bool evict)
{
	long pages = PFN_UP(tbo->base.size);

	if (to_vram) {
		atomic_long_inc(&vxe->stats.vram_moves_in);
		atomic_long_add(pages, &vxe->stats.vram_moved_in_pages);
	} else if (evict) {
		atomic_long_inc(&vxe->stats.vram_evictions);
		atomic_long_add(pages, &vxe->stats.vram_evicted_pages);
	} else {
		atomic_long_inc(&vxe->stats.vram_moves_out);
		atomic_long_add(pages, &vxe->stats.vram_moved_out_pages);
	}
}

/**
 * vxe_migrate_move() - a move into or out of VRAM, for vxe_bo_move()
 * @tbo: the BO, reserved
 * @evict: TTM evicts it (counted as an eviction)
 * @ctx: TTM operation context
 * @new_mem: where it goes
 *
 * Waits for the jobs using the BO, makes sure the system-memory side has
 * its pages (a backed-up tt is restored first, as a migration of a shrunk
 * BO restores it in xe), copies with the CPU, then releases the old
 * resource (and the tt, when the BO went to VRAM).
 *
 * Return: 0 or an errno.
 */
int vxe_migrate_move(struct ttm_buffer_object *tbo, bool evict,
		     struct ttm_operation_ctx *ctx, struct ttm_resource *new_mem)
{
	struct vxe_device *vxe = ttm_to_vxe(tbo->bdev);
	struct ttm_resource *old = tbo->resource;
	bool to_vram = new_mem->mem_type == VXE_PL_VRAM;
	bool has_content = old && (old->mem_type == VXE_PL_VRAM ||
				   (tbo->ttm && (ttm_tt_is_populated(tbo->ttm) ||
						 ttm_tt_is_backed_up(tbo->ttm))));
	int ret;

	ret = ttm_bo_wait_ctx(tbo, ctx);
	if (ret)
		return ret;
	/* The side in system memory needs its pages: restore or allocate. */
	if (tbo->ttm && !ttm_tt_is_populated(tbo->ttm) &&
	    (has_content || !to_vram) && !vxe_bo_is_purged(ttm_to_vxe_bo(tbo))) {
		ret = ttm_bo_populate(tbo, ctx);
		if (ret)
			return ret;
	}
	ret = vxe_copy_pages(tbo, has_content ? old : NULL, new_mem);
	if (ret)
		return ret;
	if (old)
		vxe_count_vram_move(vxe, tbo, to_vram, evict);
	if (!to_vram)
		vxe_inject_evict_fault(tbo, new_mem);
	/* Idle (waited for above): frees the old resource, and the tt into VRAM. */
	ttm_bo_move_sync_cleanup(tbo, new_mem);
	return 0;
}
