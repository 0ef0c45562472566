// SPDX-License-Identifier: GPL-2.0
/*
 * migrate_verify: migrate memory between two NUMA nodes and prove nothing
 * was lost.
 *
 * For each kind of memory asked for, maps SIZE MiB on the first node
 * (mbind), writes a pattern unique to every 8-byte word, then moves it to
 * the other node and back ROUNDS times with move_pages(2), mbind(2) with
 * MPOL_MF_MOVE, or numactl's migratepages (migrate_pages(2)).  After every
 * move it checks every page's node (with a query-only move_pages call) and
 * every byte against the pattern.  At the end it prints the folios and
 * bytes it migrated, for tests that compare them with kernel counters.
 *
 * With --rewrite MS, after each move it writes a new pattern over the whole
 * region, waits MS milliseconds and checks that pattern: a copy the kernel
 * gave up on that completes after migration returned would write over it.
 *
 * With --poison MS, MS milliseconds into the first move it marks the
 * region's fourth page (a tail page of the first THP, which move_pages()
 * migrates first) hardware-poisoned, by its frame number through hwpoison
 * injection in debugfs, as memory found bad while a copy is in flight;
 * once that move returned, it clears the mark (the source page is free
 * then, and would otherwise come back as the destination of a later move). The checks stay the same: poison
 * found under migration must cost no page and no byte.
 *
 * Exit 0 on success, 1 on any misplaced page or differing byte, 77 when the
 * machine cannot run the test (fewer than two nodes), 2 on bad usage.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>

#include "testlib.h"

enum via { VIA_MOVE_PAGES, VIA_MBIND, VIA_MIGRATEPAGES };

static const char *const via_names[] = {
	[VIA_MOVE_PAGES] = "move_pages", [VIA_MBIND] = "mbind",
	[VIA_MIGRATEPAGES] = "migratepages",
};

struct opts {
	size_t len;
	long rounds;
	int from, to;
	enum via via;
	int heads;
	long rewrite_ms;
	long poison_ms;
};

#define HWPOISON_DIR "/sys/kernel/debug/hwpoison/"

struct poison {
	unsigned long pfn;
	long delay_ms;
	int err;	/* errno of the injection, 0 if memory_failure() took it */
};

static unsigned long long moved_folios, moved_bytes;

static void usage(FILE *f)
{
	fprintf(f,
		"usage: migrate_verify [--size MIB] [--rounds N] [--from NODE] [--to NODE]\n"
		"                      [--via move_pages|mbind|migratepages] [--heads]\n"
		"                      [--rewrite MS] [--poison MS] KIND...\n"
		"  KIND: anon (4 KiB pages), thp (2 MiB THPs), shared (MAP_SHARED|MAP_ANONYMOUS),\n"
		"        shmem (memfd)\n"
		"  --heads  move_pages gets one address per folio (per 2 MiB for thp)\n"
		"  --rewrite MS  after each move, write a new pattern, wait MS ms, check it\n"
		"  --poison MS   MS ms into the first move, poison a page (hwpoison injection)\n");
}

/* Move the region to NODE the way the options say; returns pages misplaced or -1. */
static long move_to(struct page_vec *v, struct region *r, const struct opts *o, int node)
{
	char cmd[128];

	switch (o->via) {
	case VIA_MBIND:
		if (region_bind(r, node, MPOL_MF_MOVE | MPOL_MF_STRICT))
			return -1;
		return check_region_node(v, node);
	case VIA_MIGRATEPAGES:
		snprintf(cmd, sizeof(cmd), "migratepages %d %d %d", (int)getpid(),
			 node == o->to ? o->from : o->to, node);
		if (system(cmd)) {
			tl_fail("'%s' failed", cmd);
			return -1;
		}
		return check_region_node(v, node);
	default:
		return move_region_stride(v, node,
					  o->heads && r->kind == MEM_THP ? HPAGE_SZ / PAGE_SZ : 1);
	}
}

/* The page frame number of the page at @addr, 0 with an error printed. */
static unsigned long page_pfn(const void *addr)
{
	uint64_t entry;
	off_t off = (off_t)((uintptr_t)addr / PAGE_SZ * sizeof(entry));
	int fd = open("/proc/self/pagemap", O_RDONLY);
	ssize_t n;

	if (fd < 0) {
		tl_fail("/proc/self/pagemap: %s", strerror(errno));
		return 0;
	}
	n = pread(fd, &entry, sizeof(entry), off);
	close(fd);
	if (n != (ssize_t)sizeof(entry) || !(entry >> 63) || !(entry & ((1ULL << 55) - 1))) {
		tl_fail("/proc/self/pagemap: no frame number for %p (run as root)", addr);
		return 0;
	}
	return (unsigned long)(entry & ((1ULL << 55) - 1));
}

/* Write @pfn to hwpoison's @file; 0 or the errno. */
static int hwpoison_write(const char *file, unsigned long pfn)
{
	char path[128], buf[32];
	int fd, len, err = 0;

	snprintf(path, sizeof(path), HWPOISON_DIR "%s", file);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return errno;
	len = snprintf(buf, sizeof(buf), "%#lx\n", pfn);
	if (write(fd, buf, (size_t)len) != len)
		err = errno ? errno : EIO;
	close(fd);
	return err;
}

static void *poison_thread(void *arg)
{
	struct poison *p = arg;
	struct timespec ts = {
		.tv_sec = p->delay_ms / 1000,
		.tv_nsec = (p->delay_ms % 1000) * 1000000,
	};

	nanosleep(&ts, NULL);
	p->err = hwpoison_write("corrupt-pfn", p->pfn);
	return NULL;
}

static int run_kind(enum mem_kind kind, const struct opts *o)
{
	const char *name = mem_kind_names[kind];
	uint64_t seed = 0x5eed0000ULL + (uint64_t)kind;
	size_t folio = kind == MEM_THP ? HPAGE_SZ : PAGE_SZ;
	struct page_vec v = { 0 };
	struct region r;
	double moved_s = 0;
	struct poison poison = { .delay_ms = o->poison_ms };
	pthread_t poisoner;
	int poisoning = 0;
	size_t bad;
	int ret = 1;

	if (region_map(&r, kind, o->len))
		goto out;
	/* Fault everything in on the first node, then drop the policy. */
	if (region_bind(&r, o->from, 0))
		goto out;
	region_fill(&r, seed);
	if (region_bind(&r, -1, 0))
		goto out;
	if (page_vec_init(&v, &r))
		goto out;
	if (check_region_node(&v, o->from) != 0)
		goto out;
	if (kind == MEM_THP) {
		size_t thp = region_thp_bytes(&r);

		printf("# %s: %zu of %zu bytes are THP-backed before migration\n", name, thp, o->len);
		if (thp != o->len) {
			tl_fail("%s: only %zu of %zu bytes are backed by THPs", name, thp, o->len);
			goto out;
		}
	}

	if (o->poison_ms) {
		/* For THP, a tail page of the first folio. */
		poison.pfn = page_pfn(r.addr + 3 * PAGE_SZ);
		if (!poison.pfn)
			goto out;
		errno = pthread_create(&poisoner, NULL, poison_thread, &poison);
		if (errno) {
			tl_fail("pthread_create: %s", strerror(errno));
			goto out;
		}
		poisoning = 1;
	}

	for (long i = 0; i < 2 * o->rounds; i++) {
		int node = (i % 2) ? o->from : o->to;
		double t0 = tl_now();
		long misplaced = move_to(&v, &r, o, node);

		moved_s += tl_now() - t0;
		if (poisoning) {
			pthread_join(poisoner, NULL);
			poisoning = 0;
			/* EBUSY: memory_failure() left a page under migration alone. */
			if (poison.err && poison.err != EBUSY) {
				tl_fail(HWPOISON_DIR "corrupt-pfn: %s", strerror(poison.err));
				goto out;
			}
			printf("# %s: poisoned pfn %#lx during the move to node %d (memory_failure: %s)\n",
			       name, poison.pfn, node, poison.err ? strerror(poison.err) : "handled");
			poison.err = hwpoison_write("unpoison-pfn", poison.pfn);
			if (poison.err) {
				tl_fail(HWPOISON_DIR "unpoison-pfn %#lx: %s", poison.pfn,
					strerror(poison.err));
				goto out;
			}
			poison.pfn = 0;
		}
		if (misplaced) {
			if (misplaced > 0)
				tl_fail("%s: %ld pages not on node %d", name, misplaced, node);
			goto out;
		}
		moved_folios += o->len / folio;
		moved_bytes += o->len;
		bad = region_verify(&r, seed);
		if (bad) {
			tl_fail("%s: %zu bytes differ after the move to node %d", name, bad, node);
			goto out;
		}
		if (o->rewrite_ms) {
			struct timespec ts = {
				.tv_sec = o->rewrite_ms / 1000,
				.tv_nsec = (o->rewrite_ms % 1000) * 1000000,
			};

			seed += 0x100;
			region_fill(&r, seed);
			nanosleep(&ts, NULL);
			bad = region_verify(&r, seed);
			if (bad) {
				tl_fail("%s: %zu bytes written after the move to node %d changed within %ld ms",
					name, bad, node, o->rewrite_ms);
				goto out;
			}
		}
	}
	if (kind == MEM_THP)
		printf("# %s: %zu of %zu bytes still THP-backed after migration\n",
		       name, region_thp_bytes(&r), o->len);
	printf("# %s: %zu MiB moved %ld times between nodes %d and %d with %s, every page placed and every byte intact (%.1f MiB/s)\n",
	       name, o->len >> 20, 2 * o->rounds, o->from, o->to, via_names[o->via],
	       moved_s > 0 ? (double)(o->len >> 20) * 2 * o->rounds / moved_s : 0.0);
	ret = 0;
out:
	if (poisoning)
		pthread_join(poisoner, NULL);
	page_vec_free(&v);
	region_unmap(&r);
	return ret;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "size", required_argument, NULL, 's' },
		{ "rounds", required_argument, NULL, 'r' },
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ "via", required_argument, NULL, 'v' },
		{ "heads", no_argument, NULL, 'H' },
		{ "rewrite", required_argument, NULL, 'w' },
		{ "poison", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	long size_mb = 64, rounds = 1, from = 0, to = 1;
	struct opts o = { .via = VIA_MOVE_PAGES };
	enum mem_kind kinds[8];
	int nkinds = 0, c, failed = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	while ((c = getopt_long(argc, argv, "s:r:f:t:v:w:p:Hh", opts, NULL)) != -1) {
		switch (c) {
		case 'v':
			for (o.via = 0; o.via <= VIA_MIGRATEPAGES; o.via++)
				if (!strcmp(optarg, via_names[o.via]))
					break;
			if (o.via > VIA_MIGRATEPAGES) {
				fprintf(stderr, "migrate_verify: --via: unknown way '%s'\n", optarg);
				return 2;
			}
			break;
		case 'H':
			o.heads = 1;
			break;
		case 'w':
			if (tl_parse_num("--rewrite", optarg, 1, 60000, &o.rewrite_ms))
				return 2;
			break;
		case 'p':
			if (tl_parse_num("--poison", optarg, 1, 60000, &o.poison_ms))
				return 2;
			break;
		case 's':
			if (tl_parse_num("--size", optarg, 2, 65536, &size_mb))
				return 2;
			break;
		case 'r':
			if (tl_parse_num("--rounds", optarg, 1, 1000000, &rounds))
				return 2;
			break;
		case 'f':
			if (tl_parse_num("--from", optarg, 0, 63, &from))
				return 2;
			break;
		case 't':
			if (tl_parse_num("--to", optarg, 0, 63, &to))
				return 2;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	for (; optind < argc; optind++) {
		if (nkinds == (int)(sizeof(kinds) / sizeof(kinds[0])) ||
		    parse_kind(argv[optind], &kinds[nkinds])) {
			fprintf(stderr, "migrate_verify: unknown memory kind '%s'\n", argv[optind]);
			return 2;
		}
		nkinds++;
	}
	if (!nkinds) {
		fprintf(stderr, "migrate_verify: no memory kind given\n");
		usage(stderr);
		return 2;
	}
	if (from == to) {
		fprintf(stderr, "migrate_verify: --from and --to must differ\n");
		return 2;
	}
	if (o.poison_ms && o.via != VIA_MOVE_PAGES) {
		fprintf(stderr, "migrate_verify: --poison needs --via move_pages\n");
		return 2;
	}
	if (size_mb % 2) {
		fprintf(stderr, "migrate_verify: --size must be a multiple of 2 MiB\n");
		return 2;
	}
	if (nr_online_nodes() < 2) {
		printf("SKIP: migration needs two NUMA nodes, this machine has %d\n",
		       nr_online_nodes());
		return KSFT_SKIP;
	}
	o.len = (size_t)size_mb << 20;
	o.rounds = rounds;
	o.from = (int)from;
	o.to = (int)to;
	for (int i = 0; i < nkinds && !failed; i++)
		failed |= run_kind(kinds[i], &o);
	printf("moved folios=%llu bytes=%llu\n", moved_folios, moved_bytes);
	return failed ? 1 : 0;
}
