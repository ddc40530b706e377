/* SPDX-License-Identifier: GPL-2.0 */
/* WAIT_USER_FENCE (vxe_wait_user_fence.c, as xe's xe_wait_user_fence.h). */
#ifndef VXE_WAIT_USER_FENCE_H
#define VXE_WAIT_USER_FENCE_H

struct drm_device;
struct drm_file;

int vxe_wait_user_fence_ioctl(struct drm_device *drm, void *data, struct drm_file *file);

#endif
