/* SPDX-License-Identifier: GPL-2.0 */
/* The TT resource manager (vxe_ttm_sys_mgr.c, as xe's xe_ttm_sys_mgr.h). */
#ifndef VXE_TTM_SYS_MGR_H
#define VXE_TTM_SYS_MGR_H

struct vxe_device;

void vxe_ttm_sys_mgr_init(struct vxe_device *vxe);
void vxe_ttm_sys_mgr_fini(struct vxe_device *vxe);

#endif
