import { NotFoundException } from '@nestjs/common';
import { DIRECTORY_VERSION } from '@warm-handover/domain';
import { OrganisationsController } from './organisations.controller';

describe('OrganisationsController', () => {
  const controller = new OrganisationsController();

  it('given the directory, when GET /organisations is asked, then every organisation comes with its ladder and the directory version', () => {
    const { directoryVersion, organisations } = controller.list();

    expect(directoryVersion).toBe(DIRECTORY_VERSION);
    expect(organisations.filter((o) => o.kind === 'veilig-thuis')).toHaveLength(26);
    expect(organisations.filter((o) => o.kind === 'police')).toHaveLength(10);
    expect(organisations.find((o) => o.id === 'politie-noord-holland')).toMatchObject({
      kind: 'police',
      name: 'Politie eenheid Noord-Holland',
      ladder: [
        { level: 0, role: 'professional', title: 'Wijkagent' },
        { level: 1, role: 'team-lead', title: 'Teamchef' },
        { level: 2, role: 'manager', title: 'Districtschef' },
        { level: 3, role: 'director', title: 'Eenheidschef' },
      ],
    });
  });

  it('given a known id, when GET /organisations/{id} is asked, then that organisation is answered', () => {
    expect(controller.get('vt-kennemerland')).toMatchObject({
      id: 'vt-kennemerland',
      name: 'Veilig Thuis Kennemerland',
    });
  });

  it('given an unknown id, when GET /organisations/{id} is asked, then 404 says where the ids are listed', () => {
    expect(() => controller.get('vt-atlantis')).toThrow(NotFoundException);
    expect(() => controller.get('vt-atlantis')).toThrow(
      /No organisation has the id "vt-atlantis"; GET \/organisations lists every id/,
    );
  });
});
