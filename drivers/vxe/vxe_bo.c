// SPDX-License-Identifier: GPL-2.0
/*
 * vxe buffer objects: TTM BOs in system memory, created the way xe creates
 * a user BO on an integrated part (xe_gem_create_ioctl, xe_bo_create_user):
 * placed in TT and populated at creation, pages external-but-mappable so that
 * only vxe's shrinker moves them out, CPU caching as asked (WC honoured),
 * VM-private BOs on the VM's dma_resv and LRU bulk move. On the discrete
 * personality, VRAM-placeable BOs go to VRAM (vxe_vram.c) with TT as the
 * fallback, and moves into and out of VRAM are CPU copies (vxe_migrate.c).
 *
 * As xe's xe_bo.c: the TTM device callbacks, the GEM object (CPU fault,
 * mmap, PRIME), validation, GEM_CREATE, MMAP_OFFSET and dumb buffers. The
 * ttm_tt and the shrinking of a BO are in vxe_ttm_tt.c, the TT manager in
 * vxe_ttm_sys_mgr.c.
 */

#include <linux/dma-buf.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <drm/drm_drv.h>
#include <drm/drm_dumb_buffers.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_gem_ttm_helper.h>
#include <drm/drm_prime.h>
#include <drm/drm_print.h>
#include <drm/ttm/ttm_bo.h>
#include <drm/ttm/ttm_placement.h>
#include <drm/ttm/ttm_resource.h>
#include <drm/ttm/ttm_tt.h>
#include <uapi/drm/xe_drm.h>

#include "vxe_bo.h"
#include "vxe_device_types.h"
#include "vxe_migrate.h"
#include "vxe_module.h"
#include "vxe_ttm_tt.h"
#include "vxe_validation.h"
#include "vxe_vm_types.h"
#include "vxe_vram.h"

static const struct ttm_place vxe_tt_place = { .mem_type = TTM_PL_TT };
static const struct ttm_place vxe_sys_place = { .mem_type = TTM_PL_SYSTEM };

static struct ttm_placement vxe_tt_placement = {
	.num_placement = 1,
	.placement = &vxe_tt_place,
};

static struct ttm_placement vxe_sys_placement = {
	.num_placement = 1,
	.placement = &vxe_sys_place,
};

/* As xe_evict_flags(): VRAM goes to TT, TT to SYSTEM. */
static void vxe_evict_flags(struct ttm_buffer_object *tbo,
			    struct ttm_placement *placement)
{
	if (tbo->resource && tbo->resource->mem_type == VXE_PL_VRAM)
		*placement = vxe_tt_placement;
	else
		*placement = vxe_sys_placement;
}

/*
 * SYSTEM and TT are the same pages: TTM has populated the tt before a move
 * to TT, and a move to SYSTEM keeps them (xe: DMA unmap, no copy, on a part
 * without flat CCS). Moves into or out of VRAM are copies.
 */
static int vxe_bo_move(struct ttm_buffer_object *tbo, bool evict,
		       struct ttm_operation_ctx *ctx, struct ttm_resource *new_mem,
		       struct ttm_place *hop)
{
	struct ttm_resource *old = tbo->resource;

	if (new_mem->mem_type == VXE_PL_VRAM ||
	    (old && old->mem_type == VXE_PL_VRAM))
		return vxe_migrate_move(tbo, evict, ctx, new_mem);
	ttm_bo_move_null(tbo, new_mem);
	return 0;
}

/*
 * The "BAR": only the CPU-visible part of VRAM can be mapped, as in
 * xe_ttm_io_mem_reserve(). The pages are RAM, mapped write-back: a WC
 * mapping would alias the kernel's write-back linear map of the pool.
 */
static int vxe_io_mem_reserve(struct ttm_device *ttm, struct ttm_resource *mem)
{
	if (mem->mem_type != VXE_PL_VRAM)
		return 0;
	if (!vxe_vram_res_visible(mem))
		return -EINVAL;
	mem->bus.is_iomem = true;
	mem->bus.caching = ttm_cached;
	return 0;
}

/* The pfn of the pool page itself: vmf_insert_pfn() takes RAM pfns too. */
static unsigned long vxe_io_mem_pfn(struct ttm_buffer_object *tbo,
				    unsigned long page_offset)
{
	struct page *page = vxe_vram_page(ttm_to_vxe(tbo->bdev), tbo->resource,
					  page_offset);

	return page ? page_to_pfn(page) : 0;
}

/* ptrace and /proc/pid/mem on a VRAM mapping (xe_ttm_access_memory). */
static int vxe_access_memory(struct ttm_buffer_object *tbo, unsigned long offset,
			     void *buf, int len, int write)
{
	int done = 0;

	while (done < len) {
		unsigned long off = offset + done;
		struct page *page = vxe_vram_page(ttm_to_vxe(tbo->bdev), tbo->resource,
						  off >> PAGE_SHIFT);
		int n = min_t(int, len - done, PAGE_SIZE - offset_in_page(off));
		void *vaddr;

		if (!page)
			return -EIO;
		vaddr = kmap_local_page(page);
		if (write)
			memcpy(vaddr + offset_in_page(off), buf + done, n);
		else
			memcpy(buf + done, vaddr + offset_in_page(off), n);
		kunmap_local(vaddr);
		done += n;
	}
	return len;
}

const struct ttm_device_funcs vxe_ttm_funcs = {
	.ttm_tt_create = vxe_tt_create,
	.ttm_tt_populate = vxe_tt_populate,
	.ttm_tt_unpopulate = vxe_tt_unpopulate,
	.ttm_tt_destroy = vxe_tt_destroy,
	.eviction_valuable = ttm_bo_eviction_valuable,
	.evict_flags = vxe_evict_flags,
	.move = vxe_bo_move,
	.io_mem_reserve = vxe_io_mem_reserve,
	.io_mem_pfn = vxe_io_mem_pfn,
	.access_memory = vxe_access_memory,
};

/* ---- GEM object --------------------------------------------------------- */

static void vxe_gem_free(struct drm_gem_object *obj)
{
	ttm_bo_fini(drm_gem_ttm_of_gem(obj));
}

/* As xe_gem_object_close: a closed VM-private BO leaves the VM's bulk move. */
static void vxe_gem_close(struct drm_gem_object *obj, struct drm_file *file)
{
	struct vxe_bo *bo = gem_to_vxe_bo(obj);

	if (!bo->vm)
		return;
	dma_resv_lock(obj->resv, NULL);
	ttm_bo_set_bulk_move(&bo->ttm, NULL);
	dma_resv_unlock(obj->resv);
}

static vm_fault_t vxe_err_to_fault(int err)
{
	switch (err) {
	case 0:
	case -EINTR:
	case -ERESTARTSYS:
	case -EAGAIN:
		return VM_FAULT_NOPAGE;
	case -ENOMEM:
	case -ENOSPC:
		return VM_FAULT_OOM;
	}
	return VM_FAULT_SIGBUS;
}

static int vxe_bo_validate_tt(struct vxe_bo *bo, struct ttm_operation_ctx *ctx);

/*
 * Where a CPU fault needs the BO, as xe_bo_fault_migrate(): in system
 * memory a shrunk tt is restored in place; in VRAM the BO stays (outside
 * the CPU-visible part, io_mem_reserve refuses it and the fault is SIGBUS,
 * as xe's).
 */
static int vxe_bo_fault_migrate(struct vxe_bo *bo, struct ttm_operation_ctx *ctx)
{
	if (vxe_bo_in_vram(bo))
		return 0;
	return vxe_bo_validate_tt(bo, ctx);
}

/*
 * CPU fault: a shrunk BO is validated back into TT first, which restores
 * its backup (xe_bo_cpu_fault -> xe_bo_fault_migrate). DONTNEED and purged
 * BOs get SIGBUS, as in xe. The validation lock is taken before the BO's
 * resv, in exec's order.
 */
static vm_fault_t vxe_bo_vm_fault(struct vm_fault *vmf)
{
	struct ttm_buffer_object *tbo = vmf->vma->vm_private_data;
	struct vxe_device *vxe = ttm_to_vxe(tbo->bdev);
	struct vxe_bo *bo = ttm_to_vxe_bo(tbo);
	struct ttm_operation_ctx ctx = {
		.interruptible = true,
		.no_wait_gpu = false,
		.gfp_retry_mayfail = true,
	};
	vm_fault_t ret;
	int idx, err;

	ret = vxe_validation_fault_lock(vxe, vmf);
	if (ret)
		return ret;
	ret = ttm_bo_vm_reserve(tbo, vmf);
	if (ret)
		goto out_validation;

	if (vxe_bo_is_dontneed(bo) || vxe_bo_is_purged(bo)) {
		ret = VM_FAULT_SIGBUS;
		goto out_unlock;
	}

	if (!drm_dev_enter(tbo->base.dev, &idx)) {
		ret = ttm_bo_vm_dummy_page(vmf, vmf->vma->vm_page_prot);
		goto out_unlock;
	}
	err = vxe_bo_fault_migrate(bo, &ctx);
	if (err)
		ret = vxe_err_to_fault(err);
	else
		ret = ttm_bo_vm_fault_reserved(vmf, vmf->vma->vm_page_prot,
					       TTM_BO_VM_NUM_PREFAULT);
	drm_dev_exit(idx);
	/* ttm_bo_vm_fault_reserved() unlocked the BO when it asks for a retry. */
	if (ret == VM_FAULT_RETRY && !(vmf->flags & FAULT_FLAG_RETRY_NOWAIT))
		goto out_validation;

out_unlock:
	dma_resv_unlock(tbo->base.resv);
out_validation:
	vxe_validation_unlock_shared(vxe);
	return ret;
}

static const struct vm_operations_struct vxe_bo_vm_ops = {
	.fault = vxe_bo_vm_fault,
	.open = ttm_bo_vm_open,
	.close = ttm_bo_vm_close,
	.access = ttm_bo_vm_access,
};

/* As xe_gem_object_mmap: DONTNEED -EBUSY, purged -EINVAL. */
static int vxe_gem_mmap(struct drm_gem_object *obj, struct vm_area_struct *vma)
{
	struct vxe_bo *bo = gem_to_vxe_bo(obj);
	int ret;

	ret = dma_resv_lock_interruptible(obj->resv, NULL);
	if (ret)
		return ret;
	if (vxe_bo_is_dontneed(bo))
		ret = -EBUSY;
	else if (vxe_bo_is_purged(bo))
		ret = -EINVAL;
	dma_resv_unlock(obj->resv);
	if (ret)
		return ret;

	/* Drops the GEM reference: the mapping holds the TTM one only. */
	ret = drm_gem_ttm_mmap(obj, vma);
	if (!ret)
		vma->vm_ops = &vxe_bo_vm_ops;
	return ret;
}

/* xe refuses to export a VM-private BO. */
static struct dma_buf *vxe_gem_prime_export(struct drm_gem_object *obj, int flags)
{
	if (gem_to_vxe_bo(obj)->vm)
		return ERR_PTR(-EPERM);
	return drm_gem_prime_export(obj, flags);
}

/* An importer that cannot follow moves pins the BO: no longer shrinkable. */
static int vxe_gem_pin(struct drm_gem_object *obj)
{
	struct vxe_bo *bo = gem_to_vxe_bo(obj);
	struct ttm_operation_ctx ctx = { .interruptible = true };
	int ret;

	dma_resv_assert_held(obj->resv);
	/* An importer reads the pages: out of VRAM, as xe_gem_prime_pin(). */
	ret = vxe_bo_validate_tt(bo, &ctx);
	if (ret)
		return ret;
	ttm_bo_pin(&bo->ttm);
	vxe_bo_recount(bo);
	return 0;
}

static void vxe_gem_unpin(struct drm_gem_object *obj)
{
	struct vxe_bo *bo = gem_to_vxe_bo(obj);

	dma_resv_assert_held(obj->resv);
	ttm_bo_unpin(&bo->ttm);
	vxe_bo_recount(bo);
}

static struct sg_table *vxe_gem_get_sg_table(struct drm_gem_object *obj)
{
	struct vxe_bo *bo = gem_to_vxe_bo(obj);

	if (vxe_bo_in_vram(bo) || !bo->ttm.ttm || !ttm_tt_is_populated(bo->ttm.ttm))
		return ERR_PTR(-EINVAL);
	return drm_prime_pages_to_sg(obj->dev, bo->ttm.ttm->pages,
				     bo->ttm.ttm->num_pages);
}

static const struct drm_gem_object_funcs vxe_gem_funcs;

bool vxe_bo_is_vxe(const struct ttm_buffer_object *tbo)
{
	return tbo->base.funcs == &vxe_gem_funcs;
}

/** vxe_bo_in_vram() - whether the BO is placed in VRAM now (resv held) */
bool vxe_bo_in_vram(const struct vxe_bo *bo)
{
	return bo->ttm.resource && bo->ttm.resource->mem_type == VXE_PL_VRAM;
}

static const struct drm_gem_object_funcs vxe_gem_funcs = {
	.free = vxe_gem_free,
	.close = vxe_gem_close,
	.mmap = vxe_gem_mmap,
	.export = vxe_gem_prime_export,
	.pin = vxe_gem_pin,
	.unpin = vxe_gem_unpin,
	.get_sg_table = vxe_gem_get_sg_table,
	.print_info = drm_gem_ttm_print_info,
};

static void vxe_bo_destroy(struct ttm_buffer_object *tbo)
{
	struct vxe_bo *bo = ttm_to_vxe_bo(tbo);
	struct vxe_device *vxe = ttm_to_vxe(tbo->bdev);

	atomic_long_dec(&vxe->stats.bos);
	drm_gem_object_release(&tbo->base);
	if (bo->vm)
		vxe_vm_put(bo->vm);
	kfree(bo);
}

/* ---- BO API ------------------------------------------------------------- */

struct vxe_bo *vxe_bo_lookup(struct drm_file *file, u32 handle)
{
	struct drm_gem_object *obj = drm_gem_object_lookup(file, handle);

	if (!obj)
		return NULL;
	if (obj->funcs != &vxe_gem_funcs) {
		drm_gem_object_put(obj);
		return NULL;
	}
	return gem_to_vxe_bo(obj);
}

void vxe_bo_put(struct vxe_bo *bo)
{
	drm_gem_object_put(&bo->ttm.base);
}

static int __vxe_bo_validate(struct vxe_bo *bo, struct ttm_placement *placement,
			     struct ttm_operation_ctx *ctx)
{
	int ret;

	dma_resv_assert_held(bo->ttm.base.resv);
	if (vxe_bo_is_purged(bo))
		return -EINVAL;

	ret = ttm_bo_validate(&bo->ttm, placement, ctx);
	if (ret)
		return ret;
	if (vxe_bo_in_vram(bo))
		return 0;
	/* Already in TT: TTM moved nothing, but the tt may lack its pages. */
	if (bo->ttm.ttm && !ttm_tt_is_populated(bo->ttm.ttm))
		ret = ttm_bo_populate(&bo->ttm, ctx);
	return ret;
}

int vxe_bo_validate(struct vxe_bo *bo, struct ttm_operation_ctx *ctx)
{
	return __vxe_bo_validate(bo, &bo->placement, ctx);
}

/* Into system memory (TT) whatever the BO's placement: pin, CPU fault. */
static int vxe_bo_validate_tt(struct vxe_bo *bo, struct ttm_operation_ctx *ctx)
{
	return __vxe_bo_validate(bo, &vxe_tt_placement, ctx);
}

struct page *vxe_bo_page(struct vxe_bo *bo, pgoff_t pgoff)
{
	struct ttm_tt *tt = bo->ttm.ttm;

	if (vxe_bo_in_vram(bo))
		return pgoff < PFN_UP(bo->ttm.base.size) ?
			vxe_vram_page(ttm_to_vxe(bo->ttm.bdev), bo->ttm.resource, pgoff) :
			NULL;

	if (!tt || !ttm_tt_is_populated(tt) || pgoff >= tt->num_pages)
		return NULL;
	return tt->pages[pgoff];
}

bool vxe_bo_set_purgeable(struct vxe_bo *bo, u32 state)
{
	bool purged;

	dma_resv_assert_held(bo->ttm.base.resv);
	purged = vxe_bo_is_purged(bo);
	/* Imported BOs are the exporter's: their state is not tracked. */
	if (bo->ttm.base.import_attach)
		return true;

	/* Once purged, always purged: WILLNEED cannot bring the content back. */
	if (!purged)
		bo->purgeable = state & VXE_BO_PURGEABLE_STATE_MASK;
	vxe_bo_recount(bo);

	if (purged && vxe_fault_lose_willneed &&
	    state == DRM_XE_VMA_PURGEABLE_STATE_WILLNEED)
		return true;
	return !purged;
}

unsigned long vxe_bo_resident_pages(struct vxe_bo *bo)
{
	struct ttm_tt *tt = bo->ttm.ttm;

	if (vxe_bo_in_vram(bo))
		return PFN_UP(bo->ttm.base.size);
	return tt && ttm_tt_is_populated(tt) ? tt->num_pages : 0;
}

/* ---- GEM_CREATE and MMAP_OFFSET ----------------------------------------- */

#define VXE_PLACEMENT_SYSTEM	BIT(0)
#define VXE_PLACEMENT_VRAM	BIT(VXE_REGION_VRAM)

#ifdef DRM_XE_GEM_CREATE_FLAG_NO_COMPRESSION
#define VXE_NO_COMPRESSION	DRM_XE_GEM_CREATE_FLAG_NO_COMPRESSION
#else
#define VXE_NO_COMPRESSION	0
#endif

#define VXE_GEM_CREATE_FLAGS	(DRM_XE_GEM_CREATE_FLAG_DEFER_BACKING | \
				 DRM_XE_GEM_CREATE_FLAG_SCANOUT | \
				 DRM_XE_GEM_CREATE_FLAG_NEEDS_VISIBLE_VRAM | \
				 VXE_NO_COMPRESSION)

/* The regions of the device: system memory, and VRAM when discrete. */
static u32 vxe_placement_mask(const struct vxe_device *vxe)
{
	return vxe_is_discrete(vxe) ? VXE_PLACEMENT_SYSTEM | VXE_PLACEMENT_VRAM :
				      VXE_PLACEMENT_SYSTEM;
}

/* The argument checks of xe_gem_create_ioctl, in its order and errnos. */
static int vxe_gem_create_check(const struct vxe_device *vxe,
				const struct drm_xe_gem_create *args)
{
	bool vram = args->placement & VXE_PLACEMENT_VRAM;

	if (args->pad[0] || args->pad[1] || args->pad[2] ||
	    args->reserved[0] || args->reserved[1])
		return -EINVAL;
	if ((args->placement & ~vxe_placement_mask(vxe)) || !args->placement)
		return -EINVAL;
	if (args->flags & ~VXE_GEM_CREATE_FLAGS)
		return -EINVAL;
	if (args->handle || !args->size || args->size > SIZE_MAX ||
	    (args->size & ~PAGE_MASK))
		return -EINVAL;
	/* Graphics 12 has no compression hint. */
	if (args->flags & VXE_NO_COMPRESSION)
		return -EOPNOTSUPP;
	/* Visible VRAM only means something with a VRAM placement. */
	if ((args->flags & DRM_XE_GEM_CREATE_FLAG_NEEDS_VISIBLE_VRAM) && !vram)
		return -EINVAL;
	if (!args->cpu_caching || args->cpu_caching > DRM_XE_GEM_CPU_CACHING_WC)
		return -EINVAL;
	/* A BO that may live in VRAM is mapped WC: WB is refused. */
	if (vram && args->cpu_caching != DRM_XE_GEM_CPU_CACHING_WC)
		return -EINVAL;
	/* Scanout is never coherent with the CPU cache. */
	if ((args->flags & DRM_XE_GEM_CREATE_FLAG_SCANOUT) &&
	    args->cpu_caching == DRM_XE_GEM_CPU_CACHING_WB)
		return -EINVAL;
	return 0;
}

/*
 * The only extension is SET_PROPERTY PXP_TYPE; vxe has no PXP, so as in xe
 * PXP_TYPE_NONE is accepted and HWDRM answers -ENODEV.
 */
static int vxe_gem_create_extensions(u64 extensions)
{
	struct drm_xe_ext_set_property ext;
	int depth = 0;

	while (extensions) {
		if (++depth > 16)	/* xe's MAX_USER_EXTENSIONS */
			return -E2BIG;
		if (copy_from_user(&ext, u64_to_user_ptr(extensions), sizeof(ext)))
			return -EFAULT;
		if (ext.base.name != DRM_XE_GEM_CREATE_EXTENSION_SET_PROPERTY ||
		    ext.pad || ext.reserved[0] || ext.reserved[1])
			return -EINVAL;
		if (ext.property != DRM_XE_GEM_CREATE_SET_PROPERTY_PXP_TYPE)
			return -EINVAL;
		if (ext.value == DRM_XE_PXP_TYPE_HWDRM)
			return -ENODEV;
		if (ext.value != DRM_XE_PXP_TYPE_NONE)
			return -EINVAL;
		extensions = ext.base.next_extension;
	}
	return 0;
}

static atomic_t vxe_bo_serial;

/*
 * As xe's placements of a user BO: VRAM first (the visible part for
 * NEEDS_VISIBLE_VRAM), then TT as the fallback, tried only once VRAM
 * cannot be had even by eviction; system-only BOs go to TT.
 */
static void vxe_bo_init_placement(struct vxe_device *vxe, struct vxe_bo *bo,
				  u32 placement)
{
	unsigned int n = 0;

	if (placement & VXE_PLACEMENT_VRAM) {
		bo->places[n] = (struct ttm_place) { .mem_type = VXE_PL_VRAM };
		/*
		 * As add_vram() with a small BAR: visible VRAM for BOs that
		 * need it, the others from the top, out of its way.
		 */
		if (vxe_vram_visible_pages(vxe) < vxe_vram_pages(vxe)) {
			if (bo->flags & DRM_XE_GEM_CREATE_FLAG_NEEDS_VISIBLE_VRAM)
				bo->places[n].lpfn = vxe_vram_visible_pages(vxe);
			else
				bo->places[n].flags = TTM_PL_FLAG_TOPDOWN;
		}
		n++;
	}
	if (placement & VXE_PLACEMENT_SYSTEM || !n) {
		bo->places[n] = (struct ttm_place) { .mem_type = TTM_PL_TT };
		if (n)
			bo->places[n].flags = TTM_PL_FLAG_FALLBACK;
		n++;
	}
	bo->placement.num_placement = n;
	bo->placement.placement = bo->places;
}

static struct vxe_bo *vxe_bo_create(struct vxe_device *vxe, struct vxe_vm *vm,
				    const struct drm_xe_gem_create *args)
{
	struct dma_resv *resv = vm ? vxe_vm_resv(vm) : NULL;
	/*
	 * As xe_bo_init_locked: fail with -ENOMEM rather than invoke the OOM
	 * killer; a VRAM BO may evict the VM's other BOs (same resv, held
	 * here). System-only BOs evict none: TT is sized as RAM and moving a
	 * BO to SYSTEM frees nothing (and integrated vxe behaves as before).
	 */
	struct ttm_operation_ctx ctx = {
		.interruptible = true,
		.gfp_retry_mayfail = true,
		.allow_res_evict = resv && (args->placement & VXE_PLACEMENT_VRAM),
		.resv = resv,
	};
	struct vxe_bo *bo;
	int ret;

	bo = kzalloc(sizeof(*bo), GFP_KERNEL);
	if (!bo)
		return ERR_PTR(-ENOMEM);
	bo->flags = args->flags;
	bo->cpu_caching = args->cpu_caching;
	bo->purgeable = DRM_XE_VMA_PURGEABLE_STATE_WILLNEED;
	bo->half_backup_skip = atomic_inc_return(&vxe_bo_serial) & 1;
	vxe_bo_init_placement(vxe, bo, args->placement);

	drm_gem_private_object_init(&vxe->drm, &bo->ttm.base, args->size);
	/*
	 * drm_gpuvm walks the object's gpuva list. 7.3 initialises it for
	 * every object; 7.2 only for drivers with DRIVER_GEM_GPUVA, a feature
	 * 7.3 no longer has: initialise it here for both.
	 */
	drm_gem_gpuva_init(&bo->ttm.base);
	bo->ttm.base.funcs = &vxe_gem_funcs;
	atomic_long_inc(&vxe->stats.bos);

	if (resv) {
		ret = dma_resv_lock_interruptible(resv, NULL);
		if (ret) {
			drm_gem_object_release(&bo->ttm.base);
			atomic_long_dec(&vxe->stats.bos);
			kfree(bo);
			return ERR_PTR(ret);
		}
		bo->vm = vxe_vm_get(vm);
	}

	/* Placed (VRAM, else TT, populated) now, as xe places a user BO. */
	ret = ttm_bo_init_reserved(&vxe->ttm, &bo->ttm, ttm_bo_type_device,
				   &bo->placement, 0, &ctx, NULL, resv,
				   vxe_bo_destroy);
	if (ret) {
		/* TTM has called vxe_bo_destroy(), and unlocked its own resv. */
		if (resv)
			dma_resv_unlock(resv);
		return ERR_PTR(ret);
	}
	if (vm)
		ttm_bo_set_bulk_move(&bo->ttm, &vm->lru_bulk_move);
	ttm_bo_unreserve(&bo->ttm);
	return bo;
}

struct vxe_bo_create_call {
	struct vxe_device *vxe;
	struct vxe_vm *vm;
	const struct drm_xe_gem_create *args;
	struct vxe_bo *bo;
};

static int vxe_bo_create_call(void *arg)
{
	struct vxe_bo_create_call *c = arg;

	c->bo = vxe_bo_create(c->vxe, c->vm, c->args);
	return PTR_ERR_OR_ZERO(c->bo);
}

/*
 * As xe_bo_create_user()'s validation guard: a VRAM BO that finds no room
 * (other execs or creations holding the BOs it would evict) is created
 * again once with the validation lock held exclusively.
 */
static struct vxe_bo *vxe_bo_create_guarded(struct vxe_device *vxe, struct vxe_vm *vm,
					    const struct drm_xe_gem_create *args)
{
	struct vxe_bo_create_call c = { .vxe = vxe, .vm = vm, .args = args };
	int err;

	if (!(args->placement & VXE_PLACEMENT_VRAM))
		return vxe_bo_create(vxe, vm, args);
	err = vxe_validation_guard(vxe, vxe_bo_create_call, &c);
	return err ? ERR_PTR(err) : c.bo;
}

int vxe_gem_create_ioctl(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct vxe_device *vxe = to_vxe(drm);
	struct drm_xe_gem_create *args = data;
	struct vxe_vm *vm = NULL;
	struct vxe_bo *bo;
	u32 handle;
	int ret;

	ret = vxe_gem_create_check(vxe, args);
	if (ret)
		return ret;
	if (args->vm_id) {
		vm = vxe_vm_lookup(to_vxe_file(file), args->vm_id);
		if (!vm)
			return -ENOENT;
	}

	bo = vxe_bo_create_guarded(vxe, vm, args);
	if (IS_ERR(bo)) {
		ret = PTR_ERR(bo);
		goto out_vm;
	}
	ret = vxe_gem_create_extensions(args->extensions);
	if (!ret)
		ret = drm_gem_handle_create(file, &bo->ttm.base, &handle);
	if (ret) {
		if (vm) {
			dma_resv_lock(bo->ttm.base.resv, NULL);
			ttm_bo_set_bulk_move(&bo->ttm, NULL);
			dma_resv_unlock(bo->ttm.base.resv);
		}
	} else {
		args->handle = handle;
	}
	vxe_bo_put(bo);
out_vm:
	if (vm)
		vxe_vm_put(vm);
	return ret;
}

int vxe_gem_mmap_offset_ioctl(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct drm_xe_gem_mmap_offset *args = data;
	struct drm_gem_object *obj;

	if (args->extensions || args->reserved[0] || args->reserved[1])
		return -EINVAL;
	if (args->flags & ~DRM_XE_MMAP_OFFSET_FLAG_PCI_BARRIER)
		return -EINVAL;
	/* The PCI barrier page exists on discrete parts only. */
	if (args->flags & DRM_XE_MMAP_OFFSET_FLAG_PCI_BARRIER)
		return -EINVAL;

	obj = drm_gem_object_lookup(file, args->handle);
	if (!obj)
		return -ENOENT;
	/* The offset was set up when the BO was created. */
	args->offset = drm_vma_node_offset_addr(&obj->vma_node);
	drm_gem_object_put(obj);
	return 0;
}

/*
 * Dumb buffers, as xe_bo_dumb_create on an integrated part: a WC scanout BO
 * in system memory, 64-byte aligned pitch.
 */
int vxe_dumb_create(struct drm_file *file, struct drm_device *drm,
		    struct drm_mode_create_dumb *dumb)
{
	struct drm_xe_gem_create args = {
		.placement = VXE_PLACEMENT_SYSTEM,
		.flags = DRM_XE_GEM_CREATE_FLAG_SCANOUT,
		.cpu_caching = DRM_XE_GEM_CPU_CACHING_WC,
	};
	struct vxe_bo *bo;
	u32 handle;
	int ret;

	ret = drm_mode_size_dumb(drm, dumb, SZ_64, PAGE_SIZE);
	if (ret)
		return ret;
	args.size = dumb->size;

	bo = vxe_bo_create(to_vxe(drm), NULL, &args);
	if (IS_ERR(bo))
		return PTR_ERR(bo);
	ret = drm_gem_handle_create(file, &bo->ttm.base, &handle);
	vxe_bo_put(bo);
	if (!ret)
		dumb->handle = handle;
	return ret;
}
