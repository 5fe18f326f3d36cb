/**
 * Test-only: lib/directory-invite/fixture.ts's organizations, and actors of them. Add them to the
 * invitation testbed's seed with `useInvitationTestbed({ extendSeed: addDirectoryOrg })`.
 */
import { userActor } from '@/lib/invitations/testing';
import { DIR_ORG, NO_DIR_ORG } from './fixture';

export { addDirectoryOrg, DIR_ORG, DIRECTORY_ID, engEmail, GROUP, NO_DIR_ORG } from './fixture';

export const dora = userActor(DIR_ORG, 'admin', { userId: 'usr_dora', email: 'dora@dirco.test' });
export const dirMember = userActor(DIR_ORG, 'member', { userId: 'usr_dmitri', email: 'dmitri@dirco.test' });
export const nora = userActor(NO_DIR_ORG, 'admin', { userId: 'usr_nora', email: 'nora@nodir.test' });
