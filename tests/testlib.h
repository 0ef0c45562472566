/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the guest-side migration tests: memory set-up for each
 * kind of memory, a pattern that makes every 8-byte word of every page
 * unique, move_pages(2) without libnuma, and the checks of page placement
 * and page contents.
 */
#ifndef MIGRATE_TESTLIB_H
#define MIGRATE_TESTLIB_H

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define KSFT_SKIP	77
#define PAGE_SZ		4096UL
#define HPAGE_SZ	(2UL << 20)

#ifndef MPOL_MF_MOVE
#define MPOL_DEFAULT	0
#define MPOL_BIND	2
#define MPOL_MF_STRICT	(1 << 0)
#define MPOL_MF_MOVE	(1 << 1)
#endif

enum mem_kind { MEM_ANON, MEM_THP, MEM_SHARED, MEM_SHMEM };

static const char *const mem_kind_names[] = {
	[MEM_ANON] = "anon", [MEM_THP] = "thp",
	[MEM_SHARED] = "shared", [MEM_SHMEM] = "shmem",
};

struct region {
	enum mem_kind kind;
	char *addr;		/* start, 2 MiB aligned for THP */
	size_t len;
	void *map;		/* what mmap returned */
	size_t map_len;
	int fd;
};

static inline void __attribute__((format(printf, 1, 2))) tl_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("FAIL: ", stdout);
	vprintf(fmt, ap);
	fputc('\n', stdout);
	va_end(ap);
	fflush(stdout);
}

/* Parse OPT's value S as a number from MIN to MAX; one error line if not. */
static inline int tl_parse_num(const char *opt, const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max) {
		fprintf(stderr, "%s: %s: '%s' is not a number from %ld to %ld\n",
			program_invocation_short_name, opt, s, min, max);
		return -1;
	}
	*out = v;
	return 0;
}

/* Seconds on the monotonic clock. */
static inline double tl_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static inline int parse_kind(const char *s, enum mem_kind *kind)
{
	for (size_t i = 0; i < sizeof(mem_kind_names) / sizeof(mem_kind_names[0]); i++) {
		if (!strcmp(s, mem_kind_names[i])) {
			*kind = (enum mem_kind)i;
			return 0;
		}
	}
	return -1;
}

static inline long sys_move_pages(unsigned long count, void **pages, const int *nodes,
			   int *status, int flags)
{
	return syscall(SYS_move_pages, 0, count, pages, nodes, status, flags);
}

/*
 * mbind(2) the region to NODE with FLAGS (MPOL_MF_MOVE to migrate what is
 * there already), or back to the default policy when NODE is negative.
 */
static inline int region_bind(const struct region *r, int node, unsigned int flags)
{
	unsigned long mask = node >= 0 ? 1UL << node : 0;

	if (syscall(SYS_mbind, r->addr, r->len, node >= 0 ? MPOL_BIND : MPOL_DEFAULT,
		    node >= 0 ? &mask : NULL, node >= 0 ? 64 : 0, flags)) {
		tl_fail("mbind to node %d: %s", node, strerror(errno));
		return -1;
	}
	return 0;
}

/* Map LEN bytes of memory of the given kind; nothing is faulted in yet. */
static inline int region_map(struct region *r, enum mem_kind kind, size_t len)
{
	int flags = MAP_ANONYMOUS | MAP_PRIVATE;

	memset(r, 0, sizeof(*r));
	r->kind = kind;
	r->len = len;
	r->fd = -1;
	r->map_len = len + (kind == MEM_THP ? HPAGE_SZ : 0);

	if (kind == MEM_SHARED)
		flags = MAP_ANONYMOUS | MAP_SHARED;
	if (kind == MEM_SHMEM) {
		r->fd = memfd_create("migrate-test", 0);
		if (r->fd < 0 || ftruncate(r->fd, (off_t)len)) {
			tl_fail("memfd_create/ftruncate: %s", strerror(errno));
			return -1;
		}
		flags = MAP_SHARED;
	}
	r->map = mmap(NULL, r->map_len, PROT_READ | PROT_WRITE, flags, r->fd, 0);
	if (r->map == MAP_FAILED) {
		tl_fail("mmap %zu bytes: %s", r->map_len, strerror(errno));
		return -1;
	}
	r->addr = r->map;
	if (kind == MEM_THP) {
		uintptr_t a = ((uintptr_t)r->map + HPAGE_SZ - 1) & ~(HPAGE_SZ - 1);

		r->addr = (char *)a;
		if (madvise(r->addr, len, MADV_HUGEPAGE)) {
			tl_fail("madvise(MADV_HUGEPAGE): %s", strerror(errno));
			return -1;
		}
	} else if (kind == MEM_ANON) {
		/* THP may be "always": ask for base pages explicitly. */
		if (madvise(r->addr, len, MADV_NOHUGEPAGE)) {
			tl_fail("madvise(MADV_NOHUGEPAGE): %s", strerror(errno));
			return -1;
		}
	}
	return 0;
}

static inline void region_unmap(struct region *r)
{
	if (r->map && r->map != MAP_FAILED)
		munmap(r->map, r->map_len);
	if (r->fd >= 0)
		close(r->fd);
	r->map = NULL;
	r->fd = -1;
}

/* A value unique to (seed, byte offset): a lost, stale or misplaced page shows. */
static inline uint64_t pattern_word(uint64_t seed, uint64_t off)
{
	uint64_t x = seed ^ (off * 0x9e3779b97f4a7c15ULL);

	x ^= x >> 31;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	return x;
}

static inline void region_fill(struct region *r, uint64_t seed)
{
	uint64_t *w = (uint64_t *)r->addr;

	for (size_t i = 0; i < r->len / 8; i++)
		w[i] = pattern_word(seed, i * 8);
}

/* Count the bytes that differ from the pattern; report the first pages hit. */
static inline size_t region_verify(const struct region *r, uint64_t seed)
{
	const uint64_t *w = (const uint64_t *)r->addr;
	size_t bad = 0, reported = 0;

	for (size_t i = 0; i < r->len / 8; i++) {
		uint64_t want = pattern_word(seed, i * 8), got = w[i];

		if (got == want)
			continue;
		for (int b = 0; b < 8; b++)
			bad += ((got >> (8 * b)) & 0xff) != ((want >> (8 * b)) & 0xff);
		if (reported++ < 5)
			tl_fail("%s: page %zu offset %zu: got %016llx want %016llx",
				mem_kind_names[r->kind], i * 8 / PAGE_SZ, i * 8 % PAGE_SZ,
				(unsigned long long)got, (unsigned long long)want);
	}
	return bad;
}

struct page_vec {
	size_t count;
	void **pages;
	int *nodes;
	int *status;
};

static inline int page_vec_init(struct page_vec *v, const struct region *r)
{
	v->count = r->len / PAGE_SZ;
	v->pages = calloc(v->count, sizeof(*v->pages));
	v->nodes = calloc(v->count, sizeof(*v->nodes));
	v->status = calloc(v->count, sizeof(*v->status));
	if (!v->pages || !v->nodes || !v->status) {
		tl_fail("out of memory");
		return -1;
	}
	for (size_t i = 0; i < v->count; i++)
		v->pages[i] = r->addr + i * PAGE_SZ;
	return 0;
}

static inline void page_vec_free(struct page_vec *v)
{
	free(v->pages);
	free(v->nodes);
	free(v->status);
}

/*
 * Where every page of the region is, with a query-only move_pages(2) call.
 * Returns the number of pages not on NODE, or -1.
 */
static inline long check_region_node(struct page_vec *v, int node)
{
	long ret, misplaced = 0;

	ret = sys_move_pages(v->count, v->pages, NULL, v->status, 0);
	if (ret < 0) {
		tl_fail("move_pages query: %s", strerror(errno));
		return -1;
	}
	for (size_t i = 0; i < v->count; i++) {
		if (v->status[i] == node)
			continue;
		if (misplaced++ < 5)
			tl_fail("page %zu is on node %d after a move to node %d",
				i, v->status[i], node);
	}
	return misplaced;
}

/*
 * Move the region to NODE with move_pages(2), passing every STRIDE-th page
 * (1: every page; 512: one address per 2 MiB THP), then check where every
 * page is.  Returns the number of pages not on NODE, or -1.
 */
static inline long move_region_stride(struct page_vec *v, int node, size_t stride)
{
	size_t n = (v->count + stride - 1) / stride;
	void **pages = v->pages;
	long ret;

	if (stride > 1) {
		pages = calloc(n, sizeof(*pages));
		if (!pages) {
			tl_fail("out of memory");
			return -1;
		}
		for (size_t i = 0; i < n; i++)
			pages[i] = v->pages[i * stride];
	}
	for (size_t i = 0; i < n; i++)
		v->nodes[i] = node;
	ret = sys_move_pages(n, pages, v->nodes, v->status, MPOL_MF_MOVE);
	if (pages != v->pages)
		free(pages);
	if (ret < 0) {
		tl_fail("move_pages to node %d: %s", node, strerror(errno));
		return -1;
	}
	if (ret > 0)
		printf("# move_pages to node %d: %ld pages not migrated\n", node, ret);
	return check_region_node(v, node);
}

static inline long move_region(struct page_vec *v, int node)
{
	return move_region_stride(v, node, 1);
}

/* Bytes of the region that /proc/self/smaps reports as THP-backed. */
static inline size_t region_thp_bytes(const struct region *r)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[256];
	size_t kb = 0;
	int in = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		unsigned long lo, hi, v;

		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 && strchr(line, '-') < strchr(line, ' ')) {
			in = lo <= (uintptr_t)r->addr && (uintptr_t)r->addr < hi;
			continue;
		}
		if (in && sscanf(line, "AnonHugePages: %lu kB", &v) == 1)
			kb += v;
	}
	fclose(f);
	return kb * 1024;
}

static inline int nr_online_nodes(void)
{
	int n = 0;
	char path[64];

	for (int i = 0; i < 64; i++) {
		snprintf(path, sizeof(path), "/sys/devices/system/node/node%d", i);
		if (access(path, F_OK) == 0)
			n++;
	}
	return n;
}

#endif /* MIGRATE_TESTLIB_H */
