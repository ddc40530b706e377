// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 *
 * igt_drm_fdinfo: texts in the formats xe and the DRM core print
 * (drm_print_memory_stats(): "<n>", "<n> KiB", "<n> MiB" by the largest unit
 * that divides the size; xe: regions system, gtt, vram0, stolen, with active,
 * resident and purgeable), parsed into bytes; region and engine maps; the
 * texts the parser must refuse; and this process's own fdinfo of a non-DRM fd.
 *
 * Upstream's parser reads at most 4095 bytes and drops the last byte read;
 * it asserts when a text names more than 15 engines or regions and no map
 * is given. xe's widest text (every region and engine class, every number
 * at its widest) must fit whole; a longer text keeps its first keys.
 */

#include <signal.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "igt_drm_fdinfo.h"
#include "igt_tests_common.h"

#define KiB 1024ull
#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

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

	/* spaces instead of a tab */
	check(parse("drm-driver: qxl\ndrm-client-id: 1\ndrm-total-system: 8 KiB\n",
		    &info, NULL, 0) == 3, NULL);
	check(info.region_mem[0].total == 8 * KiB, NULL);

	/* no trailing newline: the last byte read is dropped, here the unit's */
	check(parse("drm-driver: qxl\ndrm-client-id: 1\ndrm-total-system: 8 KiB",
		    &info, NULL, 0) == 3, NULL);
	check(info.region_mem[0].total == 8, NULL);
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

static int too_many_regions(int argc, char **argv)
{
	struct drm_client_fdinfo info;
	char text[4096];
	int len;

	len = snprintf(text, sizeof(text), "drm-driver:\tx\ndrm-client-id:\t1\n");
	for (int i = 0; i < atoi(argv[1]); i++)
		len += snprintf(text + len, sizeof(text) - len,
				"drm-total-r%d:\t%d KiB\n", i, i + 1);
	if (parse(text, &info, NULL, 0) != 2 + (unsigned int)atoi(argv[1]))
		return 1;
	return info.region_mem[atoi(argv[1]) - 1].total == atoi(argv[1]) * KiB ? 0 : 2;
}

/* Without a map, 15 regions fit; the 16th aborts, as upstream asserts */
static void test_too_many_regions(void)
{
	struct child_result r;

	r = run_child(too_many_regions, ARGV("15"));
	check(exit_code_of(&r) == 0, &r);
	free_child_result(&r);

	r = run_child(too_many_regions, ARGV("16"));
	check(signal_of(&r) == SIGABRT, &r);
	free_child_result(&r);
}

/*
 * xe's widest fdinfo, in its order (drm_show_fdinfo(), then
 * xe_drm_client_fdinfo(): show_meminfo() for every TTM placement with a
 * name, then show_run_ticks() for every engine class): the VFS lines at
 * their widest, a 64-character client name, five regions with five keys
 * each of a KiB-aligned size near 2^64 (the widest print), six engine
 * classes with 20-digit cycle counts and a capacity.
 */
static int xe_widest(char *text, size_t size)
{
	static const char *const regions[] = {
		"system", "gtt", "vram0", "vram1", "stolen",
	};
	static const char *const stats[] = {
		"total", "shared", "active", "resident", "purgeable",
	};
	static const char *const classes[] = {
		"rcs", "vcs", "vecs", "bcs", "other", "ccs",
	};
	int len;

	len = snprintf(text, size,
		       "pos:\t-9223372036854775808\nflags:\t037777777777\n"
		       "mnt_id:\t2147483647\nino:\t18446744073709551615\n"
		       "drm-driver:\txe\ndrm-client-id:\t18446744073709551615\n"
		       "drm-pdev:\t0000:03:00.0\ndrm-client-name:\t%064d\n", 0);
	for (unsigned int r = 0; r < N_ELEMS(regions); r++)
		for (unsigned int st = 0; st < N_ELEMS(stats); st++)
			len += snprintf(text + len, size - len,
					"drm-%s-%s:\t18014398509481983 KiB\n",
					stats[st], regions[r]);
	for (unsigned int c = 0; c < N_ELEMS(classes); c++)
		len += snprintf(text + len, size - len,
				"drm-cycles-%s:\t18446744073709551615\n"
				"drm-total-cycles-%s:\t18446744073709551615\n"
				"drm-engine-capacity-%s:\t4294967295\n",
				classes[c], classes[c], classes[c]);
	return len;
}

static void test_xe_widest(void)
{
	struct drm_client_fdinfo info;
	char text[8192];
	int len = xe_widest(text, sizeof(text));

	/* whole, with room to spare */
	check(len < 2048, NULL);
	check(parse(text, &info, NULL, 0) == 2 + 6 + 6 + 5, NULL);
	check(info.num_regions == 5 && info.num_engines == 6, NULL);
	for (int i = 0; i < 5; i++) {
		check(info.region_mem[i].total == 18014398509481983ull * KiB, NULL);
		check(info.region_mem[i].purgeable == 18014398509481983ull * KiB, NULL);
	}
	check(!strcmp(info.names[5], "ccs"), NULL);
	check(info.total_cycles[5] == 18446744073709551615ull, NULL);
}

/*
 * A text longer than 4095 bytes: the memory keys before the cut are read,
 * the line cut at byte 4094 loses its end, and what follows is not seen.
 */
static void test_long_text(void)
{
	struct drm_client_fdinfo info;
	char text[8192];
	int len;

	len = snprintf(text, sizeof(text),
		       "drm-driver:\txe\ndrm-client-id:\t5\n"
		       "drm-total-gtt:\t8 MiB\ndrm-resident-gtt:\t8 MiB\n");
	/* filler lines a driver might print, up to just before the cut */
	while (len < 4094 - 40)
		len += snprintf(text + len, sizeof(text) - len, "x-filler:\t%040d\n", 0);
	while (len < 4094 - 22)
		text[len++] = '#';
	/* 22 bytes up to the cut: "drm-total-system:\t123" of "1234 KiB" */
	len += snprintf(text + len, sizeof(text) - len, "\ndrm-total-system:\t1234 KiB\n");
	len += snprintf(text + len, sizeof(text) - len, "drm-resident-vram0:\t4 KiB\n");
	check(len > 4096, NULL);

	check(parse(text, &info, NULL, 0) == 2 + 2, NULL);
	check(info.region_mem[0].total == 8 * MiB, NULL);
	check(info.region_mem[0].resident == 8 * MiB, NULL);
	check(!strcmp(info.region_names[1], "system"), NULL);
	check(info.region_mem[1].total == 123, NULL);
	check(region(&info, "vram0") < 0, NULL);
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
	test_xe_widest();
	test_long_text();

	snprintf(path, sizeof(path), "%s/7", dir_path);
	unlink(path);
	close(dir_fd);
	rmdir(dir_path);
	return checks_done("igt_drm_fdinfo");
}
