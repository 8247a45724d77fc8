import {
  IMetadataModel,
  parseLink,
  readLink,
  removeLink,
  writeLink
} from '../link';

class MetadataModel implements IMetadataModel {
  data = new Map<string, unknown>();
  getMetadata(key: string): unknown {
    // The real model returns a deep copy.
    const value = this.data.get(key);
    return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
  }
  setMetadata(key: string, value: unknown): void {
    this.data.set(key, JSON.parse(JSON.stringify(value)));
  }
  deleteMetadata(key: string): unknown {
    const value = this.data.get(key);
    this.data.delete(key);
    return value;
  }
}

const LINK = {
  id: 'abc123',
  version: 3,
  contentHash: 'f'.repeat(64),
  role: 'owner' as const
};

describe('gallery link', () => {
  it('writes, reads and removes the link', () => {
    const model = new MetadataModel();
    expect(readLink(model)).toBeNull();
    writeLink(model, { ...LINK, parentId: 'p1' });
    expect(model.data.get('atrium')).toEqual({
      gallery: { ...LINK, parentId: 'p1' }
    });
    expect(readLink(model)).toEqual({ ...LINK, parentId: 'p1' });
    expect(removeLink(model)).toBe(true);
    expect(model.data.has('atrium')).toBe(false);
    expect(removeLink(model)).toBe(false);
  });

  it('keeps the rest of metadata.atrium', () => {
    const model = new MetadataModel();
    model.setMetadata('atrium', { grader: { public: true } });
    writeLink(model, LINK);
    expect(model.data.get('atrium')).toEqual({
      grader: { public: true },
      gallery: LINK
    });
    removeLink(model);
    expect(model.data.get('atrium')).toEqual({ grader: { public: true } });
  });

  it('ignores malformed links', () => {
    expect(parseLink(null)).toBeNull();
    expect(parseLink({ ...LINK, version: 0 })).toBeNull();
    expect(parseLink({ ...LINK, version: 1.5 })).toBeNull();
    expect(parseLink({ ...LINK, id: '' })).toBeNull();
    expect(parseLink({ ...LINK, role: 'admin' })).toBeNull();
    expect(parseLink({ ...LINK, contentHash: 5 })).toBeNull();
    expect(parseLink({ ...LINK, parentId: 7 })).toEqual(LINK);
  });
});
