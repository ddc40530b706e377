// SPDX-License-Identifier: GPL-2.0
/*
 * The VA tree of a vxe VM as its page tables. What xe's xe_pt.c writes into
 * page tables when a bind runs, vxe does on the drm_gpuvm tree: the map,
 * remap and unmap steps (with the userptr and MADVISE state a binding
 * carries, and the BO's purgeable state when a mapping goes), the locking
 * of a bind's BOs around them; and what the hardware's translation does,
 * the engine's accesses through the bindings (vxe_vm_access()).
 */

#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <drm/drm_exec.h>
#include <drm/drm_gem.h>
#include <drm/drm_gpuvm.h>
#include <uapi/drm/xe_drm.h>

#include "vxe_bo.h"
#include "vxe_pt.h"
#include "vxe_userptr.h"
#include "vxe_vm_types.h"

/*
 * xe keeps a BO WILLNEED while any of its mappings, in any VM, is
 * (willneed_count): the state a BO's mappings ask for together, and whether
 * it has any. With the BO's resv held (it protects the GEM's gpuva list).
 */
u32 vxe_bo_mappings_state(struct vxe_bo *bo, bool *mapped)
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

int vxe_step_map(struct drm_gpuva_op *op, void *priv)
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
int vxe_step_remap(struct drm_gpuva_op *op, void *priv)
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

int vxe_step_unmap(struct drm_gpuva_op *op, void *priv)
{
	vxe_va_remove(op->unmap.va);
	return 0;
}

/*
 * Removes the mappings of @bo in @vm, or every mapping when @bo is NULL, with
 * the VM and the BOs locked. @intr: a bind may be interrupted, a close may
 * not. Returns the locking error; without @bo (a close) the mappings go all
 * the same, since the VM is going away, while a bind leaves them.
 */
int vxe_vm_remove_vas(struct vxe_vm *vm, struct vxe_bo *bo, bool intr)
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

/* Locks the VM's resv and what the op touches, then runs it on the tree. */
int vxe_bind_map(struct vxe_vm *vm, struct vxe_bo *bo,
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

int vxe_bind_unmap(struct vxe_vm *vm, u64 addr, u64 range)
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
int vxe_bind_unmap_all(struct vxe_vm *vm, struct vxe_bo *bo)
{
	return vxe_vm_remove_vas(vm, bo, true);
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
