// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 *
 * Each wrapper fills the uAPI structure from its arguments and issues the
 * ioctl through igt_ioctl(). Synchronous variants wait on a fresh syncobj.
 */

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include "drmtest.h"
#include "igt_syncobj.h"
#include "intel_pat.h"
#include "ioctl_wrappers.h"
#include "xe/xe_ioctl.h"
#include "xe/xe_query.h"

/* Turns a failed igt_ioctl() into -errno, leaving errno as it was. */
static int xe_ioctl(int fd, unsigned long request, void *arg)
{
	if (igt_ioctl(fd, request, arg))
		return errno ? -errno : -EIO;

	return 0;
}

/**
 * xe_cs_prefetch_size:
 * @fd: xe fd
 *
 * Returns: how far past the end of a batch the command streamer may read.
 */
uint32_t xe_cs_prefetch_size(int fd)
{
	return 4096;
}

/**
 * xe_bb_size:
 * @fd: xe fd
 * @reqsize: bytes of commands
 *
 * Returns: a batch buffer size holding @reqsize plus the prefetch margin,
 * aligned for every memory region.
 */
uint64_t xe_bb_size(int fd, uint64_t reqsize)
{
	return ALIGN(reqsize + xe_cs_prefetch_size(fd),
		     (uint64_t)xe_get_default_alignment(fd));
}

/**
 * xe_vm_create:
 * @fd: xe fd
 * @flags: DRM_XE_VM_CREATE_FLAG_*
 * @ext: extension chain, or 0
 *
 * Returns: the id of a new GPU address space.
 */
uint32_t xe_vm_create(int fd, uint32_t flags, uint64_t ext)
{
	struct drm_xe_vm_create create = { .extensions = ext, .flags = flags };

	igt_assert_eq(xe_ioctl(fd, DRM_IOCTL_XE_VM_CREATE, &create), 0);

	return create.vm_id;
}

/**
 * xe_vm_destroy:
 * @fd: xe fd
 * @vm: VM id
 *
 * Destroys the VM (its bindings go with it).
 */
void xe_vm_destroy(int fd, uint32_t vm)
{
	struct drm_xe_vm_destroy destroy = { .vm_id = vm };

	igt_assert_eq(xe_ioctl(fd, DRM_IOCTL_XE_VM_DESTROY, &destroy), 0);
}

/**
 * __xe_vm_bind:
 * @fd: xe fd
 * @vm: VM id
 * @exec_queue: bind queue id, or 0 for the default one
 * @bo: BO handle (0 for unmaps, userptr and NULL binds)
 * @offset: offset into @bo, or the user pointer for MAP_USERPTR
 * @addr: GPU virtual address
 * @size: bytes
 * @op: DRM_XE_VM_BIND_OP_*
 * @flags: DRM_XE_VM_BIND_FLAG_*
 * @sync: syncs to signal on completion; may be NULL
 * @num_syncs: number of @sync entries
 * @prefetch_region: region instance for DRM_XE_VM_BIND_OP_PREFETCH
 * @pat_index: PAT index, or DEFAULT_PAT_INDEX for cached coherent
 * @ext: extension chain, or 0
 *
 * Issues one bind operation.
 *
 * Returns: 0 or a negative errno value.
 */
int __xe_vm_bind(int fd, uint32_t vm, uint32_t exec_queue, uint32_t bo,
		 uint64_t offset, uint64_t addr, uint64_t size, uint32_t op,
		 uint32_t flags, struct drm_xe_sync *sync, uint32_t num_syncs,
		 uint32_t prefetch_region, uint8_t pat_index, uint64_t ext)
{
	struct drm_xe_vm_bind bind = {
		.extensions = ext,
		.vm_id = vm,
		.exec_queue_id = exec_queue,
		.num_binds = 1,
		.num_syncs = num_syncs,
		.syncs = to_user_pointer(sync),
	};

	bind.bind.obj = bo;
	bind.bind.obj_offset = offset;
	bind.bind.range = size;
	bind.bind.addr = addr;
	bind.bind.op = op;
	bind.bind.flags = flags;
	bind.bind.prefetch_mem_region_instance = prefetch_region;
	bind.bind.pat_index = pat_index == DEFAULT_PAT_INDEX ?
			      intel_get_pat_idx_wb(fd) : pat_index;

	return xe_ioctl(fd, DRM_IOCTL_XE_VM_BIND, &bind);
}

/**
 * __xe_vm_bind_assert:
 * @fd: xe fd
 * @vm: VM id
 * @exec_queue: bind queue id, or 0
 * @bo: BO handle
 * @offset: offset into @bo
 * @addr: GPU virtual address
 * @size: bytes
 * @op: DRM_XE_VM_BIND_OP_*
 * @flags: DRM_XE_VM_BIND_FLAG_*
 * @sync: syncs; may be NULL
 * @num_syncs: number of @sync entries
 * @prefetch_region: region instance for prefetch
 * @ext: extension chain, or 0
 *
 * __xe_vm_bind() with the default PAT index, failing the test on error.
 */
void __xe_vm_bind_assert(int fd, uint32_t vm, uint32_t exec_queue, uint32_t bo,
			 uint64_t offset, uint64_t addr, uint64_t size,
			 uint32_t op, uint32_t flags, struct drm_xe_sync *sync,
			 uint32_t num_syncs, uint32_t prefetch_region, uint64_t ext)
{
	igt_assert_eq(__xe_vm_bind(fd, vm, exec_queue, bo, offset, addr, size,
				   op, flags, sync, num_syncs, prefetch_region,
				   DEFAULT_PAT_INDEX, ext), 0);
}

static void bind_and_wait(int fd, uint32_t vm, uint32_t bo, uint64_t offset,
			  uint64_t addr, uint64_t size, uint32_t op)
{
	struct drm_xe_sync sync = {
		.type = DRM_XE_SYNC_TYPE_SYNCOBJ,
		.flags = DRM_XE_SYNC_FLAG_SIGNAL,
		.handle = syncobj_create(fd, 0),
	};

	__xe_vm_bind_assert(fd, vm, 0, bo, offset, addr, size, op, 0,
			    &sync, 1, 0, 0);
	igt_assert(syncobj_wait(fd, &sync.handle, 1, INT64_MAX, 0, NULL));
	syncobj_destroy(fd, sync.handle);
}

/**
 * xe_vm_bind_sync:
 * @fd: xe fd
 * @vm: VM id
 * @bo: BO handle
 * @offset: offset into @bo
 * @addr: GPU virtual address
 * @size: bytes
 *
 * Maps @bo at @addr and waits until the mapping is in place.
 */
void xe_vm_bind_sync(int fd, uint32_t vm, uint32_t bo, uint64_t offset,
		     uint64_t addr, uint64_t size)
{
	bind_and_wait(fd, vm, bo, offset, addr, size, DRM_XE_VM_BIND_OP_MAP);
}

/**
 * xe_vm_unbind_sync:
 * @fd: xe fd
 * @vm: VM id
 * @offset: must be 0
 * @addr: GPU virtual address
 * @size: bytes
 *
 * Unmaps the range and waits until it is gone.
 */
void xe_vm_unbind_sync(int fd, uint32_t vm, uint64_t offset,
		       uint64_t addr, uint64_t size)
{
	bind_and_wait(fd, vm, 0, offset, addr, size, DRM_XE_VM_BIND_OP_UNMAP);
}

/**
 * __xe_default_cpu_caching:
 * @fd: xe fd
 * @placement: region mask
 * @flags: DRM_XE_GEM_CREATE_FLAG_*
 *
 * The kernel refuses write-back CPU caching for BOs that may live in VRAM
 * and for scanout; those get write-combined, system-only BOs write-back.
 *
 * Returns: DRM_XE_GEM_CPU_CACHING_WB or _WC.
 */
uint16_t __xe_default_cpu_caching(int fd, uint32_t placement, uint32_t flags)
{
	if ((placement & all_memory_regions(fd)) != system_memory(fd) ||
	    flags & DRM_XE_GEM_CREATE_FLAG_SCANOUT)
		return DRM_XE_GEM_CPU_CACHING_WC;

	return DRM_XE_GEM_CPU_CACHING_WB;
}

static bool placement_has_vram(int fd, uint32_t placement)
{
	uint64_t regions = all_memory_regions(fd) & placement;
	uint64_t region;

	xe_for_each_mem_region(fd, regions, region)
		if (XE_IS_CLASS_VRAM(xe_mem_region(fd, region)))
			return true;

	return false;
}

static int bo_create(int fd, uint32_t vm, uint64_t size, uint32_t placement,
		     uint32_t flags, uint16_t cpu_caching, void *ext,
		     uint32_t *handle)
{
	struct drm_xe_gem_create create = {
		.extensions = to_user_pointer(ext),
		.size = size,
		.placement = placement,
		.flags = flags,
		.vm_id = vm,
		.cpu_caching = cpu_caching,
	};
	int err;

	/* vram_if_possible() may have fallen back to system memory. */
	if (!placement_has_vram(fd, placement))
		create.flags &= ~DRM_XE_GEM_CREATE_FLAG_NEEDS_VISIBLE_VRAM;

	/* As upstream: igt_ioctl()'s own result (-1, errno set), not -errno. */
	err = igt_ioctl(fd, DRM_IOCTL_XE_GEM_CREATE, &create);
	if (!err)
		*handle = create.handle;

	return err;
}

/**
 * __xe_bo_create:
 * @fd: xe fd
 * @vm: VM id the BO is private to, or 0 for a shareable BO
 * @size: bytes, a multiple of the region's min_page_size
 * @placement: mask of regions the BO may live in
 * @flags: DRM_XE_GEM_CREATE_FLAG_*
 * @ext: extension chain; may be NULL
 * @handle: set to the new handle on success
 *
 * Creates a BO with the default CPU caching (__xe_default_cpu_caching()).
 *
 * Returns: 0, or -1 with errno set (the ioctl's own result, as upstream's:
 * unlike __xe_exec() and __xe_vm_bind(), not a negative errno).
 */
uint32_t __xe_bo_create(int fd, uint32_t vm, uint64_t size, uint32_t placement,
			uint32_t flags, void *ext, uint32_t *handle)
{
	return bo_create(fd, vm, size, placement, flags,
			 __xe_default_cpu_caching(fd, placement, flags),
			 ext, handle);
}

/**
 * xe_bo_create:
 * @fd: xe fd
 * @vm: VM id, or 0
 * @size: bytes
 * @placement: region mask
 * @flags: DRM_XE_GEM_CREATE_FLAG_*
 *
 * Returns: the handle of a new BO; fails the test on error.
 */
uint32_t xe_bo_create(int fd, uint32_t vm, uint64_t size, uint32_t placement,
		      uint32_t flags)
{
	uint32_t handle = 0;

	igt_assert_eq(__xe_bo_create(fd, vm, size, placement, flags, NULL,
				     &handle), 0);

	return handle;
}

/**
 * __xe_bo_create_caching:
 * @fd: xe fd
 * @vm: VM id, or 0
 * @size: bytes
 * @placement: region mask
 * @flags: DRM_XE_GEM_CREATE_FLAG_*
 * @cpu_caching: DRM_XE_GEM_CPU_CACHING_WB or _WC
 * @handle: set to the new handle on success
 *
 * Returns: 0, or -1 with errno set, as __xe_bo_create().
 */
uint32_t __xe_bo_create_caching(int fd, uint32_t vm, uint64_t size, uint32_t placement,
				uint32_t flags, uint16_t cpu_caching, uint32_t *handle)
{
	return bo_create(fd, vm, size, placement, flags, cpu_caching, NULL,
			 handle);
}

/**
 * xe_bo_create_caching:
 * @fd: xe fd
 * @vm: VM id, or 0
 * @size: bytes
 * @placement: region mask
 * @flags: DRM_XE_GEM_CREATE_FLAG_*
 * @cpu_caching: DRM_XE_GEM_CPU_CACHING_WB or _WC
 *
 * Returns: the handle of a new BO; fails the test on error.
 */
uint32_t xe_bo_create_caching(int fd, uint32_t vm, uint64_t size, uint32_t placement,
			      uint32_t flags, uint16_t cpu_caching)
{
	uint32_t handle = 0;

	igt_assert_eq(__xe_bo_create_caching(fd, vm, size, placement, flags,
					     cpu_caching, &handle), 0);

	return handle;
}

/**
 * xe_bo_mmap_offset:
 * @fd: xe fd
 * @bo: BO handle
 *
 * Returns: the fake offset to pass to mmap() on @fd for @bo.
 */
uint64_t xe_bo_mmap_offset(int fd, uint32_t bo)
{
	struct drm_xe_gem_mmap_offset mmo = { .handle = bo };

	igt_assert_eq(xe_ioctl(fd, DRM_IOCTL_XE_GEM_MMAP_OFFSET, &mmo), 0);

	return mmo.offset;
}

/**
 * xe_bo_mmap_ext:
 * @fd: xe fd
 * @bo: BO handle
 * @size: bytes to map
 * @prot: PROT_* flags
 *
 * Returns: a shared CPU mapping of @bo; fails the test on error.
 */
void *xe_bo_mmap_ext(int fd, uint32_t bo, size_t size, int prot)
{
	void *map = mmap(NULL, size, prot, MAP_SHARED, fd,
			 xe_bo_mmap_offset(fd, bo));

	igt_assert(map != MAP_FAILED);

	return map;
}

/**
 * xe_bo_map:
 * @fd: xe fd
 * @bo: BO handle
 * @size: bytes to map
 *
 * Returns: a writable shared CPU mapping of @bo (PROT_WRITE, which also
 * allows reads on every architecture IGT runs on).
 */
void *xe_bo_map(int fd, uint32_t bo, size_t size)
{
	return xe_bo_mmap_ext(fd, bo, size, PROT_WRITE);
}

/**
 * __xe_exec_queue_create:
 * @fd: xe fd
 * @vm: VM id
 * @width: batches per submission (parallel engines)
 * @num_placements: engines the queue may run on
 * @instance: @width * @num_placements engine instances
 * @ext: extension chain, or 0
 * @exec_queue_id: set to the new queue id on success
 *
 * Returns: 0 or a negative errno value.
 */
int __xe_exec_queue_create(int fd, uint32_t vm, uint16_t width, uint16_t num_placements,
			   struct drm_xe_engine_class_instance *instance,
			   uint64_t ext, uint32_t *exec_queue_id)
{
	struct drm_xe_exec_queue_create create = {
		.extensions = ext,
		.width = width,
		.num_placements = num_placements,
		.vm_id = vm,
		.instances = to_user_pointer(instance),
	};
	int err = xe_ioctl(fd, DRM_IOCTL_XE_EXEC_QUEUE_CREATE, &create);

	if (!err)
		*exec_queue_id = create.exec_queue_id;
	errno = 0;

	return err;
}

/**
 * xe_exec_queue_create:
 * @fd: xe fd
 * @vm: VM id
 * @instance: the engine to run on
 * @ext: extension chain, or 0
 *
 * Returns: the id of a new single-engine queue; fails the test on error.
 */
uint32_t xe_exec_queue_create(int fd, uint32_t vm,
			      struct drm_xe_engine_class_instance *instance,
			      uint64_t ext)
{
	uint32_t id = 0;

	igt_assert_eq(__xe_exec_queue_create(fd, vm, 1, 1, instance, ext, &id), 0);

	return id;
}

/**
 * xe_exec_queue_destroy:
 * @fd: xe fd
 * @exec_queue: queue id
 *
 * Destroys the queue.
 */
void xe_exec_queue_destroy(int fd, uint32_t exec_queue)
{
	struct drm_xe_exec_queue_destroy destroy = { .exec_queue_id = exec_queue };

	igt_assert_eq(xe_ioctl(fd, DRM_IOCTL_XE_EXEC_QUEUE_DESTROY, &destroy), 0);
}

/**
 * __xe_exec:
 * @fd: xe fd
 * @exec: submission
 *
 * Returns: 0 or a negative errno value; errno is reset to 0.
 */
int __xe_exec(int fd, struct drm_xe_exec *exec)
{
	int err = xe_ioctl(fd, DRM_IOCTL_XE_EXEC, exec);

	errno = 0;

	return err;
}

/**
 * xe_exec_sync_failable:
 * @fd: xe fd
 * @exec_queue: queue id
 * @addr: GPU address of the batch
 * @sync: syncs; may be NULL
 * @num_syncs: number of @sync entries
 *
 * Submits one batch.
 *
 * Returns: 0 or a negative errno value.
 */
int xe_exec_sync_failable(int fd, uint32_t exec_queue, uint64_t addr,
			  struct drm_xe_sync *sync, uint32_t num_syncs)
{
	struct drm_xe_exec exec = {
		.exec_queue_id = exec_queue,
		.num_syncs = num_syncs,
		.syncs = to_user_pointer(sync),
		.address = addr,
		.num_batch_buffer = 1,
	};

	return __xe_exec(fd, &exec);
}

/**
 * xe_exec_sync:
 * @fd: xe fd
 * @exec_queue: queue id
 * @addr: GPU address of the batch
 * @sync: syncs; may be NULL
 * @num_syncs: number of @sync entries
 *
 * Submits one batch, failing the test on error. (It does not wait: the
 * name means "with syncs".)
 */
void xe_exec_sync(int fd, uint32_t exec_queue, uint64_t addr,
		  struct drm_xe_sync *sync, uint32_t num_syncs)
{
	igt_assert_eq(xe_exec_sync_failable(fd, exec_queue, addr, sync,
					    num_syncs), 0);
}

#ifdef DRM_XE_VMA_ATTR_PURGEABLE_STATE
/**
 * xe_vm_madvise_purgeable:
 * @fd: xe device fd
 * @vm_id: the VM
 * @start: start of the GPU virtual address range
 * @range: size of the range
 * @state: DRM_XE_VMA_PURGEABLE_STATE_WILLNEED or _DONTNEED
 *
 * Sets the purgeable state of the BOs mapped in the range; asserts that the
 * ioctl succeeds. Only built with an xe_drm.h that has purgeable BOs.
 *
 * Returns: 1 when the BOs' backing store still exists, 0 when it was purged.
 */
uint32_t xe_vm_madvise_purgeable(int fd, uint32_t vm_id, uint64_t start,
				 uint64_t range, uint32_t state)
{
	uint32_t retained = 0;	/* the kernel wants 0 here on entry */
	struct drm_xe_madvise args = {
		.vm_id = vm_id,
		.start = start,
		.range = range,
		.type = DRM_XE_VMA_ATTR_PURGEABLE_STATE,
		.purge_state_val.val = state,
		.purge_state_val.retained_ptr = to_user_pointer(&retained),
	};

	igt_assert_eq(igt_ioctl(fd, DRM_IOCTL_XE_MADVISE, &args), 0);

	return retained;
}
#endif
