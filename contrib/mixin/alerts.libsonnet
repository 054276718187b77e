// alerts.libsonnet - the sockmem alerts.  Each has a severity, a summary, a
// description and a runbook_url pointing at its section of runbook.md.
{
  local c = self._config,
  local s(extra) = '{%s%s}' % [c.sockmemSelector, if extra == '' then '' else ',' + extra],
  local by = std.join(', ', c.instanceLabels),
  local alert(name, severity, forTime, expr, summary, description) = {
    alert: name,
    expr: expr,
    [if forTime != '' then 'for']: forTime,
    labels: { severity: severity },
    annotations: {
      summary: summary,
      description: description,
      runbook_url: '%s#%s' % [c.runbookURLBase, std.asciiLower(name)],
    },
  },

  prometheusAlerts+:: {
    groups+: [{
      name: 'sockmem',
      rules: [
        alert('SockmemTCPMemoryPressure', 'warning', c.forPressure,
              'sockmem_kernel_pressure%s == 1' % s('protocol="tcp"'),
              'TCP is in memory pressure on {{ $labels.instance }}.',
              "The kernel's TCP memory pressure flag is set: TCP usage went above tcp_mem[1] " +
              'and stays in pressure until it falls below tcp_mem[0]. Send buffers stop growing ' +
              'and are moderated, receive windows shrink: throughput drops on every TCP connection ' +
              'of the host.'),
        alert('SockmemTCPMemoryOverLimit', 'critical', c.forOverLimit,
              'sockmem_usage_bytes%s > ignoring(threshold) sockmem_limit_bytes%s' %
              [s('protocol="tcp"'), s('protocol="tcp",threshold="max"')],
              'TCP memory is over tcp_mem[2] on {{ $labels.instance }}.',
              'TCP usage ({{ $value | humanize1024 }}B) is above its hard limit tcp_mem[2]: every ' +
              'charge that is not forced fails, receive queues drop packets, senders block and ' +
              'closing connections with unsent data are reset (TCPAbortOnMemory, "TCP: out of ' +
              'memory -- consider tuning tcp_mem").'),
        alert('SockmemTCPMemoryPressurePredicted', 'warning', c.forPredict,
              |||
                (
                  predict_linear(sockmem_usage_bytes%(tcp)s[%(window)s], %(hours)d * 3600)
                    > ignoring(threshold) sockmem_limit_bytes%(pressure)s
                )
                and
                (
                  sockmem_usage_bytes%(tcp)s
                    > ignoring(threshold) %(ratio)g * sockmem_limit_bytes%(pressure)s
                )
                unless
                  sockmem_kernel_pressure%(tcp)s == 1
              ||| % {
                tcp: s('protocol="tcp"'),
                pressure: s('protocol="tcp",threshold="pressure"'),
                window: c.tcpPredictWindow,
                hours: c.tcpPredictHours,
                ratio: c.tcpPredictMinRatio,
              },
              'TCP memory is predicted to reach pressure within %d hours on {{ $labels.instance }}.' %
              c.tcpPredictHours,
              'At the rate of the last %s, TCP usage reaches tcp_mem[1] (pressure) within %d hours ' %
              [c.tcpPredictWindow, c.tcpPredictHours] +
              '(predicted {{ $value | humanize1024 }}B); it is above %g%% of it now.' %
              (100 * c.tcpPredictMinRatio)),
        alert('SockmemUDPMemoryLimited', 'warning', c.forUDP,
              |||
                (
                  sockmem_usage_bytes%(udp)s
                    > ignoring(threshold) sockmem_limit_bytes%(min)s
                )
                and
                (
                  sum without(name) (rate(sockmem_kernel_events_total%(drops)s[%(rate)s])) > 0
                )
              ||| % {
                udp: s('protocol="udp"'),
                min: s('protocol="udp",threshold="min"'),
                drops: s('protocol="udp",name=~"UdpRcvbufErrors|UdpMemErrors"'),
                rate: c.rateWindow,
              },
              'UDP is above udp_mem[0] and dropping on {{ $labels.instance }}.',
              'UDP usage ({{ $value | humanize1024 }}B) is above udp_mem[0], its effective limit ' +
              '(UDP has no pressure state: above it a socket can only charge up to its minimum), ' +
              'and UdpRcvbufErrors or UdpMemErrors are rising: datagrams are being dropped.'),
        alert('SockmemTCPMemoryPressureEpisodes', 'warning', '',
              'increase(sockmem_kernel_events_total%s[%s]) >= %d' %
              [s('protocol="tcp",name="TCPMemoryPressures"'), c.tcpPressureEpisodesWindow,
               c.tcpPressureEpisodesPerHour],
              'TCP entered memory pressure repeatedly on {{ $labels.instance }}.',
              'TCP entered memory pressure {{ $value | humanize }} times in the last %s ' %
              c.tcpPressureEpisodesWindow +
              '(TCPMemoryPressures): usage keeps crossing tcp_mem[1], even if no scrape saw the ' +
              'flag set.'),
        alert('SockmemTCPAbortOnMemory', 'critical', '',
              'rate(sockmem_kernel_events_total%s[%s]) > 0' %
              [s('protocol="tcp",name="TCPAbortOnMemory"'), c.rateWindow],
              'TCP connections are reset for lack of memory on {{ $labels.instance }}.',
              'TCPAbortOnMemory is rising ({{ $value | printf "%.2f" }} a second): connections are reset ' +
              'because TCP usage is above tcp_mem[2] or there are too many orphans ' +
              '(net.ipv4.tcp_max_orphans).'),
        alert('SockmemTCPOrphansNearLimit', 'warning', c.forOrphans,
              'sockmem_sockets%s / sockmem_sockets_limit%s > %g' %
              [s('protocol="tcp",kind="orphan"'), s('protocol="tcp",kind="orphan"'),
               c.orphansWarningRatio],
              'TCP orphans are near net.ipv4.tcp_max_orphans on {{ $labels.instance }}.',
              'Orphaned TCP sockets are at {{ $value | humanizePercentage }} of ' +
              'net.ipv4.tcp_max_orphans; the kernel resets penalised orphans from a quarter of ' +
              'it ("too many orphaned sockets").'),
        alert('SockmemTextfileStale', 'warning', c.forStale,
              'time() - node_textfile_mtime_seconds{%s,file=~"%s"} > %d' %
              [c.sockmemSelector, c.textfileRegex, c.textfileStaleSeconds],
              "sockmem's textfile is stale on {{ $labels.instance }}.",
              "node_exporter's copy of sockmem's metrics was last written {{ $value | " +
              'humanizeDuration }} ago: sockmem watch (or its timer) is not running.'),
        alert('SockmemMetricsMissing', 'warning', c.forStale,
              'up{%s} == 1 unless on(%s) sockmem_info{%s}' % [c.sockmemSelector, by, c.sockmemSelector],
              'No sockmem metrics from {{ $labels.instance }}.',
              "node_exporter is up but has no sockmem metrics: the textfile is missing, or " +
              'node_exporter could not parse it (node_textfile_scrape_error).'),
        alert('SockmemCriticalFinding', 'warning', c.forFinding,
              'sockmem_finding%s == 1' % s('severity="crit"'),
              'sockmem advise has a critical finding on {{ $labels.instance }}: {{ $labels.id }}.',
              'sockmem advise reports {{ $labels.id }} ({{ $labels.scope }}{{ with $labels.subject }}, ' +
              '{{ . }}{{ end }}) as critical: run sockmem advise on the node for the evidence, ' +
              'the kernel mechanism and the sysctl values computed for it.'),
        alert('SockmemCollectionFailing', 'warning', c.forFailing,
              |||
                sockmem_partial%(s)s == 1
                or
                sockmem_dump_complete%(s)s == 0
                or
                increase(sockmem_output_write_errors_total%(s)s[%(f)s]) > 0
              ||| % { s: s(''), f: c.forFailing },
              'sockmem cannot read everything on {{ $labels.instance }}.',
              'sockmem reports a partial collection (an input it could not read, an incomplete ' +
              'sock_diag dump) or could not write its textfile: some figures are missing.'),
      ],
    }],
  },
}
