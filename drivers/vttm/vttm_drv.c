// SPDX-License-Identifier: GPL-2.0
/*
 * vttm - a virtual TTM device, to exercise TTM's shrinker path without a GPU
 *
 * Registers one DRM device with no hardware behind it. Its buffer objects are
 * dumb buffers whose pages come from a TTM page pool in system memory. Like
 * xe's, their ttm_tts are flagged external-but-mappable, so the ttm module's
 * pages_limit swapout never touches them: only this driver's mm shrinker
 * moves them out, with ttm_bo_shrink() backing the pages up to shmem, and they
 * come back through ttm_tt_restore() when populated again (on a CPU fault).
 *
 * This is a test fixture in the spirit of vgem: there is no GPU, hence no
 * fences, no VRAM and no eviction between memory types.
 */

#include <linux/debugfs.h>
#include <linux/device/faux.h>
#include <linux/highmem.h>
#include <linux/module.h>
#include <linux/overflow.h>
#include <linux/seq_file.h>
#include <linux/shrinker.h>
#include <linux/sizes.h>
#include <linux/sched.h>
#include <linux/swap.h>

#include <drm/drm_debugfs.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_gem_ttm_helper.h>
#include <drm/drm_ioctl.h>
#include <drm/drm_print.h>
#include <drm/ttm/ttm_allocation.h>
#include <drm/ttm/ttm_backup.h>
#include <drm/ttm/ttm_bo.h>
#include <drm/ttm/ttm_device.h>
#include <drm/ttm/ttm_placement.h>
#include <drm/ttm/ttm_pool.h>
#include <drm/ttm/ttm_resource.h>
#include <drm/ttm/ttm_tt.h>

#define DRIVER_NAME	"vttm"
#define DRIVER_DESC	"Virtual TTM device for shrinker tests"

static bool vttm_wc;
module_param_named(wc, vttm_wc, bool, 0444);
MODULE_PARM_DESC(wc, "Write-combined pages and mappings instead of write-back (default: false)");

/*
 * Faults to inject, so that the tests can be shown to catch a broken
 * shrinker: each one is a bug the tests must fail on. Off by default; they
 * may be switched at any time through /sys/module/vttm/parameters/.
 */
static bool fault_skip_scan;
module_param(fault_skip_scan, bool, 0644);
MODULE_PARM_DESC(fault_skip_scan, "Fault: the shrinker's scan shrinks nothing");

static bool fault_half_backup;
module_param(fault_half_backup, bool, 0644);
MODULE_PARM_DESC(fault_half_backup, "Fault: back up only every other BO the scan picks");

static bool fault_dropcaches_only;
module_param(fault_dropcaches_only, bool, 0644);
MODULE_PARM_DESC(fault_dropcaches_only,
		 "Fault: shrink only for drop_caches, not for kswapd, direct reclaim or memory.reclaim");

static bool fault_corrupt_restore;
module_param(fault_corrupt_restore, bool, 0644);
MODULE_PARM_DESC(fault_corrupt_restore, "Fault: flip one word of each BO restored from a backup");

/* What a test needs to see what happened; all counts in pages or events. */
struct vttm_stats {
	atomic_long_t bos;		/* live buffer objects */
	atomic_long_t shrinkable;	/* populated pages the shrinker may take */
	atomic_long_t backed_up;	/* pages now held in shmem backups */
	atomic_long_t backups;		/* BOs backed up, since load */
	atomic_long_t backup_pages;	/* pages backed up, since load */
	atomic_long_t writebacks;	/* backups asking for immediate writeback */
	atomic_long_t restores;		/* BOs restored from a backup */
	atomic_long_t restored_pages;	/* pages of the backups restored */
	atomic_long_t scans;		/* calls to the shrinker's scan */
	atomic_long_t kswapd_scans;	/* of which from kswapd */
	atomic_long_t scanned_pages;	/* pages of the BOs the scans tried */
};

struct vttm_device {
	struct drm_device drm;
	struct ttm_device bdev;
	struct faux_device *faux;
	struct shrinker *shrinker;
	struct dentry *debugfs;
	struct vttm_stats stats;
};

struct vttm_tt {
	struct ttm_tt tt;
	/* Pages the last backup put in shmem, until restored or freed. */
	long backed_up;
	/* Every other tt created: the BOs fault_half_backup never backs up. */
	bool odd;
};

static struct vttm_device *vttm;

static struct vttm_device *bdev_to_vttm(struct ttm_device *bdev)
{
	return container_of(bdev, struct vttm_device, bdev);
}

static struct vttm_tt *to_vttm_tt(struct ttm_tt *tt)
{
	return container_of(tt, struct vttm_tt, tt);
}

static const struct ttm_place vttm_sys_place = {
	.mem_type = TTM_PL_SYSTEM,
};

static struct ttm_placement vttm_sys_placement = {
	.num_placement = 1,
	.placement = &vttm_sys_place,
};

static struct ttm_tt *vttm_tt_create(struct ttm_buffer_object *bo, u32 page_flags)
{
	enum ttm_caching caching = vttm_wc ? ttm_write_combined : ttm_cached;
	static atomic_t created;
	struct vttm_tt *vtt;

	vtt = kzalloc(sizeof(*vtt), GFP_KERNEL);
	if (!vtt)
		return NULL;
	vtt->odd = atomic_inc_return(&created) & 1;

	/*
	 * The same contract as xe: the pages belong to the driver, TTM may map
	 * them, and they leave memory only through the driver's shrinker.
	 * (TTM asks for zeroed pages itself when it creates a device BO's tt.)
	 */
	page_flags |= TTM_TT_FLAG_EXTERNAL | TTM_TT_FLAG_EXTERNAL_MAPPABLE;
	if (ttm_tt_init(&vtt->tt, bo, page_flags, caching, 0))
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

/* fault_corrupt_restore: the data loss a broken restore would cause */
static void vttm_corrupt_first_word(struct ttm_tt *tt)
{
	u32 *word = kmap_local_page(tt->pages[0]);

	*word ^= 0x1;
	kunmap_local(word);
}

static int vttm_tt_populate(struct ttm_device *bdev, struct ttm_tt *tt,
			    struct ttm_operation_ctx *ctx)
{
	struct vttm_stats *stats = &bdev_to_vttm(bdev)->stats;
	struct vttm_tt *vtt = to_vttm_tt(tt);
	int ret;

	if (ttm_tt_is_backed_up(tt)) {
		ret = ttm_tt_restore(bdev, tt, ctx);
		if (ret)
			return ret;
		if (fault_corrupt_restore)
			vttm_corrupt_first_word(tt);
		atomic_long_inc(&stats->restores);
		atomic_long_add(vtt->backed_up, &stats->restored_pages);
		atomic_long_sub(vtt->backed_up, &stats->backed_up);
		vtt->backed_up = 0;
	} else {
		ret = ttm_pool_alloc(&bdev->pool, tt, ctx);
		if (ret)
			return ret;
	}

	/* Nothing is ever pinned: every populated page is shrinkable. */
	atomic_long_add(tt->num_pages, &stats->shrinkable);
	return 0;
}

static void vttm_tt_unpopulate(struct ttm_device *bdev, struct ttm_tt *tt)
{
	ttm_pool_free(&bdev->pool, tt);
	atomic_long_sub(tt->num_pages, &bdev_to_vttm(bdev)->stats.shrinkable);
}

static void vttm_tt_destroy(struct ttm_device *bdev, struct ttm_tt *tt)
{
	struct vttm_tt *vtt = to_vttm_tt(tt);

	/* A BO freed while backed up: its shmem copy is dropped with it. */
	atomic_long_sub(vtt->backed_up, &bdev_to_vttm(bdev)->stats.backed_up);
	ttm_tt_fini(tt);
	kfree(vtt);
}

static void vttm_evict_flags(struct ttm_buffer_object *bo,
			     struct ttm_placement *placement)
{
	*placement = vttm_sys_placement;
}

/* System memory is the only placement: a move never copies anything. */
static int vttm_bo_move(struct ttm_buffer_object *bo, bool evict,
			struct ttm_operation_ctx *ctx,
			struct ttm_resource *new_mem, struct ttm_place *hop)
{
	ttm_bo_move_null(bo, new_mem);
	return 0;
}

static const struct ttm_device_funcs vttm_ttm_funcs = {
	.ttm_tt_create = vttm_tt_create,
	.ttm_tt_populate = vttm_tt_populate,
	.ttm_tt_unpopulate = vttm_tt_unpopulate,
	.ttm_tt_destroy = vttm_tt_destroy,
	.eviction_valuable = ttm_bo_eviction_valuable,
	.evict_flags = vttm_evict_flags,
	.move = vttm_bo_move,
};

static unsigned long vttm_shrinker_count(struct shrinker *shrinker,
					 struct shrink_control *sc)
{
	struct vttm_device *vdev = shrinker->private_data;
	unsigned long swap_pages, pages;

	/* Backing up allocates shmem pages: never without __GFP_FS. */
	if (!(sc->gfp_mask & __GFP_FS))
		return SHRINK_EMPTY;

	/* No point in filling shmem that cannot go anywhere. */
	swap_pages = ttm_backup_bytes_avail() >> PAGE_SHIFT;
	pages = max(atomic_long_read(&vdev->stats.shrinkable), 0L);
	pages = min(pages, swap_pages);

	return pages ? pages : SHRINK_EMPTY;
}

static unsigned long vttm_shrinker_scan(struct shrinker *shrinker,
					struct shrink_control *sc)
{
	struct vttm_device *vdev = shrinker->private_data;
	struct vttm_stats *stats = &vdev->stats;
	struct ttm_operation_ctx ctx = {
		.interruptible = false,
		/* Outside kswapd, busy BOs are skipped rather than waited for. */
		.no_wait_gpu = ttm_bo_shrink_avoid_wait(),
	};
	struct ttm_bo_shrink_flags flags = {
		/* kswapd has __GFP_IO and pushes the copy to swap at once. */
		.writeback = !ctx.no_wait_gpu && (sc->gfp_mask & __GFP_IO),
	};
	struct ttm_lru_walk_arg arg = {
		.ctx = &ctx,
		.trylock_only = true,
	};
	struct ttm_resource_manager *man;
	struct ttm_bo_lru_cursor curs;
	struct ttm_buffer_object *bo;
	unsigned long scanned = 0, freed = 0;

	atomic_long_inc(&stats->scans);
	if (current_is_kswapd())
		atomic_long_inc(&stats->kswapd_scans);

	if (!(sc->gfp_mask & __GFP_FS) || !ttm_backup_bytes_avail())
		return SHRINK_STOP;
	if (fault_skip_scan)
		return 0;
	/*
	 * kswapd, direct reclaim and memory.reclaim all run with
	 * current->reclaim_state set (balance_pgdat(), try_to_free_pages(),
	 * try_to_free_mem_cgroup_pages()); drop_caches' drop_slab() does not.
	 */
	if (fault_dropcaches_only && current->reclaim_state)
		return SHRINK_STOP;

	man = ttm_manager_type(&vdev->bdev, TTM_PL_SYSTEM);
	ttm_bo_lru_for_each_reserved_guarded(&curs, man, &arg, bo) {
		long lret;

		/* Populated, unpinned and (outside kswapd) idle only. */
		if (!ttm_bo_shrink_suitable(bo, &ctx))
			continue;
		/* Its GEM object is gone: the BO is being freed anyway. */
		if (!kref_read(&bo->base.refcount))
			continue;

		scanned += bo->ttm->num_pages;
		if (fault_half_backup && to_vttm_tt(bo->ttm)->odd)
			continue;
		lret = ttm_bo_shrink(&ctx, bo, flags);
		if (lret > 0) {
			to_vttm_tt(bo->ttm)->backed_up = lret;
			atomic_long_sub(bo->ttm->num_pages, &stats->shrinkable);
			atomic_long_add(lret, &stats->backed_up);
			atomic_long_add(lret, &stats->backup_pages);
			atomic_long_inc(&stats->backups);
			if (flags.writeback)
				atomic_long_inc(&stats->writebacks);
			freed += lret;
		}
		if (scanned >= sc->nr_to_scan)
			break;
	}

	atomic_long_add(scanned, &stats->scanned_pages);
	sc->nr_scanned = scanned;
	return scanned ? freed : SHRINK_STOP;
}

static void vttm_stats_print(struct seq_file *m, struct vttm_device *vdev)
{
	struct vttm_stats *s = &vdev->stats;
	unsigned long swap_pages = ttm_backup_bytes_avail() >> PAGE_SHIFT;
	long shrinkable = atomic_long_read(&s->shrinkable);

	seq_printf(m, "wc %d\n", vttm_wc);
	seq_printf(m, "bos %ld\n", atomic_long_read(&s->bos));
	seq_printf(m, "shrinkable_pages %ld\n", shrinkable);
	seq_printf(m, "backed_up_pages %ld\n", atomic_long_read(&s->backed_up));
	seq_printf(m, "swap_free_pages %lu\n", swap_pages);
	seq_printf(m, "shrinker_count %lu\n",
		   min_t(unsigned long, max(shrinkable, 0L), swap_pages));
	seq_printf(m, "backups %ld\n", atomic_long_read(&s->backups));
	seq_printf(m, "backup_pages %ld\n", atomic_long_read(&s->backup_pages));
	seq_printf(m, "writeback_backups %ld\n", atomic_long_read(&s->writebacks));
	seq_printf(m, "restores %ld\n", atomic_long_read(&s->restores));
	seq_printf(m, "restored_pages %ld\n", atomic_long_read(&s->restored_pages));
	seq_printf(m, "scans %ld\n", atomic_long_read(&s->scans));
	seq_printf(m, "kswapd_scans %ld\n", atomic_long_read(&s->kswapd_scans));
	seq_printf(m, "scanned_pages %ld\n", atomic_long_read(&s->scanned_pages));
	seq_printf(m, "fault_skip_scan %d\n", fault_skip_scan);
	seq_printf(m, "fault_half_backup %d\n", fault_half_backup);
	seq_printf(m, "fault_dropcaches_only %d\n", fault_dropcaches_only);
	seq_printf(m, "fault_corrupt_restore %d\n", fault_corrupt_restore);
}

static int vttm_stats_show(struct seq_file *m, void *unused)
{
	vttm_stats_print(m, m->private);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vttm_stats);

static int vttm_drm_stats_show(struct seq_file *m, void *unused)
{
	struct drm_debugfs_entry *entry = m->private;

	vttm_stats_print(m, container_of(entry->dev, struct vttm_device, drm));
	return 0;
}

static void vttm_gem_free(struct drm_gem_object *obj)
{
	ttm_bo_fini(drm_gem_ttm_of_gem(obj));
}

/*
 * fdinfo (drm_show_memory_stats()): every BO reports the "resident" status,
 * so that drm-resident-memory is printed even when no BO is, and its
 * resident size is that of its populated pages: 0 once backed up.
 */
static enum drm_gem_object_status vttm_gem_status(struct drm_gem_object *obj)
{
	return DRM_GEM_OBJECT_RESIDENT;
}

static size_t vttm_gem_rss(struct drm_gem_object *obj)
{
	struct ttm_buffer_object *bo = drm_gem_ttm_of_gem(obj);

	return bo->ttm && ttm_tt_is_populated(bo->ttm) ? obj->size : 0;
}

static const struct drm_gem_object_funcs vttm_gem_funcs = {
	.free = vttm_gem_free,
	.status = vttm_gem_status,
	.rss = vttm_gem_rss,
	.mmap = drm_gem_ttm_mmap,
	.print_info = drm_gem_ttm_print_info,
};

static void vttm_bo_destroy(struct ttm_buffer_object *bo)
{
	atomic_long_dec(&bdev_to_vttm(bo->bdev)->stats.bos);
	drm_gem_object_release(&bo->base);
	kfree(bo);
}

static int vttm_dumb_create(struct drm_file *file, struct drm_device *drm,
			    struct drm_mode_create_dumb *args)
{
	struct vttm_device *vdev = container_of(drm, struct vttm_device, drm);
	struct ttm_buffer_object *bo;
	u64 pitch, size;
	int ret;

	if (!args->width || !args->height || !args->bpp)
		return -EINVAL;
	if (check_mul_overflow((u64)args->width, (u64)DIV_ROUND_UP(args->bpp, 8), &pitch) ||
	    pitch > U32_MAX ||
	    check_mul_overflow(pitch, (u64)args->height, &size) ||
	    PAGE_ALIGN(size) >> PAGE_SHIFT > U32_MAX)
		return -EINVAL;
	size = PAGE_ALIGN(size);

	bo = kzalloc(sizeof(*bo), GFP_KERNEL);
	if (!bo)
		return -ENOMEM;

	drm_gem_private_object_init(drm, &bo->base, size);
	bo->base.funcs = &vttm_gem_funcs;
	atomic_long_inc(&vdev->stats.bos);

	/* Pages are allocated on first use, from the pool, not here. */
	ret = ttm_bo_init_validate(&vdev->bdev, bo, ttm_bo_type_device,
				   &vttm_sys_placement, 0, true, NULL, NULL,
				   vttm_bo_destroy);
	if (ret)
		return ret;	/* TTM has called vttm_bo_destroy() */

	ret = drm_gem_handle_create(file, &bo->base, &args->handle);
	drm_gem_object_put(&bo->base);
	if (ret)
		return ret;

	args->pitch = pitch;
	args->size = size;
	return 0;
}

/* DEFINE_DRM_GEM_FOPS() plus fdinfo, where drm_show_memory_stats() prints */
static const struct file_operations vttm_fops = {
	.owner = THIS_MODULE,
	DRM_GEM_FOPS,
	.show_fdinfo = drm_show_fdinfo,
};

static const struct drm_driver vttm_driver = {
	.driver_features = DRIVER_GEM,
	.fops = &vttm_fops,
	.dumb_create = vttm_dumb_create,
	.dumb_map_offset = drm_gem_ttm_dumb_map_offset,
	.show_fdinfo = drm_show_memory_stats,
	.name = DRIVER_NAME,
	.desc = DRIVER_DESC,
	.major = 1,
	.minor = 0,
};

static int __init vttm_init(void)
{
	struct vttm_device *vdev;
	struct faux_device *faux;
	int ret;

	faux = faux_device_create(DRIVER_NAME, NULL, NULL);
	if (!faux)
		return -ENODEV;

	/* Freed by the device's devres, when the faux device goes away. */
	vdev = devm_drm_dev_alloc(&faux->dev, &vttm_driver, struct vttm_device, drm);
	if (IS_ERR(vdev)) {
		ret = PTR_ERR(vdev);
		goto err_faux;
	}
	vdev->faux = faux;

	/* A page pool of our own, high orders up to 2 MiB, no DMA API. */
	ret = ttm_device_init(&vdev->bdev, &vttm_ttm_funcs, vdev->drm.dev,
			      vdev->drm.anon_inode->i_mapping,
			      vdev->drm.vma_offset_manager,
			      TTM_ALLOCATION_POOL_BENEFICIAL_ORDER(get_order(SZ_2M)));
	if (ret)
		goto err_faux;

	vdev->shrinker = shrinker_alloc(0, "drm-vttm");
	if (!vdev->shrinker) {
		ret = -ENOMEM;
		goto err_ttm;
	}
	vdev->shrinker->count_objects = vttm_shrinker_count;
	vdev->shrinker->scan_objects = vttm_shrinker_scan;
	vdev->shrinker->private_data = vdev;
	shrinker_register(vdev->shrinker);

	vdev->debugfs = debugfs_create_dir(DRIVER_NAME, NULL);
	debugfs_create_file("stats", 0444, vdev->debugfs, vdev, &vttm_stats_fops);
	drm_debugfs_add_file(&vdev->drm, "vttm_stats", vttm_drm_stats_show, NULL);

	ret = drm_dev_register(&vdev->drm, 0);
	if (ret)
		goto err_shrinker;

	vttm = vdev;
	drm_info(&vdev->drm, "virtual TTM device, %s pages, shrinker registered\n",
		 vttm_wc ? "write-combined" : "write-back");
	return 0;

err_shrinker:
	debugfs_remove_recursive(vdev->debugfs);
	shrinker_free(vdev->shrinker);
err_ttm:
	ttm_device_fini(&vdev->bdev);
err_faux:
	faux_device_destroy(faux);
	return ret;
}

static void __exit vttm_exit(void)
{
	struct vttm_device *vdev = vttm;
	struct vttm_stats *s = &vdev->stats;

	/* Open files and mappings hold the module: no BO can be in use here. */
	drm_dev_unregister(&vdev->drm);
	debugfs_remove_recursive(vdev->debugfs);
	shrinker_free(vdev->shrinker);
	ttm_device_fini(&vdev->bdev);

	WARN(atomic_long_read(&s->bos) || atomic_long_read(&s->shrinkable) ||
	     atomic_long_read(&s->backed_up),
	     "vttm: leaked %ld BOs, %ld populated pages, %ld backed-up pages\n",
	     atomic_long_read(&s->bos), atomic_long_read(&s->shrinkable),
	     atomic_long_read(&s->backed_up));

	faux_device_destroy(vdev->faux);
}

module_init(vttm_init);
module_exit(vttm_exit);

MODULE_AUTHOR("igt-shrink contributors");
MODULE_DESCRIPTION(DRIVER_DESC);
MODULE_LICENSE("GPL");
