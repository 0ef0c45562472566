// SPDX-License-Identifier: GPL-2.0
/*
 * tier_verify: let the kernel move memory between memory tiers on its own
 * (reclaim demoting it, NUMA balancing promoting it, DAMON's schemes) and
 * prove nothing was lost.
 *
 * Maps SIZE MiB of one kind of memory, runs on the CPUs of node CPU_NODE,
 * and writes a pattern unique to every 8-byte word with the pages bound to
 * node PLACE; then it drops the binding (the default policy again), so
 * that the kernel may move them. Then:
 *   --pressure MIB  maps MIB more, bound to node PLACE, and writes it: the
 *                   node runs short, and reclaim (kswapd, or the allocation
 *                   itself) must make room;
 *   --exec CMD      runs CMD with sh -c (a write to memory.reclaim, a DAMON
 *                   scheme turned on, ...); TIER_VERIFY_PID in its
 *                   environment is this process;
 * and waits until at least PERCENT of the first region's pages are on node
 * EXPECT, or TIMEOUT seconds have passed, reading every page of it in
 * between with --hot (the accesses NUMA balancing promotes on) and touching
 * none without. Last, it checks every byte of both regions.
 *
 * Prints the pages on each node before and after, and a closing line
 *   tier_verify: pages=N expect_node=E on_expect=M seconds=S exec_ns=X exec_cpu_ns=C bad_bytes=B
 * (exec_ns: how long CMD ran, on the monotonic clock; exec_cpu_ns: the CPU
 * time it used, user and system, its sleeps not counted; 0 without --exec).
 * Exit 0 when PERCENT was reached and every byte is right, 1 when a byte
 * differs or something failed, 3 when every byte is right but PERCENT was
 * not reached in time, 77 when a node asked for does not exist, 2 on bad
 * usage.
 */
#include <getopt.h>
#include <sched.h>
#include <stdbool.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>

#include "testlib.h"

#define MAX_NODES	64

struct opts {
	size_t len, pressure;
	enum mem_kind kind;
	long place, cpu_node, expect, percent, timeout;
	bool hot;
	const char *exec;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: tier_verify [--size MIB] [--kind anon|thp|shmem] [--place NODE]\n"
		"                   [--cpu-node NODE] --expect NODE [--percent P]\n"
		"                   [--timeout S] [--hot] [--pressure MIB] [--exec CMD]\n"
		"  --size MIB       memory to place and check (default 64; thp: a multiple of 2)\n"
		"  --place NODE     node its pages are written on (default 0)\n"
		"  --cpu-node NODE  node whose CPUs the program runs on (default 0)\n"
		"  --expect NODE    node the kernel should move the pages to\n"
		"  --percent P      share of the pages that must get there (default 90)\n"
		"  --timeout S      how long to wait for it (default 60)\n"
		"  --hot            read every page while waiting\n"
		"  --pressure MIB   then write MIB more on node PLACE\n"
		"  --exec CMD       then run CMD with sh -c\n");
}

/* Run on the CPUs of NODE (its cpulist in sysfs). */
static int run_on_node(long node)
{
	char path[96], list[4096], *s, *tok;
	cpu_set_t set;
	FILE *f;
	int n = 0;

	snprintf(path, sizeof(path), "/sys/devices/system/node/node%ld/cpulist", node);
	f = fopen(path, "r");
	if (!f || !fgets(list, sizeof(list), f)) {
		tl_fail("cannot read %s", path);
		if (f)
			fclose(f);
		return -1;
	}
	fclose(f);
	CPU_ZERO(&set);
	for (tok = strtok_r(list, ",\n", &s); tok; tok = strtok_r(NULL, ",\n", &s)) {
		unsigned int lo, hi;
		int k = sscanf(tok, "%u-%u", &lo, &hi);

		if (k < 1)
			continue;
		if (k == 1)
			hi = lo;
		for (unsigned int c = lo; c <= hi && c < CPU_SETSIZE; c++, n++)
			CPU_SET(c, &set);
	}
	if (!n) {
		tl_fail("node %ld has no CPUs to run on", node);
		return -1;
	}
	if (sched_setaffinity(0, sizeof(set), &set)) {
		tl_fail("sched_setaffinity to node %ld: %s", node, strerror(errno));
		return -1;
	}
	return 0;
}

/* Pages of the region on each node (by a query-only move_pages(2)). */
static int count_nodes(struct page_vec *v, size_t *per_node)
{
	memset(per_node, 0, MAX_NODES * sizeof(*per_node));
	if (sys_move_pages(v->count, v->pages, NULL, v->status, 0) < 0) {
		tl_fail("move_pages query: %s", strerror(errno));
		return -1;
	}
	for (size_t i = 0; i < v->count; i++)
		if (v->status[i] >= 0 && v->status[i] < MAX_NODES)
			per_node[v->status[i]]++;
	return 0;
}

static void print_nodes(const char *what, const size_t *per_node, size_t count)
{
	printf("# %s:", what);
	for (int n = 0; n < MAX_NODES; n++)
		if (per_node[n])
			printf(" node %d: %zu", n, per_node[n]);
	printf(" (of %zu pages)\n", count);
	fflush(stdout);
}

/* Read every word of the region; the sum keeps the reads. */
static uint64_t touch(const struct region *r)
{
	const volatile uint64_t *w = (const volatile uint64_t *)r->addr;
	uint64_t sum = 0;

	for (size_t i = 0; i < r->len / 8; i += PAGE_SZ / 8)
		sum += w[i];
	return sum;
}

/* Map and write a region of LEN bytes bound to NODE, then unbind it. */
static int place(struct region *r, const struct opts *o, size_t len, uint64_t seed)
{
	if (region_map(r, o->kind, len) || region_bind(r, (int)o->place, 0))
		return -1;
	region_fill(r, seed);
	return region_bind(r, -1, 0);
}

static int parse(int argc, char **argv, struct opts *o)
{
	static const struct option lopts[] = {
		{ "size", required_argument, NULL, 's' },
		{ "kind", required_argument, NULL, 'k' },
		{ "place", required_argument, NULL, 'p' },
		{ "cpu-node", required_argument, NULL, 'c' },
		{ "expect", required_argument, NULL, 'e' },
		{ "percent", required_argument, NULL, 'P' },
		{ "timeout", required_argument, NULL, 't' },
		{ "hot", no_argument, NULL, 'H' },
		{ "pressure", required_argument, NULL, 'r' },
		{ "exec", required_argument, NULL, 'x' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	long size = 64, pressure = 0;
	int c;

	*o = (struct opts){ .kind = MEM_ANON, .expect = -1, .percent = 90, .timeout = 60 };
	while ((c = getopt_long(argc, argv, "", lopts, NULL)) != -1) {
		switch (c) {
		case 's':
			if (tl_parse_num("--size", optarg, 1, 65536, &size))
				return -1;
			break;
		case 'k':
			if (parse_kind(optarg, &o->kind) || o->kind == MEM_SHARED) {
				fprintf(stderr, "tier_verify: --kind: '%s' is not anon, thp or shmem\n",
					optarg);
				return -1;
			}
			break;
		case 'p':
			if (tl_parse_num("--place", optarg, 0, MAX_NODES - 1, &o->place))
				return -1;
			break;
		case 'c':
			if (tl_parse_num("--cpu-node", optarg, 0, MAX_NODES - 1, &o->cpu_node))
				return -1;
			break;
		case 'e':
			if (tl_parse_num("--expect", optarg, 0, MAX_NODES - 1, &o->expect))
				return -1;
			break;
		case 'P':
			if (tl_parse_num("--percent", optarg, 1, 100, &o->percent))
				return -1;
			break;
		case 't':
			if (tl_parse_num("--timeout", optarg, 1, 3600, &o->timeout))
				return -1;
			break;
		case 'H':
			o->hot = true;
			break;
		case 'r':
			if (tl_parse_num("--pressure", optarg, 1, 65536, &pressure))
				return -1;
			break;
		case 'x':
			o->exec = optarg;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "tier_verify: unexpected argument '%s'\n", argv[optind]);
		return -1;
	}
	if (o->expect < 0) {
		fprintf(stderr, "tier_verify: --expect NODE is required\n");
		return -1;
	}
	if (o->expect == o->place) {
		fprintf(stderr, "tier_verify: --expect and --place must differ\n");
		return -1;
	}
	if (o->kind == MEM_THP && (size % 2 || pressure % 2)) {
		fprintf(stderr, "tier_verify: thp: --size and --pressure must be multiples of 2 MiB\n");
		return -1;
	}
	o->len = (size_t)size << 20;
	o->pressure = (size_t)pressure << 20;
	return 0;
}

static bool node_exists(long node)
{
	char path[64];

	snprintf(path, sizeof(path), "/sys/devices/system/node/node%ld", node);
	return access(path, F_OK) == 0;
}

/* Wait for the pages to reach o->expect; the pages there, or -1. */
static long wait_for_node(const struct opts *o, const struct region *r, struct page_vec *v,
			  size_t *per_node, double start)
{
	for (;;) {
		size_t on_expect;

		if (count_nodes(v, per_node))
			return -1;
		on_expect = per_node[o->expect];
		if (on_expect * 100 >= v->count * (size_t)o->percent ||
		    tl_now() - start >= (double)o->timeout)
			return (long)on_expect;
		if (o->hot) {
			double until = tl_now() + 0.2;

			while (tl_now() < until)
				touch(r);
		} else {
			usleep(200000);
		}
	}
}

static double tv_s(const struct timeval *tv)
{
	return tv->tv_sec + tv->tv_usec / 1e6;
}

/* The CPU time, user and system, of the children waited for so far. */
static double children_cpu_s(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_CHILDREN, &ru))
		return 0;
	return tv_s(&ru.ru_utime) + tv_s(&ru.ru_stime);
}

/* Run CMD with sh -c, TIER_VERIFY_PID set; 0 if it exited 0. */
static int run_cmd(const char *cmd)
{
	char pid[32];
	int st;

	snprintf(pid, sizeof(pid), "%d", getpid());
	setenv("TIER_VERIFY_PID", pid, 1);
	fflush(stdout);
	st = system(cmd);
	if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st)) {
		tl_fail("'%s' failed (status %d)", cmd, st);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct region r = { .fd = -1 }, pr = { .fd = -1 };
	const uint64_t seed = 0x7133, pseed = 0x9e11;
	struct page_vec v = { 0 };
	size_t per_node[MAX_NODES], bad;
	long on_expect;
	double start, exec_s = 0, exec_cpu_s = 0;
	struct opts o;
	int ret = 1;

	if (parse(argc, argv, &o))
		return 2;
	const long nodes[] = { o.place, o.cpu_node, o.expect };

	for (size_t i = 0; i < sizeof(nodes) / sizeof(nodes[0]); i++) {
		if (!node_exists(nodes[i])) {
			printf("SKIP: no NUMA node %ld\n", nodes[i]);
			return KSFT_SKIP;
		}
	}
	if (run_on_node(o.cpu_node) || place(&r, &o, o.len, seed) || page_vec_init(&v, &r) ||
	    count_nodes(&v, per_node))
		goto out;
	print_nodes("placed", per_node, v.count);
	if (per_node[o.place] != v.count) {
		tl_fail("%zu of %zu pages were written on node %ld", per_node[o.place], v.count,
			o.place);
		goto out;
	}

	start = tl_now();
	if (o.pressure && place(&pr, &o, o.pressure, pseed))
		goto out;
	if (o.exec) {
		double t0 = tl_now(), c0 = children_cpu_s();

		if (run_cmd(o.exec))
			goto out;
		exec_s = tl_now() - t0;
		exec_cpu_s = children_cpu_s() - c0;
	}
	on_expect = wait_for_node(&o, &r, &v, per_node, start);
	if (on_expect < 0)
		goto out;
	print_nodes("after", per_node, v.count);

	bad = region_verify(&r, seed);
	if (o.pressure)
		bad += region_verify(&pr, pseed);
	printf("tier_verify: pages=%zu expect_node=%ld on_expect=%ld seconds=%.1f exec_ns=%.0f exec_cpu_ns=%.0f bad_bytes=%zu\n",
	       v.count, o.expect, on_expect, tl_now() - start, exec_s * 1e9, exec_cpu_s * 1e9,
	       bad);
	if (bad)
		ret = 1;
	else if ((size_t)on_expect * 100 < v.count * (size_t)o.percent)
		ret = 3;
	else
		ret = 0;
	if (ret == 3)
		printf("NOT REACHED: %ld of %zu pages on node %ld; %ld%% wanted\n", on_expect,
		       v.count, o.expect, o.percent);
	if (!ret)
		printf("# ok: %ld of %zu pages on node %ld, every byte of %zu MiB right\n",
		       on_expect, v.count, o.expect, (o.len + o.pressure) >> 20);
out:
	page_vec_free(&v);
	region_unmap(&pr);
	region_unmap(&r);
	return ret;
}
