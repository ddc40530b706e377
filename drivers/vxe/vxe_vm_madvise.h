/* SPDX-License-Identifier: GPL-2.0 */
/* MADVISE (vxe_vm_madvise.c, as xe's xe_vm_madvise.h). */
#ifndef VXE_VM_MADVISE_H
#define VXE_VM_MADVISE_H

struct drm_device;
struct drm_file;

int vxe_madvise_ioctl(struct drm_device *drm, void *data, struct drm_file *file);

#endif
