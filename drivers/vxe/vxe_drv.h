/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vxe - a virtual xe device: the xe uAPI over TTM system memory and a
 * software engine, to run xe shrinker tests without Intel hardware. The
 * driver's name and description (as xe's xe_drv.h); vxe_drv.c is the top:
 * the DRM driver, its ioctl table, module init and exit.
 */
#ifndef VXE_DRV_H
#define VXE_DRV_H

#define VXE_DRIVER_NAME		"xe"
#define VXE_DRIVER_DESC		"Virtual Intel Xe device (vxe) for shrinker tests"

#endif
