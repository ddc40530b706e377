// SPDX-License-Identifier: GPL-2.0
/*
 * MADVISE for vxe, as xe's xe_vm_madvise.c (7.3): the argument rules of
 * madvise_args_are_sane(), and the purgeable state over a VM range; the
 * other attributes are checked and accepted.
 */

#include <linux/sizes.h>
#include <linux/uaccess.h>

#include <drm/drm_exec.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_gpuvm.h>
#include <uapi/drm/xe_drm.h>

#include "vxe_bo.h"
#include "vxe_pt.h"
#include "vxe_vm_madvise.h"
#include "vxe_vm_types.h"

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
