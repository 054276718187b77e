# fish completion for sockmem(8)
# SPDX-License-Identifier: GPL-2.0-or-later
set -l cmds show top advise simulate watch snapshot check trace
complete -c sockmem -f
complete -c sockmem -n "not __fish_seen_subcommand_from $cmds" -a show -d "memory sockets hold against the kernel's limits"
complete -c sockmem -n "not __fish_seen_subcommand_from $cmds" -a top -d "largest holders of socket memory"
complete -c sockmem -n "not __fish_seen_subcommand_from $cmds" -a advise -d "ranked findings and sysctl fixes"
complete -c sockmem -n "not __fish_seen_subcommand_from $cmds" -a simulate -d "what if: sysctls and more sockets"
complete -c sockmem -n "not __fish_seen_subcommand_from $cmds" -a watch -d "live view, NDJSON or Prometheus"
complete -c sockmem -n "not __fish_seen_subcommand_from $cmds" -a snapshot -d "capture inputs for offline analysis"
complete -c sockmem -n "not __fish_seen_subcommand_from $cmds" -a check -d "one condition for node-problem-detector"
complete -c sockmem -n "not __fish_seen_subcommand_from $cmds" -a trace -d "memory refusals and drops as they happen"
# common options, before or after the command word
complete -c sockmem -s r -l root -r -F -d "read /proc and /sys under DIR"
complete -c sockmem -s j -l json -d "JSON output"
complete -c sockmem -s b -l bytes -d "exact bytes in text"
complete -c sockmem -l page-size -x -a "4096 16384 65536" -d "page size of the input"
complete -c sockmem -l color -x -a "auto always never" -d "colour text output"
complete -c sockmem -l no-color -d "no colour"
complete -c sockmem -s V -l version -d "version"
complete -c sockmem -l help -d "give the help list"
complete -c sockmem -l usage -d "give a short usage message"
# per-socket view
complete -c sockmem -n "__fish_seen_subcommand_from show top advise watch check" -l diag-file -r -F -d "replay an ss -D dump"
complete -c sockmem -n "__fish_seen_subcommand_from show advise watch snapshot check" -l no-sockets -d "skip the per-socket pass"
complete -c sockmem -n "__fish_seen_subcommand_from show top advise watch check" -s A -l all-netns -d "every network namespace"
complete -c sockmem -n "__fish_seen_subcommand_from show top advise watch check" -l backend -x -a "auto netlink bpf" -d "per-socket source"
# show
complete -c sockmem -n "__fish_seen_subcommand_from show watch" -s i -l interval -x -d "seconds between samples"
complete -c sockmem -n "__fish_seen_subcommand_from show watch" -s c -l count -x -d "samples"
complete -c sockmem -n "__fish_seen_subcommand_from show watch top" -s F -l format -x -a "text json prometheus" -d "output format"
complete -c sockmem -n "__fish_seen_subcommand_from show watch top" -s o -l output -r -F -d "write FILE atomically"
complete -c sockmem -n "__fish_seen_subcommand_from watch" -l sockets-every -x -d "per-socket pass every N samples"
complete -c sockmem -n "__fish_seen_subcommand_from watch" -l sockets-delta -x -d "per-socket pass when usage moves by SIZE"
# top
complete -c sockmem -n "__fish_seen_subcommand_from top" -s n -l number -x -d "entries"
complete -c sockmem -n "__fish_seen_subcommand_from simulate" -s F -l format -x -a "text json" -d "output format"
complete -c sockmem -n "__fish_seen_subcommand_from top" -l by -x -a "socket process cgroup port state" -d "group by"
# advise
complete -c sockmem -n "__fish_seen_subcommand_from advise" -s F -l format -x -a "text json sysctl" -d "output format"
complete -c sockmem -n "__fish_seen_subcommand_from advise" -l check -d "exit 1 on findings"
complete -c sockmem -n "__fish_seen_subcommand_from advise" -l fail-on -x -a "warn crit" -d "level for --check"
complete -c sockmem -n "__fish_seen_subcommand_from advise" -l bandwidth -x -d "link rate, e.g. 10Gbit"
complete -c sockmem -n "__fish_seen_subcommand_from advise" -l rtt -x -d "round-trip time, e.g. 80ms"
complete -c sockmem -n "__fish_seen_subcommand_from advise" -l connections -x -d "connections at that size"
complete -c sockmem -n "__fish_seen_subcommand_from advise" -s i -l interval -x -d "sample counters over SECONDS"
# simulate
complete -c sockmem -n "__fish_seen_subcommand_from simulate" -l set -x -a "net.ipv4.tcp_mem= net.ipv4.udp_mem= net.ipv4.tcp_rmem= net.ipv4.tcp_wmem= net.core.mem_pcpu_rsv=" -d "proposed sysctl"
complete -c sockmem -n "__fish_seen_subcommand_from simulate" -l add-sockets -x -d "more sockets"
complete -c sockmem -n "__fish_seen_subcommand_from simulate" -l bytes-per-socket -x -d "bytes each"
complete -c sockmem -n "__fish_seen_subcommand_from simulate" -l protocol -x -a "tcp udp"
complete -c sockmem -n "__fish_seen_subcommand_from simulate" -l direction -x -a "recv send"
# check
complete -c sockmem -n "__fish_seen_subcommand_from check" -l condition -x -a "findings tcp-pressure tcp-over-limit tcp-abort-on-memory" -d "the condition"
complete -c sockmem -n "__fish_seen_subcommand_from check" -l fail-on -x -a "warn crit" -d "level for findings"
complete -c sockmem -n "__fish_seen_subcommand_from check" -l state-file -r -F -d "counter of the last check"
complete -c sockmem -n "__fish_seen_subcommand_from check" -l format -x -a "text prometheus" -d "output format"
complete -c sockmem -n "__fish_seen_subcommand_from check" -l output -r -F -d "write FILE atomically"
# trace
complete -c sockmem -n "__fish_seen_subcommand_from trace" -l duration -x -d "stop after D (30s, 5m)"
complete -c sockmem -n "__fish_seen_subcommand_from trace" -s c -l count -x -d "stop after N events"
complete -c sockmem -n "__fish_seen_subcommand_from trace" -l protocol -x -a "tcp udp udplite sctp mptcp" -d "only this protocol"
complete -c sockmem -n "__fish_seen_subcommand_from trace" -l summary -d "count in the kernel, the summary only"
complete -c sockmem -n "__fish_seen_subcommand_from trace" -s n -l number -x -d "rows per group in the summary"
complete -c sockmem -n "__fish_seen_subcommand_from trace" -s A -l all-netns -d "every network namespace"
# snapshot
complete -c sockmem -n "__fish_seen_subcommand_from snapshot" -s f -l force -d "replace the earlier snapshot in the directory"
complete -c sockmem -n "__fish_seen_subcommand_from snapshot" -a "(__fish_complete_directories)"
