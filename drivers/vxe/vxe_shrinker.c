// SPDX-License-Identifier: GPL-2.0
/*
 * vxe's system shrinker, with the structure of xe_shrinker.c: the count is
 * min(free swap, shrinkable pages) plus purgeable pages; a scan first purges
 * DONTNEED BOs, then backs BOs up to shmem in up to three walks (idle BOs
 * without writeback; busy BOs where waiting is allowed, i.e. kswapd;
 * writeback last, only from kswapd with __GFP_IO), each BO through
 * ttm_bo_shrink() with allow_move. A BO whose GEM refcount is 0 (closed but
 * still mapped) is purged instead of backed up, as xe_bo_shrink() does,
 * unless the purge_unreferenced parameter is off.
 */

#include <linux/atomic.h>
#include <linux/sched.h>
#include <linux/shrinker.h>
#include <linux/swap.h>

#include <drm/drm_print.h>
#include <drm/ttm/ttm_backup.h>
#include <drm/ttm/ttm_bo.h>
#include <drm/ttm/ttm_placement.h>
#include <drm/ttm/ttm_resource.h>
#include <drm/ttm/ttm_tt.h>

#include "vxe_bo.h"
#include "vxe_device_types.h"
#include "vxe_module.h"
#include "vxe_shrinker.h"
#include "vxe_ttm_tt.h"

struct vxe_shrink_flags {
	bool purge;
	bool writeback;
};

/*
 * drop_caches (and the shrinker debugfs) call shrinkers outside any reclaim:
 * kswapd, direct reclaim and memory.reclaim all run with a reclaim_state on
 * the task (set_task_reclaim_state() in mm/vmscan.c); drop_slab() does not.
 */
static bool vxe_scan_is_drop_caches(void)
{
	return !current_is_kswapd() && !current->reclaim_state;
}

/* As xe_bo_shrink(): purge, back up, or leave (-EBUSY) one reserved BO. */
static long vxe_bo_shrink(struct ttm_operation_ctx *ctx, struct ttm_buffer_object *tbo,
			  const struct vxe_shrink_flags flags, unsigned long *scanned)
{
	struct ttm_place place = { .mem_type = tbo->resource->mem_type };
	struct vxe_bo *bo = ttm_to_vxe_bo(tbo);
	struct ttm_tt *tt = tbo->ttm;
	bool purgeable = vxe_bo_is_dontneed(bo);
	bool referenced;
	long lret;

	if (!(tt->page_flags & TTM_TT_FLAG_EXTERNAL_MAPPABLE) ||
	    (flags.purge && !purgeable))
		return -EBUSY;
	if (!ttm_bo_eviction_valuable(tbo, &place))
		return -EBUSY;

	referenced = kref_get_unless_zero(&tbo->base.refcount);
	if (!referenced && vxe_purge_unreferenced) {
		/* GEM-closed, kept by a CPU mapping: xe drops the content. */
		*scanned += tt->num_pages;
		return vxe_bo_purge(bo, ctx);
	}

	if (purgeable) {
		*scanned += tt->num_pages;
		lret = vxe_bo_purge(bo, ctx);
		if (lret > 0)
			vxe_bo_mark_purged(bo);
		goto out;
	}

	*scanned += tt->num_pages;
	if (vxe_fault_half_backup && bo->half_backup_skip) {
		/* To the LRU tail, so that the next scan picks another BO. */
		spin_lock(&tbo->bdev->lru_lock);
		ttm_bo_move_to_lru_tail(tbo);
		spin_unlock(&tbo->bdev->lru_lock);
		lret = 0;
		goto out;
	}
	lret = vxe_bo_backup(bo, ctx, flags.writeback);
out:
	if (referenced)
		drm_gem_object_put(&tbo->base);
	return lret;
}

/*
 * A backup that failed ends the walk: the BOs behind it stay resident.
 * Counted, and said (ratelimited) with what the BO was, so that a test
 * finding BOs not shrunk can tell why.
 */
static void vxe_shrink_error(struct vxe_device *vxe, struct ttm_buffer_object *tbo, long err)
{
	atomic_long_inc(&vxe->stats.shrink_errors);
	if (err == -EINTR)
		return;
	dev_info_ratelimited(vxe->drm.dev,
			     "shrink: a BO of %lu pages (mem_type %u, %s) not shrunk: %ld; the walk ends\n",
			     (unsigned long)(tbo->base.size >> PAGE_SHIFT), tbo->resource->mem_type,
			     dma_resv_test_signaled(tbo->base.resv, DMA_RESV_USAGE_BOOKKEEP) ?
			     "idle" : "busy", err);
}

static int __vxe_shrinker_walk(struct vxe_device *vxe, struct ttm_operation_ctx *ctx,
			       const struct vxe_shrink_flags flags,
			       unsigned long to_scan, unsigned long *scanned,
			       unsigned long *freed)
{
	static const unsigned int mem_types[] = { TTM_PL_SYSTEM, TTM_PL_TT };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(mem_types); i++) {
		struct ttm_resource_manager *man = ttm_manager_type(&vxe->ttm, mem_types[i]);
		struct ttm_lru_walk_arg arg = { .ctx = ctx, .trylock_only = true };
		struct ttm_bo_lru_cursor curs;
		struct ttm_buffer_object *tbo;
		long lret;

		if (!man || !man->use_tt)
			continue;

		ttm_bo_lru_for_each_reserved_guarded(&curs, man, &arg, tbo) {
			if (!vxe_bo_is_vxe(tbo))
				continue;
			if (!ttm_bo_shrink_suitable(tbo, ctx)) {
				if (tbo->ttm && ttm_tt_is_populated(tbo->ttm) && !tbo->pin_count)
					atomic_long_inc(&vxe->stats.busy_skips);
				continue;
			}

			lret = vxe_bo_shrink(ctx, tbo, flags, scanned);
			/* xe ends the walk at the first BO it cannot shrink. */
			if (lret < 0) {
				/* A purge walk stops at the first BO not purgeable */
				if (!flags.purge)
					vxe_shrink_error(vxe, tbo, lret);
				return lret;
			}
			*freed += lret;
			if (*scanned >= to_scan)
				return 0;
		}
	}
	return 0;
}

/* As xe_shrinker_walk(): idle BOs, then busy ones if allowed, writeback last. */
static int vxe_shrinker_walk(struct vxe_device *vxe, struct ttm_operation_ctx *ctx,
			     const struct vxe_shrink_flags flags,
			     unsigned long to_scan, unsigned long *scanned,
			     unsigned long *freed)
{
	struct vxe_shrink_flags save_flags = flags;
	bool no_wait_gpu = true;
	int ret;

	swap(no_wait_gpu, ctx->no_wait_gpu);
	save_flags.writeback = false;
	ret = __vxe_shrinker_walk(vxe, ctx, save_flags, to_scan, scanned, freed);
	swap(no_wait_gpu, ctx->no_wait_gpu);
	if (ret || *scanned >= to_scan)
		return ret;

	if (!ctx->no_wait_gpu) {
		ret = __vxe_shrinker_walk(vxe, ctx, save_flags, to_scan, scanned, freed);
		if (ret || *scanned >= to_scan)
			return ret;
	}

	if (flags.writeback)
		ret = __vxe_shrinker_walk(vxe, ctx, flags, to_scan, scanned, freed);
	return ret;
}

/**
 * vxe_shrinker_count_pages() - what the shrinker would report as count
 * @vxe: the device
 *
 * Return: min(free swap, shrinkable pages) + purgeable pages (with __GFP_FS).
 */
unsigned long vxe_shrinker_count_pages(struct vxe_device *vxe)
{
	unsigned long swap_pages = ttm_backup_bytes_avail() >> PAGE_SHIFT;
	long shrinkable = max(atomic_long_read(&vxe->stats.shrinkable), 0L);
	long purgeable = max(atomic_long_read(&vxe->stats.purgeable), 0L);

	return min_t(unsigned long, shrinkable, swap_pages) + purgeable;
}

static unsigned long vxe_shrinker_count(struct shrinker *shrinker,
					struct shrink_control *sc)
{
	struct vxe_device *vxe = shrinker->private_data;
	unsigned long pages;

	/* Backing up allocates shmem pages: only purging without __GFP_FS. */
	if (sc->gfp_mask & __GFP_FS)
		pages = vxe_shrinker_count_pages(vxe);
	else
		pages = max(atomic_long_read(&vxe->stats.purgeable), 0L);
	return pages ? pages : SHRINK_EMPTY;
}

static unsigned long vxe_shrinker_scan(struct shrinker *shrinker,
				       struct shrink_control *sc)
{
	struct vxe_device *vxe = shrinker->private_data;
	struct ttm_operation_ctx ctx = {
		.interruptible = false,
		.no_wait_gpu = ttm_bo_shrink_avoid_wait(),
	};
	struct vxe_shrink_flags flags = {
		.purge = true,
		/* No writeback without __GFP_IO; kswapd only. */
		.writeback = !ctx.no_wait_gpu && (sc->gfp_mask & __GFP_IO),
	};
	bool can_backup = sc->gfp_mask & __GFP_FS;
	unsigned long scanned = 0, freed = 0;

	atomic_long_inc(&vxe->stats.scans);
	if (current_is_kswapd())
		atomic_long_inc(&vxe->stats.kswapd_scans);

	if (vxe_fault_skip_scan)
		return 0;
	if (vxe_fault_dropcaches_only && !vxe_scan_is_drop_caches())
		return SHRINK_STOP;

	if (atomic_long_read(&vxe->stats.purgeable) > 0)
		vxe_shrinker_walk(vxe, &ctx, flags, sc->nr_to_scan, &scanned, &freed);
	if (scanned < sc->nr_to_scan && can_backup) {
		flags.purge = false;
		vxe_shrinker_walk(vxe, &ctx, flags, sc->nr_to_scan, &scanned, &freed);
	}

	atomic_long_add(scanned, &vxe->stats.scanned_pages);
	sc->nr_scanned = scanned;
	return scanned ? freed : SHRINK_STOP;
}

/**
 * vxe_shrinker_init() - register the "drm-xe_gem" shrinker of the device
 * @vxe: the device, its TTM device initialised
 *
 * Return: 0 or -ENOMEM.
 */
int vxe_shrinker_init(struct vxe_device *vxe)
{
	vxe->shrinker = shrinker_alloc(0, "drm-xe_gem:%s", vxe->drm.unique);
	if (!vxe->shrinker)
		return -ENOMEM;
	vxe->shrinker->count_objects = vxe_shrinker_count;
	vxe->shrinker->scan_objects = vxe_shrinker_scan;
	vxe->shrinker->private_data = vxe;
	shrinker_register(vxe->shrinker);
	return 0;
}

/** vxe_shrinker_fini() - unregister the shrinker */
void vxe_shrinker_fini(struct vxe_device *vxe)
{
	shrinker_free(vxe->shrinker);
	vxe->shrinker = NULL;
}
