// render.jsonnet - the files committed beside the mixin (and its tests):
//   jsonnet -S -m . render.jsonnet   (make -C contrib/mixin)
local mixin = import 'mixin.libsonnet';
local yaml(x) = std.manifestYamlDoc(x, indent_array_in_object=true, quote_keys=false) + '\n';
{
  'prometheus_alerts.yaml': yaml(mixin.prometheusAlerts),
  'prometheus_rules.yaml': yaml(mixin.prometheusRules),
  'tests.yaml': yaml(import 'tests.jsonnet'),
} + {
  ['dashboards_out/' + name]: std.manifestJsonEx(mixin.grafanaDashboards[name], '  ') + '\n'
  for name in std.objectFields(mixin.grafanaDashboards)
}
