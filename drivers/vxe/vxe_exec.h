/* SPDX-License-Identifier: GPL-2.0 */
/* EXEC (vxe_exec.c, as xe's xe_exec.h). */
#ifndef VXE_EXEC_H
#define VXE_EXEC_H

struct drm_device;
struct drm_file;

int vxe_exec_ioctl(struct drm_device *drm, void *data, struct drm_file *file);

#endif
