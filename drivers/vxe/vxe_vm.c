// SPDX-License-Identifier: GPL-2.0
/*
 * VM_CREATE, VM_DESTROY, VM_BIND and MADVISE for vxe: xe's argument rules
 * (xe_vm.c, xe_vm_madvise.c in 7.3) over drm_gpuvm. Binds run synchronously
 * in the ioctl: in-fences are waited for, and out-syncs get a signalled fence.
 * Userptr bindings pin their pages, with an MMU notifier as xe's.
 */

#include <linux/dma-resv.h>
#include <linux/highmem.h>
#include <linux/jiffies.h>
#include <linux/mm.h>
#include <linux/mmu_notifier.h>
#include <linux/nospec.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <drm/drm_exec.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_gpuvm.h>
#include <drm/drm_print.h>
#include <drm/drm_syncobj.h>
#include <drm/ttm/ttm_bo.h>
#include <uapi/drm/xe_drm.h>

#include "vxe_bo.h"
#include "vxe_device_types.h"
#include "vxe_engine.h"
#include "vxe_exec_queue.h"
#include "vxe_module.h"
#include "vxe_validation.h"
#include "vxe_vm.h"

#define VXE_VM_SIZE		(1ull << VXE_VA_BITS)

/* xe_pat.c's coherency modes (xe_pat.h: XE_COH_NONE 1, XE_COH_1WAY 2). */
#define VXE_COH_NONE		1
#define VXE_COH_1WAY		2

#ifndef DRM_XE_VM_CREATE_FLAG_NO_VM_OVERCOMMIT
#define DRM_XE_VM_CREATE_FLAG_NO_VM_OVERCOMMIT	0
#endif
#ifndef DRM_XE_VMA_PURGEABLE_STATE_WILLNEED
#define DRM_XE_VMA_PURGEABLE_STATE_WILLNEED	0
#define DRM_XE_VMA_PURGEABLE_STATE_DONTNEED	1
#endif
#define VXE_VM_CREATE_FLAGS	(DRM_XE_VM_CREATE_FLAG_SCRATCH_PAGE | \
				 DRM_XE_VM_CREATE_FLAG_LR_MODE | \
				 DRM_XE_VM_CREATE_FLAG_FAULT_MODE | \
				 DRM_XE_VM_CREATE_FLAG_NO_VM_OVERCOMMIT)

#define VXE_BIND_FLAGS		(DRM_XE_VM_BIND_FLAG_READONLY | \
				 DRM_XE_VM_BIND_FLAG_IMMEDIATE | \
				 DRM_XE_VM_BIND_FLAG_NULL | \
				 DRM_XE_VM_BIND_FLAG_DUMPABLE | \
				 DRM_XE_VM_BIND_FLAG_CHECK_PXP | \
				 DRM_XE_VM_BIND_FLAG_CPU_ADDR_MIRROR | \
				 DRM_XE_VM_BIND_FLAG_MADVISE_AUTORESET | \
				 DRM_XE_VM_BIND_FLAG_DECOMPRESS)

/* VM-private BOs share the VM's resv: locking both is not an error. */
#define VXE_EXEC_FLAGS		(DRM_EXEC_INTERRUPTIBLE_WAIT | DRM_EXEC_IGNORE_DUPLICATES)

/* How long a bind or a close waits for in-fences and the VM's jobs. */
#define VXE_VM_WAIT_MS		(vxe_job_timeout_ms + 5000)

/*
 * Coherency of each PAT index of the Xe_LP table xe uses for graphics 12.0
 * (xe_pat.c, xelp_pat_table): WB is 1-way coherent, WC, WT and UC are not.
 */
static const u8 vxe_pat_coh[VXE_PAT_MAX_INDEX + 1] = {
	[0] = VXE_COH_1WAY, [1] = VXE_COH_NONE, [2] = VXE_COH_NONE, [3] = VXE_COH_NONE,
};

static void vxe_vm_free(struct drm_gpuvm *gpuvm)
{
	struct vxe_vm *vm = gpuvm_to_vxe_vm(gpuvm);

	ttm_lru_bulk_move_fini(&vm->vxe->ttm, &vm->lru_bulk_move);
	mutex_destroy(&vm->userptr_lock);
	mutex_destroy(&vm->va_lock);
	kfree(vm);
}

void vxe_vm_put(struct vxe_vm *vm)
{
	drm_gpuvm_put(&vm->gpuvm);
}

static struct vxe_vma *to_vxe_vma(struct drm_gpuva *va)
{
	return container_of(va, struct vxe_vma, va);
}

/*
 * xe keeps a BO WILLNEED while any of its mappings, in any VM, is
 * (willneed_count): the state a BO's mappings ask for together, and whether
 * it has any. With the BO's resv held (it protects the GEM's gpuva list).
 */
static u32 vxe_bo_mappings_state(struct vxe_bo *bo, bool *mapped)
{
	struct drm_gpuvm_bo *vm_bo;
	struct drm_gpuva *va;

	*mapped = false;
	drm_gem_for_each_gpuvm_bo(vm_bo, &bo->ttm.base) {
		drm_gpuvm_bo_for_each_va(va, vm_bo) {
			*mapped = true;
			if (container_of(va, struct vxe_vma, va)->purgeable_state ==
			    DRM_XE_VMA_PURGEABLE_STATE_WILLNEED)
				return DRM_XE_VMA_PURGEABLE_STATE_WILLNEED;
		}
	}
	return DRM_XE_VMA_PURGEABLE_STATE_DONTNEED;
}

/*
 * After a WILLNEED mapping of @obj went away: when only DONTNEED mappings
 * are left the BO becomes DONTNEED; with none left it keeps its state (xe's
 * xe_bo_willneed_put_locked()).
 */
static void vxe_bo_mapping_removed(struct drm_gem_object *obj, u32 state)
{
	struct vxe_bo *bo = gem_to_vxe_bo(obj);
	bool mapped;
	u32 now;

	if (state != DRM_XE_VMA_PURGEABLE_STATE_WILLNEED || vxe_bo_is_purged(bo))
		return;
	now = vxe_bo_mappings_state(bo, &mapped);
	if (mapped && now == DRM_XE_VMA_PURGEABLE_STATE_DONTNEED)
		vxe_bo_set_purgeable(bo, now);
}

struct vxe_vm *vxe_vm_lookup(struct vxe_file *xef, u32 id)
{
	struct vxe_vm *vm;

	mutex_lock(&xef->lock);
	vm = xa_load(&xef->vms, id);
	if (vm)
		vxe_vm_get(vm);
	mutex_unlock(&xef->lock);

	return vm;
}

/*
 * A userptr range (MAP_USERPTR): its pages pinned, and an MMU interval
 * notifier that marks them stale when the CPU mapping changes (munmap, an
 * mmap over it, fork's COW...), after waiting for the VM's jobs, as xe's
 * vma_userptr_invalidate() does. The next exec pins the current pages. The
 * pieces of a split binding share one until that exec gives each its own.
 */
struct vxe_userptr {
	struct mmu_interval_notifier notifier;
	struct kref ref;
	struct vxe_vm *vm;	/* no reference: its bindings live in the VM */
	spinlock_t lock;	/* pages and valid, against the engine */
	struct page **pages;
	unsigned long npages;
	u64 start;		/* CPU address of pages[0] */
	bool readonly;
	bool valid;
};

/*
 * xe faults userptr pages in without pinning them; vxe pins, and pinned
 * pages cannot be swapped: pinning 1 GiB of a 1 GiB guest ended in an OOM
 * kill rather than swapping. So all userptr pins together stay below 3/4 of
 * RAM; past that a bind or an exec gets -ENOMEM.
 */
static atomic_long_t vxe_userptr_pinned;

static bool vxe_userptr_charge(unsigned long npages)
{
	if (atomic_long_add_return(npages, &vxe_userptr_pinned) > totalram_pages() / 4 * 3) {
		atomic_long_sub(npages, &vxe_userptr_pinned);
		return false;
	}
	return true;
}

static void vxe_userptr_unpin(struct vxe_userptr *up, struct page **pages)
{
	if (!pages)
		return;
	unpin_user_pages_dirty_lock(pages, up->npages, !up->readonly);
	kvfree(pages);
	atomic_long_sub(up->npages, &vxe_userptr_pinned);
}

/* The pages of the range now, in the mm of the process that bound it. */
static int vxe_userptr_pin(struct vxe_userptr *up, struct page ***out)
{
	unsigned int gup = up->readonly ? 0 : FOLL_WRITE;
	unsigned long done = 0;
	struct page **pages;
	long n;

	if (current->mm != up->notifier.mm)
		return -EFAULT;
	if (!vxe_userptr_charge(up->npages))
		return -ENOMEM;
	pages = kvmalloc_array(up->npages, sizeof(*pages), GFP_KERNEL);
	if (!pages) {
		atomic_long_sub(up->npages, &vxe_userptr_pinned);
		return -ENOMEM;
	}

	while (done < up->npages) {
		n = pin_user_pages_fast(up->start + done * PAGE_SIZE,
					min_t(unsigned long, up->npages - done, SZ_64K),
					gup, pages + done);
		if (n <= 0) {
			unpin_user_pages(pages, done);
			kvfree(pages);
			atomic_long_sub(up->npages, &vxe_userptr_pinned);
			return n ? n : -EFAULT;
		}
		done += n;
	}
	*out = pages;
	return 0;
}

/* Pins the current pages; retries while the notifier keeps invalidating. */
static int vxe_userptr_repin(struct vxe_userptr *up)
{
	struct page **pages, **old;
	unsigned long seq;
	int tries, err;

	for (tries = 0; tries < 8; tries++) {
		seq = mmu_interval_read_begin(&up->notifier);
		err = vxe_userptr_pin(up, &pages);
		if (err)
			return err;

		spin_lock(&up->lock);
		if (!mmu_interval_read_retry(&up->notifier, seq)) {
			old = up->pages;
			up->pages = pages;
			up->valid = true;
			spin_unlock(&up->lock);
			vxe_userptr_unpin(up, old);
			return 0;
		}
		spin_unlock(&up->lock);
		vxe_userptr_unpin(up, pages);
	}
	return -EAGAIN;
}

static bool vxe_userptr_invalidate(struct mmu_interval_notifier *mni,
				   const struct mmu_notifier_range *range,
				   unsigned long cur_seq)
{
	struct vxe_userptr *up = container_of(mni, struct vxe_userptr, notifier);
	struct vxe_vm *vm = up->vm;

	if (mmu_notifier_range_blockable(range)) {
		down_write(&vm->userptr_notifier_lock);
	} else if (!down_write_trylock(&vm->userptr_notifier_lock)) {
		return false;
	} else if (!dma_resv_test_signaled(vxe_vm_resv(vm), DMA_RESV_USAGE_BOOKKEEP)) {
		up_write(&vm->userptr_notifier_lock);
		return false;
	}

	/* The VM's jobs may be using the pages: let them end first. */
	dma_resv_wait_timeout(vxe_vm_resv(vm), DMA_RESV_USAGE_BOOKKEEP, false,
			      msecs_to_jiffies(VXE_VM_WAIT_MS));
	spin_lock(&up->lock);
	mmu_interval_set_seq(mni, cur_seq);
	up->valid = false;
	spin_unlock(&up->lock);
	up_write(&vm->userptr_notifier_lock);
	return true;
}

static const struct mmu_interval_notifier_ops vxe_userptr_notifier_ops = {
	.invalidate = vxe_userptr_invalidate,
};

static struct vxe_userptr *vxe_userptr_create(struct vxe_vm *vm, u64 start, u64 size,
					      bool readonly)
{
	struct vxe_userptr *up;
	int err;

	if (!current->mm)
		return ERR_PTR(-EFAULT);
	up = kzalloc(sizeof(*up), GFP_KERNEL);
	if (!up)
		return ERR_PTR(-ENOMEM);
	kref_init(&up->ref);
	spin_lock_init(&up->lock);
	up->vm = vm;
	up->start = start;
	up->npages = size >> PAGE_SHIFT;
	up->readonly = readonly;

	err = mmu_interval_notifier_insert(&up->notifier, current->mm, start, size,
					   &vxe_userptr_notifier_ops);
	if (err) {
		kfree(up);
		return ERR_PTR(err);
	}
	err = vxe_userptr_repin(up);
	if (err) {
		mmu_interval_notifier_remove(&up->notifier);
		kfree(up);
		return ERR_PTR(err);
	}
	return up;
}

static void vxe_userptr_release(struct kref *ref)
{
	struct vxe_userptr *up = container_of(ref, struct vxe_userptr, ref);

	mmu_interval_notifier_remove(&up->notifier);
	vxe_userptr_unpin(up, up->pages);
	kfree(up);
}

static struct vxe_userptr *vxe_userptr_get(struct vxe_userptr *up)
{
	if (up)
		kref_get(&up->ref);
	return up;
}

static void vxe_userptr_put(struct vxe_userptr *up)
{
	if (up)
		kref_put(&up->ref, vxe_userptr_release);
}

/* @cpu: CPU address inside the range. Engine side, under vm->va_lock. */
static int vxe_userptr_access(struct vxe_userptr *up, u64 cpu, void *buf, size_t len,
			      bool write)
{
	unsigned long idx = (cpu - up->start) >> PAGE_SHIFT;
	int err = 0;
	void *p;

	spin_lock(&up->lock);
	if (!up->valid || cpu < up->start || idx >= up->npages) {
		err = -EFAULT;
	} else {
		p = kmap_local_page(up->pages[idx]);
		if (write)
			memcpy(p + offset_in_page(cpu), buf, len);
		else
			memcpy(buf, p + offset_in_page(cpu), len);
		kunmap_local(p);
	}
	spin_unlock(&up->lock);
	return err;
}

int vxe_vm_userptr_revalidate(struct vxe_vm *vm)
{
	struct vxe_userptr *up, *piece;
	struct drm_gpuva *va;
	int err = 0;

	mutex_lock(&vm->userptr_lock);
	drm_gpuvm_for_each_va(va, &vm->gpuvm) {
		up = to_vxe_vma(va)->userptr;
		if (!up)
			continue;
		if (up->start != va->gem.offset || up->npages != va->va.range >> PAGE_SHIFT) {
			/* A piece of a split binding: its own range and notifier. */
			piece = vxe_userptr_create(vm, va->gem.offset, va->va.range, up->readonly);
			if (IS_ERR(piece)) {
				err = PTR_ERR(piece);
				break;
			}
			mutex_lock(&vm->va_lock);
			to_vxe_vma(va)->userptr = piece;
			mutex_unlock(&vm->va_lock);
			vxe_userptr_put(up);
		} else if (!READ_ONCE(up->valid)) {
			err = vxe_userptr_repin(up);
			if (err)
				break;
		}
	}
	mutex_unlock(&vm->userptr_lock);
	return err;
}

int vxe_vm_userptr_begin(struct vxe_vm *vm)
{
	struct drm_gpuva *va;

	down_read(&vm->userptr_notifier_lock);
	drm_gpuvm_for_each_va(va, &vm->gpuvm) {
		struct vxe_userptr *up = to_vxe_vma(va)->userptr;

		if (up && !READ_ONCE(up->valid)) {
			up_read(&vm->userptr_notifier_lock);
			return -EAGAIN;
		}
	}
	return 0;
}

void vxe_vm_userptr_end(struct vxe_vm *vm)
{
	up_read(&vm->userptr_notifier_lock);
}

/* What a bind step needs besides the gpuva op. */
struct vxe_bind_ctx {
	struct vxe_vm *vm;
	struct drm_gpuvm_bo *vm_bo;	/* of the BO being mapped, NULL for NULL binds */
	struct vxe_userptr *userptr;	/* of a MAP_USERPTR */
	u16 pat_index;
	u32 bind_flags;
};

static struct vxe_vma *vxe_vma_alloc(u16 pat_index, u32 bind_flags)
{
	struct vxe_vma *vma = kzalloc(sizeof(*vma), GFP_KERNEL);

	if (vma) {
		vma->pat_index = pat_index;
		vma->bind_flags = bind_flags;
		vma->purgeable_state = DRM_XE_VMA_PURGEABLE_STATE_WILLNEED;
	}
	return vma;
}

static int vxe_step_map(struct drm_gpuva_op *op, void *priv)
{
	struct vxe_bind_ctx *ctx = priv;
	struct vxe_vma *vma = vxe_vma_alloc(ctx->pat_index, ctx->bind_flags);

	if (!vma)
		return -ENOMEM;

	vma->userptr = vxe_userptr_get(ctx->userptr);
	drm_gpuva_map(&ctx->vm->gpuvm, &vma->va, &op->map);
	if (ctx->vm_bo)
		drm_gpuva_link(&vma->va, ctx->vm_bo);
	return 0;
}

/* A mapping cut in two (or trimmed): the kept pieces inherit its attributes. */
static int vxe_step_remap(struct drm_gpuva_op *op, void *priv)
{
	struct drm_gpuva *old = op->remap.unmap->va;
	struct vxe_vma *old_vma = to_vxe_vma(old);
	struct drm_gpuvm_bo *vm_bo = old->vm_bo;
	struct vxe_vma *prev = NULL, *next = NULL;

	if (op->remap.prev) {
		prev = vxe_vma_alloc(old_vma->pat_index, old_vma->bind_flags);
		if (!prev)
			return -ENOMEM;
		prev->purgeable_state = old_vma->purgeable_state;
		prev->userptr = vxe_userptr_get(old_vma->userptr);
	}
	if (op->remap.next) {
		next = vxe_vma_alloc(old_vma->pat_index, old_vma->bind_flags);
		if (!next) {
			if (prev)
				vxe_userptr_put(prev->userptr);
			kfree(prev);
			return -ENOMEM;
		}
		next->purgeable_state = old_vma->purgeable_state;
		next->userptr = vxe_userptr_get(old_vma->userptr);
	}

	drm_gpuva_remap(prev ? &prev->va : NULL, next ? &next->va : NULL, &op->remap);
	/* Link the pieces before the old one lets go of the vm_bo. */
	if (vm_bo && prev)
		drm_gpuva_link(&prev->va, vm_bo);
	if (vm_bo && next)
		drm_gpuva_link(&next->va, vm_bo);
	if (vm_bo) {
		struct drm_gem_object *obj = old->gem.obj;

		drm_gpuva_unlink(old);
		vxe_bo_mapping_removed(obj, old_vma->purgeable_state);
	}
	vxe_userptr_put(old_vma->userptr);
	kfree(old_vma);
	return 0;
}

/* Takes a mapping out of the tree and lets go of its BO. */
static void vxe_va_remove(struct drm_gpuva *va)
{
	struct vxe_vma *vma = to_vxe_vma(va);
	struct drm_gem_object *obj = va->gem.obj;

	drm_gpuva_remove(va);
	if (va->vm_bo) {
		/* drm_exec holds a GEM reference of each BO it locked. */
		drm_gpuva_unlink(va);
		vxe_bo_mapping_removed(obj, vma->purgeable_state);
	}
	vxe_userptr_put(vma->userptr);
	kfree(vma);
}

static int vxe_step_unmap(struct drm_gpuva_op *op, void *priv)
{
	vxe_va_remove(op->unmap.va);
	return 0;
}

static const struct drm_gpuvm_ops vxe_gpuvm_ops = {
	.vm_free = vxe_vm_free,
	.sm_step_map = vxe_step_map,
	.sm_step_remap = vxe_step_remap,
	.sm_step_unmap = vxe_step_unmap,
};

static struct vxe_vm *vxe_vm_create(struct vxe_device *vxe, u32 flags)
{
	struct drm_gem_object *r_obj;
	struct vxe_vm *vm;

	vm = kzalloc(sizeof(*vm), GFP_KERNEL);
	if (!vm)
		return ERR_PTR(-ENOMEM);

	r_obj = drm_gpuvm_resv_object_alloc(&vxe->drm);
	if (!r_obj) {
		kfree(vm);
		return ERR_PTR(-ENOMEM);
	}

	vm->vxe = vxe;
	vm->flags = flags;
	init_rwsem(&vm->lock);
	mutex_init(&vm->va_lock);
	mutex_init(&vm->userptr_lock);
	init_rwsem(&vm->userptr_notifier_lock);
	ttm_lru_bulk_move_init(&vm->lru_bulk_move);
	drm_gpuvm_init(&vm->gpuvm, "vxe", 0, &vxe->drm, r_obj, 0, VXE_VM_SIZE, 0, 0,
		       &vxe_gpuvm_ops);
	/* The gpuvm holds its own reference to the resv object. */
	drm_gem_object_put(r_obj);

	return vm;
}

int vxe_vm_create_ioctl(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct vxe_file *xef = to_vxe_file(file);
	struct drm_xe_vm_create *args = data;
	struct vxe_vm *vm;
	u32 id;
	int err;

	if (args->extensions || args->reserved[0] || args->reserved[1])
		return -EINVAL;
	/* No USM on an integrated Xe_LP part: no fault mode (xe: has_usm). */
	if (args->flags & DRM_XE_VM_CREATE_FLAG_FAULT_MODE)
		return -EINVAL;
	if (args->flags & ~VXE_VM_CREATE_FLAGS)
		return -EINVAL;
	if (!(args->flags & DRM_XE_VM_CREATE_FLAG_FAULT_MODE) &&
	    (args->flags & DRM_XE_VM_CREATE_FLAG_NO_VM_OVERCOMMIT))
		return -EINVAL;

	vm = vxe_vm_create(xef->vxe, args->flags);
	if (IS_ERR(vm))
		return PTR_ERR(vm);

	mutex_lock(&xef->lock);
	err = xa_alloc(&xef->vms, &id, vm, xa_limit_32b, GFP_KERNEL);
	mutex_unlock(&xef->lock);
	if (err) {
		vxe_vm_put(vm);
		return err;
	}

	args->vm_id = id;
	return 0;
}

/* Waits for the jobs of the VM (their fences are in its resv as BOOKKEEP). */
static int vxe_vm_wait_idle(struct vxe_vm *vm, bool intr)
{
	long ret;

	ret = dma_resv_wait_timeout(vxe_vm_resv(vm), DMA_RESV_USAGE_BOOKKEEP, intr,
				    msecs_to_jiffies(VXE_VM_WAIT_MS));
	if (ret < 0)
		return ret;
	return ret ? 0 : -ETIME;
}

/*
 * Removes the mappings of @bo in @vm, or every mapping when @bo is NULL, with
 * the VM and the BOs locked. @intr: a bind may be interrupted, a close may
 * not. Returns the locking error; without @bo (a close) the mappings go all
 * the same, since the VM is going away, while a bind leaves them.
 */
static int vxe_vm_remove_vas(struct vxe_vm *vm, struct vxe_bo *bo, bool intr)
{
	struct drm_gpuva *va, *next;
	struct drm_exec exec;
	int err;

	drm_exec_init(&exec, intr ? VXE_EXEC_FLAGS : DRM_EXEC_IGNORE_DUPLICATES, 0);
	drm_exec_until_all_locked(&exec) {
		err = drm_gpuvm_prepare_vm(&vm->gpuvm, &exec, bo ? 1 : 0);
		drm_exec_retry_on_contention(&exec);
		if (!err && bo)
			err = drm_exec_lock_obj(&exec, &bo->ttm.base);
		else if (!err)
			err = drm_gpuvm_prepare_range(&vm->gpuvm, &exec, 0, VXE_VM_SIZE, 0);
		drm_exec_retry_on_contention(&exec);
		if (err)
			break;
	}
	if (!err || !bo) {
		mutex_lock(&vm->va_lock);
		drm_gpuvm_for_each_va_safe(va, next, &vm->gpuvm)
			if (!bo || va->gem.obj == &bo->ttm.base)
				vxe_va_remove(va);
		mutex_unlock(&vm->va_lock);
	}
	drm_exec_fini(&exec);
	return err;
}

/* With vm->lock held for writing: remove every mapping. */
static void vxe_vm_unmap_all(struct vxe_vm *vm)
{
	int err = vxe_vm_remove_vas(vm, NULL, false);

	if (err)
		drm_warn(&vm->vxe->drm, "VM close: locking its BOs failed (%d)\n", err);
}

/* Destroy or postclose: no more binds or execs, mappings gone, ref dropped. */
static void vxe_vm_close_and_put(struct vxe_vm *vm)
{
	down_write(&vm->lock);
	vm->closed = true;
	if (vxe_vm_wait_idle(vm, false))
		drm_warn(&vm->vxe->drm, "VM close: jobs still running after %u ms\n",
			 VXE_VM_WAIT_MS);
	vxe_vm_unmap_all(vm);
	up_write(&vm->lock);
	vxe_vm_put(vm);
}

int vxe_vm_destroy_ioctl(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct vxe_file *xef = to_vxe_file(file);
	struct drm_xe_vm_destroy *args = data;
	struct vxe_vm *vm;

	if (args->pad || args->reserved[0] || args->reserved[1])
		return -EINVAL;

	mutex_lock(&xef->lock);
	vm = xa_erase(&xef->vms, args->vm_id);
	mutex_unlock(&xef->lock);
	if (!vm)
		return -ENOENT;

	vxe_vm_close_and_put(vm);
	return 0;
}

void vxe_vm_close_all(struct vxe_file *xef)
{
	struct vxe_vm *vm;
	unsigned long id;

	xa_for_each(&xef->vms, id, vm) {
		xa_erase(&xef->vms, id);
		vxe_vm_close_and_put(vm);
	}
}

static u16 vxe_pat_coh_mode(u16 pat_index)
{
	return vxe_pat_coh[pat_index];
}

/* xe's vm_bind_ioctl_check_args() rules for one op, for this device. */
static int vxe_bind_op_check(struct vxe_vm *vm, struct drm_xe_vm_bind_op *op)
{
	bool is_null = op->flags & DRM_XE_VM_BIND_FLAG_NULL;
	bool is_mirror = op->flags & DRM_XE_VM_BIND_FLAG_CPU_ADDR_MIRROR;
	bool is_decompress = op->flags & DRM_XE_VM_BIND_FLAG_DECOMPRESS;
	u32 region = op->prefetch_mem_region_instance;
	u16 coh;

	/* CPU address mirroring needs a fault-mode VM, which vxe has not. */
	if (is_mirror)
		return -EINVAL;
	if (op->pat_index > VXE_PAT_MAX_INDEX)
		return -EINVAL;
	op->pat_index = array_index_nospec(op->pat_index, VXE_PAT_MAX_INDEX + 1);
	coh = vxe_pat_coh_mode(op->pat_index);

	if (op->op > DRM_XE_VM_BIND_OP_PREFETCH ||
	    op->flags & ~VXE_BIND_FLAGS ||
	    (op->obj && is_null) ||
	    (op->obj_offset && is_null) ||
	    (op->op != DRM_XE_VM_BIND_OP_MAP && (is_decompress || is_null)) ||
	    (!op->obj && op->op == DRM_XE_VM_BIND_OP_MAP && !is_null) ||
	    (!op->obj && op->op == DRM_XE_VM_BIND_OP_UNMAP_ALL) ||
	    (op->addr && op->op == DRM_XE_VM_BIND_OP_UNMAP_ALL) ||
	    (op->range && op->op == DRM_XE_VM_BIND_OP_UNMAP_ALL) ||
	    (op->obj && op->op == DRM_XE_VM_BIND_OP_MAP_USERPTR) ||
	    (coh == VXE_COH_NONE && op->op == DRM_XE_VM_BIND_OP_MAP_USERPTR) ||
	    (op->obj && op->op == DRM_XE_VM_BIND_OP_PREFETCH) ||
	    (region && op->op != DRM_XE_VM_BIND_OP_PREFETCH) ||
	    /* One memory region, system (instance 0), on an integrated part. */
	    (region != (u32)DRM_XE_CONSULT_MEM_ADVISE_PREF_LOC && region != 0) ||
	    (op->obj && op->op == DRM_XE_VM_BIND_OP_UNMAP) ||
	    (op->flags & DRM_XE_VM_BIND_FLAG_MADVISE_AUTORESET))
		return -EINVAL;

	if (op->obj_offset & ~PAGE_MASK || op->addr & ~PAGE_MASK ||
	    op->range & ~PAGE_MASK ||
	    (!op->range && op->op != DRM_XE_VM_BIND_OP_UNMAP_ALL))
		return -EINVAL;

	/* Decompression needs flat CCS on a discrete Xe2 part. */
	if (is_decompress)
		return -EOPNOTSUPP;

	if (op->range > VXE_VM_SIZE || op->addr > VXE_VM_SIZE - op->range)
		return -EINVAL;

	return 0;
}

/* xe_vm_bind_ioctl_validate_bo(), the parts that apply to this device. */
static int vxe_bind_bo_check(struct vxe_vm *vm, struct vxe_bo *bo,
			     const struct drm_xe_vm_bind_op *op)
{
	u64 size = bo->ttm.base.size;
	u16 coh = vxe_pat_coh_mode(op->pat_index);

	if (op->range > size || op->obj_offset > size - op->range)
		return -EINVAL;
	if (bo->cpu_caching) {
		if (coh == VXE_COH_NONE && bo->cpu_caching == DRM_XE_GEM_CPU_CACHING_WB)
			return -EINVAL;
	} else if (coh == VXE_COH_NONE) {
		/* An import: its CPU caching is unknown, xe asks for coherency. */
		return -EINVAL;
	}
	/* A VM-private BO only binds in its own VM. */
	if (bo->vm && bo->vm != vm)
		return -EINVAL;
	/* xe_vma_create(): no new WILLNEED mapping of a purged or DONTNEED BO. */
	if (vxe_bo_is_purged(bo))
		return -EINVAL;
	if (vxe_bo_is_dontneed(bo))
		return -EBUSY;
	return 0;
}

/* Locks the VM's resv and what the op touches, then runs it on the tree. */
static int vxe_bind_map(struct vxe_vm *vm, struct vxe_bo *bo,
			const struct drm_xe_vm_bind_op *op)
{
	struct drm_gem_object *obj = bo ? &bo->ttm.base : NULL;
	struct drm_gpuvm_map_req req = {
		.map.va.addr = op->addr,
		.map.va.range = op->range,
		.map.gem.obj = obj,
		/* A userptr's CPU address, as xe keeps it (union with obj_offset). */
		.map.gem.offset = op->obj_offset,
	};
	struct vxe_bind_ctx ctx = {
		.vm = vm,
		.pat_index = op->pat_index,
		.bind_flags = op->flags,
	};
	struct drm_exec exec;
	int err;

	/* Pinned before any resv is locked: pinning takes mmap_lock. */
	if (op->op == DRM_XE_VM_BIND_OP_MAP_USERPTR) {
		ctx.userptr = vxe_userptr_create(vm, op->userptr, op->range,
						 op->flags & DRM_XE_VM_BIND_FLAG_READONLY);
		if (IS_ERR(ctx.userptr))
			return PTR_ERR(ctx.userptr);
	}

	drm_exec_init(&exec, VXE_EXEC_FLAGS, 0);
	drm_exec_until_all_locked(&exec) {
		err = drm_gpuvm_prepare_vm(&vm->gpuvm, &exec, 1);
		drm_exec_retry_on_contention(&exec);
		if (err)
			goto out;
		err = drm_gpuvm_sm_map_exec_lock(&vm->gpuvm, &exec, 1, &req);
		drm_exec_retry_on_contention(&exec);
		if (err)
			goto out;
	}

	if (obj) {
		ctx.vm_bo = drm_gpuvm_bo_obtain_locked(&vm->gpuvm, obj);
		if (IS_ERR(ctx.vm_bo)) {
			err = PTR_ERR(ctx.vm_bo);
			ctx.vm_bo = NULL;
			goto out;
		}
	}

	mutex_lock(&vm->va_lock);
	err = drm_gpuvm_sm_map(&vm->gpuvm, &ctx, &req);
	mutex_unlock(&vm->va_lock);

	if (ctx.vm_bo) {
		if (!err)
			drm_gpuvm_bo_extobj_add(ctx.vm_bo);
		drm_gpuvm_bo_put(ctx.vm_bo);
	}
out:
	drm_exec_fini(&exec);
	/* The bindings hold their own references. */
	vxe_userptr_put(ctx.userptr);
	return err;
}

static int vxe_bind_unmap(struct vxe_vm *vm, u64 addr, u64 range)
{
	struct drm_exec exec;
	int err;

	drm_exec_init(&exec, VXE_EXEC_FLAGS, 0);
	drm_exec_until_all_locked(&exec) {
		err = drm_gpuvm_prepare_vm(&vm->gpuvm, &exec, 1);
		drm_exec_retry_on_contention(&exec);
		if (err)
			goto out;
		err = drm_gpuvm_sm_unmap_exec_lock(&vm->gpuvm, &exec, addr, range);
		drm_exec_retry_on_contention(&exec);
		if (err)
			goto out;
	}

	mutex_lock(&vm->va_lock);
	err = drm_gpuvm_sm_unmap(&vm->gpuvm, NULL, addr, range);
	mutex_unlock(&vm->va_lock);
out:
	drm_exec_fini(&exec);
	return err;
}

/* UNMAP_ALL: every mapping of @bo in @vm. */
static int vxe_bind_unmap_all(struct vxe_vm *vm, struct vxe_bo *bo)
{
	return vxe_vm_remove_vas(vm, bo, true);
}

/* Whether the op takes away mappings a job of the VM may be using. */
static bool vxe_bind_op_unmaps(struct vxe_vm *vm, const struct drm_xe_vm_bind_op *op)
{
	switch (op->op) {
	case DRM_XE_VM_BIND_OP_MAP:
	case DRM_XE_VM_BIND_OP_MAP_USERPTR:
	case DRM_XE_VM_BIND_OP_UNMAP:
		return !drm_gpuvm_interval_empty(&vm->gpuvm, op->addr, op->range);
	case DRM_XE_VM_BIND_OP_UNMAP_ALL:
		return true;
	default:
		return false;
	}
}

/* With vm->lock held for writing: one op on the VA tree. */
static int vxe_bind_op_apply(struct vxe_vm *vm, struct vxe_bo *bo,
			     const struct drm_xe_vm_bind_op *op)
{
	switch (op->op) {
	case DRM_XE_VM_BIND_OP_MAP:
	case DRM_XE_VM_BIND_OP_MAP_USERPTR:
		return vxe_bind_map(vm, bo, op);
	case DRM_XE_VM_BIND_OP_UNMAP:
		return vxe_bind_unmap(vm, op->addr, op->range);
	case DRM_XE_VM_BIND_OP_UNMAP_ALL:
		return vxe_bind_unmap_all(vm, bo);
	case DRM_XE_VM_BIND_OP_PREFETCH:
		/* System memory only: the BOs already are where a prefetch puts them. */
		return 0;
	default:
		return -EINVAL;
	}
}

/* The BO an op names, checked for a MAP; NULL when it names none. */
static struct vxe_bo *vxe_bind_op_bo(struct vxe_vm *vm, struct drm_file *file,
				     const struct drm_xe_vm_bind_op *op)
{
	struct vxe_bo *bo;
	int err;

	if (!op->obj)
		return NULL;
	bo = vxe_bo_lookup(file, op->obj);
	if (!bo)
		return ERR_PTR(-ENOENT);
	if (op->op == DRM_XE_VM_BIND_OP_MAP) {
		err = vxe_bind_bo_check(vm, bo, op);
		if (err) {
			vxe_bo_put(bo);
			return ERR_PTR(err);
		}
	}
	return bo;
}

/* With vm->lock held for writing. */
static int vxe_bind_op_run(struct vxe_vm *vm, struct drm_file *file,
			   struct drm_xe_vm_bind_op *op)
{
	struct vxe_bo *bo = vxe_bind_op_bo(vm, file, op);
	int err = 0;

	if (IS_ERR(bo))
		return PTR_ERR(bo);

	/*
	 * xe orders an unbind after the VM's jobs (bookkeep fences of its resv);
	 * vxe waits for them here, so a running job never loses a mapping.
	 */
	if (vxe_bind_op_unmaps(vm, op))
		err = vxe_vm_wait_idle(vm, true);
	if (!err)
		err = vxe_bind_op_apply(vm, bo, op);
	if (bo)
		vxe_bo_put(bo);
	return err;
}

static int vxe_bind_wait_in_syncs(struct vxe_sync *syncs, u32 num)
{
	long ret;
	u32 i;

	for (i = 0; i < num; i++) {
		if (!syncs[i].fence)
			continue;
		ret = dma_fence_wait_timeout(syncs[i].fence, true,
					     msecs_to_jiffies(VXE_VM_WAIT_MS));
		if (ret < 0)
			return ret;
		if (!ret)
			return -ETIME;
	}
	return 0;
}

/* Out-syncs of a bind done in the ioctl: a signalled fence, user fences written. */
static int vxe_bind_signal(struct vxe_sync *syncs, u32 num)
{
	struct dma_fence *stub = dma_fence_get_stub();
	int err = 0;
	u32 i;

	vxe_syncs_signal(syncs, num, stub);
	dma_fence_put(stub);

	for (i = 0; i < num; i++) {
		if (syncs[i].type != DRM_XE_SYNC_TYPE_USER_FENCE)
			continue;
		if (put_user(syncs[i].timeline_value,
			     (u64 __user *)u64_to_user_ptr(syncs[i].addr)))
			err = -EFAULT;
	}
	return err;
}

static int vxe_bind_copy_ops(struct drm_xe_vm_bind *args, struct drm_xe_vm_bind_op **ops)
{
	if (args->num_binds <= 1) {
		*ops = &args->bind;
		return 0;
	}

	*ops = kvmalloc_array(args->num_binds, sizeof(**ops),
			      GFP_KERNEL | __GFP_ACCOUNT | __GFP_RETRY_MAYFAIL | __GFP_NOWARN);
	if (!*ops)
		return -ENOBUFS;
	if (copy_from_user(*ops, u64_to_user_ptr(args->vector_of_binds),
			   sizeof(**ops) * args->num_binds)) {
		kvfree(*ops);
		return -EFAULT;
	}
	return 0;
}

/* The bind queue of a VM_BIND (NULL for the VM's default one), referenced. */
static struct vxe_exec_queue *vxe_bind_get_queue(struct vxe_file *xef, u32 id,
						 struct vxe_vm *vm)
{
	struct vxe_exec_queue *q;

	if (!id)
		return NULL;
	q = vxe_exec_queue_lookup(xef, id);
	if (!q)
		return ERR_PTR(-ENOENT);
	if (!vxe_exec_queue_is_bind(q) || q->vm != vm) {
		vxe_exec_queue_put(q);
		return ERR_PTR(-EINVAL);
	}
	return q;
}

/*
 * A bind on a bind queue whose in-fences (or earlier binds of that queue)
 * have not signalled runs later, on the engine's workqueue, as xe runs it on
 * the bind queue: the ioctl returns at once and the out-syncs get the bind's
 * fence. Userptr binds (they pin in the caller's mm) and user-fence out-syncs
 * (a CPU address) stay in the ioctl.
 */
struct vxe_bind_work {
	struct drm_xe_vm_bind_op *ops;
	struct vxe_bo **bos;
	u32 num;
};

static void vxe_bind_work_free(void *priv)
{
	struct vxe_bind_work *w = priv;
	u32 i;

	for (i = 0; i < w->num; i++)
		if (!IS_ERR_OR_NULL(w->bos[i]))
			vxe_bo_put(w->bos[i]);
	kvfree(w->bos);
	kvfree(w->ops);
	kfree(w);
}

/*
 * The VM's jobs from before the bind are dependencies of the job (xe orders
 * an unbind after them), so no wait is needed here, where a wait would hold
 * the engine's workqueue.
 */
static int vxe_bind_job_run(struct vxe_job *job)
{
	struct vxe_bind_work *w = job->priv;
	struct vxe_vm *vm = job->vm;
	int err = 0;
	u32 i;

	down_write(&vm->lock);
	if (vm->closed)
		err = -ENOENT;
	for (i = 0; !err && i < w->num; i++)
		err = vxe_bind_op_apply(vm, w->bos[i], &w->ops[i]);
	up_write(&vm->lock);
	return err;
}

static bool vxe_bind_deferrable(const struct drm_xe_vm_bind_op *ops, u32 num_ops,
				const struct vxe_sync *syncs, u32 num_syncs)
{
	u32 i;

	for (i = 0; i < num_ops; i++)
		if (ops[i].op == DRM_XE_VM_BIND_OP_MAP_USERPTR)
			return false;
	for (i = 0; i < num_syncs; i++)
		if (syncs[i].type == DRM_XE_SYNC_TYPE_USER_FENCE)
			return false;
	return true;
}

static bool vxe_bind_must_wait(struct vxe_exec_queue *q, const struct vxe_sync *syncs,
			       u32 num_syncs)
{
	bool busy;
	u32 i;

	for (i = 0; i < num_syncs; i++)
		if (syncs[i].fence && !dma_fence_is_signaled(syncs[i].fence))
			return true;
	mutex_lock(&q->lock);
	busy = q->last_fence && !dma_fence_is_signaled(q->last_fence);
	mutex_unlock(&q->lock);
	return busy;
}

static struct vxe_bind_work *vxe_bind_work_create(struct vxe_vm *vm, struct drm_file *file,
						  const struct drm_xe_vm_bind_op *ops, u32 num)
{
	struct vxe_bind_work *w = kzalloc(sizeof(*w), GFP_KERNEL);
	u32 i;

	if (!w)
		return ERR_PTR(-ENOMEM);
	w->ops = kvmalloc_array(num, sizeof(*ops), GFP_KERNEL);
	w->bos = kvcalloc(num, sizeof(*w->bos), GFP_KERNEL);
	if (!w->ops || !w->bos) {
		vxe_bind_work_free(w);
		return ERR_PTR(-ENOMEM);
	}
	memcpy(w->ops, ops, num * sizeof(*ops));
	w->num = num;
	for (i = 0; i < num; i++) {
		w->bos[i] = vxe_bind_op_bo(vm, file, &ops[i]);
		if (IS_ERR(w->bos[i])) {
			int err = PTR_ERR(w->bos[i]);

			vxe_bind_work_free(w);
			return ERR_PTR(err);
		}
	}
	return w;
}

/* Depends on the in-fences and on the VM's jobs so far. */
static int vxe_bind_job_deps(struct vxe_job *job, struct vxe_vm *vm,
			     struct vxe_sync *syncs, u32 num_syncs,
			     struct dma_fence **fences, unsigned int num_fences)
{
	unsigned int i;
	int err = 0;

	for (i = 0; !err && i < num_syncs; i++)
		if (syncs[i].fence)
			err = vxe_job_add_dep(job, syncs[i].fence);
	for (i = 0; !err && i < num_fences; i++)
		err = vxe_job_add_dep(job, fences[i]);
	return err;
}

static int vxe_bind_defer(struct vxe_exec_queue *q, struct drm_file *file,
			  const struct drm_xe_vm_bind_op *ops, u32 num_ops,
			  struct vxe_sync *syncs, u32 num_syncs)
{
	struct dma_fence **fences = NULL;
	struct vxe_bind_work *w;
	unsigned int num_fences = 0, i;
	struct vxe_job *job;
	int err;

	w = vxe_bind_work_create(q->vm, file, ops, num_ops);
	if (IS_ERR(w))
		return PTR_ERR(w);
	err = dma_resv_get_fences(vxe_vm_resv(q->vm), DMA_RESV_USAGE_BOOKKEEP,
				  &num_fences, &fences);
	if (err) {
		vxe_bind_work_free(w);
		return err;
	}

	job = vxe_job_create(q, NULL, 0, num_syncs + num_fences);
	if (IS_ERR(job)) {
		err = PTR_ERR(job);
		vxe_bind_work_free(w);
		goto put_fences;
	}
	job->run = vxe_bind_job_run;
	job->priv = w;
	job->free_priv = vxe_bind_work_free;

	err = vxe_bind_job_deps(job, q->vm, syncs, num_syncs, fences, num_fences);
	if (!err)
		err = mutex_lock_interruptible(&q->lock);
	if (!err) {
		err = vxe_job_arm(job);
		if (!err) {
			vxe_syncs_signal(syncs, num_syncs, &job->fence);
			vxe_job_push(job);
		}
		mutex_unlock(&q->lock);
	}
	if (err)
		vxe_job_free(job);
put_fences:
	for (i = 0; i < num_fences; i++)
		dma_fence_put(fences[i]);
	kfree(fences);
	return err;
}

/* The synchronous path waits for the queue's deferred binds too. */
static int vxe_bind_wait_queue(struct vxe_exec_queue *q)
{
	struct dma_fence *last = NULL;
	long ret;

	if (!q)
		return 0;
	mutex_lock(&q->lock);
	if (q->last_fence)
		last = dma_fence_get(q->last_fence);
	mutex_unlock(&q->lock);
	if (!last)
		return 0;
	ret = dma_fence_wait_timeout(last, true, msecs_to_jiffies(VXE_VM_WAIT_MS));
	dma_fence_put(last);
	if (ret < 0)
		return ret;
	return ret ? 0 : -ETIME;
}

static int vxe_bind_ops_run(struct vxe_vm *vm, struct drm_file *file,
			    struct drm_xe_vm_bind_op *ops, u32 num)
{
	int err = 0;
	u32 i;

	err = down_write_killable(&vm->lock);
	if (err)
		return err;
	/* Binds lock the VM's resv: not while an exec retries exclusively */
	err = vxe_validation_lock_shared(vm->vxe);
	if (err)
		goto unlock_vm;
	if (vm->closed)
		err = -ENOENT;
	for (i = 0; !err && i < num; i++)
		err = vxe_bind_op_run(vm, file, &ops[i]);
	vxe_validation_unlock_shared(vm->vxe);
unlock_vm:
	up_write(&vm->lock);
	return err;
}

int vxe_vm_bind_ioctl(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct vxe_file *xef = to_vxe_file(file);
	struct drm_xe_vm_bind *args = data;
	struct drm_xe_vm_bind_op *ops;
	struct vxe_sync *syncs = NULL;
	struct vxe_exec_queue *q;
	struct vxe_vm *vm;
	u32 i;
	int err;

	if (args->pad || args->pad2 || args->reserved[0] || args->reserved[1] ||
	    args->extensions || args->num_syncs > DRM_XE_MAX_SYNCS)
		return -EINVAL;

	vm = vxe_vm_lookup(xef, args->vm_id);
	if (!vm)
		return -EINVAL;

	err = vxe_bind_copy_ops(args, &ops);
	if (err)
		goto put_vm;
	for (i = 0; !err && i < args->num_binds; i++)
		err = vxe_bind_op_check(vm, &ops[i]);
	if (err)
		goto free_ops;

	q = vxe_bind_get_queue(xef, args->exec_queue_id, vm);
	if (IS_ERR(q)) {
		err = PTR_ERR(q);
		goto free_ops;
	}

	err = vxe_syncs_parse(file, args->syncs, args->num_syncs, 0, &syncs);
	if (err)
		goto put_queue;

	if (q && args->num_binds &&
	    vxe_bind_deferrable(ops, args->num_binds, syncs, args->num_syncs) &&
	    vxe_bind_must_wait(q, syncs, args->num_syncs)) {
		err = vxe_bind_defer(q, file, ops, args->num_binds, syncs, args->num_syncs);
	} else {
		err = vxe_bind_wait_queue(q);
		if (!err)
			err = vxe_bind_wait_in_syncs(syncs, args->num_syncs);
		if (!err)
			err = vxe_bind_ops_run(vm, file, ops, args->num_binds);
		if (!err)
			err = vxe_bind_signal(syncs, args->num_syncs);
	}

	vxe_syncs_free(syncs, args->num_syncs);
put_queue:
	if (q)
		vxe_exec_queue_put(q);
free_ops:
	if (args->num_binds > 1)
		kvfree(ops);
put_vm:
	vxe_vm_put(vm);
	return err;
}

int vxe_vm_validate(struct vxe_vm *vm, struct ttm_operation_ctx *ctx)
{
	struct drm_gem_object *last = NULL;
	struct drm_gpuva *va;
	int err;

	drm_gpuvm_for_each_va(va, &vm->gpuvm) {
		if (!va->gem.obj || va->gem.obj == last)
			continue;
		last = va->gem.obj;
		err = vxe_bo_validate(gem_to_vxe_bo(va->gem.obj), ctx);
		if (err)
			return err;
	}
	return 0;
}

/* One piece of an access, within one page of one binding. */
static int vxe_vm_access_page(struct vxe_vm *vm, struct drm_gpuva *va, u64 addr,
			      void *buf, size_t len, bool write)
{
	u64 offset;
	struct page *page;
	void *p;

	if (!va) {
		/* A scratch page reads zero and takes writes (xe's SCRATCH_PAGE). */
		if (!(vm->flags & DRM_XE_VM_CREATE_FLAG_SCRATCH_PAGE))
			return -EFAULT;
		if (!write)
			memset(buf, 0, len);
		return 0;
	}
	if (write && (to_vxe_vma(va)->bind_flags & DRM_XE_VM_BIND_FLAG_READONLY))
		return -EACCES;
	if (to_vxe_vma(va)->userptr)
		return vxe_userptr_access(to_vxe_vma(va)->userptr,
					  va->gem.offset + (addr - va->va.addr), buf, len, write);
	if (!va->gem.obj) {
		/* NULL binding: reads zero, writes dropped. */
		if (!write)
			memset(buf, 0, len);
		return 0;
	}

	offset = va->gem.offset + (addr - va->va.addr);
	page = vxe_bo_page(gem_to_vxe_bo(va->gem.obj), offset >> PAGE_SHIFT);
	if (!page)
		return -EFAULT;

	p = kmap_local_page(page);
	if (write)
		memcpy(p + offset_in_page(offset), buf, len);
	else
		memcpy(buf, p + offset_in_page(offset), len);
	kunmap_local(p);
	return 0;
}

int vxe_vm_access(struct vxe_vm *vm, u64 addr, void *buf, size_t len, bool write)
{
	int err = 0;

	/* The hardware drops the sign extension of a canonical address. */
	addr &= VXE_VM_SIZE - 1;
	if (len > VXE_VM_SIZE - addr)
		return -EFAULT;

	mutex_lock(&vm->va_lock);
	while (len && !err) {
		struct drm_gpuva *va = drm_gpuva_find_first(&vm->gpuvm, addr, 1);
		size_t chunk = min_t(u64, len, PAGE_SIZE - offset_in_page(addr));

		if (va)
			chunk = min_t(u64, chunk, va->va.addr + va->va.range - addr);
		err = vxe_vm_access_page(vm, va, addr, buf, chunk, write);
		addr += chunk;
		buf += chunk;
		len -= chunk;
	}
	mutex_unlock(&vm->va_lock);
	return err;
}

#ifdef DRM_XE_VMA_ATTR_PURGEABLE_STATE
/*
 * Purgeable state over a VM range (xe: madvise_purgeable()): each BO
 * mapping in the range takes the state, and the BO gets the state its
 * mappings ask for together. retained is 0 when a BO of the range had been
 * purged (as vxe_bo_set_purgeable() reports it).
 */
static int vxe_madvise_purgeable(struct vxe_vm *vm, u64 start, u64 range, u32 val,
				 bool *purged)
{
	struct drm_gpuva *va;
	struct drm_exec exec;
	int err;

	drm_exec_init(&exec, VXE_EXEC_FLAGS, 0);
	drm_exec_until_all_locked(&exec) {
		err = drm_gpuvm_prepare_vm(&vm->gpuvm, &exec, 0);
		drm_exec_retry_on_contention(&exec);
		if (!err)
			err = drm_gpuvm_prepare_range(&vm->gpuvm, &exec, start, range, 0);
		drm_exec_retry_on_contention(&exec);
		if (err)
			goto out;
	}

	drm_gpuvm_for_each_va_range(va, &vm->gpuvm, start, start + range) {
		struct vxe_bo *bo;
		bool mapped;

		if (!va->gem.obj)
			continue;
		bo = gem_to_vxe_bo(va->gem.obj);
		to_vxe_vma(va)->purgeable_state = val;
		if (!vxe_bo_set_purgeable(bo, vxe_bo_mappings_state(bo, &mapped)))
			*purged = true;
	}
out:
	drm_exec_fini(&exec);
	return err;
}
#endif

/* xe's madvise_args_are_sane() for the attributes vxe knows. */
static bool vxe_madvise_args_ok(const struct drm_xe_madvise *args)
{
	if (!IS_ALIGNED(args->start, SZ_4K) || !IS_ALIGNED(args->range, SZ_4K) ||
	    args->range < SZ_4K)
		return false;

	switch (args->type) {
	case DRM_XE_MEM_RANGE_ATTR_PREFERRED_LOC: {
		s32 fd = (s32)args->preferred_mem_loc.devmem_fd;

		if (fd < DRM_XE_PREFERRED_LOC_DEFAULT_SYSTEM ||
		    (fd <= DRM_XE_PREFERRED_LOC_DEFAULT_DEVICE &&
		     args->preferred_mem_loc.region_instance != 0) ||
		    args->preferred_mem_loc.migration_policy > DRM_XE_MIGRATE_ONLY_SYSTEM_PAGES ||
		    args->preferred_mem_loc.reserved)
			return false;
		break;
	}
	case DRM_XE_MEM_RANGE_ATTR_ATOMIC:
		if (args->atomic.val > DRM_XE_ATOMIC_CPU || args->atomic.pad ||
		    args->atomic.reserved)
			return false;
		break;
	case DRM_XE_MEM_RANGE_ATTR_PAT:
		if (args->pat_index.val > VXE_PAT_MAX_INDEX || args->pat_index.pad ||
		    args->pat_index.reserved)
			return false;
		break;
#ifdef DRM_XE_VMA_ATTR_PURGEABLE_STATE
	case DRM_XE_VMA_ATTR_PURGEABLE_STATE:
		if ((args->purge_state_val.val != DRM_XE_VMA_PURGEABLE_STATE_WILLNEED &&
		     args->purge_state_val.val != DRM_XE_VMA_PURGEABLE_STATE_DONTNEED) ||
		    args->purge_state_val.pad)
			return false;
		break;
#endif
	default:
		return false;
	}
	return !args->reserved[0] && !args->reserved[1];
}

static u64 vxe_madvise_retained_ptr(const struct drm_xe_madvise *args)
{
#ifdef DRM_XE_VMA_ATTR_PURGEABLE_STATE
	if (args->type == DRM_XE_VMA_ATTR_PURGEABLE_STATE)
		return args->purge_state_val.retained_ptr;
#endif
	return 0;
}

/*
 * MADVISE. Only the purgeable state has an effect on vxe (system memory, no
 * SVM); the other attributes are checked as xe does and accepted. On kernel
 * headers without DRM_XE_VMA_ATTR_PURGEABLE_STATE (before 7.1) that type is
 * unknown, as on the xe of those kernels.
 */
int vxe_madvise_ioctl(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct vxe_file *xef = to_vxe_file(file);
	struct drm_xe_madvise *args = data;
	u64 retained_ptr;
	bool purged = false;
	struct vxe_vm *vm;
	u32 retained;
	int err = 0;

	vm = vxe_vm_lookup(xef, args->vm_id);
	if (!vm)
		return -EINVAL;
	if (args->extensions || !vxe_madvise_args_ok(args)) {
		err = -EINVAL;
		goto put_vm;
	}

	retained_ptr = vxe_madvise_retained_ptr(args);
	if (retained_ptr) {
		/* xe wants the retained word zeroed by the caller. */
		if (get_user(retained, (u32 __user *)u64_to_user_ptr(retained_ptr))) {
			err = -EFAULT;
			goto put_vm;
		}
		if (retained) {
			err = -EINVAL;
			goto put_vm;
		}
	}

	err = down_write_killable(&vm->lock);
	if (err)
		goto put_vm;
	if (vm->closed)
		err = -ENOENT;
#ifdef DRM_XE_VMA_ATTR_PURGEABLE_STATE
	else if (args->type == DRM_XE_VMA_ATTR_PURGEABLE_STATE)
		err = vxe_madvise_purgeable(vm, args->start, args->range,
					    args->purge_state_val.val, &purged);
#endif
	up_write(&vm->lock);

	if (!err && retained_ptr) {
		retained = !purged;
		if (put_user(retained, (u32 __user *)u64_to_user_ptr(retained_ptr)))
			err = -EFAULT;
	}
put_vm:
	vxe_vm_put(vm);
	return err;
}
