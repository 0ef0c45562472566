// SPDX-License-Identifier: GPL-2.0
/*
 * Sums what the kernel's mm_migrate_pages tracepoint reports for
 * migrate_pages() calls made by one process for one migration reason, so a
 * test can compare the kernel's own account of a migration with what it
 * asked for.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

const volatile __u32 target_tgid;
const volatile int target_reason = MR_SYSCALL;

__u64 calls;
__u64 nr_succeeded;
__u64 nr_failed;
__u64 nr_thp_succeeded;
__u64 nr_thp_failed;
__u64 nr_thp_split;

SEC("tp_btf/mm_migrate_pages")
int BPF_PROG(on_migrate_pages, unsigned long succeeded, unsigned long failed,
	     unsigned long thp_succeeded, unsigned long thp_failed,
	     unsigned long thp_split, unsigned long large_folio_split,
	     enum migrate_mode mode, int reason)
{
	if ((bpf_get_current_pid_tgid() >> 32) != target_tgid || reason != target_reason)
		return 0;
	__sync_fetch_and_add(&calls, 1);
	__sync_fetch_and_add(&nr_succeeded, succeeded);
	__sync_fetch_and_add(&nr_failed, failed);
	__sync_fetch_and_add(&nr_thp_succeeded, thp_succeeded);
	__sync_fetch_and_add(&nr_thp_failed, thp_failed);
	__sync_fetch_and_add(&nr_thp_split, thp_split);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
