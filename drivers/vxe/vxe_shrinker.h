/* SPDX-License-Identifier: GPL-2.0 */
/* vxe's system shrinker (vxe_shrinker.c, as xe's xe_shrinker.h). */
#ifndef VXE_SHRINKER_H
#define VXE_SHRINKER_H

struct vxe_device;

int vxe_shrinker_init(struct vxe_device *vxe);
void vxe_shrinker_fini(struct vxe_device *vxe);
unsigned long vxe_shrinker_count_pages(struct vxe_device *vxe);

#endif
