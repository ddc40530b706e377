// SPDX-License-Identifier: GPL-2.0
/*
 * vxe - a virtual xe device
 *
 * Registers one DRM device named "xe" on a faux device, with xe's uAPI: the
 * device queries of an integrated part, GEM_CREATE/MMAP_OFFSET over TTM
 * system memory, PRIME, VMs, exec queues and a software engine, and xe's
 * shrinker structure. It exists so that tests of xe's shrinker and
 * purgeable BOs run without Intel hardware; it refuses to load next to a
 * real xe device.
 */

#include <linux/debugfs.h>
#include <linux/device/faux.h>
#include <linux/dma-fence.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/swap.h>
#include <linux/workqueue.h>

#include <drm/drm_debugfs.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_gem_ttm_helper.h>
#include <drm/drm_ioctl.h>
#include <drm/drm_prime.h>
#include <drm/drm_print.h>
#include <drm/ttm/ttm_allocation.h>
#include <drm/ttm/ttm_backup.h>
#include <drm/ttm/ttm_bo.h>
#include <drm/ttm/ttm_device.h>
#include <drm/ttm/ttm_placement.h>
#include <drm/ttm/ttm_resource.h>
#include <drm/ttm/ttm_tt.h>
#include <uapi/drm/xe_drm.h>

#include "vxe_bo.h"
#include "vxe_drv.h"
#include "vxe_vram.h"

/* ---- module parameters: fault injection and xe's branches --------------- */

bool vxe_fault_corrupt_restore;
module_param_named(fault_corrupt_restore, vxe_fault_corrupt_restore, bool, 0644);
MODULE_PARM_DESC(fault_corrupt_restore, "Fault: flip one word of a BO after each restore");

bool vxe_fault_zero_restore;
module_param_named(fault_zero_restore, vxe_fault_zero_restore, bool, 0644);
MODULE_PARM_DESC(fault_zero_restore, "Fault: zero one page of a BO after each restore");

bool vxe_fault_skip_scan;
module_param_named(fault_skip_scan, vxe_fault_skip_scan, bool, 0644);
MODULE_PARM_DESC(fault_skip_scan, "Fault: the shrinker's scan frees nothing");

bool vxe_fault_half_backup;
module_param_named(fault_half_backup, vxe_fault_half_backup, bool, 0644);
MODULE_PARM_DESC(fault_half_backup, "Fault: every other BO created is never backed up (the scans pass over it)");

bool vxe_fault_dropcaches_only;
module_param_named(fault_dropcaches_only, vxe_fault_dropcaches_only, bool, 0644);
MODULE_PARM_DESC(fault_dropcaches_only,
		 "Fault: shrink only from drop_caches (no reclaim_state), not kswapd, direct reclaim or memory.reclaim");

bool vxe_fault_lose_willneed;
module_param_named(fault_lose_willneed, vxe_fault_lose_willneed, bool, 0644);
MODULE_PARM_DESC(fault_lose_willneed, "Fault: MADVISE WILLNEED on a purged BO reports retained");

bool vxe_fault_corrupt_evict;
module_param_named(fault_corrupt_evict, vxe_fault_corrupt_evict, bool, 0644);
MODULE_PARM_DESC(fault_corrupt_evict,
		 "Fault: flip one word in the middle page of a BO after each copy out of VRAM (eviction)");

/* ---- the discrete personality (read at load only) ------------------------ */

static bool vxe_discrete;
module_param_named(discrete, vxe_discrete, bool, 0444);
MODULE_PARM_DESC(discrete, "Answer as a discrete part (DG1) with a VRAM region (default: integrated Tiger Lake)");

static unsigned int vxe_vram_mb;
module_param_named(vram_mb, vxe_vram_mb, uint, 0444);
MODULE_PARM_DESC(vram_mb, "VRAM size in MiB with discrete=1 (default 0: RAM/16, 64 to 256 MiB)");

static unsigned int vxe_visible_vram_mb;
module_param_named(visible_vram_mb, vxe_visible_vram_mb, uint, 0444);
MODULE_PARM_DESC(visible_vram_mb, "CPU-visible part of the VRAM in MiB (default 0: all of it)");

bool vxe_purge_unreferenced = true;
module_param_named(purge_unreferenced, vxe_purge_unreferenced, bool, 0644);
MODULE_PARM_DESC(purge_unreferenced,
		 "Purge BOs whose GEM refcount is 0 (mapped, handle closed) instead of backing them up, as xe_bo_shrink() does (default: true)");

static struct vxe_device *vxe_dev;

/* ---- stats -------------------------------------------------------------- */

static void vxe_stats_print(struct seq_file *m, struct vxe_device *vxe)
{
	static const struct {
		const char *name;
		size_t offset;
	} counters[] = {
#define VXE_STAT(name, member) { name, offsetof(struct vxe_stats, member) }
		VXE_STAT("bos", bos),
		VXE_STAT("shrinkable_pages", shrinkable),
		VXE_STAT("purgeable_pages", purgeable),
		VXE_STAT("backed_up_pages", backed_up),
		VXE_STAT("backups", backups),
		VXE_STAT("backup_pages", backup_pages),
		VXE_STAT("writeback_backups", writebacks),
		VXE_STAT("reclaim_backups", reclaim_backups),
		VXE_STAT("restores", restores),
		VXE_STAT("restored_pages", restored_pages),
		VXE_STAT("scans", scans),
		VXE_STAT("kswapd_scans", kswapd_scans),
		VXE_STAT("scanned_pages", scanned_pages),
		VXE_STAT("purges", purges),
		VXE_STAT("purged_pages", purged_pages),
		VXE_STAT("busy_skips", busy_skips),
		VXE_STAT("shrink_errors", shrink_errors),
		VXE_STAT("jobs", jobs),
		VXE_STAT("job_timeouts", job_timeouts),
		VXE_STAT("gpu_faults", gpu_faults),
		VXE_STAT("bans", bans),
		VXE_STAT("vram_evictions", vram_evictions),
		VXE_STAT("vram_evicted_pages", vram_evicted_pages),
		VXE_STAT("vram_moves_in", vram_moves_in),
		VXE_STAT("vram_moved_in_pages", vram_moved_in_pages),
		VXE_STAT("vram_moves_out", vram_moves_out),
		VXE_STAT("vram_moved_out_pages", vram_moved_out_pages),
#undef VXE_STAT
	};
	static const struct {
		const char *name;
		const bool *value;
	} params[] = {
		{ "fault_corrupt_restore", &vxe_fault_corrupt_restore },
		{ "fault_zero_restore", &vxe_fault_zero_restore },
		{ "fault_skip_scan", &vxe_fault_skip_scan },
		{ "fault_half_backup", &vxe_fault_half_backup },
		{ "fault_dropcaches_only", &vxe_fault_dropcaches_only },
		{ "fault_lose_willneed", &vxe_fault_lose_willneed },
		{ "fault_corrupt_evict", &vxe_fault_corrupt_evict },
		{ "purge_unreferenced", &vxe_purge_unreferenced },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(counters); i++)
		seq_printf(m, "%s %ld\n", counters[i].name,
			   atomic_long_read((atomic_long_t *)((char *)&vxe->stats +
							       counters[i].offset)));
	seq_printf(m, "swap_free_pages %llu\n", ttm_backup_bytes_avail() >> PAGE_SHIFT);
	seq_printf(m, "shrinker_count %lu\n", vxe_shrinker_count_pages(vxe));
	if (vxe_is_discrete(vxe)) {
		struct vxe_vram_sizes sz;

		vxe_vram_sizes(vxe, &sz);
		seq_printf(m, "vram_pages %llu\n", sz.total >> PAGE_SHIFT);
		seq_printf(m, "vram_used_pages %llu\n", sz.used >> PAGE_SHIFT);
		seq_printf(m, "vram_visible_pages %llu\n", sz.visible >> PAGE_SHIFT);
		seq_printf(m, "vram_visible_used_pages %llu\n", sz.visible_used >> PAGE_SHIFT);
	}
	for (i = 0; i < ARRAY_SIZE(params); i++)
		seq_printf(m, "%s %d\n", params[i].name, READ_ONCE(*params[i].value));
}

static int vxe_stats_show(struct seq_file *m, void *unused)
{
	vxe_stats_print(m, m->private);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vxe_stats);

static int vxe_drm_stats_show(struct seq_file *m, void *unused)
{
	struct drm_debugfs_entry *entry = m->private;

	vxe_stats_print(m, to_vxe(entry->dev));
	return 0;
}

/* ---- fdinfo, as xe_drm_client.c prints it ------------------------------ */

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

static void vxe_show_fdinfo(struct drm_printer *p, struct drm_file *file)
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

/* ---- files ---------------------------------------------------------------- */

static int vxe_open(struct drm_device *drm, struct drm_file *file)
{
	struct vxe_file *xef;

	xef = kzalloc(sizeof(*xef), GFP_KERNEL);
	if (!xef)
		return -ENOMEM;
	xef->vxe = to_vxe(drm);
	xef->drm = file;
	xa_init_flags(&xef->vms, XA_FLAGS_ALLOC1);
	xa_init_flags(&xef->queues, XA_FLAGS_ALLOC1);
	mutex_init(&xef->lock);
	file->driver_priv = xef;
	return 0;
}

static void vxe_postclose(struct drm_device *drm, struct drm_file *file)
{
	struct vxe_file *xef = to_vxe_file(file);

	vxe_gpu_file_close(xef);
	xa_destroy(&xef->queues);
	xa_destroy(&xef->vms);
	mutex_destroy(&xef->lock);
	kfree(xef);
	file->driver_priv = NULL;
}

static const struct drm_ioctl_desc vxe_ioctls[] = {
	DRM_IOCTL_DEF_DRV(XE_DEVICE_QUERY, vxe_query_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(XE_GEM_CREATE, vxe_gem_create_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(XE_GEM_MMAP_OFFSET, vxe_gem_mmap_offset_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(XE_VM_CREATE, vxe_vm_create_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(XE_VM_DESTROY, vxe_vm_destroy_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(XE_VM_BIND, vxe_vm_bind_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(XE_EXEC_QUEUE_CREATE, vxe_exec_queue_create_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(XE_EXEC_QUEUE_DESTROY, vxe_exec_queue_destroy_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(XE_EXEC_QUEUE_GET_PROPERTY, vxe_exec_queue_get_property_ioctl,
			  DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(XE_EXEC, vxe_exec_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(XE_WAIT_USER_FENCE, vxe_wait_user_fence_ioctl, DRM_RENDER_ALLOW),
#ifdef DRM_IOCTL_XE_MADVISE
	DRM_IOCTL_DEF_DRV(XE_MADVISE, vxe_madvise_ioctl, DRM_RENDER_ALLOW),
#endif
};

static const struct file_operations vxe_fops = {
	.owner = THIS_MODULE,
	.open = drm_open,
	.release = drm_release_noglobal,
	.unlocked_ioctl = drm_ioctl,
	.compat_ioctl = drm_compat_ioctl,
	.mmap = drm_gem_mmap,
	.poll = drm_poll,
	.read = drm_read,
	.llseek = noop_llseek,
	.show_fdinfo = drm_show_fdinfo,
	.fop_flags = FOP_UNSIGNED_OFFSET,
};

static const struct drm_driver vxe_driver = {
	.driver_features = DRIVER_GEM | DRIVER_RENDER | DRIVER_SYNCOBJ |
			   DRIVER_SYNCOBJ_TIMELINE,
	.open = vxe_open,
	.postclose = vxe_postclose,
	.show_fdinfo = vxe_show_fdinfo,
	.dumb_create = vxe_dumb_create,
	.ioctls = vxe_ioctls,
	.num_ioctls = ARRAY_SIZE(vxe_ioctls),
	.fops = &vxe_fops,
	.name = VXE_DRIVER_NAME,
	.desc = VXE_DRIVER_DESC,
	.major = 1,
	.minor = 1,
};

/* ---- refusal checks ------------------------------------------------------ */

/*
 * A real xe device would make every "xe" test ambiguous: vxe stays out when
 * xe's PCI driver is registered or an Intel display-class device exists.
 */
static int vxe_check_no_real_xe(void)
{
	struct pci_dev *pdev = NULL;
	struct device_driver *drv;

	drv = driver_find("xe", &pci_bus_type);
	if (drv) {
		pr_err("vxe: the xe module is loaded: not registering a virtual xe device\n");
		return -EBUSY;
	}
	while ((pdev = pci_get_device(PCI_VENDOR_ID_INTEL, PCI_ANY_ID, pdev))) {
		if ((pdev->class >> 16) == PCI_BASE_CLASS_DISPLAY) {
			pr_err("vxe: Intel display device %s (%04x:%04x) present: not registering a virtual xe device\n",
			       pci_name(pdev), pdev->vendor, pdev->device);
			pci_dev_put(pdev);
			return -EBUSY;
		}
	}
	return 0;
}

/* ---- module init and exit ----------------------------------------------- */

/* vram_mb, or RAM/16 within 64..256 MiB; whole 2 MiB. */
static u64 vxe_vram_bytes(void)
{
	u64 size = vxe_vram_mb ? (u64)vxe_vram_mb * SZ_1M :
		   clamp_t(u64, ((u64)totalram_pages() << PAGE_SHIFT) / 16, SZ_64M, SZ_256M);

	return max_t(u64, ALIGN_DOWN(size, SZ_2M), SZ_2M);
}

/*
 * The device's validation lock, as xe_validation_lock(): shared normally,
 * exclusive for the one retry of a transaction that ran out of memory, so
 * that no other validation keeps BOs locked while it evicts. -EINTR when
 * interrupted (shared) or killed (exclusive).
 */
static int vxe_validation_lock(struct vxe_device *vxe, bool exclusive)
{
	return exclusive ? down_write_killable(&vxe->validation_lock) :
			   down_read_interruptible(&vxe->validation_lock);
}

static void vxe_validation_unlock(struct vxe_device *vxe, bool exclusive)
{
	if (exclusive)
		up_write(&vxe->validation_lock);
	else
		up_read(&vxe->validation_lock);
}

/**
 * vxe_validation_guard() - runs a validation that may evict, as xe's guard
 * @vxe: the device
 * @validate: the transaction (exec, GEM_CREATE in VRAM); it must undo itself
 *	      when it fails
 * @arg: passed to @validate
 *
 * Runs @validate holding the validation lock shared; when it ran out of
 * memory (-ENOMEM, or TTM's -ENOSPC: other validations held the BOs it would
 * evict), once more holding the lock exclusively.
 *
 * Return: what @validate returned last, or -EINTR from the lock.
 */
int vxe_validation_guard(struct vxe_device *vxe, int (*validate)(void *arg), void *arg)
{
	bool exclusive = false;
	int err;

	for (;;) {
		err = vxe_validation_lock(vxe, exclusive);
		if (err)
			return err;
		err = validate(arg);
		vxe_validation_unlock(vxe, exclusive);
		if ((err != -ENOMEM && err != -ENOSPC) || exclusive)
			return err;
		exclusive = true;
	}
}

/**
 * vxe_validation_fault_lock() - the validation lock, shared, for a CPU fault
 * @vxe: the device
 * @vmf: the fault
 *
 * A fault locks the BO's resv (a VM-private BO's: its whole VM's) and may
 * validate it, so it holds the validation lock shared around that, as exec
 * does: an exec retrying exclusively then finds no BO locked by a fault.
 * Under the mmap lock only a trylock: when it fails and the fault may be
 * retried, the mmap lock is dropped, the lock waited for and the fault
 * retried, as ttm_bo_vm_reserve() does for the resv.
 *
 * Return: 0 with the lock held (release with vxe_validation_unlock_shared());
 * VM_FAULT_RETRY; or VM_FAULT_NOPAGE, to fault again, when it may not wait.
 */
vm_fault_t vxe_validation_fault_lock(struct vxe_device *vxe, struct vm_fault *vmf)
{
	if (down_read_trylock(&vxe->validation_lock))
		return 0;
	if (fault_flag_allow_retry_first(vmf->flags)) {
		if (vmf->flags & FAULT_FLAG_RETRY_NOWAIT)
			return VM_FAULT_RETRY;
		/* Without the mmap lock the mapping, and its file, may go */
		drm_dev_get(&vxe->drm);
		mmap_read_unlock(vmf->vma->vm_mm);
		if (!down_read_interruptible(&vxe->validation_lock))
			up_read(&vxe->validation_lock);
		drm_dev_put(&vxe->drm);
		return VM_FAULT_RETRY;
	}
	/*
	 * Never wait for it under the mmap lock: a bind holding it shared may
	 * pin userptr pages, which takes the mmap lock. Back to user space;
	 * the access faults again, this time free to drop the mmap lock.
	 */
	return VM_FAULT_NOPAGE;
}

/**
 * vxe_validation_lock_shared() - the validation lock, shared, outside a guard
 * @vxe: the device
 *
 * For what locks BOs without evicting (a synchronous bind): an exec retrying
 * exclusively then finds none of them locked.
 *
 * Return: 0, or -EINTR when interrupted.
 */
int vxe_validation_lock_shared(struct vxe_device *vxe)
{
	return down_read_interruptible(&vxe->validation_lock);
}

/**
 * vxe_validation_unlock_shared() - releases vxe_validation_lock_shared() or a
 * vxe_validation_fault_lock() that returned 0
 * @vxe: the device
 */
void vxe_validation_unlock_shared(struct vxe_device *vxe)
{
	up_read(&vxe->validation_lock);
}

static int vxe_ttm_init(struct vxe_device *vxe)
{
	int ret;

	/* A page pool of our own, high orders up to 2 MiB, no DMA API. */
	ret = ttm_device_init(&vxe->ttm, &vxe_ttm_funcs, vxe->drm.dev,
			      vxe->drm.anon_inode->i_mapping,
			      vxe->drm.vma_offset_manager,
			      TTM_ALLOCATION_POOL_BENEFICIAL_ORDER(get_order(SZ_2M)) |
			      TTM_ALLOCATION_PROPAGATE_ENOSPC);
	if (ret)
		return ret;
	vxe_tt_manager_init(vxe);
	if (vxe_discrete) {
		u64 size = vxe_vram_bytes(), visible = size;

		if (vxe_visible_vram_mb && (u64)vxe_visible_vram_mb * SZ_1M < size)
			visible = (u64)vxe_visible_vram_mb * SZ_1M;
		ret = vxe_vram_init(vxe, size, visible);
		if (ret) {
			pr_err("vxe: cannot set %llu MiB of VRAM aside: %d\n", size / SZ_1M, ret);
			vxe_tt_manager_fini(vxe);
			ttm_device_fini(&vxe->ttm);
			return ret;
		}
	}
	return 0;
}

static void vxe_ttm_fini(struct vxe_device *vxe)
{
	/* VRAM first: its BOs are evicted to TT. */
	vxe_vram_fini(vxe);
	vxe_tt_manager_fini(vxe);
	ttm_device_fini(&vxe->ttm);
}

static void vxe_debugfs_init(struct vxe_device *vxe)
{
	vxe->debugfs = debugfs_create_dir("vxe", NULL);
	debugfs_create_file("stats", 0444, vxe->debugfs, vxe, &vxe_stats_fops);
	drm_debugfs_add_file(&vxe->drm, "vxe_stats", vxe_drm_stats_show, NULL);
}

static int __init vxe_init(void)
{
	struct vxe_device *vxe;
	struct faux_device *faux;
	int ret;

	ret = vxe_check_no_real_xe();
	if (ret)
		return ret;

	faux = faux_device_create("vxe", NULL, NULL);
	if (!faux)
		return -ENODEV;

	/* Freed by the device's devres, when the faux device goes away. */
	vxe = devm_drm_dev_alloc(&faux->dev, &vxe_driver, struct vxe_device, drm);
	if (IS_ERR(vxe)) {
		ret = PTR_ERR(vxe);
		goto err_faux;
	}
	vxe->faux = faux;
	vxe->fence_context = dma_fence_context_alloc(1);
	init_rwsem(&vxe->validation_lock);

	/*
	 * Unbound, not ordered: a spinning job must not hold back the jobs of
	 * other queues (xe's queues run independently). Jobs of one queue stay
	 * in order through their dependency on the queue's previous job.
	 */
	vxe->engine_wq = alloc_workqueue("vxe-engine", WQ_UNBOUND | WQ_MEM_RECLAIM, 0);
	if (!vxe->engine_wq) {
		ret = -ENOMEM;
		goto err_faux;
	}
	ret = vxe_ttm_init(vxe);
	if (ret)
		goto err_wq;
	ret = vxe_shrinker_init(vxe);
	if (ret)
		goto err_ttm;
	vxe_debugfs_init(vxe);

	ret = drm_dev_register(&vxe->drm, 0);
	if (ret)
		goto err_shrinker;

	vxe_dev = vxe;
	if (vxe_is_discrete(vxe)) {
		struct vxe_vram_sizes sz;

		vxe_vram_sizes(vxe, &sz);
		drm_info(&vxe->drm, "virtual xe device %04x (discrete, %llu MiB VRAM, %llu MiB CPU-visible), shrinker registered\n",
			 vxe_device_id(vxe), sz.total / SZ_1M, sz.visible / SZ_1M);
	} else {
		drm_info(&vxe->drm, "virtual xe device %04x (integrated, system memory), shrinker registered\n",
			 vxe_device_id(vxe));
	}
	return 0;

err_shrinker:
	debugfs_remove_recursive(vxe->debugfs);
	vxe_shrinker_fini(vxe);
err_ttm:
	vxe_ttm_fini(vxe);
err_wq:
	destroy_workqueue(vxe->engine_wq);
err_faux:
	faux_device_destroy(faux);
	return ret;
}

static void __exit vxe_exit(void)
{
	struct vxe_device *vxe = vxe_dev;
	struct vxe_stats *s = &vxe->stats;

	/* Open files and mappings hold the module: no BO is in use here. */
	drm_dev_unregister(&vxe->drm);
	debugfs_remove_recursive(vxe->debugfs);
	vxe_shrinker_fini(vxe);
	destroy_workqueue(vxe->engine_wq);
	vxe_ttm_fini(vxe);

	WARN(atomic_long_read(&s->bos) || atomic_long_read(&s->shrinkable) ||
	     atomic_long_read(&s->purgeable) || atomic_long_read(&s->backed_up),
	     "vxe: leaked %ld BOs, %ld shrinkable, %ld purgeable, %ld backed-up pages\n",
	     atomic_long_read(&s->bos), atomic_long_read(&s->shrinkable),
	     atomic_long_read(&s->purgeable), atomic_long_read(&s->backed_up));

	faux_device_destroy(vxe->faux);
}

module_init(vxe_init);
module_exit(vxe_exit);

MODULE_AUTHOR("igt-shrink contributors");
MODULE_DESCRIPTION(VXE_DRIVER_DESC);
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS("DMA_BUF");
