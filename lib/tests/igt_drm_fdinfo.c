// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 *
 * igt_drm_fdinfo: texts in the formats xe and the DRM core print
 * (drm_print_memory_stats(): "<n>", "<n> KiB", "<n> MiB" by the largest unit
 * that divides the size; xe: regions system, gtt, vram0, stolen, with active,
 * resident and purgeable), parsed into bytes; region and engine maps; the
 * texts the parser must refuse; and this process's own fdinfo of a non-DRM fd.
 */

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "igt_drm_fdinfo.h"
#include "igt_tests_common.h"

#define KiB 1024ull

static char dir_path[] = "/tmp/igt_drm_fdinfo.XXXXXX";
static int dir_fd = -1;

/* An integrated xe client after a shrink: BOs backed up sit in "system" */
static const char xe_igpu[] =
	"pos:\t0\nflags:\t02100002\nmnt_id:\t26\nino:\t1033\n"
	"drm-driver:\txe\n"
	"drm-client-id:\t17\n"
	"drm-pdev:\t0000:00:02.0\n"
	"drm-total-system:\t256 MiB\n"
	"drm-shared-system:\t0\n"
	"drm-active-system:\t0\n"
	"drm-resident-system:\t0\n"
	"drm-purgeable-system:\t0\n"
	"drm-total-gtt:\t266244 KiB\n"
	"drm-shared-gtt:\t0\n"
	"drm-active-gtt:\t4 KiB\n"
	"drm-resident-gtt:\t266244 KiB\n"
	"drm-purgeable-gtt:\t0\n"
	"drm-total-stolen:\t0\n"
	"drm-shared-stolen:\t0\n"
	"drm-active-stolen:\t0\n"
	"drm-resident-stolen:\t0\n"
	"drm-purgeable-stolen:\t0\n"
	"drm-cycles-rcs:\t91234\n"
	"drm-total-cycles-rcs:\t887766554433\n"
	"drm-cycles-bcs:\t0\n"
	"drm-total-cycles-bcs:\t887766554433\n"
	"drm-engine-capacity-vcs:\t2\n"
	"drm-cycles-vcs:\t0\n"
	"drm-total-cycles-vcs:\t887766554433\n";

/* A discrete xe client: sizes not a multiple of 1 KiB stay in bytes */
static const char xe_dgpu[] =
	"drm-driver:\txe\n"
	"drm-client-id:\t3\n"
	"drm-total-system:\t0\n"
	"drm-resident-system:\t0\n"
	"drm-total-gtt:\t4097\n"
	"drm-resident-gtt:\t4097\n"
	"drm-total-vram0:\t2 GiB\n"
	"drm-resident-vram0:\t1536 MiB\n"
	"drm-purgeable-vram0:\t512 MiB\n";

static void write_text(const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir_path, name);
	f = fopen(path, "w");
	if (!f || fputs(text, f) < 0 || fclose(f)) {
		perror(path);
		exit(1);
	}
}

static unsigned int parse(const char *text, struct drm_client_fdinfo *info,
			  const char **regions, unsigned int num_regions)
{
	memset(info, 0, sizeof(*info));
	write_text("7", text);
	return __igt_parse_drm_fdinfo(dir_fd, "7", info, NULL, 0, regions,
				      num_regions);
}

static int region(const struct drm_client_fdinfo *info, const char *name)
{
	for (unsigned int i = 0; i <= info->last_region_index; i++)
		if (!strcmp(info->region_names[i], name))
			return i;
	return -1;
}

static void test_xe_igpu(void)
{
	struct drm_client_fdinfo info;
	unsigned int n = parse(xe_igpu, &info, NULL, 0);
	int sys, gtt;

	/* driver + id, 3 engines, 1 capacity, 3 regions */
	check(n == 2 + 3 + 1 + 3, NULL);
	check(!strcmp(info.driver, "xe"), NULL);
	check(!strcmp(info.pdev, "0000:00:02.0"), NULL);
	check(info.id == 17, NULL);
	check(info.num_regions == 3 && info.last_region_index == 2, NULL);

	sys = region(&info, "system");
	gtt = region(&info, "gtt");
	check(sys == 0 && gtt == 1 && region(&info, "stolen") == 2, NULL);
	check(info.region_mem[sys].total == 256 * MiB, NULL);
	check(info.region_mem[sys].resident == 0, NULL);
	check(info.region_mem[gtt].total == 266244 * KiB, NULL);
	check(info.region_mem[gtt].resident == 266244 * KiB, NULL);
	check(info.region_mem[gtt].active == 4 * KiB, NULL);
	check(info.region_mem[gtt].purgeable == 0, NULL);

	check(info.num_engines == 3, NULL);
	check(!strcmp(info.names[0], "rcs") && !strcmp(info.names[2], "vcs"), NULL);
	check(info.cycles[0] == 91234, NULL);
	check(info.total_cycles[1] == 887766554433ull, NULL);
	check(info.capacity[0] == 1 && info.capacity[2] == 2, NULL);
	check(info.utilization_mask == (DRM_FDINFO_UTILIZATION_CYCLES |
					DRM_FDINFO_UTILIZATION_TOTAL_CYCLES), NULL);
}

static void test_xe_dgpu(void)
{
	struct drm_client_fdinfo info;
	int vram;

	check(parse(xe_dgpu, &info, NULL, 0) == 2 + 3, NULL);
	check(info.num_engines == 0, NULL);
	vram = region(&info, "vram0");
	check(vram == 2, NULL);
	check(info.region_mem[vram].total == 2048 * MiB, NULL);
	check(info.region_mem[vram].resident == 1536 * MiB, NULL);
	check(info.region_mem[vram].purgeable == 512 * MiB, NULL);
	check(info.region_mem[region(&info, "gtt")].total == 4097, NULL);
}

/* With a map, indices are the map's: regions not in it are left out */
static void test_region_map(void)
{
	const char *map[] = { "vram0", "gtt", "system" };
	struct drm_client_fdinfo info;

	check(parse(xe_igpu, &info, map, 3) == 2 + 3 + 1 + 2, NULL);
	check(info.num_regions == 2 && info.last_region_index == 2, NULL);
	check(info.region_mem[0].total == 0 && !info.region_names[0][0], NULL);
	check(info.region_mem[1].total == 266244 * KiB, NULL);
	check(info.region_mem[2].total == 256 * MiB, NULL);
	check(!strcmp(info.region_names[2], "system"), NULL);
}

static void test_other_formats(void)
{
	struct drm_client_fdinfo info;

	/* amdgpu's older drm-memory-<region> is the resident size */
	check(parse("drm-driver:\tamdgpu\ndrm-client-id:\t9\n"
		    "drm-memory-vram:\t1024 KiB\ndrm-engine-gfx:\t5000 ns\n",
		    &info, NULL, 0) == 4, NULL);
	check(info.region_mem[0].resident == 1024 * KiB, NULL);
	check(info.engine_time[0] == 5000, NULL);
	check(info.utilization_mask == DRM_FDINFO_UTILIZATION_ENGINE_TIME, NULL);

	/* no trailing newline; spaces instead of a tab */
	check(parse("drm-driver: qxl\ndrm-client-id: 1\ndrm-total-system: 8 KiB",
		    &info, NULL, 0) == 3, NULL);
	check(info.region_mem[0].total == 8 * KiB, NULL);
}

static void test_refused(void)
{
	struct drm_client_fdinfo info;

	/* not a DRM client: a plain file's fdinfo */
	check(parse("pos:\t0\nflags:\t0100000\nmnt_id:\t22\nino:\t42\n",
		    &info, NULL, 0) == 0, NULL);
	/* no client id */
	check(parse("drm-driver:\txe\ndrm-total-system:\t0\n", &info, NULL, 0) == 0, NULL);
	/* neither engines nor regions */
	check(parse("drm-driver:\txe\ndrm-client-id:\t1\n", &info, NULL, 0) == 0, NULL);
	/* empty driver name */
	check(parse("drm-driver:\ndrm-client-id:\t1\ndrm-total-gtt:\t0\n",
		    &info, NULL, 0) == 0, NULL);
	/* missing file */
	memset(&info, 0, sizeof(info));
	check(__igt_parse_drm_fdinfo(dir_fd, "no-such-fd", &info, NULL, 0, NULL, 0) == 0,
	      NULL);
	/* this process's own fdinfo of a file that is no DRM device */
	memset(&info, 0, sizeof(info));
	check(igt_parse_drm_fdinfo(dir_fd, &info, NULL, 0, NULL, 0) == 0, NULL);
	check(igt_parse_drm_fdinfo(-1, &info, NULL, 0, NULL, 0) == 0, NULL);
}

/* More regions than fit: the extra ones are dropped, nothing overflows */
static void test_too_many_regions(void)
{
	struct drm_client_fdinfo info;
	char text[4096];
	int len;

	len = snprintf(text, sizeof(text), "drm-driver:\tx\ndrm-client-id:\t1\n");
	for (int i = 0; i < DRM_CLIENT_FDINFO_MAX_REGIONS + 4; i++)
		len += snprintf(text + len, sizeof(text) - len,
				"drm-total-r%d:\t%d KiB\n", i, i + 1);
	check(parse(text, &info, NULL, 0) == 2 + DRM_CLIENT_FDINFO_MAX_REGIONS, NULL);
	check(info.num_regions == DRM_CLIENT_FDINFO_MAX_REGIONS, NULL);
	check(info.region_mem[DRM_CLIENT_FDINFO_MAX_REGIONS - 1].total ==
	      DRM_CLIENT_FDINFO_MAX_REGIONS * KiB, NULL);
}

int main(void)
{
	char path[512];

	if (!mkdtemp(dir_path)) {
		perror("mkdtemp");
		return 1;
	}
	dir_fd = open(dir_path, O_DIRECTORY | O_RDONLY);

	test_xe_igpu();
	test_xe_dgpu();
	test_region_map();
	test_other_formats();
	test_refused();
	test_too_many_regions();

	snprintf(path, sizeof(path), "%s/7", dir_path);
	unlink(path);
	close(dir_fd);
	rmdir(dir_path);
	return checks_done("igt_drm_fdinfo");
}
