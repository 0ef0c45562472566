// SPDX-License-Identifier: GPL-2.0
/*
 * test_dma_client: a client of dmaengine's public channels, as async_tx
 * is. Loading it copies "pages" pages, one descriptor each, with the
 * DMA_MEMCPY channel dmaengine's table gives the CPU it runs on, and
 * checks every byte. It refuses to load with -ENODEV when no public
 * channel is there (another client took the engine for itself), with -EIO
 * when a copy fails or differs. Tests load it while the DMA backend of
 * migration uses the same engine, to show that the backend leaves public
 * channels to the other clients.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dma-mapping.h>
#include <linux/dmaengine.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/random.h>
#include <linux/string.h>

static unsigned int pages = 64;
module_param(pages, uint, 0444);
MODULE_PARM_DESC(pages, "Pages to copy (1-4096)");

static int tdc_copy(struct dma_chan *chan, struct page *dst, struct page *src)
{
	struct device *dev = dmaengine_get_dma_device(chan);
	struct dma_async_tx_descriptor *tx;
	dma_addr_t d, s;
	dma_cookie_t cookie;
	int ret = -EIO;

	s = dma_map_page(dev, src, 0, PAGE_SIZE, DMA_TO_DEVICE);
	if (dma_mapping_error(dev, s))
		return -ENOMEM;
	d = dma_map_page(dev, dst, 0, PAGE_SIZE, DMA_FROM_DEVICE);
	if (dma_mapping_error(dev, d)) {
		dma_unmap_page(dev, s, PAGE_SIZE, DMA_TO_DEVICE);
		return -ENOMEM;
	}
	tx = dmaengine_prep_dma_memcpy(chan, d, s, PAGE_SIZE, DMA_CTRL_ACK);
	if (tx) {
		cookie = dmaengine_submit(tx);
		/* Issues pending and polls, for up to 5 s. */
		if (!dma_submit_error(cookie) &&
		    dma_sync_wait(chan, cookie) == DMA_COMPLETE)
			ret = 0;
	}
	dma_unmap_page(dev, d, PAGE_SIZE, DMA_FROM_DEVICE);
	dma_unmap_page(dev, s, PAGE_SIZE, DMA_TO_DEVICE);
	return ret;
}

static int __init tdc_init(void)
{
	struct page *src, *dst;
	struct dma_chan *chan;
	unsigned int i;
	int ret = 0;

	if (!pages || pages > 4096)
		return -EINVAL;
	src = alloc_page(GFP_KERNEL);
	dst = alloc_page(GFP_KERNEL);
	if (!src || !dst) {
		ret = -ENOMEM;
		goto out;
	}
	dmaengine_get();
	chan = dma_find_channel(DMA_MEMCPY);
	if (!chan) {
		pr_err("no public DMA_MEMCPY channel\n");
		ret = -ENODEV;
		goto put;
	}
	for (i = 0; i < pages && !ret; i++) {
		get_random_bytes(page_address(src), PAGE_SIZE);
		memset(page_address(dst), 0, PAGE_SIZE);
		ret = tdc_copy(chan, dst, src);
		if (!ret && memcmp(page_address(dst), page_address(src), PAGE_SIZE))
			ret = -EIO;
	}
	if (ret)
		pr_err("copy %u of %u with %s failed: %d\n", i, pages,
		       dma_chan_name(chan), ret);
	else
		pr_info("%u pages copied with %s, every byte intact\n", pages,
			dma_chan_name(chan));
put:
	dmaengine_put();
out:
	if (dst)
		__free_page(dst);
	if (src)
		__free_page(src);
	return ret;
}
module_init(tdc_init);

static void __exit tdc_exit(void)
{
}
module_exit(tdc_exit);

MODULE_DESCRIPTION("Test client of dmaengine's public DMA_MEMCPY channels");
MODULE_LICENSE("GPL");
