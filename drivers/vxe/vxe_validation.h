/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The device's validation lock and guard (vxe_validation.c, as xe's
 * xe_validation.h).
 */
#ifndef VXE_VALIDATION_H
#define VXE_VALIDATION_H

#include <linux/mm_types.h>

struct vm_fault;
struct vxe_device;

int vxe_validation_guard(struct vxe_device *vxe, int (*validate)(void *arg), void *arg);
vm_fault_t vxe_validation_fault_lock(struct vxe_device *vxe, struct vm_fault *vmf);
int vxe_validation_lock_shared(struct vxe_device *vxe);
void vxe_validation_unlock_shared(struct vxe_device *vxe);

#endif
