/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Changes of a VM's VA tree and accesses through it (vxe_pt.c, where xe's
 * xe_pt.h has the page-table updates of a bind).
 */
#ifndef VXE_PT_H
#define VXE_PT_H

#include <linux/types.h>

struct drm_gpuva_op;
struct vxe_bo;
struct vxe_vm;
struct drm_xe_vm_bind_op;

/*
 * The state a BO's mappings ask for together (WILLNEED while any is), and
 * whether it has any; with the BO's resv held.
 */
u32 vxe_bo_mappings_state(struct vxe_bo *bo, bool *mapped);

/* The drm_gpuvm_ops steps of a VM (vxe_vm.c's vxe_gpuvm_ops). */
int vxe_step_map(struct drm_gpuva_op *op, void *priv);
int vxe_step_remap(struct drm_gpuva_op *op, void *priv);
int vxe_step_unmap(struct drm_gpuva_op *op, void *priv);

/*
 * The bind ops on the tree, with vm->lock held for writing: each locks the
 * VM's resv and the BOs it touches.
 */
int vxe_bind_map(struct vxe_vm *vm, struct vxe_bo *bo,
		 const struct drm_xe_vm_bind_op *op);
int vxe_bind_unmap(struct vxe_vm *vm, u64 addr, u64 range);
int vxe_bind_unmap_all(struct vxe_vm *vm, struct vxe_bo *bo);
/* Every mapping of @bo, or all of them (a close) when @bo is NULL. */
int vxe_vm_remove_vas(struct vxe_vm *vm, struct vxe_bo *bo, bool intr);

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

#endif
