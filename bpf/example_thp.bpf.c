// SPDX-License-Identifier: GPL-2.0
/*
 * example_thp: hand the copy of every THP (order >= 9, 2 MiB on x86-64) to
 * the DMA migrator and copy everything smaller with the CPU.
 *
 * Works well when large folios dominate what migrates (THP-backed heaps,
 * databases with huge pages, tiering of big anonymous regions): a DMA
 * engine moves 2 MiB without spending CPU time and spreads a batch over
 * its channels. Works badly for workloads of small pages, where a DMA
 * setup costs more than the CPU copy it saves: those stay on the CPU here.
 *
 * Attach: bpftool struct_ops register example_thp.bpf.o /sys/fs/bpf
 * Detach: rm /sys/fs/bpf/example_thp
 */
#include "migrator.bpf.h"

SEC("struct_ops/can_migrate_dma")
bool BPF_PROG(example_thp_can_migrate_dma, struct folio *dst, struct folio *src,
	      const struct migrate_dma_batch *batch)
{
	return bpf_migrate_folio_order(src) >= MIGRATOR_PMD_ORDER;
}

MIGRATOR_POLICY(example_thp, example_thp_can_migrate_dma);

char LICENSE[] SEC("license") = "GPL";
