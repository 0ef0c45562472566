// SPDX-License-Identifier: GPL-2.0
/*
 * policy_ctl: attach, replace and detach the test migration policies
 * through libbpf, for the guest tests of the BPF struct_ops policy.
 *
 *   policy_ctl attach thp|reason|cgroup [CGROUP_DIR]
 *       load the policy, attach it as a struct_ops link and pin the link
 *       at /sys/fs/bpf/test_policy (rm it to detach); for "cgroup", the
 *       policy offloads the folios of CGROUP_DIR only
 *   policy_ctl swap SECONDS
 *       attach thp, then replace it with reason and back with
 *       bpf_link__update_map() for SECONDS, checking after every swap that
 *       /sys/kernel/mm/migrate_dma/policy names the new policy; detach
 *   policy_ctl cycle SECONDS
 *       attach and detach thp over and over for SECONDS
 *
 * Exit 0 on success; 1 with one line on stderr on failure.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "example_thp.skel.h"
#include "policy_reason.skel.h"
#include "policy_cgroup.skel.h"

#define PIN "/sys/fs/bpf/test_policy"
#define POLICY "/sys/kernel/mm/migrate_dma/policy"

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list args)
{
	return level == LIBBPF_DEBUG ? 0 : vfprintf(stderr, fmt, args);
}

static int fail(const char *what, int err)
{
	fprintf(stderr, "policy_ctl: %s: %s\n", what, strerror(err < 0 ? -err : err));
	return 1;
}

static int policy_is(const char *want)
{
	char buf[64] = "";
	FILE *f = fopen(POLICY, "r");

	if (!f)
		return 0;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = 0;
	fclose(f);
	buf[strcspn(buf, "\n")] = 0;
	return !strcmp(buf, want);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int attach(int argc, char **argv)
{
	struct bpf_link *link = NULL;
	int err;

	if (argc < 1)
		return fail("attach: which policy?", EINVAL);
	if (!strcmp(argv[0], "thp")) {
		struct example_thp *s = example_thp__open_and_load();

		if (!s)
			return fail("load thp", errno);
		link = bpf_map__attach_struct_ops(s->maps.example_thp);
	} else if (!strcmp(argv[0], "reason")) {
		struct policy_reason *s = policy_reason__open_and_load();

		if (!s)
			return fail("load reason", errno);
		link = bpf_map__attach_struct_ops(s->maps.test_reason);
	} else if (!strcmp(argv[0], "cgroup")) {
		struct policy_cgroup *s;
		struct stat st;

		if (argc < 2 || stat(argv[1], &st))
			return fail("attach cgroup: no such cgroup directory", ENOENT);
		s = policy_cgroup__open();
		if (!s)
			return fail("open cgroup", errno);
		s->rodata->offload_cgroup_id = st.st_ino;
		err = policy_cgroup__load(s);
		if (err)
			return fail("load cgroup", err);
		link = bpf_map__attach_struct_ops(s->maps.test_cgroup);
	} else {
		return fail(argv[0], EINVAL);
	}
	if (!link)
		return fail("attach", errno);
	err = bpf_link__pin(link, PIN);
	if (err)
		return fail("pin " PIN, err);
	return 0;
}

static int swap(double seconds)
{
	struct example_thp *a = example_thp__open_and_load();
	struct policy_reason *b = policy_reason__open_and_load();
	struct bpf_link *link;
	long swaps = 0;
	double end = now() + seconds;
	int err;

	if (!a || !b)
		return fail("load", errno);
	link = bpf_map__attach_struct_ops(a->maps.example_thp);
	if (!link)
		return fail("attach", errno);
	while (now() < end) {
		int to_b = !(swaps % 2);

		err = bpf_link__update_map(link, to_b ? b->maps.test_reason : a->maps.example_thp);
		if (err)
			return fail("bpf_link__update_map", err);
		swaps++;
		if (!policy_is(to_b ? "test_reason" : "example_thp"))
			return fail("policy after update", EPROTO);
		usleep(20000);
	}
	bpf_link__destroy(link);
	if (!policy_is("none"))
		return fail("policy after detach", EPROTO);
	printf("%ld policy replacements\n", swaps);
	example_thp__destroy(a);
	policy_reason__destroy(b);
	return 0;
}

static int cycle(double seconds)
{
	struct example_thp *a = example_thp__open_and_load();
	double end = now() + seconds;
	long n = 0;

	if (!a)
		return fail("load", errno);
	while (now() < end) {
		struct bpf_link *link = bpf_map__attach_struct_ops(a->maps.example_thp);

		if (!link)
			return fail("attach", errno);
		if (!policy_is("example_thp"))
			return fail("policy after attach", EPROTO);
		usleep(20000);
		bpf_link__destroy(link);
		if (!policy_is("none"))
			return fail("policy after detach", EPROTO);
		n++;
	}
	printf("%ld attach/detach cycles\n", n);
	example_thp__destroy(a);
	return 0;
}

int main(int argc, char **argv)
{
	libbpf_set_print(libbpf_print);
	if (argc >= 2 && !strcmp(argv[1], "attach"))
		return attach(argc - 2, argv + 2);
	if (argc == 3 && !strcmp(argv[1], "swap"))
		return swap(atof(argv[2]));
	if (argc == 3 && !strcmp(argv[1], "cycle"))
		return cycle(atof(argv[2]));
	fprintf(stderr, "usage: policy_ctl attach thp|reason|cgroup [DIR] | swap SECONDS | cycle SECONDS\n");
	return 2;
}
