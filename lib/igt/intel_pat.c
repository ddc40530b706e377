// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 *
 * Where the PAT indices come from: recent kernels print the table and the
 * index of each cache mode in debugfs (gtN/pat_sw_config); older ones do
 * not, and for the platforms upstream's fallback table knows, the indices
 * follow from the graphics IP version as the kernel's xe_pat.c assigns them:
 *   Xe2, Xe3 (20.xx, 30.xx):       WB 2, UC 3, WT 15, UC+compression 12
 *   Xe3p XPC (35.11):              WB 2, UC 3, no WT (UC used)
 *   Xe_LPG (12.70 - 12.74, MTL):   WB 3, UC 2, WT 1
 *   Xe_HPC (PVC):                  WB 3, UC 0, WT 2
 *   Xe_LP, Xe_HPG (up to 12.10, DG2 12.55): WB 0, UC 3, WT 2
 * Any other IP without pat_sw_config fails the test, as upstream's does:
 * a newer platform's indices cannot be guessed. Only xe devices are handled.
 */

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "drmtest.h"
#include "igt_debugfs.h"
#include "intel_pat.h"
#include "xe/xe_query.h"

/* "IDX[XE_CACHE_WB] = 2" style line: stores the number into @idx. */
static void parse_idx_line(const char *line, const char *key, uint8_t *idx)
{
	const char *eq;
	unsigned int value;

	if (strncmp(line, key, strlen(key)))
		return;
	eq = strchr(line, '=');
	if (eq && sscanf(eq + 1, " %u", &value) == 1)
		*idx = value;
}

/* "PAT[ 3] = [ ... ]  ( 0x...)" style line, '*' marking reserved ones. */
static void parse_pat_line(const char *line, struct intel_pat_cache *pat, int *n)
{
	const char *paren = strrchr(line, '(');
	unsigned int value;

	if (!paren || sscanf(paren + 1, " %x", &value) != 1)
		return;
	if (*n >= XE_PAT_MAX_ENTRIES) {
		igt_warn("Too many PAT entries, line ignored: %s", line);
		return;
	}
	pat->entries[*n].pat = value;
	pat->entries[*n].rsvd = strchr(line, '*') != NULL;
	pat->max_index = *n;
	(*n)++;
}

/**
 * xe_get_pat_sw_config:
 * @drm_fd: xe fd
 * @xe_pat_cache: filled from debugfs
 * @gt: GT id
 *
 * Reads the PAT table and the per-mode indices the kernel uses from
 * debugfs (root only; kernels without gtN/pat_sw_config return an error).
 *
 * Returns: the number of table entries read, 0 when the file held no
 * write-back index, or a negative value when it could not be opened.
 */
int32_t xe_get_pat_sw_config(int drm_fd, struct intel_pat_cache *xe_pat_cache, int gt)
{
	char name[64], *line = NULL;
	uint8_t wb = XE_PAT_IDX_INVALID;
	size_t cap = 0;
	FILE *file;
	int fd, n = 0;

	snprintf(name, sizeof(name), "gt%d/pat_sw_config", gt);
	fd = igt_debugfs_open(drm_fd, name, O_RDONLY);
	if (fd < 0)
		return fd;
	file = fdopen(fd, "r");
	if (!file) {
		close(fd);
		return -1;
	}

	memset(xe_pat_cache, 0, sizeof(*xe_pat_cache));
	xe_pat_cache->uc_comp = XE_PAT_IDX_INVALID;
	xe_pat_cache->pta_mode = UINT32_MAX;
	xe_pat_cache->pat_ats = UINT32_MAX;
	while (getline(&line, &cap, file) > 0) {
		if (!strncmp(line, "PAT[", 4))
			parse_pat_line(line, xe_pat_cache, &n);
		parse_idx_line(line, "IDX[XE_CACHE_NONE]", &xe_pat_cache->uc);
		parse_idx_line(line, "IDX[XE_CACHE_WT]", &xe_pat_cache->wt);
		parse_idx_line(line, "IDX[XE_CACHE_WB]", &wb);
		parse_idx_line(line, "IDX[XE_CACHE_NONE_COMPRESSION]",
			       &xe_pat_cache->uc_comp);
	}
	free(line);
	fclose(file);

	xe_pat_cache->wb = wb;

	return wb == XE_PAT_IDX_INVALID ? 0 : n;
}

static bool is_pvc(uint16_t dev_id)
{
	return (dev_id & 0xfff0) == 0x0bd0 || dev_id == 0x0b69 || dev_id == 0x0b6e;
}

/* Graphics IP version of the first main GT, as major * 100 + minor. */
static unsigned int graphics_ip(int fd)
{
	struct drm_xe_query_gt_list *gts = xe_gt_list(fd);

	for (int i = 0; i < gts->num_gt; i++)
		if (gts->gt_list[i].type == DRM_XE_QUERY_GT_TYPE_MAIN)
			return gts->gt_list[i].ip_ver_major * 100 +
			       gts->gt_list[i].ip_ver_minor;

	return 0;
}

/* The indices of the platforms in the table above; false for any other. */
static bool pat_from_ip_version(int fd, unsigned int ip, struct intel_pat_cache *pat)
{
	unsigned int major = ip / 100;

	if (ip == 3511) {
		*pat = (struct intel_pat_cache){ .uc = 3, .wt = 3, .wb = 2,
			.uc_comp = XE_PAT_IDX_INVALID, .max_index = 31 };
	} else if (major == 20 || major == 30) {
		*pat = (struct intel_pat_cache){ .uc = 3, .wt = 15, .wb = 2,
			.uc_comp = 12, .max_index = ip == 2001 ? 27 : 31 };
	} else if (ip >= 1270 && ip <= 1274) {
		*pat = (struct intel_pat_cache){ .uc = 2, .wt = 1, .wb = 3,
			.uc_comp = XE_PAT_IDX_INVALID, .max_index = 3 };
	} else if (is_pvc(xe_dev_id(fd))) {
		*pat = (struct intel_pat_cache){ .uc = 0, .wt = 2, .wb = 3,
			.uc_comp = XE_PAT_IDX_INVALID, .max_index = 7 };
	} else if (ip <= 1210 || ip == 1255) {
		*pat = (struct intel_pat_cache){ .uc = 3, .wt = 2, .wb = 0,
			.uc_comp = XE_PAT_IDX_INVALID, .max_index = 3 };
	} else {
		return false;
	}
	return true;
}

static void get_pat(int fd, struct intel_pat_cache *pat)
{
	struct xe_device *dev = xe_device_get(fd);	/* fails on non-xe fds */
	unsigned int ip;

	if (dev->pat_cache) {
		*pat = *dev->pat_cache;
		return;
	}
	ip = graphics_ip(fd);
	igt_assert_f(pat_from_ip_version(fd, ip, pat),
		     "No gt0/pat_sw_config in debugfs and no known PAT indices for graphics IP %u.%02u: a kernel that prints them is needed\n",
		     ip / 100, ip % 100);
}

/**
 * intel_get_pat_idx_wb:
 * @fd: xe fd
 *
 * Fails the test, as upstream's does, when the kernel does not print its
 * PAT configuration in debugfs and the platform is not one whose indices
 * are known (see the top of this file).
 *
 * Returns: the PAT index for write-back access coherent with the CPU
 * (at least 1-way), valid for every BO whatever its CPU caching.
 */
uint8_t intel_get_pat_idx_wb(int fd)
{
	struct intel_pat_cache pat;

	get_pat(fd, &pat);
	return pat.wb;
}
