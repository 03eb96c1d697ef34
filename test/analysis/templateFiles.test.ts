/**
 * Where `{{ }}` is template syntax (analysis/syntax/templateFiles.ts): a chart's templates/, `.tpl`
 * files and `kubeReach.templateGlobs`; the host re-reads a chart's templates when its Chart.yaml
 * comes or goes, and a template file never gets `yaml-syntax` from reading a template as YAML.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AnalysisHost, readSettings } from '../../analysis/index.js';
import { compileTemplateGlobs, isTemplateFile } from '../../analysis/syntax/templateFiles.js';

const TEMPLATE =
  'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  labels: {{- include "x.labels" . | nindent 4 }}\n    tier: web\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n';

function codes(host: AnalysisHost, uri: string): string[] {
  return host
    .snapshot()
    .diagnosticsFor(uri)
    .map((d) => d.code);
}

describe('template files', () => {
  it("are a chart's templates/, .tpl files and glob matches", () => {
    const charts = new Set(['file:///ws/chart']);
    const none = compileTemplateGlobs([]);
    assert.equal(isTemplateFile('file:///ws/chart/templates/a.yaml', charts, none), true);
    assert.equal(isTemplateFile('file:///ws/chart/templates/sub/a.yaml', charts, none), true);
    assert.equal(isTemplateFile('file:///ws/other/templates/a.yaml', charts, none), false);
    assert.equal(isTemplateFile('file:///ws/chart/values.yaml', charts, none), false);
    assert.equal(isTemplateFile('file:///ws/x/_helpers.tpl', charts, none), true);
    const globs = compileTemplateGlobs(['deploy/**/*.gotmpl.yaml', '*.tmpl.{yaml,yml}']);
    assert.equal(isTemplateFile('file:///ws/deploy/a/b/x.gotmpl.yaml', charts, globs), true);
    assert.equal(isTemplateFile('file:///ws/deploy/x.gotmpl.yaml', charts, globs), true);
    assert.equal(isTemplateFile('file:///ws/deploy/x.yaml', charts, globs), false);
    assert.equal(isTemplateFile('file:///ws/a/b/x.tmpl.yml', charts, globs), true);
  });

  it('follow Chart.yaml coming and going', () => {
    const host = new AnalysisHost();
    const uri = 'file:///ws/chart/templates/svc.yaml';
    host.setFile(uri, TEMPLATE);
    assert.ok(codes(host, uri).includes('yaml-syntax'), 'without a chart the file is plain YAML, and broken');
    host.setFile('file:///ws/chart/Chart.yaml', 'apiVersion: v2\nname: x\nversion: 0.1.0\n');
    assert.deepEqual(codes(host, uri), []);
    host.removeFile('file:///ws/chart/Chart.yaml');
    assert.ok(codes(host, uri).includes('yaml-syntax'));
    host.addChartDir('file:///ws/chart');
    assert.deepEqual(codes(host, uri), []);
  });

  it('follow kubeReach.templateGlobs', () => {
    const host = new AnalysisHost();
    const uri = 'file:///ws/deploy/svc.yaml';
    host.setFile(uri, TEMPLATE);
    assert.ok(codes(host, uri).includes('yaml-syntax'));
    host.updateSettings(readSettings({ kubeReach: { templateGlobs: ['deploy/*.yaml'] } }).settings);
    assert.deepEqual(codes(host, uri), []);
  });

  it('keep the objects of a template that does not render and whose masked text does not parse, its unreadable part unknown', () => {
    const host = new AnalysisHost();
    host.setFile('file:///ws/chart/Chart.yaml', 'apiVersion: v2\nname: x\nversion: 0.1.0\n');
    const uri = 'file:///ws/chart/templates/deploy.yaml';
    host.setFile(
      uri,
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      volumes:\n      {{- if .Values.persistence.pvc }}\n        - name: data\n      {{- else }}\n        emptyDir: {}\n      {{- end }}\n',
    );
    const a = host.snapshot();
    assert.deepEqual(a.diagnosticsFor(uri), []);
    assert.deepEqual(
      a.index.objectsOfFile(uri).map((p) => p.obj.kind),
      ['Deployment'],
    );
    assert.equal(a.index.unitComplete('file:///ws/chart'), true);
  });
});
