import { ORGANISATIONS } from '../organisations/directory';
import { VT_POLICE_MAPPING, VT_POLICE_MAPPING_VERSION } from './vt-police-mapping';

describe('mapping of the 26 Veilig Thuis regions to the 10 police units', () => {
  const vt = ORGANISATIONS.filter((o) => o.kind === 'veilig-thuis').map((o) => o.id);
  const police = ORGANISATIONS.filter((o) => o.kind === 'police').map((o) => o.id);

  it('given the mapping, when checked for completeness, then every one of the 26 regions maps to exactly one of the 10 units', () => {
    expect(vt).toHaveLength(26);
    expect(police).toHaveLength(10);
    expect(Object.keys(VT_POLICE_MAPPING).sort()).toEqual([...vt].sort());
    for (const unit of Object.values(VT_POLICE_MAPPING)) expect(police).toContain(unit);
  });

  it('given the mapping, when inverted, then every police unit covers at least one region', () => {
    const covered = new Set(Object.values(VT_POLICE_MAPPING));
    expect([...covered].sort()).toEqual([...police].sort());
  });

  it('given seed case 1, when looked up, then Kennemerland lies in Noord-Holland and Amsterdam-Amstelland in Amsterdam', () => {
    expect(VT_POLICE_MAPPING['vt-kennemerland']).toBe('politie-noord-holland');
    expect(VT_POLICE_MAPPING['vt-amsterdam-amstelland']).toBe('politie-amsterdam');
    expect(VT_POLICE_MAPPING_VERSION).toMatch(/^\d{4}-\d{2}-\d{2}\.\d+$/);
  });
});
