/** Strings a careless writer would corrupt under YAML 1.1 (go-yaml v2) or YAML 1.2. */
export const TRICKY = [
  '', ' ', 'yes', 'Yes', 'YES', 'no', 'on', 'off', 'y', 'n', 'Y', 'N', 'true', 'False', 'null', 'Null', '~', '0777', '0x1F', '0o17', '0O17', '0X1F', '0B11', '0_x1', '1e3', '1e1_0', '1_000',
  '12:30:45', '1:30', '2001-12-14', '.inf', '-.Inf', '.NaN', '-1', '+1', '1.5', '*', '*/scale', '&anchor', '!tag', '- item', '? key', 'a: b', 'a #b', 'trailing:', '#hash',
  '%percent', '@at', '`tick', '"quoted"', "'single'", '[list]', '{map}', '|', '>', '<<', '=', 'line\nbreak', 'tab\there', 'unicode é ü', '\u0085nel', 'ls\u2028ps\u2029', 'del\u007f c1\u0090', 'nbsp\u00a0',
  'a long line of text that is clearly longer than forty characters\nwith a break', 'e0', 'E5', 'e+7', 'trailing ', ' leading', 'x\n', 'system:kube-proxy', '/api*', 'pods/*', 'a:b',
];
