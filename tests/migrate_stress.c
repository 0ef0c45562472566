// SPDX-License-Identifier: GPL-2.0
/*
 * migrate_stress: one worker of the stress run (tests/stress.sh).  Until a
 * deadline, it keeps SIZE MiB of one kind of memory under migration and
 * checks every byte of it after every move, while everything else the
 * stress run does (compaction, NUMA balancing, migratepages, backend and
 * policy churn, memory pressure) races with it.  Unlike migrate_verify it
 * accepts that a page is sometimes not moved (busy, no memory on the target
 * node, moved back by NUMA balancing): only lost or corrupted bytes fail.
 *
 *   move    rewrite the region with a new pattern, move_pages(2) all of it
 *           to the other node, check every byte; again
 *   hold    rewrite, wait, check; others migrate it (migratepages,
 *           compaction)
 *   bounce  as hold, but run on the CPUs of each node in turn, so that NUMA
 *           balancing migrates the memory after the task
 *   fill    take SIZE MiB (the caller binds it to a node with numactl),
 *           touch it, hold it for ten seconds, free it; again.  Checks
 *           nothing: it makes migration allocations on that node fail
 *           sometimes
 *
 * The last line is a summary for the caller:
 *   stress KIND MODE rounds=R moved=PAGES busy=PAGES nomem=PAGES
 *   verified=BYTES differing=BYTES
 * Exit 0 when no byte differed, 1 otherwise or on an unexpected error,
 * 2 on bad usage, 77 with fewer than two nodes.
 */
#include <getopt.h>
#include <sched.h>
#include <time.h>

#include "testlib.h"

enum mode { MODE_MOVE, MODE_HOLD, MODE_BOUNCE, MODE_FILL };

static const char *const mode_names[] = {
	[MODE_MOVE] = "move", [MODE_HOLD] = "hold",
	[MODE_BOUNCE] = "bounce", [MODE_FILL] = "fill",
};

struct tally {
	unsigned long long rounds, moved, busy, nomem, verified, differing;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: migrate_stress --seconds S [--size MIB] MODE KIND\n"
		"  MODE: move, hold, bounce, fill\n"
		"  KIND: anon, thp, shared, shmem\n");
}

/* The CPUs of NODE, from sysfs. */
static int node_cpus(int node, cpu_set_t *set)
{
	char path[64], list[256], *p = list;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/devices/system/node/node%d/cpulist", node);
	f = fopen(path, "r");
	if (!f || !fgets(list, sizeof(list), f)) {
		tl_fail("%s: %s", path, strerror(errno));
		if (f)
			fclose(f);
		return -1;
	}
	fclose(f);
	CPU_ZERO(set);
	while (*p && *p != '\n') {
		char *end;
		long lo = strtol(p, &end, 10), hi = lo;

		if (end == p)
			break;
		if (*end == '-')
			hi = strtol(end + 1, &end, 10);
		for (long c = lo; c <= hi && c < CPU_SETSIZE; c++)
			CPU_SET((int)c, set);
		p = *end == ',' ? end + 1 : end;
	}
	return CPU_COUNT(set) ? 0 : -1;
}

/* move_pages(2) every page to NODE; tally what moved and what did not. */
static int move_all(struct page_vec *v, int node, struct tally *t)
{
	long ret;

	for (size_t i = 0; i < v->count; i++)
		v->nodes[i] = node;
	ret = sys_move_pages(v->count, v->pages, v->nodes, v->status, MPOL_MF_MOVE);
	if (ret < 0 && errno != ENOMEM && errno != EBUSY && errno != EAGAIN) {
		tl_fail("move_pages to node %d: %s", node, strerror(errno));
		return -1;
	}
	if (ret < 0) {
		/* Nothing moved this time: checked all the same. */
		if (errno == ENOMEM)
			t->nomem += v->count;
		else
			t->busy += v->count;
		return 0;
	}
	for (size_t i = 0; i < v->count; i++) {
		int s = v->status[i];

		if (s == node)
			t->moved++;
		else if (s == -ENOMEM)
			t->nomem++;
		else if (s == -EBUSY || s == -EAGAIN || s == -ENOENT || s >= 0)
			t->busy++;	/* -ENOENT: under migration by someone else */
		else {
			tl_fail("move_pages: page %zu: %s", i, strerror(-s));
			return -1;
		}
	}
	return 0;
}

static int fill_loop(size_t len, double deadline, struct tally *t)
{
	while (tl_now() < deadline) {
		char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);

		if (p == MAP_FAILED) {
			usleep(100000);
			continue;
		}
		for (size_t off = 0; off < len; off += PAGE_SZ)
			p[off] = 1;
		sleep(10);
		munmap(p, len);
		t->rounds++;
		usleep(200000);
	}
	return 0;
}

static int run(enum mode mode, enum mem_kind kind, size_t len, double deadline,
	       struct tally *t)
{
	uint64_t seed = 0x57e55000ULL + ((uint64_t)kind << 8);
	struct page_vec v = { 0 };
	cpu_set_t cpus[2];
	struct region r;
	int ret = 1;

	if (mode == MODE_FILL)
		return fill_loop(len, deadline, t);
	if (mode == MODE_BOUNCE && (node_cpus(0, &cpus[0]) || node_cpus(1, &cpus[1])))
		return 1;
	if (region_map(&r, kind, len))
		goto out;
	if (page_vec_init(&v, &r))
		goto out;
	while (tl_now() < deadline) {
		int node = t->rounds % 2;
		size_t bad;

		/* A new pattern every round: a stale copy of a page shows. */
		seed += 0x100000;
		region_fill(&r, seed);
		switch (mode) {
		case MODE_MOVE:
			if (move_all(&v, 1 - node, t))
				goto out;
			break;
		case MODE_BOUNCE:
			if (sched_setaffinity(0, sizeof(cpus[node]), &cpus[node])) {
				tl_fail("sched_setaffinity: %s", strerror(errno));
				goto out;
			}
			/* Keep touching it from there: NUMA hinting faults. */
			for (double end = tl_now() + 1.0; tl_now() < end;)
				bad = region_verify(&r, seed);
			break;
		default:
			usleep(200000);
			break;
		}
		bad = region_verify(&r, seed);
		t->verified += len;
		t->differing += bad;
		t->rounds++;
		if (bad) {
			tl_fail("%s: %zu bytes differ after round %llu", mem_kind_names[kind],
				bad, t->rounds);
			goto out;
		}
	}
	if (mode != MODE_MOVE) {
		/* Where the memory ended up, to show that it did move. */
		if (sys_move_pages(v.count, v.pages, NULL, v.status, 0) == 0)
			for (size_t i = 0; i < v.count; i++)
				t->moved += v.status[i] == 1;
	}
	ret = 0;
out:
	page_vec_free(&v);
	region_unmap(&r);
	return ret;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "seconds", required_argument, NULL, 'S' },
		{ "size", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	long seconds = -1, size_mb = 8;
	struct tally t = { 0 };
	enum mem_kind kind;
	enum mode mode;
	int c, ret;
	size_t m;

	setvbuf(stdout, NULL, _IOLBF, 0);
	while ((c = getopt_long(argc, argv, "S:s:h", opts, NULL)) != -1) {
		switch (c) {
		case 'S':
			if (tl_parse_num("--seconds", optarg, 1, 86400, &seconds))
				return 2;
			break;
		case 's':
			if (tl_parse_num("--size", optarg, 2, 65536, &size_mb))
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
	if (seconds < 0 || argc - optind != 2) {
		fprintf(stderr, "migrate_stress: %s\n",
			seconds < 0 ? "--seconds is required" : "needs a MODE and a KIND");
		return 2;
	}
	for (m = 0; m < sizeof(mode_names) / sizeof(mode_names[0]); m++)
		if (!strcmp(argv[optind], mode_names[m]))
			break;
	if (m == sizeof(mode_names) / sizeof(mode_names[0])) {
		fprintf(stderr, "migrate_stress: unknown mode '%s'\n", argv[optind]);
		return 2;
	}
	mode = (enum mode)m;
	if (parse_kind(argv[optind + 1], &kind)) {
		fprintf(stderr, "migrate_stress: unknown kind '%s'\n", argv[optind + 1]);
		return 2;
	}
	if (kind == MEM_THP && size_mb % 2) {
		fprintf(stderr, "migrate_stress: --size must be a multiple of 2 MiB for thp\n");
		return 2;
	}
	if (nr_online_nodes() < 2) {
		printf("SKIP: needs two NUMA nodes\n");
		return KSFT_SKIP;
	}
	ret = run(mode, kind, (size_t)size_mb << 20, tl_now() + (double)seconds, &t);
	printf("stress %s %s rounds=%llu moved=%llu busy=%llu nomem=%llu verified=%llu differing=%llu\n",
	       mem_kind_names[kind], mode_names[mode], t.rounds, t.moved, t.busy, t.nomem,
	       t.verified, t.differing);
	return ret;
}
