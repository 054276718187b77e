// mixin.libsonnet - the sockmem monitoring mixin: alerts, recording rules and
// a Grafana dashboard over sockmem's exposition as read by node_exporter's
// textfile collector.  Rendered by render.jsonnet (make -C contrib/mixin).
(import 'config.libsonnet') +
(import 'alerts.libsonnet') +
(import 'rules.libsonnet') +
(import 'dashboards.libsonnet')
