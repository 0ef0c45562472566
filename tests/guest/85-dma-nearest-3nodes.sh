# Channels nearest to the folios. In a guest of three NUMA nodes (QEMU's
# distances: 10 local, 20 remote), one engine on node 0 and one on node 1
# (sw_dma nodes=0,1): a copy between node 0 and node 2 goes to node 0's
# engine (10 + 20 against 20 + 20), one between node 1 and node 2 to node
# 1's, and the other engine copies nothing. Every byte checked. Runs in a
# guest of its own (make test boots one of three nodes).
. "$TOP/tests/lib.sh"
need_dma_backend
nodes=$(ls -d /sys/devices/system/node/node[0-9]* | wc -l)
[ "$nodes" -ge 3 ] || skip "$nodes NUMA nodes; three needed (make test boots a guest of three for this test)"
quiet_mm
load_dma "nodes=0,1 nr_chans=2" "desc_bytes=2097152"
expect_eq "channels" "$(cat $DM/channels)" "dma0chan0 dma0chan1 dma1chan0 dma1chan1"

done_on() {	# done_on ENGINE: descriptors engine sw_dma.ENGINE completed
	local k v
	while read -r k v; do
		[ "$k" = completed ] && echo "$v"
	done < /sys/kernel/debug/sw_dma.$1/stats
}

for near in 0 1; do
	far=$((1 - near))
	n0=$(done_on $near) f0=$(done_on $far) dm0=$(dmstat folios) d0=$(dmstat descriptors)
	migrate --from $near --to 2 --size 8 --rounds 2 anon thp
	expect_eq "node $near <-> 2: dma_migrator folios" $(( $(dmstat folios) - dm0 )) "$folios"
	expect_eq "node $near <-> 2: descriptors on node $near's engine" \
		$(( $(done_on $near) - n0 )) $(( $(dmstat descriptors) - d0 ))
	expect_eq "node $near <-> 2: descriptors on node $far's engine" $(( $(done_on $far) - f0 )) 0
done
unload_dma
