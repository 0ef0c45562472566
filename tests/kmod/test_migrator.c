// SPDX-License-Identifier: GPL-2.0
/*
 * test_migrator: a migrator for tests. It registers with migrator_start_offloading()
 * on load and migrator_stop_offloading() on unload, copies with the CPU, counts what
 * it was given, and fails chosen copies on command so that tests can prove
 * that a failed batch copy falls back to the per-folio path without losing
 * a byte.
 *
 * Parameters (writable at run time in /sys/module/test_migrator/parameters):
 *   fail_every=N  report every Nth folio copy as failed (0: never)
 *   min_order=N   can_migrate_dma() accepts only folios of order >= N
 *   delay_us=N    sleep N microseconds in every migrate_dma() call
 *
 * debugfs, /sys/kernel/debug/test_migrator/:
 *   calls folios bytes failed   what migrate_dma() was given and failed
 *   start_again                 writing tries migrator_start_offloading() with a
 *                               second migrator; the write fails with its
 *                               error (-EBUSY while this one is active)
 *   stop_other                  writing tries migrator_stop_offloading() with a
 *                               migrator that is not active (-EINVAL)
 */
#include <linux/atomic.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/list.h>
#include <linux/migrate_dma.h>
#include <linux/mm.h>
#include <linux/module.h>

static unsigned int fail_every;
module_param(fail_every, uint, 0644);
MODULE_PARM_DESC(fail_every, "Fail every Nth folio copy (0: never)");

static unsigned int min_order;
module_param(min_order, uint, 0644);
MODULE_PARM_DESC(min_order, "Offload only folios of at least this order");

static unsigned int delay_us;
module_param(delay_us, uint, 0644);
MODULE_PARM_DESC(delay_us, "Sleep this long in every migrate_dma() call");

static atomic64_t stat_calls, stat_folios, stat_bytes, stat_failed;
static atomic64_t copy_seq;
static struct dentry *dir;

static void test_migrate_dma(struct list_head *dst_list,
			     struct list_head *src_list)
{
	unsigned int every = READ_ONCE(fail_every);
	unsigned int delay = READ_ONCE(delay_us);
	struct folio *src, *dst;

	atomic64_inc(&stat_calls);
	if (delay)
		usleep_range(delay, delay + delay / 4 + 1);

	dst = list_first_entry(dst_list, struct folio, lru);
	list_for_each_entry(src, src_list, lru) {
		u64 seq = atomic64_inc_return(&copy_seq);

		atomic64_inc(&stat_folios);
		atomic64_add(folio_size(src), &stat_bytes);
		if ((every && !(seq % every)) || folio_mc_copy(dst, src)) {
			atomic64_inc(&stat_failed);
			migrator_copy_failed(dst);
		}
		dst = list_next_entry(dst, lru);
		cond_resched();
	}
}

static bool test_can_migrate_dma(struct folio *dst, struct folio *src,
				 const struct migrate_dma_batch *batch)
{
	return folio_order(src) >= READ_ONCE(min_order);
}

static struct migrator test_migrator = {
	.name = "test_migrator",
	.migrate_dma = test_migrate_dma,
	.can_migrate_dma = test_can_migrate_dma,
	.owner = THIS_MODULE,
};

static struct migrator second_migrator = {
	.name = "test_migrator_second",
	.migrate_dma = test_migrate_dma,
	.owner = THIS_MODULE,
};

static int stat_get(void *data, u64 *val)
{
	*val = atomic64_read(data);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(stat_fops, stat_get, NULL, "%llu\n");

static int start_again_set(void *data, u64 val)
{
	int ret = migrator_start_offloading(&second_migrator);

	if (!ret)
		migrator_stop_offloading(&second_migrator);
	return ret;
}
DEFINE_DEBUGFS_ATTRIBUTE(start_again_fops, NULL, start_again_set, "%llu\n");

static int stop_other_set(void *data, u64 val)
{
	return migrator_stop_offloading(&second_migrator);
}
DEFINE_DEBUGFS_ATTRIBUTE(stop_other_fops, NULL, stop_other_set, "%llu\n");

static int __init test_migrator_init(void)
{
	int ret;

	dir = debugfs_create_dir("test_migrator", NULL);
	debugfs_create_file_unsafe("calls", 0444, dir, &stat_calls, &stat_fops);
	debugfs_create_file_unsafe("folios", 0444, dir, &stat_folios, &stat_fops);
	debugfs_create_file_unsafe("bytes", 0444, dir, &stat_bytes, &stat_fops);
	debugfs_create_file_unsafe("failed", 0444, dir, &stat_failed, &stat_fops);
	debugfs_create_file_unsafe("start_again", 0200, dir, NULL, &start_again_fops);
	debugfs_create_file_unsafe("stop_other", 0200, dir, NULL, &stop_other_fops);

	ret = migrator_start_offloading(&test_migrator);
	if (ret)
		debugfs_remove_recursive(dir);
	return ret;
}

static void __exit test_migrator_exit(void)
{
	migrator_stop_offloading(&test_migrator);
	debugfs_remove_recursive(dir);
}

module_init(test_migrator_init);
module_exit(test_migrator_exit);
MODULE_DESCRIPTION("Test migrator: CPU copy with counters and injected failures");
MODULE_LICENSE("GPL");
