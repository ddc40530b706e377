/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vxe VMs (vxe_vm.c, as xe's xe_vm.h): VM_CREATE, VM_DESTROY, VM_BIND, the
 * validation of a VM's BOs before a job and the close of a file's VMs. The
 * structs and the inline resv/get/put/lookup are in vxe_vm_types.h.
 */
#ifndef VXE_VM_H
#define VXE_VM_H

#include "vxe_vm_types.h"

struct drm_file;
struct drm_device;
struct ttm_operation_ctx;
struct vxe_file;

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
 * vxe_vm_close_all() - close and drop every VM of a file
 * @xef: the file, at postclose (its exec queues already gone)
 */
void vxe_vm_close_all(struct vxe_file *xef);

int vxe_vm_create_ioctl(struct drm_device *drm, void *data, struct drm_file *file);
int vxe_vm_destroy_ioctl(struct drm_device *drm, void *data, struct drm_file *file);
int vxe_vm_bind_ioctl(struct drm_device *drm, void *data, struct drm_file *file);

#endif
