# The plot of `make bench`: move_pages(2) throughput per mode and folio
# size, with the guest's memcpy() of the same working set as a line.
# Usage: gnuplot -e "dat='FILE'; png='FILE'; ceil=GBPS; sub='TEXT'" bench-plot.gp
set terminal pngcairo size 1100,560 font "sans,10" noenhanced
set output png
set title "move_pages(2) between 2 NUMA nodes, median GB/s\n".sub
set style data histogram
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set ylabel "GB/s"
set yrange [0:*]
set grid ytics
set key outside right top
set bmargin 5
set xtics nomirror
plot for [c=2:*] dat using c:xtic(1) title columnhead(c), \
	ceil with lines lw 2 dt 2 lc rgb "black" title sprintf("memcpy ceiling %.2f GB/s", ceil)
