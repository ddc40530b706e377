// SPDX-License-Identifier: GPL-2.0
/*
 * The device's validation lock (vxe_device.validation_lock), as xe's
 * xe_validation.c: exec and GEM_CREATE of a VRAM BO run under the guard,
 * shared, and retry once exclusively after running out of memory; binds
 * and CPU faults hold it shared while they lock BOs.
 */

#include <linux/mm.h>
#include <linux/rwsem.h>

#include <drm/drm_drv.h>

#include "vxe_device_types.h"
#include "vxe_validation.h"

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
