// config.libsonnet - every selector and threshold of the sockmem mixin, in
// one place.  Override with:  (import 'mixin.libsonnet') + { _config+:: { ... } }
{
  _config+:: {
    // The series of the node_exporter job that reads sockmem's textfile.
    sockmemSelector: 'job="node"',
    // Labels that identify one machine: alerts and the dashboard group by them.
    instanceLabels: ['instance'],
    // node_exporter's textfile name for sockmem (node_textfile_mtime_seconds{file}).
    textfileRegex: '(.*/)?sockmem[.]prom',

    // TCP usage predicted to reach tcp_mem[1] (pressure) within this many
    // hours, from the last predictWindow, once it is above predictMinRatio of it.
    tcpPredictHours: 4,
    tcpPredictWindow: '6h',
    tcpPredictMinRatio: 0.5,
    // Pressure episodes (TCPMemoryPressures) within tcpPressureEpisodesWindow
    // that warrant a look.
    tcpPressureEpisodesPerHour: 3,
    tcpPressureEpisodesWindow: '1h',
    // Orphans against net.ipv4.tcp_max_orphans: the kernel already resets
    // penalised orphans at a quarter of the limit (tcp_check_oom, shift 2).
    orphansWarningRatio: 0.25,
    // The textfile is stale after this many seconds (a few watch intervals,
    // or a few runs of the timer).
    textfileStaleSeconds: 300,

    // How long a condition holds before its alert fires.
    forPressure: '2m',
    forOverLimit: '1m',
    forPredict: '30m',
    forUDP: '5m',
    forOrphans: '10m',
    forStale: '5m',
    forFailing: '15m',
    forFinding: '15m',
    rateWindow: '5m',

    // Where the runbook is: one section per alert, anchored by its name.
    runbookURLBase: 'https://github.com/sockmem/sockmem/blob/main/contrib/mixin/runbook.md',

    // Dashboard
    dashboardTitle: 'sockmem / socket memory',
    dashboardUID: 'sockmem-overview',
    dashboardTags: ['sockmem', 'node'],
    dashboardRefresh: '30s',
  },
}
