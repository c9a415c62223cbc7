# The chat fan-out, our server against the peer: deliveries per second against N subscribers,
# the medians bench/run measured. bench/run calls it as
#   gnuplot -e "datafile='build-bench/results/fanout.dat'; outfile='docs/benchmarks-fanout.svg'" bench/plot.gp
# datafile's columns: N, ours (deliveries/s), peer (deliveries/s); messages is M, for the title.
if (!exists("datafile")) datafile = 'build-bench/results/fanout.dat'
if (!exists("outfile")) outfile = 'docs/benchmarks-fanout.svg'
if (!exists("messages")) messages = '200'

set terminal svg size 640,400 dynamic enhanced font 'sans,12' background rgb 'white'
set output outfile
set title sprintf('Chat fan-out: one sender, N subscribers, %s messages of 64 bytes', messages)
set xlabel 'N subscribers'
set ylabel 'deliveries per second (median)'
set logscale x 10
set format y '%.1s%c'
set yrange [0:*]
set key top right
set grid ytics xtics
set offsets graph 0.05, graph 0.05, graph 0.05, 0
plot datafile using 1:2 with linespoints lw 2 pt 7 title 'ours (websocket\_chat)', \
     datafile using 1:3 with linespoints lw 2 pt 5 title 'peer (Node ws)'
