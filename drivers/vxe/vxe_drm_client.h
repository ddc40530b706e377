/* SPDX-License-Identifier: GPL-2.0 */
/* fdinfo of a vxe file (vxe_drm_client.c, as xe's xe_drm_client.h). */
#ifndef VXE_DRM_CLIENT_H
#define VXE_DRM_CLIENT_H

struct drm_file;
struct drm_printer;

void vxe_drm_client_fdinfo(struct drm_printer *p, struct drm_file *file);

#endif
