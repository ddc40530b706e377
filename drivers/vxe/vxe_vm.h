/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vxe VMs: a drm_gpuvm per VM_CREATE, whose resv object is the reservation
 * shared by the VM's private BOs (as xe_vm_resv()), and the lookups the
 * software engine does through the bindings.
 */
#ifndef VXE_VM_H
#define VXE_VM_H

#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/types.h>

#include <drm/drm_gpuvm.h>
#include <drm/ttm/ttm_resource.h>

struct drm_exec;
struct drm_file;
struct drm_device;
struct ttm_operation_ctx;
struct vxe_device;
struct vxe_file;

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
void vxe_vm_put(struct vxe_vm *vm);

/**
 * vxe_vm_lookup() - the VM of an id of a file
 * @xef: the file
 * @id: VM id from VM_CREATE
 *
 * Return: the VM with a reference taken, or NULL.
 */
struct vxe_vm *vxe_vm_lookup(struct vxe_file *xef, u32 id);

/**
 * vxe_vm_validate() - make every BO bound in a VM resident
 * @vm: the VM, its lock held (read) and its BOs locked in @exec
 * @ctx: TTM operation context
 *
 * Calls vxe_bo_validate() on each BO with a mapping in @vm, restoring backed
 * up BOs as xe does before a job is armed. Return: 0 or an errno.
 */
int vxe_vm_validate(struct vxe_vm *vm, struct ttm_operation_ctx *ctx);

/**
 * vxe_vm_userptr_revalidate() - re-pin the userptr bindings a CPU mapping change invalidated
 * @vm: the VM, its lock held (read), no dma_resv held (pinning takes mmap_lock)
 *
 * As xe does before an exec: a userptr whose pages changed under its MMU
 * notifier gets the current pages. Return: 0, or -EFAULT when the range is
 * no longer mapped.
 */
int vxe_vm_userptr_revalidate(struct vxe_vm *vm);

/**
 * vxe_vm_userptr_begin() - hold off userptr invalidations until the job is fenced
 * @vm: the VM, its lock held (read)
 *
 * Checks that every userptr binding still has its pages and, if so, keeps
 * the MMU notifiers waiting until vxe_vm_userptr_end(): by then the job's
 * fence is in the VM's resv and the notifiers wait for it (xe does the same
 * with its userptr notifier lock). Nothing between begin and end may
 * allocate memory. Return: 0, or -EAGAIN when a binding went stale (re-pin
 * and retry).
 */
int vxe_vm_userptr_begin(struct vxe_vm *vm);

/** vxe_vm_userptr_end() - end what vxe_vm_userptr_begin() started */
void vxe_vm_userptr_end(struct vxe_vm *vm);

/**
 * vxe_vm_access() - read or write GPU virtual memory through the bindings
 * @vm: the VM (its lock is taken inside)
 * @addr: GPU virtual address
 * @buf: data to write or buffer to read into
 * @len: bytes; the range may cross pages and bindings
 * @write: true to write @buf to @addr
 *
 * Used by the software engine while the job's fence is in the BOs' resvs,
 * so the shrinker leaves them resident. Return: 0, or -EFAULT when a byte
 * of the range is not bound (a GPU page fault), or -EACCES for a write to a
 * read-only binding.
 */
int vxe_vm_access(struct vxe_vm *vm, u64 addr, void *buf, size_t len, bool write);

/**
 * vxe_vm_close_all() - close and drop every VM of a file
 * @xef: the file, at postclose (its exec queues already gone)
 */
void vxe_vm_close_all(struct vxe_file *xef);

int vxe_vm_create_ioctl(struct drm_device *drm, void *data, struct drm_file *file);
int vxe_vm_destroy_ioctl(struct drm_device *drm, void *data, struct drm_file *file);
int vxe_vm_bind_ioctl(struct drm_device *drm, void *data, struct drm_file *file);
int vxe_madvise_ioctl(struct drm_device *drm, void *data, struct drm_file *file);

#endif
