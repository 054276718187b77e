// rules.libsonnet - recording rules: usage against each limit as a ratio,
// time in pressure and the kernel's event rates.
{
  local c = self._config,
  local s = '{%s}' % c.sockmemSelector,

  prometheusRules+:: {
    groups+: [{
      name: 'sockmem.rules',
      rules: [
        {
          // usage / limit for every protocol and threshold (min, pressure, max)
          record: 'instance_protocol_threshold:sockmem_usage_bytes:ratio_limit',
          expr: 'sockmem_usage_bytes%s / ignoring(threshold) group_right sockmem_limit_bytes%s' % [s, s],
        },
        {
          // fraction of the time spent in memory pressure (seconds per second)
          record: 'instance_protocol:sockmem_memory_pressure_seconds:rate%s' % c.rateWindow,
          expr: 'rate(sockmem_memory_pressure_seconds_total%s[%s])' % [s, c.rateWindow],
        },
        {
          record: 'instance_protocol_name:sockmem_kernel_events:rate%s' % c.rateWindow,
          expr: 'rate(sockmem_kernel_events_total%s[%s])' % [s, c.rateWindow],
        },
      ],
    }],
  },
}
