// dashboards.libsonnet - one Grafana dashboard: usage against the three
// limits, the state, pressure episodes and drops, orphans, the top holders
// (by port, by cgroup with their pods) and advise's findings.  Plain JSON (no grafonnet), Grafana 9+ panel types.
{
  local c = self._config,
  local sel(extra) = '{%s,instance=~"$instance"%s}' % [c.sockmemSelector, if extra == '' then '' else ',' + extra],
  local ds = { type: 'prometheus', uid: '${datasource}' },
  local target(expr, legend, ref, instant=false) = {
    datasource: ds,
    expr: expr,
    legendFormat: legend,
    refId: ref,
    [if instant then 'instant']: true,
    [if instant then 'format']: 'table',
  },
  local timeseries(id, title, description, unit, targets, x, y, w=12, h=8) = {
    id: id,
    type: 'timeseries',
    title: title,
    description: description,
    datasource: ds,
    gridPos: { x: x, y: y, w: w, h: h },
    fieldConfig: {
      defaults: { unit: unit, custom: { lineWidth: 1, fillOpacity: 0, showPoints: 'never' } },
      overrides: [{
        // the limits drawn as dashed lines
        matcher: { id: 'byRegexp', options: '^(min|pressure|max)$' },
        properties: [{ id: 'custom.lineStyle', value: { fill: 'dash', dash: [10, 10] } }],
      }],
    },
    options: { legend: { displayMode: 'table', placement: 'bottom', calcs: ['lastNotNull', 'max'] },
               tooltip: { mode: 'multi', sort: 'desc' } },
    targets: targets,
  },
  local row(id, title, y) = {
    id: id, type: 'row', title: title, collapsed: false, panels: [],
    gridPos: { x: 0, y: y, w: 24, h: 1 },
  },
  local usagePanel(id, proto, limits, x, y) =
    timeseries(id, '%s usage against %s' % [std.asciiUpper(proto), limits],
               'sockstat mem in bytes against the three thresholds of %s (min, pressure, max)' % limits,
               'bytes', [
                 target('sockmem_usage_bytes%s' % sel('protocol="%s"' % proto), 'usage {{instance}}', 'A'),
                 target('max by (threshold) (sockmem_limit_bytes%s)' % sel('protocol="%s"' % proto),
                        '{{threshold}}', 'B'),
               ], x, y),

  grafanaDashboards+:: {
    'sockmem-overview.json': {
      uid: c.dashboardUID,
      title: c.dashboardTitle,
      tags: c.dashboardTags,
      editable: true,
      schemaVersion: 38,
      version: 1,
      refresh: c.dashboardRefresh,
      time: { from: 'now-6h', to: 'now' },
      timezone: 'utc',
      annotations: { list: [] },
      links: [],
      templating: {
        list: [
          { name: 'datasource', label: 'Data source', type: 'datasource', query: 'prometheus',
            current: { text: 'default', value: 'default' }, hide: 0 },
          { name: 'instance', label: 'Instance', type: 'query', datasource: ds,
            query: { query: 'label_values(sockmem_info{%s}, instance)' % c.sockmemSelector, refId: 'I' },
            definition: 'label_values(sockmem_info{%s}, instance)' % c.sockmemSelector,
            refresh: 2, includeAll: true, multi: true, allValue: '.+', sort: 1,
            current: { text: 'All', value: '$__all' }, hide: 0 },
        ],
      },
      panels: [
        row(1, 'Usage against the limits', 0),
        usagePanel(2, 'tcp', 'tcp_mem', 0, 1),
        usagePanel(3, 'udp', 'udp_mem', 12, 1),
        timeseries(4, 'Usage / limit',
                   'Usage as a fraction of each threshold: TCP enters pressure at 100% of pressure, UDP is limited from 100% of min',
                   'percentunit', [
                     target('sockmem_usage_bytes%s / ignoring(threshold) group_right sockmem_limit_bytes%s' %
                            [sel(''), sel('')], '{{instance}} {{protocol}} / {{threshold}}', 'A'),
                   ], 0, 9),
        timeseries(5, 'State',
                   "The model's state (1 = current) and the kernel's own pressure flag",
                   'short', [
                     target('sockmem_state%s == 1' % sel('state!="normal"'), '{{instance}} {{protocol}} {{state}}', 'A'),
                     target('sockmem_kernel_pressure%s' % sel(''), '{{instance}} {{protocol}} kernel flag', 'B'),
                   ], 12, 9),
        row(6, 'Pressure episodes and drops', 17),
        timeseries(7, 'Pressure episodes and time in pressure',
                   'TCPMemoryPressures per interval, and the fraction of time spent in pressure (TCPMemoryPressuresChrono)',
                   'short', [
                     target('increase(sockmem_kernel_events_total%s[$__rate_interval])' %
                            sel('name="TCPMemoryPressures"'), '{{instance}} episodes', 'A'),
                     target('rate(sockmem_memory_pressure_seconds_total%s[$__rate_interval])' % sel(''),
                            '{{instance}} time in pressure (s/s)', 'B'),
                   ], 0, 18),
        timeseries(8, 'Drops and resets for lack of memory',
                   'Rates of the kernel counters that count memory-related drops, prunes and resets',
                   'ops', [
                     target('rate(sockmem_kernel_events_total%s[$__rate_interval]) > 0' %
                            sel('name!="TCPMemoryPressures"'), '{{instance}} {{name}}', 'A'),
                   ], 12, 18),
        timeseries(9, 'Orphans against tcp_max_orphans',
                   'Orphaned TCP sockets as a fraction of net.ipv4.tcp_max_orphans (penalised orphans are reset from 25%)',
                   'percentunit', [
                     target('sockmem_sockets%s / sockmem_sockets_limit%s' %
                            [sel('kind="orphan"'), sel('kind="orphan"')], '{{instance}} orphans', 'A'),
                     target('sockmem_sockets%s / sockmem_sockets_limit%s' %
                            [sel('kind="timewait"'), sel('kind="timewait"')], '{{instance}} time-wait', 'B'),
                   ], 0, 26),
        timeseries(10, 'Sockets: memory by field',
                   'Sums of the SK_MEMINFO fields over the sockets sock_diag dumped, and what they charge',
                   'bytes', [
                     target('sockmem_socket_memory_bytes%s > 0' % sel('field=~"rmem_alloc|wmem_queued|fwd_alloc|backlog"'),
                            '{{instance}} {{protocol}} {{field}}', 'A'),
                     target('sockmem_socket_charged_bytes%s' % sel(''), '{{instance}} {{protocol}} charged', 'B'),
                   ], 12, 26),
        row(11, 'Top holders', 34),
        {
          id: 12,
          type: 'table',
          title: 'Top holders by local port',
          description: 'The largest holders of charged socket memory by local port (sockmem watch), now',
          datasource: ds,
          gridPos: { x: 0, y: 35, w: 24, h: 8 },
          fieldConfig: { defaults: { unit: 'bytes' }, overrides: [] },
          options: { showHeader: true, sortBy: [{ displayName: 'Value', desc: true }] },
          targets: [
            target('topk(10, sockmem_top_port_charged_bytes%s)' % sel(''), '', 'A', instant=true),
          ],
        },
        {
          id: 14,
          type: 'table',
          title: 'Top holders by cgroup (Kubernetes pod)',
          description: 'sockmem top --by cgroup (sockmem-findings.timer): charged bytes, the pod UID and container the cgroup path names, and the memory controller\'s own sock figure',
          datasource: ds,
          gridPos: { x: 0, y: 51, w: 24, h: 8 },
          fieldConfig: { defaults: { unit: 'bytes' }, overrides: [] },
          options: { showHeader: true, sortBy: [{ displayName: 'Value', desc: true }] },
          targets: [
            target('topk(10, sockmem_top_cgroup_charged_bytes%s)' % sel(''), '', 'A', instant=true),
          ],
        },
        {
          id: 13,
          type: 'table',
          title: 'Findings of sockmem advise',
          description: 'sockmem check --format prometheus (sockmem-findings.timer): run sockmem advise on the node for the evidence and the fix',
          datasource: ds,
          gridPos: { x: 0, y: 43, w: 24, h: 8 },
          fieldConfig: { defaults: {}, overrides: [] },
          options: { showHeader: true },
          targets: [
            target('sockmem_finding%s == 1' % sel(''), '', 'A', instant=true),
          ],
        },
      ],
    },
  },
}
