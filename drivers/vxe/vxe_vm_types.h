/* SPDX-License-Identifier: GPL-2.0 */
/*
 * struct vxe_vm and struct vxe_vma, and what the files below vxe_vm.c need
 * of a VM without calling into it: its resv, references and the lookup of
 * an id (as xe's xe_vm_types.h and the inline helpers of xe_vm.h).
 */
#ifndef VXE_VM_TYPES_H
#define VXE_VM_TYPES_H

#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/types.h>
#include <linux/xarray.h>

#include <drm/drm_exec.h>
#include <drm/drm_gpuvm.h>
#include <drm/ttm/ttm_resource.h>

#include "vxe_device_types.h"
#include "vxe_module.h"

/* The GPU VA range of a VM. */
#define VXE_VM_SIZE		(1ull << VXE_VA_BITS)

/* VM-private BOs share the VM's resv: locking both is not an error. */
#define VXE_EXEC_FLAGS		(DRM_EXEC_INTERRUPTIBLE_WAIT | DRM_EXEC_IGNORE_DUPLICATES)

/* How long a bind or a close waits for in-fences and the VM's jobs. */
#define VXE_VM_WAIT_MS		(vxe_job_timeout_ms + 5000)

struct vxe_vm {
	struct drm_gpuvm gpuvm;
	struct vxe_device *vxe;
	/* LRU bulk move of the VM-private BOs, as xe's vm->lru_bulk_move. */
	struct ttm_lru_bulk_move lru_bulk_move;
	/*
	 * Protects the VA tree: VM_BIND writes; EXEC and the engine read. Taken
	 * before any dma_resv.
	 */
	struct rw_semaphore lock;
	/*
	 * Taken around changes of the VA tree and by the engine's accesses, so
	 * that a running job never needs @lock (a bind waiting for the VM's jobs
	 * holds it for writing).
	 */
	struct mutex va_lock;
	/* Serialises re-pinning of userptr bindings by concurrent execs. */
	struct mutex userptr_lock;
	/* Read: an exec from its userptr check to its fence; write: a notifier. */
	struct rw_semaphore userptr_notifier_lock;
	u32 flags;		/* DRM_XE_VM_CREATE_FLAG_* */
	bool closed;		/* destroyed or its file closed: no more binds, execs */
};

struct vxe_userptr;

/*
 * One binding: a drm_gpuva plus what VM_BIND asked for. A userptr binding
 * has no GEM object; its va.gem.offset is the CPU address (as in xe), and
 * its pages are those of @userptr.
 */
struct vxe_vma {
	struct drm_gpuva va;
	u16 pat_index;
	u32 bind_flags;		/* DRM_XE_VM_BIND_FLAG_* */
	u32 purgeable_state;	/* DRM_XE_VMA_PURGEABLE_STATE_*, from MADVISE */
	struct vxe_userptr *userptr;	/* MAP_USERPTR, else NULL */
};

static inline struct vxe_vm *gpuvm_to_vxe_vm(struct drm_gpuvm *gpuvm)
{
	return container_of(gpuvm, struct vxe_vm, gpuvm);
}

static inline struct vxe_vma *to_vxe_vma(struct drm_gpuva *va)
{
	return container_of(va, struct vxe_vma, va);
}

/**
 * vxe_vm_resv() - the reservation object shared by a VM's private BOs
 * @vm: the VM
 *
 * Return: the dma_resv of the gpuvm's resv object, as xe_vm_resv().
 */
static inline struct dma_resv *vxe_vm_resv(struct vxe_vm *vm)
{
	return drm_gpuvm_resv(&vm->gpuvm);
}

/**
 * vxe_vm_get() - take a reference to a VM
 * @vm: the VM
 *
 * Return: @vm
 */
static inline struct vxe_vm *vxe_vm_get(struct vxe_vm *vm)
{
	drm_gpuvm_get(&vm->gpuvm);
	return vm;
}

/** vxe_vm_put() - drop a reference taken by vxe_vm_get() or vxe_vm_lookup() */
static inline void vxe_vm_put(struct vxe_vm *vm)
{
	drm_gpuvm_put(&vm->gpuvm);
}

/**
 * vxe_vm_lookup() - the VM of an id of a file
 * @xef: the file
 * @id: VM id from VM_CREATE
 *
 * Return: the VM with a reference taken, or NULL.
 */
static inline struct vxe_vm *vxe_vm_lookup(struct vxe_file *xef, u32 id)
{
	struct vxe_vm *vm;

	mutex_lock(&xef->lock);
	vm = xa_load(&xef->vms, id);
	if (vm)
		vxe_vm_get(vm);
	mutex_unlock(&xef->lock);

	return vm;
}

#endif
