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
 *
 * This file is the top of the driver: the DRM driver and its ioctl table,
 * file open and close, device creation, module init and exit (xe keeps
 * these in xe_device.c, xe_pci.c and xe_module.c). The module parameters
 * are in vxe_module.c.
 */

#include <linux/debugfs.h>
#include <linux/device/faux.h>
#include <linux/dma-fence.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_ioctl.h>
#include <drm/drm_print.h>
#include <drm/ttm/ttm_allocation.h>
#include <drm/ttm/ttm_device.h>
#include <uapi/drm/xe_drm.h>

#include "vxe_bo.h"
#include "vxe_debugfs.h"
#include "vxe_device_types.h"
#include "vxe_drm_client.h"
#include "vxe_drv.h"
#include "vxe_exec.h"
#include "vxe_exec_queue.h"
#include "vxe_module.h"
#include "vxe_query.h"
#include "vxe_shrinker.h"
#include "vxe_ttm_sys_mgr.h"
#include "vxe_vm.h"
#include "vxe_vm_madvise.h"
#include "vxe_vram.h"
#include "vxe_wait_user_fence.h"

static struct vxe_device *vxe_dev;

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

	vxe_exec_queue_close_all(xef);
	vxe_vm_close_all(xef);
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
	.show_fdinfo = vxe_drm_client_fdinfo,
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
	vxe_ttm_sys_mgr_init(vxe);
	if (vxe_discrete) {
		u64 size = vxe_vram_bytes(), visible = size;

		if (vxe_visible_vram_mb && (u64)vxe_visible_vram_mb * SZ_1M < size)
			visible = (u64)vxe_visible_vram_mb * SZ_1M;
		ret = vxe_vram_init(vxe, size, visible);
		if (ret) {
			pr_err("vxe: cannot set %llu MiB of VRAM aside: %d\n", size / SZ_1M, ret);
			vxe_ttm_sys_mgr_fini(vxe);
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
	vxe_ttm_sys_mgr_fini(vxe);
	ttm_device_fini(&vxe->ttm);
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

MODULE_AUTHOR("igt-shrink authors");
MODULE_DESCRIPTION(VXE_DRIVER_DESC);
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS("DMA_BUF");
