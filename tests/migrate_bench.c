// SPDX-License-Identifier: GPL-2.0
/*
 * migrate_bench: time move_pages(2) between two NUMA nodes, or the plain
 * memcpy() of the same working set, for `make bench`.
 *
 * KIND is the folio size: 4k (base pages), 64k (64 KiB mTHPs: the caller
 * enables hugepages-64kB and disables the PMD size), 2m (PMD THPs), or
 * memcpy (no migration: copy a buffer on the first node into one on the
 * second, the ceiling of a copy in this guest). The working set is faulted
 * in on the first node and filled; then each repetition moves it to the
 * second node and back with one move_pages() call per direction (one
 * address per folio), timing only the calls. Placement is checked after
 * every move and every byte at the end, untimed.
 *
 * Prints one line per repetition, for scripts:
 *   sample kind=KIND folio=BYTES bytes=B folios=F ns=T
 * (B bytes in F folios copied in T nanoseconds: both directions).
 * Exit 0 on success, 1 on a misplaced page or differing byte, 77 with
 * fewer than two nodes, 2 on bad usage.
 */
#include <getopt.h>
#include <time.h>

#include "testlib.h"

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: migrate_bench [--size MIB] [--reps N] 4k|64k|2m|memcpy\n");
}

static int bench_memcpy(size_t len, long reps)
{
	struct region a, b;
	int ret = 1;

	if (region_map(&a, MEM_THP, len) || region_map(&b, MEM_THP, len) ||
	    region_bind(&a, 0, 0) || region_bind(&b, 1, 0))
		goto out;
	region_fill(&a, 0x5eed);
	memset(b.addr, 0, len);
	for (long i = 0; i < reps; i++) {
		uint64_t t0 = now_ns(), t1;

		memcpy(b.addr, a.addr, len);
		t1 = now_ns();
		/* Keep the compiler from dropping the copy. */
		__asm__ volatile("" : : "r"(b.addr) : "memory");
		printf("sample kind=memcpy folio=0 bytes=%zu folios=0 ns=%llu\n", len,
		       (unsigned long long)(t1 - t0));
	}
	if (memcmp(a.addr, b.addr, len)) {
		tl_fail("memcpy: the copy differs");
		goto out;
	}
	ret = 0;
out:
	region_unmap(&a);
	region_unmap(&b);
	return ret;
}

static int bench_move(const char *kind, size_t folio, size_t len, long reps)
{
	const uint64_t seed = 0xbe9c0000ULL + folio;
	size_t nr = len / folio;
	struct page_vec v = { 0 };
	void **heads = NULL;
	int *nodes = NULL, *status = NULL;
	struct region r;
	int ret = 1;

	if (region_map(&r, folio == PAGE_SZ ? MEM_ANON : MEM_THP, len))
		goto out;
	if (region_bind(&r, 0, 0))
		goto out;
	region_fill(&r, seed);
	if (region_bind(&r, -1, 0) || page_vec_init(&v, &r) || check_region_node(&v, 0))
		goto out;
	if (folio == HPAGE_SZ && region_thp_bytes(&r) != len) {
		tl_fail("2m: only %zu of %zu bytes are THP-backed", region_thp_bytes(&r), len);
		goto out;
	}
	heads = calloc(nr, sizeof(*heads));
	nodes = calloc(nr, sizeof(*nodes));
	status = calloc(nr, sizeof(*status));
	if (!heads || !nodes || !status) {
		tl_fail("out of memory");
		goto out;
	}
	for (size_t i = 0; i < nr; i++)
		heads[i] = r.addr + i * folio;

	for (long i = 0; i < reps; i++) {
		uint64_t ns = 0;

		for (int node = 1; node >= 0; node--) {
			uint64_t t0;
			long rc;

			for (size_t j = 0; j < nr; j++)
				nodes[j] = node;
			t0 = now_ns();
			rc = sys_move_pages(nr, heads, nodes, status, MPOL_MF_MOVE);
			ns += now_ns() - t0;
			if (rc) {
				tl_fail("%s: move_pages to node %d: %ld (%s)", kind, node, rc,
					rc < 0 ? strerror(errno) : "pages not migrated");
				goto out;
			}
			if (check_region_node(&v, node))
				goto out;
		}
		printf("sample kind=%s folio=%zu bytes=%zu folios=%zu ns=%llu\n", kind, folio,
		       2 * len, 2 * nr, (unsigned long long)ns);
	}
	if (region_verify(&r, seed)) {
		tl_fail("%s: bytes differ after migration", kind);
		goto out;
	}
	ret = 0;
out:
	free(heads);
	free(nodes);
	free(status);
	page_vec_free(&v);
	region_unmap(&r);
	return ret;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "size", required_argument, NULL, 's' },
		{ "reps", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	long size_mb = 64, reps = 1;
	const char *kind;
	char *end;
	int c;

	setvbuf(stdout, NULL, _IOLBF, 0);
	while ((c = getopt_long(argc, argv, "s:r:h", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			size_mb = strtol(optarg, &end, 10);
			if (*end || size_mb < 2 || size_mb > 65536 || size_mb % 2) {
				fprintf(stderr, "migrate_bench: --size: an even number of MiB\n");
				return 2;
			}
			break;
		case 'r':
			reps = strtol(optarg, &end, 10);
			if (*end || reps < 1 || reps > 100000) {
				fprintf(stderr, "migrate_bench: --reps: a number from 1\n");
				return 2;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return 2;
	}
	kind = argv[optind];
	if (nr_online_nodes() < 2) {
		printf("SKIP: migration needs two NUMA nodes, this machine has %d\n",
		       nr_online_nodes());
		return KSFT_SKIP;
	}
	if (!strcmp(kind, "memcpy"))
		return bench_memcpy((size_t)size_mb << 20, reps);
	if (!strcmp(kind, "4k"))
		return bench_move(kind, PAGE_SZ, (size_t)size_mb << 20, reps);
	if (!strcmp(kind, "64k"))
		return bench_move(kind, 64UL << 10, (size_t)size_mb << 20, reps);
	if (!strcmp(kind, "2m"))
		return bench_move(kind, HPAGE_SZ, (size_t)size_mb << 20, reps);
	fprintf(stderr, "migrate_bench: unknown kind '%s'\n", kind);
	usage(stderr);
	return 2;
}
