// tests.jsonnet - promtool unit tests of every alert (firing on one
// instance, not on the others, and not before its "for") and of the
// recording rules.  Rendered to tests.yaml by render-tests.jsonnet; run with
//   promtool test rules tests.yaml
// The expected annotations are the mixin's templates with the instance and
// the value promtool must compute written in.
local mixin = import 'mixin.libsonnet';
local byName = { [r.alert]: r for g in mixin.prometheusAlerts.groups for r in g.rules };

// the template with {{ $labels.instance }} and the one {{ $value ... }} filled in
local fill(tmpl, instance, value) =
  local t = std.strReplace(tmpl, '{{ $labels.instance }}', instance);
  local at = std.findSubstr('{{ $value', t);
  if std.length(at) == 0 then t
  else
    local rest = std.substr(t, at[0], std.length(t) - at[0]);
    local end = at[0] + std.findSubstr('}}', rest)[0] + 2;
    std.substr(t, 0, at[0]) + value + std.substr(t, end, std.length(t) - end);

local firing(name, labels, value='') = {
  exp_labels: labels + { severity: byName[name].labels.severity },
  exp_annotations: {
    summary: fill(byName[name].annotations.summary, labels.instance, value),
    description: fill(byName[name].annotations.description, labels.instance, value),
    runbook_url: byName[name].annotations.runbook_url,
  },
};
local at(t, name, alerts) = { eval_time: t, alertname: name, exp_alerts: alerts };
local sm(metric, labels) = '%s{job="node",%s}' % [metric, labels];
local series(name, values) = { series: name, values: values };

{
  rule_files: ['prometheus_alerts.yaml', 'prometheus_rules.yaml'],
  evaluation_interval: '1m',
  tests: [
    {
      name: 'TCP in pressure (the kernel flag), for 2m',
      interval: '1m',
      input_series: [
        series(sm('sockmem_kernel_pressure', 'instance="n1",protocol="tcp"'), '0 1x10 0x5'),
        series(sm('sockmem_kernel_pressure', 'instance="n2",protocol="tcp"'), '0x16'),
      ],
      alert_rule_test: [
        at('2m', 'SockmemTCPMemoryPressure', []),  // pending
        at('5m', 'SockmemTCPMemoryPressure', [firing('SockmemTCPMemoryPressure',
                                                     { job: 'node', instance: 'n1', protocol: 'tcp' })]),
        at('14m', 'SockmemTCPMemoryPressure', []),  // resolved
      ],
    },
    {
      name: 'TCP over tcp_mem[2]',
      interval: '1m',
      input_series: [
        series(sm('sockmem_usage_bytes', 'instance="n1",protocol="tcp"'), '20000000x10'),
        series(sm('sockmem_limit_bytes', 'instance="n1",protocol="tcp",threshold="max"'), '16384000x10'),
        series(sm('sockmem_usage_bytes', 'instance="n2",protocol="tcp"'), '16384000x10'),
        series(sm('sockmem_limit_bytes', 'instance="n2",protocol="tcp",threshold="max"'), '16384000x10'),
      ],
      alert_rule_test: [
        at('0m', 'SockmemTCPMemoryOverLimit', []),
        at('3m', 'SockmemTCPMemoryOverLimit', [firing('SockmemTCPMemoryOverLimit',
                                                      { job: 'node', instance: 'n1', protocol: 'tcp' }, '19.07Mi')]),
      ],
    },
    {
      name: 'TCP predicted to reach pressure within 4 hours',
      interval: '1m',
      input_series: [
        // n1: at 60% of pressure, +2 MB a minute: +480 MB in 4 h
        series(sm('sockmem_usage_bytes', 'instance="n1",protocol="tcp"'), '600000000+2000000x60'),
        series(sm('sockmem_limit_bytes', 'instance="n1",protocol="tcp",threshold="pressure"'), '1000000000x60'),
        series(sm('sockmem_kernel_pressure', 'instance="n1",protocol="tcp"'), '0x60'),
        // n2: flat
        series(sm('sockmem_usage_bytes', 'instance="n2",protocol="tcp"'), '600000000x60'),
        series(sm('sockmem_limit_bytes', 'instance="n2",protocol="tcp",threshold="pressure"'), '1000000000x60'),
        series(sm('sockmem_kernel_pressure', 'instance="n2",protocol="tcp"'), '0x60'),
        // n3: growing as fast, but already in pressure
        series(sm('sockmem_usage_bytes', 'instance="n3",protocol="tcp"'), '600000000+2000000x60'),
        series(sm('sockmem_limit_bytes', 'instance="n3",protocol="tcp",threshold="pressure"'), '1000000000x60'),
        series(sm('sockmem_kernel_pressure', 'instance="n3",protocol="tcp"'), '1x60'),
        // n4: growing fast from low: below half of pressure until 40m
        series(sm('sockmem_usage_bytes', 'instance="n4",protocol="tcp"'), '100000000+10000000x60'),
        series(sm('sockmem_limit_bytes', 'instance="n4",protocol="tcp",threshold="pressure"'), '1000000000x60'),
        series(sm('sockmem_kernel_pressure', 'instance="n4",protocol="tcp"'), '0x60'),
      ],
      alert_rule_test: [
        at('20m', 'SockmemTCPMemoryPressurePredicted', []),  // pending
        at('45m', 'SockmemTCPMemoryPressurePredicted', [firing('SockmemTCPMemoryPressurePredicted',
                                                               { job: 'node', instance: 'n1', protocol: 'tcp' }, '1.09Gi')]),
      ],
    },
    {
      name: 'UDP above udp_mem[0] with drops rising',
      interval: '1m',
      input_series: [
        series(sm('sockmem_usage_bytes', 'instance="n1",protocol="udp"'), '5000000x20'),
        series(sm('sockmem_limit_bytes', 'instance="n1",protocol="udp",threshold="min"'), '4096000x20'),
        series(sm('sockmem_kernel_events_total', 'instance="n1",protocol="udp",name="UdpRcvbufErrors"'), '0+60x20'),
        series(sm('sockmem_kernel_events_total', 'instance="n1",protocol="udp",name="UdpMemErrors"'), '0+120x20'),
        series(sm('sockmem_kernel_events_total', 'instance="n1",protocol="udp",name="UdpInErrors"'), '0+600x20'),
        // n2: above min, no drops
        series(sm('sockmem_usage_bytes', 'instance="n2",protocol="udp"'), '5000000x20'),
        series(sm('sockmem_limit_bytes', 'instance="n2",protocol="udp",threshold="min"'), '4096000x20'),
        series(sm('sockmem_kernel_events_total', 'instance="n2",protocol="udp",name="UdpRcvbufErrors"'), '7x20'),
        series(sm('sockmem_kernel_events_total', 'instance="n2",protocol="udp",name="UdpMemErrors"'), '0x20'),
        // n3: drops (a slow reader's rcvbuf) but far below udp_mem[0]
        series(sm('sockmem_usage_bytes', 'instance="n3",protocol="udp"'), '40960x20'),
        series(sm('sockmem_limit_bytes', 'instance="n3",protocol="udp",threshold="min"'), '4096000x20'),
        series(sm('sockmem_kernel_events_total', 'instance="n3",protocol="udp",name="UdpRcvbufErrors"'), '0+60x20'),
        series(sm('sockmem_kernel_events_total', 'instance="n3",protocol="udp",name="UdpMemErrors"'), '0x20'),
      ],
      alert_rule_test: [
        at('4m', 'SockmemUDPMemoryLimited', []),
        at('12m', 'SockmemUDPMemoryLimited', [firing('SockmemUDPMemoryLimited',
                                                     { job: 'node', instance: 'n1', protocol: 'udp' }, '4.768Mi')]),
      ],
    },
    {
      name: 'pressure episodes: 6 an hour against 1 an hour',
      interval: '10m',
      input_series: [
        series(sm('sockmem_kernel_events_total', 'instance="n1",protocol="tcp",name="TCPMemoryPressures"'), '0+1x12'),
        series(sm('sockmem_kernel_events_total', 'instance="n2",protocol="tcp",name="TCPMemoryPressures"'), '0 0 0 0 0 0 1 1 1 1 1 1 2'),
      ],
      alert_rule_test: [
        at('10m', 'SockmemTCPMemoryPressureEpisodes', []),
        at('100m', 'SockmemTCPMemoryPressureEpisodes', [firing('SockmemTCPMemoryPressureEpisodes',
                                                               { job: 'node', instance: 'n1', protocol: 'tcp', name: 'TCPMemoryPressures' }, '6')]),
      ],
    },
    {
      name: 'connections reset for lack of memory, then no more',
      interval: '1m',
      input_series: [
        series(sm('sockmem_kernel_events_total', 'instance="n1",protocol="tcp",name="TCPAbortOnMemory"'), '0 0 30 60 60x20'),
        series(sm('sockmem_kernel_events_total', 'instance="n2",protocol="tcp",name="TCPAbortOnMemory"'), '48x24'),
      ],
      alert_rule_test: [
        at('1m', 'SockmemTCPAbortOnMemory', []),
        at('4m', 'SockmemTCPAbortOnMemory', [firing('SockmemTCPAbortOnMemory',
                                                    { job: 'node', instance: 'n1', protocol: 'tcp', name: 'TCPAbortOnMemory' }, '0.20')]),
        at('15m', 'SockmemTCPAbortOnMemory', []),
      ],
    },
    {
      name: 'orphans at 30% of tcp_max_orphans against 1%',
      interval: '1m',
      input_series: [
        series(sm('sockmem_sockets', 'instance="n1",protocol="tcp",family="all",kind="orphan"'), '40000x20'),
        series(sm('sockmem_sockets_limit', 'instance="n1",protocol="tcp",family="all",kind="orphan"'), '131072x20'),
        series(sm('sockmem_sockets', 'instance="n2",protocol="tcp",family="all",kind="orphan"'), '1000x20'),
        series(sm('sockmem_sockets_limit', 'instance="n2",protocol="tcp",family="all",kind="orphan"'), '131072x20'),
      ],
      alert_rule_test: [
        at('5m', 'SockmemTCPOrphansNearLimit', []),
        at('15m', 'SockmemTCPOrphansNearLimit', [firing('SockmemTCPOrphansNearLimit',
                                                        { job: 'node', instance: 'n1', protocol: 'tcp', family: 'all', kind: 'orphan' }, '30.52%')]),
      ],
    },
    {
      name: 'textfile not rewritten since 0s; another rewritten every minute',
      interval: '1m',
      input_series: [
        series('node_textfile_mtime_seconds{job="node",instance="n1",file="/var/lib/prometheus/node-exporter/sockmem.prom"}', '0x20'),
        series('node_textfile_mtime_seconds{job="node",instance="n2",file="/var/lib/prometheus/node-exporter/sockmem.prom"}', '0+60x20'),
        series('node_textfile_mtime_seconds{job="node",instance="n3",file="/var/lib/prometheus/node-exporter/other.prom"}', '0x20'),
      ],
      alert_rule_test: [
        at('8m', 'SockmemTextfileStale', []),
        at('12m', 'SockmemTextfileStale', [firing('SockmemTextfileStale',
                                                  { job: 'node', instance: 'n1', file: '/var/lib/prometheus/node-exporter/sockmem.prom' }, '12m 0s')]),
      ],
    },
    {
      name: 'node_exporter up without sockmem metrics',
      interval: '1m',
      input_series: [
        series('up{job="node",instance="n1"}', '1x20'),
        series('up{job="node",instance="n2"}', '1x20'),
        series('sockmem_info{job="node",instance="n2",version="0.1.0",kernel_release="6.18"}', '1x20'),
        series('up{job="node",instance="n3"}', '0x20'),
      ],
      alert_rule_test: [
        at('2m', 'SockmemMetricsMissing', []),
        at('10m', 'SockmemMetricsMissing', [firing('SockmemMetricsMissing', { job: 'node', instance: 'n1' })]),
      ],
    },
    {
      name: 'sockmem partial, or its textfile not written',
      interval: '1m',
      input_series: [
        series(sm('sockmem_partial', 'instance="n1"'), '1x30'),
        series(sm('sockmem_dump_complete', 'instance="n1",protocol="tcp"'), '1x30'),
        series(sm('sockmem_partial', 'instance="n2"'), '0x30'),
        series(sm('sockmem_dump_complete', 'instance="n2",protocol="tcp"'), '1x30'),
        series(sm('sockmem_output_write_errors_total', 'instance="n2"'), '0x30'),
        series(sm('sockmem_partial', 'instance="n3"'), '0x30'),
        series(sm('sockmem_output_write_errors_total', 'instance="n3"'), '0+1x30'),
        series(sm('sockmem_partial', 'instance="n4"'), '0x30'),
        series(sm('sockmem_dump_complete', 'instance="n4",protocol="udp"'), '0x30'),
      ],
      alert_rule_test: [
        at('10m', 'SockmemCollectionFailing', []),
        at('20m', 'SockmemCollectionFailing', [
          firing('SockmemCollectionFailing', { job: 'node', instance: 'n1' }),
          firing('SockmemCollectionFailing', { job: 'node', instance: 'n3' }),
          firing('SockmemCollectionFailing', { job: 'node', instance: 'n4', protocol: 'udp' }),
        ]),
      ],
    },
    {
      name: 'a critical finding of sockmem advise, and a warning that is not one',
      interval: '1m',
      input_series: [
        series(sm('sockmem_finding', 'instance="n1",id="tcp-max",severity="crit",scope="host",subject=""'), '1x30'),
        series(sm('sockmem_finding', 'instance="n1",id="mem-vs-default",severity="warn",scope="host",subject="net.ipv4.tcp_mem"'), '1x30'),
        series(sm('sockmem_finding', 'instance="n2",id="udp-mem-limited",severity="crit",scope="host",subject="net.ipv4.udp_mem"'), '1x5'),
      ],
      alert_rule_test: [
        at('10m', 'SockmemCriticalFinding', []),
        at('20m', 'SockmemCriticalFinding', [{
          exp_labels: { job: 'node', instance: 'n1', id: 'tcp-max', severity: 'warning', scope: 'host' },
          exp_annotations: {
            summary: 'sockmem advise has a critical finding on n1: tcp-max.',
            description: 'sockmem advise reports tcp-max (host) as critical: run sockmem advise on the node for the evidence, the kernel mechanism and the sysctl values computed for it.',
            runbook_url: byName.SockmemCriticalFinding.annotations.runbook_url,
          },
        }]),
      ],
    },
    {
      name: 'recording rules: usage / limit per threshold, event rates',
      interval: '1m',
      input_series: [
        series(sm('sockmem_usage_bytes', 'instance="n1",protocol="tcp"'), '1000000x5'),
        series(sm('sockmem_limit_bytes', 'instance="n1",protocol="tcp",threshold="min"'), '2000000x5'),
        series(sm('sockmem_limit_bytes', 'instance="n1",protocol="tcp",threshold="max"'), '4000000x5'),
        series(sm('sockmem_memory_pressure_seconds_total', 'instance="n1",protocol="tcp"'), '0+30x5'),
        series(sm('sockmem_kernel_events_total', 'instance="n1",protocol="tcp",name="TCPRcvQDrop"'), '0+600x5'),
      ],
      promql_expr_test: [
        {
          expr: 'instance_protocol_threshold:sockmem_usage_bytes:ratio_limit',
          eval_time: '2m',
          exp_samples: [
            { labels: 'instance_protocol_threshold:sockmem_usage_bytes:ratio_limit{job="node",instance="n1",protocol="tcp",threshold="min"}', value: 0.5 },
            { labels: 'instance_protocol_threshold:sockmem_usage_bytes:ratio_limit{job="node",instance="n1",protocol="tcp",threshold="max"}', value: 0.25 },
          ],
        },
        {
          expr: 'instance_protocol:sockmem_memory_pressure_seconds:rate5m',
          eval_time: '5m',
          exp_samples: [{ labels: 'instance_protocol:sockmem_memory_pressure_seconds:rate5m{job="node",instance="n1",protocol="tcp"}', value: 0.5 }],
        },
        {
          expr: 'instance_protocol_name:sockmem_kernel_events:rate5m',
          eval_time: '5m',
          exp_samples: [{ labels: 'instance_protocol_name:sockmem_kernel_events:rate5m{job="node",instance="n1",protocol="tcp",name="TCPRcvQDrop"}', value: 10 }],
        },
      ],
    },
  ],
}
