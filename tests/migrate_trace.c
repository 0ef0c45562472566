// SPDX-License-Identifier: GPL-2.0
/*
 * migrate_trace: the kernel's own account of a migration must match what was
 * asked.  Attaches a BPF program (libbpf skeleton) to the mm_migrate_pages
 * tracepoint, moves SIZE MiB of 4 KiB pages and of THPs to the other node
 * with move_pages(2), and checks that the kernel reports exactly that many
 * base pages (and THPs) migrated, none failed, none split, and that every
 * byte is intact.  Also proves the BPF toolchain built from the kernel tree
 * (static libbpf, bpftool skeletons, vmlinux BTF) works in the guest.
 */
#include <bpf/libbpf.h>

#include "testlib.h"
#include "migrate_trace.skel.h"

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list args)
{
	if (level == LIBBPF_DEBUG)
		return 0;
	fputs("# libbpf: ", stdout);
	return vprintf(fmt, args);
}

static int check_kind(struct migrate_trace *skel, enum mem_kind kind, size_t len)
{
	struct migrate_trace__bss *c = skel->bss;
	const char *name = mem_kind_names[kind];
	size_t pages = len / PAGE_SZ;
	size_t thps = kind == MEM_THP ? len / HPAGE_SZ : 0;
	struct page_vec v = { 0 };
	struct region r;
	int ret = 1;

	if (region_map(&r, kind, len))
		goto out;
	region_fill(&r, 42);
	if (page_vec_init(&v, &r) || move_region(&v, 0) != 0)
		goto out;
	if (kind == MEM_THP && region_thp_bytes(&r) != len) {
		tl_fail("%s: the region is not fully THP-backed", name);
		goto out;
	}

	memset(c, 0, sizeof(*c));
	if (move_region(&v, 1) != 0)
		goto out;
	printf("# %s: mm_migrate_pages: %llu calls, succeeded %llu, failed %llu, thp_succeeded %llu, thp_split %llu\n",
	       name, (unsigned long long)c->calls, (unsigned long long)c->nr_succeeded,
	       (unsigned long long)c->nr_failed, (unsigned long long)c->nr_thp_succeeded,
	       (unsigned long long)c->nr_thp_split);
	if (!c->calls)
		tl_fail("%s: the tracepoint never fired", name);
	else if (c->nr_succeeded != pages)
		tl_fail("%s: kernel reports %llu base pages migrated, expected %zu",
			name, (unsigned long long)c->nr_succeeded, pages);
	else if (c->nr_failed || c->nr_thp_failed || c->nr_thp_split)
		tl_fail("%s: failures or splits reported", name);
	else if (c->nr_thp_succeeded != thps)
		tl_fail("%s: kernel reports %llu THPs migrated, expected %zu",
			name, (unsigned long long)c->nr_thp_succeeded, thps);
	else if (region_verify(&r, 42))
		tl_fail("%s: contents differ after migration", name);
	else
		ret = 0;
out:
	page_vec_free(&v);
	region_unmap(&r);
	return ret;
}

int main(void)
{
	struct migrate_trace *skel;
	int err, failed = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (nr_online_nodes() < 2) {
		printf("SKIP: migration needs two NUMA nodes\n");
		return KSFT_SKIP;
	}
	libbpf_set_print(libbpf_print);
	skel = migrate_trace__open();
	if (!skel) {
		tl_fail("cannot open the BPF skeleton: %s", strerror(errno));
		return 1;
	}
	skel->rodata->target_tgid = (__u32)getpid();
	err = migrate_trace__load(skel);
	if (!err)
		err = migrate_trace__attach(skel);
	if (err) {
		tl_fail("cannot load/attach the BPF program: %s", strerror(-err));
		migrate_trace__destroy(skel);
		return 1;
	}
	failed |= check_kind(skel, MEM_ANON, 16UL << 20);
	failed |= check_kind(skel, MEM_THP, 16UL << 20);
	migrate_trace__destroy(skel);
	return failed ? 1 : 0;
}
