/**
 * The grader's shared rules, browser side. The fixtures in tests/fixtures/grader are shared
 * with pytest (tests/test_grader_rules.py): both languages must give every `<case>.in.ipynb`
 * the findings of `<case>.lint.json` and the student version of `<case>.student.ipynb` (or
 * refuse it with the message of `<case>.error.json`).
 */
import * as fs from 'fs';
import * as path from 'path';

import { GraderError, lint, studentVersion, summary } from '../rules';
import { LIMITS, tooDeep } from '../rules/data';
import { parse, transform } from '../rules/markers';

const root = path.resolve(__dirname, '..', '..', '..');
const fixtures = path.join(root, 'tests', 'fixtures', 'grader');

function read(name: string): unknown {
  return JSON.parse(fs.readFileSync(path.join(fixtures, name), 'utf-8'));
}

function exists(name: string): boolean {
  return fs.existsSync(path.join(fixtures, name));
}

const cases = fs
  .readdirSync(fixtures)
  .filter(name => name.endsWith('.in.ipynb'))
  .map(name => name.slice(0, -'.in.ipynb'.length))
  .sort();

function cell(source: unknown, metadata: Record<string, unknown> = {}) {
  return { cell_type: 'code', id: 'c', metadata, outputs: [], source };
}

describe('the shared fixtures', () => {
  it('are all there', () => {
    expect(cases.length).toBeGreaterThanOrEqual(15);
    for (const name of cases) {
      expect(exists(`${name}.lint.json`)).toBe(true);
      expect(exists(`${name}.summary.json`)).toBe(true);
      expect(
        exists(`${name}.student.ipynb`) !== exists(`${name}.error.json`)
      ).toBe(true);
    }
  });

  it.each(cases)('%s: lint gives the expected findings', name => {
    const notebook = read(`${name}.in.ipynb`);
    expect(lint(notebook)).toEqual(read(`${name}.lint.json`));
  });

  it.each(cases)('%s: the summary is the expected one', name => {
    const notebook = read(`${name}.in.ipynb`);
    expect(summary(notebook)).toEqual(read(`${name}.summary.json`));
  });

  it.each(cases)('%s: the student version is the expected one', name => {
    const notebook = read(`${name}.in.ipynb`);
    const before = JSON.stringify(notebook);
    if (exists(`${name}.error.json`)) {
      const { error } = read(`${name}.error.json`) as { error: string };
      expect(() => studentVersion(notebook)).toThrow(GraderError);
      expect(() => studentVersion(notebook)).toThrow(error);
    } else {
      expect(studentVersion(notebook)).toEqual(read(`${name}.student.ipynb`));
    }
    expect(JSON.stringify(notebook)).toBe(before);
  });

  it.each(cases)('%s: no secret reaches the student version', name => {
    const notebook = read(`${name}.in.ipynb`);
    if (exists(`${name}.error.json`)) {
      return;
    }
    const text = JSON.stringify(studentVersion(notebook));
    const reported = lint(notebook).filter(
      finding =>
        finding.rule === 'solution-leak' || finding.rule === 'marker-lookalike'
    );
    if (reported.length > 0) {
      expect(reported.some(finding => finding.severity === 'error')).toBe(true);
    } else {
      expect(text).not.toContain('CANARY');
    }
  });
});

describe('each rule', () => {
  const pairs = read('rule-pairs.json') as {
    rule: string;
    failing?: unknown;
    failingCase?: string;
    passing: unknown;
  }[];

  it.each(pairs.map(pair => [pair.rule, pair]))(
    '%s fails its broken notebook and passes the fixed one',
    (rule, pair) => {
      const failing =
        pair.failingCase !== undefined
          ? read(`${pair.failingCase}.in.ipynb`)
          : pair.failing;
      expect(lint(failing).map(finding => finding.rule)).toContain(rule);
      expect(lint(pair.passing)).toEqual([]);
      expect(() => studentVersion(pair.passing)).not.toThrow();
    }
  );
});

describe('markers', () => {
  it.each([
    '### BEGIN SOLUTION',
    '# BEGIN SOLUTION',
    '    ### BEGIN SOLUTION   ',
    '### BEGIN SOLUTION\r',
    '// BEGIN SOLUTION',
    '% BEGIN SOLUTION',
    '-- BEGIN SOLUTION',
    ';; BEGIN SOLUTION',
    '/* BEGIN SOLUTION */',
    '<!-- BEGIN SOLUTION -->',
    '\t#BEGIN SOLUTION'
  ])('%j is a marker', line => {
    const parsed = parse(`${line}\nx = 'secret'\n### END SOLUTION`);
    expect(parsed.markers.has(0)).toBe(true);
    expect(parsed.problems).toEqual([]);
  });

  it.each([
    "print('### BEGIN SOLUTION')",
    '### begin solution',
    '### BEGIN SOLUTION please',
    '### BEGIN  SOLUTION',
    'BEGIN SOLUTION',
    'x = 1  ### BEGIN SOLUTION'
  ])('%j is a look-alike, not a marker', line => {
    const parsed = parse(line);
    expect(parsed.markers.size).toBe(0);
    expect(parsed.lookalikes).toEqual([0]);
  });

  it("keeps the BEGIN line's indent and line end in the stub", () => {
    const parsed = parse(
      'def f():\r\n    ### BEGIN SOLUTION\r\n    return 1\r\n    ### END SOLUTION\r\n'
    );
    const [source, solution] = transform(parsed, [
      '# YOUR CODE HERE',
      'raise NotImplementedError()'
    ]);
    expect(source).toBe(
      'def f():\r\n    # YOUR CODE HERE\r\n    raise NotImplementedError()\r\n'
    );
    expect(solution).toEqual([[2, '    return 1\r']]);
  });
});

describe('hostile input', () => {
  it('refuses a huge cell with a clear error', () => {
    const notebook = {
      cells: [cell('x'.repeat(LIMITS.cellChars + 1))],
      metadata: {}
    };
    const findings = lint(notebook);
    expect(findings.map(finding => finding.rule)).toEqual(['cell-invalid']);
    expect(findings[0].message).toContain(String(LIMITS.cellChars));
    expect(() => studentVersion(notebook)).toThrow('more than');
    expect(
      lint({ cells: [cell('x'.repeat(LIMITS.cellChars))], metadata: {} })
    ).toEqual([]);
  });

  it('refuses a huge notebook with a clear error', () => {
    const size = LIMITS.cellChars;
    const cells = new Array(LIMITS.notebookChars / size - 1)
      .fill(null)
      .map(() => cell('x'.repeat(size)));
    expect(lint({ cells, metadata: {} })).toEqual([]);
    cells.push(cell('y'.repeat(size)));
    const findings = lint({ cells, metadata: {} });
    expect(findings.map(finding => finding.rule)).toEqual(['notebook-invalid']);
    expect(findings[0].message).toContain(String(LIMITS.notebookChars));
    expect(() => studentVersion({ cells, metadata: {} })).toThrow(
      'characters of text'
    );
  });

  it('counts characters as Python does (UTF-16 units)', () => {
    const notebook = {
      cells: [cell('😀'.repeat(LIMITS.cellChars / 2 + 1))],
      metadata: {}
    };
    expect(lint(notebook).map(finding => finding.rule)).toEqual([
      'cell-invalid'
    ]);
  });

  it('refuses too many cells', () => {
    const notebook = {
      cells: new Array(LIMITS.cells + 1).fill(cell('x')),
      metadata: {}
    };
    expect(lint(notebook).map(finding => finding.rule)).toEqual([
      'notebook-invalid'
    ]);
  });

  it('reports deep nesting instead of overflowing the stack', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 5000; i++) {
      deep = [deep];
    }
    const notebook = {
      cells: [cell('x', { saved: deep })],
      metadata: { deep }
    };
    expect(lint(notebook).map(finding => finding.rule)).toEqual([
      'notebook-invalid',
      'cell-invalid'
    ]);
    expect(() => studentVersion(notebook)).toThrow(GraderError);
    expect(tooDeep(deep, 100)).toBe(true);
    expect(tooDeep([[1]], 3)).toBe(false);
  });

  it.each([
    null,
    1,
    'notebook',
    [],
    { cells: null },
    { cells: [null] },
    { cells: [], metadata: 3 }
  ])('gives %j findings and a refusal', value => {
    const findings = lint(value);
    expect(findings.length).toBeGreaterThan(0);
    expect(
      findings.every(finding =>
        ['notebook-invalid', 'cell-invalid', 'metadata-invalid'].includes(
          finding.rule
        )
      )
    ).toBe(true);
    expect(() => studentVersion(value)).toThrow(
      'cannot make the student version'
    );
  });

  it.each([
    { version: 1, role: ['answer'], exercise: 'q' },
    { version: 1, role: 'answer', exercise: 'q\n' },
    { version: Infinity, role: 'answer', exercise: 'q' },
    { version: true, role: 'answer', exercise: 'q' }
  ])('calls %j invalid metadata', grader => {
    const notebook = {
      cells: [cell('x', { atrium: { grader } })],
      metadata: {}
    };
    expect(new Set(lint(notebook).map(finding => finding.rule))).toEqual(
      new Set(['metadata-invalid'])
    );
  });

  it('keeps a "__proto__" key an ordinary key', () => {
    const notebook = JSON.parse(
      '{"cells": [{"cell_type": "code", "id": "c", "outputs": [], "source": "x",' +
        ' "metadata": {"__proto__": {"polluted": true}}}], "metadata": {}}'
    );
    const student = studentVersion(notebook);
    const cells = student.cells as Record<string, unknown>[];
    const metadata = cells[0].metadata as Record<string, unknown>;
    expect(Object.keys(metadata)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('generated notebooks', () => {
  interface IGenerated {
    notebook: unknown;
    lint: unknown;
    summary: unknown;
    student?: unknown;
    error?: string;
  }
  const generated = read(
    path.join('generated', 'random-notebooks.json')
  ) as IGenerated[];

  it('give the results pytest stored', () => {
    expect(generated.length).toBe(120);
    generated.forEach((item, number) => {
      const notebook = item.notebook;
      expect([number, lint(notebook)]).toEqual([number, item.lint]);
      expect([number, summary(notebook)]).toEqual([number, item.summary]);
      if (item.error !== undefined) {
        expect(() => studentVersion(notebook)).toThrow(item.error);
      } else {
        expect([number, studentVersion(notebook)]).toEqual([
          number,
          item.student
        ]);
      }
    });
  });
});
