// SPDX-License-Identifier: GPL-2.0
/*
 * The ttm_tt of a vxe BO: its pages, their backup and restore, and where
 * they are counted for the shrinker (shrinkable or purgeable), plus the
 * purge and backup of a reserved BO that the shrinker calls. xe keeps the
 * same in xe_bo.c (xe_ttm_tt_create(), xe_ttm_tt_populate(), the
 * xe_ttm_tt_account_*() helpers, xe_bo_shrink() and xe_bo_shrink_purge());
 * vxe gives them a file of their own so that vxe_bo.c stays readable.
 */

#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/swap.h>

#include <drm/ttm/ttm_bo.h>
#include <drm/ttm/ttm_device.h>
#include <drm/ttm/ttm_pool.h>
#include <drm/ttm/ttm_tt.h>
#include <uapi/drm/xe_drm.h>

#include "vxe_bo_types.h"
#include "vxe_device_types.h"
#include "vxe_module.h"
#include "vxe_ttm_tt.h"

/* The ttm_tt of a vxe BO. */
struct vxe_tt {
	struct ttm_tt tt;
	struct vxe_bo *bo;
	/* The last shrink dropped the content (purge): populate starts afresh. */
	bool purged;
	/* Where the populated pages are counted: 0, shrinkable or purgeable. */
	u8 counted;
};

enum { VXE_TT_UNCOUNTED, VXE_TT_SHRINKABLE, VXE_TT_PURGEABLE };

static struct vxe_tt *to_vxe_tt(struct ttm_tt *tt)
{
	return container_of(tt, struct vxe_tt, tt);
}

/*
 * Moves the pages of @vtt to the shrinker bucket they belong in now, as
 * xe_ttm_tt_account_add/subtract and the purgeable transfers do: nothing for
 * unpopulated, pinned or imported tts, purgeable for DONTNEED BOs,
 * shrinkable otherwise. @populated is passed in: TTM flips the tt's
 * populated flag only after the populate and unpopulate callbacks return.
 */
static void __vxe_tt_recount(struct vxe_device *vxe, struct vxe_tt *vtt, bool populated)
{
	struct vxe_bo *bo = vtt->bo;
	long pages = vtt->tt.num_pages;
	u8 want = VXE_TT_UNCOUNTED;

	if (populated && bo && !bo->ttm.pin_count && !bo->ttm.base.import_attach)
		want = vxe_bo_is_dontneed(bo) ? VXE_TT_PURGEABLE : VXE_TT_SHRINKABLE;
	if (want == vtt->counted)
		return;

	if (vtt->counted == VXE_TT_SHRINKABLE)
		atomic_long_sub(pages, &vxe->stats.shrinkable);
	else if (vtt->counted == VXE_TT_PURGEABLE)
		atomic_long_sub(pages, &vxe->stats.purgeable);
	if (want == VXE_TT_SHRINKABLE)
		atomic_long_add(pages, &vxe->stats.shrinkable);
	else if (want == VXE_TT_PURGEABLE)
		atomic_long_add(pages, &vxe->stats.purgeable);
	vtt->counted = want;
}

static void vxe_tt_recount(struct vxe_device *vxe, struct vxe_tt *vtt)
{
	__vxe_tt_recount(vxe, vtt, ttm_tt_is_populated(&vtt->tt));
}

/**
 * vxe_bo_recount() - count a BO's pages where they belong now
 * @bo: the BO, its resv held (after a change of its pin count or state)
 */
void vxe_bo_recount(struct vxe_bo *bo)
{
	if (bo->ttm.ttm)
		vxe_tt_recount(ttm_to_vxe(bo->ttm.bdev), to_vxe_tt(bo->ttm.ttm));
}

struct ttm_tt *vxe_tt_create(struct ttm_buffer_object *tbo, u32 page_flags)
{
	struct vxe_bo *bo = ttm_to_vxe_bo(tbo);
	enum ttm_caching caching = ttm_cached;
	struct vxe_tt *vtt;

	vtt = kzalloc(sizeof(*vtt), GFP_KERNEL);
	if (!vtt)
		return NULL;
	vtt->bo = bo;

	/*
	 * Integrated: WC is honoured; scanout BOs are WC (xe: FORCE_WC).
	 * Discrete: system memory is snooped, always write-back, whatever
	 * cpu_caching asked (xe_ttm_tt_create() on a DGFX part).
	 */
	if (bo->cpu_caching == DRM_XE_GEM_CPU_CACHING_WC &&
	    !vxe_is_discrete(ttm_to_vxe(tbo->bdev)))
		caching = ttm_write_combined;

	/*
	 * xe's contract: the pages are the driver's, TTM may map them, and
	 * they leave memory only through the driver's shrinker.
	 */
	page_flags |= TTM_TT_FLAG_EXTERNAL | TTM_TT_FLAG_EXTERNAL_MAPPABLE;
	if (ttm_tt_init(&vtt->tt, tbo, page_flags, caching, 0))
		goto err_free;
	if (ttm_tt_setup_backup(&vtt->tt))
		goto err_fini;
	return &vtt->tt;

err_fini:
	ttm_tt_fini(&vtt->tt);
err_free:
	kfree(vtt);
	return NULL;
}

/* Fault injection after a restore: the tests must notice either. */
static void vxe_tt_inject_restore_faults(struct ttm_tt *tt)
{
	pgoff_t victim = tt->num_pages / 2;
	void *vaddr;

	if (!tt->pages || !tt->pages[victim])
		return;
	if (vxe_fault_corrupt_restore) {
		u32 *word;

		vaddr = kmap_local_page(tt->pages[victim]);
		word = vaddr + PAGE_SIZE / 2;
		*word ^= 0x1;
		kunmap_local(vaddr);
	}
	if (vxe_fault_zero_restore)
		clear_highpage(tt->pages[victim]);
}

int vxe_tt_populate(struct ttm_device *ttm, struct ttm_tt *tt,
		    struct ttm_operation_ctx *ctx)
{
	struct vxe_device *vxe = ttm_to_vxe(ttm);
	struct vxe_tt *vtt = to_vxe_tt(tt);
	struct vxe_bo *bo = vtt->bo;
	bool restored = false;
	int ret;

	/* Like xe_ttm_tt_populate: restore a backup, else fresh pages. */
	if (ttm_tt_is_backed_up(tt) && !vtt->purged) {
		ret = ttm_tt_restore(ttm, tt, ctx);
		restored = !ret;
	} else {
		ttm_tt_clear_backed_up(tt);
		ret = ttm_pool_alloc(&ttm->pool, tt, ctx);
	}
	if (ret)
		return ret;

	vtt->purged = false;
	__vxe_tt_recount(vxe, vtt, true);
	if (restored) {
		atomic_long_inc(&vxe->stats.restores);
		if (bo) {
			atomic_long_add(bo->backed_up, &vxe->stats.restored_pages);
			atomic_long_sub(bo->backed_up, &vxe->stats.backed_up);
			bo->backed_up = 0;
		}
		vxe_tt_inject_restore_faults(tt);
	}
	return 0;
}

void vxe_tt_unpopulate(struct ttm_device *ttm, struct ttm_tt *tt)
{
	ttm_pool_free(&ttm->pool, tt);
	__vxe_tt_recount(ttm_to_vxe(ttm), to_vxe_tt(tt), false);
}

void vxe_tt_destroy(struct ttm_device *ttm, struct ttm_tt *tt)
{
	struct vxe_tt *vtt = to_vxe_tt(tt);

	__vxe_tt_recount(ttm_to_vxe(ttm), vtt, false);
	/* A BO freed while backed up: its shmem copy goes with it. */
	if (vtt->bo && vtt->bo->backed_up) {
		atomic_long_sub(vtt->bo->backed_up, &ttm_to_vxe(ttm)->stats.backed_up);
		vtt->bo->backed_up = 0;
	}
	ttm_tt_fini(tt);
	kfree(vtt);
}

/* ---- shrinking (called by vxe_shrinker.c with the BO reserved) --------- */

static void vxe_bo_account_shrunk(struct vxe_bo *bo, long pages, bool purge,
				  bool writeback)
{
	struct vxe_device *vxe = ttm_to_vxe(bo->ttm.bdev);
	struct vxe_tt *vtt = to_vxe_tt(bo->ttm.ttm);

	if (purge) {
		vtt->purged = true;
		atomic_long_inc(&vxe->stats.purges);
		atomic_long_add(pages, &vxe->stats.purged_pages);
	} else {
		bo->backed_up = pages;
		atomic_long_add(pages, &vxe->stats.backed_up);
		atomic_long_add(pages, &vxe->stats.backup_pages);
		atomic_long_inc(&vxe->stats.backups);
		if (writeback)
			atomic_long_inc(&vxe->stats.writebacks);
		/* kswapd, direct reclaim and memory.reclaim: not drop_caches */
		if (current_is_kswapd() || current->reclaim_state)
			atomic_long_inc(&vxe->stats.reclaim_backups);
	}
	vxe_tt_recount(vxe, vtt);
}

/**
 * vxe_bo_purge() - drop the pages of a reserved BO for good
 * @bo: the BO, reserved, populated
 * @ctx: TTM context of the shrinker
 *
 * As xe_bo_shrink_purge(): a move to SYSTEM without copying, then
 * ttm_bo_shrink() with purge. Return: pages freed, or a negative errno.
 */
long vxe_bo_purge(struct vxe_bo *bo, struct ttm_operation_ctx *ctx)
{
	long lret;

	lret = ttm_bo_shrink(ctx, &bo->ttm, (struct ttm_bo_shrink_flags) {
		.purge = true, .writeback = false, .allow_move = true });
	if (lret > 0)
		vxe_bo_account_shrunk(bo, lret, true, false);
	return lret;
}

/**
 * vxe_bo_backup() - back a reserved BO up to shmem
 * @bo: the BO, reserved, populated
 * @ctx: TTM context of the shrinker
 * @writeback: ask shmem to write the copy to swap at once
 *
 * As the backup branch of xe_bo_shrink(): ttm_bo_shrink() with allow_move,
 * which validates the BO to SYSTEM first. Return: pages backed up or errno.
 */
long vxe_bo_backup(struct vxe_bo *bo, struct ttm_operation_ctx *ctx, bool writeback)
{
	long lret;

	lret = ttm_bo_shrink(ctx, &bo->ttm, (struct ttm_bo_shrink_flags) {
		.purge = false, .writeback = writeback, .allow_move = true });
	if (lret > 0)
		vxe_bo_account_shrunk(bo, lret, false, writeback);
	return lret;
}

/**
 * vxe_bo_mark_purged() - a DONTNEED BO whose pages the shrinker dropped
 * @bo: the BO, reserved
 */
void vxe_bo_mark_purged(struct vxe_bo *bo)
{
	/* The state is now PURGED alone: no longer DONTNEED (mmap -EINVAL, not -EBUSY). */
	if (vxe_bo_is_dontneed(bo))
		bo->purgeable = VXE_BO_PURGED;
}
