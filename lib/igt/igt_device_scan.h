/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 igt-shrink authors
 *
 * Device filters (--device, IGT_DEVICE) and the DRM card list they select
 * from: a small subset of upstream IGT's lib/igt_device_scan.h with the same
 * names. Supported filters:
 *   drm:/dev/dri/cardN, drm:/dev/dri/renderDN
 *   sys:/sys/devices/... (the DRM device or its parent)
 *   pci:[vendor=ID|NAME][,device=ID][,card=N]  or  pci:slot=DDDD:BB:DD.F
 * Several filters may be given at once, separated by ';'.
 */

#ifndef __IGT_DEVICE_SCAN_H__
#define __IGT_DEVICE_SCAN_H__

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#define PCI_SLOT_NAME_SIZE 12

/* What a filter resolved to; empty strings for what the device lacks. */
struct igt_device_card {
	char subsystem[NAME_MAX];
	char card[NAME_MAX];
	char render[NAME_MAX];
	char driver[NAME_MAX];
	char pci_slot_name[PCI_SLOT_NAME_SIZE + 1];
	uint16_t pci_vendor, pci_device;
};

void igt_devices_scan(void);

int igt_device_filter_count(void);
int igt_device_filter_add(const char *filter);
void igt_device_filter_free_all(void);
const char *igt_device_filter_get(int num);

bool igt_device_card_match(const char *filter, struct igt_device_card *card);

#endif /* __IGT_DEVICE_SCAN_H__ */
