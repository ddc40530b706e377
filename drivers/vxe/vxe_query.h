/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DEVICE_QUERY (vxe_query.c, as xe's xe_query.h) and the engines vxe has:
 * render and copy, GT 0.
 */
#ifndef VXE_QUERY_H
#define VXE_QUERY_H

#include <linux/types.h>

#include <uapi/drm/xe_drm.h>

struct drm_device;
struct drm_file;

extern const struct drm_xe_engine_class_instance vxe_engines[];
extern const unsigned int vxe_num_engines;
bool vxe_engine_exists(const struct drm_xe_engine_class_instance *eci);
int vxe_query_ioctl(struct drm_device *drm, void *data, struct drm_file *file);

#endif
